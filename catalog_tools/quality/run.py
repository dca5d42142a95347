"""Content quality for a whole report: every resource of every dataset fetched once, measured,
and the results attached (``resources[].quality``, ``datasets[].quality``, ``quality`` summary).

The report comes from the workbook validator (Template 3 rows: an http(s) URL, or a file
next to the workbook) or from a CKAN crawl (``datastore_active`` gives preview/API). The same
URL listed by several resources is fetched and measured once.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from ..messages import make_finding
from ..model import DatasetResult, Finding, Report, ResourceResult
from ..results import QualityResult
from .assess import Assessment, Fetched, QualityOptions, assess
from .fetch import FetchOptions, Fetcher, run_bounded

METRICS = ("completeness", "uniqueness", "consistency", "validity")


@dataclass(slots=True)
class Target:
    """Where one resource's bytes are: an http(s) URL, a local file, or nowhere (``why``)."""

    key: str
    url: str | None = None
    path: Path | None = None
    why_en: str = ""
    why_th: str = ""
    name: str = "resource"
    resources: list[tuple[DatasetResult, ResourceResult]] = field(default_factory=list)


def resolve(r: ResourceResult, base: Path | None) -> Target:
    """The resource's target: http(s) URL, a file under the workbook's folder, or why neither."""
    raw = str(r.url or "").strip()
    name = _name(raw, r)
    scheme = urlsplit(raw).scheme.lower() if raw else ""
    if scheme in ("http", "https"):
        return Target("url:" + raw, url=raw, name=name)
    if not raw:
        return Target(f"none:{id(r)}", why_en="the resource has no URL", why_th="ทรัพยากรข้อมูลไม่มี URL", name=name)
    if scheme in ("", "file") and base is not None:
        rel = unquote(urlsplit(raw).path) if scheme == "file" else raw
        try:
            root = base.resolve()
            cand = (root / rel).resolve()
        except (OSError, ValueError):
            cand = None
        if cand is not None and cand.is_relative_to(root) and cand.is_file():
            return Target("file:" + str(cand), path=cand, name=name)
        if cand is not None and not cand.is_relative_to(root):
            return Target(f"none:{id(r)}", why_en="the file is outside the workbook's folder; not read",
                          why_th="ไฟล์อยู่นอกโฟลเดอร์ของแบบฟอร์ม จึงไม่อ่าน", name=name)
        return Target(f"none:{id(r)}", why_en=f"no such file next to the workbook: {raw}",
                      why_th=f"ไม่พบไฟล์ {raw} ในโฟลเดอร์เดียวกับแบบฟอร์ม", name=name)
    return Target(f"none:{id(r)}", why_en="not an http(s) URL", why_th="ไม่ใช่ URL แบบ http(s)", name=name)


def _name(raw: str, r: ResourceResult) -> str:
    path = unquote(urlsplit(raw).path) if raw else ""
    last = path.rstrip("/").rsplit("/", 1)[-1] if path else ""
    text = last or str(r.name or "") or f"resource {r.index + 1}"
    return "".join(ch for ch in text if ch.isprintable() and ch not in "!")[:80] or f"resource {r.index + 1}"


def read_local(path: Path, max_size: int) -> Fetched:
    """A local file as if fetched: at most ``max_size`` bytes, never more read."""
    try:
        size = path.stat().st_size
        if size > max_size:
            return Fetched(None, False, size=size, too_large=True, error_en="over the size limit",
                           error_th="ไฟล์ใหญ่เกินขีดจำกัด")
        with open(path, "rb") as fh:
            data = fh.read(max_size + 1)
    except OSError as exc:
        return Fetched(None, False, error_en=f"cannot be read ({exc.strerror or exc})", error_th="อ่านไฟล์ไม่ได้")
    if len(data) > max_size:
        return Fetched(None, False, size=len(data), too_large=True, error_en="over the size limit",
                       error_th="ไฟล์ใหญ่เกินขีดจำกัด")
    return Fetched(data, True, size=len(data))


def measure_report(report: Report, *, options: QualityOptions | None = None, fetch: FetchOptions | None = None,
                   keep_metadata: bool = False, progress: Callable[[int, int], None] | None = None,
                   fetcher: Fetcher | None = None, ignore: frozenset[str] = frozenset()) -> QualityResult:
    """Measure every resource of ``report`` in place; return it with the content summary.

    The metrics land on the report's resources and datasets (``quality``); the summary over
    all of them is the result's ``quality`` — the caller adds the catalog facts or a score.

    ``keep_metadata`` keeps the metadata findings (``audit --content``); the ``quality``
    command reports the content alone. Codes in ``ignore`` (``--ignore``, ``ignore:`` in a
    config, resolved from codes or the ``content`` group) are left out; the metrics still
    count what they would have named.
    """
    o = options or QualityOptions()
    fo = fetch or FetchOptions()
    own = fetcher is None
    fetcher = fetcher or Fetcher(fo)
    targets: dict[str, Target] = {}
    for d in report.datasets:
        if not keep_metadata:
            d.findings = []
        for r in d.resources:
            if not keep_metadata:
                r.findings = []
            base = Path(r.source.path).parent if r.ckan is None and r.source.path else None
            t = resolve(r, base)
            targets.setdefault(t.key, t).resources.append((d, r))
    if not keep_metadata:  # an incomplete crawl (audit_*) still says the numbers cover less than the catalog
        report.findings = [f for f in report.findings if f.code.startswith("audit_")]
    limit_text = _size_text(fo.max_size)

    # Downloads overlap (network-bound, ``concurrency`` of them); measuring is CPU-bound under the
    # GIL, so only as many files as there are cores are measured at once — more would only hold
    # more tables in memory at the same time (peak RSS), not finish sooner.
    cpu = threading.Semaphore(max(1, min(fo.concurrency, os.cpu_count() or 1)))

    def work(t: Target) -> Assessment:
        if t.url:
            got = fetcher.get(t.url)
        elif t.path:
            got = read_local(t.path, fo.max_size)
        else:
            got = Fetched(None, False, error_en=t.why_en, error_th=t.why_th)
        declared = next((r.values.get("format") for _, r in t.resources if r.values.get("format")), None)
        # a CKAN resource without DataStore has no preview/API; a workbook row cannot tell (None)
        portal = [r.ckan for _, r in t.resources if r.ckan is not None]
        datastore = any(c.get("datastore_active") in (True, "true", "True") for c in portal) if portal else None
        with cpu:
            return assess(got, name=t.name, declared=declared, datastore=datastore, limit_text=limit_text, options=o)

    todo = list(targets.values())
    try:
        results = run_bounded(todo, work, concurrency=fo.concurrency, progress=progress,
                              key=lambda t: urlsplit(t.url).netloc if t.url else "")
    finally:
        if own:
            fetcher.close()
    for t, a in zip(todo, results):
        for d, r in t.resources:
            r.quality = dict(a.quality)
            r.findings.extend(f for f in _findings(a, d, r) if f.code not in ignore)
    for d in report.datasets:
        d.quality = dataset_quality([r.quality for r in d.resources if r.quality is not None], o.formulas)
    return QualityResult(report, summary(report, o, fo, fetcher.requests))


def _findings(a: Assessment, d: DatasetResult, r: ResourceResult) -> list[Finding]:
    out = []
    for issue in a.issues:
        f = make_finding(issue.code, value=issue.value, location=issue.location, dataset=d.id, source=r.source,
                         **issue.context)
        f.resource = r.index
        out.append(f)
    return out


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def dataset_quality(qs: list[dict[str, Any]], formulas: str = "catalog-tools") -> dict[str, Any]:
    """A dataset's metrics from its resources'.

    catalog-tools: each table metric is the mean over the resources that hold a table (a PDF
    has no empty cells to count). dquality: the mean over all resources, a resource without a
    table counting 0 — its documented behaviour, which marks a dataset down for adding a PDF.
    """
    out: dict[str, Any] = {"resources": len(qs), "measured": sum(1 for q in qs if q.get("reachable"))}
    for m in METRICS:
        vals = [q[m] for q in qs if q.get(m) is not None]
        if formulas == "dquality":
            vals = [q.get(m) or 0.0 for q in qs]
        out[m] = _mean(vals)
    stars = [q["stars"] for q in qs if q.get("stars") is not None]
    out["stars"] = max(stars) if stars else None
    out["machine_readable"] = any(q.get("machine_readable") for q in qs) if qs else None
    out["reachable"] = all(q.get("reachable") for q in qs) if qs else None
    utf = [q["utf8"] for q in qs if q.get("utf8") is not None]
    out["utf8"] = all(utf) if utf else None
    out["format_mismatch"] = any(q.get("format_mismatch") for q in qs)
    out["preview"] = any(q.get("preview") for q in qs) if any(q.get("preview") is not None for q in qs) else None
    out["api"] = out["preview"]
    out["rows"] = sum(q.get("rows") or 0 for q in qs)
    out["size"] = sum(q.get("size") or 0 for q in qs)
    return out


def summary(report: Report, o: QualityOptions, fo: FetchOptions, requests: dict[str, int]) -> dict[str, Any]:
    """Totals and per-organization means for the report's ``quality`` key."""
    qs = [r.quality for d in report.datasets for r in d.resources if r.quality is not None]
    orgs: dict[str, dict[str, Any]] = {}
    for d in report.datasets:
        org = ((d.ckan or {}).get("organization") or {}) if d.ckan else {}
        name = str(org.get("name") or d.organization or d.values.get("owner_org") or "(none)")
        entry = orgs.setdefault(name, {"name": name, "title": str(org.get("title") or name), "datasets": 0, "_q": []})
        entry["datasets"] += 1
        entry["_q"].extend(r.quality for r in d.resources if r.quality is not None)
    org_list = []
    for entry in orgs.values():
        agg = dataset_quality(entry.pop("_q"), o.formulas)
        org_list.append(entry | agg)
    total = dataset_quality(qs, o.formulas)
    return {
        "formulas": o.formulas,
        "resources": len(qs),
        "reachable": sum(1 for q in qs if q.get("reachable")),
        "tabular": sum(1 for q in qs if q.get("completeness") is not None),
        "machine_readable": sum(1 for q in qs if q.get("machine_readable")),
        "format_mismatch": sum(1 for q in qs if q.get("format_mismatch")),
        "not_utf8": sum(1 for q in qs if q.get("utf8") is False),
        "means": {m: total[m] for m in METRICS},
        "stars": {str(s): sum(1 for q in qs if q.get("stars") == s) for s in range(6)},
        "organizations": sorted(org_list, key=lambda e: e["name"]),
        "fetch": {"requests": dict(requests), "cache_hits": sum(1 for q in qs if q.get("cache") == "hit"),
                  "max_size": fo.max_size, "concurrency": fo.concurrency, "per_host": fo.per_host,
                  "deadline": fo.deadline},
    }


def _size_text(n: int) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"
