"""The format vocabulary: canonical names, openness stars, machine readability, tabular readers.

Stars follow ckanext-dquality's table (according to its source, Jan 2026): RDF/TTL/JSON-LD/N3/
SPARQL 5; CSV/JSON/XML/GeoJSON/KML/TSV/ODS 3; XLS/XLSX/SHP/MDB 2; PDF/DOC/images/ZIP/TXT/HTML 1;
anything else 0. The difference is *what* is looked up: dquality takes the URL extension, so a
``.kml`` or ``.ods`` link it does not parse scores 0; here the format sniffed from the bytes is
looked up, and the declared one is only compared with it.
"""
from __future__ import annotations

import re

STARS: dict[str, int] = {}
for _fmts, _stars in (
    (("RDF", "TTL", "JSON-LD", "N3", "SPARQL", "NT"), 5),
    (("CSV", "JSON", "XML", "GEOJSON", "KML", "TSV", "ODS", "GPX"), 3),
    (("XLS", "XLSX", "SHP", "MDB", "KMZ"), 2),
    (("PDF", "DOC", "DOCX", "PPT", "PPTX", "ODT", "PNG", "JPEG", "GIF", "TIFF", "BMP", "WEBP", "ZIP", "TXT", "HTML",
      "RAR", "7Z", "GZIP"), 1),
):
    for _f in _fmts:
        STARS[_f] = _stars

#: formats a program can read as data without a person in between
MACHINE_READABLE = frozenset({"RDF", "TTL", "JSON-LD", "N3", "NT", "CSV", "TSV", "JSON", "GEOJSON", "XML", "KML", "KMZ",
                              "GPX", "ODS", "XLS", "XLSX", "SHP", "MDB"})
#: formats read as tables of rows (every sheet)
TABULAR = frozenset({"CSV", "TSV", "XLSX", "XLS", "ODS", "JSON"})
#: formats whose text encoding matters (checked for UTF-8)
TEXT = frozenset({"CSV", "TSV", "JSON", "GEOJSON", "JSON-LD", "XML", "KML", "GPX", "RDF", "TTL", "N3", "NT", "TXT", "HTML"})

#: what people write in the format field → the canonical name
_ALIASES = {
    "JPG": "JPEG", "TIF": "TIFF", "HTM": "HTML", "XHTML": "HTML", "GZ": "GZIP", "JSONLD": "JSON-LD", "TURTLE": "TTL",
    "OWL": "RDF", "RDF/XML": "RDF", "TEXT": "TXT", "EXCEL": "XLSX", "MS EXCEL": "XLSX", "SHAPEFILE": "SHP",
    "ESRI SHAPEFILE": "SHP", "TAB": "TSV", "WORD": "DOCX", "TEXT/CSV": "CSV", "APPLICATION/PDF": "PDF",
    "APPLICATION/JSON": "JSON", "GEO+JSON": "GEOJSON",
}


def canonical(declared: object) -> str | None:
    """The canonical format name for a declared format or file extension (``'.xlsx'`` → ``XLSX``)."""
    text = str(declared or "").strip().upper().lstrip(".")
    if not text:
        return None
    text = _ALIASES.get(text, text)
    if text in STARS:
        return text
    first = re.split(r"[\s/,;|()]+", text)
    for tok in first:
        tok = _ALIASES.get(tok, tok)
        if tok in STARS:
            return tok
    return text


def stars(fmt: str | None) -> int:
    """Openness stars (0-5) of a canonical format, by dquality's table."""
    return STARS.get(fmt or "", 0)


def same_family(declared: str | None, actual: str | None) -> bool:
    """Whether a declared format agrees with the sniffed one (JSON also covers GeoJSON/JSON-LD; CSV
    covers tab-separated text, which is what Excel's "Unicode text" CSV export writes)."""
    if declared is None or actual is None:
        return True
    if declared == actual:
        return True
    families = ({"CSV", "TSV"}, {"JSON", "GEOJSON", "JSON-LD"}, {"XML", "RDF", "KML", "GPX"}, {"ZIP", "SHP", "KMZ"})
    return any(declared in fam and actual in fam for fam in families)
