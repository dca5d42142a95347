"""Safe file handling for every command: inputs are only ever read, outputs appear whole or not at all.

Three promises live here, in one place, so every command keeps them the same way:

- **An input is never overwritten.** ``check_paths`` refuses an output path that is an input —
  the same path, the same file through a symlink, or a hard link to it (same device and inode) —
  before anything is read or written.
- **An input that would block is refused.** ``require_regular_file`` checks with ``stat`` (which
  never blocks) that an input is a regular file: opening a FIFO waits for a writer forever, and a
  device or folder is not a catalog.
- **No partial output file.** ``atomic_write`` writes to a temporary file in the target's folder
  and renames it over the target only when everything was written; on any failure the temporary
  file is removed and the old target (if any) is untouched. A rename within one folder is atomic
  on POSIX filesystems, so a reader sees the old file or the new one, never half of one.

Messages name paths with ``shown_path`` so a file name holding a new line or a terminal escape
cannot split or forge the one-line error.
"""
from __future__ import annotations

import io
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

from .textsafe import path_text

__all__ = ["PathClash", "NotRegularFile", "atomic_write", "check_paths", "output_pairs", "require_regular_file", "save_workbook", "shown_path",
           "write_output"]


class PathClash(ValueError):
    """An output path is one of the inputs (or another output); nothing was read or written."""


class NotRegularFile(ValueError):
    """An input is a FIFO, device, socket or folder; it was not opened."""

    def __init__(self, path: str, message: str, message_th: str) -> None:
        super().__init__(f"{message} — {message_th}")
        self.path = path
        self.message = message
        self.message_th = message_th


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path for a one-line message: control characters escaped, quoted when it has any.

    ``'data\\nfake error.csv'`` stays on one line; a plain path is shown as it is.
    """
    text = path_text(os.fsdecode(path))  # bytes that are not UTF-8 as \\xff: never a lone surrogate
    if text.isprintable() and text.strip() == text and text:
        return text
    return repr(text)


def _identity(path: str | os.PathLike[str]) -> tuple[str, tuple[int, int] | None]:
    """(resolved path, (st_dev, st_ino) or None when the file does not exist)."""
    resolved = os.path.realpath(os.fspath(path))
    try:
        st = os.stat(resolved)
    except OSError:
        return resolved, None
    return resolved, (st.st_dev, st.st_ino)


def check_paths(inputs: Iterable[str | os.PathLike[str] | None],
                outputs: Iterable[tuple[str, str | os.PathLike[str] | None]]) -> None:
    """Refuse any output that is an input (or another output), before anything is opened.

    ``outputs`` are ``(option name, path)`` pairs, e.g. ``("--output", "report.csv")``; ``None``
    paths (stdout, option not given) are skipped. Raise ``PathClash`` with a one-line message.
    A character device (``-o /dev/null``, ``/dev/stdout``) is never an input clash.
    """
    known = [(f"input {shown_path(p)}", *_identity(p)) for p in inputs if p is not None and os.fspath(p) != "-"]
    seen_outputs: list[tuple[str, str, tuple[int, int] | None]] = []
    for option, out in outputs:
        if out is None:
            continue
        resolved, ident = _identity(out)
        try:
            if ident is not None and stat.S_ISCHR(os.stat(resolved).st_mode):
                continue
        except OSError:
            pass
        for label, other, other_ident in (*known, *seen_outputs):
            if resolved == other or (ident is not None and ident == other_ident):
                raise PathClash(f"{option} {shown_path(out)} is the {label}; refusing to overwrite it — "
                                f"ไม่เขียนทับไฟล์ {shown_path(out)} เพราะเป็นไฟล์เดียวกับ{_thai(label)} กรุณาเลือกไฟล์ผลลัพธ์อื่น")
        seen_outputs.append((f"file given to {option}", resolved, ident))


def _thai(label: str) -> str:
    return "ไฟล์นำเข้า" if label.startswith("input") else "ไฟล์ผลลัพธ์อื่น"


def require_regular_file(path: str | os.PathLike[str]) -> None:
    """Raise ``NotRegularFile`` unless ``path`` is a regular file (``FileNotFoundError`` passes through).

    Checked with ``stat``, which never blocks — opening a FIFO with no writer would wait forever.
    """
    st = os.stat(path)
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return
    shown = shown_path(path)
    if stat.S_ISDIR(mode):
        raise NotRegularFile(shown, "is a directory, not a file", "เป็นโฟลเดอร์ ไม่ใช่ไฟล์")
    kind, kind_th = (("a named pipe (FIFO)", "ท่อข้อมูล (FIFO)") if stat.S_ISFIFO(mode) else
                     ("a device", "อุปกรณ์") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                     ("a socket", "ซ็อกเก็ต") if stat.S_ISSOCK(mode) else ("not a regular file", "ไฟล์พิเศษ"))
    raise NotRegularFile(shown, f"is {kind}, not a regular file; refusing to read it",
                         f"เป็น{kind_th} ไม่ใช่ไฟล์ปกติ จึงไม่อ่าน")


class InputTooLarge(ValueError):
    """An input is larger than the reader accepts; it was not read."""


def read_input_bytes(path: str | os.PathLike[str], *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, checked before reading.

    Why: a whole-file reader (JSON, a CSV list) given a FIFO waits forever, and given a file of
    many gigabytes takes the machine's memory; both are refused here in one line instead.
    ``NotRegularFile``, ``InputTooLarge`` or ``OSError``.
    """
    require_regular_file(path)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(f"is larger than {max_bytes // (1024 * 1024)} MiB; refusing to read it — "
                            f"ไฟล์ใหญ่เกิน {max_bytes // (1024 * 1024)} MiB จึงไม่อ่าน")
    return data


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success rename it over ``path``, else remove it.

    Text mode writes strict UTF-8 (an unencodable character fails the write instead of being
    mangled). An existing target keeps its permission bits; a new one gets the usual ``0666 &
    ~umask``. A target that exists and is not a regular file (``/dev/null``, a FIFO a script reads
    from) cannot be replaced by a rename: it is written directly.
    """
    target = os.path.realpath(os.fspath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _wrap(open(target, "wb"), binary) as fh:
            yield fh
        return
    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder or ".")
    try:
        with _wrap(os.fdopen(fd, "wb"), binary) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _wrap(raw: IO[bytes], binary: bool) -> IO[Any]:
    return raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: str | os.PathLike[str], produced: str | bytes | Iterable[str] | Iterable[bytes]) -> None:
    """Write text, bytes or an iterable of chunks (all text, or all UTF-8 bytes) to ``path`` atomically."""
    if isinstance(produced, bytes):
        with atomic_write(path, binary=True) as fh:
            fh.write(produced)
        return
    if isinstance(produced, str):
        with atomic_write(path) as fh:
            fh.write(produced)
        return
    chunks = iter(produced)
    first = next(chunks, "")
    with atomic_write(path, binary=isinstance(first, bytes)) as fh:
        fh.write(first)
        fh.writelines(chunks)


def output_pairs(**named: str | os.PathLike[str] | None) -> Sequence[tuple[str, str | os.PathLike[str] | None]]:
    """``output_pairs(output=p, log=q)`` → ``[("--output", p), ("--log", q)]`` for ``check_paths``."""
    return [(f"--{k.replace('_', '-')}", v) for k, v in named.items()]


def save_workbook(wb: object, path: str | os.PathLike[str]) -> None:
    """Save an openpyxl workbook to ``path`` atomically.

    The zip is built in memory first and then written with ``atomic_write``: when the disk is
    full, the error comes from our own write. openpyxl also spools sheets through temporary
    files; when one of those writes fails, the half-built archive is closed here — left open,
    ``ZipFile.__del__`` would print ``Exception ignored … Traceback`` at exit.
    """
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    archive = ZipFile(buf, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()  # what ``wb.save`` does, but the archive is closed on failure too
    except BaseException:
        archive.close()  # in memory: cannot fail, and nothing is left for ``ZipFile.__del__``
        raise
    with atomic_write(path, binary=True) as fh:
        fh.write(buf.getbuffer())
