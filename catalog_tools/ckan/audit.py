"""Audit a live CKAN catalog with the same rules as the workbook, and score it.

``audit_catalog(client, options)`` crawls every dataset (``package_search`` paging, private
ones when the token allows, ``fq=organization:NAME`` for one organization; the older
``current_package_list_with_resources`` when search fails), reads scheming top-level fields
and ``extras`` alike (:func:`~catalog_tools.loaders.ckan_json.package_records`), validates
with :func:`~catalog_tools.validate.validate_records`, checks resources (format openness,
DataStore, optionally link reachability) and scores the result with the KPI rubric. The
returned :class:`~catalog_tools.model.Report` carries ``score``, ``organizations`` and
``audit`` in ``extra``, so its JSON is the validate report plus those keys.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from ..loaders.ckan_json import package_records
from ..model import DatasetResult, Finding, Report
from ..options import ValidationOptions
from ..rules.online import audit_incomplete, audit_private_excluded, format_not_open, link_broken
from ..validate import validate_records
from .client import CkanClient, CkanError, CkanTimeout, CkanUnreachable
from .links import check_links
from .paging import PageStats, pages

#: the most datasets an audit reads (a hard cap on paging; Thai agency catalogs hold hundreds)
MAX_DATASETS = 200_000

_FALLBACK_FORMATS = {
    "open_formats": ["CSV", "XLSX", "XLS", "ODS", "JSON", "GEOJSON", "XML", "TSV", "KML", "SHP", "RDF", "TXT"],
    "api_formats": ["API", "REST", "WMS", "WFS", "ODATA", "SPARQL"],
}


@dataclass(slots=True)
class AuditOptions:
    org: str | None = None
    fy: int = 2566
    declarations: Path | None = None
    check_links: bool = False
    link_concurrency: int = 8
    link_timeout: float = 10.0
    page_size: int = 100
    max_datasets: int = MAX_DATASETS  #: hard cap on the crawl
    include_private: bool | None = None  #: None: when the client has a token
    validation: ValidationOptions = field(default_factory=ValidationOptions)


@lru_cache(maxsize=None)
def format_lists(fy: int = 2566) -> dict[str, frozenset[str]]:
    """Open and API format lists from the scoring rubric (the same lists the score uses)."""
    out = {k: frozenset(v) for k, v in _FALLBACK_FORMATS.items()}
    try:
        from ..scoring import load_rubric
        opts = load_rubric(fy).resolve_options(None)
    except Exception:  # scoring absent or rubric unreadable: the built-in lists
        return out
    for key in out:
        if opts.get(key):
            out[key] = frozenset(str(v).upper() for v in opts[key])
    return out


def crawl(client: CkanClient, *, org: str | None = None, page_size: int = 100, include_private: bool = False,
          stats: dict[str, Any] | None = None, max_datasets: int = MAX_DATASETS) -> Iterator[dict[str, Any]]:
    """Every dataset of the catalog (or of ``org``), each once, in name order; ``stats`` says how complete.

    ``package_search`` pages are read by :func:`.paging.pages` (stops on a repeated page, a
    cap of ``max_datasets``); when the ids seen fall short of the reported ``count`` a second
    pass in another order picks up datasets that shifted between pages. ``stats`` ends with
    ``method``, ``pages``, ``count`` (last reported), ``counts`` (every count reported),
    ``seen``, ``stopped`` and ``private_included`` (what really happened, not what was asked).
    When search fails before any dataset is seen, the older
    ``current_package_list_with_resources`` is used: it knows no count and lists public
    datasets only, and ``stats`` says so.
    """
    stats = stats if stats is not None else {}
    max_pages = max(1, -(-max_datasets // max(1, page_size)))
    keys = PageStats()
    counts: list[int] = []

    def search(sort: str) -> Callable[[int], list[Any]]:
        def fetch(start: int) -> list[Any]:
            data: dict[str, Any] = {"q": "*:*", "rows": page_size, "start": start, "sort": sort,
                                    "include_private": include_private}
            if org:
                data["fq"] = f'organization:"{org}"'
            page = client.call_action("package_search", data)
            stats["pages"] += 1
            counts.append(_count(page.get("count")))
            stats["count"], stats["counts"] = counts[-1], sorted(set(counts))
            return [p for p in page.get("results") or [] if isinstance(p, dict)]
        return fetch

    stats.update(method="package_search", pages=0, private_included=include_private, stopped=None)
    try:
        yield from pages(search("name asc"), key=_pkg_key, page_size=page_size, max_pages=max_pages,
                         done=lambda offset: offset >= counts[-1], stats=keys)
        if keys.stopped != "cap" and (len(keys.keys) < (counts[-1] if counts else 0) or len(set(counts)) > 1):
            stats["passes"] = 2  # pages shifted or repeated: read again in another order, keep what is new
            again = PageStats()
            for pkg in pages(search("metadata_modified desc"), key=_pkg_key, page_size=page_size,
                             max_pages=max_pages, done=lambda offset: offset >= counts[-1], stats=again):
                if _pkg_key(pkg) not in keys.keys:
                    keys.keys.add(_pkg_key(pkg))
                    yield pkg
            keys.stopped = keys.stopped or again.stopped
        recovered = keys.stopped == "repeat" and len(keys.keys) >= (counts[-1] if counts else 0)
        stats.update(seen=len(keys.keys), stopped=None if recovered else keys.stopped)
        return
    except (CkanUnreachable, CkanTimeout):  # the server is there but search is broken: fall back; else stop
        raise
    except CkanError:
        if stats["pages"] and keys.keys:
            raise
    stats.update(method="current_package_list_with_resources", pages=0, count=None, counts=[],
                 private_included=False)
    listing = PageStats()

    def fetch_list(offset: int) -> list[Any]:
        stats["pages"] += 1
        page = client.call_action("current_package_list_with_resources", {"limit": page_size, "offset": offset})
        return [p for p in page or [] if isinstance(p, dict)]

    for pkg in pages(fetch_list, key=_pkg_key, page_size=page_size, max_pages=max_pages, stats=listing):
        if org and (pkg.get("organization") or {}).get("name") != org:
            continue
        yield pkg
    stats.update(seen=len(listing.keys), stopped=listing.stopped)


def _pkg_key(pkg: dict[str, Any]) -> Any:
    return pkg.get("id") or pkg.get("name") or repr(sorted(pkg.items(), key=str))[:200]


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def crawl_findings(stats: dict[str, Any], *, private_wanted: bool, seen: int) -> list[Finding]:
    """Warnings for a listing that may have missed datasets or private ones (every output format shows them)."""
    return [*audit_incomplete(stats, seen), *audit_private_excluded(stats, private_wanted)]


def audit_catalog(client: CkanClient, options: AuditOptions | None = None, *,
                  progress: Callable[..., None] | None = None) -> Report:
    """Crawl, validate, check resources and score; see the module docstring."""
    options = options or AuditOptions()
    private = bool(getattr(client, "token", None)) if options.include_private is None else options.include_private
    stats: dict[str, Any] = {}
    packages: list[dict[str, Any]] = []
    for pkg in crawl(client, org=options.org, page_size=options.page_size, include_private=private, stats=stats,
                     max_datasets=options.max_datasets):
        packages.append(pkg)
        if progress:
            progress(len(packages))

    def records() -> Iterator[Any]:
        for i, pkg in enumerate(packages):
            yield from package_records(pkg, client.url, index=i)

    report = validate_records(records(), options=options.validation, inputs=[client.url])
    report.findings.extend(crawl_findings(stats, private_wanted=private, seen=len(packages)))
    links = _resource_checks(report, options, progress)
    report.extra["organizations"] = organizations(report)
    count = stats.get("count")
    report.extra["audit"] = {"ckan": client.url, "organization": options.org, "method": stats.get("method"),
                             "pages": stats.get("pages", 0), "private_included": bool(stats.get("private_included")),
                             "datasets": len(packages), "count_reported": count,
                             "complete": None if count is None else (len(packages) == count and not stats.get("stopped")),
                             "stopped": stats.get("stopped"), "links": links}
    report.extra["score"] = _score(report, options, client.url)
    return report


def _resource_checks(report: Report, options: AuditOptions, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    lists = format_lists(options.fy)
    urls = [r.url for d in report.datasets for r in d.resources if r.url] if options.check_links else []
    results = check_links(urls, concurrency=options.link_concurrency, timeout=options.link_timeout,
                          progress=progress) if urls else {}
    off = options.validation.ignored_codes()
    for d in report.datasets:
        for r in d.resources:
            if "format_not_open" not in off:
                r.findings.extend(format_not_open(d, r, lists["open_formats"], lists["api_formats"]))
            res = results.get(r.url or "")
            if res is not None and not res.ok and "link_broken" not in off:
                r.findings.extend(link_broken(d, r, res.reason))
    broken = sum(1 for x in results.values() if not x.ok)
    return {"checked": len(results), "broken": broken, "concurrency": options.link_concurrency,
            "timeout": options.link_timeout} if options.check_links else {"checked": 0}


def _org_of(d: DatasetResult) -> tuple[str, str]:
    org = (d.ckan or {}).get("organization") or {}
    name = org.get("name") or d.organization or "(none)"
    return str(name), str(org.get("title") or name)


def organizations(report: Report) -> list[dict[str, Any]]:
    """A per-organization summary: datasets, complete, private, resources, open formats, DataStore, findings."""
    lists = format_lists()
    rows: "OrderedDict[str, dict[str, Any]]" = OrderedDict()
    for d in sorted(report.datasets, key=lambda x: _org_of(x)[0]):
        name, title = _org_of(d)
        row = rows.setdefault(name, {"name": name, "title": title, "datasets": 0, "complete": 0, "private": 0,
                                     "resources": 0, "open_format_resources": 0, "datastore_resources": 0,
                                     "broken_links": 0, "errors": 0, "warnings": 0, "incomplete": []})
        row["datasets"] += 1
        row["complete"] += int(d.complete)
        row["private"] += int(bool((d.ckan or {}).get("private")))
        if not d.complete:
            row["incomplete"].append(d.id)
        for r in d.resources:
            row["resources"] += 1
            fmt = str(r.values.get("format") or "").upper()
            row["open_format_resources"] += int(fmt in lists["open_formats"] or fmt in lists["api_formats"])
            row["datastore_resources"] += int(bool((r.ckan or {}).get("datastore_active")))
            row["broken_links"] += sum(1 for f in r.findings if f.code == "link_broken")
        for f in d.all_findings():
            row["errors" if f.is_error else "warnings"] += 1
    for row in rows.values():
        row["complete_percent"] = round(100.0 * row["complete"] / row["datasets"], 2) if row["datasets"] else 0.0
    return list(rows.values())


def _score(report: Report, options: AuditOptions, url: str) -> Any:
    """The KPI score from :func:`catalog_tools.scoring.score_report` (everything on the catalog is uploaded)."""
    from ..scoring import score_report

    result = score_report(report, fy=options.fy, catalog_url=url, declarations=options.declarations,
                          catalog_reachable=True)
    return result.to_dict()
