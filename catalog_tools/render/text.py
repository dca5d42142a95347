"""Terminal text for a validation report: grouped per dataset, errors first, one line each."""
from __future__ import annotations

from typing import Any

from ..model import DatasetResult, Finding, Report
from . import register

_MARK = {"ok": "✓", "bad": "✗"}


#: the start of a finding's line, up to its place, for each indent, language, severity and code:
#: the same few dozen starts repeat on every line of a large report (formatted once each)
_STARTS: dict[tuple[str, str, str, str], str] = {}


def _line(f: Finding, lang: str, indent: str) -> str:
    key = (indent, lang, f.severity, f.code)
    start = _STARTS.get(key)
    if start is None:
        sev = ("ข้อผิดพลาด" if f.is_error else "คำเตือน") if lang == "th" else ("error" if f.is_error else "warning")
        start = f"{indent}{sev:<8} {f.code:<18} "
        if len(_STARTS) < 1_000:
            _STARTS[key] = start
    where = f.location or ""
    msg = f.message_th if lang == "th" else f.message
    if f.item:
        return f"{start}{where:<22} [{f.item}] {msg}"
    return f"{start}{where:<22} {msg}"


def _clean(d: DatasetResult) -> bool:
    """Complete, and no error among its findings or its resources'."""
    if not d.complete:
        return False
    for f in d.findings:
        if f.severity == "error":
            return False
    for r in d.resources:
        for f in r.findings:
            if f.severity == "error":
                return False
    return True


def render_dataset(d: DatasetResult, lang: str, *, verbose: bool = False) -> list[str]:
    findings = d.findings
    mark = _MARK["ok"] if _clean(d) else _MARK["bad"]
    label = "รายการครบ" if lang == "th" else "items"
    lines = [_head(mark, d, label)]
    if len(findings) == 1:
        lines.append(_line(findings[0], lang, "    "))
    elif findings:
        lines += [_line(f, lang, "    ") for f in sorted(findings, key=_order)]
    for r in d.resources:
        if r.findings or verbose:
            head = "ทรัพยากร" if lang == "th" else "resource"
            lines.append(f"    {head} {r.index + 1}: {r.name or ''} {r.url or ''}".rstrip())
            lines += [_line(f, lang, "      ") for f in sorted(r.findings, key=lambda f: not f.is_error)]
    return lines


def _head(mark: str, d: DatasetResult, label: str) -> str:
    """A dataset's first line: its mark, id, title and how many of the 14 items are complete."""
    return f"{mark} {d.id or '(no id)'}  {d.title or ''}  — {d.items_complete}/14 {label}"


def _order(f: Finding) -> tuple[bool, str]:
    return (not f.is_error, f.item or "99")


@register("text", kinds=("validate",), description="readable terminal text grouped per dataset")
def render_text(report: Report, *, lang: str = "en", verbose: bool = False, **_: Any) -> str:
    out: list[str] = []
    label = "รายการครบ" if lang == "th" else "items"
    ok, bad = _MARK["ok"], _MARK["bad"]
    for d in report.datasets:
        findings = d.findings
        if len(findings) == 1 and not d.resources and not verbose:  # most datasets of a large report: inline
            f = findings[0]
            mark = ok if d.complete and f.severity != "error" else bad
            out.append(_head(mark, d, label))
            out.append(_line(f, lang, "    "))
        elif verbose or findings or any(r.findings for r in d.resources) or not d.complete:
            out += render_dataset(d, lang, verbose=verbose)
        else:
            out.append(f"{ok} {d.id}  {d.title or ''}  — 14/14 {label}")
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
