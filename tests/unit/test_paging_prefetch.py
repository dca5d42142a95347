"""Prefetching the next page (audit): same items, same requests, same reasons to stop — only earlier.

``pages(..., prefetch=True)`` asks for page N+1 in a helper thread before handing out page N, so
an audit validates one page while CKAN prepares the next. These tests hold it to the promise in
its docstring: every scenario of the plain loop gives the same items, the same stats and the same
requests; the next request really is made before the caller is done with the current page.
"""
from __future__ import annotations

import threading
from typing import Any

import pytest

from catalog_tools.ckan.paging import PageStats, pages

ORGS = ["กรมการท่องเที่ยว", "สำนักงานสถิติแห่งชาติ", "กรมอุตุนิยมวิทยา"]


def _catalog(n: int) -> list[dict[str, Any]]:
    return [{"id": f"ds-{i:04d}", "name": f"tourist-arrivals-{i:04d}", "title": f"จำนวนนักท่องเที่ยว ชุดที่ {i}",
             "organization": {"name": f"org-{i % 3}", "title": ORGS[i % 3]}} for i in range(n)]


class Server:
    """A paged listing; ``behaviour`` makes it misbehave as real servers do."""

    def __init__(self, items: list[dict[str, Any]], behaviour: str = "ok") -> None:
        self.items, self.behaviour = items, behaviour
        self.calls: list[int] = []
        self.lock = threading.Lock()

    def fetch(self, offset: int) -> list[dict[str, Any]]:
        with self.lock:
            self.calls.append(offset)
        if self.behaviour == "ignores_offset":
            offset = 0
        if self.behaviour == "fails_on_third" and len(self.calls) == 3:
            raise ConnectionError("ระบบปลายทางปิดการเชื่อมต่อ — the server closed the connection")
        if self.behaviour == "shifts" and offset >= 10:  # a dataset deleted while reading: pages shift by one
            offset += 1
        return self.items[offset:offset + 10]


def _run(behaviour: str, n: int, prefetch: bool, max_pages: int = 100, done_at: int | None = None
         ) -> tuple[list[str], PageStats, list[int]]:
    server = Server(_catalog(n), behaviour)
    stats = PageStats()
    done = (lambda offset: offset >= done_at) if done_at is not None else None
    got = [p["id"] for p in pages(server.fetch, key=lambda p: p["id"], page_size=10, max_pages=max_pages, done=done,
                                  stats=stats, prefetch=prefetch)]
    return got, stats, sorted(server.calls)


@pytest.mark.parametrize("behaviour, n, max_pages, done_at", [
    ("ok", 35, 100, None),      # a short last page ends it
    ("ok", 40, 100, None),      # an empty page ends it
    ("ok", 40, 100, 40),        # the reported count ends it before an empty page is asked for
    ("ok", 95, 4, None),        # the cap
    ("ignores_offset", 35, 100, None),  # the first page again: a repeat
    ("shifts", 45, 100, None),  # pages shift: one dataset is skipped, none is seen twice
])
def test_prefetch_reads_exactly_what_the_plain_loop_reads(behaviour: str, n: int, max_pages: int,
                                                           done_at: int | None) -> None:
    plain = _run(behaviour, n, False, max_pages, done_at)
    ahead = _run(behaviour, n, True, max_pages, done_at)
    assert ahead[0] == plain[0]
    assert (ahead[1].pages, ahead[1].items, ahead[1].stopped, ahead[1].repeated_items) == \
        (plain[1].pages, plain[1].items, plain[1].stopped, plain[1].repeated_items)
    assert ahead[2] == plain[2]  # not one request more


def test_the_next_page_is_asked_for_while_the_caller_works_on_this_one() -> None:
    server = Server(_catalog(25))
    asked = threading.Event()
    real = server.fetch

    def fetch(offset: int) -> list[dict[str, Any]]:
        if offset == 10:
            asked.set()
        return real(offset)

    it = pages(fetch, key=lambda p: p["id"], page_size=10, max_pages=10, prefetch=True)
    first = next(it)
    assert first["id"] == "ds-0000"
    # the caller still holds the first item of page 1; page 2 is already on its way
    assert asked.wait(5), "page 2 was not requested before the caller finished page 1"
    assert [p["id"] for p in it][-1] == "ds-0024"


def test_an_error_on_a_prefetched_page_reaches_the_caller_after_the_page_before() -> None:
    server = Server(_catalog(50), "fails_on_third")
    got: list[str] = []
    with pytest.raises(ConnectionError, match="closed the connection"):
        for p in pages(server.fetch, key=lambda p: p["id"], page_size=10, max_pages=10, prefetch=True):
            got.append(p["id"])
    assert got == [f"ds-{i:04d}" for i in range(20)]  # the two good pages were all handed out


def test_a_caller_that_stops_early_is_not_held_up() -> None:
    server = Server(_catalog(100))
    it = pages(server.fetch, key=lambda p: p["id"], page_size=10, max_pages=20, prefetch=True)
    assert [next(it)["id"] for _ in range(3)] == ["ds-0000", "ds-0001", "ds-0002"]
    it.close()  # the generator's cleanup runs now: it must neither hang nor raise
    for _ in range(500):  # the page already asked for may still be on its way: let it land (bounded)
        if len(server.calls) >= 2:
            break
        threading.Event().wait(0.01)
    assert server.calls == [0, 10]  # the one page asked ahead, and nothing after the close


def test_a_page_still_on_its_way_does_not_hold_up_the_exit(tmp_path) -> None:
    """Ctrl-C (or any early end) while the next page hangs: the process ends without waiting for it."""
    import subprocess
    import sys

    script = tmp_path / "hang.py"
    script.write_text(
        "import threading\n"
        "from catalog_tools.ckan.paging import pages\n"
        "never = threading.Event()\n"
        "def fetch(offset):\n"
        "    if offset:\n"
        "        never.wait()  # a server that never answers the second page\n"
        "    return [{'id': f'ds-{offset + i}'} for i in range(10)]\n"
        "it = pages(fetch, key=lambda p: p['id'], page_size=10, max_pages=5, prefetch=True)\n"
        "print(next(it)['id'], flush=True)\n"
        "raise SystemExit(0)\n", encoding="utf-8")
    # a generous bound: without a daemon thread the process would wait for that page forever
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ds-0", done.stderr


def test_every_page_ahead_is_fetched_by_one_helper_thread() -> None:
    """The HTTP client keeps a connection per thread: a thread per page would leave one open per page."""
    server = Server(_catalog(95))
    threads: list[threading.Thread] = []  # the objects themselves: an ident is reused once a thread ends
    real = server.fetch

    def fetch(offset: int) -> list[dict[str, Any]]:
        if offset:
            threads.append(threading.current_thread())
        return real(offset)

    got = [p["id"] for p in pages(fetch, key=lambda p: p["id"], page_size=10, max_pages=20, prefetch=True)]
    assert len(got) == 95 and sorted(server.calls) == list(range(0, 100, 10))
    assert len(threads) == 9 and len({id(t) for t in threads}) == 1 and threads[0] is not threading.current_thread()
