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
from typing import Any, Callable, Iterable, cast

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .messages import make_finding
from .rules.schema import IMPORTER_NOTE
from .model import Finding
from .schemas_api import FieldSpec, SchemaInfo, fold

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
        fast_schema, self._conditional = _split_conditionals(info.schema)
        # The whole-schema compiled check is only the fallback for schemas whose top level is
        # more than type/required/properties; ours use the per-property checks below.
        self._fast: Callable[[Any], Any] | None = None
        self._required = tuple(info.schema.get("required", ()))
        self._props: dict[str, Callable[[Any], Any]] | None = None
        self._prop_schemas: dict[str, Any] = {}
        keywords = {k for k in fast_schema if not k.startswith("x-")} - _ANNOTATIONS
        if keywords <= {"type", "required", "properties"} and fast_schema.get("type") == "object":
            # compiled on first use: code generation costs ~4 ms a property, and a sheet has
            # a dozen or two of the schema's ~60 columns (start-up of a small validate)
            self._props = {}
            self._prop_schemas = fast_schema.get("properties", {})
        else:
            self._fast = fastjsonschema.compile(fast_schema, formats=_FAST_FORMATS, use_default=False)
        self._verdicts: dict[tuple[str, type, Any], bool] = {}
        self._misses: dict[str, int] = {}
        self._hits: dict[str, int] = {}
        self._uncached: set[str] = set()
        # For records that fail, jsonschema walks only the top-level keywords and the
        # properties that failed, instead of all ~60 properties: same errors, same paths.
        schema = info.schema
        self._top = Draft202012Validator({k: v for k, v in schema.items() if k != "properties"}, format_checker=_FORMAT_CHECKER)
        self._by_prop = {name: Draft202012Validator(sub, format_checker=_FORMAT_CHECKER)
                         for name, sub in schema.get("properties", {}).items()}

    def errors(self, instance: dict[str, Any]) -> list[ValidationError]:
        if not self._looks_valid(instance):
            return self._full_errors(instance)
        for field, const, required in self._conditional:
            value = instance.get(field)
            if value is not None and (value == const or (isinstance(value, list) and const in value)):
                if any(name not in instance for name in required):
                    return self._full_errors(instance)
        return []

    def _full_errors(self, instance: dict[str, Any]) -> list[ValidationError]:
        if self._props is None:
            return list(self._full.iter_errors(instance))
        errors = list(self._top.iter_errors(instance))
        verdicts = self._verdicts
        for name, value in instance.items():
            validator = self._by_prop.get(name)
            if validator is None:
                continue
            try:
                if verdicts.get((name, value.__class__, tuple(value) if isinstance(value, list) else value)):
                    continue
            except TypeError:
                pass
            for err in validator.iter_errors(value):
                err.path.appendleft(name)
                errors.append(err)
        return errors

    def _compile(self, name: str) -> Callable[[Any], Any] | None:
        """The compiled check of property ``name`` (None when the schema has no such property)."""
        sub = self._prop_schemas.get(name)
        if sub is None or self._props is None:
            return None
        check = self._props[name] = fastjsonschema.compile(_strip(sub), formats=_FAST_FORMATS, use_default=False)
        return check

    def _looks_valid(self, instance: dict[str, Any]) -> bool:
        """The fast verdict. Per-property checks are cached by value: most cells repeat."""
        props = self._props
        if props is None:
            assert self._fast is not None
            try:
                self._fast(instance)
                return True
            except fastjsonschema.JsonSchemaException:
                return False
        for name in self._required:
            if name not in instance:
                return False
        verdicts = self._verdicts
        uncached = self._uncached
        for name, value in instance.items():
            check = props.get(name) or self._compile(name)
            if check is None:
                continue
            key: tuple[Any, ...] | None = None
            ok = None
            if name not in uncached:
                key = (name, value.__class__, tuple(value) if isinstance(value, list) else value)
                try:
                    ok = verdicts.get(key)
                except TypeError:  # unhashable (nested) value: no caching
                    key = None
            if ok is None:
                try:
                    check(value)
                    ok = True
                except fastjsonschema.JsonSchemaException:
                    ok = False
                if key is not None and len(verdicts) < 500_000:
                    verdicts[key] = ok
                    self._misses[name] = misses = self._misses.get(name, 0) + 1
                    if misses == 2000 and self._hits.get(name, 0) < misses:
                        uncached.add(name)  # values of this field rarely repeat: stop caching them
            elif key is not None:
                self._hits[name] = self._hits.get(name, 0) + 1
            if not ok:
                return False
        return True


_ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment"}


def _strip(sub: dict[str, Any]) -> dict[str, Any]:
    """A property subschema without annotations (x-…, titles), compiled on its own."""
    return {k: v for k, v in sub.items() if not k.startswith("x-") and k not in _ANNOTATIONS}


def _split_conditionals(schema: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any, tuple[str, ...]]]]:
    """Take the simple "if <field> is X then <other> is required" rules out of ``allOf``.

    Compiled validators implement ``if`` with an exception per failed condition, which made
    these rules cost more than the rest of the schema together. They are evaluated in
    Python instead (same meaning); any rule of another shape stays in the compiled schema.
    The full validator always sees the schema unchanged.
    """
    rules: list[tuple[str, Any, tuple[str, ...]]] = []
    kept: list[Any] = []
    for sub in schema.get("allOf", []):
        cond, then = sub.get("if", {}), sub.get("then", {})
        props = cond.get("properties", {})
        if (set(sub) == {"if", "then"} and set(then) == {"required"} and len(props) == 1
                and cond.get("required") == list(props)):
            (field, test), = props.items()
            if set(test) == {"const"}:
                rules.append((field, test["const"], tuple(then["required"])))
                continue
            if set(test) == {"contains"} and set(test["contains"]) == {"const"}:
                rules.append((field, test["contains"]["const"], tuple(then["required"])))
                continue
        kept.append(sub)
    fast = {k: v for k, v in schema.items() if k != "allOf"}
    if kept:
        fast["allOf"] = kept
    return fast, rules


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


def field_finding(info: SchemaInfo, code: str, field: str | None, *, locate: Callable[[str], str | None],
                  dataset: str | None, **kw: Any) -> Finding:
    """A Finding about ``field``: its labels, item number and location come from the schema and the record."""
    spec = info.fields.get(field or "")
    return make_finding(code, field=field, field_en=spec.title if spec else field, field_th=spec.title_th if spec else field,
                        item=info.item_of(field), location=locate(field or ""), dataset=dataset,
                        kind=spec.kind if spec else "text", **kw)


def findings_from_errors(
    errors: Iterable[ValidationError],
    instance: dict[str, Any],
    info: SchemaInfo,
    *,
    raw: dict[str, Any],
    placeholders: dict[str, Any],
    locate: Callable[[str], str | None],
    dataset: str | None = None,
    importer_fields: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Map jsonschema errors to Findings with stable codes (one per code and field).

    ``importer_fields``: fields the NSO importer would fold to 'อื่นๆ' — given for NSO-layout
    rows only, so the importer note appears where the importer is used, not on CKAN JSON.
    """
    out: list[Finding] = []
    seen: set[tuple[str, str | None, str]] = set()

    def add(code: str, field: str, value: Any, **kw: Any) -> None:
        key = (code, field, str(value))
        if key in seen:
            return
        seen.add(key)
        out.append(field_finding(info, code, field, value=value, locate=locate, dataset=dataset, **kw))

    for err in errors:
        if err.validator == "required" and not err.path:
            for name in cast("list[str]", err.validator_value):
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
            note_en, note_th = IMPORTER_NOTE if field in importer_fields else ("", "")
            hint = spec.value_hints.get(fold(str(value))) if spec else None
            if hint:  # a value the seeds themselves give as an example: say what to write instead
                add("choice", field, value, suggestion=hint.get("suggestion"), suggest_en=hint["en"], suggest_th=hint["th"],
                    importer_en=note_en, importer_th=note_th)
            else:
                add("choice", field, value, suggestion=suggest(spec, value) if spec else None,
                    importer_en=note_en, importer_th=note_th)
        elif keyword == "minItems" or (keyword == "minLength" and len(err.path) == 1) or (
                keyword == "pattern" and err.validator_value == NONBLANK):
            add("required", field, placeholders.get(field, raw.get(field)))
        else:
            add("format", field, raw.get(field, err.instance) if len(err.path) == 1 else err.instance)
    return out
