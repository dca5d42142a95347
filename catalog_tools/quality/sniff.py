"""What a file really is: its format from the bytes, and its text encoding.

Why from the bytes: a URL that ends in ``.csv`` may serve a PDF, an HTML error page or a zipped
workbook, and a ``.kml``/``.ods`` link is a perfectly open file that extension tables miss.

* containers are opened, not guessed: a zip is XLSX when it holds ``xl/workbook.xml``, ODS when
  its ``mimetype`` says so, KMZ/SHP when it holds a ``.kml``/``.shp``; an OLE2 file is XLS when
  it has a ``Workbook`` stream name;
* other binaries (PDF, images, archives) by their magic bytes through ``puremagic``, a small
  pure-Python sniffer with a large signature table (no libmagic to install);
* text is decoded first (see ``detect_encoding``) and then recognised by its first
  significant characters (JSON, XML dialects, Turtle) or by a delimiter that splits its first
  lines into equal numbers of fields (CSV, TSV).

Encodings: the byte-order marks, strict UTF-8 and TIS-620/cp874 as the project's CSV reader
does them (``loaders.csvfile.decode``), then ``charset-normalizer`` to name any other legacy
encoding (a Latin-1 file would otherwise be read as Thai mojibake by cp874).
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass

from ..loaders.csvfile import decode

#: bytes looked at to recognise text formats and delimiters
HEAD = 64 * 1024


@dataclass(frozen=True, slots=True)
class Encoding:
    """A text encoding as reported: ``name`` for people, ``codec`` for Python."""

    name: str
    codec: str

    @property
    def utf8(self) -> bool:
        return self.name in ("UTF-8", "UTF-8 BOM", "ASCII")

    @property
    def bom(self) -> bool:
        return self.name.endswith("BOM")


_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 BOM", "utf-16": "UTF-16 BOM", "utf-16-le": "UTF-16LE",
          "utf-16-be": "UTF-16BE", "cp874": "TIS-620"}
_THAI_CODECS = {"cp874", "tis_620", "tis-620", "iso8859_11", "iso-8859-11"}


def detect_encoding(data: bytes) -> tuple[Encoding, str] | None:
    """(encoding, decoded text) of ``data``, or None when it is not text."""
    try:
        text, codec = decode(data)
    except ValueError:
        return _other_encoding(data)
    if codec == "cp874":
        guess = _guess(data[:HEAD])
        if guess and guess.replace("-", "_").lower() not in {c.replace("-", "_") for c in _THAI_CODECS}:
            try:
                return Encoding(guess.upper().replace("_", "-"), guess), data.decode(guess)
            except (UnicodeDecodeError, LookupError):
                pass
    if codec == "utf-8" and data.isascii():
        return Encoding("ASCII", "ascii"), text
    return Encoding(_NAMES.get(codec, codec.upper()), codec), text


def _guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def _other_encoding(data: bytes) -> tuple[Encoding, str] | None:
    if b"\x00" in data[:HEAD]:
        return None  # binary
    guess = _guess(data[:HEAD])
    if guess is None:
        return None
    try:
        text = data.decode(guess)
    except (UnicodeDecodeError, LookupError):
        return None
    sample = text[:4096]
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in sample) < 0.95 * len(sample):
        return None  # decodes, but to control characters: binary
    return Encoding(guess.upper().replace("_", "-"), guess), text


@dataclass(frozen=True, slots=True)
class Detected:
    """The sniffed format (canonical name, ``None`` when unknown) and, for text, its encoding."""

    format: str | None
    encoding: Encoding | None = None
    text: str | None = None  # the decoded text, for text formats (tables read it, not the bytes)
    note: str = ""  # why: "zip holding xl/workbook.xml", "magic bytes %PDF"…
    delimiter: str | None = None


_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7Z"), (b"\x1f\x8b", "GZIP"), (b"BM", "BMP"),
    (b"\x00\x01\x00\x00Standard Jet DB", "MDB"), (b"\x00\x01\x00\x00Standard ACE DB", "MDB"),
)


def detect(data: bytes, *, unzip_limit: int = 512 * 2**20) -> Detected:
    """Sniff ``data`` (the whole file, already size-capped by the caller)."""
    if not data:
        return Detected(None, note="empty file")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip(data, unzip_limit)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        head = data[: 4 * 2**20]
        if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
            return Detected("XLS", note="OLE2 file with a Workbook stream")
        if "WordDocument".encode("utf-16-le") in head:
            return Detected("DOC", note="OLE2 file with a WordDocument stream")
        if "PowerPoint".encode("utf-16-le") in head:
            return Detected("PPT", note="OLE2 file with a PowerPoint stream")
        return Detected("DOC", note="OLE2 (Microsoft Office) file")
    for magic, fmt in _MAGIC:
        if data.startswith(magic):
            if fmt == "BMP" and len(data) < 26:
                continue
            return Detected(fmt, note=f"magic bytes {magic[:4]!r}")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Detected("WEBP", note="magic bytes RIFF/WEBP")
    enc = detect_encoding(data)
    if enc is None:
        return _puremagic(data)
    encoding, text = enc
    return _text_format(text, encoding)


def _puremagic(data: bytes) -> Detected:
    import puremagic

    try:
        found = puremagic.magic_string(data[:HEAD])
    except (puremagic.PureError, ValueError):
        found = []
    if found:
        ext = found[0].extension.lstrip(".").upper()
        from .formats import canonical

        return Detected(canonical(ext), note=f"magic bytes ({found[0].name})")
    return Detected(None, note="binary data of an unknown kind")


def _zip(data: bytes, unzip_limit: int) -> Detected:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            total = sum(i.file_size for i in infos)
            mimetype = zf.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return Detected("ZIP", note="damaged zip archive")
    lower = [n.lower() for n in names]
    if total > unzip_limit and not any(n in lower for n in ("xl/workbook.xml", "mimetype")):
        return Detected("ZIP", note=f"zip archive unpacking to {total:,} bytes")
    if "xl/workbook.xml" in lower or "xl/workbook.bin" in lower:
        return Detected("XLSX", note="zip holding xl/workbook.xml")
    if "spreadsheet" in mimetype:
        return Detected("ODS", note=f"zip with mimetype {mimetype}")
    if "opendocument.text" in mimetype:
        return Detected("ODT", note=f"zip with mimetype {mimetype}")
    if "word/document.xml" in lower:
        return Detected("DOCX", note="zip holding word/document.xml")
    if any(n.startswith("ppt/") for n in lower):
        return Detected("PPTX", note="zip holding ppt/")
    if any(n.endswith(".kml") for n in lower):
        return Detected("KMZ", note="zip holding a .kml file")
    if any(n.endswith(".shp") for n in lower):
        return Detected("SHP", note="zip holding a .shp shapefile")
    return Detected("ZIP", note=f"zip archive of {len(names)} files")


_XML_ROOTS = (("kml", "KML"), ("rdf:rdf", "RDF"), ("gpx", "GPX"), ("html", "HTML"), ("!doctype html", "HTML"))


def _text_format(text: str, encoding: Encoding) -> Detected:
    head = text[:HEAD].lstrip("\ufeff \t\r\n")
    if head[:1] in "{[":
        fmt = _json_kind(text)
        if fmt:
            return Detected(fmt, encoding, text, note="JSON text")
    if head.startswith("<"):
        low = head[:4096].lower()
        if re.search(r"<(!doctype html|html[\s>])", low):
            return Detected("HTML", encoding, text, note="HTML page")
        m = re.search(r"<([a-z][\w:.-]*)", re.sub(r"<\?.*?\?>|<!--.*?-->", "", low, flags=re.S))
        root = m.group(1) if m else ""
        for tag, fmt in _XML_ROOTS:
            if root == tag:
                return Detected(fmt, encoding, text, note=f"XML with root <{root}>")
        return Detected("XML", encoding, text, note=f"XML with root <{root}>" if root else "XML text")
    if re.match(r"@prefix\s|@base\s|PREFIX\s", head):
        return Detected("TTL", encoding, text, note="Turtle prefixes")
    delim = _delimiter(head)
    if delim is not None:
        return Detected("TSV" if delim == "\t" else "CSV", encoding, text, note=f"delimited text ({delim!r})",
                        delimiter=delim)
    return Detected("TXT", encoding, text, note="plain text")


def _json_kind(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: hostile nesting ([[[[…)
        return None
    if isinstance(data, dict):
        if "@context" in data:
            return "JSON-LD"
        if data.get("type") in ("FeatureCollection", "Feature"):
            return "GEOJSON"
    return "JSON"


def _delimiter(head: str) -> str | None:
    """The delimiter that splits most of the first lines into two or more fields, the most
    evenly (a title line, a short row or an extra cell do not change the answer), if any."""
    lines = [ln for ln in head.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not head.endswith(("\n", "\r")) and len(head) >= HEAD - 8:
        lines = lines[:-1]  # the last line may be cut by the sample
    if not lines:
        return None
    best: tuple[tuple[float, float, int], str] | None = None
    for rank, delim in enumerate(("\t", ",", ";", "|")):
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        multi = sum(1 for w in widths if w >= 2) / len(widths)
        common = max(set(widths), key=widths.count)
        if multi < 0.6 or common < 2:
            continue
        score = (round(multi, 2), round(widths.count(common) / len(widths), 2), -rank)
        if best is None or score > best[0]:
            best = (score, delim)
    return best[1] if best else None
