#!/usr/bin/env python3
"""A small Solr stand-in for running a real CKAN 2.11 in tests.

Apache Solr cannot be installed on the test machines (no Debian package, nothing on PyPI or
npm ships it), and CKAN indexes every dataset synchronously: without a search backend
``package_create`` fails with HTTP 500. This module answers the few Solr endpoints CKAN's
pysolr client calls, for one core (``/solr/ckan`` by default), from memory:

* ``GET /select?q=*:*&rows=1`` (CKAN's ping), ``/admin/ping``
* ``GET /schema?wt=schema.xml`` and ``/admin/file?file=schema.xml``: the real schema.xml of
  the installed CKAN, read from ``--schema`` or found under ``--ckan-venv``
* ``POST /update`` with a JSON array of documents, a JSON command object, or XML
  ``<add>``/``<delete><id>|<query></delete>``/``<commit/>``/``<optimize/>``
* ``GET|POST /select`` with ``q`` (Lucene syntax, or ``defType=dismax`` with ``qf``/``mm``),
  ``fq`` (repeatable), ``q.op``, ``df``, ``sort``, ``start``, ``rows``, ``fl``, ``facet.field``
  (+ ``facet.limit``/``facet.mincount``/``facet.sort``/``facet.offset``/``facet.prefix``, also
  per field as ``f.<field>.facet.*``), ``wt=json``.

Field types come from the schema (string, text, text_general, text_ngram, bool, int, float,
date), including dynamicFields and copyFields (so ``text`` gets what Solr would put there).
Anything the stand-in does not understand is answered with HTTP 400 and logged, so a gap is
loud rather than a silently wrong result. It is test infrastructure, not a search engine:
scores are crude (sum of matching clause boosts), stemming is Porter2 step 1 only, no
synonyms, highlighting, grouping, stats, spatial, function queries or local params.

Standard library only; binds to 127.0.0.1 by default and refuses non-loopback addresses.

    python3 solr_standin.py --port 8985 --schema /path/to/ckan/config/solr/schema.xml
    python3 solr_standin.py --port 8985 --ckan-venv ~/.cache/catalog-tools-ckan/venv
"""
from __future__ import annotations

import argparse
import calendar
import datetime as _dt
import fnmatch
import glob
import ipaddress
import json
import logging
import os
import re
import sys
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Optional
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("solr_standin")

MUST, SHOULD, MUST_NOT = "MUST", "SHOULD", "MUST_NOT"


class SolrError(Exception):
    """An error answered to the client as Solr would (HTTP 400 JSON by default)."""

    def __init__(self, msg: str, code: int = 400):
        super().__init__(msg)
        self.msg = msg
        self.code = code


# ---------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------

class FieldType:
    """kind: string | text | ngram | bool | int | float | date | binary."""

    def __init__(self, name: str, kind: str, multi: bool = False, stem: bool = False,
                 split_case: bool = False, fold: bool = False):
        self.name, self.kind, self.multi = name, kind, multi
        self.stem, self.split_case, self.fold = stem, split_case, fold

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"FieldType({self.name!r}, {self.kind!r})"


class FieldDef:
    def __init__(self, name: str, ftype: FieldType, multi: bool, stored: bool,
                 indexed: bool, required: bool = False, default: Optional[str] = None):
        self.name, self.type, self.multi = name, ftype, multi
        self.stored, self.indexed, self.required, self.default = stored, indexed, required, default

    @property
    def kind(self) -> str:
        return self.type.kind


def _attr_bool(el: ET.Element, name: str, default: bool) -> bool:
    v = el.get(name)
    return default if v is None else v.strip().lower() == "true"


_CLASS_KINDS = [
    ("StrField", "string"), ("BoolField", "bool"), ("BinaryField", "binary"),
    ("IntPointField", "int"), ("LongPointField", "int"), ("TrieIntField", "int"),
    ("TrieLongField", "int"), ("FloatPointField", "float"), ("DoublePointField", "float"),
    ("TrieFloatField", "float"), ("TrieDoubleField", "float"), ("DatePointField", "date"),
    ("TrieDateField", "date"), ("TextField", "text"),
]


class Schema:
    def __init__(self, xml_text: str):
        self.xml_text = xml_text
        try:
            root = ET.fromstring(xml_text.encode("utf-8") if isinstance(xml_text, str) else xml_text)
        except ET.ParseError as e:
            raise ValueError(f"schema.xml does not parse: {e}") from e
        if root.tag != "schema":
            raise ValueError("schema.xml root element is not <schema>")
        self.name = root.get("name", "")
        self.types: dict[str, FieldType] = {}
        for el in root.iter():
            if el.tag.lower() != "fieldtype":
                continue
            cls = el.get("class", "")
            kind = next((k for c, k in _CLASS_KINDS if cls.endswith(c)), None)
            if kind is None:
                raise ValueError(f"schema.xml: field type class {cls!r} is not supported by the stand-in")
            ft = FieldType(el.get("name", ""), kind, multi=_attr_bool(el, "multiValued", False))
            if kind == "text":
                analyzer = None
                for a in el.findall("analyzer"):
                    if a.get("type") in (None, "index"):
                        analyzer = a
                        break
                if analyzer is not None:
                    tok = analyzer.find("tokenizer")
                    if tok is not None and "NGram" in tok.get("class", ""):
                        ft.kind = "ngram"
                    for f in analyzer.findall("filter"):
                        fc = f.get("class", "")
                        if "Snowball" in fc or "Porter" in fc:
                            ft.stem = True
                        if "WordDelimiter" in fc:
                            ft.split_case = f.get("splitOnCaseChange", "1") == "1"
                        if "ASCIIFolding" in fc:
                            ft.fold = True
            self.types[ft.name] = ft
        self.fields: dict[str, FieldDef] = {}
        self.dynamic: list[tuple[str, FieldDef]] = []
        fields_el = root.find("fields")
        candidates = list(fields_el) if fields_el is not None else list(root)
        for el in candidates:
            if el.tag not in ("field", "dynamicField"):
                continue
            tname = el.get("type", "")
            if tname not in self.types:
                raise ValueError(f"schema.xml: field {el.get('name')!r} has unknown type {tname!r}")
            ft = self.types[tname]
            fd = FieldDef(el.get("name", ""), ft, multi=_attr_bool(el, "multiValued", ft.multi),
                          stored=_attr_bool(el, "stored", True),
                          indexed=_attr_bool(el, "indexed", True),
                          required=_attr_bool(el, "required", False), default=el.get("default"))
            if el.tag == "field":
                self.fields[fd.name] = fd
            else:
                self.dynamic.append((fd.name, fd))
        # Solr tries longer dynamic patterns first.
        self.dynamic.sort(key=lambda p: -len(p[0]))
        uk = root.find("uniqueKey")
        self.unique_key = uk.text.strip() if uk is not None and uk.text else "id"
        self.copy_fields: list[tuple[str, str]] = [
            (el.get("source", ""), el.get("dest", "")) for el in root.iter("copyField")]
        self._field_cache: dict[str, Optional[FieldDef]] = {}
        self._copy_cache: dict[str, list[str]] = {}

    def lookup(self, name: str) -> Optional[FieldDef]:
        if name in self._field_cache:
            return self._field_cache[name]
        fd = self.fields.get(name)
        if fd is None:
            for pattern, dfd in self.dynamic:
                if _dyn_match(pattern, name):
                    fd = FieldDef(name, dfd.type, dfd.multi, dfd.stored, dfd.indexed)
                    break
        self._field_cache[name] = fd
        return fd

    def field(self, name: str) -> FieldDef:
        fd = self.lookup(name)
        if fd is None:
            raise SolrError(f"undefined field {name}")
        return fd

    def copy_dests(self, name: str) -> list[str]:
        if name not in self._copy_cache:
            self._copy_cache[name] = [d for s, d in self.copy_fields
                                      if d != name and _dyn_match(s, name)]
        return self._copy_cache[name]


def _dyn_match(pattern: str, name: str) -> bool:
    if pattern == "*":
        return True
    if pattern.startswith("*"):
        return name.endswith(pattern[1:])
    if pattern.endswith("*"):
        return name.startswith(pattern[:-1])
    return pattern == name


def find_schema_xml(venv: str) -> str:
    hits = sorted(glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "ckan",
                                         "config", "solr", "schema.xml")))
    if not hits:
        raise FileNotFoundError(f"no ckan/config/solr/schema.xml under {venv}")
    return hits[-1]


# ---------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------

def _char_class(c: str) -> str:
    cat = unicodedata.category(c)
    if cat == "Nd":
        return "D"
    if cat[0] in "LM" or cat in ("Nl", "No"):
        if cat == "Lu":
            return "U"
        if cat == "Ll":
            return "L"
        return "A"
    return ""


def _word_delimit(token: str, split_case: bool) -> list[str]:
    """Approximates Lucene's WordDelimiterGraphFilter (generate word/number parts)."""
    if token.endswith(("'s", "'S", "\u2019s", "\u2019S")):
        token = token[:-2]
    parts: list[str] = []
    cur = ""
    prev = ""
    for c in token:
        cc = _char_class(c)
        if not cc:
            if cur:
                parts.append(cur)
            cur, prev = "", ""
            continue
        if cur:
            split = False
            if (prev == "D") != (cc == "D"):
                split = True  # letter <-> digit
            elif split_case and prev == "L" and cc == "U":
                split = True  # camelCase
            elif split_case and prev == "U" and cc == "L" and len(cur) > 1 and _char_class(cur[-2]) == "U":
                # "XMLParser" -> "XML", "Parser"
                parts.append(cur[:-1])
                cur = cur[-1]
            if split:
                parts.append(cur)
                cur = ""
        cur += c
        prev = cc
    if cur:
        parts.append(cur)
    return parts


def _fold(s: str) -> str:
    if s.isascii():
        return s
    out = []
    for c in s:
        if ord(c) < 128:
            out.append(c)
            continue
        d = unicodedata.normalize("NFKD", c)
        if d and d[0].isascii() and d[0].isalnum():
            out.append("".join(x for x in d if x.isascii()))
        else:
            out.append(c)
    return "".join(out)


_VOWELS = set("aeiouy")


def _porter2_step1(w: str) -> str:
    """Porter2 (Snowball English) steps 0, 1a, 1b and 1c; ASCII lower-case words only."""
    if len(w) <= 2 or not w.isascii() or not w.isalpha():
        return w
    # step 1a
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("ied", "ies")):
        w = w[:-2] if len(w) > 4 else w[:-1]
    elif w.endswith(("us", "ss")):
        pass
    elif w.endswith("s"):
        stem = w[:-1]
        if any(c in _VOWELS for c in stem[:-1]):
            w = stem
    # region R1 (simplified: after the first non-vowel following a vowel)
    r1 = len(w)
    for i in range(1, len(w)):
        if w[i] not in _VOWELS and w[i - 1] in _VOWELS:
            r1 = i + 1
            break
    # step 1b
    if w.endswith(("eedly", "eed")):
        suf = "eedly" if w.endswith("eedly") else "eed"
        if len(w) - len(suf) >= r1:
            w = w[: -len(suf)] + "ee"
    else:
        for suf in ("ingly", "edly", "ing", "ed"):
            if w.endswith(suf):
                stem = w[: -len(suf)]
                if any(c in _VOWELS for c in stem):
                    w = stem
                    if w.endswith(("at", "bl", "iz")):
                        w += "e"
                    elif len(w) >= 2 and w[-1] == w[-2] and w[-1] in "bdfgmnprt":
                        w = w[:-1]
                    elif len(w) <= 3 and len(w) >= 2 and w[-1] not in _VOWELS | set("wx") \
                            and w[-2] in _VOWELS and (len(w) == 2 or w[-3] not in _VOWELS):
                        w += "e"
                break
    # step 1c
    if len(w) > 2 and w[-1] in "yY" and w[-2] not in _VOWELS:
        w = w[:-1] + "i"
    return w


def analyze(ft: FieldType, value: str, query: bool = False) -> list[list[str]]:
    """Tokens of one value as positions; each position holds one or more terms.

    Index time adds the catenated word at the first position (catenateWords=1)."""
    if ft.kind == "ngram":
        return [[t.lower()] for t in value.split()]
    positions: list[list[str]] = []
    for ws in value.split():
        parts = _word_delimit(ws, ft.split_case)
        norm = [_norm_term(ft, p) for p in parts]
        for i, t in enumerate(norm):
            positions.append([t])
        if not query and len(parts) > 1 and all(_char_class(p[0]) != "D" for p in parts):
            cat = _norm_term(ft, "".join(parts))
            positions[-len(parts)].append(cat)
    return positions


def _norm_term(ft: FieldType, t: str) -> str:
    t = t.lower()
    if ft.stem:
        t = _porter2_step1(t)
    if ft.fold:
        t = _fold(t)
    return t


def _multiterm(ft: FieldType, t: str) -> str:
    """Normalisation applied to wildcard/range terms on text fields (no stemming)."""
    t = t.lower()
    if ft.fold:
        t = _fold(t)
    return t


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"^(\d{4,})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$")
_MATH_RE = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "Y", "YEARS": "Y", "MONTH": "M", "MONTHS": "M", "DAY": "D", "DAYS": "D",
    "DATE": "D", "HOUR": "h", "HOURS": "h", "MINUTE": "m", "MINUTES": "m", "SECOND": "s",
    "SECONDS": "s", "MILLI": "ms", "MILLIS": "ms", "MILLISECOND": "ms", "MILLISECONDS": "ms",
}
_UTC = _dt.timezone.utc


def _parse_iso(s: str) -> Optional[_dt.datetime]:
    m = _DATE_RE.match(s.strip())
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, tz = m.groups()
    try:
        dt = _dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0),
                          int((frac or "0").ljust(6, "0")[:6]), tzinfo=_UTC)
    except ValueError:
        return None
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        dt -= sign * _dt.timedelta(hours=hh, minutes=mm)
    return dt


def _add_months(dt: _dt.datetime, months: int) -> _dt.datetime:
    y, m = divmod(dt.month - 1 + months, 12)
    y += dt.year
    day = min(dt.day, calendar.monthrange(y, m + 1)[1])
    return dt.replace(year=y, month=m + 1, day=day)


def parse_date(s: str, now: Optional[_dt.datetime] = None) -> _dt.datetime:
    """ISO-8601 instant (Solr style) or NOW, with optional date math (NOW-1DAY, NOW/DAY+1DAY)."""
    s = s.strip()
    if s.startswith("NOW"):
        base = now or _dt.datetime.now(_UTC)
        rest = s[3:]
    else:
        # the instant ends at the first date-math operator after the 'Z'
        idx = s.find("Z")
        head, rest = (s[: idx + 1], s[idx + 1:]) if idx >= 0 else (s, "")
        base = _parse_iso(head)
        if base is None:
            raise SolrError(f"Invalid Date String:'{s}'")
    pos = 0
    dt = base
    while pos < len(rest):
        m = _MATH_RE.match(rest, pos)
        if not m:
            raise SolrError(f"Invalid Date Math String:'{s}'")
        pos = m.end()
        if m.group(4):
            unit = _UNITS.get(m.group(4))
            if unit is None:
                raise SolrError(f"Invalid Date Math String:'{s}'")
            if unit == "Y":
                dt = dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
            elif unit == "M":
                dt = dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            elif unit == "D":
                dt = dt.replace(hour=0, minute=0, second=0, microsecond=0)
            elif unit == "h":
                dt = dt.replace(minute=0, second=0, microsecond=0)
            elif unit == "m":
                dt = dt.replace(second=0, microsecond=0)
            elif unit == "s":
                dt = dt.replace(microsecond=0)
            continue
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        unit = _UNITS.get(m.group(3))
        if unit is None:
            raise SolrError(f"Invalid Date Math String:'{s}'")
        if unit == "Y":
            dt = _add_months(dt, 12 * n)
        elif unit == "M":
            dt = _add_months(dt, n)
        else:
            secs = {"D": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
            dt = dt + _dt.timedelta(seconds=n * secs)
    return dt


def date_key(dt: _dt.datetime) -> int:
    """Milliseconds since the epoch (Solr keeps dates at millisecond precision)."""
    return calendar.timegm(dt.utctimetuple()) * 1000 + dt.microsecond // 1000


def format_date(ms: int) -> str:
    secs, milli = divmod(ms, 1000)
    base = _dt.datetime(1970, 1, 1, tzinfo=_UTC) + _dt.timedelta(seconds=secs)
    out = base.strftime("%Y-%m-%dT%H:%M:%S")
    return out + (f".{milli:03d}Z" if milli else "Z")


# ---------------------------------------------------------------------------------------
# Query model
# ---------------------------------------------------------------------------------------

class Node:
    boost: float = 1.0
    _set: Optional[set] = None


class MatchAll(Node):
    def __repr__(self) -> str:
        return "*:*"


class Term(Node):
    def __init__(self, field: str, text: str, wildcard: bool = False):
        self.field, self.text, self.wildcard = field, text, wildcard

    def __repr__(self) -> str:
        return f"{self.field}:{self.text}{'(wc)' if self.wildcard else ''}"


class Phrase(Node):
    def __init__(self, field: str, text: str):
        self.field, self.text = field, text

    def __repr__(self) -> str:
        return f'{self.field}:"{self.text}"'


class Range(Node):
    def __init__(self, field: str, lo: Optional[str], hi: Optional[str], inc_lo: bool, inc_hi: bool):
        self.field, self.lo, self.hi, self.inc_lo, self.inc_hi = field, lo, hi, inc_lo, inc_hi

    def __repr__(self) -> str:
        return (f"{self.field}:{'[' if self.inc_lo else '{'}{self.lo or '*'} TO "
                f"{self.hi or '*'}{']' if self.inc_hi else '}'}")


class Bool(Node):
    def __init__(self, clauses: list[tuple[str, Node]], min_should: int = 0):
        self.clauses, self.min_should = clauses, min_should

    def __repr__(self) -> str:
        sign = {MUST: "+", SHOULD: "", MUST_NOT: "-"}
        inner = " ".join(f"{sign[o]}{n!r}" for o, n in self.clauses)
        return f"({inner})" + (f"~{self.min_should}" if self.min_should else "")


class DisMax(Node):
    def __init__(self, alts: list[Node], tie: float):
        self.alts, self.tie = alts, tie

    def __repr__(self) -> str:
        return "(" + " | ".join(repr(a) for a in self.alts) + ")"


# ---------------------------------------------------------------------------------------
# Lucene query parser
# ---------------------------------------------------------------------------------------

_SPECIAL = set('+-&|!(){}[]^"~*?:\\/ \t\r\n\u3000')
_TERM_STOP = set('(){}[]^":~ \t\r\n\u3000')


class _Tok:
    __slots__ = ("kind", "text", "wild", "extra")

    def __init__(self, kind: str, text: str = "", wild: bool = False, extra: Any = None):
        self.kind, self.text, self.wild, self.extra = kind, text, wild, extra

    def __repr__(self) -> str:  # pragma: no cover
        return f"{self.kind}:{self.text!r}"


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == "{" and q.startswith("{!", i):
            raise SolrError("local params ({!...}) are not supported by the Solr stand-in")
        if c in "()":
            toks.append(_Tok(c))
            i += 1
            continue
        if q.startswith("&&", i) or q.startswith("||", i):
            toks.append(_Tok("AND" if c == "&" else "OR"))
            i += 2
            continue
        if c in "+-!":
            toks.append(_Tok("MOD", "-" if c in "-!" else "+"))
            i += 1
            continue
        if c == ":":
            toks.append(_Tok(":"))
            i += 1
            continue
        if c == "^":
            m = re.match(r"\^(\d+(?:\.\d+)?)", q[i:])
            if not m:
                raise SolrError(f"Cannot parse '{q}': bad boost at position {i}")
            toks.append(_Tok("BOOST", m.group(1)))
            i += m.end()
            continue
        if c == "~":
            m = re.match(r"~(\d+(?:\.\d+)?)?", q[i:])
            toks.append(_Tok("TILDE", m.group(1) or ""))
            i += m.end()
            continue
        if c == '"':
            j = i + 1
            buf = []
            while j < n and q[j] != '"':
                if q[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(q[j])
                j += 1
            if j >= n:
                raise SolrError(f"Cannot parse '{q}': Lexical error: unterminated phrase")
            toks.append(_Tok("PHRASE", "".join(buf)))
            i = j + 1
            continue
        if c in "[{":
            j = i + 1
            depth_q = False
            while j < n and (depth_q or q[j] not in "]}"):
                if q[j] == '"':
                    depth_q = not depth_q
                elif q[j] == "\\":
                    j += 1
                j += 1
            if j >= n:
                raise SolrError(f"Cannot parse '{q}': unterminated range")
            toks.append(_Tok("RANGE", q[i + 1:j], extra=(c == "[", q[j] == "]")))
            i = j + 1
            continue
        if c in "]}":
            raise SolrError(f"Cannot parse '{q}': unexpected '{c}'")
        if c == "/":
            raise SolrError("regular expression queries are not supported by the Solr stand-in")
        # a term
        j = i
        buf = []
        wild = False
        while j < n:
            ch = q[j]
            if ch == "\\":
                if j + 1 < n:
                    buf.append(q[j + 1])
                    j += 2
                    continue
                raise SolrError(f"Cannot parse '{q}': trailing backslash")
            if ch in _TERM_STOP:
                break
            if q.startswith("&&", j) or q.startswith("||", j):
                break
            if ch in "*?":
                wild = True
                buf.append("\x00" if ch == "*" else "\x01")
            else:
                buf.append(ch)
            j += 1
        text = "".join(buf)
        if text in ("AND", "OR", "NOT") and not wild:
            toks.append(_Tok(text) if text != "NOT" else _Tok("MOD", "-", extra="NOT"))
        else:
            toks.append(_Tok("TERM", text, wild))
        i = j
    return toks


def _wild_to_glob(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\x00":
            out.append("*")
        elif ch == "\x01":
            out.append("?")
        elif ch in "*?[]":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


class LuceneParser:
    """Lucene classic query syntax, with Lucene's clause semantics for AND/OR/+/-/NOT.

    In ``dismax`` mode the field part is disabled (':' and other syntax characters are
    literal, as after Solr's partialEscape) and every leaf becomes a DisMax over ``qf``."""

    def __init__(self, default_field: str, default_op: str = "OR", dismax_fields=None,
                 tie: float = 0.0):
        self.df = default_field
        self.op = default_op.upper()
        self.qf = dismax_fields  # list of (field, boost) or None
        self.tie = tie

    def parse(self, q: str) -> Optional[Node]:
        self.src = q
        self.toks = _lex(q)
        self.pos = 0
        node = self._query(self.df, top=True)
        if self.pos < len(self.toks):
            raise SolrError(f"Cannot parse '{q}': unexpected {self.toks[self.pos].kind}")
        return node

    # -- helpers
    def _peek(self) -> Optional[_Tok]:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _next(self) -> _Tok:
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def _query(self, field: str, top: bool = False) -> Optional[Node]:
        clauses: list[tuple[str, Node]] = []
        first = True
        while True:
            t = self._peek()
            if t is None or t.kind == ")":
                break
            conj = None
            if t.kind in ("AND", "OR"):
                if first:
                    if self.qf is not None:
                        self.pos += 1  # dismax strips dangling operators
                        continue
                    raise SolrError(f"Cannot parse '{self.src}': Encountered \"{t.kind}\" at start")
                conj = t.kind
                self.pos += 1
                t = self._peek()
                if t is None or t.kind == ")":
                    if self.qf is not None:
                        break
                    raise SolrError(f"Cannot parse '{self.src}': Encountered end after {conj}")
            mod = None
            while t is not None and t.kind == "MOD":
                mod = t.text
                self.pos += 1
                t = self._peek()
            if t is None or t.kind == ")":
                if self.qf is not None:
                    break
                raise SolrError(f"Cannot parse '{self.src}': dangling operator")
            node = self._clause(field)
            self._add_clause(clauses, conj, mod, node)
            first = False
        real = [(o, n) for o, n in clauses if n is not None]
        if not real:
            return None
        if len(real) == 1 and real[0][0] != MUST_NOT and not top:
            return real[0][1]
        return Bool(real)

    def _add_clause(self, clauses, conj, mod, node) -> None:
        # Mirrors org.apache.lucene.queryparser.classic.QueryParserBase.addClause
        if clauses and conj == "AND":
            o, n = clauses[-1]
            if o != MUST_NOT:
                clauses[-1] = (MUST, n)
        if clauses and self.op == "AND" and conj == "OR":
            o, n = clauses[-1]
            if o != MUST_NOT:
                clauses[-1] = (SHOULD, n)
        prohibited = mod == "-"
        if self.op == "OR":
            required = mod == "+" or (conj == "AND" and not prohibited)
        else:
            required = not prohibited and conj != "OR"
        occur = MUST if required and not prohibited else MUST_NOT if prohibited else SHOULD
        clauses.append((occur, node))

    def _clause(self, field: str) -> Optional[Node]:
        t = self._next()
        if self.qf is None and t.kind == "TERM" and self._peek() is not None and self._peek().kind == ":":
            self.pos += 1
            fname = t.text
            if t.wild:
                if fname != "\x00":
                    raise SolrError(f"wildcard field names are not supported: {self.src}")
                nt = self._peek()
                if nt is not None and nt.kind == "TERM" and nt.text == "\x00":
                    self.pos += 1
                    return self._boosted(MatchAll())
                raise SolrError(f"Cannot parse '{self.src}': '*:' must be followed by '*'")
            if self._peek() is None:
                raise SolrError(f"Cannot parse '{self.src}': missing value for field {fname}")
            field = fname
            t = self._next()
        if t.kind == "(":
            sub = self._query(field)
            if self._peek() is None or self._peek().kind != ")":
                raise SolrError(f"Cannot parse '{self.src}': missing ')'")
            self.pos += 1
            return self._boosted(sub)
        if t.kind == "TERM":
            if self._peek() is not None and self._peek().kind == "TILDE":
                raise SolrError("fuzzy queries (term~) are not supported by the Solr stand-in")
            node = self._leaf(field, t.text, "term", t.wild)
            return self._boosted(node)
        if t.kind == "PHRASE":
            if self._peek() is not None and self._peek().kind == "TILDE":
                self.pos += 1  # proximity slop: treated as an exact phrase
            return self._boosted(self._leaf(field, t.text, "phrase"))
        if t.kind == "RANGE":
            if self.qf is not None:
                raise SolrError("range queries are not supported in dismax")
            lo, hi = _split_range(t.text, self.src)
            inc_lo, inc_hi = t.extra
            return self._boosted(Range(field, lo, hi, inc_lo, inc_hi))
        if t.kind == ":":
            raise SolrError(f"Cannot parse '{self.src}': Encountered \":\"")
        raise SolrError(f"Cannot parse '{self.src}': unexpected {t.kind}")

    def _boosted(self, node: Optional[Node]) -> Optional[Node]:
        t = self._peek()
        if t is not None and t.kind == "BOOST":
            self.pos += 1
            if node is not None:
                node.boost = float(t.text)
        return node

    def _leaf(self, field: str, text: str, kind: str, wild: bool = False) -> Optional[Node]:
        if self.qf is None:
            if kind == "phrase":
                return Phrase(field, text)
            if wild and text == "\x00":
                return Range(field, None, None, True, True)  # field:* -> has any value
            return Term(field, text, wild)
        alts: list[Node] = []
        for f, b in self.qf:
            n: Node = Phrase(f, text) if kind == "phrase" else Term(f, text, wild)
            n.boost = b
            alts.append(n)
        return DisMax(alts, self.tie)


def _split_range(body: str, src: str) -> tuple[Optional[str], Optional[str]]:
    parts = re.findall(r'"(?:[^"\\]|\\.)*"|\S+', body)
    if len(parts) != 3 or parts[1] != "TO":
        raise SolrError(f"Cannot parse '{src}': bad range [{body}]")

    def val(p: str) -> Optional[str]:
        if p == "*":
            return None
        if p.startswith('"') and p.endswith('"'):
            return re.sub(r"\\(.)", r"\1", p[1:-1])
        return re.sub(r"\\(.)", r"\1", p)

    return val(parts[0]), val(parts[2])


def parse_mm(spec: str, optional: int) -> int:
    """Solr's SolrPluginUtils.calculateMinShouldMatch."""
    spec = (spec or "").strip()
    result = optional
    try:
        if "<" in spec:
            spec = re.sub(r"\s*<\s*", "<", spec)
            for s in spec.split():
                upper, _, rest = s.partition("<")
                if optional <= int(upper):
                    return result
                result = parse_mm(rest, optional)
            return result
        if spec.endswith("%"):
            calc = result * int(spec[:-1]) / 100.0
            result = result + int(calc) if calc < 0 else int(calc)
        elif spec:
            calc = int(spec)
            result = result + calc if calc < 0 else calc
    except ValueError:
        raise SolrError(f"Invalid 'mm' (minimum should match) specification: {spec!r}")
    return optional if optional < result else max(result, 0)


# ---------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------

def _as_list(v: Any) -> list:
    if isinstance(v, (list, tuple)):
        return list(v)
    return [v]


class SolrIndex:
    """In-memory documents plus per-field inverted indexes (term -> set of doc keys)."""

    def __init__(self, schema: Schema, data_dir: Optional[str] = None):
        self.schema = schema
        self.lock = threading.RLock()
        self.docs: dict[str, dict] = {}           # key -> stored document (as Solr returns it)
        self.seq: dict[str, int] = {}             # key -> index order (Lucene doc order)
        self.values: dict[str, dict[str, list]] = {}   # key -> field -> indexed values
        self.inv: dict[str, dict[Any, set]] = {}      # field -> term -> keys
        self.positions: dict[str, dict[str, list]] = {}  # key -> text field -> [[pos terms]]
        self._source: dict[str, dict] = {}       # key -> document as received (journal)
        self._counter = 0
        self.data_dir = data_dir
        self._journal = None
        if data_dir:
            self._load_journal()

    # -- persistence --------------------------------------------------------------------
    def _journal_path(self) -> str:
        return os.path.join(self.data_dir, "index.jsonl")

    def _load_journal(self) -> None:
        os.makedirs(self.data_dir, exist_ok=True)
        path = self._journal_path()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        op = json.loads(line)
                    except ValueError:
                        log.warning("skipping a truncated journal line")
                        continue
                    if op.get("op") == "add":
                        self._add(op["doc"], journal=False)
                    elif op.get("op") == "del":
                        for k in op["keys"]:
                            self._remove(k)
            # compact: one add per live document
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                for k in sorted(self.docs, key=self.seq.__getitem__):
                    fh.write(json.dumps({"op": "add", "doc": self._source[k]}, ensure_ascii=False) + "\n")
            os.replace(tmp, path)
        self._journal = open(path, "a", encoding="utf-8")

    def _log(self, op: dict) -> None:
        if self._journal is not None:
            self._journal.write(json.dumps(op, ensure_ascii=False) + "\n")
            self._journal.flush()

    # -- writing --------------------------------------------------------------------------
    def add(self, doc: dict) -> None:
        with self.lock:
            self._add(doc, journal=True)

    def _add(self, doc: dict, journal: bool) -> None:
        if not isinstance(doc, dict):
            raise SolrError("Expected a JSON object for each document")
        schema = self.schema
        uk = schema.unique_key
        clean: dict[str, list] = {}
        for name, raw in doc.items():
            if raw is None:
                continue
            if isinstance(raw, dict):
                raise SolrError(f"atomic updates / nested documents are not supported (field {name})")
            vals = [v for v in _as_list(raw) if v is not None]
            if not vals:
                continue
            fd = schema.lookup(name)
            if fd is None:
                raise SolrError(f"ERROR: [doc={doc.get(uk)}] unknown field '{name}'")
            if len(vals) > 1 and not fd.multi:
                raise SolrError(f"ERROR: [doc={doc.get(uk)}] multiple values encountered for "
                                f"non multiValued field {name}: {vals!r}")
            clean[name] = [self._convert(fd, v, doc.get(uk)) for v in vals]
        for name, fd in schema.fields.items():
            if name not in clean and fd.default is not None:
                clean[name] = [self._convert(fd, fd.default, doc.get(uk))]
        if uk not in clean:
            raise SolrError(f"Document is missing mandatory uniqueKey field: {uk}")
        for name, fd in schema.fields.items():
            if fd.required and name not in clean:
                raise SolrError(f"[doc={clean[uk][0]}] missing required field: {name}")
        key = str(clean[uk][0])
        if key in self.docs:
            self._remove(key)
        self._counter += 1
        self.seq[key] = self._counter
        stored: dict[str, Any] = {}
        fvals: dict[str, list] = {}
        pos: dict[str, list] = {}
        for name, vals in clean.items():
            fd = schema.field(name)
            if fd.stored:
                out = [format_date(v) if fd.kind == "date" else v for v in vals]
                stored[name] = out if fd.multi else out[0]
            targets = [(name, fd)] if fd.indexed else []
            for dest in schema.copy_dests(name):
                dfd = schema.lookup(dest)
                if dfd is not None and dfd.indexed:
                    targets.append((dest, dfd))
            for tname, tfd in targets:
                for v in vals:
                    self._index_value(key, tname, tfd, v, fvals, pos)
        self.docs[key] = stored
        self.values[key] = fvals
        self.positions[key] = pos
        src = dict(doc)
        self._source[key] = src
        if journal:
            self._log({"op": "add", "doc": src})

    def _convert(self, fd: FieldDef, v: Any, docid: Any) -> Any:
        k = fd.kind
        try:
            if k == "date":
                if isinstance(v, (int, float)):
                    return int(v)
                return date_key(parse_date(str(v)))
            if k == "int":
                if isinstance(v, bool):
                    raise ValueError
                return int(v)
            if k == "float":
                return float(v)
            if k == "bool":
                if isinstance(v, bool):
                    return v
                return str(v).strip().lower() == "true"
        except (ValueError, SolrError):
            raise SolrError(f"ERROR: [doc={docid}] Error adding field '{fd.name}'='{v}'")
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, dict)):
            raise SolrError(f"ERROR: [doc={docid}] nested value in field '{fd.name}'")
        return str(v) if not isinstance(v, str) else v

    def _index_value(self, key: str, name: str, fd: FieldDef, v: Any, fvals: dict, pos: dict) -> None:
        inv = self.inv.setdefault(name, {})
        k = fd.kind
        if k in ("text",):
            sv = v if isinstance(v, str) else str(v)
            positions = analyze(fd.type, sv)
            pos.setdefault(name, []).append([p[0] for p in positions])
            for p in positions:
                for term in p:
                    inv.setdefault(term, set()).add(key)
                    fvals.setdefault(name, []).append(term)
            if not positions:
                fvals.setdefault(name, [])
        elif k == "ngram":
            sv = (v if isinstance(v, str) else str(v)).lower()
            inv.setdefault(sv, set()).add(key)
            fvals.setdefault(name, []).append(sv)
        else:
            if k in ("string", "binary") and not isinstance(v, str):
                v = str(v)
            inv.setdefault(v, set()).add(key)
            fvals.setdefault(name, []).append(v)

    def _remove(self, key: str) -> None:
        fvals = self.values.pop(key, None)
        if fvals is None:
            return
        for name, vals in fvals.items():
            inv = self.inv.get(name, {})
            for v in vals:
                s = inv.get(v)
                if s is not None:
                    s.discard(key)
                    if not s:
                        del inv[v]
        self.docs.pop(key, None)
        self.seq.pop(key, None)
        self.positions.pop(key, None)
        self._source.pop(key, None)

    def delete_ids(self, ids: Iterable[str]) -> int:
        with self.lock:
            keys = [str(i) for i in ids if str(i) in self.docs]
            for k in keys:
                self._remove(k)
            if keys:
                self._log({"op": "del", "keys": keys})
            return len(keys)

    def delete_query(self, q: str) -> int:
        with self.lock:
            node = LuceneParser("text", "OR").parse(q)
            keys = sorted(self._eval(node, top=True)) if node is not None else []
            for k in keys:
                self._remove(k)
            if keys:
                self._log({"op": "del", "keys": keys})
            return len(keys)

    # -- matching -------------------------------------------------------------------------
    def _all(self) -> set:
        return set(self.docs)

    def _eval(self, node: Optional[Node], top: bool = False) -> set:
        s = self._eval_node(node)
        return s if s is not None else set()

    def _eval_node(self, node: Optional[Node]) -> Optional[set]:
        if node is None:
            return None
        if isinstance(node, MatchAll):
            res: Optional[set] = self._all()
        elif isinstance(node, Bool):
            res = self._eval_bool(node)
        elif isinstance(node, DisMax):
            sets = [self._eval_node(a) for a in node.alts]
            sets = [s for s in sets if s is not None]
            res = set().union(*sets) if sets else None
        elif isinstance(node, Term):
            res = self._eval_term(node)
        elif isinstance(node, Phrase):
            res = self._eval_phrase(node)
        elif isinstance(node, Range):
            res = self._eval_range(node)
        else:  # pragma: no cover
            raise SolrError(f"unsupported query node {node!r}")
        node._set = res
        return res

    def _eval_bool(self, node: Bool) -> Optional[set]:
        musts, shoulds, nots = [], [], []
        for occur, sub in node.clauses:
            s = self._eval_node(sub)
            if s is None:
                continue
            (musts if occur == MUST else shoulds if occur == SHOULD else nots).append(s)
        if not musts and not shoulds and not nots:
            return None
        if musts:
            musts.sort(key=len)
            res = set(musts[0])
            for s in musts[1:]:
                res &= s
        elif shoulds:
            res = set().union(*shoulds)
        else:
            res = self._all()  # pure negative query: Solr adds *:*
        need = node.min_should if shoulds else 0
        if need > 0:
            res = {k for k in res if sum(1 for s in shoulds if k in s) >= need}
        for s in nots:
            res -= s
        return res

    def _eval_term(self, node: Term) -> Optional[set]:
        fd = self.schema.field(node.field)
        inv = self.inv.get(node.field, {})
        k = fd.kind
        if node.wildcard:
            pattern = _wild_to_glob(node.text)
            if k in ("text", "ngram"):
                pattern = _multiterm(fd.type, pattern)
            elif k in ("int", "float", "date", "bool"):
                raise SolrError(f"wildcard queries are not supported on {k} field {node.field}")
            if k == "ngram":
                raise SolrError(f"wildcard queries on ngram field {node.field} are not supported")
            if pattern == "*":
                return set().union(*inv.values()) if inv else set()
            out: set = set()
            for term, keys in inv.items():
                if fnmatch.fnmatchcase(term, pattern):
                    out |= keys
            return out
        text = node.text
        if k == "string":
            return set(inv.get(text, ()))
        if k == "text":
            positions = analyze(fd.type, text, query=True)
            terms = [p[0] for p in positions]
            if not terms:
                return None
            if len(terms) == 1:
                return set(inv.get(terms[0], ()))
            # several tokens from one query term: combined with the default operator
            sets = [inv.get(t, set()) for t in terms]
            return set.intersection(*map(set, sets))
        if k == "ngram":
            return self._eval_ngram(node.field, text)
        if k == "bool":
            return set(inv.get(text.strip().lower() == "true", ()))
        val = self._convert(fd, text, None) if k != "date" else date_key(parse_date(text))
        return set(inv.get(val, ()))

    def _eval_ngram(self, field: str, text: str) -> Optional[set]:
        toks = [t.lower() for t in text.split()]
        if not toks:
            return None
        inv = self.inv.get(field, {})
        res: Optional[set] = None
        for t in toks:
            hit: set = set()
            if 2 <= len(t) <= 10:
                for value, keys in inv.items():
                    if t in value:
                        hit |= keys
            res = hit if res is None else res & hit
        return res

    def _eval_phrase(self, node: Phrase) -> Optional[set]:
        fd = self.schema.field(node.field)
        k = fd.kind
        if k == "string":
            return set(self.inv.get(node.field, {}).get(node.text, ()))
        if k in ("int", "float", "date", "bool"):
            return self._eval_term(Term(node.field, node.text))
        if k == "ngram":
            return self._eval_ngram(node.field, node.text)
        terms = [p[0] for p in analyze(fd.type, node.text, query=True)]
        if not terms:
            return None
        inv = self.inv.get(node.field, {})
        sets = sorted((inv.get(t, set()) for t in terms), key=len)
        cand = set(sets[0])
        for s in sets[1:]:
            cand &= s
        if len(terms) == 1:
            return cand
        out = set()
        for key in cand:
            for seq in self.positions.get(key, {}).get(node.field, []):
                if _contains_seq(seq, terms):
                    out.add(key)
                    break
        return out

    def _eval_range(self, node: Range) -> set:
        fd = self.schema.field(node.field)
        inv = self.inv.get(node.field, {})
        k = fd.kind
        if node.lo is None and node.hi is None:
            return set().union(*inv.values()) if inv else set()
        if k in ("int", "float"):
            conv = lambda x: self._convert(fd, x, None)  # noqa: E731
        elif k == "date":
            now = _dt.datetime.now(_UTC)
            conv = lambda x: date_key(parse_date(x, now))  # noqa: E731
        elif k in ("text", "ngram"):
            conv = lambda x: _multiterm(fd.type, x)  # noqa: E731
        elif k == "bool":
            raise SolrError(f"range queries are not supported on boolean field {node.field}")
        else:
            conv = lambda x: x  # noqa: E731
        lo = conv(node.lo) if node.lo is not None else None
        hi = conv(node.hi) if node.hi is not None else None
        out: set = set()
        for term, keys in inv.items():
            if lo is not None and (term < lo or (term == lo and not node.inc_lo)):
                continue
            if hi is not None and (term > hi or (term == hi and not node.inc_hi)):
                continue
            out |= keys
        return out

    # -- scoring ----------------------------------------------------------------------------
    def _score(self, node: Optional[Node], key: str) -> float:
        if node is None or node._set is None or key not in node._set:
            return 0.0
        if isinstance(node, Bool):
            return node.boost * sum(self._score(n, key) for o, n in node.clauses if o != MUST_NOT)
        if isinstance(node, DisMax):
            scores = sorted((self._score(a, key) for a in node.alts), reverse=True)
            if not scores:
                return 0.0
            return node.boost * (scores[0] + node.tie * sum(scores[1:]))
        return node.boost

    # -- searching ---------------------------------------------------------------------------
    def search(self, params: dict[str, list[str]]) -> dict:
        started = time.perf_counter()
        p1 = {k: v[-1] for k, v in params.items() if v}

        for flag in ("hl", "group", "stats", "spellcheck", "mlt", "terms", "expand", "facet.pivot"):
            if p1.get(flag, "false").lower() in ("true", "on", "1") or (flag == "facet.pivot" and flag in p1):
                raise SolrError(f"'{flag}' is not supported by the Solr stand-in")
        for unsupported in ("facet.query", "facet.range", "facet.interval", "cursorMark",
                            "bf", "boost", "bq", "pf", "json.facet", "rq", "collapse"):
            if params.get(unsupported):
                raise SolrError(f"parameter '{unsupported}' is not supported by the Solr stand-in")
        wt = p1.get("wt", "json")
        if wt != "json":
            raise SolrError(f"wt={wt} is not supported by the Solr stand-in (only json)")
        try:
            start = int(p1.get("start", "0"))
            rows = int(p1.get("rows", "10"))
        except ValueError as e:
            raise SolrError(f"invalid start/rows: {e}")
        if start < 0 or rows < 0:
            raise SolrError("'start' and 'rows' must not be negative")

        with self.lock:
            df = p1.get("df", "text")
            op = p1.get("q.op", "OR").upper()
            if op not in ("AND", "OR"):
                raise SolrError(f"invalid q.op {op}")
            deftype = p1.get("defType", "lucene")
            q = p1.get("q")
            if q is None and deftype in ("dismax", "edismax"):
                q = p1.get("q.alt")
                deftype = "lucene"
            if deftype == "lucene":
                qnode = LuceneParser(df, op).parse(q) if q is not None else None
            elif deftype in ("dismax", "edismax"):
                qnode = self._parse_dismax(q or "", p1, op, params)
            else:
                raise SolrError(f"Unknown query parser '{deftype}'")
            matched = self._eval(qnode, top=True) if q is not None else set()
            for fq in params.get("fq", []):
                if not fq.strip():
                    continue
                fnode = LuceneParser(df, op).parse(fq)
                if fnode is None:
                    continue
                matched &= self._eval(fnode, top=True)

            sort_spec = p1.get("sort", "score desc")
            keys = self._sort(matched, sort_spec, qnode)
            page = keys[start:start + rows]
            fl = self._parse_fl(p1.get("fl", "*"))
            docs = [self._project(k, fl, qnode) for k in page]
            body: dict[str, Any] = {
                "responseHeader": {"status": 0, "QTime": 0,
                                   "params": {k: (v if len(v) > 1 else v[0]) for k, v in params.items()}},
                "response": {"numFound": len(matched), "start": start, "numFoundExact": True,
                             "docs": docs},
            }
            if p1.get("facet", "false").lower() in ("true", "on") and params.get("facet.field"):
                body["facet_counts"] = {
                    "facet_queries": {},
                    "facet_fields": {f: self._facet(f, matched, params) for f in params["facet.field"]},
                    "facet_ranges": {}, "facet_intervals": {}, "facet_heatmaps": {}}
        body["responseHeader"]["QTime"] = int((time.perf_counter() - started) * 1000)
        return body

    def _parse_dismax(self, q: str, p1: dict, op: str, params) -> Optional[Node]:
        qf_spec = p1.get("qf") or p1.get("df", "text")
        qf = []
        for part in qf_spec.split():
            name, _, boost = part.partition("^")
            self.schema.field(name)
            qf.append((name, float(boost) if boost else 1.0))
        try:
            tie = float(p1.get("tie", "0"))
        except ValueError:
            raise SolrError("invalid tie")
        if q.count('"') % 2:
            q = q.replace('"', "")
        # partialEscape: everything but + - and " is literal
        esc = re.sub(r'([\\!():^\[\]{}~*?/]|&&|\|\|)', lambda m: "".join("\\" + c for c in m.group(1)), q)
        node = LuceneParser("text", "OR", dismax_fields=qf, tie=tie).parse(esc)
        if node is None:
            return None
        if not isinstance(node, Bool):
            node = Bool([(SHOULD, node)])
        # like Solr, drop words that analyse to nothing in every qf field (they do not
        # count towards mm)
        node.clauses = [(o, n) for o, n in node.clauses if not self._analyses_empty(n)]
        if not node.clauses:
            return None
        optional = sum(1 for o, n in node.clauses if o == SHOULD)
        mm = p1.get("mm")
        if mm is None:
            mm = "100%" if op == "AND" else "0%"
        node.min_should = parse_mm(mm, optional)
        return node

    def _analyses_empty(self, node: Node) -> bool:
        if not isinstance(node, DisMax):
            return False
        for alt in node.alts:
            fd = self.schema.field(alt.field)  # type: ignore[attr-defined]
            text = alt.text  # type: ignore[attr-defined]
            if fd.kind == "text":
                if analyze(fd.type, text, query=True):
                    return False
            elif fd.kind == "ngram":
                if text.split():
                    return False
            elif text:
                return False
        return True

    def _sort(self, matched: set, spec: str, qnode: Optional[Node]) -> list[str]:
        keys = sorted(matched, key=self.seq.__getitem__)
        if "(" in spec:
            raise SolrError(f"function sorts are not supported by the Solr stand-in: {spec}")
        crits = []
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            bits = part.split()
            if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
                raise SolrError(f"Can't determine a Sort Order (asc or desc) in sort spec '{part}'")
            fname, direction = bits[0], bits[1].lower()
            if fname != "score":
                fd = self.schema.lookup(fname)
                if fd is None:
                    raise SolrError(f"sort param field can't be found: {fname}")
                if fd.multi:
                    raise SolrError(f"can not sort on multivalued field: {fname}")
                if fd.kind in ("text", "ngram"):
                    raise SolrError(f"can not sort on a tokenized field: {fname} (stand-in limitation)")
            crits.append((fname, direction == "desc"))
        for fname, desc in reversed(crits):
            if fname == "score":
                scores = {k: self._score(qnode, k) for k in keys}
                keys.sort(key=scores.__getitem__, reverse=desc)
                continue
            fd = self.schema.field(fname)

            def keyf(k, fname=fname, desc=desc, fd=fd):
                vals = self.values[k].get(fname)
                if not vals:
                    return (0, "") if desc else (1, "")
                return (1, vals[0]) if desc else (0, vals[0])
            keys.sort(key=keyf, reverse=desc)
        return keys

    def _parse_fl(self, fl: str) -> list[str]:
        names = [x for x in re.split(r"[\s,]+", fl.strip()) if x]
        for n in names:
            if "(" in n or n.startswith("[") or ":" in n:
                raise SolrError(f"fl entry {n!r} (functions, transformers, aliases) is not supported by the Solr stand-in")
        return names or ["*"]

    def _project(self, key: str, fl: list[str], qnode: Optional[Node]) -> dict:
        stored = self.docs[key]
        out: dict[str, Any] = {}
        for name in fl:
            if name == "score":
                continue
            if name == "*":
                out.update(stored)
            elif "*" in name or "?" in name:
                out.update({k: v for k, v in stored.items() if fnmatch.fnmatchcase(k, name)})
            elif name in stored:
                out[name] = stored[name]
        if "score" in fl:
            out["score"] = float(self._score(qnode, key)) if qnode is not None else 1.0
        return out

    def _facet(self, field: str, matched: set, params: dict[str, list[str]]) -> list:
        if field.startswith("{!"):
            raise SolrError("local params in facet.field are not supported by the Solr stand-in")
        fd = self.schema.field(field)

        def fp(name: str, default: str) -> str:
            v = params.get(f"f.{field}.facet.{name}") or params.get(f"facet.{name}")
            return v[-1] if v else default
        try:
            limit = int(fp("limit", "100"))
            mincount = int(fp("mincount", "0"))
            offset = int(fp("offset", "0"))
        except ValueError as e:
            raise SolrError(f"bad facet parameter: {e}")
        fsort = fp("sort", "count" if limit > 0 else "index")
        prefix = fp("prefix", "")
        inv = self.inv.get(field, {})
        counts = []
        for term, keys in inv.items():
            label = format_date(term) if fd.kind == "date" else (
                ("true" if term else "false") if fd.kind == "bool" else str(term))
            if prefix and not label.startswith(prefix):
                continue
            c = len(keys & matched) if len(keys) < len(matched) else sum(1 for k in matched if k in keys)
            if c >= mincount:
                counts.append((label, c, term))
        if fsort == "count":
            counts.sort(key=lambda t: (-t[1], t[2]))
        elif fsort == "index":
            counts.sort(key=lambda t: t[2])
        else:
            raise SolrError(f"unknown facet.sort {fsort!r}")
        counts = counts[offset:]
        if limit >= 0:
            counts = counts[:limit]
        flat: list = []
        for label, c, _ in counts:
            flat.extend([label, c])
        return flat

    # -- updates -------------------------------------------------------------------------------
    def update(self, body: bytes, content_type: str, params: dict[str, list[str]]) -> dict:
        ctype = (content_type or "").split(";")[0].strip().lower()
        text = body.decode("utf-8") if body else ""
        stripped = text.lstrip()
        if ctype in ("application/json", "text/json") or (not ctype and stripped[:1] in "[{"):
            self._update_json(stripped)
        elif ctype in ("text/xml", "application/xml") or stripped.startswith("<"):
            if stripped:
                self._update_xml(stripped)
        elif not stripped:
            pass
        else:
            raise SolrError(f"unsupported update content type {content_type!r}", 415)
        return {"responseHeader": {"rf": 1, "status": 0, "QTime": 0}}

    def _update_json(self, text: str) -> None:
        if not text:
            return
        try:
            data = json.loads(text)
        except ValueError as e:
            raise SolrError(f"Cannot parse provided JSON: {e}")
        if isinstance(data, list):
            for doc in data:
                self.add(doc)
            return
        if not isinstance(data, dict):
            raise SolrError("JSON update must be an array of documents or a command object")
        for cmd, arg in data.items():
            if cmd == "add":
                for item in _as_list(arg):
                    self.add(item.get("doc", item) if isinstance(item, dict) else item)
            elif cmd == "delete":
                for item in _as_list(arg):
                    if isinstance(item, dict) and "query" in item:
                        self.delete_query(item["query"])
                    elif isinstance(item, dict) and "id" in item:
                        self.delete_ids([item["id"]])
                    else:
                        self.delete_ids([item])
            elif cmd in ("commit", "optimize"):
                pass
            else:
                raise SolrError(f"Unknown command '{cmd}' in JSON update")

    def _update_xml(self, text: str) -> None:
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as e:
            raise SolrError(f"Cannot parse provided XML: {e}")
        cmds = list(root) if root.tag == "update" else [root]
        for el in cmds:
            if el.tag == "add":
                for d in el.findall("doc"):
                    doc: dict[str, Any] = {}
                    for f in d.findall("field"):
                        if f.get("update"):
                            raise SolrError("atomic updates are not supported by the Solr stand-in")
                        name = f.get("name", "")
                        doc.setdefault(name, []).append(f.text or "")
                    self.add({k: (v if len(v) > 1 else v[0]) for k, v in doc.items()})
            elif el.tag == "delete":
                ids = [i.text or "" for i in el.findall("id")]
                if ids:
                    self.delete_ids(ids)
                for qel in el.findall("query"):
                    self.delete_query(qel.text or "")
            elif el.tag in ("commit", "optimize", "rollback"):
                pass
            else:
                raise SolrError(f"Unknown XML update command <{el.tag}>")


def _contains_seq(seq: list[str], terms: list[str]) -> bool:
    n = len(terms)
    first = terms[0]
    for i, t in enumerate(seq):
        if t == first and seq[i:i + n] == terms:
            return True
    return False


# ---------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SolrStandin/1.0"
    index: SolrIndex
    core: str

    def log_message(self, fmt: str, *args: Any) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            log.info("%s %s", self.address_string(), fmt % args)

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, code: int, obj: Any) -> None:
        self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json;charset=utf-8")

    def _error(self, code: int, msg: str, params: Optional[dict] = None) -> None:
        log.warning("HTTP %s for %s %s: %s", code, self.command, self.path[:500], msg)
        self._json(code, {
            "responseHeader": {"status": code, "QTime": 0, "params": params or {}},
            "error": {"metadata": ["error-class", "org.apache.solr.common.SolrException",
                                   "root-error-class", "org.apache.solr.common.SolrException"],
                      "msg": msg, "code": code}})

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        self._dispatch(b"")

    def do_HEAD(self) -> None:
        self._dispatch(b"")

    def do_POST(self) -> None:
        self._dispatch(self._body())

    def _dispatch(self, body: bytes) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/")
        prefix = f"/solr/{self.core}"
        try:
            if path in ("", "/solr"):
                return self._json(200, {"responseHeader": {"status": 0}, "cores": [self.core]})
            if not path.startswith(prefix):
                return self._error(404, f"no core at {url.path} (this stand-in serves {prefix})")
            sub = path[len(prefix):]
            ctype = self.headers.get("Content-Type", "")
            if sub in ("/select", "/query"):
                if self.command == "POST" and body:
                    if ctype.split(";")[0].strip() != "application/x-www-form-urlencoded":
                        raise SolrError("only form-encoded POST bodies are supported on /select")
                    for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                        params.setdefault(k, []).extend(v)
                return self._json(200, self.index.search(params))
            if sub == "/update" or sub.startswith("/update/"):
                if sub not in ("/update", "/update/json", "/update/xml"):
                    raise SolrError(f"update handler {sub} is not supported")
                if self.command != "POST":
                    if params.get("commit") or params.get("optimize"):
                        return self._json(200, {"responseHeader": {"status": 0, "QTime": 0}})
                    raise SolrError("updates must be POSTed")
                return self._json(200, self.index.update(body, ctype, params))
            if sub == "/schema":
                wt = (params.get("wt") or ["json"])[-1]
                if wt == "schema.xml":
                    return self._send(200, self.index.schema.xml_text.encode("utf-8"),
                                      "application/xml;charset=utf-8")
                if wt == "json":
                    return self._json(200, {"responseHeader": {"status": 0, "QTime": 0},
                                            "schema": {"name": self.index.schema.name,
                                                       "uniqueKey": self.index.schema.unique_key}})
                raise SolrError(f"wt={wt} is not supported on /schema")
            if sub == "/schema/name":
                return self._json(200, {"responseHeader": {"status": 0}, "name": self.index.schema.name})
            if sub == "/admin/file":
                if (params.get("file") or [""])[-1] != "schema.xml":
                    return self._error(404, "only schema.xml is served")
                return self._send(200, self.index.schema.xml_text.encode("utf-8"),
                                  "application/xml;charset=utf-8")
            if sub == "/admin/ping":
                return self._json(200, {"responseHeader": {"status": 0, "QTime": 0}, "status": "OK"})
            return self._error(404, f"unknown handler {sub} (not supported by the Solr stand-in)")
        except SolrError as e:
            return self._error(e.code, e.msg, {k: v[-1] for k, v in params.items()})
        except Exception as e:  # noqa: BLE001 - answer 500 like Solr, keep serving
            log.exception("internal error on %s", self.path[:300])
            return self._error(500, f"stand-in internal error: {type(e).__name__}: {e}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(index: SolrIndex, host: str = "127.0.0.1", port: int = 8983, core: str = "ckan",
                verbose: bool = False) -> ThreadingHTTPServer:
    if not _is_loopback(host):
        raise ValueError(f"refusing to bind {host}: the Solr stand-in only listens on loopback")
    handler = type("BoundHandler", (Handler,), {"index": index, "core": core})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8983)
    ap.add_argument("--core", default="ckan", help="core name, served at /solr/<core>")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--schema", help="path to CKAN's schema.xml")
    src.add_argument("--ckan-venv", help="CKAN virtualenv; schema.xml is found in its ckan package")
    ap.add_argument("--data-dir", help="keep a journal of the index here and reload it on start")
    ap.add_argument("--pid-file", help="write the process id here once listening")
    ap.add_argument("--verbose", action="store_true", help="log every request")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    path = args.schema or find_schema_xml(args.ckan_venv)
    with open(path, encoding="utf-8") as fh:
        schema = Schema(fh.read())
    index = SolrIndex(schema, data_dir=args.data_dir)
    server = make_server(index, args.host, args.port, args.core, args.verbose)
    if args.pid_file:
        with open(args.pid_file, "w") as fh:
            fh.write(f"{os.getpid()}\n")
    log.warning("Solr stand-in serving http://%s:%s/solr/%s (schema %s from %s, %d docs)",
                args.host, args.port, args.core, schema.name, path, len(index.docs))
    import signal

    def _stop(signum, frame):  # noqa: ARG001
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
