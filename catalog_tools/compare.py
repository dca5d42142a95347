"""Change over time: compare this run's JSON with a previous one (``--compare PREVIOUS.json``).

Auditors come back every year (and stewards every month): what was added or removed, which
datasets became complete or incomplete, which were newly registered on GD Catalog, which became
overdue, and how each organisation's score moved. Both sides are the project's own JSON documents
(``audit``, ``validate`` or ``score`` output, any version that has the keys used), matched by
dataset id; nothing is re-read from the inputs.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Mapping


class CompareError(ValueError):
    """The previous file cannot be used; one line for the CLI (exit 2)."""


#: the largest previous report read (a whole-portal audit of 10^5 datasets is well below this)
MAX_PREVIOUS_BYTES = 512 * 1024 * 1024


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_previous(path: str | Path) -> dict[str, Any]:
    """The previous report, checked for the shapes :func:`compare` reads, so a broken or foreign
    file is one line (exit 2) before any work rather than an error after a long audit."""
    from .fileio import InputTooLarge, NotRegularFile, read_input_bytes

    p = Path(path)
    try:
        raw = read_input_bytes(p, max_bytes=MAX_PREVIOUS_BYTES)
    except (NotRegularFile, InputTooLarge) as exc:
        raise CompareError(f"{p}: {exc}") from None
    except OSError as exc:
        raise CompareError(f"{p}: cannot read the previous report ({exc.strerror or exc}) — อ่านไฟล์ผลครั้งก่อนไม่ได้") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (ValueError, RecursionError):  # also bad UTF-8, NaN/Infinity and nesting too deep
        raise CompareError(f"{p}: not a catalog-tools JSON report — ไฟล์ผลครั้งก่อนไม่ใช่ JSON ของ catalog-tools") from None
    if not isinstance(data, dict) or not ("datasets" in data or "items" in data):
        raise CompareError(f"{p}: not a catalog-tools JSON report (no datasets or score) — "
                           f"ไฟล์ผลครั้งก่อนไม่ใช่ผลของ catalog-tools")
    problem = _shape_problem(data)
    if problem:
        raise CompareError(f"{p}: not a catalog-tools JSON report ({problem}) — ไฟล์ผลครั้งก่อนไม่ใช่ผลของ catalog-tools ({problem})")
    return data


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _shape_problem(doc: Mapping[str, Any]) -> str | None:
    """What in ``doc`` is not of the shape our reports have (None when all is well)."""
    datasets = doc.get("datasets")
    if "datasets" in doc and not isinstance(datasets, list):
        return "datasets is not a list"
    for i, d in enumerate(datasets or []):
        if not isinstance(d, Mapping):
            return f"datasets[{i}] is not an object"
        key = d.get("id")
        if key is not None and (not isinstance(key, (str, int)) or isinstance(key, bool)):
            return f"datasets[{i}].id is not a string"
        if "source" in d and d["source"] is not None and not isinstance(d["source"], Mapping):
            return f"datasets[{i}].source is not an object"
    score = _score(doc) if isinstance(doc.get("score", {}), Mapping) else None
    if "score" in doc and doc["score"] is not None and not isinstance(doc["score"], Mapping):
        return "score is not an object"
    if score is not None and score.get("total") is not None and not _is_number(score.get("total")):
        return "score total is not a number"
    orgs = doc.get("organizations")
    if orgs is not None and not isinstance(orgs, list):
        return "organizations is not a list"
    for i, r in enumerate(orgs or []):
        if not isinstance(r, Mapping) or not isinstance(r.get("name"), str):
            return f"organizations[{i}] has no name"
        sc = r.get("score")
        if sc is not None and (not isinstance(sc, Mapping) or (sc.get("total") is not None and not _is_number(sc["total"]))):
            return f"organizations[{i}].score is not a score"
    return None


def _datasets(doc: Mapping[str, Any], duplicates: list[str] | None = None) -> dict[str, Mapping[str, Any]]:
    """Datasets by id; a repeated id keeps its first dataset and is listed in ``duplicates``."""
    out: dict[str, Mapping[str, Any]] = {}
    for d in doc.get("datasets") or []:
        if isinstance(d, Mapping):
            src = d.get("source")
            key = d.get("id") or (src.get("ckan_id") if isinstance(src, Mapping) else None)
            if key is None or key == "" or isinstance(key, (bool, dict, list)):
                continue
            if str(key) in out:
                if duplicates is not None:
                    duplicates.append(str(key))
                continue
            out[str(key)] = d
    return out


def _registered(d: Mapping[str, Any]) -> bool | None:
    gd = d.get("gd_catalog")
    return None if not isinstance(gd, Mapping) else gd.get("state") == "registered"


def _overdue(d: Mapping[str, Any]) -> bool | None:
    t = d.get("timeliness")
    if not isinstance(t, Mapping) or t.get("band") is None:
        return None
    return bool(t["band"])


def _score(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if "items" in doc and "total" in doc:
        return doc
    s = doc.get("score")
    return s if isinstance(s, Mapping) else None


def compare(previous: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """What changed from ``previous`` to ``current`` (plain data; the ``compare`` key of the JSON)."""
    dup_before: list[str] = []
    dup_after: list[str] = []
    before, after = _datasets(previous, dup_before), _datasets(current, dup_after)
    common = sorted(set(before) & set(after))
    both = "datasets" in previous and "datasets" in current
    if not both:  # a score JSON holds no datasets: only the totals can be compared
        before, after, common = {}, {}, []
    out: dict[str, Any] = {
        "datasets_compared": both,
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "became_complete": [k for k in common if not before[k].get("complete") and after[k].get("complete")],
        "became_incomplete": [k for k in common if before[k].get("complete") and not after[k].get("complete")],
        "newly_registered": [k for k in sorted(after) if _registered(after[k]) and not _registered(before.get(k, {}))],
        "no_longer_registered": [k for k in common if _registered(before[k]) and _registered(after[k]) is False],
        "newly_overdue": [k for k in sorted(after) if _overdue(after[k]) and _overdue(before.get(k, {})) is not True],
        "no_longer_overdue": [k for k in common if _overdue(before[k]) and _overdue(after[k]) is False],
    }
    if dup_before or dup_after:  # compared by their first dataset; said, never silent
        out["duplicate_ids"] = {"before": sorted(set(dup_before)), "after": sorted(set(dup_after))}
    s0, s1 = _score(previous), _score(current)
    if s0 is not None and s1 is not None:
        out["score"] = {"before": s0.get("total"), "after": s1.get("total"),
                        "delta": round(float(s1.get("total") or 0) - float(s0.get("total") or 0), 2),
                        "fy_before": s0.get("fy"), "fy_after": s1.get("fy")}
    orgs0 = {r.get("name"): r for r in previous.get("organizations") or [] if isinstance(r, Mapping)}
    rows = []
    for r in current.get("organizations") or []:
        if not isinstance(r, Mapping):
            continue
        old = orgs0.get(r.get("name"))
        row: dict[str, Any] = {"name": r.get("name"), "title": r.get("title"),
                               "datasets_before": old.get("datasets") if old else None, "datasets_after": r.get("datasets")}
        t0 = ((old or {}).get("score") or {}).get("total") if old else None
        t1 = (r.get("score") or {}).get("total")
        row.update(total_before=t0, total_after=t1,
                   delta=round(float(t1) - float(t0), 2) if t0 is not None and t1 is not None else None)
        rows.append(row)
    for name, old in orgs0.items():
        if name not in {r["name"] for r in rows}:
            rows.append({"name": name, "title": old.get("title"), "datasets_before": old.get("datasets"),
                         "datasets_after": 0, "total_before": (old.get("score") or {}).get("total"),
                         "total_after": None, "delta": None})
    if rows:
        out["organizations"] = rows
    out["counts"] = {k: len(v) for k, v in out.items() if isinstance(v, list) and k != "organizations"}
    out["previous"] = {"fy": (s0 or {}).get("fy"), "inputs": previous.get("inputs")}
    return out


_LABELS = {
    "added": ("ชุดข้อมูลที่เพิ่มขึ้น", "added"),
    "removed": ("ชุดข้อมูลที่หายไป", "removed"),
    "became_complete": ("กลายเป็นครบ 14 รายการ", "became complete"),
    "became_incomplete": ("กลายเป็นไม่ครบ 14 รายการ", "became incomplete"),
    "newly_registered": ("ลงทะเบียน GD Catalog ใหม่", "newly registered on GD Catalog"),
    "no_longer_registered": ("ไม่ได้ลงทะเบียน GD Catalog แล้ว", "no longer registered"),
    "newly_overdue": ("กลายเป็นไม่เป็นปัจจุบัน", "newly overdue"),
    "no_longer_overdue": ("กลับมาเป็นปัจจุบัน", "no longer overdue"),
}


def compare_lines(change: Mapping[str, Any], *, lang: str = "en", limit: int = 10) -> list[str]:
    """The comparison as text lines (Thai or English), for the text renderers."""
    th = lang == "th"
    out = ["การเปลี่ยนแปลงจากครั้งก่อน" if th else "Changes since the previous report"]
    for key, (label_th, label_en) in _LABELS.items():
        ids = change.get(key) or []
        if ids:
            shown = ", ".join(ids[:limit]) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
            out.append(f"  {label_th if th else label_en}: {len(ids)} — {shown}")
    if len(out) == 1 and change.get("datasets_compared", True):
        out.append("  ไม่มีการเปลี่ยนแปลงของชุดข้อมูล" if th else "  no dataset changed")
    elif not change.get("datasets_compared", True):
        out.append("  ผลครั้งก่อนไม่มีรายการชุดข้อมูล (เปรียบเทียบเฉพาะคะแนน)" if th else
                   "  the previous report has no dataset list: only scores are compared")
    sc = change.get("score")
    if sc:
        out.append(f"  {'คะแนนรวม' if th else 'total'}: {sc['before']} → {sc['after']} ({sc['delta']:+.2f})")
    for r in change.get("organizations") or []:
        if r.get("delta") is not None and r["delta"] != 0:
            out.append(f"  {r.get('title') or r.get('name')}: {r['total_before']} → {r['total_after']} ({r['delta']:+.2f})")
    return out
