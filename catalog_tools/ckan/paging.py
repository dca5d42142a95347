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
          done: Callable[[int], bool] | None = None, stats: PageStats | None = None) -> Iterator[Any]:
    """Items of ``fetch(offset)`` pages, each once; see the module docstring for when it stops."""
    stats = stats if stats is not None else PageStats()
    offset = 0
    while True:
        if stats.pages >= max_pages:
            stats.stopped = "cap"
            return
        page = fetch(offset)
        stats.pages += 1
        if not page:
            return
        new = 0
        for item in page:
            k = key(item)
            if k in stats.keys:
                stats.repeated_items += 1
                continue
            stats.keys.add(k)
            stats.items += 1
            new += 1
            yield item
        if new == 0:
            stats.stopped = "repeat"
            return
        offset += len(page)
        if len(page) < page_size or (done is not None and done(offset)):
            return
