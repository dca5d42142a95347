"""What ``fix`` would write in one cell: the normaliser's own reading, written back.

Every step here calls the normaliser (``catalog_tools.normalize``) — there is no second set of
rules. A step is proposed only when the normaliser reads the value with certainty (an
allowed value, a known synonym, a parsed date); anything it keeps "as it was" for the schema
to report is left alone. ``fixes.plan`` then re-normalises the fixed record and drops any
proposal that would change what the validator reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..dates import parse_date, sheet_date
from ..normalize import THAI_DIGITS, Normaliser, clean_email, clean_text, is_placeholder
from ..schemas_api import FieldSpec

_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")

#: the separator multi-value cells and keywords are written with (the template's prompt says so)
SEPARATOR = ", "


@dataclass(slots=True)
class Step:
    """One rule applied to one cell: ``before`` → ``after``."""

    rule: str
    before: str
    after: str
    context: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Proposal:
    """The new text of a cell, the steps that produced it, and ``_other`` text to move (if any)."""

    value: str
    steps: list[Step]
    other_text: str | None = None


class _Chain:
    def __init__(self, text: str) -> None:
        self.text = text
        self.steps: list[Step] = []

    def to(self, rule: str, new: str, **context: str) -> None:
        if new != self.text:
            self.steps.append(Step(rule, self.text, new, context))
            self.text = new


def propose(normaliser: Normaliser, spec: FieldSpec, raw: Any, origin: str, *, other_column: bool = False) -> Proposal | None:
    """The fixed text for ``raw`` in field ``spec``, or None when nothing is certain to improve.

    ``other_column``: the sheet has the item's ``_other`` column, so ``อื่นๆ: text`` can be split
    into the two cells; without one the text stays where it is (the validator reads it there).
    """
    if not isinstance(raw, str) or not raw.strip():
        return None  # numbers, real Excel dates and booleans are stored as they should be
    if origin == "ckan" and spec.kind in ("multi", "tags"):
        return None  # CKAN keeps these as JSON-list strings or tag dicts: their shape is not ours to change
    chain = _Chain(raw)
    chain.to("fix_whitespace", clean_text(raw))
    if is_placeholder(chain.text, text_field=not spec.is_choice):
        return None  # a placeholder stays a "required" finding: fix never invents a value
    kind = spec.kind
    other_text: str | None = None
    if kind in ("number", "date"):
        chain.to("fix_thai_digits", chain.text.translate(THAI_DIGITS))
    if kind == "email":
        chain.to("fix_email", clean_email(chain.text))
        if not _EMAIL.fullmatch(chain.text):
            return None  # still not an address: what the steward meant is not certain
    elif kind == "date":
        if not _date(chain, origin):
            return None
    elif kind in ("choice", "multi"):
        certain, other_text = (_choice(normaliser, spec, chain, other_column) if kind == "choice"
                               else _multi(normaliser, spec, chain, origin, other_column))
        if not certain:
            return None
    elif kind == "tags":
        tags = normaliser.split_values(chain.text, origin, split_dash=False)
        if not tags or any(is_placeholder(t) for t in tags):
            return None
        chain.to("fix_separator", SEPARATOR.join(tags))
    if not chain.steps:
        return None
    return Proposal(chain.text, chain.steps, other_text or None)


def _date(chain: _Chain, origin: str) -> bool:
    parsed = parse_date(chain.text, origin=origin)
    if parsed is None:
        return False
    if parsed.era_note == "ce_in_sheet":
        chain.to("fix_date_era", sheet_date(parsed.iso),
                 reason_en="workbook dates are Buddhist Era", reason_th="วันที่ในแบบฟอร์มใช้ปี พ.ศ.")
    elif parsed.era_note == "be_in_ckan":
        chain.to("fix_date_era", parsed.iso, reason_en="CKAN stores Gregorian dates", reason_th="CKAN เก็บวันที่เป็นปี ค.ศ.")
    return True


def _one_choice(normaliser: Normaliser, spec: FieldSpec, text: str, other_column: bool) -> tuple[str, str | None, str] | None:
    """(standard value, other text, rule) for one choice text; None when not certain."""
    if text in spec.exact:
        return spec.exact[text], None, ""
    value, other, note = normaliser.resolve_choice(spec, text)
    if value not in spec.choices:
        return None
    if other:
        # "อื่น ๆ (text)": split into the "_other" column when the sheet has one, else write the
        # form workbooks use for it, "อื่นๆ: text", in the same cell
        if other_column and spec.other_field:
            return value, other, "fix_other"
        canonical = f"{value}: {other}"
        return (canonical, None, "fix_other") if canonical != text else (text, None, "")
    return value, None, "fix_synonym" if note is not None else "fix_choice_spelling"


def _choice(normaliser: Normaliser, spec: FieldSpec, chain: _Chain, other_column: bool) -> tuple[bool, str | None]:
    """(certain?, ``_other`` text to move) after writing the standard value into ``chain``."""
    hit = _one_choice(normaliser, spec, chain.text, other_column)
    if hit is None:
        return False, None
    value, other, rule = hit
    if rule:
        chain.to(rule, value)
    return True, other


def _multi(normaliser: Normaliser, spec: FieldSpec, chain: _Chain, origin: str, other_column: bool) -> tuple[bool, str | None]:
    if normaliser.is_whole_choice(spec, chain.text):
        return _choice(normaliser, spec, chain, other_column)
    parts = [p for p in normaliser.split_values(chain.text, origin) if not is_placeholder(p, text_field=False)]
    if not parts:
        return False, None
    hits = [_one_choice(normaliser, spec, p, other_column) for p in parts]
    if any(h is None for h in hits):
        return False, None  # one unknown value: the cell stays as it is, the finding says which
    chain.to("fix_separator", SEPARATOR.join(parts))
    others: list[str] = []
    current = list(parts)
    for i, hit in enumerate(hits):
        assert hit is not None
        value, other, rule = hit
        if other:
            others.append(other)
        if rule and current[i] != value:
            current[i] = value
            chain.to(rule, SEPARATOR.join(_unique(current)))
    return True, (SEPARATOR.join(others) if others else None)


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if not (v in seen or seen.add(v))]  # type: ignore[func-returns-value]
