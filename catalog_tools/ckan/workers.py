"""Running per-item work on a few threads, with Ctrl-C handled the way a sequential loop would.

Why its own module: publish's guarantees (every item gets exactly one outcome, the log gets
it as it happens, a Ctrl-C gives a partial summary) must hold the same with one worker or
eight, and that bookkeeping is easier to read apart from what publishing does.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Callable, TypeVar

T = TypeVar("T")


def run_in_order(count: int, work: Callable[[int], T], finish: Callable[[int, T], None], *, workers: int,
                 on_interrupt: Callable[[], None], interrupted: Callable[[int], T],
                 not_started: Callable[[int], T]) -> None:
    """Call ``work(i)`` for i in ``range(count)`` and ``finish(i, result)`` for each, exactly once.

    On Ctrl-C, ``on_interrupt()`` is called once (``work`` is expected to see that and return
    at once for later items). One worker: in order, in this thread; the item in flight gets
    ``interrupted(i)``. Several workers: a thread pool; ``finish`` runs in this thread as
    results come in; items not started get ``not_started(i)`` and the ones running are waited
    for (a thread cannot be stopped mid-request safely).
    """
    if workers <= 1 or count <= 1:
        for i in range(count):
            try:
                result = work(i)
            except KeyboardInterrupt:
                on_interrupt()
                result = interrupted(i)
            finish(i, result)
        return
    done: set[int] = set()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool:
        futures: dict[Future[T], int] = {pool.submit(work, i): i for i in range(count)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                done.add(i)  # before finish: a Ctrl-C inside it must not finish the item twice
                finish(i, future.result())
        except KeyboardInterrupt:
            on_interrupt()
            for future, i in futures.items():
                if i in done:
                    continue
                if future.cancel():
                    finish(i, not_started(i))
                else:
                    finish(i, future.result())
                done.add(i)
