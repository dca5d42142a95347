"""Template 2/3 values (as normalised by the validator) → CKAN package and resource dicts.

The reverse direction is :func:`catalog_tools.loaders.ckan_json.package_records`.

Decisions, and why:

* ``name`` is derived from the dataset id (Thai titles are not valid CKAN names):
  lowercased, anything outside ``[a-z0-9_-]`` becomes ``-``, at most 70 characters (the
  thai_gdc limit, below CKAN's 100). When the id had characters that were dropped, or the
  result is too short or too long, a short hash of the id is appended so two ids never map
  to the same name. The same id always gives the same name (reruns find their datasets).
* Dates are already Gregorian ISO strings (the normaliser converted Buddhist Era years).
* Multi-choices are lists with ckanext-scheming (``fields="top-level"``) and JSON-list strings
  in ``extras`` without it; keywords become ``tags``.
* Only fields the input holds are produced, so an update never blanks what it did not mention.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any, Iterable, Literal

from ..schemas_api import DEFAULT_STANDARD, schema_info

FieldsMode = Literal["top-level", "extras"]

NAME_MAX = 70  # thai_gdc package_name_validator; CKAN core allows 100
_RESERVED = {"new", "edit", "search"}
#: CKAN core package fields: always top-level, also without scheming
CORE_FIELDS = frozenset({"title", "name", "owner_org", "notes", "maintainer", "maintainer_email", "license_id",
                         "url", "version", "author", "author_email", "private", "tags"})
RESOURCE_SKIP = frozenset({"dataset_id"})


def derive_name(dataset_id: str) -> str:
    """The CKAN dataset ``name`` for a Template dataset id (deterministic, ``[a-z0-9_-]``, 2–70 chars).

    >>> derive_name("DataSet_11_01")
    'dataset_11_01'
    """
    text = unicodedata.normalize("NFKC", str(dataset_id)).strip().lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", text)
    slug = re.sub(r"-{2,}", "-", slug).strip("-_")
    lossy = slug != text.replace(" ", "-") or not slug
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if lossy or len(slug) < 2 or len(slug) > NAME_MAX or slug in _RESERVED:
        base = slug[: NAME_MAX - 9].strip("-_")
        slug = f"{base}-{digest}" if base else f"ds-{digest}"
    return slug


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kinds(standard: str, kind: str) -> dict[str, str]:
    return {n: f.kind for n, f in schema_info(kind, standard).fields.items()}


def package_dict(values: dict[str, Any], *, owner_org: str | None, fields: FieldsMode = "top-level",
                 standard: str = DEFAULT_STANDARD, allowed: Iterable[str] | None = None) -> dict[str, Any]:
    """A CKAN package dict (without resources) holding exactly the fields ``values`` gives.

    ``owner_org`` is the CKAN organization name or id (the workbook's organization text is
    resolved by the caller). ``allowed``, when given, limits top-level custom fields to those
    the server's scheming schema knows; the others go to ``extras``.
    """
    kinds = _kinds(standard, "dataset")
    allow = set(allowed) if allowed is not None else None
    pkg: dict[str, Any] = {"name": derive_name(str(values["id"]))}
    if owner_org:
        pkg["owner_org"] = owner_org
    extras: list[dict[str, str]] = []
    for key, value in values.items():
        if key in ("id", "owner_org") or value is None or value == "" or value == []:
            continue
        kind = kinds.get(key, "text")
        if kind == "tags":
            tags = [value] if isinstance(value, str) else list(value)
            pkg["tags"] = [{"name": str(t)} for t in tags]
            continue
        top = key in CORE_FIELDS or (fields == "top-level" and (allow is None or key in allow))
        if isinstance(value, (list, tuple)):
            items = [_scalar(v) for v in value]
            if top:
                pkg[key] = items
            else:
                extras.append({"key": key, "value": json.dumps(items, ensure_ascii=False)})
            continue
        if top:
            pkg[key] = _scalar(value)
        else:
            extras.append({"key": key, "value": _scalar(value)})
    if extras:
        pkg["extras"] = extras
    return pkg


def resource_dict(values: dict[str, Any], *, standard: str = DEFAULT_STANDARD) -> dict[str, Any]:
    """A CKAN resource dict from Template 3 values (``dataset_id`` dropped; lists as JSON text)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in RESOURCE_SKIP or value is None or value == "" or value == []:
            continue
        if isinstance(value, (list, tuple)):
            out[key] = json.dumps([_scalar(v) for v in value], ensure_ascii=False)
        else:
            out[key] = _scalar(value)
    return out


# -- reading CKAN's side back, for comparison --------------------------------------------------

def existing_value(pkg: dict[str, Any], key: str) -> Any:
    """A field of a package as CKAN returned it: top-level first, then ``extras``."""
    if key in pkg and key not in ("extras",):
        return pkg[key]
    for e in pkg.get("extras") or []:
        if isinstance(e, dict) and e.get("key") == key:
            return e.get("value")
    return None


def comparable(value: Any, *, loose: bool = False) -> Any:
    """A canonical form for comparing a value we send with what CKAN stores.

    Lists and JSON-list strings become sorted tuples (scheming stores choices in choice
    order); blanks become None; ``loose`` folds case (resource formats: CKAN cleans ``csv`` to
    ``CSV``).
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return comparable(parsed, loose=loose)
        if not text:
            return None
        return text.casefold() if loose else text
    if isinstance(value, (list, tuple)):
        items = tuple(sorted(str(comparable(v, loose=loose)) for v in value if comparable(v) is not None))
        return items or None
    return comparable(_scalar(value), loose=loose)


def tag_names(pkg: dict[str, Any]) -> list[str]:
    out = []
    for t in pkg.get("tags") or []:
        name = t.get("name") if isinstance(t, dict) else t
        if name:
            out.append(str(name))
    return out
