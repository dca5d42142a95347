"""CSV exports of Template 2/3: encoding and delimiter are detected, not asked for.

Older Thai Excel saves CSV in TIS-620/cp874; newer in UTF-8 (often with a BOM); "Unicode
text" exports are UTF-16. We try the BOMs, then strict UTF-8, then cp874 — cp874 leaves a
few bytes undefined, so random binary is rejected rather than read as Thai mojibake.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Iterator

from ..headers import HeaderMatch, column_letter, find_header
from ..messages import make_finding
from ..model import LoadError, LoadNote, RawRecord, Source
from ..textsafe import path_text
from .common import DEFAULT_LIMITS, InputError, ReadLimits, no_data_note, rows_to_records


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


def iter_csv(path: Path, display: str, *, standard: str, limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[RawRecord | LoadNote]:
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
    rows, spans = _read_rows(text, dialect, display, limits)
    del text
    header = find_header(rows, standard, path.stem)
    if header is None:
        raise InputError(LoadError(display, "no Template 2 or Template 3 header row was recognised in the CSV file",
                                   "ไม่พบแถวหัวตารางของ Template 2 หรือ Template 3 ในไฟล์ CSV"))
    name = path_text(path.name)  # the "sheet" of a CSV file: its name, as valid text
    yield from _swallowed_rows(rows, spans, header, dialect.delimiter, display, name)
    records = 0
    for item in rows_to_records(rows, header, path=display, sheet=name, standard=standard):
        records += isinstance(item, RawRecord)
        yield item
    if records == 0:
        yield no_data_note(display)


def _read_rows(text: str, dialect: type[csv.Dialect] | csv.Dialect, display: str,
               limits: ReadLimits) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """All rows, and for each the first and last physical line it was read from.

    Bounded: a physical line longer than ``max_line_chars``, a value longer than
    ``max_field_chars`` or a row of more than ``max_columns`` values ends the read with one line
    (a 200 MB one-line file used to become millions of strings and 3 GB).
    """
    csv.field_size_limit(limits.max_field_chars)
    reader = csv.reader(_bounded_lines(io.StringIO(text, newline=""), limits.max_line_chars, display), dialect)
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    first = 1
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                raise InputError(LoadError(
                    display, f"line {first:,} has {len(row):,} values; more than max_columns ({limits.max_columns:,})",
                    f"บรรทัดที่ {first:,} มี {len(row):,} ค่า เกินจำนวนคอลัมน์สูงสุด ({limits.max_columns:,})"))
            rows.append(row)
            spans.append((first, reader.line_num))
            first = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise InputError(LoadError(
                display, f"near line {reader.line_num:,} a value is longer than max_field_chars "
                         f"({limits.max_field_chars:,} characters; an Excel cell holds 32,767) — is a quote left open?",
                f"ใกล้บรรทัดที่ {reader.line_num:,} มีค่าที่ยาวเกิน {limits.max_field_chars:,} ตัวอักษร "
                "(อาจมีเครื่องหมายคำพูดที่ไม่ได้ปิด)")) from None
        raise InputError(LoadError(display, f"is not valid CSV near line {reader.line_num:,} ({exc})",
                                   "รูปแบบ CSV ไม่ถูกต้อง")) from None
    return rows, spans


def _bounded_lines(lines: Iterable[str], limit: int, display: str) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if len(line) > limit:
            raise InputError(LoadError(
                display, f"line {number:,} is longer than max_line_chars ({limit:,} characters); refusing to read it",
                f"บรรทัดที่ {number:,} ยาวเกิน {limit:,} ตัวอักษร จึงไม่อ่านไฟล์นี้"))
        yield line


def _swallowed_rows(rows: list[list[str]], spans: list[tuple[int, int]], header: HeaderMatch, delimiter: str,
                    display: str, name: str) -> Iterator[LoadNote]:
    """A ``csv_quote`` note for each row whose cell took in lines that look like rows of their own.

    A quote opened and never closed makes the CSV reader read on — across line ends — until the
    next quote, so the rows in between vanish into one cell. A real multi-line cell (a
    description with line breaks) has lines of text; swallowed rows have about as many
    delimiters as the header has columns.
    """
    need = max(2, (max(header.columns, default=1) + 1) // 2)
    for i, (row, (first, last)) in enumerate(zip(rows, spans)):
        if first == last or i <= header.row:
            continue
        for c, value in enumerate(row):
            if "\n" not in value:
                continue
            inner = value.replace("\r\n", "\n").split("\n")[1:]
            count = sum(1 for line in inner if line.count(delimiter) >= need)
            if count:
                yield LoadNote(make_finding(
                    "csv_quote", value=value.split("\n", 1)[0], location=f"{name}!{column_letter(c)}{i + 1}",
                    source=Source(display, name, i + 1), row=f"{i + 1:,}", extra=f"{first:,}–{last:,}",
                    column=column_letter(c), count=f"{count:,}"))
                break
