"""Renderers: a registry keyed by (format name, result kind); it also feeds ``--format`` choices.

A renderer takes a typed result (``Report``, ``ScoreResult``, ``AuditResult``, ``QualityResult``,
``PublishResult``, ``RuleListing``) and returns text for stdout, or writes a file when the format
is binary (xlsx) or an ``--output`` path is given. Renderers never change the result.
:func:`for_result` finds the renderer from the result's type (:func:`kind_of`), so a command
hands over its result and a renderer knows what it holds without guessing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

RenderFn = Callable[..., "str | bytes | Iterable[str] | None"]


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    fn: RenderFn
    kinds: tuple[str, ...]  # what it can render: kinds of :data:`KIND_OF_TYPE`
    binary: bool = False  # needs --output (e.g. xlsx)
    description: str = ""


#: (format name, result kind) → Renderer; kinds are the values of :data:`KIND_OF_TYPE`
RENDERERS: dict[tuple[str, str], Renderer] = {}


F = TypeVar("F", bound=RenderFn)


def register(name: str, *, kinds: tuple[str, ...], binary: bool = False, description: str = "") -> Callable[[F], F]:
    """Register ``fn(result, *, lang, output, **options)`` as format ``name`` for each kind."""
    def deco(fn: F) -> F:
        for kind in kinds:
            RENDERERS[(name, kind)] = Renderer(name, fn, kinds, binary, description)
        return fn
    return deco


#: the built-in renderers: (format, kind) → module that registers it. ``--format`` choices come
#: from here, so building the command line imports no renderer; ``get`` imports the one needed.
BUILTIN: dict[tuple[str, str], str] = {
    ("text", "validate"): "text", ("text", "score"): "score_text", ("text", "audit"): "audit_text",
    ("text", "publish"): "publish_text", ("text", "rules"): "rules_fmt",
    **{("json", k): "jsonfmt" for k in ("validate", "score", "audit", "publish")},
    ("json", "rules"): "rules_fmt", ("md", "rules"): "rules_fmt",
    ("csv", "validate"): "csvfmt", ("csv", "audit"): "csvfmt", ("csv-orgs", "audit"): "csvfmt",
    **{("html", k): "html" for k in ("validate", "score", "audit")},
    ("xlsx", "validate"): "xlsx",
    **{(name, "quality"): "quality" for name in ("text", "json", "csv", "html")},
}


#: result type → the kind its renderers are registered under. Types are named, not imported:
#: the command line reads this module at start-up (``--format`` choices), and importing the
#: scoring or CKAN modules there would slow every command. A subclass finds its base's kind.
KIND_OF_TYPE: dict[str, str] = {
    "catalog_tools.model.Report": "validate",
    "catalog_tools.scoring.result.ScoreResult": "score",
    "catalog_tools.results.AuditResult": "audit",
    "catalog_tools.results.QualityResult": "quality",
    "catalog_tools.ckan.publish.PublishResult": "publish",
    "catalog_tools.rules.base.RuleListing": "rules",
}


def kind_of(result: object) -> str:
    """The kind of ``result`` (``"validate"``, ``"score"``, …) from its type; TypeError for any other type."""
    for cls in type(result).__mro__:
        kind = KIND_OF_TYPE.get(f"{cls.__module__}.{cls.__qualname__}")
        if kind is not None:
            return kind
    raise TypeError(f"no renderer knows a {type(result).__module__}.{type(result).__qualname__} result "
                    f"(known: {', '.join(sorted(n.rsplit('.', 1)[1] for n in KIND_OF_TYPE))})")


def for_result(name: str, result: object) -> Renderer:
    """The renderer of format ``name`` for ``result``'s type; LookupError when that format cannot show it."""
    kind = kind_of(result)
    try:
        return get(name, kind)
    except KeyError:
        raise LookupError(f"format {name!r} cannot render a {kind} result (it can: "
                          f"{', '.join(formats_for(kind))})") from None


def formats_for(kind: str) -> list[str]:
    names = {name for (name, k) in BUILTIN if k == kind} | {name for (name, k) in RENDERERS if k == kind}
    return sorted(names, key=lambda n: (n not in ("text", "json"), n))


def get(name: str, kind: str) -> Renderer:
    if (name, kind) not in RENDERERS and (name, kind) in BUILTIN:
        import importlib
        importlib.import_module(f"{__name__}.{BUILTIN[name, kind]}")  # registers itself on import
    return RENDERERS[(name, kind)]


def load_builtin() -> None:
    """Import every built-in renderer (they register on import): for listing all of them."""
    import importlib
    for mod in sorted(set(BUILTIN.values())):
        importlib.import_module(f"{__name__}.{mod}")
