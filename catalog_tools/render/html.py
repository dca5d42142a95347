"""One self-contained HTML report for validate, score and audit results.

Auditors hand reports to managers, often offline, so the file carries everything: inline CSS,
inline SVG charts, no fonts or images fetched from the network. The one script is ours (it sorts
tables whose header is clicked): the Content-Security-Policy allows exactly its SHA-256 hash, so
a ``<script>`` that came in with the data never runs. Thai renders with
``lang="th"`` and a Thai-capable font stack. Sections appear when their data exists: summary,
KPI by level with a points-earned-vs-possible chart (score, audit), completeness per item
across datasets, per-organization tables (audit), the fix-first list, findings per dataset.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..model import DatasetResult, Finding, Report
from ..results import AuditResult
from ..schemas_api import schema_info
from . import register
from .html_parts import CSS, SORT_SCRIPT, SORT_SCRIPT_HASH, bar_chart, esc, level_label, number, pick, t, table
from .rows import value_text

if TYPE_CHECKING:
    from ..scoring.result import ScoreResult


def _score_doc(score: ScoreResult | dict[str, Any]) -> dict[str, Any]:
    """The score's JSON document: a ``ScoreResult``, or a score document already in that shape
    (the JSON of ``catalog-tools score``, read back to make a page of it)."""
    return score if isinstance(score, dict) else score.to_dict()


def render_page(result: Report | ScoreResult | AuditResult | dict[str, Any], kind: str | None = None,
                lang: str = "th") -> str:
    """The whole HTML document for a validation report, a score or an audit (``kind``: its title; by default
    the result's own kind)."""
    return "".join(iter_page(result, kind, lang))


def iter_page(result: Report | ScoreResult | AuditResult | dict[str, Any], kind: str | None = None,
              lang: str = "th") -> Iterator[str]:
    """``render_page`` in pieces: a report of 100,000 datasets is written without holding the page.

    The sections before the findings are small and built first (the page's head depends on
    them: the script hash is allowed only when a sortable table is present); the findings per
    dataset follow in chunks of a few hundred datasets.
    """
    from . import kind_of

    report: Report | None = None
    score: dict[str, Any] | None = None
    orgs: list[dict[str, Any]] = []
    change: dict[str, Any] | None = None
    if isinstance(result, AuditResult):
        report, score, change = result.report, _score_doc(result.score), result.compare
        orgs = [o.to_dict() for o in result.organizations]
    elif isinstance(result, Report):
        report = result
    else:
        score = _score_doc(result)
        change = score.get("compare")
    kind = kind or ("score" if isinstance(result, dict) else kind_of(result))
    title = t(f"title_{kind}", lang)
    body: list[str] = [f'<header><h1>{esc(title)}</h1>']
    if report is not None:
        body.append(f'<p class="meta">{esc(t("inputs", lang))}: {esc(", ".join(report.inputs))} · '
                    f'{esc(t("standard", lang))} {esc(report.standard)}</p>')
    elif score is not None and score.get("inputs"):
        body.append(f'<p class="meta">{esc(t("inputs", lang))}: {esc(", ".join(map(str, score["inputs"])))}</p>')
    if score is not None and score.get("fy"):
        body.append(f'<p class="meta">{esc(t("fy", lang))} {esc(score.get("fy"))}</p>')
    body.append("</header>")
    if report is not None:
        body.append(_summary(report, lang))
    elif score is not None and isinstance(score.get("summary"), dict):
        body.append(_summary_cards(score["summary"], lang))
    if score is not None:
        body.append(_kpi(score, lang))
    if report is not None and report.dataset_lists:
        body.append(_dataset_lists(report, lang))
    if report is not None and report.datasets:
        body.append(_completeness(report, lang))
    if orgs:
        body.append(_organizations(orgs, lang))
    body.append(_fix_first(score, report, lang))
    if change:
        body.append(_compare(change, lang))
    sortable = any('class="orgs sortable"' in b for b in body)
    yield ("<!DOCTYPE html>\n"
           f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           + (f"img-src data:; script-src '{SORT_SCRIPT_HASH}'\">" if sortable else "img-src data:\">")
           + f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n" + "\n".join(b for b in body if b))
    if report is not None:  # the findings per dataset: the bulk of a large report, written in pieces
        yield "\n"
        yield from _datasets(report, lang)
    yield (f"\n<script>{SORT_SCRIPT}</script>" if sortable else "") + "\n</body></html>\n"


def _summary(report: Report, lang: str) -> str:
    return _summary_cards(report.summary(), lang)


def _summary_cards(s: dict[str, Any], lang: str) -> str:
    styles = {"datasets": "", "complete": "ok", "resources": "", "errors": "err", "warnings": "warn"}
    cards = [(k, s[k], c) for k, c in styles.items() if k in s]
    html = "".join(f'<div class="card {c}" data-key="{k}"><span class="n">{esc(v)}</span>{esc(t(k, lang))}</div>'
                   for k, v, c in cards)
    return f'<section id="summary"><h2>{esc(t("summary", lang))}</h2><div class="cards">{html}</div></section>'


def _lost_text(lost: list[Any]) -> str:
    parts = []
    for x in lost[:20]:
        if isinstance(x, dict):
            who = x.get("dataset") or "—"
            amount = x.get("lost_display") or (number(x.get("lost")) if x.get("lost") is not None else "")
            parts.append(f"{who} (−{amount})" if amount else str(who))
        else:
            parts.append(str(x))
    text = ", ".join(value_text(p, 80) for p in parts)
    return text + (f" … (+{len(lost) - 20})" if len(lost) > 20 else "")


def _kpi(score: dict[str, Any], lang: str) -> str:
    items = [i for i in score.get("items") or [] if isinstance(i, dict)]
    rubric = score.get("rubric") if isinstance(score.get("rubric"), dict) else {}
    out = [f'<section id="kpi"><h2>{esc(t("kpi", lang))}</h2>']
    if rubric:
        out.append(f'<p class="meta">{esc(pick(rubric, "title", lang))}</p>')
    rows = []
    chart_rows = []
    for it in items:
        name = pick(it, "title", lang) or it.get("key", "")
        gate = it.get("max") in (None, 0)
        points = ("✓" if it.get("met") else "✗") if gate and "met" in it else number(it.get("points"))
        rows.append([level_label(it.get("level"), lang), str(name), points, "" if gate else number(it.get("max")),
                     value_text(pick(it, "basis", lang), 300), _lost_text(it.get("lost_by") or [])])
        if not gate:
            short = str(name) if len(str(name)) <= 32 else str(name)[:31] + "…"
            chart_rows.append((short, _f(it.get("points")), _f(it.get("max"))))
    heads = [t("level", lang), t("item", lang), t("points", lang), t("max", lang), t("basis", lang), t("lost_by", lang)]
    out.append(table(heads, rows, cls="kpi-items"))
    details = score.get("level_details")
    levels = score.get("levels")
    lrows = []
    if isinstance(details, list) and details:
        for lv in (d for d in details if isinstance(d, dict)):
            lrows.append([str(pick(lv, "title", lang) or level_label(lv.get("key"), lang)), number(lv.get("points")),
                          number(lv.get("max")), number(lv.get("target")),
                          ("✓" if lv.get("met") else "✗") if not lv.get("max") else ""])
    elif isinstance(levels, dict):
        for key, v in levels.items():
            v = v if isinstance(v, dict) else {"points": v}
            met = v.get("met", v.get("reached"))
            lrows.append([level_label(key, lang), "✓" if v.get("points") is True else number(v.get("points")),
                          number(v.get("max")), number(v.get("target")), "" if met is None else ("✓" if met else "✗")])
    if lrows:
        target = "เป้าหมาย" if lang == "th" else "Target"
        reached = "ผ่าน" if lang == "th" else "Met"
        out.append(table([t("level", lang), t("points", lang), t("max", lang), target, reached], lrows, cls="kpi-levels"))
    total = score.get("total")
    if total is not None:
        total_text = number(total.get("points", total.get("score")) if isinstance(total, dict) else total)
        if score.get("max_total"):
            total_text += f" / {number(score['max_total'])}"
        out.append(f'<p class="total" id="kpi-total"><strong>{esc(t("total", lang))}: {esc(total_text)}</strong></p>')
    out.append(_grade_and_readings(score, lang))
    if chart_rows:
        out.append(f"<h3>{esc(t('chart', lang))}</h3>")
        out.append(bar_chart(chart_rows, label=t("chart", lang), chart_id="chart-points"))
    out.append("</section>")
    return "".join(out)


def _grade_and_readings(score: dict[str, Any], lang: str) -> str:
    """The grade band, the weighted score and the readings of contested rules that were used."""
    th = lang == "th"
    out = []
    g = score.get("grade")
    if isinstance(g, dict) and g.get("key"):
        label = "ระดับผลการประเมิน" if th else "Grade"
        out.append(f'<p class="grade" id="kpi-grade">{esc(label)}: <strong>{esc(g.get("th" if th else "en", g["key"]))}</strong></p>')
    if score.get("weighted_display") is not None:
        w = score.get("weight")
        label = (f"คะแนนถ่วงน้ำหนัก (น้ำหนัก {w:g})" if th else f"Weighted (weight {w:g})") if isinstance(w, (int, float)) \
            else ("คะแนนถ่วงน้ำหนัก" if th else "Weighted")
        out.append(f'<p class="weighted" id="kpi-weighted">{esc(label)}: <strong>{esc(score["weighted_display"])}</strong></p>')
    readings = [r for r in score.get("readings") or [] if isinstance(r, dict)]
    if readings:
        head = "การตีความเกณฑ์ที่ใช้" if th else "Readings used"
        items = "".join(f"<li>{esc(r.get('text_th' if th else 'text', ''))}</li>" for r in readings)
        out.append(f'<div class="readings" id="kpi-readings"><p>{esc(head)}:</p><ul>{items}</ul></div>')
    return "".join(out)


def _f(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


_LIST_ROWS = 500


def _dataset_lists(report: Report, lang: str) -> str:
    """Each Template 1 list: its four fields, then its datasets with the Template 2 match."""
    out = [f'<section id="template1"><h2>{esc(t("template1", lang))}</h2>']
    for dl in report.dataset_lists:
        focus = dl.values.get("focus_area") or ""
        shown = dl.scope or (f"{focus} ({t('not_valid', lang)})" if focus else "—")
        fields = [[t("focus_area", lang), value_text(shown, 200)], [t("issue", lang), value_text(dl.values.get("issue") or "—", 300)],
                  [t("goal", lang), value_text(dl.values.get("goal") or "—", 300)],
                  [t("agencies", lang), value_text(", ".join(dl.values.get("agencies") or []) or "—", 300)]]
        out.append(f'<h3>{esc(dl.source.sheet or "")} — {esc(dl.source.path)}</h3>')
        out.append(table(["", ""], fields, cls="template1-fields"))
        rows = [[str(e.row), value_text(e.mission or "", 120), value_text(e.process or "", 120), value_text(e.subprocess or "", 80),
                 value_text(e.id or "", 60), value_text(e.title or "", 200), "✓" if e.matched else "✗"]
                for e in dl.entries[:_LIST_ROWS]]
        heads = ["#", t("mission", lang), t("process", lang), t("subprocess", lang), t("dataset_id", lang), t("dataset", lang),
                 t("in_template2", lang)]
        out.append(table(heads, rows, cls="template1-datasets"))
        if len(dl.entries) > _LIST_ROWS:
            out.append(f"<p>… (+{len(dl.entries) - _LIST_ROWS})</p>")
    out.append("</section>")
    return "".join(out)


def _completeness(report: Report, lang: str) -> str:
    info = schema_info("dataset", report.standard if report.standard in ("2.2", "2.0") else "2.2")
    by_item: dict[str, str] = {}
    for spec in info.ordered_item_fields():
        group = spec.item_group or ""
        by_item.setdefault(group, spec.label(lang) if group != "9" else
                           ("ความถี่ของการปรับปรุงข้อมูล" if lang == "th" else "Update frequency"))
    n = len(report.datasets)
    failing: Counter[str] = Counter()
    for d in report.datasets:  # one pass, not one per item
        if d.failed_items:
            failing.update(set(d.failed_items))
    rows = []
    table_rows = []
    for item in info.items or tuple(by_item):
        ok = n - failing[item]
        pct = 100.0 * ok / n if n else 0.0
        label = f"{item}. {by_item.get(item, '')}"
        rows.append((label[:40], pct, 100.0))
        table_rows.append([label, f"{ok}/{n}", f"{pct:.0f}%"])
    chart = bar_chart(rows, label=t("completeness", lang), percent=True, chart_id="chart-completeness")
    tbl = table([t("item", lang), t("datasets", lang), "%"], table_rows, cls="completeness")
    return f'<section id="completeness"><h2>{esc(t("completeness", lang))}</h2>{chart}{tbl}</section>'


_ORG_HEADS = {"name": ("หน่วยงาน", "Organization"), "title": ("ชื่อหน่วยงาน", "Title"), "datasets": ("ชุดข้อมูล", "Datasets"),
              "complete": ("ครบ 14 รายการ", "Complete"), "errors": ("ข้อผิดพลาด", "Errors"), "warnings": ("คำเตือน", "Warnings"),
              "score": ("คะแนน", "Score"), "total": ("คะแนนรวม", "Total"), "resources": ("ทรัพยากร", "Resources"),
              "private": ("ไม่เผยแพร่ (private)", "Private"), "open_format_resources": ("ทรัพยากรรูปแบบเปิด", "Open-format resources"),
              "datastore_resources": ("ทรัพยากรใน DataStore", "DataStore resources"), "broken_links": ("ลิงก์เสีย", "Broken links"),
              "complete_percent": ("ร้อยละที่ครบ", "% complete"), "open": ("ชุดข้อมูลเปิด", "Open"),
              "open_complete": ("ชุดข้อมูลเปิดที่ครบ", "Open and complete"), "current": ("เป็นปัจจุบัน", "Current"),
              "current_percent": ("ร้อยละที่เป็นปัจจุบัน", "% current"), "registered": ("ลงทะเบียน GD Catalog", "Registered"),
              "registered_percent": ("ร้อยละที่ลงทะเบียน", "% registered"), "score_total": ("คะแนน", "Score"),
              "grade": ("ระดับ", "Grade")}


def _organizations(orgs: list[dict[str, Any]], lang: str) -> str:
    """The per-organisation table (sortable by any column) and, when scored, a chart of their totals."""
    rows = [_flat_org(r, lang) for r in orgs]
    if not rows:
        return ""
    keys: list[str] = []
    for r in rows:
        for k, v in r.items():
            if k not in keys and (v is None or isinstance(v, (str, int, float, bool))) and not k.endswith("_th"):
                keys.append(k)
    heads = [(_ORG_HEADS.get(k, (k, k))[0 if lang == "th" else 1]) for k in keys]
    body = [[number(v) if isinstance(v, float) else value_text(pick(r, k, lang), 200) for k in keys for v in [r.get(k)]]
            for r in rows]
    scored = [(str(r.get("title") or r.get("name")), float(r["score_total"]), 100.0) for r in rows
              if isinstance(r.get("score_total"), (int, float))]
    chart = bar_chart(scored, label=t("org_scores", lang), chart_id="org-scores") if len(scored) > 1 else ""
    hint = f'<p class="meta">{esc(t("sort_hint", lang))}</p>'
    return (f'<section id="organizations"><h2>{esc(t("organizations", lang))}</h2>{hint}'
            f'{table(heads, body, cls="orgs sortable")}{chart}</section>')


def _flat_org(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """A row with its nested score as plain columns (total, grade in the report's language)."""
    score = row.get("score")
    if not isinstance(score, dict):
        return row
    out = {k: v for k, v in row.items() if k != "score"}
    out["score_total"] = score.get("total")
    grade = score.get("grade")
    if isinstance(grade, dict):
        out["grade"] = grade.get("th" if lang == "th" else "en")
    return out


def _fix_first(score: dict[str, Any] | None, report: Report | None, lang: str) -> str:
    rows: list[list[str]] = []
    if score is not None and score.get("fix_first"):
        for fx in score["fix_first"][:50]:
            if isinstance(fx, dict):
                who = fx.get("dataset") or ("ทั้งหน่วยงาน" if lang == "th" else "whole agency")
                rows.append([value_text(who, 120), number(fx.get("gain")), value_text(pick(fx, "fix", lang), 400)])
        heads = [t("dataset", lang), t("gain", lang), t("fix", lang)]
    elif report is not None:
        # Without a score: the datasets closest to complete first — the quickest wins.
        pending = sorted((d for d in report.datasets if not d.complete), key=lambda d: (len(d.failed_items), d.id or ""))
        for d in pending[:50]:
            rows.append([f"{d.id or ''} {d.title or ''}".strip(), ", ".join(d.failed_items),
                         " · ".join(_msg(f, lang) for f in d.findings if f.is_error)[:400]])
        heads = [t("dataset", lang), t("missing_items", lang), t("fix", lang)]
    if not rows:
        return ""
    return f'<section id="fix-first"><h2>{esc(t("fix_first", lang))}</h2>{table(heads, rows, cls="fix-first")}</section>'


def _msg(f: Finding, lang: str) -> str:
    return f.message_th if lang == "th" else f.message


def _finding_rows(findings: list[Finding], lang: str, resource: str = "") -> list[list[str]]:
    out = []
    for f in sorted(findings, key=lambda f: not f.is_error):
        sev = f'<span class="sev-{esc(f.severity)}">{esc(t(f.severity if f.severity in ("error", "warning") else "warning", lang))}</span>'
        out.append([sev, esc(f.code), esc(resource), esc(f.item or ""), esc(f.location or ""), esc(_msg(f, lang)),
                    esc(f.suggestion or "")])
    return out


_CHUNK = 500  # datasets per piece of the page: few writes, small pieces


def _datasets(report: Report, lang: str) -> Iterator[str]:
    heads = [t("severity", lang), t("code", lang), t("resource", lang), t("item", lang), t("location", lang),
             t("message", lang), t("suggestion", lang)]
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    parts = [f'<section id="datasets"><h2>{esc(t("findings", lang))}</h2>']
    for d in report.datasets:
        parts.append(_dataset_block(d, head, lang))
        if len(parts) >= _CHUNK:
            yield "".join(parts)
            parts = []
    if report.findings:
        parts.append(f'<h3 id="input-findings">{esc(t("input_findings", lang))}</h3>')
        parts.append(table(heads, _finding_rows(report.findings, lang), cls="findings", raw=True))
    parts.append("</section>")
    yield "".join(parts)


_SEVERITY: dict[tuple[str, str], str] = {}


def _severity_cell(severity: str, lang: str) -> str:
    """The escaped severity cell; two kinds, worked out once each."""
    key = (severity, lang)
    cell = _SEVERITY.get(key)
    if cell is None:
        cell = _SEVERITY[key] = (f'<span class="sev-{esc(severity)}">'
                                 f'{esc(t(severity if severity in ("error", "warning") else "warning", lang))}</span>')
    return cell


def _dataset_block(d: DatasetResult, head: str, lang: str) -> str:
    """One dataset's ``<details>``: the same markup ``table()`` writes, without building rows of lists."""
    th = lang == "th"
    cells: list[str] = []
    errs = warns = 0
    for findings, resource in ((d.findings, ""), *((r.findings, esc(f"{r.index + 1}. {r.name or ''}")) for r in d.resources)):
        for f in sorted(findings, key=_warning_first) if len(findings) > 1 else findings:
            if f.severity == "error":
                errs += 1
            else:
                warns += 1
            cells.append(f"<tr><td>{_severity_cell(f.severity, lang)}</td><td>{esc(f.code)}</td><td>{resource}</td>"
                         f"<td>{esc(f.item or '')}</td><td>{esc(f.location or '')}</td>"
                         f"<td>{esc(f.message_th if th else f.message)}</td><td>{esc(f.suggestion or '')}</td></tr>")
    badge = (f'<span class="badge ok">{d.items_complete}/14</span>' if d.complete else
             f'<span class="badge err">{d.items_complete}/14</span>')
    if errs:
        badge += f'<span class="badge err">{esc(t("errors", lang))} {errs}</span>'
    if warns:
        badge += f'<span class="badge warn">{esc(t("warnings", lang))} {warns}</span>'
    summary = f"<summary>{esc(d.id or '')} — {esc(d.title or '')} {badge}</summary>"
    inner = (f'<table class="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(cells)}</tbody></table>' if cells
             else f"<p>{esc(t('no_findings', lang))}</p>")
    opened = " open" if errs else ""
    return f'<details class="dataset" data-id="{esc(d.id or "")}"{opened}>{summary}{inner}</details>'


def _warning_first(f: Finding) -> bool:
    return not f.is_error


def _render(kind: str) -> Callable[..., Iterator[str]]:
    def fn(result: Any, *, lang: str = "th", **_: Any) -> Iterator[str]:
        return iter_page(result, kind, lang)
    return fn


register("html", kinds=("validate",), description="self-contained HTML report (inline CSS and SVG)")(_render("validate"))
register("html", kinds=("score",), description="self-contained HTML report (inline CSS and SVG)")(_render("score"))
register("html", kinds=("audit",), description="self-contained HTML report (inline CSS and SVG)")(_render("audit"))


def _compare(change: dict[str, Any], lang: str) -> str:
    """``--compare``: what changed since the previous report, as a list (ids escaped like every value)."""
    from ..compare import compare_lines

    lines = compare_lines(change, lang=lang, limit=50)
    items = "".join(f"<li>{esc(line.strip())}</li>" for line in lines[1:])
    return f'<section id="compare"><h2>{esc(lines[0])}</h2><ul>{items}</ul></section>'
