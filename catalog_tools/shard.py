"""Validating one large sheet on two cores: a forked helper shares the blocks of its rows.

The same kind of helper also takes two serial steps off the parent: the extent scan of a large
sheet (``scan_in_two``, below) and the identity rules' groups (``validate._Runs.start_identity``).
Every helper follows the rules that follow: its answer is checked, and without a usable one the
parent does the work itself.

Why a fork, and why this way (docs/performance.md, "validate on two cores"):

- The per-dataset checks are pure Python (normalising, the schema, the record rules); one
  process uses one core whatever the machine has. Threads would share one interpreter lock.
- A sheet read by the fast reader is held in memory whole before its first record is made. A
  process forked then already has every row (the pages are shared until written), so nothing is
  sent to it; only its results come back, pickled as plain tuples through a pipe.
- Both processes walk the same records in the same order, in blocks of ``BLOCK``. The helper
  validates blocks oldest first, claiming each in a byte of shared memory before it starts; the
  parent (which only reads, so it runs ahead) keeps each block's records until its results come
  back, and whenever more than ``STEAL_AT`` whole blocks wait unclaimed it claims the newest and
  validates it itself. The two meet in the middle whatever each one's speed.
- The helper never decides anything. It sends only whole blocks; the parent validates the last,
  partial block itself, any block it cannot use (torn, from other rows), and everything the
  helper owes once its pipe ends (it died) or it stays silent for ``SILENCE`` seconds (stuck:
  it is stopped). So a helper that fails, is killed or is never started changes the time, never
  the report — which is equal, finding for finding, to the one a single process makes.
- The helper closes every file descriptor it inherited before it reads on (the parent's open
  workbook shares its read position with any copy), sends nothing to stdout or stderr, and ends
  with ``os._exit``: it never returns into the caller's code.

Only records whose loader marks them ``resident`` (rows already in memory: the fast reader's
sheets) are shared out, and only on Linux, in a process with no other thread, once a run of one
sheet is long (``START`` records): small inputs never fork. The library's default is one process
(``jobs=1``); the command line asks for two where two CPUs are usable.
"""
from __future__ import annotations

import mmap
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import zipfile
from dataclasses import fields
from operator import attrgetter
from typing import Any, Callable, Iterator, TypeGuard

from .loaders.common import StandIns
from .loaders import extent
from .loaders.extent import EXCEL_MAX_ROWS, ScanState, SheetScan, scan_sheet
from .model import DatasetResult, Finding, RawRecord, ResourceResult, Source
from .normalize import SharedList

#: records per block dealt to one process (small enough that the parent's last partial block is quick)
BLOCK = 256
#: records of one sheet validated before a helper is forked (small workbooks never fork)
START = 1_000
#: datasets in a report before the identity rules' groups are found by a helper (validate._Runs)
IDENTITY_MIN = 10_000
#: whole blocks left waiting for the helper before the parent validates the newest itself
STEAL_AT = 2
_PIPE_SIZE = 1 << 20
_HEAD = struct.Struct("<qq")  # block number, bytes of the pickle that follows
_MAX_MESSAGE = 256 << 20  # a block of 256 results is well under 1 MiB; more is not a message from the helper
#: seconds the parent waits for a block the helper has started before it stops the helper and
#: validates the rest itself (a block takes milliseconds; a helper this silent is stuck)
SILENCE = 10.0

_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
assert _FINDING_FIELDS[-1] == "source"  # sent without it, given back as the last argument
_finding_tuple = attrgetter(*_FINDING_FIELDS[:-1])


class _Shape:
    """Where a result type's fields are in the tuple sent for it (all but the source, in order)."""

    def __init__(self, cls: type) -> None:
        names = tuple(f.name for f in fields(cls))
        rest = tuple(n for n in names if n != "source")
        self.cls = cls
        self.source_at = names.index("source")
        self.get = attrgetter(*rest)
        self.findings_at = rest.index("findings")
        self.values_at = rest.index("values")


_SHAPES = (_Shape(DatasetResult), _Shape(ResourceResult))
_SHAPE_OF = {shape.cls: i for i, shape in enumerate(_SHAPES)}


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_jobs() -> int:
    """What the command line uses by default: two processes when two CPUs are usable, else one."""
    return 2 if usable_cpus() >= 2 and can_fork() else 1


def can_fork() -> bool:
    """Fork only where it is safe: Linux (macOS system libraries are not fork-safe), one thread."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


# -- results as plain tuples --------------------------------------------------------------------
def encode(r: DatasetResult | ResourceResult) -> tuple[Any, ...]:
    """A dataset or resource result as tuples of plain values: pickles several times faster than
    the dataclasses.

    The source is not sent (the parent holds the record it came from), only its row, to check
    that the result is the record's; list values that the normaliser shares between records are
    named, so the parent shares them again.
    """
    kind = _SHAPE_OF[r.__class__]
    shape = _SHAPES[kind]
    plain = list(shape.get(r))
    plain[shape.findings_at] = [_finding_tuple(f) for f in r.findings]
    shared = tuple([k for k, v in r.values.items() if v.__class__ is SharedList])
    return kind, r.source.row, plain, shared


def decode(t: tuple[Any, ...], source: Source, lists: dict[tuple[Any, ...], SharedList]) -> Any:
    """The result :func:`encode` gave, with the record's own ``source`` on it and on its findings;
    None when it was made from another row than ``source``'s (the parent then validates the record)."""
    kind, row, plain, shared = t
    if row != source.row:
        return None
    shape = _SHAPES[kind]
    values = plain[shape.values_at]
    for name in shared:
        v = values[name]
        key = tuple(v)
        s = lists.get(key)
        if s is None:
            s = lists[key] = SharedList(v)
        values[name] = s
    finding: Callable[..., Finding] = Finding  # each tuple is every field but the last, the source
    plain[shape.findings_at] = [finding(*f, source) for f in plain[shape.findings_at]]
    plain.insert(shape.source_at, source)
    return shape.cls(*plain)


# -- the helper process -------------------------------------------------------------------------
class Helper:
    """A forked helper (of a run of records, a scan, the identity groups), seen from the parent."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self._buf = bytearray()
        self.open = True  # False once the pipe ended (the helper finished, died or was stopped)

    def poll(self, timeout: float = 0) -> Iterator[tuple[int, list[Any]]]:
        """Blocks the helper has sent: all already in the pipe; with a ``timeout``, first wait up to
        that many seconds for one (a pipe that ends, ends the wait)."""
        deadline = time.monotonic() + timeout
        waiting = timeout > 0
        while self.open:
            left = max(0.0, deadline - time.monotonic()) if waiting else 0.0
            if not select.select([self.fd], [], [], left)[0]:
                return
            chunk = os.read(self.fd, _PIPE_SIZE)
            if not chunk:
                self.open = False
                break
            self._buf += chunk
            for block in self._blocks():
                waiting = False
                yield block
        yield from self._blocks()

    def _blocks(self) -> Iterator[tuple[int, list[Any]]]:
        buf = self._buf
        while len(buf) >= _HEAD.size:
            number, size = _HEAD.unpack_from(buf)
            if not 0 <= size <= _MAX_MESSAGE:
                self.stop()  # not a message this module writes: the parent validates what is owed itself
                return
            end = _HEAD.size + size
            if len(buf) < end:
                return
            try:
                items = pickle.loads(memoryview(buf)[_HEAD.size:end])
            except Exception:  # a torn message: the parent validates what is owed itself
                self.stop()
                return
            del buf[:end]
            yield number, items

    def answer(self, number: int, fits: Callable[[Any], bool], timeout: float = 0) -> Any:
        """The one value a helper sends as its whole answer (``send(number, [value])``), once it has
        come (waiting up to ``timeout`` seconds) and when it ``fits``; else None. Anything else sent
        stops the helper: the parent then does the work itself."""
        for got, items in self.poll(timeout):
            if got == number and isinstance(items, list) and len(items) == 1 and fits(items[0]):
                return items[0]
            self.stop()
            return None
        return None

    def stop(self) -> None:
        """End the helper (it may be reading on past the run) and reap it; once (a reaped process
        id may be given to another process, which must never be signalled)."""
        self.open = False
        if self.pid <= 0:
            return
        pid, self.pid = self.pid, 0
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass
        self.fd = -1


def fork_helper(work: Callable[[Callable[[int, list[Any]], None]], None], keep: tuple[int, ...] = ()) -> Helper | None:
    """Fork a helper that runs ``work(send)``; None when the fork failed (the parent does it all).

    In the helper: standard streams go to /dev/null, every other inherited descriptor is closed
    but those in ``keep``, and the process ends with ``os._exit`` whatever ``work`` does.
    """
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the helper
        code = 1
        try:
            _detach(keep=(w, *keep))

            def send(number: int, items: list[Any]) -> None:
                data = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(_HEAD.pack(number, len(data)) + data)
                while view:
                    view = view[os.write(w, view):]

            work(send)
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.close(w)
    try:
        import fcntl  # POSIX only, like the fork itself (this module imports on every system)

        fcntl.fcntl(r, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)  # fewer waits for the parent's reads
    except OSError:
        pass
    return Helper(pid, r)


def _detach(keep: tuple[int, ...]) -> None:
    """In the helper: no inherited file stays open but those in ``keep``; 0-2 lead to /dev/null."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, with no traceback
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != null and fd not in keep:
            os.dup2(null, fd)
    if null > 2:
        os.close(null)
    start = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, _max_fd())


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 65536


def run_key(rec: RawRecord) -> tuple[str, str | None, str] | None:
    """The sheet (and kind) a shareable record belongs to; None for any record that is not shared out."""
    if rec.resident:
        return rec.source.path, rec.source.sheet, rec.kind
    return None


def continues(item: object, key: tuple[str, str | None, str]) -> TypeGuard[RawRecord]:
    """Whether ``item`` continues the run ``key``: the one test of both processes (``Run.takes``, the
    helper's reading), so both end the run at the same item."""
    return isinstance(item, RawRecord) and run_key(item) == key


#: one byte per block of a run, in memory shared by both processes: who validates it
FREE, HELPER, PARENT = 0, 1, 2
_MAX_BLOCKS = EXCEL_MAX_ROWS // BLOCK + 1  # a run is one sheet's records


def claims() -> mmap.mmap:
    """The shared claim bytes of a run's blocks (made before the fork, so both see one copy)."""
    return mmap.mmap(-1, _MAX_BLOCKS)


class Run:
    """One run of a sheet's records, shared with a helper; :meth:`finish` gives the results in order.

    The helper validates the blocks in order, oldest first, claiming each before it starts; the
    parent reads the records (faster: it only reads) and, whenever more than ``STEAL_AT`` whole
    blocks are waiting for the helper, claims and validates the newest unclaimed one itself. The
    two meet in the middle whatever each one's speed (a busy machine, a slow core), and at the end
    the parent waits only for blocks the helper has started.

    ``validate`` is the validator's own function for one record (a dataset, or a resource without
    its dataset), called by both.
    """

    def __init__(self, key: tuple[str, str | None, str], helper: Helper, claimed: mmap.mmap,
                 validate: Callable[[RawRecord], Any]):
        self.key = key
        self.helper = helper
        self.claimed = claimed
        self.validate = validate
        self.slots: list[Any] = []
        self.owed: dict[int, list[tuple[int, RawRecord]]] = {}  # block → (slot, record) of each, until validated
        self.seen = 0
        self._arrived: dict[int, list[tuple[Any, ...]]] = {}  # blocks received, not yet used
        self._lists: dict[tuple[Any, ...], SharedList] = {}

    def takes(self, item: object) -> bool:
        """True when ``item`` continues this run (the helper reads on exactly while this holds)."""
        return continues(item, self.key)

    def add(self, rec: RawRecord) -> None:
        i = self.seen
        self.seen = i + 1
        block = i // BLOCK
        owed = self.owed.get(block)
        if owed is None:
            owed = self.owed[block] = []
        owed.append((len(self.slots), rec))
        self.slots.append(None)
        if i % BLOCK == BLOCK - 1:  # a block ends: take what arrived, and help if the helper lags
            self._take()
            waiting = [n for n in self.owed if n <= block and self.claimed[n] == FREE]
            while len(waiting) > STEAL_AT:
                self._do(waiting.pop())  # the newest: the helper is busy with the oldest

    def finish(self) -> list[Any]:
        """Every result of the run, in the records' order; the helper is stopped and reaped."""
        try:
            whole = self.seen // BLOCK
            while self.owed:
                self._take()
                free = [n for n in self.owed if n >= whole or self.claimed[n] != HELPER or not self.helper.open]
                if free:
                    self._do(max(free))  # the partial last block, and whole ones the helper has not started
                elif self.owed and not self._take(SILENCE):  # only blocks the helper is validating: wait
                    self.helper.stop()  # silent that long: stuck; what it owes is done here
        finally:
            self.helper.stop()
        return self.slots  # every slot is filled here

    def close(self) -> None:
        self.helper.stop()

    def _take(self, timeout: float = 0) -> bool:
        """Use the blocks the helper has sent (waiting up to ``timeout`` for one); True if one came.

        A block sent before the parent has read its records waits for them; one the parent has
        validated meanwhile is dropped."""
        arrived = self._arrived
        came = False
        for number, items in self.helper.poll(timeout):
            arrived[number] = items
            came = True
        whole = self.seen // BLOCK  # blocks before this one hold all their records
        for number in [n for n in arrived if n < whole]:
            items = arrived.pop(number)
            owed = self.owed.get(number)
            if owed is None:
                continue  # validated here meanwhile
            results = [decode(t, rec.source, self._lists) for (_, rec), t in zip(owed, items)]
            if len(items) != len(owed) or any(d is None for d in results):
                self.claimed[number] = PARENT  # not the block expected: validated here
                continue
            del self.owed[number]
            for (slot, _), d in zip(owed, results):
                self.slots[slot] = d
        return came

    def _do(self, number: int) -> None:
        if number < _MAX_BLOCKS:
            self.claimed[number] = PARENT
        for slot, rec in self.owed.pop(number):
            self.slots[slot] = self.validate(rec)


def helper_work(items: Iterator[object], key: tuple[str, str | None, str], claimed: mmap.mmap,
                validate: Callable[[RawRecord], Any]) -> Callable[[Callable[[int, list[Any]], None]], None]:
    """What the helper does: read on through the run and validate every whole block the parent has
    not claimed, oldest first, sending each when done. A partial last block is left to the parent."""

    def work(send: Callable[[int, list[Any]], None]) -> None:
        i = 0
        mine = claim(0)
        done: list[tuple[Any, ...]] = []
        for item in items:
            if not continues(item, key):
                return  # the run ended
            if mine:
                done.append(encode(validate(item)))
                if len(done) == BLOCK:
                    send(i // BLOCK, done)
            i += 1
            if i % BLOCK == 0:
                mine = claim(i // BLOCK)
                done = []

    def claim(number: int) -> bool:
        """Claim block ``number`` unless the parent has, before its first record is read: the records
        of a block the parent validates are not read here, only counted (``StandIns``)."""
        mine = number < _MAX_BLOCKS and claimed[number] == FREE
        if mine:
            claimed[number] = HELPER
        StandIns.on = not mine
        return mine

    return work


# -- the extent scan of a large sheet, in two processes ------------------------------------------
#: sheets whose XML is smaller are scanned in one process (a fork costs more than it saves)
SCAN_SPLIT_MIN = 32 << 20
#: the share of a sheet's buffers the parent scans first; the helper decompresses its way to the
#: rest (decompressing is about a third of the cost of scanning a buffer), so both end together
SCAN_PARENT_SHARE = 0.6


def scan_in_two(zf: zipfile.ZipFile, member: str) -> SheetScan:
    """``extent.scan_sheet(zf, member)``, the buffers shared with a forked helper when it is worth it.

    Why: the scan is a safety check made before the fast reader may see a sheet, while the other
    core has nothing to do (about 0.4 s for 100,000 datasets). The parent scans the first buffers;
    the helper, with its own reading of the file, decompresses past them and scans the rest, and
    sends its ``ScanState``. The parent does not wait: it goes on through the rest itself until
    the helper's state comes, and then merges it (``ScanState.merge``) and drops its own extra
    part. A helper that fails, sends anything else or is slow only costs time; an error in the
    sheet is raised where the one-process scan raises it (the parent then reads that far itself).
    """
    try:
        info = zf.getinfo(member)
        fd = zf.fp.fileno() if zf.fp is not None else -1
    except (KeyError, AttributeError, OSError, ValueError):
        fd = -1
    if fd < 0 or info.file_size < SCAN_SPLIT_MIN or not can_fork():
        return scan_sheet(zf, member)
    first = max(1, int(-(-info.file_size // extent.CHUNK) * SCAN_PARENT_SHARE))
    try:
        own = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY)  # a reading of its own: the zip's position stays the parent's
    except OSError:
        return scan_sheet(zf, member)
    try:
        helper = fork_helper(lambda send: _scan_rest(own, member, first, send), keep=(own,))
    finally:
        os.close(own)
    if helper is None:
        return scan_sheet(zf, member)
    state, extra = ScanState(), ScanState()
    buffers = extent.buffers(zf, member)
    try:
        for i, (buf, skip) in enumerate(buffers):
            if i < first:
                state.feed(buf, skip)
                continue
            theirs = helper.answer(first, _is_state)
            if theirs is not None:
                state.merge(theirs)
                return state.result()
            extra.feed(buf, skip)  # the helper is not done yet: the parent goes on meanwhile
        state.merge(extra)  # the parent reached the end first
        return state.result()
    finally:
        helper.stop()
        buffers.close()


def _is_state(value: Any) -> bool:
    return isinstance(value, ScanState) and isinstance(value.scan, SheetScan)


def _scan_rest(fd: int, member: str, first: int, send: Callable[[int, list[Any]], None]) -> None:
    """In the helper: scan the buffers of ``member`` from ``first`` on and send the state."""
    with os.fdopen(fd, "rb") as fh, zipfile.ZipFile(fh) as zf:
        state = ScanState()
        for i, (buf, skip) in enumerate(extent.buffers(zf, member)):
            if i >= first:
                state.feed(buf, skip)
        send(first, [state])
