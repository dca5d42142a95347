"""Terminal text for an audit: the validation text, then organizations and the score."""
from __future__ import annotations

from typing import Any

from ..model import Report
from . import register
from .score_text import render_score_text
from .text import render_text


@register("text", kinds=("audit",), description="validation text, per-organization summary and the score")
def render_audit(report: Report, *, lang: str = "en", verbose: bool = False, **_: Any) -> str:
    th = lang == "th"
    out = [render_text(report, lang=lang, verbose=verbose).rstrip("\n"), ""]
    audit = report.extra.get("audit") or {}
    out.append((f"แคตตาล็อก {audit.get('ckan')} · ชุดข้อมูล {audit.get('datasets', 0)} ชุด" if th else
                f"Catalog {audit.get('ckan')} · {audit.get('datasets', 0)} datasets") +
               (" (รวมชุดข้อมูลส่วนตัว)" if th else " (private included)") * bool(audit.get("private_included")))
    links = audit.get("links") or {}
    if links.get("checked"):
        out.append(f"ตรวจลิงก์ {links['checked']} รายการ เสีย {links['broken']}" if th else
                   f"Links checked: {links['checked']}, broken: {links['broken']}")
    out.append("หน่วยงาน:" if th else "Organizations:")
    for row in report.extra.get("organizations") or []:
        if th:
            out.append(f"    {row['title']} ({row['name']}): ครบ {row['complete']}/{row['datasets']} ชุด "
                       f"({row['complete_percent']}%) · ทรัพยากร {row['resources']} · รูปแบบเปิด {row['open_format_resources']} · "
                       f"DataStore {row['datastore_resources']}" + _today_th(row))
        else:
            out.append(f"    {row['title']} ({row['name']}): {row['complete']}/{row['datasets']} complete "
                       f"({row['complete_percent']}%) · {row['resources']} resources · {row['open_format_resources']} open format · "
                       f"{row['datastore_resources']} in DataStore" + _today_en(row))
    out.append("")
    change = report.extra.get("compare")
    if change:
        from ..compare import compare_lines
        out.extend(compare_lines(change, lang=lang))
        out.append("")
    score = report.extra.get("score")
    if score:
        out.append(render_score_text(score, lang=lang).rstrip("\n"))
    return "\n".join(out) + "\n"


def _pct(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "–" if value is None else f"{value}%"


def _today_th(row: dict[str, Any]) -> str:
    """Open, current, registered and the organisation's own score (when the audit measured them)."""
    if "open" not in row:
        return ""
    score = row.get("score") or {}
    grade = (score.get("grade") or {}).get("th")
    return (f" · เปิด {row['open']} · เป็นปัจจุบัน {_pct(row, 'current_percent')} · ลงทะเบียน GD Catalog "
            f"{_pct(row, 'registered_percent')}" + (f" · คะแนน {score.get('total_display')} ({grade})" if score else ""))


def _today_en(row: dict[str, Any]) -> str:
    if "open" not in row:
        return ""
    score = row.get("score") or {}
    grade = (score.get("grade") or {}).get("en")
    return (f" · {row['open']} open · {_pct(row, 'current_percent')} current · {_pct(row, 'registered_percent')} "
            f"registered" + (f" · score {score.get('total_display')} ({grade})" if score else ""))
