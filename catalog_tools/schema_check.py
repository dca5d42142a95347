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
from typing import Any, Callable, Iterable, NamedTuple, cast

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
        self._conditional_by_field: dict[str, list[tuple[Any, tuple[str, ...]]]] = {}
        for field, const, required in self._conditional:
            self._conditional_by_field.setdefault(field, []).append((const, required))
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
        # field → {value key → verdict}; None for a field whose values rarely repeat (titles, ids)
        self._verdicts: dict[str, dict[Any, bool] | None] = {}
        self._cached_verdicts = 0
        self._records = 0
        self._required_set = frozenset(self._required)
        # For records that fail, jsonschema walks only the top-level keywords and the
        # properties that failed, instead of all ~60 properties: same errors, same paths.
        schema = info.schema
        self._top = Draft202012Validator({k: v for k, v in schema.items() if k != "properties"}, format_checker=_FORMAT_CHECKER)
        # The simple conditionals of ``allOf`` are decided in Python there too: jsonschema's
        # ``if`` costs ~250 µs a failing record (a third of validate's schema time at 100,000
        # rows). Only their ``then`` (a ``required`` list) is run by jsonschema, when the ``if``
        # holds, so the errors and their order stay exactly jsonschema's (tests compare both).
        self._top_steps = _top_steps(schema)
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

    @property
    def judges_properties(self) -> bool:
        """Whether the fast verdict is per property (then ``verdict`` and ``errors_judged`` apply)."""
        return self._props is not None

    def verdict(self, name: str, value: Any) -> bool:
        """Whether ``value`` passes the compiled check of property ``name`` (a field outside the schema passes)."""
        verdicts = self._verdicts
        known = verdicts.get(name)
        if known is None and name not in verdicts:
            known = verdicts[name] = {} if name in self._prop_schemas else None
        key = None
        if known is not None:
            try:
                key = _verdict_key(value)
                ok = known.get(key)
            except TypeError:  # unhashable (nested) value: checked every time
                key = ok = None
            if ok is not None:
                return ok
        check = self._props.get(name) if self._props is not None else None
        check = check or self._compile(name)
        if check is None:
            return True
        try:
            check(value)
            ok = True
        except fastjsonschema.JsonSchemaException:
            ok = False
        if key is not None and known is not None:
            self._remember(name, known, key, ok)
        return ok

    def judge(self, name: str, value: Any) -> bool:
        """For ``Normaliser.judge``: the value passes its property's check and switches on none of the
        schema's conditionals (a value that does, "อื่นๆ", sends its rare record to the full check)."""
        return self.verdict(name, value) and not self._switches_on(name, value)

    def _switches_on(self, name: str, value: Any) -> list[tuple[str, ...]]:
        """The ``required`` lists of the conditionals ``value`` of field ``name`` switches on."""
        rules = self._conditional_by_field.get(name)
        if not rules:
            return []
        return [required for const, required in rules if value == const or (isinstance(value, list) and const in value)]

    def errors_judged(self, instance: dict[str, Any], unchecked: list[str], invalid: bool) -> list[ValidationError]:
        """``errors(instance)`` when the normaliser judged some values with their cells already
        (``Normaliser.judge`` = ``judge``): only the ``unchecked`` fields are checked here, and
        ``invalid`` (a judged value failed, or switches on a conditional) means the full check."""
        if self._props is None:
            return self.errors(instance)
        if invalid or not self._required_set <= instance.keys():
            return self._full_errors(instance)
        self._records += 1
        for name in unchecked:
            if name in instance:
                value = instance[name]
                if not self.verdict(name, value):
                    return self._full_errors(instance)
                for required in self._switches_on(name, value):
                    if any(other not in instance for other in required):
                        return self._full_errors(instance)
        return []

    def _full_errors(self, instance: dict[str, Any]) -> list[ValidationError]:
        if self._props is None:
            return list(self._full.iter_errors(instance))
        errors = self._top_errors(instance)
        verdicts = self._verdicts
        for name, value in instance.items():
            validator = self._by_prop.get(name)
            if validator is None:
                continue
            known = verdicts.get(name)
            if known:
                try:
                    if known.get(_verdict_key(value)):
                        continue
                except TypeError:
                    pass
            for err in validator.iter_errors(value):
                err.path.appendleft(name)
                errors.append(err)
        return errors

    def _top_errors(self, instance: dict[str, Any]) -> list[ValidationError]:
        """The errors of the schema's top level (all but ``properties``), as ``self._top`` gives them."""
        steps = self._top_steps
        if steps is None:
            return list(self._top.iter_errors(instance))
        errors = list(steps.plain.iter_errors(instance))
        for field, const, contains, then in steps.conditionals:
            if field not in instance:
                continue
            value = instance[field]
            if contains:  # "contains" says nothing about a value that is not an array
                holds = not isinstance(value, list) or any(v == const for v in value)
            else:
                holds = value == const
            if holds:
                errors.extend(then.iter_errors(instance))
        return errors

    def _compile(self, name: str) -> Callable[[Any], Any] | None:
        """The compiled check of property ``name`` (None when the schema has no such property)."""
        sub = self._prop_schemas.get(name)
        if sub is None or self._props is None:
            return None
        check = self._props[name] = fastjsonschema.compile(_strip(sub), formats=_FAST_FORMATS, use_default=False)
        return check

    def _looks_valid(self, instance: dict[str, Any]) -> bool:
        """The fast verdict. Per-property checks are cached by value: most cells repeat.

        The hot loop of validate (every cell of every record passes here): one dictionary
        lookup per cell for repeated values, the compiled check for the others.
        """
        if self._props is None:
            assert self._fast is not None
            try:
                self._fast(instance)
                return True
            except fastjsonschema.JsonSchemaException:
                return False
        if not self._required_set <= instance.keys():
            return False
        self._records += 1
        verdicts = self._verdicts
        for name, value in instance.items():
            known = verdicts.get(name)
            if known and value.__class__ is str:  # the hot path, inlined: a text value seen before
                ok = known.get(value)
                if ok:
                    continue
                if ok is not None:
                    return False
            if not self.verdict(name, value):  # the rest: the same cache and check as every verdict
                return False
        return True

    def _remember(self, name: str, known: dict[Any, bool], key: Any, ok: bool) -> None:
        """Cache a verdict; a field whose first 2,000 values were mostly distinct is no longer cached."""
        if self._cached_verdicts >= 500_000:
            return
        try:
            known[key] = ok
        except TypeError:
            return
        self._cached_verdicts += 1
        if len(known) == 2000 and self._records < 4000:
            self._verdicts[name] = None  # values of this field rarely repeat (titles, ids): caching only costs memory




def _verdict_key(value: Any) -> Any:
    """A cache key for a normalised value: the text itself, a list as a tuple, else (type, value).

    The type is part of a non-text key because ``1 == 1.0 == True`` while the schema tells them apart.
    """
    cls = value.__class__
    if cls is str:
        return value
    if isinstance(value, list):
        return tuple(value)
    return cls, value


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


class _TopSteps(NamedTuple):
    plain: Draft202012Validator  # the top level without ``properties`` and ``allOf``
    conditionals: tuple[tuple[str, str, bool, Draft202012Validator], ...]  # (field, const, contains?, then)


def _top_steps(schema: dict[str, Any]) -> _TopSteps | None:
    """The top level split into its plain keywords and ``allOf``'s simple conditionals, in order.

    None (use jsonschema for the whole top level) unless ``allOf`` is the last keyword that
    asserts anything and each of its entries is "if <field> is (or contains) the text X then
    <others> are required" — the only shape whose meaning ``_top_errors`` spells out. String
    constants only: jsonschema compares a string with ``==``, exactly as Python does.
    """
    asserting = [k for k in schema if k != "properties" and k not in _ANNOTATIONS and not k.startswith("x-")]
    if "allOf" not in asserting or asserting[-1] != "allOf":
        return None
    conditionals = []
    for sub in schema["allOf"]:
        cond, then = sub.get("if", {}), sub.get("then", {})
        props = cond.get("properties", {})
        if not (set(sub) == {"if", "then"} and set(then) == {"required"} and set(cond) == {"properties", "required"}
                and len(props) == 1 and cond.get("required") == list(props)):
            return None
        (field, test), = props.items()
        if set(test) == {"const"} and isinstance(test["const"], str):
            const, contains = test["const"], False
        elif set(test) == {"contains"} and set(test["contains"]) == {"const"} and isinstance(test["contains"]["const"], str):
            const, contains = test["contains"]["const"], True
        else:
            return None
        conditionals.append((field, const, contains, Draft202012Validator(then, format_checker=_FORMAT_CHECKER)))
    plain = {k: v for k, v in schema.items() if k not in ("properties", "allOf")}
    return _TopSteps(Draft202012Validator(plain, format_checker=_FORMAT_CHECKER), tuple(conditionals))


_SUGGESTED: dict[tuple[int, str], tuple[FieldSpec, str | None]] = {}


def suggest(spec: FieldSpec, value: Any) -> str | None:
    """The closest allowed value (or synonym target) for a near miss, if any is close enough.

    Remembered per field and value: the same wrong value repeats on thousands of rows, and
    difflib compares it with every choice, label and synonym.
    """
    if not spec.choices or not isinstance(value, str):
        return None
    key = (id(spec), value)
    hit = _SUGGESTED.get(key)
    if hit is not None and hit[0] is spec:  # the spec is kept in the entry, so its id cannot be reused
        return hit[1]
    found = _suggest(spec, value)
    if len(_SUGGESTED) < 20_000:
        _SUGGESTED[key] = (spec, found)
    return found


def _suggest(spec: FieldSpec, value: str) -> str | None:
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
