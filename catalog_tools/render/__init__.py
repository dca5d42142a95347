"""Renderers: a registry from format name to function; it also feeds ``--format`` choices.

A renderer takes the plain-data result (a ``Report``, or a score/publish result dict) and
returns text for stdout, or writes a file when the format is binary (xlsx) or an
``--output`` path is given. Renderers never change the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

RenderFn = Callable[..., "str | bytes | Iterable[str] | None"]


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    fn: RenderFn
    kinds: tuple[str, ...]  # what it can render: "validate", "score", "audit", "publish"
    binary: bool = False  # needs --output (e.g. xlsx)
    description: str = ""


#: (format name, result kind) → Renderer; kinds are "validate", "score", "audit", "publish"
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
