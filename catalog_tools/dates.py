"""Reading dates as Thai stewards write them.

Workbooks (Template 3) give dates as ``YYYY-MM-DD`` in the Buddhist Era (พ.ศ. = CE + 543);
CKAN stores Gregorian ``YYYY-MM-DD``. Excel date cells are real dates (Gregorian inside the
file, whatever the display calendar) — unless a steward typed a BE year into one: a date
cell in a workbook with a year of 2400 or later is read as BE and flagged (``be_in_cell``). We also read ``DD/MM/YYYY`` and Thai month names.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

BE_OFFSET = 543
BE_THRESHOLD = 2400  # a year at or above this is taken as Buddhist Era

_THAI_MONTHS = {
    "มกราคม": 1, "ม.ค.": 1, "มค": 1,
    "กุมภาพันธ์": 2, "ก.พ.": 2, "กพ": 2,
    "มีนาคม": 3, "มี.ค.": 3, "มีค": 3,
    "เมษายน": 4, "เม.ย.": 4, "เมย": 4,
    "พฤษภาคม": 5, "พ.ค.": 5, "พค": 5,
    "มิถุนายน": 6, "มิ.ย.": 6, "มิย": 6,
    "กรกฎาคม": 7, "ก.ค.": 7, "กค": 7,
    "สิงหาคม": 8, "ส.ค.": 8, "สค": 8,
    "กันยายน": 9, "ก.ย.": 9, "กย": 9,
    "ตุลาคม": 10, "ต.ค.": 10, "ตค": 10,
    "พฤศจิกายน": 11, "พ.ย.": 11, "พย": 11,
    "ธันวาคม": 12, "ธ.ค.": 12, "ธค": 12,
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_THAI = re.compile(r"^(\d{1,2})\s*([ก-๙.]+)\s*(?:พ\.ศ\.\s*)?(\d{2}|\d{4})$")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date: ``iso`` is Gregorian; ``era_note`` explains a doubtful era, if any."""

    iso: str
    era_note: str | None = None  # "ce_in_sheet" | "be_in_ckan" | "be_in_cell" | "be_in_cell_ambiguous"


def _be_cell(day: dt.date) -> ParsedDate:
    """An Excel date cell whose year is Buddhist Era (a steward typed 30/9/2566 into a date cell).

    Excel keeps the year as typed, so the cell says 2566-09-30, which CKAN would store as the
    year 2566. The Gregorian date is 543 years earlier; when that date does not exist (29
    February of a BE leap year that is not a Gregorian one, e.g. 2564-02-29 → 2021) the
    conversion is ambiguous: ``iso`` is then empty and the value is not used.
    """
    try:
        return ParsedDate(day.replace(year=day.year - BE_OFFSET).isoformat(), "be_in_cell")
    except ValueError:
        return ParsedDate("", "be_in_cell_ambiguous")


def parse_date(value: object, *, origin: str) -> ParsedDate | None:
    """Parse ``value`` read from a sheet (BE text) or CKAN (Gregorian); None if unparsable."""
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if origin == "sheet" and day.year >= BE_THRESHOLD:
            return _be_cell(day)
        return ParsedDate(day.isoformat())
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.match(text)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            m = _THAI.match(text)
            if not m or m.group(2).replace(" ", "") not in _THAI_MONTHS:
                return None
            d, mo, y = int(m.group(1)), _THAI_MONTHS[m.group(2).replace(" ", "")], int(m.group(3))
        if y < 100:  # two-digit years are Buddhist Era in Thai usage: 65 → 2565
            y += 2500
    note = None
    if origin == "sheet":
        if y >= BE_THRESHOLD:
            y -= BE_OFFSET
        else:
            note = "ce_in_sheet"
    elif y >= BE_THRESHOLD:
        note = "be_in_ckan"
        y -= BE_OFFSET
    try:
        return ParsedDate(dt.date(y, mo, d).isoformat(), note)
    except ValueError:
        return None


def sheet_date(iso: str) -> str:
    """A Gregorian ISO date as a workbook writes it: ``YYYY-MM-DD`` in the Buddhist Era."""
    y, rest = iso.split("-", 1)
    return f"{int(y) + BE_OFFSET:04d}-{rest}"
