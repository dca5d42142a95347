"""Template 1 (ชื่อชุดข้อมูล): the agency's dataset list tied to one Focus Area.

The OPDC form (002:200-255) has four header fields and a table::

    1. Focus Area ที่เกี่ยวข้อง                         | ด้านการบริหารจัดการภาครัฐ
    2. ประเด็นการดำเนินงานภายใต้ Focus Area             | การขับเคลื่อน e-Service ในภาครัฐ
    3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์               | นำไปวางแผนการดำเนินงาน…
    4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์         | สำนักงาน ก.พ.ร. (one per line or comma-separated)

    ภารกิจหลักที่เกี่ยวข้องกับประเด็นดำเนินการ | กระบวนการทำงานหลัก | กระบวนการทำงานย่อย (ถ้ามี) | รหัสชุดข้อมูล | ชุดข้อมูล

A sheet is recognised by these labels, not by its name, wherever they are in the first rows:
a label's value is the next filled cell to its right, the rest of the label's own cell
("1. Focus Area ที่เกี่ยวข้อง ด้านการบริหารจัดการภาครัฐ", as the seed prints it) or the cell
below. The mission and process cells are written once and left blank (or merged) below,
so they carry down. The seed's own table has no id column and several bulleted datasets in
one cell: each bullet is a dataset, matched to Template 2 by title later.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from ..headers import column_letter, find_header, split_label
from ..model import DatasetList, ListedDataset, Source
from ..normalize import clean_text, is_placeholder
from ..schemas_api import fold

#: header field → official label (the template writes these; the reader accepts their starts)
FIELD_LABELS = {
    "focus_area": "1. Focus Area ที่เกี่ยวข้อง",
    "issue": "2. ประเด็นการดำเนินงานภายใต้ Focus Area",
    "goal": "3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์",
    "agencies": "4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์",
}
FIELD_TITLES = {
    "focus_area": ("Focus Area", "Focus Area ที่เกี่ยวข้อง"),
    "issue": ("Issue under the Focus Area", "ประเด็นการดำเนินงานภายใต้ Focus Area"),
    "goal": ("Intended use of the datasets", "เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์"),
    "agencies": ("Agencies expected to use the datasets", "หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์"),
}
#: table column → official header
COLUMN_LABELS = {
    "mission": "ภารกิจหลักที่เกี่ยวข้องกับประเด็นดำเนินการ",
    "process": "กระบวนการทำงานหลัก",
    "subprocess": "กระบวนการทำงานย่อย (ถ้ามี)",
    "id": "รหัสชุดข้อมูล",
    "title": "ชุดข้อมูล",
}

# Folded starts of each header label, longest first where one starts another. The English
# forms are what agencies put in bilingual copies.
_FIELD_STARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("issue", ("ประเด็นการดำเนินงานภายใต้focusarea", "ประเด็นการดำเนินงาน", "ประเด็นการดำเนินการ", "ประเด็น",
               "issueunderthefocusarea", "issue")),
    ("goal", ("เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์", "เป้าหมายการนำข้อมูลไปใช้ประโยชน์", "เป้าหมาย", "intendeduse", "goal")),
    ("agencies", ("หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์", "หน่วยงานที่คาดว่าจะนำข้อมูลไปใช้ประโยชน์",
                  "หน่วยงานที่คาดว่าจะนำ", "หน่วยงานที่นำชุดข้อมูลไปใช้ประโยชน์", "หน่วยงานผู้ใช้ประโยชน์",
                  "agenciesexpectedtousethedatasets", "useragencies", "agencies")),
    ("focus_area", ("focusareaที่เกี่ยวข้อง", "focusarea", "ขอบเขตการนำข้อมูลไปใช้ประโยชน์")),
)
_COLUMN_STARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("subprocess", ("กระบวนการทำงานย่อย", "กระบวนการย่อย", "subprocess", "sub-process")),
    ("process", ("กระบวนการทำงานหลัก", "กระบวนการหลัก", "กระบวนการทำงาน", "mainprocess", "process")),
    ("mission", ("ภารกิจ", "mission")),
    ("id", ("รหัสชุดข้อมูล", "datasetid", "id")),
    ("title", ("ชื่อชุดข้อมูล", "รายชื่อชุดข้อมูล", "ชุดข้อมูล", "datasetname", "datasets", "dataset")),
)
_LABEL_MAX = 160  # a label cell is short; a long text that happens to start with "ประเด็น" is a value
_BULLET = re.compile(r"^\s*(?:[•●◦▪▫■□‣⁃∙·*\-–—]+|\(\s*\d{1,3}\s*\)|\d{1,3}\s*[.)](?!\d))\s*")
_DOTS = re.compile(r"^[\s.…_\-–—•]*$")
_AGENCY_SPLIT = re.compile(r"\s*(?:\n|,|;|、|\(\s*\d{1,2}\s*\))\s*")


@dataclass(slots=True)
class Layout:
    """Where a Template 1 sheet keeps its fields and table (0-based rows and columns)."""

    fields: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # key → (row, col, value)
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # mission/process/subprocess/id/title → col


def _folded_label(text: str) -> str:
    _, label = split_label(text)
    return fold(label)


def _field_of(text: str) -> str | None:
    if len(text) > _LABEL_MAX:
        return None
    key = _folded_label(text)
    for name, starts in _FIELD_STARTS:
        if any(key.startswith(s) for s in starts):
            return name
    return None


def _column_of(text: str) -> str | None:
    if len(text) > _LABEL_MAX:
        return None
    key = fold(_BULLET.sub("", text.strip().splitlines()[0] if text.strip() else ""))
    key = key.replace("(ถ้ามี)", "").replace("(ifany)", "")
    for name, starts in _COLUMN_STARTS:
        # "รหัสชุดข้อมูลตามที่กำหนด…" still names its column; a bare "id" must be exact
        if any(key == s or (len(s) >= 6 and key.startswith(s)) for s in starts):
            return name
    return None


def _table_header(cells: Sequence[Any]) -> dict[str, int] | None:
    """The table columns if ``cells`` is the Template 1 table header, else None."""
    found: dict[str, int] = {}
    for c, v in enumerate(cells):
        if isinstance(v, str) and v.strip():
            name = _column_of(v)
            if name is not None and name not in found:
                found[name] = c
    work = sum(1 for k in ("mission", "process", "subprocess") if k in found)
    if ("title" in found or "id" in found) and work >= 2:
        return found
    return None


def recognise(head: Sequence[Sequence[Any]], standard: str = "2.2", sheet_name: str = "") -> Layout | None:
    """The Template 1 layout of a sheet from its first rows, or None when it is not one.

    A sheet is Template 1 when its table header is there (a dataset column beside at least two
    of mission / main process / sub-process — Template 2 and 3 have none of these), or, without
    a table, when two of the four field labels are and no Template 2/3 header is.
    """
    layout = Layout()
    for r, cells in enumerate(head):
        cols = _table_header(cells)
        if cols is not None:
            layout.header_row, layout.columns = r, cols
            break  # labels are above the table; below it, a title such as "เป้าหมาย…" is data
        for c, v in enumerate(cells):
            if not isinstance(v, str) or not v.strip():
                continue
            name = _field_of(v)
            if name is None or name in layout.fields:
                continue
            layout.fields[name] = _field_value(head, r, c, v)
    if layout.header_row is not None:
        return layout
    if len(layout.fields) >= 2 and "focus_area" in layout.fields and find_header(head, standard, sheet_name) is None:
        return layout
    return None


def _field_value(head: Sequence[Sequence[Any]], r: int, c: int, label_text: str) -> tuple[int, int, str]:
    """(row, column, value) of a field: the rest of its label cell, the next filled cell right,
    or the cell below; a blank field points at the cell right of its label, where it belongs."""
    rest = _after_label(label_text)
    if rest:
        return r, c, rest
    row = head[r]
    for j in range(c + 1, len(row)):
        v = row[j]
        if v == label_text:
            continue  # the label merged over several columns
        text = clean_text(v) if v is not None else ""
        if text:
            return (r, c + 1, "") if (isinstance(v, str) and _field_of(v)) else (r, j, text)
    if r + 1 < len(head):
        below = head[r + 1]
        if c < len(below) and below[c] is not None:
            v = below[c]
            text = clean_text(v)
            if text and not (isinstance(v, str) and (_field_of(v) or _column_of(v))):
                return r + 1, c, text
    return r, c + 1, ""


def _after_label(text: str) -> str:
    """``"1. Focus Area ที่เกี่ยวข้อง ด้านการบริหารจัดการภาครัฐ"`` → ``"ด้านการบริหารจัดการภาครัฐ"``."""
    first, _, more = str(text).strip().partition("\n")
    number, label = split_label(first)
    folded_label = fold(label)
    best = ""
    for _, starts in _FIELD_STARTS:
        for s in starts:
            if folded_label.startswith(s) and len(s) > len(best):
                best = s
    if not best:
        return ""
    # walk the raw label, folding as we go, until the folded official start is consumed
    i = consumed = 0
    while i < len(label) and consumed < len(best):
        f = fold(label[i])
        if f:
            if not best.startswith(f, consumed):
                break
            consumed += len(f)
        i += 1
    rest = label[i:] if consumed >= len(best) else ""
    # what is left after the longest start may still be the rest of a longer label ("…ที่เกี่ยวข้อง")
    rest = rest.lstrip(" :：-–—\t")
    if more.strip():
        rest = (rest + "\n" + more).strip()
    return clean_text(rest)


def split_agencies(value: str) -> list[str]:
    """Agencies one per line, comma-separated or numbered "(1) … (2) …" → a list."""
    out = []
    for part in _AGENCY_SPLIT.split(value or ""):
        part = _BULLET.sub("", part).strip()
        if part and not is_placeholder(part) and not _DOTS.match(part):
            out.append(part)
    return out


def _lines(value: Any) -> list[str]:
    """A dataset cell's entries: one per line or bullet; placeholders ("-", "....") dropped."""
    if value is None:
        return []
    text = clean_text(value)
    if not text:
        return []
    parts = text.split("\n")
    if len(parts) == 1 and text.count("•") > 1:  # "• A • B" on one line
        parts = text.split("•")
    out = []
    for p in parts:
        p = _BULLET.sub("", p).strip()
        if p and not _DOTS.match(p) and not is_placeholder(p):
            out.append(p)
    return out


def _carry(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_text(value)
    if not text or _DOTS.match(text) or is_placeholder(text):
        return None
    return text


class _MergedTails:
    """Cells of the id and title columns that are inside a merged range but not its first row.

    The workbook stream fills merged cells from their top-left value (right for an organisation
    over many Template 2 rows); in Template 1 a dataset merged over two rows is still one dataset.
    """

    def __init__(self, merged: Iterable[Any], columns: Iterable[int]) -> None:
        cols = set(columns)
        spans: dict[int, list[tuple[int, int]]] = {}
        for (r0, c0), (r1, c1) in merged or ():
            for c in cols:
                if c0 <= c <= c1 and r1 > r0:
                    spans.setdefault(c, []).append((r0 + 1, r1))  # rows after the first
        self._starts = {c: [s for s, _ in sorted(v)] for c, v in spans.items()}
        self._spans = {c: sorted(v) for c, v in spans.items()}

    def __contains__(self, rc: tuple[int, int]) -> bool:
        r, c = rc
        starts = self._starts.get(c)
        if not starts:
            return False
        i = bisect.bisect_right(starts, r) - 1
        # spans may overlap in a hostile file: look back over the few that start before r
        for j in range(i, max(-1, i - 8), -1):
            s, e = self._spans[c][j]
            if s <= r <= e:
                return True
        return False


def read_list(layout: Layout, rows: Iterable[Sequence[Any]], *, path: str, sheet: str,
              merged: Iterable[Any] = ()) -> Iterator[DatasetList]:
    """Yield the sheet's ``DatasetList`` — nothing when the form is entirely blank.

    ``rows`` is the whole sheet from its first row (a stream; it is read once). An unfilled
    form (the blank template) is not a list: it is left out rather than reported as empty.
    """
    prefix = f"{sheet}!"
    dl = DatasetList(Source(path, sheet), has_id_column="id" in layout.columns)
    for key, (r, c, value) in layout.fields.items():
        dl.cells[key] = f"{prefix}{column_letter(c)}{r + 1}"
        if key == "agencies":
            dl.values[key] = split_agencies(value)
        else:
            dl.values[key] = _carry(value)
    cols = layout.columns
    if layout.header_row is not None:
        dl.header_row = layout.header_row + 1
        tails = _MergedTails(merged, [cols[k] for k in ("id", "title") if k in cols])
        dl.entries = list(_entries(rows, layout.header_row, cols, prefix, tails))
    if not dl.entries and not any(dl.values.get(k) for k in FIELD_LABELS):
        return
    yield dl


def _entries(rows: Iterable[Sequence[Any]], header_row: int, cols: dict[str, int], prefix: str,
             tails: _MergedTails) -> Iterator[ListedDataset]:
    mission = process = subprocess = None
    id_col, title_col = cols.get("id"), cols.get("title")
    id_letter = column_letter(id_col) if id_col is not None else None
    title_letter = column_letter(title_col) if title_col is not None else None
    header_texts: set[str] = set()
    for r, cells in enumerate(rows):
        if r < header_row:
            continue
        n = len(cells)

        def cell(name: str) -> Any:
            c = cols.get(name)
            return cells[c] if c is not None and c < n else None

        marker = cell("title") if title_col is not None else cell("id")
        if r == header_row:
            header_texts.add(fold(str(marker)))
            continue
        if isinstance(marker, str) and fold(marker) in header_texts and _table_header(cells) is not None:
            continue  # the header repeated (a printed form pasted twice)
        m, p, s = _carry(cell("mission")), _carry(cell("process")), _carry(cell("subprocess"))
        # a merged cell comes back filled on every row it covers: only a new value starts a new block
        if m is not None and m != mission:
            mission, process, subprocess = m, None, None
        if p is not None and p != process:
            process, subprocess = p, None
        if s is not None:
            subprocess = s
        ids = [] if id_col is None or (r, id_col) in tails else _lines(cell("id"))
        titles = [] if title_col is None or (r, title_col) in tails else _lines(cell("title"))
        if not ids and not titles:
            continue
        if len(ids) > 1 and len(titles) <= 1 and titles:
            ids = [" ".join(ids)]  # one dataset whose id was wrapped over lines
        if len(titles) > 1 and len(ids) == 1:
            titles = [" ".join(titles)]  # one dataset whose name was wrapped over lines
        excel_row = r + 1
        for k in range(max(len(ids), len(titles))):
            yield ListedDataset(
                id=ids[k] if k < len(ids) else None, title=titles[k] if k < len(titles) else None, row=excel_row,
                id_cell=f"{prefix}{id_letter}{excel_row}" if id_letter else None,
                title_cell=f"{prefix}{title_letter}{excel_row}" if title_letter else None,
                mission=mission, process=process, subprocess=subprocess)
