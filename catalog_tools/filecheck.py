"""Files users write — rubric, declarations and --config files — checked against JSON Schemas shipped in
the package (``catalog_tools/schemas/files/*.schema.json``).

Why a schema and not if-chains: the schema is the documentation of the file (any editor or
validator can use it) and every error names the file, the place inside it and what was expected,
on one line, e.g. ``rubric fy2567.yaml: at $.levels[0].items[2].points: 'five' is not of type 'number'``.
The callers turn the line into their own error (RubricError, DeclarationsError, OptionsError → exit 2).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

FILE_SCHEMAS = ("rubric", "declarations", "config")


@lru_cache(maxsize=None)
def file_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a user file kind (one of :data:`FILE_SCHEMAS`)."""
    text = resources.files("catalog_tools.schemas").joinpath(f"files/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def file_problem(data: Any, name: str, where: str) -> str | None:
    """One line saying what is wrong with ``data`` as a ``name`` file, or None when it fits the schema.

    ``where`` names the file for the user (``rubric fy2567.yaml``, ``declarations tourism.yaml``).
    With ``anyOf``/``oneOf`` the most relevant error is chosen (jsonschema's ``best_match``).
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(file_schema(name)).iter_errors(data))
    if error is None:
        return None
    message = error.message if len(error.message) <= 200 else error.message[:199] + "…"
    expected = _expected(error) if error.validator in _UNCLEAR else None
    return f"{where}: at {error.json_path}: {message}" + (f" (expected {expected})" if expected else "")


#: keywords whose jsonschema message does not say what was expected ("… is not valid under any of the
#: given schemas", "… does not match '^\\s*\\d{4}\\s*$'"): the schema's description says it in words
_UNCLEAR = frozenset({"anyOf", "oneOf", "pattern", "not"})


def _expected(error: Any) -> str | None:
    """The ``description`` of the outermost schema around the error that has one (``uploaded`` says
    "true (all), false, 'all', or dataset ids", not only the inner "dataset ids" it also allows)."""
    found = None
    while error is not None:
        schema = error.schema
        if isinstance(schema, dict) and isinstance(schema.get("description"), str):
            found = str(schema["description"])
        error = error.parent
    return found
