"""Fixing CKAN package JSON: Buddhist Era dates → Gregorian, synonyms, spaces, e-mails.

Only plain text values of the package (top-level keys, ``extras`` values) and of its
resources are fixed. Multi-choice values (JSON-list strings) and tags keep their shape.
The same proposal and the same before/after check as for workbooks are used.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..loaders.ckan_json import unwrap
from ..model import LoadError, RawRecord, Source
from ..loaders.common import InputError
from ..schemas_api import schema_info
from .plan import Change, Planner, _change, _moved_to, _same_reading
from .propose import propose

_SKIP = {"id", "name", "owner_org", "type", "state", "private", "dataset_id"}


@dataclass(slots=True)
class _Slot:
    """A text value inside the JSON tree and how to set it."""

    location: str
    field: str
    value: str
    put: Callable[[str], None]
    owner: dict[str, Any] | None = None  #: the dict holding the value, when its "_other" key can sit next to it


def fix_json(source: Path, planner: Planner) -> tuple[bytes, list[Change]]:
    """The fixed JSON document's bytes and the changes made."""
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(LoadError(str(source), "is not UTF-8 JSON", "ไฟล์ JSON ไม่ได้เข้ารหัส UTF-8")) from None
    lines = False
    try:
        data: Any = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
            lines = True
        except (json.JSONDecodeError, RecursionError):
            raise InputError(LoadError(str(source), "is not valid JSON or JSON lines", "รูปแบบ JSON ไม่ถูกต้อง")) from None
    changes: list[Change] = []
    for i, pkg in enumerate(unwrap(data)):
        name = str(pkg.get("name") or pkg.get("id") or f"#{i}")
        changes += _fix_slots(planner, "dataset", _slots(pkg, name, extras=True), str(source))
        for r, res in enumerate(pkg.get("resources") or []):
            if isinstance(res, dict):
                changes += _fix_slots(planner, "resource", _slots(res, f"{name}:$.resources[{r}]", extras=False), str(source))
    if lines:
        body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in data)
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return body.encode("utf-8"), changes


def _slots(obj: dict[str, Any], prefix: str, *, extras: bool) -> list[_Slot]:
    base = prefix if ":" in prefix else f"{prefix}:$"
    out = [_Slot(f"{base}.{k}", k, v, _setter(obj, k), obj) for k, v in obj.items() if isinstance(v, str) and k not in _SKIP]
    if extras and isinstance(obj.get("extras"), list):
        for j, e in enumerate(obj["extras"]):
            if isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("value"), str):
                out.append(_Slot(f"{base}.extras[{j}].value", e["key"], e["value"], _setter(e, "value")))
    return out


def _setter(obj: dict[str, Any], key: str) -> Callable[[str], None]:
    def put(value: str) -> None:
        obj[key] = value
    return put


def _fix_slots(planner: Planner, kind: str, slots: list[_Slot], path: str) -> list[Change]:
    info = schema_info(kind, planner.standard)
    norm = planner.normaliser(kind)
    changes: list[Change] = []
    for slot in slots:
        key = slot.field
        spec = info.fields.get(key)
        if spec is None:
            continue
        other = spec.other_field
        owner = slot.owner
        present = owner.get(other) if owner is not None and other else None
        free = owner is not None and other is not None and not str(present or "").strip()
        proposal = propose(norm, spec, slot.value, "ckan", other_column=free)
        values = {key: slot.value} if free or not other or present is None else {key: slot.value, other: present}
        rec = RawRecord(kind, values, {}, Source(path), "ckan")  # type: ignore[arg-type]
        if proposal is None or not _same_reading(norm, spec, rec, proposal):
            continue
        slot.put(proposal.value)
        where = f"{slot.location.rsplit('.', 1)[0]}.{other}"
        moved = _moved_to(where) if proposal.other_text and owner is not None and other else {}
        changes += [_change(spec, slot.location, s.rule, s.before, s.after, dict(s.context, **moved) if s.rule == "fix_other"
                            else s.context) for s in proposal.steps]
        if moved and owner is not None and other:
            owner[other] = proposal.other_text  # "อื่น ๆ: text" → the value and its "_other" key, as CKAN stores them
            changes.append(_change(info.fields.get(other) or spec, where, "fix_other", slot.value, proposal.other_text,
                                   moved, name=other))
    return changes
