"""Terminal text for an audit: the validation text, then organizations and the score."""
from __future__ import annotations

from typing import Any

from ..results import AuditResult, OrgSummary
from . import register
from .score_text import render_score_text
from .text import render_text


@register("text", kinds=("audit",), description="validation text, per-organization summary and the score")
def render_audit(result: AuditResult, *, lang: str = "en", verbose: bool = False, **_: Any) -> str:
    th = lang == "th"
    out = [render_text(result.report, lang=lang, verbose=verbose).rstrip("\n"), ""]
    crawl = result.crawl
    out.append((f"แคตตาล็อก {crawl.ckan} · ชุดข้อมูล {crawl.datasets} ชุด" if th else
                f"Catalog {crawl.ckan} · {crawl.datasets} datasets") +
               (" (รวมชุดข้อมูลส่วนตัว)" if th else " (private included)") * bool(crawl.private_included))
    links = crawl.links or {}
    if links.get("checked"):
        out.append(f"ตรวจลิงก์ {links['checked']} รายการ เสีย {links['broken']}" if th else
                   f"Links checked: {links['checked']}, broken: {links['broken']}")
    out.append("หน่วยงาน:" if th else "Organizations:")
    for row in result.organizations:
        if th:
            out.append(f"    {row.title} ({row.name}): ครบ {row.complete}/{row.datasets} ชุด "
                       f"({row.complete_percent}%) · ทรัพยากร {row.resources} · รูปแบบเปิด {row.open_format_resources} · "
                       f"DataStore {row.datastore_resources}" + _today_th(row))
        else:
            out.append(f"    {row.title} ({row.name}): {row.complete}/{row.datasets} complete "
                       f"({row.complete_percent}%) · {row.resources} resources · {row.open_format_resources} open format · "
                       f"{row.datastore_resources} in DataStore" + _today_en(row))
    out.append("")
    if result.compare:
        from ..compare import compare_lines
        out.extend(compare_lines(result.compare, lang=lang))
        out.append("")
    out.append(render_score_text(result.score, lang=lang).rstrip("\n"))
    return "\n".join(out) + "\n"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value}%"


def _today_th(row: OrgSummary) -> str:
    """Open, current, registered and the organisation's own score (when the audit measured them)."""
    st = row.stats
    if st is None:
        return ""
    score = st.score or {}
    grade = (score.get("grade") or {}).get("th")
    return (f" · เปิด {st.open} · เป็นปัจจุบัน {_pct(st.current_percent)} · ลงทะเบียน GD Catalog "
            f"{_pct(st.registered_percent)}" + (f" · คะแนน {score.get('total_display')} ({grade})" if score else ""))


def _today_en(row: OrgSummary) -> str:
    st = row.stats
    if st is None:
        return ""
    score = st.score or {}
    grade = (score.get("grade") or {}).get("en")
    return (f" · {st.open} open · {_pct(st.current_percent)} current · {_pct(st.registered_percent)} "
            f"registered" + (f" · score {score.get('total_display')} ({grade})" if score else ""))
