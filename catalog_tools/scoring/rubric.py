"""Rubrics are data: one YAML file per fiscal year, read and checked here.

A rubric lists levels (basic → standard → advanced), each with sub-score items; an item names
a computation ``kind`` (see ``kinds.py``) and its parameters. Every reading the official
documents leave open is an *option* with a documented default; a rubric may inherit options
from an earlier year with ``extends``. Adding FY2567 means adding ``fy2567.yaml`` — no code.
Parameters written as ``$name`` are taken from the option ``name``, so one option can steer
several items and a user can change it with ``options={...}``.

The shape of a rubric file is checked by the JSON Schema ``schemas/files/rubric.schema.json``
(filecheck.py) first; this module adds only what a schema cannot say: that ``fy`` agrees with the
file name, ``extends`` names an existing file, a default is one of its choices, levels come in
order, item keys are unique, ``$option`` references exist, kinds are the registry's, and only a
gate may score 0 points. Each error is one line naming the file and the place in it.
"""
from __future__ import annotations

import copy
from functools import lru_cache

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

RUBRIC_FORMAT = 1
LEVEL_ORDER = ("basic", "standard", "advanced")
_FILE_RE = re.compile(r"^fy(\d{4})\.ya?ml$")


class RubricError(ValueError):
    """A rubric file or a rubric option is not valid (one line for the CLI)."""


@dataclass(frozen=True, slots=True)
class OptionSpec:
    name: str
    default: Any
    doc: str = ""
    choices: tuple[Any, ...] | None = None
    type: str | None = None  # "number": a number >= 0 (or null), e.g. the KPI weight


@dataclass(frozen=True, slots=True)
class ItemSpec:
    key: str
    kind: str
    level: str
    points: int
    title: str
    title_th: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LevelSpec:
    key: str
    target: int
    title: str
    title_th: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True, slots=True)
class ScopeSpec:
    declaration: str  # "focus_area" or "use_scope"
    title: str
    title_th: str
    values: tuple[str, ...]
    variants: dict[str, str]


@dataclass(frozen=True, slots=True)
class Rubric:
    fy: int
    title: str
    title_th: str
    source: str
    scope: ScopeSpec
    levels: tuple[LevelSpec, ...]
    options: dict[str, OptionSpec] = field(default_factory=dict)
    path: str = ""
    provisional: bool = False  # no official point table: the output says so (note/note_th)
    note: str = ""
    note_th: str = ""

    def items(self) -> list[ItemSpec]:
        return [item for level in self.levels for item in level.items]

    def level(self, key: str) -> LevelSpec | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    def resolve_options(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        """Defaults with ``overrides`` on top; unknown names and bad choices raise RubricError."""
        # list defaults are copied: the rubric is cached and shared, a caller's change must not leak
        out = {name: list(spec.default) if isinstance(spec.default, list) else spec.default
               for name, spec in self.options.items()}
        for name, value in (overrides or {}).items():
            spec = self.options.get(name)
            if spec is None:
                raise RubricError(f"unknown scoring option {name!r} for FY{self.fy}; known: {', '.join(sorted(self.options))}")
            if spec.type == "number":
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100):
                    raise RubricError(f"scoring option {name} must be a number from 0 to 100 — ตัวเลือก {name} ต้องเป็นตัวเลข 0 ถึง 100")
                out[name] = value
                continue
            if spec.choices is not None and value not in spec.choices:
                raise RubricError(f"scoring option {name}: {value!r} is not one of {', '.join(map(str, spec.choices))}")
            if isinstance(spec.default, bool) and not isinstance(value, bool):
                raise RubricError(f"scoring option {name} must be true or false — ตัวเลือก {name} ต้องเป็น true หรือ false")
            if isinstance(spec.default, int) and not isinstance(spec.default, bool) and (
                    isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise RubricError(f"scoring option {name} must be a whole number >= 0 — ตัวเลือก {name} ต้องเป็นจำนวนเต็มตั้งแต่ 0")
            if isinstance(spec.default, list) and spec.default and all(_is_number(v) for v in spec.default):
                if not (isinstance(value, list) and all(_is_number(v) for v in value)):
                    raise RubricError(f"scoring option {name} must be a list of numbers — ตัวเลือก {name} ต้องเป็นรายการตัวเลข")
            elif isinstance(spec.default, list) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise RubricError(f"scoring option {name} must be a list of strings — ตัวเลือก {name} ต้องเป็นรายการข้อความ")
            out[name] = value
        return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def param(item: ItemSpec, name: str, options: dict[str, Any], default: Any = None) -> Any:
    """An item parameter, following a ``$option`` reference."""
    value = item.params.get(name, default)
    if isinstance(value, str) and value.startswith("$"):
        return options[value[1:]]
    return value


def _builtin_dir() -> Path:
    return Path(str(resources.files("catalog_tools.scoring") / "rubrics"))


def _files(rubric_dir: str | Path | None) -> dict[int, Path]:
    folder = Path(rubric_dir) if rubric_dir is not None else _builtin_dir()
    found: dict[int, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            m = _FILE_RE.match(path.name)
            if m:
                found[int(m.group(1))] = path
    return found


def available_fiscal_years(rubric_dir: str | Path | None = None) -> list[int]:
    """Fiscal years (Buddhist Era) that have a rubric file, oldest first."""
    return sorted(_files(rubric_dir))


def load_rubric(fy: int, rubric_dir: str | Path | None = None) -> Rubric:
    """Read and check the rubric for fiscal year ``fy`` (from ``rubric_dir`` or the built-in ones)."""
    files = _files(rubric_dir)
    if fy not in files:
        years = ", ".join(str(y) for y in sorted(files)) or "none"
        raise RubricError(f"no rubric for FY{fy}; available: {years}")
    try:
        stamp = tuple((y, str(p), st.st_size, st.st_mtime_ns) for y, p in sorted(files.items()) for st in (p.stat(),))
    except OSError:
        return _load(fy, files, seen=())  # reports the unreadable file in its own words
    return _checked(fy, stamp)


@lru_cache(maxsize=32)
def _checked(fy: int, stamp: tuple[tuple[int, str, int, int], ...]) -> Rubric:
    """The checked rubric, once per version of the rubric files: a whole-portal audit scores every
    organisation on its own and asked for the same rubric fifty times (each a copy, a schema check
    and the if-chains). The key holds every file's size and modification time, so an edited file
    is read again; a bad file raises each time (lru_cache keeps no exception)."""
    return _load(fy, {y: Path(p) for y, p, _, _ in stamp}, seen=())


def _read(path: Path) -> Any:
    """The parsed file, parsed once per version of the file.

    An audit scores every organisation on its own, so the same rubric is asked for many times;
    parsing YAML each time cost seconds. The cache key is the file's path, size and modification
    time, so an edited rubric file is read again. Callers get a deep copy (the data is mutable).
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise RubricError(f"cannot read rubric {path.name}: {exc.strerror or exc}") from None
    return copy.deepcopy(_parse(str(path), st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=64)
def _parse(path_text: str, size: int, mtime_ns: int) -> Any:
    path = Path(path_text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RubricError(f"cannot read rubric {path.name}: {str(exc).splitlines()[0]}") from None
    return data  # its shape is checked by the schema in _load


def _load(fy: int, files: dict[int, Path], seen: tuple[int, ...]) -> Rubric:
    path = files[fy]
    name = path.name
    if fy in seen:
        raise RubricError(f"rubric {name}: at $.extends: 'extends' loops ({' -> '.join(map(str, seen + (fy,)))})")
    data = _read(path)
    from ..filecheck import file_problem

    problem = file_problem(data, "rubric", f"rubric {name}")
    if problem:
        raise RubricError(problem)
    if data["fy"] != fy:
        raise RubricError(f"rubric {name}: at $.fy: 'fy' must be {fy} (the year in the file name), not {data['fy']}")
    if data.get("format", RUBRIC_FORMAT) != RUBRIC_FORMAT:
        raise RubricError(f"rubric {name}: at $.format: unsupported format {data.get('format')!r} "
                          f"(this version reads format {RUBRIC_FORMAT})")
    options: dict[str, OptionSpec] = {}
    base = data.get("extends")
    parent: Rubric | None = None
    if base is not None:
        if base not in files:
            raise RubricError(f"rubric {name}: at $.extends: extends FY{base}, which has no rubric file")
        parent = _load(int(base), files, seen + (fy,))
        options.update(parent.options)
    for opt_name, spec in (data.get("options") or {}).items():
        choices = tuple(spec["choices"]) if spec.get("choices") is not None else None
        if choices is not None and spec["default"] not in choices:
            raise RubricError(f"rubric {name}: at $.options.{opt_name}.default: default is not one of its choices "
                              f"({', '.join(map(str, choices))})")
        options[str(opt_name)] = OptionSpec(str(opt_name), spec["default"], str(spec.get("doc", "")), choices,
                                            spec.get("type"))
    levels = tuple(_level(lv, i, name) for i, lv in enumerate(data["levels"]))
    keys = [lv.key for lv in levels]
    if keys != [k for k in LEVEL_ORDER if k in keys] or len(set(keys)) != len(keys) or "basic" not in keys:
        raise RubricError(f"rubric {name}: at $.levels: levels must be basic, standard, advanced in that order "
                          f"(basic always there, each once), not {', '.join(keys)}")
    where = {it.key: f"$.levels[{i}].items[{j}]" for i, lv in enumerate(levels) for j, it in enumerate(lv.items)}
    item_keys = [it.key for lv in levels for it in lv.items]
    twice = next((k for k in item_keys if item_keys.count(k) > 1), None)
    if twice is not None:
        raise RubricError(f"rubric {name}: at {where[twice]}.key: item keys must be unique ({twice!r} is used twice)")
    for lv in levels:
        for it in lv.items:
            for param_name, value in it.params.items():
                if isinstance(value, str) and value.startswith("$") and value[1:] not in options:
                    raise RubricError(f"rubric {name}: at {where[it.key]}.{param_name}: item {it.key} refers to "
                                      f"unknown option {value}")
    scope = data.get("scope") or {}
    if not scope and parent is not None:  # a later year that does not restate the scope keeps its base's
        ps = parent.scope
        scope = {"declaration": ps.declaration, "title": ps.title, "title_th": ps.title_th,
                 "values": list(ps.values), "variants": dict(ps.variants)}
    if scope.get("declaration") not in ("focus_area", "use_scope") or not scope.get("values"):
        raise RubricError(f"rubric {name}: at $.scope: scope needs declaration (focus_area|use_scope) and values "
                          "(or a rubric it extends that has them)")
    return Rubric(
        fy=fy, title=str(data.get("title", f"FY{fy}")), title_th=str(data.get("title_th", data.get("title", ""))),
        source=str(data.get("source", "")), path=str(path), levels=levels, options=options,
        scope=ScopeSpec(scope["declaration"], str(scope.get("title", "")), str(scope.get("title_th", "")),
                        tuple(str(v) for v in scope["values"]), {str(k): str(v) for k, v in (scope.get("variants") or {}).items()}),
        provisional=bool(data.get("provisional", False)), note=str(data.get("note", "")), note_th=str(data.get("note_th", "")))


def _kind_names() -> tuple[str, ...]:
    """The kinds a rubric item may name: those of the registry in ``kinds.py`` (imported late: it imports this module)."""
    from .kinds import KINDS

    return tuple(KINDS)


def _level(data: dict[str, Any], index: int, name: str) -> LevelSpec:
    """One level of a rubric (its shape already checked by the schema); kinds come from the registry."""
    key = str(data["key"])
    items = []
    kinds = _kind_names()
    for j, raw in enumerate(data.get("items") or []):
        at = f"$.levels[{index}].items[{j}]"
        if raw["kind"] not in kinds:
            raise RubricError(f"rubric {name}: at {at}.kind: {raw['kind']!r} is not a computation kind "
                              f"(one of {', '.join(kinds)})")
        points = raw.get("points", 0)
        if raw["kind"] != "gate" and points == 0:
            raise RubricError(f"rubric {name}: at {at}.points: item {raw['key']} needs points > 0 (only a gate scores 0)")
        params = {k: v for k, v in raw.items() if k not in ("key", "kind", "points", "title", "title_th")}
        items.append(ItemSpec(str(raw["key"]), raw["kind"], key, points, str(raw.get("title", raw["key"])),
                              str(raw.get("title_th", raw.get("title", raw["key"]))), params))
    return LevelSpec(key, int(data.get("target", 0)), str(data.get("title", key)), str(data.get("title_th", key)), tuple(items))
