"""One redaction for every string catalog-tools emits: the API token never leaves the process.

Why here and why like this: a token can reach output by many paths — a server echoing it in
an error page, a ValidationError whose *keys* hold it, a dataset field on a hostile catalog,
a log line. Redacting at each print would miss one, and redacting *after* truncation (a
token cut in half) or *after* encoding (JSON writes ``"`` as ``\\"``) lets most of it through.
So:

* secrets are remembered once (:func:`remember`, called when a client is built with a
  token) and every sink — stdout, stderr, the JSON-lines log, report files — passes its text
  through :func:`redact` *before* it is cut short or encoded;
* :func:`redact` also removes the token's encoded forms (JSON with and without
  ``ensure_ascii``, HTML, CSV quote doubling, Python ``repr``, URL encoding), for text that
  was encoded on the way; :func:`redact_tree` cleans keys and values of nested data before it
  is encoded at all.

Secrets shorter than :data:`MIN_SECRET` characters are not redacted (they would blot out
ordinary words).
"""
from __future__ import annotations

import html
import json
import threading
from typing import Any, Iterable
from urllib.parse import quote

MASK = "***"
MIN_SECRET = 4

_lock = threading.Lock()
_secrets: set[str] = set()
_forms: tuple[str, ...] = ()


def _encoded_forms(secret: str) -> set[str]:
    forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
             html.escape(secret), html.escape(secret, quote=False), secret.replace('"', '""'),
             repr(secret)[1:-1], quote(secret, safe=""), quote(secret)}
    forms |= {json.dumps(f)[1:-1] for f in list(forms)}  # encoded twice (a JSON string inside JSON)
    return {f for f in forms if len(f) >= MIN_SECRET}


def remember(secret: str | None) -> None:
    """Add ``secret`` to what :func:`redact` removes from now on (process-wide)."""
    global _forms
    if not secret or len(secret) < MIN_SECRET:
        return
    with _lock:
        if secret in _secrets:
            return
        _secrets.add(secret)
        forms = set(_forms) | _encoded_forms(secret)
        _forms = tuple(sorted(forms, key=len, reverse=True))  # longest first: no half-replaced forms


def forget_all() -> None:
    """Forget every remembered secret (tests; a long-lived process switching accounts)."""
    global _forms
    with _lock:
        _secrets.clear()
        _forms = ()


def _all_forms(extra: Iterable[str | None]) -> tuple[str, ...]:
    """The remembered forms plus those of ``extra``, longest first."""
    forms = _forms
    more = [f for s in extra if s and len(s) >= MIN_SECRET and s not in _secrets for f in _encoded_forms(s)]
    if more:
        forms = tuple(sorted(set(forms) | set(more), key=len, reverse=True))
    return forms


def _mask(text: str, forms: tuple[str, ...]) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    return text


def redact(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with every remembered secret (and each of ``extra``) replaced by ``***``, in any encoded form."""
    forms = _all_forms(extra)
    if not forms or not isinstance(text, str):
        return text
    return _mask(text, forms)


def redact_tree(value: Any, extra: Iterable[str | None] = ()) -> Any:
    """``value`` (nested dicts/lists/strings) with secrets removed from keys and strings alike.

    The forms are worked out once for the whole tree (a page of 1,000 datasets holds over 100,000
    strings; working them out per string was a fifth of an audit's own time)."""
    forms = _all_forms(tuple(extra))
    if not forms or not _may_hold(value, forms):
        return value
    return _walk(value, forms)


def _may_hold(value: Any, forms: tuple[str, ...]) -> bool:
    """False only when no key or string of ``value`` can contain any of ``forms``.

    Walking a page of 1,000 datasets costs ~30 ms; orjson writes the same tree in a few ms, and
    it writes every character of every key and string as itself except ``"``, ``\\`` and the
    C0 controls. So a form without those characters that is absent from the written bytes is
    absent from every string. Anything else (such a character in a form, a value orjson cannot
    write, e.g. a lone surrogate) answers True, and the tree is walked.
    """
    if any(c in '"\\' or c < " " for form in forms for c in form):
        return True
    import orjson

    try:
        written = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return True
    return any(form.encode("utf-8", "surrogatepass") in written for form in forms)


def _walk(value: Any, forms: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return _mask(value, forms)
    if isinstance(value, dict):
        return {(_mask(k, forms) if isinstance(k, str) else k): _walk(v, forms) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk(v, forms) for v in value]
    return value


def active() -> bool:
    """Whether any secret is remembered (sinks can skip work when none is)."""
    return bool(_forms)
