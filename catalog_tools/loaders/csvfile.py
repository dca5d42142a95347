"""CSV exports of Template 2/3: encoding and delimiter are detected, not asked for.

Older Thai Excel saves CSV in TIS-620/cp874; newer in UTF-8 (often with a BOM); "Unicode
text" exports are UTF-16. We try the BOMs, then strict UTF-8, then cp874 — cp874 leaves a
few bytes undefined, so random binary is rejected rather than read as Thai mojibake.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from ..headers import find_header
from ..model import LoadError, LoadNote, RawRecord
from .common import InputError, no_data_note, rows_to_records

csv.field_size_limit(16 * 2**20)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or raise ValueError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 saved without a byte-order mark: NULs sit in every other byte of ASCII text.
        head = data[:4096]
        odd, even = head[1::2].count(0), head[0::2].count(0)
        for enc, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if nuls >= 4 and other == 0 and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    break
                sample = text[:2048]
                if sum(ch.isprintable() or ch in "\r\n\t" for ch in sample) >= 0.98 * len(sample):
                    return text, enc
                break
        raise ValueError("binary data (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        raise ValueError("neither UTF-8 nor TIS-620/cp874 text") from None
    return text, "cp874"


def iter_csv(path: Path, display: str, *, standard: str) -> Iterator[RawRecord | LoadNote]:
    try:
        text, _encoding = decode(path.read_bytes())
    except ValueError as exc:
        raise InputError(LoadError(display, f"cannot be read as CSV text: {exc}", "อ่านไฟล์ CSV ไม่ได้ (รหัสอักขระไม่ถูกต้อง)")) from None
    except OSError as exc:
        raise InputError(LoadError(display, f"cannot be read ({exc.strerror})", "อ่านไฟล์ไม่ได้")) from None
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise InputError(LoadError(display, f"is not valid CSV ({exc})", "รูปแบบ CSV ไม่ถูกต้อง")) from None
    header = find_header(rows, standard, path.stem)
    if header is None:
        raise InputError(LoadError(display, "no Template 2 or Template 3 header row was recognised in the CSV file",
                                   "ไม่พบแถวหัวตารางของ Template 2 หรือ Template 3 ในไฟล์ CSV"))
    records = 0
    for item in rows_to_records(rows, header, path=display, sheet=path.name, standard=standard):
        records += isinstance(item, RawRecord)
        yield item
    if records == 0:
        yield no_data_note(display)
