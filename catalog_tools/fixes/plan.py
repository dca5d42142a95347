"""Planning fixes for a workbook or CSV file: which cells change, to what, by which rule.

Records come from the same loaders ``validate`` uses (so OPDC and NSO layouts, merged cells
and header variants are handled once). For each cell the normaliser's reading is proposed
(``fixes.propose``) and then checked: the record is normalised before and after, and a
proposal that changes anything the validator reads — the value, its ``_other`` text, whether
it counts as a placeholder — or adds a note, is dropped. That check is what makes a fix safe.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..messages import make_finding
from ..model import DatasetList, LoadNote, RawRecord
from ..normalize import Normaliser, clean_text
from ..schemas_api import FieldSpec, schema_info
from .propose import Proposal, propose


@dataclass(slots=True)
class Change:
    """One change in the fixed copy: where, which rule, the text before and after, and why."""

    location: str
    field: str
    rule: str
    before: Any
    after: Any
    message: str
    message_th: str

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "field": self.field, "rule": self.rule, "before": self.before,
                "after": self.after, "message": self.message, "message_th": self.message_th}


@dataclass(slots=True)
class CellEdit:
    """The final text of one cell; ``expect`` is the text the loader read there."""

    location: str
    expect: Any
    value: str


@dataclass(slots=True)
class EditGroup:
    """Edits that go together (a choice and its ``_other`` cell): applied all or none."""

    edits: list[CellEdit]
    changes: list[Change]


@dataclass(slots=True)
class Planner:
    """Collects edit groups from records; one instance per input file."""

    standard: str = "2.2"
    groups: list[EditGroup] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _normalisers: dict[str, Normaliser] = field(default_factory=dict)

    def normaliser(self, kind: str) -> Normaliser:
        if kind not in self._normalisers:
            self._normalisers[kind] = Normaliser(schema_info(kind, self.standard))
        return self._normalisers[kind]

    def add_records(self, items: Iterable[RawRecord | LoadNote | DatasetList]) -> None:
        for item in items:
            if isinstance(item, RawRecord) and item.origin == "sheet":
                self.add_record(item)

    def add_record(self, rec: RawRecord) -> None:
        info = schema_info(rec.kind, self.standard)
        norm = self.normaliser(rec.kind)
        for name, raw in rec.values.items():
            spec = info.fields.get(name)
            location = rec.cells.get(name)
            if spec is None or location is None or location in self._seen:
                continue  # a merged cell read by several rows is planned once
            other = spec.other_field
            other_free = bool(other and other in rec.cells and not clean_text(rec.values.get(other) or ""))
            proposal = propose(norm, spec, raw, rec.origin, other_column=other_free)
            if proposal is None or not _same_reading(norm, spec, rec, proposal):
                continue
            self._seen.add(location)
            group = EditGroup([CellEdit(location, raw, proposal.value)], [])
            moved = _moved_to(rec.cells[other]) if proposal.other_text and other else {}
            for step in proposal.steps:
                ctx = dict(step.context, **moved) if step.rule == "fix_other" else step.context
                group.changes.append(_change(spec, location, step.rule, step.before, step.after, ctx))
            if proposal.other_text and other:
                other_loc = rec.cells[other]
                self._seen.add(other_loc)
                group.edits.append(CellEdit(other_loc, rec.values.get(other), proposal.other_text))
                group.changes.append(_change(info.fields.get(other) or spec, other_loc, "fix_other", raw, proposal.other_text,
                                             _moved_to(other_loc), name=other))
            self.groups.append(group)


def _moved_to(location: str) -> dict[str, str]:
    return {"where_en": f", its text moved to {location}", "where_th": f" และย้ายรายละเอียดไปที่ {location}"}


def _same_reading(norm: Normaliser, spec: FieldSpec, rec: RawRecord, proposal: Proposal) -> bool:
    """True when the validator reads the fixed cell(s) exactly as it read the original ones,
    with no note it did not have before (a fix may remove a note, never add one)."""
    names = [spec.name] + ([spec.other_field] if spec.other_field else [])
    before_raw = {n: rec.values[n] for n in names if n in rec.values}
    after_raw = dict(before_raw)
    after_raw[spec.name] = proposal.value
    if proposal.other_text and spec.other_field:
        after_raw[spec.other_field] = proposal.other_text
    before = norm.normalise(before_raw, origin=rec.origin)
    after = norm.normalise(after_raw, origin=rec.origin)
    if dict(before.values) != dict(after.values) or set(before.placeholders) != set(after.placeholders):
        return False
    old_notes = {(n.code, n.field, n.suggestion) for n in before.notes}
    return all((n.code, n.field, n.suggestion) in old_notes for n in after.notes)


def _change(spec: FieldSpec, location: str, rule: str, before: Any, after: Any, ctx: dict[str, Any],
            name: str | None = None) -> Change:
    f = make_finding(rule, field=name or spec.name, field_en=spec.title, field_th=spec.title_th, value=before,
                     suggestion=str(after), location=location, **ctx)
    return Change(location, name or spec.name, rule, before, after, f.message, f.message_th)
