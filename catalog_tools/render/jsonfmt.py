"""JSON: exactly one document on stdout, the versioned API (``version: 1``).

A validation report of 100,000 datasets is a quarter of a gigabyte of JSON; building it as one
dict and one string took 1.8 GB of memory. Reports are therefore written dataset by dataset
(``iter_report_json``), byte for byte the same document as ``json.dumps(report.to_dict(),
indent=2)``.

Each dataset is encoded with orjson (Rust), not the standard library: with ``indent`` set,
``json`` falls back to its pure-Python encoder, which alone cost ~3.5 s of a 100,000-dataset
run. orjson writes the same bytes for everything a report holds except a few float spellings
(``1e-05`` vs ``1e-5``, ``1e-05`` vs ``0.00001``), and it refuses lone surrogates and integers
beyond 64 bits. Those cases are recognised (a test of the output, the exception) and that
dataset is written by ``json`` instead, so the document stays byte-identical (tests compare
both). Non-finite floats never reach either encoder: ``to_dict`` writes them as text.
Datasets are encoded and tested in batches (``_dump_batch``), and the writer receives the
bytes as orjson wrote them (``iter_report_json_bytes``) unless a secret is to be redacted.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import orjson

from ..model import Report
from ..redaction import active as redacting
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


_BATCH = 256  # datasets encoded and written together


def _dump_batch(datasets: list[Any], errors: str = "strict") -> bytes:
    """Datasets as they appear, comma-separated, two levels deep, in UTF-8: byte for byte as
    ``_dump(d.to_dict(), 2)``.

    A batch at a time because the work around orjson per dataset (the divergence test,
    decoding, indenting) cost more than orjson itself: the batch is indented as bytes and tested
    once (a divergent spelling cannot span two datasets: their separator holds no digit). When
    the test finds something, each dataset is tested on its own and only the divergent ones are
    written by ``json``.
    """
    parts = []
    for d in datasets:
        # No NaN/infinity check here: ``to_dict`` writes every input-derived value through
        # ``model._jsonable``, which turns non-finite floats into text (tests cover both writers).
        try:
            data = orjson.dumps(d.to_dict(), option=orjson.OPT_INDENT_2)
        except (TypeError, orjson.JSONEncodeError):  # lone surrogate, huge int, odd key
            data = b""
        parts.append(data)
    if all(parts):
        joined = b",\n".join(parts).replace(b"\n", b"\n    ")  # the separator is indented with the rest
        if not _diverges(joined):
            return joined
    return b",\n    ".join(data.replace(b"\n", b"\n    ") if data and not _diverges(data)
                           else _dump(d.to_dict(), 2).encode("utf-8", errors) for d, data in zip(datasets, parts))


_DIGITS = frozenset(b"0123456789")
_ZEROS = re.compile(rb"0\.0000")
_MINUS_DIGIT = re.compile(rb"-[0-9](?![0-9])")


def _diverges(data: bytes) -> bool:
    """``_DIVERGES.search(data) is not None``, found from what is rare in a report.

    The pattern itself tries every byte (it starts with a digit class), and searching for ``e-``
    stops at every "e-mail" and every ``e`` of English text. A minus sign is rare and a regular
    expression that starts with one literal byte is scanned for at memchr speed, so the
    candidates are the ``-digit`` places, whose two preceding bytes are then looked at (about 0.2 s
    instead of 0.65 s over the 280 MB document of 100,000 datasets).
    """
    if _ZEROS.search(data) is not None:
        return True
    for n, m in enumerate(_MINUS_DIGIT.finditer(data)):
        i = m.start()
        if i >= 2 and data[i - 1] in b"eE" and data[i - 2] in _DIGITS:
            return True
        if n == _CANDIDATES:  # a text full of minus signs: the rest by the whole pattern, in C (4× faster there)
            return _DIVERGES.search(data, max(i - 1, 0)) is not None
    return False


_CANDIDATES = 64


def iter_report_json(report: Report, head: dict[str, Any] | None = None) -> Iterator[str]:
    """The report's JSON document in chunks of text, a batch of datasets at a time.

    ``head`` is the document with ``datasets`` as a placeholder (default: the report's own); an
    audit or quality result passes its head, which adds its keys after the report's.
    """
    # a lone surrogate (json keeps it; no encoder can write it) passes through as it did as text
    return (chunk.decode("utf-8", "surrogatepass") for chunk in iter_report_json_bytes(report, head, "surrogatepass"))


def iter_report_json_bytes(report: Report, head: dict[str, Any] | None = None, errors: str = "strict") -> Iterator[bytes]:
    """``iter_report_json`` in UTF-8: what orjson wrote goes out without being decoded and encoded again."""
    head = report.to_dict_head() if head is None else head
    keys = list(head)
    yield b"{"
    first = True
    for key in keys:
        yield (("\n" if first else ",\n") + f"  {json.dumps(key)}: ").encode("utf-8", errors)
        first = False
        if key == "datasets":
            if not report.datasets:
                yield b"[]"
                continue
            yield b"[\n    "
            datasets = report.datasets
            for start in range(0, len(datasets), _BATCH):
                yield (b"" if start == 0 else b",\n    ") + _dump_batch(datasets[start:start + _BATCH], errors)
            yield b"\n  ]"
        else:
            yield _dump(head[key], 1).encode("utf-8", errors)
    yield b"\n}\n"


def _report_chunks(report: Report, head: dict[str, Any] | None = None) -> Iterator[str] | Iterator[bytes]:
    """Bytes for the writer, unless a secret is remembered: redaction works on text."""
    return iter_report_json(report, head) if redacting() else iter_report_json_bytes(report, head)


@register("json", kinds=("validate", "score", "audit", "publish"), description="one JSON document (both languages)")
def render_json(result: Any, **_: Any) -> Any:
    if isinstance(result, Report):
        return _report_chunks(result)
    if isinstance(result, (AuditResult, QualityResult)):
        return _report_chunks(result.report, result.to_dict_head())
    return to_json(result.to_dict())  # ScoreResult, PublishResult
