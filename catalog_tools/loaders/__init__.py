"""Loaders: files stewards and portals really have → ``RawRecord``s (or notes), never crashes.

``iter_path(path)`` picks the reader by content and extension:
- ``.xlsx``/``.xlsm``/``.xls``/``.ods``: OPDC Template 2/3 sheets or the NSO GD Catalog import workbook;
  a Template 1 sheet (the dataset list tied to a Focus Area) is yielded as one ``DatasetList``;
- ``.csv``/``.tsv``/``.txt``: UTF-8, UTF-8 with BOM, UTF-16, or TIS-620/cp874 (detected);
- ``.json``/``.jsonl``: CKAN package dicts (one, a list, an API response, or JSON lines).
A file that cannot be read at all raises ``InputError`` carrying a one-line ``LoadError``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..fileio import NotRegularFile, require_regular_file, shown_path
from ..model import DatasetList, LoadError, LoadNote, RawRecord
from .common import DEFAULT_LIMITS, MAX_FILE_BYTES, InputError, ReadLimits

__all__ = ["InputError", "ReadLimits", "iter_path", "sniff_kind"]


def sniff_kind(path: Path, head: bytes) -> str:
    """'xlsx', 'xls', 'csv' or 'json' from the first bytes (the extension only breaks ties)."""
    ext = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if ext in (".json", ".jsonl", ".ndjson") or stripped[:1] in (b"{", b"["):
        return "json"
    if ext in (".xlsx", ".xlsm", ".ods"):
        return "broken-xlsx"
    return "csv"


def iter_path(path: str | os.PathLike[str], *, standard: str = "2.2", limits: ReadLimits = DEFAULT_LIMITS,
              jobs: int = 1) -> Iterator[RawRecord | LoadNote | DatasetList]:
    p = Path(path)
    display = shown_path(path)
    try:
        require_regular_file(p)  # before open(): a FIFO would block, a device never ends
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
    except NotRegularFile as exc:
        raise InputError(LoadError(display, exc.message, exc.message_th)) from None
    except FileNotFoundError:
        raise InputError(LoadError(display, "file not found", "ไม่พบไฟล์")) from None
    except PermissionError:
        raise InputError(LoadError(display, "permission denied: the file cannot be read", "ไม่มีสิทธิ์อ่านไฟล์")) from None
    except OSError as exc:
        raise InputError(LoadError(display, f"cannot be read ({exc.strerror or exc.__class__.__name__})", "อ่านไฟล์ไม่ได้")) from None
    if size == 0:
        raise InputError(LoadError(display, "the file is empty", "ไฟล์ว่างเปล่า"))
    if size > MAX_FILE_BYTES:
        raise InputError(LoadError(display, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB; refusing to read it",
                                   "ไฟล์มีขนาดใหญ่เกินกำหนด"))
    kind = sniff_kind(p, head)
    if kind in ("xlsx", "xls"):
        from .workbook import iter_workbook
        yield from iter_workbook(p, display, standard=standard, container=kind, jobs=jobs)
    elif kind == "broken-xlsx":
        raise InputError(LoadError(display, "is not a valid Excel workbook (not a zip/xlsx file)",
                                   "ไม่ใช่ไฟล์ Excel ที่ถูกต้อง"))
    elif kind == "json":
        from .ckan_json import iter_json
        yield from iter_json(p, display, standard=standard)
    else:
        from .csvfile import iter_csv
        yield from iter_csv(p, display, standard=standard, limits=limits)
