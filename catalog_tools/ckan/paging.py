"""Paging through CKAN lists without trusting the server to page correctly.

Why: a server (or a proxy in front of it) that ignores ``offset``/``start`` answers the first
page again and again; a naive loop then runs forever (904 calls in 40 s were seen). A
catalog that changes while it is read shifts pages: items are skipped or seen twice. So
every paging loop here

* yields each item once (by key), and stops when a page brings nothing new (a repeat, or no
  progress), when a page is short or empty, or when ``done(offset)`` says so;
* stops at ``max_pages`` whatever happens (a hard cap), and says why it stopped in
  :class:`PageStats` so callers can report an incomplete listing instead of hiding it.
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterator


@dataclass(slots=True)
class PageStats:
    pages: int = 0
    items: int = 0
    #: why the loop ended early: "repeat" (a page with nothing new), "cap" (max_pages), or None
    stopped: str | None = None
    repeated_items: int = 0
    keys: set[Hashable] = field(default_factory=set)


def pages(fetch: Callable[[int], list[Any]], *, key: Callable[[Any], Hashable], page_size: int, max_pages: int,
          done: Callable[[int], bool] | None = None, stats: PageStats | None = None,
          prefetch: bool = False, idle: Callable[[], None] | None = None) -> Iterator[Any]:
    """Items of ``fetch(offset)`` pages, each once; see the module docstring for when it stops.

    With ``prefetch``, the next page is requested (in one helper thread) before this page's items
    are handed out, so the caller's work on a page overlaps the server's work on the next one. It
    is asked for exactly when the loop without prefetch would ask for it — after a full page that
    brought something new, before the cap and before ``done`` — so no request is added; only a
    caller that stops early leaves one answer unread. ``idle`` is called when the caller asks for
    the next page and it has not come yet: the caller's own work that can be done while it waits.
    """
    stats = stats if stats is not None else PageStats()
    offset = 0
    helper = _Fetcher(fetch) if prefetch else None
    ahead: _Ahead | None = None
    try:
        while True:
            if stats.pages >= max_pages:
                stats.stopped = "cap"
                return
            if ahead is not None and idle is not None and not ahead.done.is_set():
                idle()
            page = ahead.result() if ahead is not None else fetch(offset)
            ahead = None
            stats.pages += 1
            if not page:
                return
            fresh = []
            for item in page:
                k = key(item)
                if k in stats.keys:
                    stats.repeated_items += 1
                    continue
                stats.keys.add(k)
                fresh.append(item)
            stats.items += len(fresh)
            if not fresh:
                stats.stopped = "repeat"
                return
            offset += len(page)
            last = len(page) < page_size or (done is not None and done(offset))
            if helper is not None and not last and stats.pages < max_pages:
                ahead = helper.ask(offset)
            yield from fresh
            if last:
                return
    finally:
        if helper is not None:
            helper.close()  # never waits: a page still on its way is left to its own deadline


class _Ahead:
    """One page asked of the helper thread; :meth:`result` waits for it and re-raises its error."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.page: list[Any] = []
        self.error: BaseException | None = None

    def result(self) -> list[Any]:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.page


class _Fetcher:
    """One daemon thread that fetches the pages asked for, one after another.

    One thread for the whole listing, not one per page: the HTTP client keeps a connection per
    thread, so a thread per page would leave a connection open per page (2,000 for a 200,000-dataset
    catalogue read 100 at a time). A daemon thread, not a pool: a user who presses Ctrl-C while a
    page is on its way (a slow or dripping server) gets the prompt back at once; a pool's worker
    would hold the exit until the request's own deadline.
    """

    def __init__(self, fetch: Callable[[int], list[Any]]) -> None:
        self._fetch = fetch
        self._asks: queue.SimpleQueue[tuple[int, _Ahead] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def ask(self, offset: int) -> _Ahead:
        ahead = _Ahead()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="catalog-tools-page", daemon=True)
            self._thread.start()
        self._asks.put((offset, ahead))
        return ahead

    def close(self) -> None:
        if self._thread is not None:
            self._asks.put(None)

    def _run(self) -> None:
        while True:
            asked = self._asks.get()
            if asked is None:
                return
            offset, ahead = asked
            try:
                ahead.page = self._fetch(offset)
            except BaseException as exc:  # handed to the caller's thread, which decides
                ahead.error = exc
            finally:
                ahead.done.set()
