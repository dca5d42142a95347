"""How big a worksheet really is, found cheaply before any reader builds a grid of it.

Excel readers (calamine among them) turn a sheet into a dense rectangle from A1 to its farthest
cell. One cell at ``XFD1048576`` in a 2 KB file then asks for 17 billion cells: the Rust reader
aborts the whole process. The ``<dimension>`` element cannot be trusted (it is optional and may
lie), so the sheet XML itself is scanned, streamed in chunks, for the references that make a grid
large: a column at or beyond ``BA`` (column 53) or a row at or beyond 100,000, and cells written
without a reference (their place is implicit, so their extent cannot be bounded from refs).

Normal sheets have none of these; the scan costs one decompression and two regex passes that
match nothing (about a quarter of what the fast reader itself spends; docs/performance.md). When a sheet could be too large for a dense grid it is read another, bounded way
(``workbook._sparse_rows``); the cells beyond the limits are counted and reported, never dropped
silently.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generator, Iterator
from xml.etree import ElementTree

from ..headers import column_letter

#: Excel's own limits: a real .xlsx never goes beyond them.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
#: the largest dense grid (cells) handed to the fast reader whatever the sheet holds: about 0.5 GB in calamine
MAX_GRID_CELLS = 16_000_000
#: a larger grid, up to Excel's rows × 32 columns (about 1 GB), only when at least a quarter of it
#: is real cells: a full sheet of a million datasets is read by the fast reader, one far cell is not
MAX_DENSE_CELLS = 1_048_576 * 32
DENSE_SHARE = 4
#: columns read by the bounded reader; Template 2/3 use about 30
SPARSE_MAX_COLS = 1_024

_NEAR_ROWS = 99_999  # without a 6-digit row reference, no row is beyond this
_NEAR_COLS = 52  # without a reference at BA or beyond, no column is beyond AZ
# Most buffers hold neither a far reference nor a 2-letter column: one failing pass. A sheet of a
# million rows has a far reference in every cell, so what follows builds no match per cell: a
# second failing pass looks for what is new — a 2-letter column, a row of 7 digits, or a row of
# 6 digits whose first digit is above the largest seen (rows of 6 digits are bounded by their
# first digit: 654,321 counts as 699,999) — and only then are the references looked at one by one
# (those at a column from BA or a row of 7 digits: the far ones, and the ones beyond the readers).
_FAR_OR_WIDE = re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{6})')
_VERY_FAR_REF = re.compile(rb'r="([A-Z]{3}|[B-Z][A-Z]|[A-Z]{0,2}(?=\d{7}))(\d*)"')
_WIDE = re.compile(rb'r="[A-Z]{2}')
_NEW = [re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{7}|[A-Z]?[%d-9]\d{5}")' % (d + 1)) for d in range(9)] + \
    [re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{7})')]
_ROW6_ABOVE = [re.compile(rb'r="[A-Z]{0,2}([%d-9])\d{5}"' % (d + 1)) for d in range(9)]
# cells without an r="…" reference as their first attribute: their place is implicit. (Rows
# without one do not matter: a cell's place comes from its own reference when it has one.) The
# pattern starts with a literal, which the regex engine finds at C speed.
_UNNUMBERED_CELL = re.compile(rb'<c[ >/](?!r=")')
_REF = re.compile(r"([A-Z]*)(\d*)")
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
CHUNK = 1 << 20  # bytes of the sheet XML per buffer
_OVERLAP = 64

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(slots=True)
class SheetScan:
    """What the scan of one sheet found. Rows and columns are 1-based."""

    far_row: int = 0  # the largest row from 100,000 (rows of 6 digits: bounded by their first digit; 0: none)
    far_col: int = 0  # the largest column from BA or in a row of 7 digits (0: none)
    unnumbered: bool = False  # cells without a reference
    beyond: int = 0  # references beyond what any reader here takes (row > Excel's last, column > SPARSE_MAX_COLS)
    first_beyond: str = ""  # the first of them, e.g. "XFD1048576"
    wide: bool = False  # a reference with a 2-letter column (AA or beyond); without one no column is beyond Z
    far_cells: int = 0  # cells written in the parts of the sheet that hold far references

    @property
    def grid_bound(self) -> int:
        """An upper bound of the dense grid a reader would allocate (cells)."""
        return max(self.far_row, _NEAR_ROWS) * max(self.far_col, _NEAR_COLS if self.wide else 26)

    @property
    def dense_ok(self) -> bool:
        """True when a dense reader can take the sheet: bounded, and not larger than ``MAX_GRID_CELLS``
        unless the sheet really fills a quarter of a grid up to ``MAX_DENSE_CELLS``."""
        bound = self.grid_bound
        return not self.unnumbered and (bound <= MAX_GRID_CELLS or (
            bound <= MAX_DENSE_CELLS and self.far_cells * DENSE_SHARE >= bound))


def column_index(letters: str) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int]:
    """``"XFD1048576"`` → (1048576, 16384); a missing part is 0."""
    m = _REF.fullmatch(ref)
    if m is None:
        return 0, 0
    letters, digits = m.groups()
    return (int(digits) if digits else 0), column_index(letters)


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML, from ``xl/workbook.xml`` and its relationships.

    Only what is needed to find the parts; a workbook whose parts cannot be found this way gives
    an empty mapping and is left to the reader (which then reports it).
    """
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets: dict[str | None, str] = {}
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        target = rel.get("Target") or ""
        targets[rel.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                  else posixpath.normpath(posixpath.join("xl", target)))
    out: dict[str, str] = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_NS_REL}id"))
        name = sheet.get("name")
        if part and name is not None:
            out[name] = part
    return out


def scan_sheet(zf: zipfile.ZipFile, member: str) -> SheetScan:
    """Stream the sheet XML once and find what would make a dense grid of it large."""
    state = ScanState()
    for buf, skip in buffers(zf, member):
        state.feed(buf, skip)
    return state.result()


@dataclass(slots=True)
class ScanState:
    """A scan in progress: what the buffers fed so far hold.

    Each buffer's part in the result does not depend on the buffers before it (``first_digit``
    only spares passes that would find nothing new), so two states fed the two parts of a sheet's
    buffers, split at a buffer boundary, merge into the state of the whole (``merge``): the sheet
    can be scanned by two processes (``catalog_tools.shard.scan_in_two``).
    """

    scan: SheetScan = field(default_factory=SheetScan)
    first_digit: int = 0  # of the largest 6-digit row seen (0: none)

    def feed(self, buf: bytes, skip: int) -> None:
        scan = self.scan
        if _FAR_OR_WIDE.search(buf) is not None:
            # cells where the far references are: what makes a large grid worth reading densely
            scan.far_cells += buf.count(b"<c ", max(skip - 2, 0))  # a tag cut by the previous buffer's end counts here
            if _NEW[self.first_digit].search(buf) is not None:
                if not scan.wide and _WIDE.search(buf) is not None:
                    scan.wide = True
                _very_far(scan, buf, skip)
                while self.first_digit < 9 and (m := _ROW6_ABOVE[self.first_digit].search(buf)) is not None:
                    self.first_digit = int(m.group(1))
        if not scan.unnumbered:
            scan.unnumbered = _has_unnumbered(buf)

    def merge(self, later: ScanState) -> None:
        """Add what ``later`` found in the buffers that follow this state's."""
        a, b = self.scan, later.scan
        a.far_row = max(a.far_row, b.far_row)
        a.far_col = max(a.far_col, b.far_col)
        a.unnumbered = a.unnumbered or b.unnumbered
        a.beyond += b.beyond
        a.first_beyond = a.first_beyond or b.first_beyond
        a.wide = a.wide or b.wide
        a.far_cells += b.far_cells
        self.first_digit = max(self.first_digit, later.first_digit)

    def result(self) -> SheetScan:
        scan = self.scan
        if self.first_digit:
            scan.far_row = max(scan.far_row, (self.first_digit + 1) * 100_000 - 1)
        return scan


def _very_far(scan: SheetScan, buf: bytes, skip: int) -> None:
    """References at a column from BA or a row of 7 digits, one by one: exact extent, cells beyond the readers."""
    for m in _VERY_FAR_REF.finditer(buf):
        if m.end() <= skip:
            continue  # wholly inside the overlap: seen in the previous buffer
        letters, digits = m.groups()
        row, col = (int(digits) if digits else 0), column_index(letters.decode("ascii"))
        if row > scan.far_row:
            scan.far_row = row
        if col > scan.far_col:
            scan.far_col = col
        if letters and (row > EXCEL_MAX_ROWS or col > SPARSE_MAX_COLS):  # a cell, not a row
            scan.beyond += 1
            if not scan.first_beyond:
                scan.first_beyond = (letters + digits).decode("ascii")


def _has_unnumbered(buf: bytes) -> bool:
    # a tag cut by the buffer's end looks unnumbered; it is seen whole at the start of the next
    # buffer (a sheet always ends with "</worksheet>", so the last buffer never ends in a tag)
    end = len(buf) - 4
    return any(m.end() <= end for m in _UNNUMBERED_CELL.finditer(buf))


def buffers(zf: zipfile.ZipFile, member: str) -> Generator[tuple[bytes, int], None, None]:
    """The member's bytes in 1 MiB buffers, each starting with the last bytes of the one before
    (so a reference cut by a boundary is seen whole), and how many of those leading bytes repeat."""
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                return
            buf = tail + chunk
            yield buf, len(tail)
            tail = buf[-_OVERLAP:]


def merged_ranges(zf: zipfile.ZipFile, member: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges of a sheet as 0-based ((r0, c0), (r1, c1)), as calamine gives them."""
    out = []
    for buf, skip in buffers(zf, member):
        for m in _MERGE.finditer(buf):
            if m.end() <= skip:
                continue
            r0, c0 = parse_ref(m.group(1).decode("ascii"))
            r1, c1 = parse_ref((m.group(2) or m.group(1)).decode("ascii"))
            if r0 and c0 and r1 >= r0 and c1 >= c0:
                out.append(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)))
    return out


Merge = tuple[tuple[int, int], tuple[int, int]]


def clip_merges(merges: list[Merge] | tuple[Merge, ...], n_rows: int, n_cols: int) -> tuple[list[Merge], int]:
    """Merged ranges clipped to the data extent (``n_rows`` × ``n_cols``) and how many were dropped.

    Ranges wholly outside the data, or one cell once clipped, are dropped silently (nothing to
    fill). Valid merged ranges never overlap, so their clipped areas add up to at most the
    extent; ranges beyond that budget overlap others and are dropped and counted. Work and memory
    are therefore bounded by the data, never by what the ranges claim.
    """
    budget = n_rows * n_cols
    used = ignored = 0
    kept: list[Merge] = []
    for (r0, c0), (r1, c1) in merges:
        r1, c1 = min(r1, n_rows - 1), min(c1, n_cols - 1)
        if r0 > r1 or c0 > c1 or (r0 == r1 and c0 == c1):
            continue
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if used + area > budget:
            ignored += 1
            continue
        used += area
        kept.append(((r0, c0), (r1, c1)))
    return kept, ignored


_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_MERGE_BLOCK = re.compile(rb"<mergeCells\b[^>]*?(?:/>|>.*?</mergeCells>)", re.DOTALL)
#: openpyxl makes one object per merged cell; below this many merged cells a workbook is left as it is
_MERGED_CELLS_ASIS = 100_000


def bound_merges(data: bytes) -> bytes:
    """The .xlsx ``data`` with each sheet's merged ranges clipped to the sheet's cells.

    For writers that load the whole workbook (openpyxl creates an object for every merged cell:
    ``D3:XFD1048576`` is 17 billion of them). Workbooks whose merges cover fewer than 100,000
    cells are returned unchanged, byte for byte.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = sheet_members(zf)
        changed: dict[str, bytes] = {}
        for member in members.values():
            merges = merged_ranges(zf, member)
            if sum((r1 - r0 + 1) * (c1 - c0 + 1) for (r0, c0), (r1, c1) in merges) <= _MERGED_CELLS_ASIS:
                continue
            xml = zf.read(member)
            n_rows = n_cols = 0
            for letters, digits in _CELL_REF.findall(xml):
                n_rows = max(n_rows, int(digits))
                n_cols = max(n_cols, column_index(letters.decode("ascii")))
            kept, _ = clip_merges(merges, n_rows, n_cols)
            block = "".join(f'<mergeCell ref="{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"/>'
                            for (r0, c0), (r1, c1) in kept)
            new = f'<mergeCells count="{len(kept)}">{block}</mergeCells>'.encode() if kept else b""
            changed[member] = _MERGE_BLOCK.sub(lambda _m: new, xml, count=1)
        if not changed:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                dst.writestr(info, changed.get(info.filename) or zf.read(info.filename))
        return out.getvalue()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return data  # not a zip we can rewrite: the writer reports what it finds


@contextmanager
def quiet_openpyxl() -> Iterator[None]:
    """openpyxl's UserWarnings kept off the user's terminal while it reads.

    openpyxl warns with Python warnings (printed to stderr with a source line) when it meets a
    feature it does not keep: data-validation and conditional-formatting extensions, shapes,
    unknown extensions. The tool does not ask for those features; what a copy loses is written
    in docs/outputs.md, and a command's stderr stays one line per real problem.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        yield


def open_with_openpyxl(source: Any, **kwargs: Any) -> Any:
    """``openpyxl.load_workbook`` under ``quiet_openpyxl``."""
    from openpyxl import load_workbook

    with quiet_openpyxl():
        return load_workbook(source, **kwargs)


def open_copy(data: bytes, **kwargs: Any) -> Any:
    """An openpyxl workbook of the .xlsx ``data`` for writing a copy: merged ranges bounded, no warnings."""
    return open_with_openpyxl(io.BytesIO(bound_merges(data)), rich_text=False, **kwargs)
