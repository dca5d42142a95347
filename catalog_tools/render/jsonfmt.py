"""JSON: exactly one document on stdout, the versioned API (``version: 1``).

A validation report of 100,000 datasets is a quarter of a gigabyte of JSON; building it as one
dict and one string took 1.8 GB of memory. Reports are therefore written dataset by dataset
(``iter_report_json``), byte for byte the same document as ``json.dumps(report.to_dict(),
indent=2)``.

Each dataset is encoded with orjson (Rust), not the standard library: with ``indent`` set,
``json`` falls back to its pure-Python encoder, which alone cost ~3.5 s of a 100,000-dataset
run. orjson writes the same bytes for everything a report holds except a few float spellings
(``1e-05`` vs ``1e-5``, ``1e-05`` vs ``0.00001``) and non-finite floats (``NaN`` vs ``null``),
and it refuses lone surrogates and integers beyond 64 bits. Those cases are recognised (a
pattern on the output, a check of the input-derived values, the exception) and that dataset
is written by ``json`` instead, so the document stays byte-identical (tests compare both).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterator

import orjson

from ..model import Report
from ..results import AuditResult, QualityResult
from . import register


def to_json(data: Any) -> str:
    """One plain-data document (dicts, lists, numbers, strings) as indented JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False) + "\n"


def _dump(value: Any, depth: int) -> str:
    """``value`` as it appears ``depth`` levels deep in an indent=2 document."""
    text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    return text.replace("\n", "\n" + "  " * depth)


# Spellings where orjson and json differ: a one-digit negative exponent (1e-5 / 1e-05) and
# small numbers orjson writes without exponent (0.00001 / 1e-05). Text inside strings may match
# too: that only costs the slower encoder for that dataset.
_DIVERGES = re.compile(rb"[0-9][eE]-[0-9](?![0-9])|0\.0000")


def _special_float(value: Any) -> bool:
    """Whether a NaN or an infinity hides in ``value`` (json writes NaN, orjson null)."""
    kind = value.__class__
    if kind is float:
        return not math.isfinite(value)
    if kind is dict:
        return any(_special_float(v) for v in value.values())
    if kind is list or kind is tuple:
        return any(_special_float(v) for v in value)
    return False


def _raw_floats(d: Any) -> bool:
    """Non-finite floats can only come from the input: metadata values and finding values."""
    return (_special_float(d.values) or any(_special_float(f.value) for f in d.findings)
            or any(_special_float(r.values) or any(_special_float(f.value) for f in r.findings) for r in d.resources))


def _dump_fast(value: Any, depth: int, check_floats: bool) -> str:
    """``_dump`` through orjson when that gives the same bytes, else through json."""
    if not check_floats:
        try:
            data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except (TypeError, orjson.JSONEncodeError):  # lone surrogate, huge int, odd key
            data = b""
        # substring tests first (C speed): the pattern only runs when one of its anchors occurs
        suspect = b"e-" in data or b"E-" in data or b"0.0000" in data
        if data and (not suspect or _DIVERGES.search(data) is None):
            text = data.decode("utf-8")
            return text.replace("\n", "\n" + "  " * depth) if depth else text
    return _dump(value, depth)


def iter_report_json(report: Report, head: dict[str, Any] | None = None) -> Iterator[str]:
    """The report's JSON document in chunks, one dataset at a time.

    ``head`` is the document with ``datasets`` as a placeholder (default: the report's own); an
    audit or quality result passes its head, which adds its keys after the report's.
    """
    head = report.to_dict_head() if head is None else head
    keys = list(head)
    yield "{"
    first = True
    for key in keys:
        yield ("\n" if first else ",\n") + f"  {json.dumps(key)}: "
        first = False
        if key == "datasets":
            if not report.datasets:
                yield "[]"
                continue
            for i, d in enumerate(report.datasets):
                yield ("[\n    " if i == 0 else ",\n    ") + _dump_fast(d.to_dict(), 2, _raw_floats(d))
            yield "\n  ]"
        else:
            yield _dump(head[key], 1)
    yield "\n}\n"


@register("json", kinds=("validate", "score", "audit", "publish"), description="one JSON document (both languages)")
def render_json(result: Any, **_: Any) -> Any:
    if isinstance(result, Report):
        return iter_report_json(result)
    if isinstance(result, (AuditResult, QualityResult)):
        return iter_report_json(result.report, result.to_dict_head())
    return to_json(result.to_dict())  # ScoreResult, PublishResult
