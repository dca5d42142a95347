"""Plain data types shared by loaders, the validator, scoring, publishing and renderers.

Everything here is data: no I/O, no printing. A ``Report`` can be rendered by any renderer
and compared in tests; its ``to_dict()`` is the versioned JSON API (``version: 1``).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal

Severity = Literal["error", "warning"]
RecordKind = Literal["dataset", "resource"]

REPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: a file (and sheet/row) or a CKAN dataset."""

    path: str
    sheet: str | None = None
    row: int | None = None
    ckan_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.row is not None:
            out["row"] = self.row
        if self.ckan_id is not None:
            out["ckan_id"] = self.ckan_id
        return out


@dataclass(slots=True)
class Finding:
    """One problem found in the input, with a stable ``code`` and a Thai + English message.

    ``field`` is the technical (CKAN) name, ``item`` the Template 2/3 item number, and
    ``location`` a spreadsheet reference such as ``Template 2!F7`` or, for CKAN input,
    ``<dataset name>:$.field``.
    """

    code: str
    severity: Severity
    field: str | None
    message: str
    message_th: str
    item: str | None = None
    location: str | None = None
    value: Any = None
    suggestion: str | None = None
    dataset: str | None = None
    resource: int | None = None
    source: Source | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def key(self) -> tuple[str, str | None, str | None]:
        """A compact identity for tests: (code, field, location)."""
        return (self.code, self.field, self.location)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "item": self.item,
            "location": self.location,
            "value": _jsonable(self.value),
            "message": self.message,
            "message_th": self.message_th,
        }
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.dataset is not None:
            out["dataset"] = self.dataset
        return out


@dataclass(slots=True)
class RawRecord:
    """A row (or CKAN dict) as read, before normalisation.

    ``values`` maps technical field names to the raw cell values; ``cells`` maps the same
    names to a location string (``Sheet!F7`` or a JSON path) so findings can point back.
    ``origin`` is ``"sheet"`` (workbook/CSV: dates are Buddhist Era text) or ``"ckan"``
    (stored Gregorian dates, JSON-list multi-values).
    """

    kind: RecordKind
    values: dict[str, Any]
    cells: dict[str, str]
    source: Source
    origin: Literal["sheet", "ckan"] = "sheet"
    fixed: dict[str, Any] = field(default_factory=dict)  # values fixed by the layout (NSO sheet → data_type)
    ckan: dict[str, Any] | None = None  # the original CKAN dict, for audits
    layout: str = ""  # "nso": read by position from the NSO import workbook (the importer's rules apply)
    #: the loader holds the record's whole sheet in memory and reads no file until the sheet's last
    #: record has been taken (the fast reader's sheets): such runs may be shared out (catalog_tools.shard)
    resident: bool = False


@dataclass(slots=True)
class LoadError:
    """An input that could not be read at all: the CLI exits 2 with ``message`` on one line."""

    path: str
    message: str
    message_th: str = ""

    def __str__(self) -> str:
        thai = f" — {self.message_th}" if self.message_th else ""
        return f"{self.path}: {self.message}{thai}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "message_th": self.message_th}


@dataclass(slots=True)
class LoadNote:
    """A non-fatal observation made while loading (skipped sheet, unknown column, …)."""

    finding: Finding


@dataclass(slots=True)
class ResourceResult:
    name: str | None
    url: str | None
    source: Source
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    index: int = 0
    ckan: dict[str, Any] | None = None  # the original CKAN resource dict (audits: datastore_active…)
    quality: dict[str, Any] | None = None  # content metrics (catalog-tools quality / audit --content)

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "url": self.url,
            "source": self.source.to_dict(),
            "valid": self.valid,
            "findings": [f.to_dict() for f in self.findings],
            "metadata": _jsonable(self.values),
        }
        if self.quality is not None:
            out["quality"] = _jsonable(self.quality)
        return out


@dataclass(slots=True)
class DatasetResult:
    id: str | None
    title: str | None
    source: Source
    complete: bool
    items_complete: int
    items_present: int
    findings: list[Finding] = field(default_factory=list)
    resources: list[ResourceResult] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    failed_items: list[str] = field(default_factory=list)
    organization: str | None = None
    ckan: dict[str, Any] | None = None
    timeliness: Any = None  # timeliness.Timeliness, when measured (--as-of, audits)
    gd_catalog: Any = None  # gdcatalog.GdState, when GD Catalog evidence was given
    quality: dict[str, Any] | None = None  # content metrics over the dataset's resources (catalog-tools quality)
    id_cell: str | None = None  # where its id (or, without one, its title) was written: ``Template 2!A7``

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.all_findings() if f.is_error]

    def content_basis(self) -> tuple[Any, ...]:
        """What this dataset's values-only measures (timeliness, the open-format assessment) are
        made from, by identity, nothing copied: equal before and after means those measures still
        hold. A resource attached later, or values, raw CKAN dicts, ids, the source or content
        metrics replaced, make it differ (work done ahead, e.g. while an audit waits for a page,
        is checked against it before it is used)."""
        return (id(self.values), id(self.ckan), self.id, id(self.source),
                tuple((id(r.values), id(r.ckan), r.url, id(r.quality)) for r in self.resources))

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for r in self.resources:
            out.extend(r.findings)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source.to_dict(),
            "complete": self.complete,
            "items_complete": self.items_complete,
            "items_present": self.items_present,
            "failed_items": list(self.failed_items),
            "findings": [f.to_dict() for f in self.findings],
            "resources": [r.to_dict() for r in self.resources],
            "metadata": _jsonable(self.values),
            **({"timeliness": self.timeliness.to_dict()} if self.timeliness is not None else {}),
            **({"gd_catalog": self.gd_catalog.to_dict()} if self.gd_catalog is not None else {}),
            **({"quality": _jsonable(self.quality)} if self.quality is not None else {}),
        }


@dataclass(slots=True)
class ListedDataset:
    """One dataset row of a Template 1 list, with the mission and processes it sits under."""

    id: str | None
    title: str | None
    row: int  # Excel row, 1-based
    id_cell: str | None = None  # ``Template 1!D9``; None when the sheet has no id column
    title_cell: str | None = None
    mission: str | None = None
    process: str | None = None
    subprocess: str | None = None
    matched: str | None = None  # the Template 2 dataset id it was matched to (set by the validator)

    @property
    def cell(self) -> str | None:
        """The cell that names the dataset: its id, else its title."""
        return self.id_cell if self.id else (self.title_cell or self.id_cell)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "row": self.row, "mission": self.mission, "process": self.process,
                "subprocess": self.subprocess, "location": self.cell, "matched": self.matched}


@dataclass(slots=True)
class DatasetList:
    """A Template 1 sheet: the Focus Area, the issue under it, and the datasets tied to it.

    ``values`` holds the four header fields (``focus_area``, ``issue``, ``goal`` and
    ``agencies`` — a list) and ``cells`` where each was written. ``scope`` is the Focus Area
    (or FY2566 use scope) normalised to its official label by the validator, None when it is
    blank or not one of the list.
    """

    source: Source
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    entries: list[ListedDataset] = field(default_factory=list)
    has_id_column: bool = True
    header_row: int | None = None  # Excel row of the table header
    scope: str | None = None
    scope_kind: str | None = None  # "focus_area" or "use_scope"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source.to_dict(), "focus_area": self.values.get("focus_area"), "scope": self.scope,
                "scope_kind": self.scope_kind, "issue": self.values.get("issue"), "goal": self.values.get("goal"),
                "agencies": list(self.values.get("agencies") or []), "cells": dict(self.cells),
                "has_id_column": self.has_id_column, "datasets": [e.to_dict() for e in self.entries]}


@dataclass(slots=True)
class Report:
    """The result of validating one or more inputs; plain data, rendered by ``render``.

    Commands that add to a validation (audit, quality) return their own typed result holding a
    ``Report`` (catalog_tools/results.py) rather than putting keys into it.
    """

    datasets: list[DatasetResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level: orphans, duplicates, load notes
    inputs: list[str] = field(default_factory=list)
    standard: str = "2.2"
    load_errors: list[LoadError] = field(default_factory=list)
    dataset_lists: list[DatasetList] = field(default_factory=list)  # Template 1 sheets read

    def iter_findings(self) -> Iterator[Finding]:
        yield from self.findings
        for d in self.datasets:
            yield from d.findings  # d.all_findings() without building a list per dataset
            for r in d.resources:
                yield from r.findings

    def _counts(self) -> tuple[int, int]:
        """(errors, warnings) in one pass over every finding."""
        errors = total = 0
        for f in self.iter_findings():
            total += 1
            if f.severity == "error":
                errors += 1
        return errors, total - errors

    @property
    def error_count(self) -> int:
        return self._counts()[0]

    @property
    def warning_count(self) -> int:
        return self._counts()[1]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def summary(self) -> dict[str, int]:
        errors, warnings = self._counts()
        return {
            "datasets": len(self.datasets),
            "complete": sum(1 for d in self.datasets if d.complete),
            "resources": sum(len(d.resources) for d in self.datasets),
            "errors": errors,
            "warnings": warnings,
        }

    def to_dict(self) -> dict[str, Any]:
        out = self.to_dict_head()
        out["datasets"] = [d.to_dict() for d in self.datasets]
        return out

    def to_dict_head(self) -> dict[str, Any]:
        """``to_dict()`` with ``datasets`` left as a placeholder, for writers that stream them."""
        out: dict[str, Any] = {
            "version": REPORT_VERSION,
            "standard": self.standard,
            "inputs": list(self.inputs),
            "datasets": None,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
        }
        if self.load_errors:  # only when an input could not be read, so clean runs keep their exact bytes
            out["load_errors"] = [e.to_dict() for e in self.load_errors]
        if self.dataset_lists:
            out["dataset_lists"] = [dl.to_dict() for dl in self.dataset_lists]
        return out


def _jsonable(value: Any) -> Any:
    """Make input values JSON-safe: dates become ISO strings, tuples lists, anything else its text.

    Only values read from the inputs pass here (cells, CKAN fields, finding values); results
    turn their own parts into dicts with their ``to_dict()``, so nothing is guessed from a shape.
    Non-finite floats become text ("NaN", "Infinity"), so no report document holds one.
    """
    cls = value.__class__  # the usual kinds first (every metadata value of every dataset passes here)
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is dict:
        return _jsonable_dict(value)
    if isinstance(value, list) and cls.__module__ in _OWN_LISTS:
        return [v if v.__class__ is str else _jsonable(v) for v in value]
    return _jsonable_other(value)


_OWN_LISTS = frozenset(("builtins", "catalog_tools.normalize"))  # list and normalize.SharedList


def _jsonable_dict(value: dict[Any, Any]) -> dict[str, Any]:
    """A copy of ``value`` with each value made JSON-safe.

    The metadata of every dataset passes here: nearly all its values are text already, so the
    dict is copied whole (in C) and only the others are replaced — a call per value made up
    most of the JSON writer's own time.
    """
    out = value.copy()
    for k, v in value.items():
        if k.__class__ is not str:
            return {(k if k.__class__ is str else str(k)): _jsonable(v) for k, v in value.items()}
        cls = v.__class__
        if cls is not str and cls is not int and cls is not bool and v is not None:
            out[k] = _jsonable(v)
    return out


def _jsonable_other(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")  # JSON has no inf/nan
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return str(value)
