"""Terminal text for a KPI score: a table of levels and sub-scores (points / max), then the fixes."""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from . import register

if TYPE_CHECKING:
    from ..scoring.result import ScoreResult

#: how many fixes the text lists (the rest are counted; all of them are in --format json)
FIXES_SHOWN = 15

_L = {
    "en": {"level": "Level", "item": "Sub-score", "points": "Points / max", "basis": "Basis", "met": "met",
           "not_met": "NOT met", "total": "Total", "fixes": "Fix first (points gained)", "none": "nothing to fix",
           "open": "Open-format level per dataset", "warnings": "Notes", "not_counted": "not counted",
           "datasets": "{datasets} datasets, {complete} complete (14/14), {open} public, {with_resources} with resources",
           "more": "… {n} more in --format json", "lost": "lost", "item_gain": "its own sub-score +{g}",
           "grade": "Grade", "weighted": "Weighted (weight {w})", "readings": "Readings used"},
    "th": {"level": "ระดับ", "item": "องค์ประกอบ", "points": "คะแนน / เต็ม", "basis": "ที่มา", "met": "ผ่าน",
           "not_met": "ไม่ผ่าน", "total": "คะแนนรวม", "fixes": "ควรแก้ก่อน (คะแนนที่จะได้เพิ่ม)", "none": "ไม่มีรายการที่ต้องแก้",
           "open": "ระดับคุณลักษณะแบบเปิดรายชุดข้อมูล", "warnings": "หมายเหตุ", "not_counted": "ไม่นับรวม",
           "datasets": "ชุดข้อมูล {datasets} ชุด ครบ 14 รายการ {complete} ชุด ข้อมูลสาธารณะ {open} ชุด มีทรัพยากรข้อมูล {with_resources} ชุด",
           "more": "… และอีก {n} รายการ ดูได้ใน --format json", "lost": "เสีย", "item_gain": "องค์ประกอบนี้ +{g}",
           "grade": "ระดับผลการประเมิน", "weighted": "คะแนนถ่วงน้ำหนัก (น้ำหนัก {w})", "readings": "การตีความเกณฑ์ที่ใช้"},
}
#: what decided the dataset list and the scope (ScoreResult.sources)
_SOURCE_KEYS = {"en": {"dataset_list": "Dataset list from", "focus_area": "Focus Area from", "use_scope": "Use scope from"},
                "th": {"dataset_list": "รายชื่อชุดข้อมูลจาก", "focus_area": "Focus Area จาก", "use_scope": "ขอบเขตการนำข้อมูลไปใช้ประโยชน์จาก"}}
_SOURCE_NAMES = {"en": {"template1": "Template 1", "declaration": "declarations"},
                 "th": {"template1": "Template 1", "declaration": "ไฟล์แจ้งข้อมูล (declarations)"}}
_LEVEL_TH = {"none": "ไม่ผ่าน", "basic": "ขั้นต้น", "intermediate": "ขั้นกลาง", "advanced": "ขั้นสูง"}


def _num(value: Any) -> str:
    """15.0 → "15", 12.5 → "12.5"."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _width(text: str) -> int:
    """Display width: Thai combining marks take no column."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@register("text", kinds=("score",), description="a table of levels and sub-scores, then the fixes")
def render_score_text(result: ScoreResult, *, lang: str = "en", **_: Any) -> str:
    # the text shows no lost_by lists and only the first fixes: skip building them for every dataset
    d = result.to_dict(lost_by=False, max_fixes=FIXES_SHOWN)
    lang = "th" if lang == "th" else "en"
    t = _L[lang]
    th = lang == "th"
    out = [d["rubric"]["title_th" if th else "title"]]
    if d.get("inputs"):
        out.append(", ".join(d["inputs"]))
    out.append(t["datasets"].format(**d["summary"]))
    for key, src in (d.get("sources") or {}).items():
        if key in _SOURCE_KEYS[lang] and isinstance(src, dict):
            value = f" ({src['value']})" if src.get("value") else ""
            out.append(f"{_SOURCE_KEYS[lang][key]}: {_SOURCE_NAMES[lang].get(src['decided_by'], src['decided_by'])}{value}")
    if d.get("provisional"):
        out.append(d["note_th" if th else "note"])
    gd = (d.get("sources") or {}).get("gd_catalog")
    if gd:
        by = ", ".join(f"{k} {v}" for k, v in sorted(gd.get("evidence", {}).items()))
        if th:
            out.append(f"GD Catalog: ตัดสินจาก{'ไฟล์แจ้งข้อมูล (declarations)' if gd['decided_by'] == 'declaration' else 'หลักฐาน'}"
                       + (f" ({by})" if by else ""))
        else:
            out.append(f"GD Catalog: decided by {gd['decided_by']}" + (f" ({by})" if by else ""))
    out.append("")
    levels = {lv["key"]: lv for lv in d["level_details"]}
    rows = [(t["level"], t["item"], t["points"], t["basis"])]
    for item in d["items"]:
        lv = levels[item["level"]]
        level = f"{lv['title_th' if th else 'title']} ({lv['target']})"
        if item["kind"] == "gate":
            pts = t["met"] if item["met"] else t["not_met"]
        else:
            pts = f"{item['points_display']} / {item['max']}"
            if not item["counted"]:
                pts += f" ({t['not_counted']})"
        rows.append((level, item["key"], pts, item["basis_th" if th else "basis"]))
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    for n, r in enumerate(rows):
        out.append("  ".join(_pad(r[i], widths[i]) for i in range(3)) + "  " + r[3])
        if n == 0:
            out.append("-" * (sum(widths) + 6 + max(_width(r[3]) for r in rows[:1])))
    out.append("")
    parts = []
    for lv in d["level_details"]:
        name = lv["title_th" if th else "title"]
        if lv["key"] == "basic":
            parts.append(f"{name} ({lv['target']}): {t['met'] if lv['met'] else t['not_met']}")
        else:
            extra = "" if lv["counted"] else f" ({t['not_counted']})"
            parts.append(f"{name}: {lv['points_display']} / {lv['max']}{extra}")
    out.append(" · ".join(parts))
    out.append(f"{t['total']}: {d['total_display']} / {d['max_total']}")
    if d.get("grade"):
        out.append(f"{t['grade']}: {d['grade']['th'] if th else d['grade']['en']}")
    if d.get("weighted_display") is not None:
        out.append(f"{t['weighted'].format(w=_num(d['weight']))}: {d['weighted_display']}")
    if d.get("readings"):
        out.append(t["readings"] + ":")
        for r in d["readings"]:
            out.append(f"  - {r['text_th' if th else 'text']}")
    out.append("")
    out.append(t["fixes"] + ":")
    fixes = d["fix_first"]
    if not fixes:
        out.append(f"  {t['none']}")
    for n, f in enumerate(fixes[:FIXES_SHOWN], 1):
        who = f["dataset"] or f["item"]
        note = ""
        if not f["gain"] and f["item_gain"]:
            note = "  [" + t["item_gain"].format(g=f"{f['item_gain']:.2f}") + "]"
        out.append(f"  {n:>2}. +{f['gain_display']:>6}  {who}: {f['fix_th' if th else 'fix']}{note}")
    n_fixes = d.get("fix_count", len(fixes))
    if n_fixes > FIXES_SHOWN:
        out.append("  " + t["more"].format(n=n_fixes - FIXES_SHOWN))
    if d["open_format"]:
        out.append("")
        out.append(t["open"] + ":")
        for row in d["open_format"]:
            level = _LEVEL_TH[row["level"]] if th else row["level"]
            out.append(f"  {row['dataset']}  {level}: {row['reason_th' if th else 'reason']}")
    if d["warnings"]:
        out.append("")
        out.append(t["warnings"] + ":")
        for w in d["warnings"]:
            out.append(f"  - {w['message_th' if th else 'message']}")
    if d.get("compare"):
        from ..compare import compare_lines
        out.append("")
        out.extend(compare_lines(d["compare"], lang=lang))
    return "\n".join(out) + "\n"
