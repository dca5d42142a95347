"""Terminal text for a validation report: grouped per dataset, errors first, one line each."""
from __future__ import annotations

from typing import Any

from ..model import DatasetResult, Finding, Report
from . import register

_MARK = {"ok": "✓", "bad": "✗"}


def _msg(f: Finding, lang: str) -> str:
    return f.message_th if lang == "th" else f.message


def _line(f: Finding, lang: str, indent: str) -> str:
    sev = ("ข้อผิดพลาด" if f.is_error else "คำเตือน") if lang == "th" else ("error" if f.is_error else "warning")
    where = f.location or ""
    item = f"[{f.item}] " if f.item else ""
    return f"{indent}{sev:<8} {f.code:<18} {where:<22} {item}{_msg(f, lang)}"


def render_dataset(d: DatasetResult, lang: str, *, verbose: bool = False) -> list[str]:
    clean = d.complete and not any(f.severity == "error" for f in d.all_findings())
    mark = _MARK["ok"] if clean else _MARK["bad"]
    items = f"{d.items_complete}/14"
    label = "รายการครบ" if lang == "th" else "items"
    lines = [f"{mark} {d.id or '(no id)'}  {d.title or ''}  — {items} {label}"]
    ordered = sorted(d.findings, key=_order) if len(d.findings) > 1 else d.findings
    lines += [_line(f, lang, "    ") for f in ordered]
    for r in d.resources:
        if r.findings or verbose:
            head = "ทรัพยากร" if lang == "th" else "resource"
            lines.append(f"    {head} {r.index + 1}: {r.name or ''} {r.url or ''}".rstrip())
            lines += [_line(f, lang, "      ") for f in sorted(r.findings, key=lambda f: not f.is_error)]
    return lines


def _order(f: Finding) -> tuple[bool, str]:
    return (not f.is_error, f.item or "99")


@register("text", kinds=("validate",), description="readable terminal text grouped per dataset")
def render_text(report: Report, *, lang: str = "en", verbose: bool = False, **_: Any) -> str:
    out: list[str] = []
    for d in report.datasets:
        if verbose or d.findings or any(r.findings for r in d.resources) or not d.complete:
            out += render_dataset(d, lang, verbose=verbose)
        else:
            out.append(f"{_MARK['ok']} {d.id}  {d.title or ''}  — 14/14 {'รายการครบ' if lang == 'th' else 'items'}")
    if report.findings:
        out.append("")
        out.append("ทั้งไฟล์:" if lang == "th" else "Whole input:")
        out += [_line(f, lang, "    ") for f in sorted(report.findings, key=lambda f: not f.is_error)]
    s = report.summary()
    out.append("")
    if lang == "th":
        out.append(f"ชุดข้อมูล {s['datasets']} ชุด ครบ 14 รายการ {s['complete']} ชุด · ทรัพยากร {s['resources']} รายการ · "
                   f"ข้อผิดพลาด {s['errors']} · คำเตือน {s['warnings']}")
    else:
        out.append(f"{s['datasets']} datasets, {s['complete']} complete (14/14) · {s['resources']} resources · "
                   f"{s['errors']} errors · {s['warnings']} warnings")
    return "\n".join(out) + "\n"
