"""run_in_order: every item gets exactly one outcome, with one worker or several, Ctrl-C or not."""
from __future__ import annotations

import threading

import pytest

from catalog_tools.ckan.workers import run_in_order


@pytest.mark.parametrize("workers", [1, 4])
def test_every_item_is_finished_once(workers):
    finished: list[tuple[int, str]] = []
    threads: set[str] = set()

    def work(i: int) -> str:
        threads.add(threading.current_thread().name)
        return f"ชุดข้อมูล {i}"

    run_in_order(20, work, lambda i, r: finished.append((i, r)), workers=workers, on_interrupt=lambda: None,
                 interrupted=lambda i: "interrupted", not_started=lambda i: "not started")
    assert sorted(finished) == [(i, f"ชุดข้อมูล {i}") for i in range(20)]
    if workers == 1:
        assert threads == {threading.main_thread().name}
    else:
        assert threads and all(name.startswith("publish") for name in threads)


def test_ctrl_c_in_one_worker_mode_interrupts_the_item_in_flight():
    stop = threading.Event()
    finished: dict[int, str] = {}

    def work(i: int) -> str:
        if stop.is_set():
            return "skipped after stop"
        if i == 2:
            raise KeyboardInterrupt  # the signal arrives while item 2 is being sent
        return "done"

    run_in_order(6, work, finished.__setitem__, workers=1, on_interrupt=stop.set,
                 interrupted=lambda i: "interrupted", not_started=lambda i: "not started")
    assert finished == {0: "done", 1: "done", 2: "interrupted", 3: "skipped after stop", 4: "skipped after stop",
                        5: "skipped after stop"}


def test_ctrl_c_with_workers_waits_for_running_items_and_skips_the_rest():
    stop = threading.Event()
    release = threading.Event()
    finished: dict[int, str] = {}

    def work(i: int) -> str:
        if stop.is_set():
            return "skipped after stop"
        if i > 0:
            release.wait(5)  # items 1 and 2 are running when Ctrl-C comes
        return "done"

    def finish(i: int, result: str) -> None:
        assert i not in finished
        finished[i] = result
        if len(finished) == 1:
            release.set()
            raise KeyboardInterrupt  # the signal arrives in the main thread, between results

    run_in_order(12, work, finish, workers=3, on_interrupt=stop.set, interrupted=lambda i: "interrupted",
                 not_started=lambda i: "not started")
    assert sorted(finished) == list(range(12)) and stop.is_set()
    assert finished[0] == finished[1] == finished[2] == "done"
    # the rest: cancelled before a worker took it, or taken and returned at once (which one is timing)
    assert set(finished[i] for i in range(3, 12)) <= {"not started", "skipped after stop", "done"}
