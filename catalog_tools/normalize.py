"""The one normaliser: raw cells (or CKAN values) → the JSON shape the schemas describe.

What it does, and why:
- strips spaces, non-breaking spaces and zero-width characters that Excel copy-paste leaves;
- turns placeholders (``-``, ``N/A``, ``nan``, template instructions…) into *absent*, so a
  placeholder counts as missing, not as filled — the raw text is kept for the message;
- converts Thai digits in numbers, dates and choices;
- splits multi-choice cells and keywords on commas, semicolons and new lines;
- resolves choices exactly, then by label (``XLS/XLSX`` → ``XLS``), then loosely (case and
  spacing), then by known synonyms (``รายปี`` → ``ปี``, reported as a ``synonym`` warning);
- reads ``อื่นๆ: ข้อความ`` / ``อื่นๆ (ข้อความ)`` as the other value plus ``<field>_other``;
- converts Buddhist Era dates from workbooks to Gregorian ISO dates.

Values it cannot make sense of are kept as they were, so the schema reports them.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .dates import parse_date
from .schemas_api import FieldSpec, SchemaInfo, fold

_TRANSLATE = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})
_NEEDS_TRANSLATE = re.compile("[\u00a0\u2007\u202f\u3000\t\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: Thai digits → ASCII digits (``str.translate`` table); ``catalog-tools fix`` uses the same table
THAI_DIGITS = _THAI_DIGITS
_SPACES = re.compile(r" {2,}")
_SPLIT = re.compile(r"\s*(?:[,;\n\r，、]|\s-\s)\s*")
_BULLET = re.compile(r"^(?:[-•*·▪●○]|\d+[.)])\s*")
_OTHER = re.compile(r"^(?P<word>(?:ข้อมูลประเภท)?อื่น\s*ๆ|other|others)\s*(?:[:：=\-–]\s*(?P<a>.+)|\((?P<b>.+)\))\s*$",
                    re.IGNORECASE | re.DOTALL)
_OTHER_BARE = {fold("อื่นๆ"), fold("อื่น ๆ"), "other", "others"}

PLACEHOLDERS = frozenset(fold(p) for p in (
    "-", "--", "---", "—", "–", ".", "..", "...", "_", "?", "n/a", "na", "n.a.", "#n/a", "nan", "none", "null", "nil",
    "ไม่ระบุ", "ไม่มีข้อมูล", "tbd", "xxx", "x",
    "(เลือกจากตัวเลือก)", "(เลือกจากตัวเลือกและตอบได้มากกว่า 1 ข้อ)", "(กรอกชื่อชุดข้อมูล)", "(กรอกชื่อองค์กร)",
    "(กรอกชื่อกอง/สำนัก/ฝ่าย)", "(กรอกอีเมลล์กอง/สำนัก/ฝ่าย)", "(กรอกอีเมลกอง/สำนัก/ฝ่าย)", "(กรอกหัวข้อ คำ วลี แท็ก)",
    "(กรอกคำอธิบาย)", "(กรอกค่าตัวเลข)", "(กรอกชื่อ)", "(กรอก URL)", "(กรอกรายละเอียด)", "(กรอกเงื่อนไขการเข้าถึง)",
    "(กรอกนามสกุลของไฟล์)", "YYYY-MM-DD ในรูปแบบปี พ.ศ.",
))
# Placeholder words that are real values in some choice lists (ไม่มี = "none" in geo_coverage).
TEXT_ONLY_PLACEHOLDERS = frozenset(fold(p) for p in ("ไม่มี",))


class SharedList(list):
    """A list value shared by every record with the same cell (``["CSV", "XLS"]``): read-only.

    Multi-choice cells repeat across thousands of rows; sharing one list per distinct cell
    instead of a copy per row saves about a fifth of a large report's memory. It is a real
    ``list`` for JSON, jsonschema and ``isinstance`` checks; changing it raises, so a shared
    value can never leak from one dataset into another — copy it with ``list(value)`` first.
    """

    __slots__ = ()

    def _frozen(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("normalised list values are shared between records; copy with list(value) to change them")

    append = extend = insert = remove = pop = clear = sort = reverse = _frozen
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _frozen

    def __reduce__(self) -> Any:  # pickles and deep-copies as a plain list
        return (list, (list(self),))


@dataclass(slots=True)
class Note:
    """Something the normaliser noticed; the validator turns it into a Finding."""

    code: str  # synonym | date_era
    field: str
    value: Any
    suggestion: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class Normalised:
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    placeholders: dict[str, Any] = field(default_factory=dict)  # field → raw placeholder text
    # With a ``Normaliser.judge``: the fields whose value was not judged with its cell (the schema
    # runner checks those), and whether a judged value was invalid. Without one: every field.
    unchecked: list[str] = field(default_factory=list)
    invalid: bool = False


def clean_text(value: Any) -> str:
    """Text of a cell with stray spaces and invisible characters removed (inner new lines kept)."""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = value if isinstance(value, str) else str(value)
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def clean_email(text: str) -> str:
    """An e-mail cell as the normaliser reads it: no spaces anywhere, no ``mailto:`` prefix."""
    text = text.replace(" ", "")
    return text[7:] if text.lower().startswith("mailto:") else text


_PLACEHOLDER_MAX = max(len(p) for p in PLACEHOLDERS) + 8
_PLACEHOLDER_FIRST = frozenset(p[:1] for p in PLACEHOLDERS | TEXT_ONLY_PLACEHOLDERS)
_UNSEEN: Any = object()


def is_placeholder(text: str, *, text_field: bool = True) -> bool:
    if len(text) > _PLACEHOLDER_MAX:
        return False
    first = text.lstrip()[:1]
    if "\u0e01" <= first <= "\u0e5b" and first not in _PLACEHOLDER_FIRST:
        # Thai text (titles): NFC and casefold leave Thai letters as they are, so the folded
        # text starts with this letter, which no placeholder starts with — no need to fold it
        return False
    f = fold(text)
    return f in PLACEHOLDERS or (text_field and f in TEXT_ONLY_PLACEHOLDERS)


class Normaliser:
    """Normalises records of one kind (dataset/resource) against one schema."""

    _CACHE_LIMIT = 200_000
    _CACHEABLE_LEN = 80

    def __init__(self, info: SchemaInfo) -> None:
        self.info = info
        self._choice_cache: dict[tuple[str, str], tuple[Any, str | None, Note | None]] = {}
        # Short repeated text cells (organisation, contact, e-mail, choices repeat across
        # thousands of rows) are normalised once per (origin, field, text). Two tables per
        # field: ``simple`` for cells that become one value of their own field and nothing else
        # (nearly all of them: one lookup, one store), ``full`` for the others (values to set,
        # notes, placeholder?). None: a field whose values rarely repeat (titles, ids).
        self._simple: dict[str, dict[str, dict[str, tuple[Any, bool | None]] | None]] = {}  # origin → field → table
        #: the schema's verdict on one property value (``SchemaRunner.verdict``), remembered with
        #: each cell of the ``simple`` tables, so a repeated cell is normalised and judged in one lookup
        self.judge: Callable[[str, Any], bool] | None = None
        self._full: dict[tuple[str, str], dict[str, tuple[dict[str, Any], tuple[Note, ...], bool]]] = {}
        self._cached = 0
        self._records = 0

    # -- public -----------------------------------------------------------------------------
    def normalise(self, raw: dict[str, Any], *, origin: str = "sheet", fixed: dict[str, Any] | None = None) -> Normalised:
        out = Normalised()
        values = out.values
        fields = self.info.fields
        tables = self._simple.get(origin)
        if tables is None:
            tables = self._simple[origin] = {}
        self._records += 1
        unchecked = out.unchecked
        for name, value in raw.items():
            if value.__class__ is str:  # the hot path: a text cell seen before
                simple = tables.get(name)
                if simple:
                    hit = simple.get(value)
                    if hit is not None:
                        values[name] = hit[0]
                        if hit[1] is not True:
                            if hit[1] is False:
                                out.invalid = True
                            else:
                                unchecked.append(name)
                        continue
            if value is None or value == "":
                continue
            spec = fields.get(name)
            if spec is None:  # not in the schema: keep cleaned text, never drop data
                values[name] = clean_text(value) if isinstance(value, str) else value
                unchecked.append(name)
                continue
            if value.__class__ is str and len(value) <= self._CACHEABLE_LEN:
                simple = tables.get(name, _UNSEEN)
                if simple is _UNSEEN:
                    simple = tables[name] = {}
                if simple is not None:
                    self._cell(spec, name, value, origin, simple, out)
                    continue
            self._one(spec, value, origin, out)
            unchecked.append(name)
            if spec.other_field:
                unchecked.append(spec.other_field)
        if fixed:
            for name, value in fixed.items():
                if name not in values:
                    values[name] = value
                    unchecked.append(name)
        return out

    def _cell(self, spec: FieldSpec, name: str, value: str, origin: str, simple: dict[str, Any], out: Normalised) -> None:
        """A cacheable cell: from the ``full`` table, or normalised and remembered."""
        full = self._full.setdefault((origin, name), {})
        hit = full.get(value)
        if hit is None:
            part = Normalised()
            self._one(spec, value, origin, part)
            shared = {k: SharedList(v) if isinstance(v, list) else v for k, v in part.values.items()}
            hit = (shared, tuple(part.notes), name in part.placeholders)
            if self._cached < self._CACHE_LIMIT:
                self._cached += 1
                judged = None
                if list(shared) == [name] and not hit[1] and not hit[2]:
                    judged = simple[value] = (shared[name], self.judge(name, shared[name]) if self.judge else None)
                else:
                    full[value] = hit
                if len(simple) + len(full) == 2000 and self._records < 3000:
                    self._simple[origin][name] = None  # mostly unique values (titles, ids): caching only costs memory
                if judged is not None:
                    out.values[name] = judged[0]
                    if judged[1] is not True:
                        if judged[1] is False:
                            out.invalid = True
                        else:
                            out.unchecked.append(name)
                    return
        values = out.values
        for k, v in hit[0].items():
            if k == name:
                values[k] = v
            else:  # a companion "_other" text: an explicit column wins
                values.setdefault(k, v)
            out.unchecked.append(k)
        if hit[1]:
            out.notes.extend(hit[1])
        if hit[2]:
            out.placeholders[name] = value

    # -- per kind ---------------------------------------------------------------------------
    def _one(self, spec: FieldSpec, value: Any, origin: str, out: Normalised) -> None:
        kind = spec.kind
        name = spec.name
        if kind in ("choice", "multi"):
            self._choice(spec, value, origin, out)
            return
        if kind == "tags":
            tags = self._split(value, origin, split_dash=False)
            tags = [t for t in tags if not is_placeholder(t)]
            if tags:
                out.values[name] = tags
            else:
                out.placeholders[name] = value
            return
        if kind == "date":
            if isinstance(value, str):
                text = clean_text(value).translate(_THAI_DIGITS)
                if not text or is_placeholder(text):
                    out.placeholders[name] = value
                    return
                value = text
            parsed = parse_date(value, origin=origin)
            if parsed is None:
                out.values[name] = clean_text(value)
                return
            if parsed.iso:  # empty: a BE date cell with no Gregorian equivalent, reported and not used
                out.values[name] = parsed.iso
            if parsed.era_note:
                out.notes.append(Note("date_era", name, value, parsed.iso or None, parsed.era_note))
            return
        if kind == "number":
            if isinstance(value, bool):
                out.values[name] = str(value)
                return
            if isinstance(value, (int, float)):
                if isinstance(value, float) and math.isnan(value):
                    return
                if isinstance(value, float) and math.isinf(value):
                    out.values[name] = "Infinity" if value > 0 else "-Infinity"  # not a number JSON can hold
                    return
                out.values[name] = int(value) if float(value).is_integer() else value
                return
            text = clean_text(value).translate(_THAI_DIGITS)
            if not text:
                return
            if is_placeholder(text):
                out.placeholders[name] = value
                return
            try:
                num = float(text.replace(",", ""))
            except ValueError:
                out.values[name] = text
                return
            if not math.isfinite(num):  # "1e400", "NaN", "Infinity": kept as text, reported as not a number
                out.values[name] = text
                return
            out.values[name] = int(num) if num.is_integer() else num
            return
        # text, email, url, id, other, format
        if isinstance(value, (dt.date, dt.datetime)):
            out.values[name] = value.isoformat()
            return
        text = clean_text(value)
        if kind == "email":
            text = clean_email(text)
        elif kind == "url":
            text = text.replace(" ", "")
        elif kind == "format":
            text = text.lstrip(".").upper() if text and len(text) <= 12 else text
        if not text:
            return
        if is_placeholder(text):
            out.placeholders[name] = value
            return
        out.values[name] = text

    def split_values(self, value: Any, origin: str, *, split_dash: bool = True) -> list[str]:
        """The parts of a multi-value cell, as the normaliser splits them (keywords: ``split_dash=False``)."""
        return self._split(value, origin, split_dash=split_dash)

    def resolve_choice(self, spec: FieldSpec, text: str) -> tuple[Any, str | None, Note | None]:
        """(value, ``_other`` text, synonym note) for one cleaned choice text, as validation reads it.

        A value the standard does not know comes back unchanged (and not in ``spec.choices``).
        """
        return self._resolve(spec, text)

    def is_whole_choice(self, spec: FieldSpec, text: str) -> bool:
        """True when a multi-choice cell is one allowed value that itself contains a separator."""
        return self._resolve(spec, text)[0] in spec.choices

    def _split(self, value: Any, origin: str, *, split_dash: bool = True) -> list[str]:
        if isinstance(value, (list, tuple)):
            parts = []
            for v in value:
                if isinstance(v, dict):  # CKAN tags: [{"name": ...}]
                    v = v.get("name") or v.get("display_name") or ""
                parts.extend(self._split(v, origin, split_dash=split_dash))
            return parts
        text = clean_text(value)
        if origin == "ckan" and text.startswith("[") and text.endswith("]"):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return self._split(loaded, origin, split_dash=split_dash)
        if origin == "ckan" and text.startswith("{") and text.endswith("}"):
            text = text[1:-1]  # PostgreSQL array literal in old exports
        parts = _SPLIT.split(text) if split_dash else re.split(r"\s*[,;\n\r，、]\s*", text)
        result: list[str] = []
        seen: set[str] = set()
        for p in parts:
            p = _BULLET.sub("", p.strip().strip('"')).strip()
            if p and p not in seen:
                seen.add(p)
                result.append(p)
        return result

    def _choice(self, spec: FieldSpec, value: Any, origin: str, out: Normalised) -> None:
        name = spec.name
        if spec.kind == "multi":
            # Try the whole cell first: a choice may itself contain a separator.
            whole = clean_text(value) if isinstance(value, str) else None
            parts = [whole] if whole is not None and self.is_whole_choice(spec, whole) else self._split(value, origin)
            result: list[Any] = []
            others: list[str] = []
            for part in parts:
                if not part or is_placeholder(part, text_field=False):
                    continue
                resolved, other_text, note = self._resolve(spec, part)
                if note:
                    out.notes.append(note)
                if resolved not in result:
                    result.append(resolved)
                if other_text:
                    others.append(other_text)
            if result:
                out.values[name] = result
                if others and spec.other_field:
                    out.values.setdefault(spec.other_field, ", ".join(others))
            else:
                out.placeholders[name] = value
            return
        if isinstance(value, (list, tuple)):  # a list in a single-choice field: take it as text
            value = ", ".join(str(v) for v in value)
        text = clean_text(value)
        if not text:
            return
        if is_placeholder(text, text_field=False) and fold(text) not in spec.folded:
            out.placeholders[name] = value
            return
        resolved, other_text, note = self._resolve(spec, text)
        out.values[name] = resolved
        if note:
            out.notes.append(note)
        if other_text and spec.other_field:
            out.values.setdefault(spec.other_field, other_text)

    def _resolve(self, spec: FieldSpec, text: str) -> tuple[Any, str | None, Note | None]:
        key = (spec.name, text)
        hit = self._choice_cache.get(key)
        if hit is None:
            hit = self._resolve_uncached(spec, text)
            if len(self._choice_cache) < 200_000:
                self._choice_cache[key] = hit
        return hit

    def _resolve_uncached(self, spec: FieldSpec, text: str) -> tuple[Any, str | None, Note | None]:
        if text in spec.exact:
            return spec.exact[text], None, None
        text = text.translate(_THAI_DIGITS)
        if spec.other_value:
            m = _OTHER.match(text)
            if m:
                return spec.other_value, (m.group("a") or m.group("b") or "").strip() or None, None
            if fold(text) in _OTHER_BARE:
                return spec.other_value, None, None
        folded = fold(text)
        if folded in spec.folded:
            return spec.folded[folded], None, None
        stripped = fold(_BULLET.sub("", text))
        if stripped in spec.folded:
            return spec.folded[stripped], None, None
        if folded in spec.synonym_folded:
            value = spec.synonym_folded[folded]
            return value, None, Note("synonym", spec.name, text, value)
        return text, None, None
