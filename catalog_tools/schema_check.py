"""Run a JSON Schema over normalised records and turn its errors into Findings.

Two validators are built from the *same* schema: a compiled ``fastjsonschema`` function that
answers "valid or not" very fast, and ``jsonschema``'s ``Draft202012Validator`` that lists
every error with its path and keyword. Most records are valid, so the full walk runs only
for the few that are not — measured about 20× faster on 100,000 rows (see benchmarks/).
Both are given the same format checks so they cannot disagree on what is valid.
"""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Callable, Iterable

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .messages import make_finding
from .model import Finding
from .schemas_api import FieldSpec, SchemaInfo

NONBLANK = r"\S"


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


_FORMAT_CHECKER = FormatChecker(formats=())
_FORMAT_CHECKER.checks("date")(_is_date)
# e-mail and URL rules are expressed as patterns in the schema (CKAN's own regex), so the
# format keyword stays an annotation for them in both validators.
_FAST_FORMATS: dict[str, Callable[[Any], bool]] = {"date": _is_date, "email": lambda v: True, "uri": lambda v: True}


class SchemaRunner:
    """Validates instances of one schema; ``errors(instance)`` returns jsonschema errors."""

    def __init__(self, info: SchemaInfo) -> None:
        self.info = info
        self._full = Draft202012Validator(info.schema, format_checker=_FORMAT_CHECKER)
        self._fast = fastjsonschema.compile(info.schema, formats=_FAST_FORMATS, use_default=False)

    def errors(self, instance: dict[str, Any]) -> list[ValidationError]:
        try:
            self._fast(instance)
            return []
        except fastjsonschema.JsonSchemaException:
            return list(self._full.iter_errors(instance))


def suggest(spec: FieldSpec, value: Any) -> str | None:
    """The closest allowed value (or synonym target) for a near miss, if any is close enough."""
    if not spec.choices or not isinstance(value, str):
        return None
    candidates = {c: c for c in spec.choices}
    candidates.update({label: v for v, label in spec.labels.items()})
    candidates.update(spec.synonyms)
    lowered = {k.casefold(): v for k, v in candidates.items()}
    match = difflib.get_close_matches(value.casefold(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def findings_from_errors(
    errors: Iterable[ValidationError],
    instance: dict[str, Any],
    info: SchemaInfo,
    *,
    raw: dict[str, Any],
    placeholders: dict[str, Any],
    locate: Callable[[str], str | None],
    dataset: str | None = None,
) -> list[Finding]:
    """Map jsonschema errors to Findings with stable codes (one per code and field)."""
    out: list[Finding] = []
    seen: set[tuple[str, str | None, str]] = set()

    def add(code: str, field: str, value: Any, **kw: Any) -> None:
        key = (code, field, str(value))
        if key in seen:
            return
        seen.add(key)
        spec = info.fields.get(field)
        out.append(make_finding(
            code, field=field, field_en=spec.title if spec else field, field_th=spec.title_th if spec else field,
            item=info.item_of(field), value=value, location=locate(field), dataset=dataset,
            kind=spec.kind if spec else "text", **kw))

    for err in errors:
        if err.validator == "required" and not err.path:
            for name in err.validator_value:
                if name in instance:
                    continue
                parent = name[: -len("_other")] if name.endswith("_other") else None
                if parent and parent in info.fields and info.fields[parent].other_value:
                    add("other_missing", parent, info.fields[parent].other_value)
                else:
                    add("required", name, placeholders.get(name, raw.get(name)))
            continue
        if not err.path:
            continue  # structural errors without a field are covered by the cases above
        field = str(err.path[0])
        spec = info.fields.get(field)
        keyword = err.validator
        if keyword in ("enum", "const"):
            value = err.instance
            add("choice", field, value, suggestion=suggest(spec, value) if spec else None)
        elif keyword == "minItems" or (keyword == "minLength" and len(err.path) == 1) or (
                keyword == "pattern" and err.validator_value == NONBLANK):
            add("required", field, placeholders.get(field, raw.get(field)))
        else:
            add("format", field, raw.get(field, err.instance) if len(err.path) == 1 else err.instance)
    return out
