"""Building blocks of the HTML report: escaping, labels in two languages, inline SVG charts.

Kept apart from ``html.py`` so the page layout stays readable. Everything returns strings of
HTML in which every value from the input has gone through ``esc`` — a hostile title such as
``<script>`` must show as text, never run.
"""
from __future__ import annotations

import base64
import hashlib

import html
from typing import Any, Sequence

FONT_STACK = '"Noto Sans Thai", "Sarabun", "Laksaman", "Loma", "Leelawadee UI", "Tahoma", sans-serif'

LEVELS = {"basic": ("ขั้นต้น", "Basic"), "standard": ("มาตรฐาน", "Standard"), "advanced": ("ขั้นสูง", "Advanced")}

TEXT: dict[str, tuple[str, str]] = {
    "title_validate": ("รายงานผลการตรวจคำอธิบายข้อมูล (Template 2/3)", "Metadata validation report (Template 2/3)"),
    "title_score": ("รายงานคะแนนตัวชี้วัด Data Catalog", "Data Catalog KPI score report"),
    "title_audit": ("รายงานผลการตรวจสอบบัญชีข้อมูล (Audit)", "Data catalog audit report"),
    "inputs": ("ข้อมูลนำเข้า", "Inputs"),
    "standard": ("มาตรฐาน thai_gdc", "thai_gdc standard"),
    "summary": ("สรุป", "Summary"),
    "datasets": ("ชุดข้อมูล", "Datasets"),
    "complete": ("ครบ 14 รายการ", "Complete (14/14)"),
    "resources": ("ทรัพยากรข้อมูล", "Resources"),
    "errors": ("ข้อผิดพลาด", "Errors"),
    "warnings": ("คำเตือน", "Warnings"),
    "kpi": ("คะแนนตัวชี้วัด Data Catalog แยกตามระดับ", "Data Catalog KPI by level"),
    "level": ("ระดับ", "Level"),
    "item": ("รายการ", "Item"),
    "points": ("คะแนนที่ได้", "Points"),
    "max": ("คะแนนเต็ม", "Possible"),
    "basis": ("ที่มาของคะแนน", "Basis"),
    "lost_by": ("ชุดข้อมูลที่ทำให้เสียคะแนน", "Lost by"),
    "total": ("คะแนนรวม", "Total"),
    "chart": ("คะแนนที่ได้เทียบกับคะแนนเต็ม", "Points earned vs possible"),
    "completeness": ("ความครบถ้วนรายรายการ (ร้อยละของชุดข้อมูล)", "Completeness per item (% of datasets)"),
    "organizations": ("ผลรายหน่วยงาน", "By organization"),
    "org_scores": ("คะแนนรายหน่วยงาน", "Score by organization"),
    "sort_hint": ("คลิกหัวคอลัมน์เพื่อเรียงลำดับ", "Click a column header to sort"),
    "fix_first": ("ควรแก้ไขก่อน", "Fix first"),
    "dataset": ("ชุดข้อมูล", "Dataset"),
    "gain": ("คะแนนที่จะได้เพิ่ม", "Gain"),
    "fix": ("สิ่งที่ต้องแก้", "What to fix"),
    "missing_items": ("รายการที่ยังไม่สอดคล้อง", "Items not conforming"),
    "findings": ("ผลการตรวจรายชุดข้อมูล", "Findings per dataset"),
    "input_findings": ("ผลการตรวจระดับไฟล์", "Whole-input findings"),
    "severity": ("ระดับ", "Severity"),
    "code": ("รหัส", "Code"),
    "location": ("ตำแหน่ง", "Location"),
    "message": ("ข้อความ", "Message"),
    "suggestion": ("คำแนะนำ", "Suggestion"),
    "error": ("ข้อผิดพลาด", "error"),
    "warning": ("คำเตือน", "warning"),
    "resource": ("ทรัพยากร", "resource"),
    "no_findings": ("ไม่พบปัญหา", "No findings"),
    "items_word": ("รายการ", "items"),
    "fy": ("ปีงบประมาณ", "Fiscal year"),
    "template1": ("รายชื่อชุดข้อมูลตาม Focus Area (Template 1)", "Dataset list tied to the Focus Area (Template 1)"),
    "focus_area": ("Focus Area ที่เกี่ยวข้อง", "Focus Area"),
    "issue": ("ประเด็นการดำเนินงานภายใต้ Focus Area", "Issue under the Focus Area"),
    "goal": ("เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์", "Intended use"),
    "agencies": ("หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์", "Agencies expected to use the datasets"),
    "mission": ("ภารกิจหลัก", "Mission"),
    "process": ("กระบวนการทำงานหลัก", "Main process"),
    "subprocess": ("กระบวนการทำงานย่อย", "Sub-process"),
    "dataset_id": ("รหัสชุดข้อมูล", "Dataset id"),
    "in_template2": ("มีใน Template 2", "In Template 2"),
    "not_valid": ("ไม่อยู่ในรายการ", "not in the list"),
}


def t(key: str, lang: str) -> str:
    th, en = TEXT[key]
    return th if lang == "th" else en


def esc(value: Any) -> str:
    """Escape any value for HTML text or attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


def pick(obj: Any, key: str, lang: str) -> Any:
    """``obj[key]`` in ``lang``: prefers ``key_th`` in Thai, and ``{"th":…, "en":…}`` values."""
    if not isinstance(obj, dict):
        return obj
    if lang == "th" and obj.get(f"{key}_th") not in (None, ""):
        return obj[f"{key}_th"]
    value = obj.get(key)
    if isinstance(value, dict) and ("th" in value or "en" in value):
        return value.get(lang) or value.get("en") or value.get("th")
    return value


def level_label(key: Any, lang: str) -> str:
    th, en = LEVELS.get(str(key), (str(key), str(key)))
    return th if lang == "th" else en


def number(value: Any) -> str:
    """Scores to 2 decimals, trailing zeros dropped (10.00 → 10, 66.67 stays)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        text = f"{float(value):.2f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def bar_chart(rows: Sequence[tuple[str, float, float]], *, label: str, percent: bool = False, width: int = 720,
              chart_id: str = "chart") -> str:
    """Horizontal bars of earned (filled) against possible (outline), one per (label, earned, possible)."""
    if not rows:
        return ""
    bar_h, gap, left, right = 18, 8, 300, 90
    height = len(rows) * (bar_h + gap) + gap
    scale_max = max((p for _, _, p in rows), default=0.0) or 1.0
    span = width - left - right
    parts = [f'<svg id="{esc(chart_id)}" class="chart" role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">', f"<title>{esc(label)}</title>"]
    for i, (name, earned, possible) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w_possible = span * (possible / scale_max) if possible > 0 else 0
        w_earned = span * (min(earned, possible) / scale_max) if possible > 0 else 0
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" class="lbl">{esc(name)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w_possible:.1f}" height="{bar_h}" class="possible"/>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w_earned:.1f}" height="{bar_h}" class="earned" '
                     f'data-earned="{esc(number(earned))}" data-possible="{esc(number(possible))}"/>')
        shown = f"{earned:.0f}%" if percent else f"{number(earned)} / {number(possible)}"
        parts.append(f'<text x="{left + w_possible + 6:.1f}" y="{y + bar_h * 0.72:.1f}" class="val">{esc(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


#: Sorts a table.sortable by the clicked column (numbers as numbers, text by Thai collation).
#: The page's CSP allows exactly this script by its hash; nothing else can run.
SORT_SCRIPT = (
    "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.style.cursor='pointer';"
    "th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];var rows=Array.from(tb.rows);"
    "var asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';"
    "var key=function(r){var t=r.cells[i].textContent.trim();var n=parseFloat(t.replace(/,/g,''));"
    "return isNaN(n)?t:n;};rows.sort(function(a,b){var x=key(a),y=key(b);"
    "var c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y),'th');"
    "return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});"
)
SORT_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode("ascii")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, cls: str = "", raw: bool = False) -> str:
    """A table; cells are escaped unless ``raw`` (then the caller has escaped them)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c if raw else esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


CSS = """
:root { --err:#c62828; --warn:#b26a00; --ok:#2e7d32; --ink:#1d1d1f; --muted:#5f6368; --line:#dadce0; --accent:#1a73e8; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.6; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.25rem; margin-top: 32px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0; font-size: .92rem; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; } .card.err .n { color: var(--err); } .card.warn .n { color: var(--warn); }
.card.ok .n { color: var(--ok); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; } td.num, th.num { text-align: right; }
.sev-error { color: var(--err); font-weight: 700; } .sev-warning { color: var(--warn); font-weight: 700; }
svg.chart { max-width: 100%; height: auto; font-family: FONTS; font-size: 13px; }
svg .possible { fill: #eef3fd; stroke: #90a4c8; } svg .earned { fill: var(--accent); } svg .lbl { fill: var(--ink); } svg .val { fill: var(--muted); }
details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details > summary { cursor: pointer; font-weight: 600; } .badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: .8rem; margin-left: 6px; }
.badge.err { background: #fdecea; color: var(--err); } .badge.ok { background: #e6f4ea; color: var(--ok); } .badge.warn { background: #fff4e5; color: var(--warn); }
@media print { details { break-inside: avoid; } details:not([open]) > *:not(summary) { display: block; } }
""".replace("FONTS", FONT_STACK)
