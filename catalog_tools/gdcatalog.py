"""GD Catalog registration, from evidence rather than a declaration.

The FY2566 rubric gives 10 points for "ชุดข้อมูลเปิดทั้งหมดลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ (GD Catalog)",
and from FY2567 registration is one of the KPI's four steps. Three kinds of evidence, strongest first:

1. the GD Catalog harvester's own state action (``--gd-harvester URL``), the call thai_gdc itself
   makes for its "registered" badge: ``POST {URL}/api/3/action/gdcatalog_published_state`` with
   ``{"site_url": <agency catalog>, "package": <id or name>}``. Published when the first result's
   ``metadata_modified`` is non-empty; otherwise its ``governance_state`` (WAIT, VALIDATE,
   VALIDATE_MODIFIED, APPROVAL, REJECT, WAIT_REVOKE, REVOKE, DELETED) is the state;
2. GD Catalog's public CKAN API (``--gd-catalog URL``): registered datasets are named
   ``gdpublish-<agency dataset name>`` there (INFERENCE from thai_gdc's link to
   ``/dataset/gdpublish-<name>``); when that name is absent we fall back to the same title
   in the same organisation (by title) and say so;
3. an offline export (``--gd-export FILE``): a ``package_search`` JSON export of GD Catalog, a
   JSON list / JSON-lines of packages, or a CSV with a ``name`` or ``url`` column.

A server that cannot be asked gives ``unknown``, never a crash and never "not registered".
Declarations (``gd_catalog_registered``) still override all of this in scoring; the score says
which source decided.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Protocol

from .schemas_api import fold

GD_PREFIX = "gdpublish-"
#: governance states the harvester reports for datasets not (yet) published, with Thai labels
GOVERNANCE_STATES: dict[str, tuple[str, str]] = {
    "WAIT": ("พร้อมลงทะเบียน", "ready to register"),
    "VALIDATE": ("รอตรวจสอบ", "waiting for validation"),
    "VALIDATE_MODIFIED": ("รอตรวจสอบการแก้ไข", "waiting for validation of changes"),
    "APPROVAL": ("รออนุมัติ", "waiting for approval"),
    "REJECT": ("ไม่ผ่านเกณฑ์", "rejected"),
    "WAIT_REVOKE": ("รอยกเลิก", "waiting to be revoked"),
    "REVOKE": ("ยกเลิกแล้ว", "revoked"),
    "DELETED": ("ถูกลบ", "deleted"),
}
STATE_TEXT: dict[str, tuple[str, str]] = {
    "registered": ("ลงทะเบียนใน GD Catalog แล้ว", "registered in GD Catalog"),
    "not_registered": ("ยังไม่ได้ลงทะเบียนใน GD Catalog", "not registered in GD Catalog"),
    "unknown": ("ตรวจสอบสถานะใน GD Catalog ไม่ได้", "GD Catalog state unknown"),
    **GOVERNANCE_STATES,
}


class ActionClient(Protocol):
    """What we need from a CKAN-style server: ``call_action`` (our CKAN client has it)."""

    url: str

    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class GdState:
    """One dataset's registration: ``state`` is registered / not_registered / unknown or a
    governance state; ``source`` says which evidence decided (harvester, gd_catalog, export)."""

    state: str
    source: str
    match: str | None = None       # "name" or "title" (GD Catalog API / export)
    gd_name: str | None = None     # the dataset's name on GD Catalog
    detail: str | None = None      # why unknown, or the harvester's validate_time

    @property
    def registered(self) -> bool:
        return self.state == "registered"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"state": self.state, "source": self.source}
        for key in ("match", "gd_name", "detail"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        th, en = STATE_TEXT.get(self.state, (self.state, self.state))
        out["label"] = {"th": th, "en": en}
        return out


@dataclass(frozen=True, slots=True)
class Subject:
    """What we know of one agency dataset to look it up: key (report id), CKAN name, title, org."""

    key: str
    name: str
    title: str | None
    organization: str | None
    package_id: str | None = None


class GdExportError(ValueError):
    """The export file cannot be read; one line for the CLI (exit 2)."""


# -- offline export --------------------------------------------------------------------------
#: the largest export read: GD Catalog's whole package_search dump is far below this
MAX_EXPORT_BYTES = 512 * 1024 * 1024


def load_export(path: str | Path) -> list[dict[str, Any]]:
    """GD Catalog packages from a file: package_search JSON, a list, JSON lines, or a CSV.

    Strict UTF-8: a byte that is not would be replaced and the mangled name would silently
    match nothing ("not registered"); we say where it is instead.
    """
    from .fileio import InputTooLarge, NotRegularFile, read_input_bytes

    p = Path(path)
    try:
        raw = read_input_bytes(p, max_bytes=MAX_EXPORT_BYTES)
    except (NotRegularFile, InputTooLarge) as exc:
        raise GdExportError(f"{p}: {exc}") from None
    except OSError as exc:
        raise GdExportError(f"{p}: cannot read the GD Catalog export ({exc.strerror or exc}) — "
                            f"อ่านไฟล์รายการ GD Catalog ไม่ได้") from None
    if b"\x00" in raw[:4096]:
        raise GdExportError(f"{p}: not a text file — ไฟล์รายการ GD Catalog ต้องเป็น JSON หรือ CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GdExportError(f"{p}: not UTF-8 (byte {exc.start}) — ไฟล์รายการ GD Catalog ต้องเข้ารหัส UTF-8 "
                            f"(ไบต์ที่ {exc.start})") from None
    if p.suffix.lower() == ".csv" or not text.lstrip().startswith(("{", "[")):
        return list(_csv_packages(text, p))
    try:
        data: Any = json.loads(text)
    except RecursionError:
        raise GdExportError(f"{p}: JSON nested too deeply — ไฟล์รายการ GD Catalog ซ้อนกันลึกเกินไป") from None
    except ValueError:
        data = _json_lines(text, p)
    if isinstance(data, dict):
        data = data.get("result", data)
        if isinstance(data, dict):
            data = data.get("results", [data])
    if not isinstance(data, list):
        raise GdExportError(f"{p}: expected a list of datasets — ไฟล์รายการ GD Catalog ต้องเป็นรายการชุดข้อมูล")
    return [d for d in data if isinstance(d, dict)]


def _json_lines(text: str, p: Path) -> list[Any]:
    """One package per line; the first line that is not JSON is named (no line is skipped silently)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except (ValueError, RecursionError):
            raise GdExportError(f"{p}: line {number} is not JSON (not JSON, JSON lines or CSV) — "
                                f"บรรทัดที่ {number} ไม่ใช่ JSON (ไฟล์รายการ GD Catalog ต้องเป็น JSON หรือ CSV)") from None
    return out


def _csv_packages(text: str, p: Path) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    cols = {fold(c or ""): c for c in reader.fieldnames or []}
    name_col, url_col, title_col = cols.get("name"), cols.get("url"), cols.get("title")
    if not (name_col or url_col):
        raise GdExportError(f"{p}: the GD Catalog CSV needs a 'name' or 'url' column — "
                            f"ไฟล์ CSV รายการ GD Catalog ต้องมีคอลัมน์ name หรือ url")
    for row in reader:
        name = (row.get(name_col) or "").strip() if name_col else ""
        if not name and url_col:
            m = re.search(r"/dataset/([^/?#\s]+)", row.get(url_col) or "")
            name = m.group(1) if m else ""
        if name:
            yield {"name": name, "title": (row.get(title_col) or "").strip() if title_col else None}


class ExportIndex:
    """Match agency datasets against a list of GD Catalog packages (by name, then title + org)."""

    def __init__(self, packages: Iterable[Mapping[str, Any]], source: str = "export") -> None:
        self.source = source
        self.by_name: dict[str, Mapping[str, Any]] = {}
        self.by_title: dict[str, list[Mapping[str, Any]]] = {}
        for pkg in packages:
            name = str(pkg.get("name") or "")
            if name:
                self.by_name[name.lower()] = pkg
            title = pkg.get("title")
            if isinstance(title, str) and title.strip():
                self.by_title.setdefault(fold(title), []).append(pkg)

    def state(self, s: Subject) -> GdState:
        pkg = self.by_name.get((GD_PREFIX + s.name).lower())
        if pkg is not None:
            return GdState("registered", self.source, "name", str(pkg.get("name")))
        hit = _title_match(self.by_title.get(fold(s.title or ""), []), s.organization) if s.title else None
        if hit is not None:
            return GdState("registered", self.source, "title", str(hit.get("name")))
        return GdState("not_registered", self.source)


def _title_match(candidates: list[Mapping[str, Any]], org: str | None) -> Mapping[str, Any] | None:
    """A same-title package in the same organisation (by name or title); any org when ours is unknown."""
    for pkg in candidates:
        if org is None or _org_matches(pkg.get("organization"), org):
            return pkg
    return None


def _org_matches(gd_org: Any, org: str) -> bool:
    if isinstance(gd_org, Mapping):
        names = {fold(str(gd_org.get(k) or "")) for k in ("name", "title")}
    else:
        names = {fold(str(gd_org or ""))}
    return fold(org) in names


# -- online: GD Catalog's CKAN API --------------------------------------------------------------
def catalog_state(client: ActionClient, s: Subject) -> GdState:
    """Ask GD Catalog for ``gdpublish-<name>``, then for the same title; errors give ``unknown``."""
    from .ckan.client import CkanError, CkanNotFound

    try:
        pkg = client.call_action("package_show", {"id": GD_PREFIX + s.name})
        if not isinstance(pkg, Mapping):  # a server answering success with no package is broken
            return GdState("unknown", "gd_catalog", detail=f"package_show answered a {type(pkg).__name__}, not a dataset")
        if pkg.get("name"):
            return GdState("registered", "gd_catalog", "name", str(pkg["name"]))
    except CkanNotFound:
        pass
    except CkanError as exc:
        return GdState("unknown", "gd_catalog", detail=_one_line(exc))
    if not s.title:
        return GdState("not_registered", "gd_catalog")
    try:
        page = client.call_action("package_search", {"q": f'title:"{_quote(s.title)}"', "rows": 20})
    except CkanError as exc:
        return GdState("unknown", "gd_catalog", detail=_one_line(exc))
    results = page.get("results") if isinstance(page, Mapping) else None
    if not isinstance(results, list):
        return GdState("unknown", "gd_catalog", detail="package_search answered without results")
    same = [p for p in results if isinstance(p, Mapping) and fold(str(p.get("title") or "")) == fold(s.title)]
    hit = _title_match(same, s.organization)
    if hit is not None:
        return GdState("registered", "gd_catalog", "title", str(hit.get("name")))
    return GdState("not_registered", "gd_catalog")


# -- online: the harvester's state action -------------------------------------------------------
def harvester_state(client: ActionClient, site_url: str, s: Subject) -> GdState:
    """``gdcatalog_published_state`` for one dataset (by package id, else name)."""
    from .ckan.client import CkanError

    try:
        result = client.call_action("gdcatalog_published_state",
                                    {"site_url": site_url, "package": s.package_id or s.name})
    except CkanError as exc:
        return GdState("unknown", "harvester", detail=_one_line(exc))
    if result is None or result == []:
        return GdState("not_registered", "harvester", detail="no record at the harvester")
    first = result[0] if isinstance(result, list) else result
    if not isinstance(first, Mapping):  # "ok", 42, [7]: not an answer we can read, so not a "no"
        return GdState("unknown", "harvester", detail=f"the state action answered a {type(first).__name__}, not a record")
    if first.get("metadata_modified"):
        name = first.get("name")
        return GdState("registered", "harvester", gd_name=GD_PREFIX + str(name) if name else None)
    gov = str(first.get("governance_state") or "").strip().upper()
    if gov in GOVERNANCE_STATES:
        when = first.get("validate_time")
        return GdState(gov, "harvester", detail=str(when) if when else None)
    return GdState("not_registered", "harvester")


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200]


# -- the whole report -------------------------------------------------------------------------
def subjects(report: Any, public_category: str) -> list[tuple[Any, Subject]]:
    """The open datasets of a report with what is needed to look each up."""
    from .ckan.mapping import derive_name

    out = []
    for d in report.datasets:
        if d.values.get("data_category") != public_category:
            continue
        ckan = d.ckan or {}
        name = str(ckan.get("name") or (derive_name(d.id) if d.id else ""))
        if not name:
            continue
        org = ckan.get("organization") if isinstance(ckan.get("organization"), Mapping) else None
        org_text = (org or {}).get("title") or (org or {}).get("name") or d.organization
        out.append((d, Subject(d.id or name, name, d.title, org_text, ckan.get("id"))))
    return out


def apply_gd_catalog(report: Any, *, public_category: str, harvester: ActionClient | None = None,
                     site_url: str | None = None, catalog: ActionClient | None = None,
                     export: ExportIndex | None = None, workers: int = 4) -> dict[str, int]:
    """Set ``DatasetResult.gd_catalog`` on every open dataset; returns counts per state.

    Precedence: the harvester's answer, then GD Catalog's API, then the export. An ``unknown``
    from a stronger source falls through to the next one that can answer.
    """
    from concurrent.futures import ThreadPoolExecutor

    pairs = subjects(report, public_category)

    def decide(s: Subject) -> GdState:
        state: GdState | None = None
        if harvester is not None and site_url:
            state = harvester_state(harvester, site_url, s)
            if state.state != "unknown":
                return state
        if catalog is not None:
            fallback = catalog_state(catalog, s)
            if fallback.state != "unknown" or state is None:
                state = fallback
            if state.state != "unknown":
                return state
        if export is not None:
            return export.state(s)
        return state or GdState("unknown", "none", detail="no evidence given")

    workers = max(1, min(int(workers), 8))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        states = list(pool.map(decide, [s for _, s in pairs]))
    counts: dict[str, int] = {}
    for (d, _), state in zip(pairs, states):
        d.gd_catalog = state
        counts[state.state] = counts.get(state.state, 0) + 1
    return counts


def apply_gd_evidence(report: Any, *, public_category: str, gd_catalog: str | None = None,
                      gd_harvester: str | None = None, gd_export: str | Path | None = None,
                      site_url: str | None = None, timeout: float = 20.0, insecure: bool = False) -> dict[str, int] | None:
    """Build the clients for the evidence the user named and apply it; None when none was named.

    GD Catalog and the harvester are public: no token is ever sent to them.
    """
    if not (gd_catalog or gd_harvester or gd_export):
        return None
    from .ckan.client import RemoteClient

    export = ExportIndex(load_export(gd_export)) if gd_export else None
    catalog = RemoteClient(gd_catalog, None, timeout=timeout, retries=1, insecure=insecure) if gd_catalog else None
    harvester = RemoteClient(gd_harvester, None, timeout=timeout, retries=1, insecure=insecure) if gd_harvester else None
    if harvester is not None and not site_url:
        harvester = None  # the state action needs the agency catalog's URL (--catalog-url / --ckan)
    try:
        return apply_gd_catalog(report, public_category=public_category, harvester=harvester, site_url=site_url,
                                catalog=catalog, export=export)
    finally:
        for c in (catalog, harvester):
            if c is not None:
                c.close()
