"""``make_finding``: a Finding from a declared rule, with both language templates filled.

Placeholders are filled from the finding's context (``{field}``/``{field_th}`` labels,
``{value}``, ``{suggestion}``, ``{allowed}``, ``{extra}``, …); a missing one is blank.
"""
from __future__ import annotations

import string
from functools import lru_cache
from typing import Any

from ..model import Finding, Severity, Source
from .base import get

_FIELD_WORDS = {
    "email": ("e-mail address", "อีเมล"),
    "number": ("positive number", "ตัวเลขจำนวนบวก"),
    "url": ("http(s) URL", "URL (http:// หรือ https://)"),
    "date": ("date (YYYY-MM-DD, Buddhist Era in workbooks)", "วันที่ (YYYY-MM-DD ปี พ.ศ.)"),
    "tags": ("keyword list (each keyword 2-100 characters)", "คำสำคัญ (แต่ละคำยาว 2-100 ตัวอักษร)"),
    "text": ("text", "ข้อความ"),
}


_TEXT_CACHE: dict[tuple[Any, ...], tuple[str, str]] = {}


@lru_cache(maxsize=None)
def _used(code: str) -> tuple[str, ...]:
    """The placeholder names the code's two templates use (the message cache keys on these only)."""
    c = get(code)
    return tuple(sorted({name for tpl in (c.en, c.th) for _, name, _, _ in string.Formatter().parse(tpl) if name}))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make_finding(
    code: str,
    *,
    field: str | None = None,
    field_en: str | None = None,
    field_th: str | None = None,
    item: str | None = None,
    value: Any = None,
    location: str | None = None,
    suggestion: str | None = None,
    dataset: str | None = None,
    source: Source | None = None,
    severity: Severity | None = None,
    **context: Any,
) -> Finding:
    """Build a Finding from a declared rule, filling both language templates."""
    spec = get(code)
    # Many findings share their text (the same synonym, the same missing item on thousands of
    # rows): format each distinct message once and share the strings, which keeps a report of
    # 100,000 findings small in memory. The cache key holds only the placeholders the two
    # templates use, each worked out as the full context below would give it (``_key_part``), so
    # a finding whose text is known costs no context at all.
    try:
        key: tuple[Any, ...] | None = (code, tuple([_key_part(name, context, field, field_en, field_th, value, suggestion)
                                                    for name in _used(code)]))
        texts = _TEXT_CACHE.get(key)  # type: ignore[arg-type]
    except TypeError:
        key, texts = None, None
    if texts is None:
        ctx = _context(context, field, field_en, field_th, value, suggestion)
        texts = (spec.en.format_map(ctx).strip(), spec.th.format_map(ctx).strip())
        if key is not None and len(_TEXT_CACHE) < 50_000:
            _TEXT_CACHE[key] = texts
    return Finding(code=code, severity=severity or spec.severity, field=field, item=item, location=location, value=value,
                   message=texts[0], message_th=texts[1], suggestion=suggestion, dataset=dataset, source=source)


def _context(context: dict[str, Any], field: str | None, field_en: str | None, field_th: str | None, value: Any,
             suggestion: str | None) -> _Blank:
    """Every placeholder a template may use; a missing one is blank."""
    ctx = _Blank(context)
    ctx["field"] = field_en or field or ""
    ctx["field_th"] = field_th or field_en or field or ""
    ctx["value"] = shown = short_text(value)
    ctx["suggestion"] = suggestion or ""
    ctx.setdefault("suggest_en", f" Did you mean '{suggestion}'?" if suggestion else "")
    ctx.setdefault("suggest_th", f" หมายถึง '{suggestion}' หรือไม่" if suggestion else "")
    kind = context.get("kind", "text")
    en_word, th_word = _FIELD_WORDS.get(kind, _FIELD_WORDS["text"])
    ctx.setdefault("expected", en_word)
    ctx.setdefault("expected_th", th_word)
    ctx.setdefault("missing", "it is blank" if value in (None, "") else f"'{shown}' is only a placeholder")
    ctx.setdefault("missing_th", "ยังว่างอยู่" if value in (None, "") else f"ค่า '{shown}' เป็นเพียงค่าที่ใช้แทนช่องว่าง")
    return ctx


_DERIVED = frozenset(("field", "field_th", "value", "suggestion", "suggest_en", "suggest_th", "expected", "expected_th",
                      "missing", "missing_th"))


def _key_part(name: str, context: dict[str, Any], field: str | None, field_en: str | None, field_th: str | None,
              value: Any, suggestion: str | None) -> Any:
    """``_context(...)[name]``, working out only that one entry."""
    if name not in _DERIVED:
        return context.get(name, "")
    if name == "value":
        return short_text(value)
    if name == "field":
        return field_en or field or ""
    if name == "field_th":
        return field_th or field_en or field or ""
    if name == "suggestion":
        return suggestion or ""
    if name in context:
        return context[name]
    return _context(context, field, field_en, field_th, value, suggestion)[name]


def short_text(value: Any, limit: int = 120) -> str:
    """A value as one line of at most ``limit`` characters (lists joined with commas)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
