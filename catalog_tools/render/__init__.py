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


def formats_for(kind: str) -> list[str]:
    _load_builtin()
    return sorted({name for (name, k) in RENDERERS if k == kind}, key=lambda n: (n not in ("text", "json"), n))


def get(name: str, kind: str) -> Renderer:
    _load_builtin()
    return RENDERERS[(name, kind)]


def _load_builtin() -> None:
    # Import side effects register the built-in renderers; optional ones may be absent.
    from . import jsonfmt, text  # noqa: F401
    import importlib
    for mod in ("csvfmt", "html", "xlsx", "score_text", "publish_text", "audit_text", "rules_fmt"):
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{mod}":
                raise
