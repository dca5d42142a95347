"""Open-format level of one dataset (DGA open-characteristics criteria, 6 / 6 / 8 points).

INFERENCE (documented in docs/scoring.md; every list is a rubric option): the criteria table
has three rows for structured data — access, granularity, format — and a dataset reaches a
level when every row reaches it, so its level is the lowest of the three:

* format: best resource format. Open formats (CSV, XLSX, JSON…) or an API → advanced;
  machine-readable tables needing special software → intermediate; report documents
  (PDF, Word) → basic; scanned images or unknown → none.
* access: an API (``api_evidence``: a CKAN DataStore, an API format or resource type, the
  DataStore search endpoint, or an API address shape with a data-selecting query parameter —
  never a question mark alone) → advanced; a file declared the single source of truth → intermediate; a file with an
  http(s) URL → basic; no URL → none.
* granularity, from hints: ``geo_coverage`` finer than province or ``update_frequency_unit``
  monthly or finer → intermediate; live units (real time, minutes, hours) *with* API access →
  advanced; otherwise aggregate → basic.

Unstructured data (notices, rules; ``data_type`` in ``unstructured_data_types``): searchable
PDF/Word is the only document criterion, so the level is the access level when the documents
are searchable, none when they are scans. Declarations override any of this per dataset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import AbstractSet, Any
from urllib.parse import parse_qsl, urlparse

from ..model import DatasetResult

LEVELS = ("none", "basic", "intermediate", "advanced")
LEVELS_TH = {"none": "ไม่ผ่าน", "basic": "ขั้นต้น", "intermediate": "ขั้นกลาง", "advanced": "ขั้นสูง"}
CRITERIA_TH = {"format": "รูปแบบข้อมูล", "access": "ช่องทางการเข้าถึง", "granularity": "ความละเอียดข้อมูล",
               "document": "เอกสารสืบค้นได้", "resources": "ทรัพยากรข้อมูล"}


@dataclass(frozen=True, slots=True)
class OpenAssessment:
    level: int  # 0 none … 3 advanced
    source: str  # "computed" or "declared"
    criteria: dict[str, int] = field(default_factory=dict)
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)  # criterion → (en, th)
    limiting: str | None = None
    declared_reason: str | None = None

    @property
    def name(self) -> str:
        return LEVELS[self.level]

    def reason(self, lang: str = "en") -> str:
        if self.source == "declared":
            return (f"declared: {self.declared_reason}" if lang == "en" else f"ตามที่แจ้ง: {self.declared_reason}") \
                if self.declared_reason else ("declared" if lang == "en" else "ตามที่แจ้ง")
        parts = []
        for crit, lvl in self.criteria.items():
            en, th = self.notes.get(crit, ("", ""))
            if lang == "en":
                parts.append(f"{crit} {LEVELS[lvl]} ({en})" if en else f"{crit} {LEVELS[lvl]}")
            else:
                parts.append(f"{CRITERIA_TH.get(crit, crit)} {LEVELS_TH[LEVELS[lvl]]} ({th})" if th
                             else f"{CRITERIA_TH.get(crit, crit)} {LEVELS_TH[LEVELS[lvl]]}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.name, "source": self.source, "criteria": {k: LEVELS[v] for k, v in self.criteria.items()},
                "limiting": self.limiting, "reason": self.reason("en"), "reason_th": self.reason("th")}


# one shared (immutable) assessment for every dataset without resources: often most of a catalogue
NO_RESOURCES = OpenAssessment(0, "computed", {"resources": 0},
                               {"resources": ("no resource metadata (Template 3)", "ไม่มีคำอธิบายทรัพยากรข้อมูล (Template 3)")},
                               "resources")


def _tokens(fmt: Any, url: str | None) -> set[str]:
    out = {t for t in re.split(r"[\s/,;|]+", str(fmt or "").upper().lstrip(".")) if t}
    if not out and url:
        path = urlparse(url).path
        if "." in path.rsplit("/", 1)[-1]:
            out.add(path.rsplit(".", 1)[-1].upper())
    return out


def api_evidence(r: Any, toks: set[str], url: str, o: dict[str, Any], apis: AbstractSet[str]) -> str | None:
    """Why resource ``r`` offers API access, or None (then it is a file download).

    "เข้าถึงในรูปแบบ API ได้ โดยผู้ใช้สามารถระบุเงื่อนไขเข้าไปในลิงค์" (002:372) asks for an API that
    takes conditions. Evidence, in order: a CKAN DataStore (``datastore_active``); a format or
    CKAN ``resource_type`` that says API; the DataStore search endpoint; an API address shape
    (``api_url_hints``) together with a query parameter that selects data. A question mark alone
    is no evidence: ``drive.google.com/uc?export=download&id=…`` is a file download.
    """
    ckan = r.ckan if isinstance(r.ckan, dict) else {}
    if o["datastore_counts_as_api"] and ckan.get("datastore_active") in (True, "true", "True"):
        return "datastore_active"
    if toks & apis:
        return "format"
    L = _lists(o)
    rtype = str(ckan.get("resource_type") or r.values.get("resource_type") or "").strip().lower()
    if rtype and rtype in L.api_types:
        return "resource_type"
    if not _is_http(url):
        return None
    parts = urlparse(url)
    where = f"//{parts.netloc}{parts.path}".lower()
    if any(h in where for h in L.api_endpoints):
        return "endpoint"
    if not any(h in where for h in L.api_hints):
        return None
    params = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if any(k in L.download_params for k in params):
        return None
    return "url" if any(params) else None


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def assess(ds: DatasetResult, options: dict[str, Any], *, ssot: bool = False, scanned: bool = False,
           declared: tuple[str, str] | None = None, computed: OpenAssessment | None = None) -> OpenAssessment:
    """The open-format level of ``ds`` from its resources and hints (or the declared level);
    ``computed``: what :func:`compute_assessment` gave for it under the same options, if known."""
    if computed is None:
        computed = _compute(ds, options, ssot=ssot, scanned=scanned)
    if declared is not None:
        level, reason = declared
        return OpenAssessment(LEVELS.index(level), "declared", computed.criteria, computed.notes, computed.limiting, reason)
    return computed


@dataclass(frozen=True, slots=True)
class _Lists:
    """The option lists ``_compute`` tests against, as sets: built once per options dict, not per dataset."""

    open_f: frozenset[str]
    machine: frozenset[str]
    docs: frozenset[str]
    images: frozenset[str]
    apis: frozenset[str]
    unstructured: frozenset[Any]
    detailed_geo: frozenset[Any]
    detailed_units: frozenset[Any]
    live_units: frozenset[Any]
    api_types: frozenset[str]
    api_endpoints: tuple[str, ...]
    api_hints: tuple[str, ...]
    download_params: frozenset[str]


_LISTS: list[tuple[dict[str, Any], _Lists]] = []  # (options dict, its sets): the last few, by identity


def _lists(o: dict[str, Any]) -> _Lists:
    for known, lists in _LISTS:
        if known is o:
            return lists
    up = lambda key: frozenset(str(v).upper() for v in o[key])  # noqa: E731
    lists = _Lists(up("open_formats"), up("machine_readable_formats"), up("document_formats"), up("image_formats"),
                   up("api_formats"), frozenset(o["unstructured_data_types"]), frozenset(o["detailed_geo_coverage"]),
                   frozenset(o["detailed_update_units"]), frozenset(o["live_update_units"]),
                   frozenset(str(v).lower() for v in o.get("api_resource_types", ())),
                   tuple(h.lower() for h in o.get("api_endpoints", ())), tuple(h.lower() for h in o["api_url_hints"]),
                   frozenset(str(p).lower() for p in o.get("download_query_params", ())))
    _LISTS.insert(0, (o, lists))  # the dict is kept alive here, so its identity cannot be reused
    del _LISTS[8:]
    return lists


def compute_assessment(ds: DatasetResult, o: dict[str, Any]) -> OpenAssessment:
    """The computed level of ``ds`` with no declared hint (neither single source of truth nor scanned)."""
    return _compute(ds, o, ssot=False, scanned=False)


def _compute(ds: DatasetResult, o: dict[str, Any], *, ssot: bool, scanned: bool) -> OpenAssessment:
    res = [r for r in ds.resources if r.url or r.values.get("format")]
    if not res:
        return NO_RESOURCES
    L = _lists(o)
    open_f, machine, docs, images, apis = L.open_f, L.machine, L.docs, L.images, L.apis
    fmts: set[str] = set()
    api = False
    http = False
    measured = 0
    for r in res:
        toks = _tokens(r.values.get("format"), r.url)
        if o.get("open_format_source") == "measured" and r.quality is not None:
            # the format sniffed from the bytes (catalog-tools quality); API evidence stays declared
            det = r.quality.get("detected_format")
            fmts |= {str(det).upper()} if det else set()
            measured += 1
        else:
            fmts |= toks
        url = str(r.url or "")
        http = http or _is_http(url)
        if api_evidence(r, toks, url, o, apis) is not None:
            api = True
    shown = ", ".join(sorted(fmts)) or "?"
    crit: dict[str, int] = {}
    notes: dict[str, tuple[str, str]] = {}
    # access
    if api:
        crit["access"], notes["access"] = 3, ("API / DataStore", "API / DataStore")
    elif http and ssot:
        crit["access"], notes["access"] = 2, ("file, declared single source of truth", "ไฟล์ ที่แจ้งว่าเป็นแหล่งข้อมูลหลัก (single source of truth)")
    elif http:
        crit["access"], notes["access"] = 1, ("file download, not declared single source of truth",
                                              "ดาวน์โหลดไฟล์ ยังไม่ได้แจ้งว่าเป็นแหล่งข้อมูลหลัก (single source of truth)")
    else:
        crit["access"], notes["access"] = 0, ("no http(s) URL", "ไม่มี URL แบบ http(s)")
    unstructured = ds.values.get("data_type") in L.unstructured
    if unstructured:
        searchable = bool(fmts & (open_f | machine | apis)) or (bool(fmts & docs) and o["open_format_pdf_searchable"] and not scanned)
        crit["document"] = 3 if searchable else 0
        notes["document"] = (f"searchable documents ({shown})", f"เอกสารสืบค้นข้อความได้ ({shown})") if searchable else \
            (f"scanned or unknown ({shown})", f"เอกสารสแกนหรือไม่ทราบรูปแบบ ({shown})")
    else:
        if fmts & (open_f | apis):
            level, note = 3, (f"open format {shown}", f"รูปแบบเปิด {shown}")
        elif fmts & machine:
            level, note = 2, (f"machine-readable {shown}", f"ตารางฐานข้อมูลอ่านด้วยเครื่องได้ {shown}")
        elif fmts & docs and not scanned and o["open_format_pdf_searchable"]:
            level, note = 1, (f"report document {shown}", f"ตารางในเอกสารรายงาน {shown}")
        elif fmts & images or scanned:
            level, note = 0, (f"scanned image {shown}", f"ภาพสแกน {shown}")
        else:
            level, note = 0, (f"format not recognised: {shown}", f"ไม่รู้จักรูปแบบ {shown}")
        if measured:  # say which source decided the format
            note = (f"{note[0]} (measured in {measured} of {len(res)} files)",
                    f"{note[1]} (ตรวจจากเนื้อไฟล์ {measured} จาก {len(res)} ไฟล์)")
        crit["format"], notes["format"] = level, note
        geo = ds.values.get("geo_coverage")
        unit = ds.values.get("update_frequency_unit")
        detailed = geo in L.detailed_geo or unit in L.detailed_units
        hint = " / ".join(str(v) for v in (unit, geo) if v) or "-"
        if detailed and api and unit in L.live_units:
            crit["granularity"], notes["granularity"] = 3, (f"live from source ({hint})", f"เชื่อมต่อข้อมูลล่าสุดจากแหล่ง ({hint})")
        elif detailed:
            crit["granularity"], notes["granularity"] = 2, (f"detailed ({hint})", f"ข้อมูลละเอียด ({hint})")
        else:
            crit["granularity"], notes["granularity"] = 1, (f"aggregate ({hint})", f"ข้อมูลสรุปภาพรวม ({hint})")
    level = min(crit.values())
    limiting = next(k for k in ("format", "document", "access", "granularity") if k in crit and crit[k] == level)
    return _shared(OpenAssessment(level, "computed", crit, notes, limiting))


_SHARED: dict[tuple[Any, ...], OpenAssessment] = {}


def _shared(found: OpenAssessment) -> OpenAssessment:
    """One object per distinct assessment: a catalogue's datasets fall into a few patterns, and the
    score words each assessment once (by identity) in its reasons and open-format rows."""
    key = (found.level, tuple(found.criteria.items()), tuple(found.notes.items()), found.limiting)
    hit = _SHARED.get(key)
    if hit is None:
        if len(_SHARED) >= 4096:  # bounded: a catalogue of all-different formats and units only loses the sharing
            _SHARED.clear()
        hit = _SHARED[key] = found
    return hit


def raise_hint(limiting: str | None, level: int) -> tuple[str, str]:
    """What to do to lift a dataset above ``level`` when ``limiting`` holds it down (en, th)."""
    if limiting == "resources":
        return ("add Template 3 resource metadata with an http(s) URL", "เพิ่มคำอธิบายทรัพยากรข้อมูล (Template 3) พร้อม URL")
    if limiting == "format":
        return ("publish the data as CSV or XLSX", "เผยแพร่ข้อมูลในรูปแบบ CSV หรือ XLSX")
    if limiting == "document":
        return ("publish searchable PDF/Word, not scans", "เผยแพร่เป็น PDF/Word ที่สืบค้นข้อความได้ ไม่ใช่ภาพสแกน")
    if limiting == "access":
        if level == 0:
            return ("give each resource an http(s) URL", "ระบุ URL แบบ http(s) ของทรัพยากรข้อมูล")
        if level == 1:
            return ("designate the file as the single source of truth (declare single_source_of_truth)",
                    "กำหนดไฟล์เป็นแหล่งข้อมูลหลัก (single source of truth) และแจ้งใน single_source_of_truth")
        return ("offer an API with query parameters (e.g. CKAN DataStore)", "เปิดให้เข้าถึงผ่าน API ที่ระบุเงื่อนไขได้ (เช่น CKAN DataStore)")
    if limiting == "granularity":
        if level <= 1:
            return ("publish detailed data (monthly or daily, district level)", "เปิดข้อมูลละเอียด (รายเดือน/รายวัน หรือระดับอำเภอ/ตำบล)")
        return ("connect the data live to its source through an API", "เชื่อมต่อข้อมูลล่าสุดจากแหล่งข้อมูลผ่าน API")
    return ("raise the open-format level", "ยกระดับคุณลักษณะแบบเปิด")
