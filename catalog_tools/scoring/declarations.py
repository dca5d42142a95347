"""Declarations: what an agency states and a program cannot see (docs/scoring.md lists every key).

The chosen Focus Area (FY2565) or use scope (FY2566), the dataset list's link to it, the catalog
URL, GD Catalog registration, single-source-of-truth designation, evidence of use, uploads and
open-format overrides. Read from YAML or JSON; a malformed file raises ``DeclarationsError``
(one line, exit 2 in the CLI) rather than silently scoring without it.

The shape of every value is checked by the JSON Schema ``schemas/files/declarations.schema.json``
(filecheck.py), first; the code here only adds what a schema cannot say: an unknown key with the
nearest known one, a blank dataset id in a use, and (when scoring) a scope that is not in the list.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..fileio import NotRegularFile, require_regular_file, shown_path
from ..scopes import match_scope

_KEYS = ("agency", "fy", "focus_area", "use_scope", "issue", "dataset_list", "catalog_url", "gd_catalog_registered",
         "uploaded", "single_source_of_truth", "utilization", "open_format", "scanned", "weight", "imd_datasets",
         "continuing_agency", "new_datasets")


class DeclarationsError(ValueError):
    """The declarations file or a declared value is not valid (one line for the CLI)."""


@dataclass(frozen=True, slots=True)
class UseEvidence:
    dataset: str
    evidence: str


@dataclass(frozen=True, slots=True)
class OpenFormatOverride:
    level: str  # none | basic | intermediate | advanced
    reason: str


@dataclass(slots=True)
class Declarations:
    """Everything declared; ``None`` means "not declared" (different from ``False`` or ``[]``)."""

    agency: str | None = None
    fy: int | None = None
    focus_area: str | None = None
    use_scope: str | None = None
    issue: str | None = None
    dataset_list: bool | list[str] | None = None
    catalog_url: str | None = None
    gd_catalog_registered: str | list[str] | None = None  # "all" or dataset ids
    uploaded: str | list[str] | None = None  # "all" or dataset ids
    single_source_of_truth: list[str] = field(default_factory=list)
    utilization: list[UseEvidence] = field(default_factory=list)
    open_format: dict[str, OpenFormatOverride] = field(default_factory=dict)
    scanned: list[str] = field(default_factory=list)  # datasets whose PDFs are scanned images
    weight: float | None = None  # the KPI's weight in the agency's KPI set (FY2566 example: 15)
    imd_datasets: list[str] = field(default_factory=list)  # FY2566 note *: IMD datasets, in addition to the 5
    continuing_agency: bool | None = None  # FY2565 condition 4: the agency ran the KPI in FY2564
    new_datasets: list[str] = field(default_factory=list)  # FY2565 condition 4: datasets newly selected this year
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _KEYS:
            value = getattr(self, key)
            if value is None or value == [] or value == {}:
                continue
            if key == "utilization":
                value = [{"dataset": u.dataset, "evidence": u.evidence} for u in value]
            elif key == "open_format":
                value = {k: {"level": v.level, "reason": v.reason} for k, v in value.items()}
            out[key] = value
        return out


def load_declarations(source: str | Path | Mapping[str, Any] | Declarations | None) -> Declarations:
    """Declarations from a YAML/JSON file path, a mapping, or an existing object (None → empty)."""
    if source is None:
        return Declarations()
    if isinstance(source, Declarations):
        return source
    path: str | None = None
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        path = str(source)
        try:
            require_regular_file(source)
            text = Path(source).read_text(encoding="utf-8-sig")
            data = json.loads(text) if path.lower().endswith(".json") else yaml.safe_load(text)
        except FileNotFoundError:
            raise DeclarationsError(f"declarations file not found: {shown_path(path)} — ไม่พบไฟล์คำประกาศ") from None
        except NotRegularFile as exc:
            raise DeclarationsError(f"declarations file {exc.path} {exc}") from None
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise DeclarationsError(f"cannot read declarations {path}: {first}") from None
        if data is None:
            data = {}
    from ..filecheck import file_problem

    where = f"declarations {shown_path(path)}" if path else "declarations"
    problem = file_problem(data, "declarations", where)
    if problem:
        raise DeclarationsError(problem)
    unknown = sorted(set(map(str, data)) - set(_KEYS))
    if unknown:  # the schema allows other keys so that this line can name the nearest known one
        close = difflib.get_close_matches(unknown[0], _KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DeclarationsError(f"{where}: at $.{unknown[0]}: unknown declaration key {unknown[0]!r}{hint}; "
                                f"known: {', '.join(_KEYS)}")
    d = Declarations(path=path)
    for key in ("agency", "focus_area", "use_scope", "issue", "catalog_url"):
        setattr(d, key, _text(data, key))
    if data.get("fy") is not None:
        d.fy = int(str(data["fy"]).strip())
    dl = data.get("dataset_list")
    if dl is not None and not isinstance(dl, bool):
        dl = _ids(data, "dataset_list")
    d.dataset_list = dl
    d.gd_catalog_registered = _all_or_ids(data, "gd_catalog_registered")
    d.uploaded = _all_or_ids(data, "uploaded")
    d.single_source_of_truth = _ids(data, "single_source_of_truth") or []
    d.scanned = _ids(data, "scanned") or []
    d.imd_datasets = _ids(data, "imd_datasets") or []
    d.new_datasets = _ids(data, "new_datasets") or []
    d.continuing_agency = data.get("continuing_agency")
    d.weight = data.get("weight")
    d.utilization = _utilization(data.get("utilization"), where)
    d.open_format = _open_format(data.get("open_format"))
    return d


def normalise_scope(value: str | int, values: tuple[str, ...], variants: dict[str, str], label: str) -> str:
    """Map a declared Focus Area / use scope (number, label or known variant) to its official label."""
    found, close = match_scope(value, values, variants)
    if found is not None:
        return found
    hint = f" (did you mean {close!r}?)" if close else ""
    raise DeclarationsError(f"{label} {str(value)!r} is not in the list{hint}; use a number 1-{len(values)} or one of: "
                            + "; ".join(values))


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    text = "" if value is None else str(value).strip()  # text or a number (schema)
    return text or None


def _ids(data: dict[str, Any], key: str) -> list[str] | None:
    """Dataset ids from a list, or from one text with commas or new lines (the schema allows both)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    return [str(v).strip() for v in value if str(v).strip()]


def _all_or_ids(data: dict[str, Any], key: str) -> str | list[str] | None:
    value = data.get(key)
    if isinstance(value, str) and value.strip().lower() in ("all", "ทั้งหมด"):
        return "all"
    if value is True:
        return "all"
    if value is False:
        return []
    return _ids(data, key)


def _utilization(value: list[dict[str, Any]] | None, where: str) -> list[UseEvidence]:
    """Uses of data ({dataset, evidence}: shape checked by the schema); a blank dataset id is refused here."""
    out = []
    for i, entry in enumerate(value or []):
        ds_id = str(entry["dataset"]).strip()
        if not ds_id:
            raise DeclarationsError(f"{where}: at $.utilization[{i}].dataset: each utilization entry needs 'dataset' "
                                    "(a dataset id), not a blank")
        out.append(UseEvidence(ds_id, str(entry.get("evidence") or "").strip()))
    return out


def _open_format(value: dict[str, Any] | None) -> dict[str, OpenFormatOverride]:
    """Levels read by a person: ``id: level`` or ``id: {level, reason}`` (levels checked by the schema)."""
    out = {}
    for ds_id, spec in (value or {}).items():
        if isinstance(spec, str):
            spec = {"level": spec}
        out[str(ds_id).strip()] = OpenFormatOverride(str(spec["level"]).strip(), str(spec.get("reason") or "").strip())
    return out
