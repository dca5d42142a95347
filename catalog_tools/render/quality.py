"""Renderers for ``catalog-tools quality``: text, JSON, CSV (one row per resource) and a
self-contained HTML page (organization summary with an inline SVG bar chart, then one card per
dataset with its resources' metrics and the findings that name the cells).

Every metric has its label in both languages here, once.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from ..model import DatasetResult, Finding, ResourceResult
from ..results import QualityResult
from . import register
from .csvfmt import neutralise
from .html_parts import CSS, bar_chart, esc, t, table
from .jsonfmt import render_json

register("json", kinds=("quality",), description="one JSON document (both languages)")(render_json)

LABELS: dict[str, tuple[str, str]] = {
    "title": ("รายงานคุณภาพเนื้อหาของทรัพยากรข้อมูล", "Resource content quality report"),
    "stars": ("ระดับความเปิด (ดาว)", "openness stars"),
    "machine_readable": ("เครื่องอ่านได้", "machine-readable"),
    "format": ("รูปแบบไฟล์", "format"),
    "declared": ("ที่ระบุ", "declared"),
    "detected": ("ที่ตรวจพบ", "detected"),
    "encoding": ("รหัสอักขระ", "encoding"),
    "completeness": ("ความครบถ้วน", "completeness"),
    "uniqueness": ("ความไม่ซ้ำ", "uniqueness"),
    "consistency": ("ความสอดคล้อง", "consistency"),
    "validity": ("ความถูกต้อง", "validity"),
    "rows": ("จำนวนแถว", "rows"),
    "size": ("ขนาด", "size"),
    "reachable": ("เข้าถึงได้", "reachable"),
    "preview": ("แสดงตัวอย่าง/API", "preview/API"),
    "resources": ("ทรัพยากรข้อมูล", "resources"),
    "datasets": ("ชุดข้อมูล", "datasets"),
    "organizations": ("สรุปรายหน่วยงาน", "By organization"),
    "summary": ("สรุป", "Summary"),
    "formulas": ("สูตรคำนวณ", "formulas"),
    "requests": ("คำขอ HTTP", "HTTP requests"),
    "mismatch": ("รูปแบบไม่ตรงกับที่ระบุ", "format mismatch"),
    "not_utf8": ("ไม่ใช่ UTF-8", "not UTF-8"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่ใช่", "no"),
    "findings": ("สิ่งที่พบ", "findings"),
    "no_findings": ("ไม่พบปัญหา", "no findings"),
    "chart": ("ค่าเฉลี่ยของตัวชี้วัดคุณภาพ (ร้อยละ)", "Mean quality metrics (%)"),
    "measured": ("รูปแบบไฟล์ตามที่ตรวจจากเนื้อไฟล์", "formats as measured in the files"),
}
METRICS = ("completeness", "uniqueness", "consistency", "validity")


def L(key: str, lang: str) -> str:
    th, en = LABELS[key]
    return th if lang == "th" else en


def _pct(v: Any) -> str:
    return "-" if v is None else f"{v:.1f}%"


def _yes(v: Any, lang: str) -> str:
    return "-" if v is None else L("yes" if v else "no", lang)


def _msg(f: Finding, lang: str) -> str:
    return f.message_th if lang == "th" else f.message


def _size(n: Any) -> str:
    if not n:
        return "-"
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def _fmt(q: dict[str, Any]) -> str:
    det, dec = q.get("detected_format"), q.get("declared_format")
    if dec and det and q.get("format_mismatch"):
        return f"{det} (≠ {dec})"
    return str(det or dec or "?")


def _resource_line(r: ResourceResult, lang: str) -> str:
    q = r.quality or {}
    parts = [f"{L('format', lang)} {_fmt(q)}", f"{q.get('stars') if q.get('stars') is not None else '-'}★"]
    if q.get("encoding"):
        parts.append(str(q["encoding"]))
    if q.get("rows") is not None:
        parts.append(f"{q['rows']} {L('rows', lang)}")
    for m in METRICS:
        if q.get(m) is not None:
            parts.append(f"{L(m, lang)} {_pct(q[m])}")
    if not q.get("reachable"):
        parts.append(f"{L('reachable', lang)}: {L('no', lang)}")
    return ", ".join(parts)


@register("text", kinds=("quality",), description="readable summary")
def render_quality_text(result: QualityResult, *, lang: str = "en", verbose: bool = False, **_: Any) -> str:
    report = result.report
    out: list[str] = []
    for d in report.datasets:
        shown = [r for r in d.resources if verbose or r.findings]
        if not shown:
            continue
        out.append(f"{d.title or d.id or '?'}" + (f" [{d.id}]" if d.id and d.id != d.title else ""))
        for r in shown:
            out.append(f"  - {r.name or r.url or '?'}: {_resource_line(r, lang)}")
            for f in r.findings:
                where = f" [{f.location}]" if f.location else ""
                out.append(f"      {f.severity.upper()} {f.code}{where}: {_msg(f, lang)}")
    s = result.quality
    means = s.get("means") or {}
    out.append("")
    out.append(f"{L('summary', lang)}: {s.get('resources', 0)} {L('resources', lang)}, "
               f"{L('reachable', lang)} {s.get('reachable', 0)}, {L('machine_readable', lang)} {s.get('machine_readable', 0)}, "
               f"{L('mismatch', lang)} {s.get('format_mismatch', 0)}, {L('not_utf8', lang)} {s.get('not_utf8', 0)}")
    out.append("  " + ", ".join(f"{L(m, lang)} {_pct(means.get(m))}" for m in METRICS)
               + f" ({L('formulas', lang)}: {s.get('formulas', '')})")
    req = (s.get("fetch") or {}).get("requests") or {}
    out.append(f"  {L('requests', lang)}: GET {req.get('GET', 0)}, HEAD {req.get('HEAD', 0)}; "
               f"cache {(s.get('fetch') or {}).get('cache_hits', 0)}")
    if result.score is not None:
        out.extend(_score_lines(result.score.to_dict(), lang))
    out.append(f"  errors {report.error_count}, warnings {report.warning_count}")
    return "\n".join(out) + "\n"


def _score_lines(score: dict[str, Any], lang: str) -> list[str]:
    """The KPI's open-format item scored on the measured formats (``--fy``), with what held datasets down."""
    out = []
    for item in score.get("items") or []:
        if item.get("kind") != "open_format":
            continue
        title = item.get("title_th") if lang == "th" else item.get("title")
        out.append(f"  FY{score.get('fy')} {item.get('key')} ({title}): {item.get('points')} / {item.get('max')} "
                   f"— {L('measured', lang)}")
        for lost in (item.get("lost_by") or [])[:20]:
            out.append(f"      {lost.get('dataset')}: {lost.get('level')} — {lost.get('reason')}")
    return out


CSV_COLUMNS = ("dataset", "resource", "url", "declared_format", "detected_format", "format_mismatch", "stars",
               "machine_readable", "encoding", "utf8", "reachable", "status", "size", "rows", *METRICS, "preview",
               "api", "errors", "warnings", "findings")


@register("csv", kinds=("quality",), description="one row per resource (UTF-8 with BOM)")
def render_quality_csv(result: QualityResult, **_: Any) -> str:
    report = result.report
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for d in report.datasets:
        for r in d.resources:
            q = r.quality or {}
            row = [d.id, r.name, r.url] + [q.get(k) for k in CSV_COLUMNS[3:-3]] + [
                sum(1 for f in r.findings if f.is_error), sum(1 for f in r.findings if not f.is_error),
                "; ".join(sorted({f.code for f in r.findings}))]
            w.writerow([neutralise("" if v is None else v) for v in row])
    return "\ufeff" + buf.getvalue()


_EXTRA_CSS = """
.qcard { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; margin: 12px 0; }
.qcard h3 { margin: 4px 0 8px; font-size: 1.05rem; }
.metric { display: inline-block; min-width: 120px; margin: 2px 8px 2px 0; }
.metric b { display: block; font-size: 1.2rem; }
.low b { color: var(--warn); }
"""


@register("html", kinds=("quality",), description="self-contained HTML report")
def render_quality_html(result: QualityResult, *, lang: str = "th", **_: Any) -> str:
    report, s = result.report, result.quality
    body = [f"<header><h1>{esc(L('title', lang))}</h1>",
            f'<p class="meta">{esc(", ".join(report.inputs))} · {esc(L("formulas", lang))}: {esc(s.get("formulas", ""))}</p></header>']
    cards = [(L("resources", lang), s.get("resources", 0), ""), (L("reachable", lang), s.get("reachable", 0), "ok"),
             (L("machine_readable", lang), s.get("machine_readable", 0), "ok"),
             (L("mismatch", lang), s.get("format_mismatch", 0), "err" if s.get("format_mismatch") else ""),
             (L("not_utf8", lang), s.get("not_utf8", 0), "warn" if s.get("not_utf8") else "")]
    body.append(f"<h2>{esc(L('summary', lang))}</h2><div class=\"cards\">" + "".join(
        f'<div class="card {c}"><span class="n">{esc(n)}</span>{esc(label)}</div>' for label, n, c in cards) + "</div>")
    means = s.get("means") or {}
    body.append(bar_chart([(L(m, lang), float(means.get(m) or 0.0), 100.0) for m in METRICS],
                          label=L("chart", lang), percent=True, chart_id="quality-chart"))
    orgs = s.get("organizations") or []
    if orgs:
        body.append(f"<h2>{esc(L('organizations', lang))}</h2>")
        rows = [[str(o.get("title") or o["name"]), str(o.get("datasets", 0)), str(o.get("resources", 0)),
                 str(o.get("stars") if o.get("stars") is not None else "-")] + [_pct(o.get(m)) for m in METRICS]
                for o in orgs]
        body.append(table([L("organizations", lang), L("datasets", lang), L("resources", lang), L("stars", lang)]
                          + [L(m, lang) for m in METRICS], rows, cls="orgs"))
        for o in orgs:
            body.append(bar_chart([(L(m, lang), float(o.get(m) or 0.0), 100.0) for m in METRICS],
                                  label=f"{o.get('title') or o['name']}: {L('chart', lang)}", percent=True,
                                  chart_id=f"org-{o['name']}"))
    body.append(f"<h2>{esc(L('datasets', lang))}</h2>")
    for d in report.datasets:
        body.append(_card(d, lang))
    title = L("title", lang)
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{esc(title)}</title><style>{CSS}{_EXTRA_CSS}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")


def _card(d: DatasetResult, lang: str) -> str:
    q = d.quality or {}
    metrics = "".join(
        f'<span class="metric{" low" if q.get(m) is not None and q[m] < 100 else ""}"><b>{esc(_pct(q.get(m)))}</b>{esc(L(m, lang))}</span>'
        for m in METRICS)
    metrics += (f'<span class="metric"><b>{esc(q.get("stars") if q.get("stars") is not None else "-")}★</b>{esc(L("stars", lang))}</span>'
                f'<span class="metric"><b>{esc(_yes(q.get("machine_readable"), lang))}</b>{esc(L("machine_readable", lang))}</span>')
    heads = [L("resources", lang), L("format", lang), L("stars", lang), L("encoding", lang), L("rows", lang),
             L("size", lang)] + [L(m, lang) for m in METRICS] + [L("preview", lang)]
    rows = []
    for r in d.resources:
        rq = r.quality or {}
        rows.append([str(r.name or r.url or "?"), _fmt(rq), str(rq.get("stars") if rq.get("stars") is not None else "-"),
                     str(rq.get("encoding") or "-"), str(rq.get("rows") if rq.get("rows") is not None else "-"),
                     _size(rq.get("size"))] + [_pct(rq.get(m)) for m in METRICS] + [_yes(rq.get("preview"), lang)])
    findings = [f for r in d.resources for f in r.findings] + list(d.findings)
    frows = [[t(f.severity, lang), f.code, f.location or "", _msg(f, lang)] for f in findings]
    ftable = table([t("severity", lang), t("code", lang), t("location", lang), L("findings", lang)], frows,
                   cls="findings") if frows else \
        f"<p>{esc(L('no_findings', lang))}</p>"
    return (f'<section class="qcard"><h3>{esc(d.title or d.id or "?")}</h3><div>{metrics}</div>'
            + table(heads, rows, cls="resources") + ftable + "</section>")
