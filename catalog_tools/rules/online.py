"""Online rules: found by talking to a CKAN server or to a resource URL (publish and audit)."""
from __future__ import annotations

import json
from typing import Any, Iterator, Mapping

from ..model import DatasetResult, Finding, ResourceResult
from ..schemas_api import DEFAULT_STANDARD, schema_info
from .base import declare
from .finding import make_finding


@declare(
    "ckan_rejected", "error", scope="online", group="ckan",
    en="CKAN rejected the dataset: {value}",
    th="CKAN ไม่รับชุดข้อมูล: {value}",
    summary="The server refused a create or update (ValidationError).",
    why="The portal's own validators have the last word; its ValidationError is reported per field and the run "
        "goes on with the next dataset.",
    bad="CKAN answers {'name': ['That URL is already in use.']}", good="a free dataset name")
def ckan_rejected(ds: DatasetResult, error_dict: Mapping[str, Any], standard: str = DEFAULT_STANDARD) -> list[Finding]:
    """CKAN's ValidationError dict as ``ckan_rejected`` findings, one per field."""
    info = schema_info("dataset", standard)
    out = []
    for key, msgs in error_dict.items():
        text = msgs if isinstance(msgs, str) else json.dumps(msgs, ensure_ascii=False)
        if isinstance(msgs, list) and all(isinstance(m, str) for m in msgs):
            text = "; ".join(msgs)
        spec = info.fields.get("tag_string" if key == "tags" else key)
        out.append(make_finding("ckan_rejected", field=key, item=info.item_of(spec.name) if spec else None,
                                value=f"{key}: {text}", dataset=ds.id, location=f"ckan:{key}", source=ds.source))
    return out


@declare(
    "link_broken", "warning", scope="online", group="resources",
    en="Resource URL did not answer: {extra}.",
    th="ไม่สามารถเข้าถึง URL ของทรัพยากรข้อมูลได้: {extra}",
    summary="A resource URL could not be reached (with --check-links).",
    why="A catalog entry whose file cannot be downloaded is not open data in practice.",
    bad="url answering HTTP 404", good="url answering HTTP 200")
def link_broken(ds: DatasetResult, res: ResourceResult, reason: str) -> Iterator[Finding]:
    yield make_finding("link_broken", field="url", field_th="URL", item="3", value=res.url, extra=reason, dataset=ds.id,
                       location=f"{ds.id}:$.resources[{res.index}].url", source=res.source)


@declare(
    "format_not_open", "warning", scope="online", group="resources",
    en="Resource format '{value}' is not an open, machine-readable format ({extra}).",
    th="รูปแบบไฟล์ '{value}' ของทรัพยากรข้อมูลไม่ใช่รูปแบบเปิดที่เครื่องอ่านได้ ({extra})",
    summary="audit: a resource format outside the open formats of the KPI's open-format criteria (e.g. PDF, JPG).",
    why="The KPI's open-format criteria count machine-readable open formats and APIs (the rubric's lists of the "
        "chosen fiscal year); a scan or a PDF does not count.",
    bad="format: 'JPG'", good="format: 'CSV'")
def format_not_open(ds: DatasetResult, res: ResourceResult, open_formats: frozenset[str],
                    api_formats: frozenset[str]) -> Iterator[Finding]:
    fmt = str(res.values.get("format") or "").strip().upper().lstrip(".")
    if fmt and fmt not in open_formats and fmt not in api_formats:
        yield make_finding("format_not_open", field="format", field_th="นามสกุลของไฟล์", item="7", value=fmt,
                           extra="open: " + ", ".join(sorted(open_formats)), dataset=ds.id,
                           location=f"{ds.id}:$.resources[{res.index}].format", source=res.source)


@declare(
    "audit_incomplete", "warning", scope="online", group="audit",
    en="The audit is incomplete: it saw {value} datasets, the catalog reports {extra} ({reason}). "
       "Counts and the score cover only what was seen; run the audit again.",
    th="การตรวจสอบไม่ครบถ้วน: ตรวจพบ {value} ชุดข้อมูล แต่ระบบรายงานว่ามี {extra} ชุด ({reason_th}) "
       "จำนวนและคะแนนนับเฉพาะชุดข้อมูลที่ตรวจพบ กรุณาตรวจสอบใหม่อีกครั้ง",
    summary="audit: the datasets seen do not match the catalog's count (pages repeated, the server ignored paging, "
            "datasets added or deleted during the crawl, or the crawl cap was reached).",
    why="An audit that silently skips datasets overstates completeness and the score; a reader must know the "
        "numbers cover less than the whole catalog.",
    bad="package_search says count 250, the crawl saw 100 (the server ignored 'start')",
    good="count 250, 250 distinct datasets seen")
def audit_incomplete(stats: Mapping[str, Any], seen: int) -> Iterator[Finding]:
    """From the crawl's ``stats`` (see :func:`catalog_tools.ckan.audit.crawl`): why the ids seen differ from the count."""
    count, counts, stopped = stats.get("count"), stats.get("counts") or [], stats.get("stopped")
    reasons: list[tuple[str, str]] = []
    if stopped == "repeat":
        reasons.append(("the server answered the same page again: it ignores paging",
                        "เซิร์ฟเวอร์ส่งหน้าเดิมซ้ำ ไม่รองรับการแบ่งหน้า"))
    if stopped == "cap":
        reasons.append(("the crawl stopped at its cap of datasets", "หยุดเมื่อถึงจำนวนชุดข้อมูลสูงสุดที่กำหนด"))
    if len(counts) > 1:
        reasons.append((f"the count changed during the crawl ({min(counts)}–{max(counts)})",
                        f"จำนวนชุดข้อมูลเปลี่ยนระหว่างการตรวจสอบ ({min(counts)}–{max(counts)})"))
    if count is not None and seen != count and not reasons:
        reasons.append(("datasets were added, deleted or skipped between pages",
                        "มีการเพิ่ม ลบ หรือข้ามชุดข้อมูลระหว่างหน้า"))
    if reasons and (count is None or seen != count or stopped):
        yield make_finding("audit_incomplete", value=seen, extra=count if count is not None else "?",
                           reason="; ".join(r[0] for r in reasons), reason_th="; ".join(r[1] for r in reasons),
                           location="audit")


@declare(
    "audit_private_excluded", "warning", scope="online", group="audit",
    en="Private datasets are not included: {reason}.",
    th="ไม่ได้รวมชุดข้อมูลที่ไม่เปิดเผย (private): {reason_th}",
    summary="audit: private datasets were asked for (a token was given) but the listing used cannot show them.",
    why="The JSON must never claim private datasets were audited when the listing could not return them.",
    bad="package_search fails; current_package_list_with_resources lists public datasets only",
    good="package_search with include_private=true answers")
def audit_private_excluded(stats: Mapping[str, Any], private_wanted: bool) -> Iterator[Finding]:
    if private_wanted and not stats.get("private_included"):
        yield make_finding("audit_private_excluded", location="audit",
                           reason="package_search failed and the fallback listing shows public datasets only",
                           reason_th="ค้นหาด้วย package_search ไม่ได้ และรายการสำรองแสดงเฉพาะชุดข้อมูลสาธารณะ")
