"""Text that is safe to show and to store, whatever the input held.

Values come from stewards' workbooks and from portals we do not control. Three hazards are
handled here, each once:

- **Terminal control sequences.** ESC, BEL and the C1 controls (U+0080–U+009F, which some
  terminals obey like ESC + letter) can move the cursor, rewrite earlier lines, change the window
  title or ring the bell; bidirectional overrides can reorder what a line shows. ``for_terminal`` removes every C0/C1 control except new line and tab
  from text output; ``one_line`` also turns line breaks into spaces, for one-line messages.
- **Lone surrogates** (``"\\ud83d"``, legal in JSON escapes, illegal in UTF-8) make every later
  write fail with ``UnicodeEncodeError``. ``scrub`` replaces them with U+FFFD at load.
- **Non-finite numbers** (``1e400`` → ``inf``, ``NaN``) are not JSON. ``finite_or_text`` turns
  them into their text so a report can say what was there.
"""
from __future__ import annotations


import math
import os
import re
from typing import Any

# C0 controls except \t and \n, DEL, and the C1 block. \r is removed too: a bare carriage
# return lets a value overwrite the start of its own line. The bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069) go too: they make a terminal show a
# value's characters in another order, so a finding line could read other than it is (Thai and
# English are both written left to right; no value needs them).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\u2028\u2029\x85]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def for_terminal(text: str) -> str:
    """``text`` without control characters a terminal would act on (new lines and tabs kept)."""
    if text.isprintable():
        return text
    if "\r" in text:  # (a report's text has new lines, so it comes here: this test is 4× cheaper than the replace)
        text = text.replace("\r\n", "\n")
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """``text`` as a single line for stderr: line breaks become spaces, controls are removed."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))


def scrub_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (a valid pair is never split in Python 3 strings)."""
    return _SURROGATE.sub("\ufffd", text)


def scrub(value: Any) -> Any:
    """``value`` (nested dicts/lists from JSON) with every lone surrogate replaced, keys included.

    Only strings that hold a surrogate are rebuilt; ASCII strings are skipped at C speed. A whole
    dict or list is first tried in one go: orjson refuses any string (key or value) that holds a
    lone surrogate, and writing the tree with it finds that there is none far faster than a walk in
    Python (an audit page of 1,000 datasets holds over 100,000 strings; the standard library's
    encoder took a sixth of an audit's own time). Only a tree it refuses, for whatever reason, is walked.
    """
    if isinstance(value, (dict, list)):
        import orjson

        try:
            orjson.dumps(value)
            return value
        except (orjson.JSONEncodeError, TypeError, ValueError, RecursionError):
            pass
    return _scrub(value)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        if value.isascii() or not _SURROGATE.search(value):
            return value
        return scrub_text(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def finite_or_text(value: float) -> float | str:
    """A finite float as it is; ``inf``/``-inf``/``nan`` as the text JSON cannot hold as a number."""
    if math.isfinite(value):
        return value
    return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")


def path_text(path: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (held as surrogate escapes) shown as ``\\xff``.

    Unix file names are bytes; Python keeps undecodable ones as lone surrogates, which no UTF-8
    output can hold. The name stays recognisable and the report stays valid JSON/CSV/HTML.
    """
    if path.isascii() or not _SURROGATE.search(path):
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")
