"""CKAN package dicts from files: one object, a list, an API response or JSON lines.

With ckanext-scheming the thai_gdc fields are top-level keys (multi-choices as JSON-list
strings); without it they are ``extras`` (``[{key, value}]``). Both are read the same way,
so a dataset scores the same on the portal as in the workbook.
"""
from __future__ import annotations

from functools import lru_cache

import json
import math
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..model import LoadError, LoadNote, RawRecord, Source
from ..textsafe import scrub
from .common import InputError



def iter_json(path: Path, display: str, *, standard: str) -> Iterator[RawRecord | LoadNote]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(LoadError(display, "is not UTF-8 JSON", "ไฟล์ JSON ไม่ได้เข้ารหัส UTF-8")) from None
    try:
        data: Any = loads(text)
    except RecursionError:
        raise InputError(LoadError(display, "is nested too deeply to be a CKAN package file", "โครงสร้าง JSON ซ้อนลึกเกินไป")) from None
    except json.JSONDecodeError as first:
        try:
            data = [loads(line) for line in text.splitlines() if line.strip()]
        except (json.JSONDecodeError, RecursionError):
            raise InputError(LoadError(display, f"is not valid JSON or JSON lines ({first.msg} at line {first.lineno})",
                                       "รูปแบบ JSON ไม่ถูกต้อง")) from None
    packages = list(unwrap(data))  # package_records scrubs each package's text
    if not packages:
        raise InputError(LoadError(display, "holds no CKAN dataset (package) dicts", "ไม่พบชุดข้อมูล CKAN ในไฟล์"))
    for i, pkg in enumerate(packages):
        yield from package_records(pkg, display, index=i)


def _number(text: str) -> float | str:
    """A JSON number as a float, or its text when it is not finite (``1e400``): JSON output cannot hold ``inf``."""
    value = float(text)
    return value if math.isfinite(value) else text


def _integer(text: str) -> int | str:
    """A JSON integer, or its text when it is too long for ``int()`` (Python refuses over 4,300 digits)."""
    return int(text) if len(text) <= 4000 else text


def loads(text: str) -> Any:
    """``json.loads`` for untrusted files: ``NaN``/``Infinity`` and overflowing numbers stay text.

    The values then reach the validator as text (a number field reports a ``format`` finding)
    and every JSON we write stays valid JSON.
    """
    return json.loads(text, parse_constant=str, parse_float=_number, parse_int=_integer)


def unwrap(data: Any) -> Iterable[dict[str, Any]]:
    """Package dicts inside an API response, a list, or a single package."""
    if isinstance(data, list):
        for item in data:
            yield from unwrap(item)
        return
    if not isinstance(data, dict):
        return
    if "result" in data and isinstance(data["result"], (dict, list)):
        yield from unwrap(data["result"])
        return
    if "results" in data and isinstance(data["results"], list):
        yield from unwrap(data["results"])
        return
    if "name" in data or "title" in data or "extras" in data:
        yield data


@lru_cache(maxsize=1)
def _known_fields() -> frozenset[str]:
    """Every dataset field of every standard (built once: it was rebuilt for each extra of each dataset)."""
    from ..schemas_api import STANDARDS, schema_info
    return frozenset(n for std in STANDARDS for n in schema_info("dataset", std).fields)


def package_records(pkg: dict[str, Any], path: str, *, index: int = 0) -> Iterator[RawRecord]:
    """One dataset RawRecord and one per resource, from a CKAN package dict.

    Text is scrubbed of lone surrogates first: a portal may send ``"\\ud83d"`` and every later
    write of it (JSON, HTML, the terminal) would fail with ``UnicodeEncodeError``.
    """
    pkg = scrub(pkg)
    name = str(pkg.get("name") or pkg.get("id") or f"#{index}")
    values: dict[str, Any] = {}
    extras = pkg.get("extras") or []
    if isinstance(extras, list):
        for e in extras:
            if isinstance(e, dict) and "key" in e and str(e["key"]) in _known_fields():
                values[str(e["key"])] = e.get("value")
    elif isinstance(extras, dict):
        values.update(extras)
    skip = {"extras", "resources", "tags", "groups", "organization", "relationships_as_object", "relationships_as_subject",
            "owner_org", "name", "id", "private", "state", "type", "num_tags", "num_resources"}
    known = _known_fields()
    for key, value in pkg.items():
        if key in known and key not in skip and not isinstance(value, dict):
            values[key] = value
    values["id"] = name
    org = pkg.get("organization")
    if isinstance(org, dict):
        values["owner_org"] = org.get("title") or org.get("name")
    elif pkg.get("owner_org"):
        values["owner_org"] = pkg["owner_org"]
    tags = pkg.get("tags")
    if isinstance(tags, list) and tags:
        values["tag_string"] = [t.get("name") if isinstance(t, dict) else t for t in tags]
    elif pkg.get("tag_string"):
        values["tag_string"] = pkg["tag_string"]
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    yield RawRecord("dataset", values, {}, Source(path, ckan_id=name), "ckan", ckan=pkg)
    resources = pkg.get("resources")
    for r, res in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(res, dict):
            continue
        rvalues = {k: v for k, v in res.items() if v not in (None, "", []) and not isinstance(v, (dict, list))}
        rvalues.pop("id", None)
        rvalues["dataset_id"] = name
        yield RawRecord("resource", rvalues, ResourceCells(rvalues, f"{name}:$.resources[{r}]."),  # type: ignore[arg-type]
                        Source(path, ckan_id=f"{name}/resources/{r}"), "ckan", ckan=res)


class ResourceCells(Mapping[str, str]):
    """JSON paths of a resource's fields (``name:$.resources[0].url``), made only when a finding needs one.

    The fields it holds: those the resource has, then the Template 3 fields it may lack. An audit
    of 10,000 datasets used to format every path of every resource, though few are ever shown.
    """

    __slots__ = ("_values", "_prefix")
    FIELDS = ("name", "url", "format", "description", "resource_accessible_condition", "resource_last_updated_date",
              "resource_created_date", "resource_data_collect")

    def __init__(self, values: dict[str, Any], prefix: str) -> None:
        self._values = values
        self._prefix = prefix

    def __getitem__(self, field: str) -> str:
        if field in self._values or field in self.FIELDS:
            return f"{self._prefix}{field}"
        raise KeyError(field)

    def __contains__(self, field: object) -> bool:
        return field in self._values or field in self.FIELDS

    def __iter__(self) -> Iterator[str]:
        yield from self._values
        yield from (f for f in self.FIELDS if f not in self._values)

    def __len__(self) -> int:
        return len(self._values) + sum(1 for f in self.FIELDS if f not in self._values)
