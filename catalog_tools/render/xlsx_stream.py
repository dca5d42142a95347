"""The annotated workbook written by editing the input's package, not by loading it into memory.

openpyxl, the old way, builds every cell of the input as a Python object, then writes them all
back: 100,000 datasets took 105 s and 2 GB, three quarters of it for cells nobody changed. An
.xlsx file is a zip of XML parts, and annotating changes few of them:

* each annotated sheet: the target cells get a style index (their own style plus the red or
  yellow fill; a missing cell is added, in column order) and the sheet gets a
  ``legacyDrawing`` link — every other byte of the sheet is copied as it is, row by row;
* ``styles.xml``: the two fills and, per style the targets had, a copy of that style with the
  fill (so fonts, borders, number formats stay), plus the summary's styles;
* new parts: the comments and their VML shapes per sheet (what Excel shows on hover), and the
  summary sheet, written as text with inline strings;
* ``workbook.xml``, its relationships, the sheets' relationships and ``[Content_Types].xml``
  get the new entries; sheet-scoped defined names move one place (the summary is first).

Everything else — other sheets, validation lists, conditional formats, hidden states, formulas,
images and charts openpyxl would drop — is copied untouched. Small parts are edited as text
(ElementTree would rename namespace prefixes that ``mc:Ignorable`` refers to by name); cell
and comment text is XML-escaped. The result equals the openpyxl writer's cell by cell in
values, comments and fills (tests compare both on fixtures with merged, hidden and formula
sheets). When a package is outside what this handles (prefixed XML, rows without ``r``,
existing comments, more merged ranges than it checks, a macro workbook…) ``Unsupported`` is
raised and the openpyxl writer is used instead, as before.
"""
from __future__ import annotations

import bisect
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

from .rows import COLUMNS, FindingRow, row_values

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
T_SHEET = REL_NS + "/worksheet"
T_COMMENTS = REL_NS + "/comments"
T_VML = REL_NS + "/vmlDrawing"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
MAX_MERGES = 5_000  # merged ranges checked for targets; beyond that the openpyxl writer decides
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl's ILLEGAL_CHARACTERS_RE


class Unsupported(Exception):
    """This package needs the openpyxl writer (the reason is the message)."""


@dataclass
class Mark:
    """What one target cell gets: its fill and its comment."""

    error: bool
    text: str


@dataclass
class SheetPlan:
    name: str
    part: str  # e.g. xl/worksheets/sheet1.xml
    marks: dict[tuple[int, int], Mark] = field(default_factory=dict)  # (row, col) → mark


# -- small helpers ------------------------------------------------------------------------------
def col_letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def split_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        raise Unsupported(f"cell reference {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def _text(value: str) -> str:
    """Cell or comment text as XML character data (control characters already cleaned)."""
    return escape(value)


def _resolve(base: str, target: str) -> str:
    """A relationship target relative to the part ``base`` → a package path."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for p in (str(PurePosixPath(base).parent) + "/" + target).split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if parts:
                parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


def _rels_path(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


_REL = re.compile(rb"<Relationship\b[^>]*?/>", re.S)
_ATTR = re.compile(rb'([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"')


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in _ATTR.findall(tag)}


def _relationships(data: bytes | None) -> list[dict[str, str]]:
    return [] if data is None else [_attrs(m.group(0)) for m in _REL.finditer(data)]


def _add_rels(data: bytes | None, new: list[tuple[str, str, str]]) -> bytes:
    """``data`` (a .rels part, or None) with relationships (id, type, target) added."""
    if data is None:
        data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_REL_NS}"></Relationships>').encode()
    add = "".join(f"<Relationship Id={quoteattr(i)} Type={quoteattr(t)} Target={quoteattr(g)}/>" for i, t, g in new)
    pos = data.rfind(b"</Relationships>")
    if pos < 0:
        raise Unsupported("relationships part without </Relationships>")
    return data[:pos] + add.encode() + data[pos:]


def _new_id(rels: list[dict[str, str]], taken: set[str] | None = None) -> str:
    used = {r.get("Id", "") for r in rels} | (taken or set())
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    return f"rId{n}"


# -- styles -------------------------------------------------------------------------------------
_XF = re.compile(rb"<xf\b[^>]*?/>|<xf\b[^>]*?>.*?</xf>", re.S)


class Styles:
    """``styles.xml`` edited as text: fills, fonts and cell formats appended, nothing renumbered."""

    def __init__(self, data: bytes) -> None:
        if re.search(rb"<\w+:styleSheet\b", data):
            raise Unsupported("prefixed styles.xml")
        self.data = data
        self.fills = self._section(b"fills")
        self.fonts = self._section(b"fonts")
        xfs = self._section(b"cellXfs")
        self.xfs = [m.group(0) for m in _XF.finditer(xfs)]
        self.new_fills: list[bytes] = []
        self.new_fonts: list[bytes] = []
        self.new_xfs: list[bytes] = []
        self.n_fills = len(re.findall(rb"<fill\b", self.fills))
        self.n_fonts = len(re.findall(rb"<font\b", self.fonts))
        self._fill_ids: dict[str, int] = {}
        self._with_fill: dict[tuple[int, str], int] = {}

    def _section(self, name: bytes) -> bytes:
        m = re.search(rb"<" + name + rb"\b[^>]*?(?:/>|>(.*?)</" + name + rb">)", self.data, re.S)
        if m is None:
            raise Unsupported(f"styles.xml without {name.decode()}")
        return m.group(1) or b""

    def fill(self, rgb: str) -> int:
        """The fill id of a solid fill of colour ``rgb`` (as openpyxl writes ``PatternFill``)."""
        if rgb not in self._fill_ids:
            self.new_fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="00{rgb}"/></patternFill></fill>'.encode())
            self._fill_ids[rgb] = self.n_fills + len(self.new_fills) - 1
        return self._fill_ids[rgb]

    def font(self, xml: str) -> int:
        self.new_fonts.append(xml.encode())
        return self.n_fonts + len(self.new_fonts) - 1

    def with_fill(self, xf: int, rgb: str) -> int:
        """A cell format like ``xf`` (fonts, borders, number format…) but with the fill ``rgb``."""
        key = (xf, rgb)
        if key not in self._with_fill:
            if not 0 <= xf < len(self.xfs):
                raise Unsupported(f"style index {xf} out of range")
            tag = self.xfs[xf]
            head_end = tag.index(b">")
            head, rest = tag[:head_end], tag[head_end:]
            if head.endswith(b"/"):
                head, rest = head[:-1], b"/" + rest
            head = re.sub(rb'\s(?:fillId|applyFill)="[^"]*"', b"", head)
            head += f' fillId="{self.fill(rgb)}" applyFill="1"'.encode()
            self._with_fill[key] = self.add_xf(head + rest)
        return self._with_fill[key]

    def add_xf(self, xml: bytes) -> int:
        self.new_xfs.append(xml)
        return len(self.xfs) + len(self.new_xfs) - 1

    def render(self) -> bytes:
        data = self.data
        for name, new, total in ((b"fills", self.new_fills, self.n_fills), (b"fonts", self.new_fonts, self.n_fonts),
                                 (b"cellXfs", self.new_xfs, len(self.xfs))):
            if not new:
                continue
            m = re.search(rb"<" + name + rb"\b([^>]*?)(/?)>", data)
            assert m is not None
            attrs = re.sub(rb'\scount="[^"]*"', b"", m.group(1)) + f' count="{total + len(new)}"'.encode()
            if m.group(2):  # <fills/>: empty
                data = data[:m.start()] + b"<" + name + attrs + b">" + b"".join(new) + b"</" + name + b">" + data[m.end():]
            else:
                close = data.index(b"</" + name + b">", m.end())
                data = (data[:m.start()] + b"<" + name + attrs + b">" + data[m.end():close] + b"".join(new)
                        + data[close:])
        return data


# -- the sheet ----------------------------------------------------------------------------------
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(rb'\sr="([^"]*)"')
_S_ATTR = re.compile(rb'\ss="([0-9]*)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"')
_AFTER_LEGACY = (b"<legacyDrawingHF", b"<drawingHF", b"<picture", b"<oleObjects", b"<controls", b"<webPublishItems",
                 b"<tableParts", b"<extLst")


def merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    out = []
    for m in _MERGE.finditer(xml):
        r1, c1 = split_ref(m.group(1).decode())
        r2, c2 = split_ref(m.group(2).decode()) if m.group(2) else (r1, c1)
        out.append((r1, c1, r2, c2))
        if len(out) > MAX_MERGES:
            raise Unsupported("too many merged ranges")
    return out


def redirect_merged(marks: dict[tuple[int, int], list[FindingRow]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Targets inside a merged range move to its top-left cell (what openpyxl can write to).

    Only target cells are looked at: a merge over a million rows costs what it covers of them."""
    if not ranges or not marks:
        return
    cols: dict[int, list[int]] = {}
    for r, c in marks:
        cols.setdefault(r, []).append(c)
    rows = sorted(cols)
    for r1, c1, r2, c2 in ranges:
        lo, hi = bisect.bisect_left(rows, r1), bisect.bisect_right(rows, r2)
        for row in rows[lo:hi]:
            for col in cols[row]:
                key = (row, col)
                if c1 <= col <= c2 and key != (r1, c1) and key in marks:
                    marks.setdefault((r1, c1), []).extend(marks.pop(key))


def rewrite_sheet(xml: bytes, styles: Styles, cells: dict[tuple[int, int], bool], legacy_rid: str | None) -> Iterator[bytes]:
    """The sheet with each target cell's style replaced (True: error fill) and, unless it has one
    (``legacy_rid`` None), a legacyDrawing link."""
    if re.search(rb"<\w+:worksheet\b", xml[:4096]):
        raise Unsupported("prefixed worksheet XML")
    by_row: dict[int, dict[int, bool]] = {}
    for (row, col), error in cells.items():
        by_row.setdefault(row, {})[col] = error
    start = xml.find(b"<sheetData")
    end = xml.find(b"</sheetData>")
    if start < 0 or end < 0:
        raise Unsupported("no sheetData")
    pos = 0
    out: list[bytes] = []
    for row in sorted(by_row):  # rows are stored in ascending order: find each from the last one
        found = _find_row(xml, row, pos, end)
        if found is None:
            raise Unsupported(f"target row {row} not in the sheet")
        at, stop, attrs, body = found
        out.append(xml[pos:at])
        out.append(_rewrite_row(attrs, body, row, by_row[row], styles))
        pos = stop
        if len(out) > 512:
            yield b"".join(out)
            out = []
    out.append(xml[pos:])
    tail = b"".join(out)
    out = []
    if legacy_rid is None:
        yield tail
        return
    link = f'<legacyDrawing xmlns:r="{REL_NS}" r:id="{legacy_rid}"/>'.encode()
    at = min((i for i in (tail.rfind(t) for t in _AFTER_LEGACY) if i >= 0), default=-1)
    if at < 0:
        at = tail.rfind(b"</worksheet>")
    if at < 0:
        raise Unsupported("no </worksheet>")
    yield tail[:at] + link + tail[at:]


_ROW_HEAD = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')
_CELL_HEAD = re.compile(rb"<c\b[^>]*?>")


def _find_row(xml: bytes, row: int, start: int, end: int) -> tuple[int, int, bytes, bytes | None] | None:
    """(start, end, attributes, body) of the ``<row>`` numbered ``row`` at or after ``start``: a
    plain search for the usual ``<row r="N"``, then a scan for other attribute orders."""
    at = xml.find(b'<row r="%d"' % row, start, end)
    if at < 0:
        for m in _ROW_HEAD.finditer(xml, start, end):
            if int(m.group(1)) == row:
                at = m.start()
                break
            if int(m.group(1)) > row:
                return None
        else:
            return None
    head_end = xml.index(b">", at)
    if xml[head_end - 1:head_end] == b"/":
        return at, head_end + 1, xml[at + 4:head_end - 1], None
    close = xml.index(b"</row>", head_end)
    return at, close + 6, xml[at + 4:head_end], xml[head_end + 1:close]


def _find_cell(body: bytes, ref: bytes) -> tuple[int, int] | None:
    """(start, end) of the start tag of cell ``ref`` in a row's body."""
    at = body.find(b'<c r="' + ref + b'"')
    if at < 0:
        for m in _CELL_HEAD.finditer(body):
            r = _R_ATTR.search(m.group(0))
            if r is not None and r.group(1) == ref:
                return m.start(), m.end()
        return None
    return at, body.index(b">", at) + 1


def _rewrite_row(attrs: bytes, body: bytes | None, row: int, targets: dict[int, bool], styles: Styles) -> bytes:
    """One row with its target cells restyled; a target cell the row lacks is added in column order."""
    body = body or b""
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) in ``body``
    missing = []
    for col, error in targets.items():
        span = _find_cell(body, b"%s%d" % (col_letters(col).encode(), row))
        if span is None:
            missing.append(col)
            continue
        tag = body[span[0]:span[1]]
        closing = tag.endswith(b"/>")
        head = tag[:-2] if closing else tag[:-1]
        s = _S_ATTR.search(head)
        xf = int(s.group(1)) if s and s.group(1) else 0
        new_xf = styles.with_fill(xf, ERROR_RGB if error else WARNING_RGB)
        head = _S_ATTR.sub(b"", head) + b' s="%d"' % new_xf
        edits.append((span[0], span[1], head + (b"/>" if closing else b">")))
    for start, stop, new in sorted(edits, reverse=True):
        body = body[:start] + new + body[stop:]
    if missing:  # rare: a blank required cell the sheet never wrote; place it among the others
        cells: list[tuple[int, bytes]] = []
        for m in _CELL.finditer(body):
            ref = _R_ATTR.search(m.group(1))
            if ref is None:
                raise Unsupported("a cell without its reference")
            cells.append((split_ref(ref.group(1).decode())[1], m.group(0)))
        for col in missing:
            xf = styles.with_fill(0, ERROR_RGB if targets[col] else WARNING_RGB)
            cells.append((col, b'<c r="%s%d" s="%d"/>' % (col_letters(col).encode(), row, xf)))
        cells.sort(key=lambda t: t[0])
        body = b"".join(xml for _, xml in cells)
    return b"<row" + attrs + b">" + body + b"</row>"


# -- comments -----------------------------------------------------------------------------------
AUTHOR = "catalog-tools"


def comments_xml(comments: list[Any]) -> Iterator[bytes]:
    """Comments as (ref, text), or (ref, text, author) for ones the sheet already had."""
    authors = list(dict.fromkeys([AUTHOR] + [c[2] for c in comments if len(c) > 2]))
    index = {a: n for n, a in enumerate(authors)}
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN_NS}"><authors>'
           + "".join(f"<author>{_text(a)}</author>" for a in authors) + "</authors><commentList>").encode("utf-8")
    for c in comments:
        author = index[c[2]] if len(c) > 2 else 0
        yield (f'<comment ref="{c[0]}" authorId="{author}"><text><t xml:space="preserve">{_text(c[1])}</t></text></comment>'
               ).encode("utf-8")
    yield b"</commentList></comments>"


def merge_comments(old_xml: bytes, old_vml: bytes, ours: list[Any], heights: list[int]) -> tuple[list[Any], list[int]]:
    """The sheet's own comments (as plain text, like openpyxl reads them) with ours on top."""
    import xml.etree.ElementTree as ET

    vml = ET.fromstring(old_vml)
    for shape in vml.iter("{urn:schemas-microsoft-com:vml}shape"):
        if shape.get("type") != "#_x0000_t202":
            raise Unsupported("the drawing holds shapes other than comments")
    root = ET.fromstring(old_xml)
    ns = {"m": MAIN_NS}
    authors = [a.text or "" for a in root.iterfind("m:authors/m:author", ns)]
    mine = {c[0] for c in ours}
    merged: dict[str, tuple[Any, int]] = {}
    for c in root.iterfind("m:commentList/m:comment", ns):
        ref = c.get("ref", "")
        if ref in mine:
            continue
        text = "".join(t.text or "" for t in c.iter(f"{{{MAIN_NS}}}t"))
        author = authors[int(c.get("authorId", "0"))] if authors else ""
        merged[ref] = ((ref, text, author), 79)
    for c, h in zip(ours, heights):
        merged[c[0]] = (c, h)
    order = sorted(merged, key=lambda ref: split_ref(ref))
    return [merged[r][0] for r in order], [merged[r][1] for r in order]


def vml_xml(comments: list[Any], heights: list[int]) -> Iterator[bytes]:
    """The VML note shapes Excel shows comments with (the same shapes openpyxl writes)."""
    yield (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/>'
           b'</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
           b'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>'
           b"</v:shapetype>")
    for n, (c, height) in enumerate(zip(comments, heights), 1026):
        row, col = split_ref(c[0])
        width = 360 if len(c) == 2 else 144
        yield (f'<v:shape id="_x0000_s{n:04d}" type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;'
               f'margin-top:1.5pt;width:{width}px;height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
               f'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
               f'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/>'
               f'</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
               f"<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData>"
               f"</v:shape>").encode()
    yield b"</xml>"


# -- the summary sheet --------------------------------------------------------------------------
WIDTHS = {"dataset": 16, "resource": 8, "code": 16, "severity": 9, "field": 22, "item": 7, "location": 20,
          "value": 30, "message_th": 60, "message": 60, "suggestion": 24, "file": 30}


def summary_xml(rows: list[FindingRow], styles: Styles, links: list[str | None], clean: Any,
                quote_prefixed: tuple[str, ...] = ()) -> Iterator[bytes]:
    """The summary sheet: a header, one row per finding, severity filled, locations linked."""
    bold = styles.font('<font><b val="1"/></font>')
    blue = styles.font('<font><color rgb="000563C1"/><u val="single"/></font>')
    head = styles.add_xf(f'<xf numFmtId="0" fontId="{bold}" fillId="{styles.fill(HEAD_RGB)}" borderId="0" applyFont="1" '
                         f'applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'.encode())
    err = styles.with_fill(0, ERROR_RGB)
    warn = styles.with_fill(0, WARNING_RGB)
    link = styles.add_xf(f'<xf numFmtId="0" fontId="{blue}" fillId="0" borderId="0" applyFont="1"/>'.encode())
    quoted = styles.add_xf(b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" quotePrefix="1"/>')
    keys = [k for k, _, _ in COLUMNS]
    letters = [col_letters(i) for i in range(1, len(keys) + 1)]
    sev_col, loc_col = keys.index("severity"), keys.index("location")
    last = max(1, len(rows) + 1)
    cols = "".join(f'<col min="{i}" max="{i}" width="{WIDTHS.get(k, 16)}" customWidth="1"/>' for i, k in enumerate(keys, 1))
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
           f'<dimension ref="A1:{letters[-1]}{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
           f'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           f'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>{cols}</cols><sheetData>').encode()
    header = "".join(f'<c r="{letters[i]}1" s="{head}" t="inlineStr"><is><t xml:space="preserve">'
                     f'{_text(th + " / " + en if th != en else th)}</t></is></c>' for i, (_, th, en) in enumerate(COLUMNS))
    yield f'<row r="1">{header}</row>'.encode()
    hyperlinks: list[str] = []
    chunk: list[str] = []
    escaped: dict[Any, str] = {}
    for n, (r, target) in enumerate(zip(rows, links), start=2):
        values = row_values(r)
        cells = []
        for i, key in enumerate(keys):
            v = values[key]
            style = ""
            if i == sev_col:
                style = f' s="{err if r.finding.is_error else warn}"'
            elif i == loc_col and target is not None:
                style = f' s="{link}"'
            if v is None or v == "":  # openpyxl writes no cell for an empty string either
                if style:
                    cells.append(f'<c r="{letters[i]}{n}"{style}/>')
                continue
            if isinstance(v, bool):
                cells.append(f'<c r="{letters[i]}{n}"{style} t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, (int, float)):
                cells.append(f'<c r="{letters[i]}{n}"{style}><v>{v!r}</v></c>')
            else:
                text = escaped.get(v)
                if text is None:  # messages, codes and fields repeat: escape and clean each once
                    plain = clean(str(v))
                    text = _text(plain)
                    if quote_prefixed and plain.startswith(quote_prefixed):
                        text = "\0" + text  # marked: gets the quote-prefix style below
                    if len(escaped) < 50_000:
                        escaped[v] = text
                if text.startswith("\0"):
                    text = text[1:]
                    style = style or f' s="{quoted}"'

                cells.append(f'<c r="{letters[i]}{n}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        chunk.append(f'<row r="{n}">{"".join(cells)}</row>')
        if target is not None:
            display = clean(str(values["location"]))
            hyperlinks.append(f'<hyperlink ref="{letters[loc_col]}{n}" location={quoteattr(target)} display={quoteattr(display)}/>')
        if len(chunk) >= 2000:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield "".join(chunk).encode("utf-8")
    yield f'</sheetData><autoFilter ref="A1:{letters[-1]}{last}"/>'.encode()
    if hyperlinks:
        yield b"<hyperlinks>"
        for i in range(0, len(hyperlinks), 2000):
            yield "".join(hyperlinks[i:i + 2000]).encode("utf-8")
        yield b"</hyperlinks>"
    yield b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'


ERROR_RGB = "FFC7CE"
WARNING_RGB = "FFEB9C"
HEAD_RGB = "DDEBF7"


# -- the package ----------------------------------------------------------------------------------
def _workbook_sheets(wb_xml: bytes, rels: list[dict[str, str]], wb_part: str) -> list[tuple[str, str, bytes]]:
    """(name, part, the <sheet> tag) of each sheet in workbook order."""
    targets = {r["Id"]: _resolve(wb_part, r["Target"]) for r in rels if r.get("Type") == T_SHEET}
    out = []
    for m in re.finditer(rb"<sheet\b[^>]*?/>", wb_xml):
        a = _attrs(m.group(0))
        rid = a.get("r:id")
        if rid is None or rid not in targets:
            raise Unsupported("a sheet entry without its relationship")
        out.append((_unescape(a["name"]), targets[rid], m.group(0)))
    return out


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def write_annotated(source: Path, output: Any, rows: list[FindingRow], marks: dict[str, dict[str, list[FindingRow]]],
                    summary_title: str, comment_for: Any, clean: Any, from_source: list[bool],
                    quote_prefixed: tuple[str, ...] = ()) -> int:
    """Write ``source`` annotated to ``output``; ``marks``: sheet → cell ref → its findings (in
    report order); ``from_source``: per row, whether it points into ``source`` (gets a link);
    ``output``: a path or a binary file. Summary text starting with ``quote_prefixed`` gets Excel's
    quote prefix (editing the cell never turns it into a formula), as the openpyxl writer does."""
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Unsupported("not a plain workbook package")
        if any(n.endswith("vbaProject.bin") for n in names):
            raise Unsupported("a macro workbook")
        wb_part = "xl/workbook.xml"
        wb_xml = zin.read(wb_part)
        if re.search(rb"<\w+:workbook\b", wb_xml[:4096]):
            raise Unsupported("prefixed workbook.xml")
        wb_rels_part = _rels_path(wb_part)
        wb_rels_xml = zin.read(wb_rels_part) if wb_rels_part in names else None
        wb_rels = _relationships(wb_rels_xml)
        styles_part = next((_resolve(wb_part, r["Target"]) for r in wb_rels if r.get("Type", "").endswith("/styles")), None)
        if styles_part is None or styles_part not in names:
            raise Unsupported("no styles part")
        styles = Styles(zin.read(styles_part))
        sheets = _workbook_sheets(wb_xml, wb_rels, wb_part)
        sheet_names = [s[0] for s in sheets]
        title, n = summary_title, 2
        while title in sheet_names:  # as the openpyxl writer names it
            title = f"{summary_title[:26]} ({n})"
            n += 1
        part_of = {name: part for name, part, _ in sheets}

        # the target cells of each sheet, after merged ranges; comment texts
        plans: dict[str, tuple[dict[tuple[int, int], bool], list[tuple[str, str]], list[int]]] = {}
        sheet_xml: dict[str, bytes] = {}
        annotated = 0
        for name, by_ref in marks.items():
            if name not in part_of or part_of[name] not in names:
                continue
            xml = zin.read(part_of[name])
            sheet_xml[name] = xml
            grouped: dict[tuple[int, int], list[FindingRow]] = {}
            for ref, group in by_ref.items():
                grouped.setdefault(split_ref(ref), []).extend(group)
            order = {id(r): n for n, r in enumerate(rows)}
            redirect_merged(grouped, merged_ranges(xml[xml.rfind(b"</sheetData>"):] if b"<mergeCell" in xml else b""))
            cells: dict[tuple[int, int], bool] = {}
            comments: list[Any] = []
            heights: list[int] = []
            for (row, col) in sorted(grouped):
                group = sorted(grouped[(row, col)], key=lambda r: (not r.finding.is_error, order.get(id(r), 0)))
                text, height = comment_for(group)
                cells[(row, col)] = any(r.finding.is_error for r in group)
                comments.append((f"{col_letters(col)}{row}", text))
                heights.append(height)
            plans[name] = (cells, comments, heights)
            annotated += len(cells)

        ct = zin.read("[Content_Types].xml")
        new_ct: list[str] = []
        used_parts = set(names)

        def free(pattern: str) -> str:
            n = 1
            while pattern.format(n) in used_parts:
                n += 1
            used_parts.add(pattern.format(n))
            return pattern.format(n)

        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as zout:
            replaced: dict[str, bytes] = {}
            for name, (cells, comments, heights) in plans.items():
                part = part_of[name]
                rels_part = _rels_path(part)
                rels_xml = zin.read(rels_part) if rels_part in names else None
                rels = _relationships(rels_xml)
                old_c = next((_resolve(part, r["Target"]) for r in rels if r.get("Type") == T_COMMENTS), None)
                old_v = next((_resolve(part, r["Target"]) for r in rels if r.get("Type") == T_VML), None)
                v_rid: str | None
                if old_c is None and old_v is None:
                    if b"<legacyDrawing" in sheet_xml[name]:
                        raise Unsupported("the sheet has form controls")
                    c_part, v_part = free("xl/comments/comment{}.xml"), free("xl/drawings/commentsDrawing{}.vml")
                    c_rid = _new_id(rels)
                    v_rid = _new_id(rels, {c_rid})
                    replaced[rels_part] = _add_rels(rels_xml, [(c_rid, T_COMMENTS, "/" + c_part), (v_rid, T_VML, "/" + v_part)])
                    new_ct.append(f'<Override PartName="/{c_part}" ContentType="{CT_COMMENTS}"/>')
                else:  # the sheet has comments: rewrite both parts with theirs and ours, as openpyxl does
                    if old_c is None or old_v is None or old_c not in names or old_v not in names:
                        raise Unsupported("comments without their drawing")
                    comments, heights = merge_comments(zin.read(old_c), zin.read(old_v), comments, heights)
                    c_part, v_part, v_rid = old_c, old_v, None
                    replaced[old_c] = replaced[old_v] = b""
                with zout.open(part, "w", force_zip64=True) as fh:
                    for n, chunk in enumerate(rewrite_sheet(sheet_xml[name], styles, cells, v_rid)):
                        fh.write(_tab_unselected(chunk) if n == 0 else chunk)
                with zout.open(c_part, "w", force_zip64=True) as fh:
                    for chunk in _batched(comments_xml(comments)):
                        fh.write(chunk)
                with zout.open(v_part, "w", force_zip64=True) as fh:
                    for chunk in _batched(vml_xml(comments, heights)):
                        fh.write(chunk)
                replaced[part] = b""  # written above
            if not re.search(rb'<Default\b[^>]*Extension="vml"', ct, re.I):
                new_ct.append(f'<Default Extension="vml" ContentType="{CT_VML}"/>')

            # the summary sheet, first in the workbook
            s_part = free("xl/worksheets/sheet{}.xml")
            links = []
            for r, own in zip(rows, from_source):
                target = None
                if own and r.sheet in part_of and (r.cell or r.row):
                    target = f"'{r.sheet.replace(chr(39), chr(39) * 2)}'!{r.cell or f'A{r.row}'}"
                links.append(target)
            with zout.open(s_part, "w", force_zip64=True) as fh:
                for chunk in _batched(summary_xml(rows, styles, links, clean, quote_prefixed)):
                    fh.write(chunk)
            new_ct.append(f'<Override PartName="/{s_part}" ContentType="{CT_SHEET}"/>')
            s_rid = _new_id(wb_rels)
            replaced[wb_rels_part] = _add_rels(wb_rels_xml, [(s_rid, T_SHEET, "/" + s_part)])
            replaced[wb_part] = _workbook_with_summary(wb_xml, title, s_rid)
            replaced[styles_part] = styles.render()
            pos = ct.rfind(b"</Types>")
            replaced["[Content_Types].xml"] = ct[:pos] + "".join(new_ct).encode() + ct[pos:]

            for info in zin.infolist():
                if info.filename in replaced:
                    data = replaced[info.filename]
                    if data:
                        zout.writestr(_info(info), data)
                    continue
                data = zin.read(info.filename)
                if info.filename in set(part_of.values()):
                    data = _tab_unselected(data)
                zout.writestr(_info(info), data)
            for part, data in replaced.items():
                if data and part not in names:
                    zout.writestr(_info(zipfile.ZipInfo(part)), data)
    return annotated


def _batched(chunks: Iterator[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """Join small pieces into ~1 MB writes (each zip write has a fixed cost)."""
    buf: list[bytes] = []
    n = 0
    for chunk in chunks:
        buf.append(chunk)
        n += len(chunk)
        if n >= size:
            yield b"".join(buf)
            buf, n = [], 0
    if buf:
        yield b"".join(buf)


def _info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    out.compress_type = zipfile.ZIP_DEFLATED
    return out


_TAB_SELECTED = re.compile(rb'(<sheetView\b[^>]*?)\stabSelected="(?:1|true)"')


def _tab_unselected(data: bytes) -> bytes:
    """The summary is the selected tab: other sheets' views lose ``tabSelected`` (head only)."""
    head = data[:8192]
    if b"tabSelected" not in head:
        return data
    return _TAB_SELECTED.sub(rb"\1", head, count=1) + data[8192:]


def _workbook_with_summary(wb_xml: bytes, title: str, rid: str) -> bytes:
    ids = [int(x) for x in re.findall(rb'<sheet\b[^>]*?\bsheetId="([0-9]+)"', wb_xml)]
    tag = f'<sheet name={quoteattr(title)} sheetId="{max(ids, default=0) + 1}" r:id="{rid}" xmlns:r="{REL_NS}"/>'.encode()
    m = re.search(rb"<sheets\b[^>]*>", wb_xml)
    if m is None:
        raise Unsupported("workbook.xml without <sheets>")
    wb_xml = wb_xml[:m.end()] + tag + wb_xml[m.end():]
    # sheet-scoped names (print areas, filters) follow their sheet, now one place later
    wb_xml = re.sub(rb'localSheetId="([0-9]+)"', lambda mm: b'localSheetId="%d"' % (int(mm.group(1)) + 1), wb_xml)
    view = re.search(rb"<workbookView\b[^>]*?/?>", wb_xml)
    if view is not None:
        v = re.sub(rb'\s(?:activeTab|firstSheet)="[^"]*"', b"", view.group(0))
        v = v[:-2] + b' activeTab="0"/>' if v.endswith(b"/>") else v[:-1] + b' activeTab="0">'
        wb_xml = wb_xml[:view.start()] + v + wb_xml[view.end():]
    return wb_xml
