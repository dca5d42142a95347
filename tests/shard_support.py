"""Helpers for the two-process validation tests (catalog_tools.shard).

A helper is forked only by a process with one thread, as the command is. A test process is not
always one: servers of other tests may leave request threads behind for a while. So each case
runs in a fresh interpreter (``in_fresh_process``), which sets up the case, validates, and sends
back what the test compares: the report as data (``as_data``: what every output is made from,
plus the type of each metadata value and the source of each finding), how many helpers were
forked, how many results were taken from them, which blocks the parent validated itself, and
whether any child process was left behind.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import struct
import threading
import time
from pathlib import Path
from typing import Any, Callable

from catalog_tools.model import Report


def as_data(report: Report) -> Any:
    """The report as plain JSON data (lists, not tuples: it crosses processes and compares equal)."""
    types = [[(k, type(v).__name__) for k, v in d.values.items()] for d in report.datasets]
    sources = [(d.source.path, d.source.sheet, d.source.row, [f.source == d.source for f in d.findings])
               for d in report.datasets]
    return json.loads(json.dumps([report.to_dict(), types, sources], ensure_ascii=False, default=str))


def no_child_left() -> bool:
    """True when this process has no child process, running or unreaped."""
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return not _children()
    return pid == 0 and not _children()


def _children() -> list[int]:
    me = os.getpid()
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                out.append(int(entry.name))
    return out


def in_fresh_process(case: str, paths: list[str], **kw: Any) -> dict[str, Any]:
    """Run :func:`run_case` in a new interpreter (spawned, not forked: it has one thread)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(run_case, (case, paths), kw)


# -- what runs in the fresh interpreter ---------------------------------------------------------
def run_case(case: str, paths: list[str], *, jobs: int = 2, settings: dict[str, Any] | None = None,
             fault: str | None = None, identity_fault: str | None = None) -> dict[str, Any]:
    from catalog_tools import shard, validate
    from catalog_tools.rules import collection
    from catalog_tools.validate import validate_paths

    for name, value in (settings or {}).items():
        setattr(shard, name, value)
    seen: dict[str, Any] = {"forks": 0, "decoded": 0, "taken": 0, "done_here": [], "decoded_kinds": {},
                            "identity_forks": 0, "same_groups_calls": 0}
    fork, decode, take, do = shard.fork_helper, shard.decode, shard.Run._take, shard.Run._do
    start_identity, same_groups = validate._Runs.start_identity, collection.same_groups
    in_identity = [False]

    def counting_fork(*a: Any, **kw: Any) -> Any:
        seen["identity_forks" if in_identity[0] else "forks"] += 1  # (the identity rules' helper counted apart)
        return fork(*a, **kw)

    def counting_start_identity(self: Any, datasets: Any) -> None:
        in_identity[0] = True
        try:
            start_identity(self, datasets)
        finally:
            in_identity[0] = False

    def counting_same_groups(*a: Any) -> Any:
        seen["same_groups_calls"] += 1  # in this process: the helper's calls are its own
        return same_groups(*a)

    validate._Runs.start_identity = counting_start_identity  # type: ignore[method-assign]
    collection.same_groups = counting_same_groups  # type: ignore[assignment]
    if identity_fault:
        _install_identity_fault(validate, identity_fault)

    def counting_decode(*a: Any) -> Any:
        seen["decoded"] += 1
        result = decode(*a)
        kinds = seen["decoded_kinds"]
        kinds[type(result).__name__] = kinds.get(type(result).__name__, 0) + 1
        return result

    def counting_take(self: Any, timeout: float = 0) -> bool:
        before = len(self.owed)
        came = take(self, timeout)
        seen["taken"] += before - len(self.owed)
        return came

    def counting_do(self: Any, number: int) -> None:
        seen["done_here"].append(number)
        do(self, number)

    shard.fork_helper, shard.decode = counting_fork, counting_decode  # type: ignore[assignment]
    shard.Run._take, shard.Run._do = counting_take, counting_do  # type: ignore[method-assign]
    if fault:
        _install_fault(shard, fault)
    out: dict[str, Any] = {}
    if case == "validate":
        report = validate_paths(paths, jobs=jobs)
        out["data"] = as_data(report)
        out["lists"] = _lists(report)
    elif case == "with_a_thread":
        stop = threading.Event()
        t = threading.Thread(target=stop.wait, name="ผู้ช่วยอื่น")
        t.start()
        try:
            out["can_fork"] = shard.can_fork()
            out["data"] = as_data(validate_paths(paths, jobs=jobs))
        finally:
            stop.set()
            t.join()
    elif case == "fork_fails":
        def no_fork() -> int:
            raise OSError(11, "Resource temporarily unavailable")

        os.fork = no_fork  # type: ignore[assignment]
        out["data"] = as_data(validate_paths(paths, jobs=jobs))
    elif case == "interrupted":
        def progress(done: int, total: int | None = None) -> None:
            if done >= shard.START + 2 * shard.BLOCK:
                raise KeyboardInterrupt

        try:
            validate_paths(paths, jobs=jobs, progress=progress)
            out["interrupted"] = False
        except KeyboardInterrupt:
            out["interrupted"] = True
    elif case == "progress_bar":
        import io

        from catalog_tools.cli import progress as progress_mod

        os.environ["CATALOG_TOOLS_PROGRESS"] = "1"
        progress_mod.sys.stderr = io.StringIO()  # type: ignore[attr-defined]
        with progress_mod.progress_reporter("validate", refresh_thread=False) as progress:
            out["threads_during"] = threading.active_count()
            out["data"] = as_data(validate_paths(paths, jobs=jobs, progress=progress))
        with progress_mod.progress_reporter("publish"):
            out["threads_other_bar"] = threading.active_count()
    else:
        raise ValueError(case)
    out.update(seen)
    out["no_child_left"] = no_child_left()
    return out


def _lists(report: Report) -> dict[str, int]:
    from catalog_tools.normalize import SharedList

    lists = [v for d in report.datasets[-1000:] for v in d.values.values() if isinstance(v, list)]
    read_only = True
    if lists:
        try:
            lists[0].append("เพิ่ม")
            read_only = False
        except TypeError:
            pass
    return {"count": len(lists), "objects": len({id(v) for v in lists}),
            "shared_type": sum(type(v) is SharedList for v in lists), "read_only": int(read_only)}


def _junk(number: int, text: str, times: int) -> None:
    """A header for ``number`` and bytes that are no pickle (Thai text, a NUL, a terminal escape)."""
    data = f"{text}\x00\x1b[2J".encode() * times
    _write_raw(struct.pack("<qq", number, len(data)) + data)


def _torn(number: int, length: int) -> None:
    """A header that promises ``length`` bytes, then a few: the pipe ends when the helper does."""
    _write_raw(struct.pack("<qq", number, length) + b"\x80\x05" * 8)


def _fail_plainly(fault: str, number: int) -> None:
    """The ways any helper fails, whatever its work: it dies, hangs, writes junk or a torn message
    (each never returns); any other ``fault`` is its work's own and returns here."""
    if fault == "die":
        os._exit(3)
    if fault == "hang":
        time.sleep(300)  # alive and silent: the parent does the work and stops it
    if fault == "junk":
        _junk(number, "ข้อมูลเสีย", 40)
        time.sleep(300)
    if fault == "torn":
        _torn(number, 9_000)
        os._exit(0)


def _write_raw(data: bytes) -> None:
    """Write straight to the helper's pipe (the only descriptor it kept above 2)."""
    for fd in range(3, 256):
        try:
            os.write(fd, data)
            return
        except OSError:
            continue


def _install_fault(shard: Any, fault: str) -> None:
    """Make the helper fail as ``fault`` says (this runs in the parent, before the fork)."""
    real_work, real_encode = shard.helper_work, shard.encode

    def die_half_way(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        sent: list[int] = []

        def twice(number: int, items: list) -> None:
            send(number, items)
            sent.append(number)
            if len(sent) == 2:
                os._exit(1)  # killed mid-run, e.g. by the OOM killer

        work(twice)

    def torn(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        _torn(0, 4_000)  # a header, then the pipe ends
        os._exit(0)

    def junk(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        _junk(0, "ข้อมูลเสีย", 50)
        work(send)  # and then the real blocks, which the parent no longer reads

    def absurd_length(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        _write_raw(struct.pack("<qq", 1, 1 << 60))
        time.sleep(300)  # alive and silent: the parent stops it

    def other_rows(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        def shifted(d: Any) -> tuple:
            kind, row, plain, shared = real_encode(d)
            return kind, row + 1, plain, shared  # a result that claims to be of the next row

        shard.encode = shifted  # in the helper only
        work(send)

    def hang(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        work(lambda number, items: time.sleep(300))  # the block is claimed and will never come

    def noisy(work: Callable[..., None], send: Callable[[int, list], None]) -> None:
        print("รั่วออกมา LEAK", flush=True)
        os.write(1, b"LEAK fd1")
        os.write(2, b"LEAK fd2")
        work(send)

    faults: dict[str, Callable[[Callable[..., None], Callable[[int, list], None]], None]] = {
        "die_at_once": lambda work, send: os._exit(3), "die_half_way": die_half_way, "torn": torn, "junk": junk,
        "absurd_length": absurd_length, "other_rows": other_rows, "hang": hang, "noisy": noisy}
    make = faults[fault]

    def helper_work(*args: Any) -> Callable[[Callable[[int, list], None]], None]:
        work = real_work(*args)
        return lambda send: make(work, send)

    shard.helper_work = helper_work


def _install_identity_fault(validate: Any, fault: str) -> None:
    """Make the helper that finds the identity rules' groups fail as ``fault`` says (runs in the helper)."""
    def faulty(datasets: list) -> Any:
        n = len(datasets)
        _fail_plainly(fault, n)
        if fault == "out_of_range":
            return {"id": [[0, n + 5]], "title": []}
        if fault == "descending":
            return {"id": [[7, 3]], "title": []}
        if fault == "wrong_keys":
            return {"id": []}
        if fault == "not_ints":
            return {"id": [["0", "1"]], "title": []}
        raise ValueError(fault)

    validate.identity_groups = faulty


# -- the extent scan shared with a helper (shard.scan_in_two) --------------------------------------
def scan_case(path: str, member: str, *, chunk: int, fault: str | None = None,
              corrupt_at: float | None = None) -> dict[str, Any]:
    """In a fresh interpreter: the sheet's scan by two processes (buffers of ``chunk`` bytes, every
    size split) and by one, and what the parent was left with. ``fault`` makes the helper fail."""
    import zipfile
    from dataclasses import asdict

    from catalog_tools import shard
    from catalog_tools.loaders import extent

    extent.CHUNK = chunk
    shard.SCAN_SPLIT_MIN = 0
    forks: list[int] = []
    real_fork, real_rest = shard.fork_helper, shard._scan_rest

    def counting_fork(*a: Any, **kw: Any) -> Any:
        helper = real_fork(*a, **kw)
        forks.append(helper.pid if helper is not None else -1)
        return helper

    shard.fork_helper = counting_fork  # type: ignore[assignment]
    if fault is not None:
        def faulty(fd: int, member: str, first: int, send: Callable[[int, list], None]) -> None:
            _fail_plainly(fault, first)
            if fault == "slow":
                time.sleep(1.0)
                real_rest(fd, member, first, send)
            elif fault == "wrong_part":
                real_rest(fd, member, max(first - 2, 0), send)  # a state of other buffers, named as such
            elif fault == "not_a_state":
                send(first, [{"far_row": 0, "unnumbered": False}])
                time.sleep(300)
            else:
                raise ValueError(fault)

        shard._scan_rest = faulty  # type: ignore[assignment]
    out: dict[str, Any] = {}
    fds_before = sorted(os.listdir("/proc/self/fd"))
    with zipfile.ZipFile(path) as zf:
        try:
            whole: bytes | None = zf.read(member)
        except Exception:  # a damaged part: only the errors are compared
            whole = None
        try:
            out["two"] = asdict(shard.scan_in_two(zf, member))
        except Exception as exc:  # compared with the one-process scan's error
            out["two_error"] = f"{type(exc).__name__}: {exc}"
        try:
            out["one"] = asdict(extent.scan_sheet(zf, member))
        except Exception as exc:
            out["one_error"] = f"{type(exc).__name__}: {exc}"
        if whole is not None:
            out["zip_still_reads"] = zf.read(member) == whole  # the parent's own reading was not moved
    out["forks"] = len(forks)
    out["fds_kept"] = sorted(os.listdir("/proc/self/fd")) == fds_before
    out["no_child_left"] = no_child_left()
    return out


def in_fresh_scan(path: str, member: str, **kw: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(scan_case, (path, member), kw)
