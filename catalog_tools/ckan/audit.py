"""Audit a live CKAN catalog with the same rules as the workbook, and score it.

``audit_catalog(client, options)`` crawls every dataset (``package_search`` paging, private
ones when the token allows, ``fq=organization:NAME`` for one organization; the older
``current_package_list_with_resources`` when search fails), reads scheming top-level fields
and ``extras`` alike (:func:`~catalog_tools.loaders.ckan_json.package_records`), validates
with :func:`~catalog_tools.validate.validate_records`, checks resources (format openness,
DataStore, optionally link reachability) and scores the result with the KPI rubric. The
returned :class:`~catalog_tools.results.AuditResult` holds the validation report, the
organisations table, the crawl facts and the score; its JSON is the validate report plus the
keys ``organizations``, ``audit`` and ``score``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..gcpause import gc_paused
from ..loaders.ckan_json import package_records
from ..model import DatasetResult, Finding, Report
from ..results import AuditResult, CrawlFacts, OrgSummary
from ..options import ValidationOptions
from ..rules.online import audit_incomplete, audit_private_excluded, format_not_open, link_broken
from ..gdcatalog import apply_gd_evidence
from ..portal import org_key
from ..timeliness import Early, apply_timeliness
from ..validate import validate_records
from .client import CkanClient, CkanError, CkanTimeout, CkanUnreachable
from .links import check_links
from .paging import PageStats, pages

if TYPE_CHECKING:
    from ..scoring.facts import FactsMemo
    from ..scoring.result import ScoreResult

#: the most datasets an audit reads (a hard cap on paging; Thai agency catalogs hold hundreds)
MAX_DATASETS = 200_000

@dataclass(slots=True)
class AuditOptions:
    org: str | None = None
    fy: int = 2566
    rubric_dir: Path | None = None  #: rubric files (fyYYYY.yaml) instead of the built-in ones
    declarations: Path | None = None
    check_links: bool = False
    link_concurrency: int = 8
    link_timeout: float = 10.0
    page_size: int = 100
    max_datasets: int = MAX_DATASETS  #: hard cap on the crawl
    include_private: bool | None = None  #: None: when the client has a token
    validation: ValidationOptions = field(default_factory=ValidationOptions)
    #: several organisations (``--org`` repeated); ``org`` alone is the same as ``orgs=(org,)``
    orgs: tuple[str, ...] = ()
    #: timeliness is always measured in an audit, as of this date (None: today)
    as_of: date | None = None
    #: GD Catalog evidence (docs/gd-catalog.md): the catalog's API, the harvester, an export file
    gd_catalog: str | None = None
    gd_harvester: str | None = None
    gd_export: Path | None = None
    #: SQLite file that keeps fetched datasets, so an interrupted audit resumes (ckan/cache.py)
    cache: Path | None = None
    #: with ``cache``: list only datasets modified on or after this ISO date; the rest from the cache
    since: str | None = None
    #: score every organisation on its own datasets in the organisations table
    org_scores: bool = True

    def scopes(self) -> tuple[str | None, ...]:
        """The organisations to crawl: the named ones, or the whole catalog (None)."""
        named = tuple(dict.fromkeys([*([self.org] if self.org else []), *self.orgs]))
        return named or (None,)


@lru_cache(maxsize=None)
def format_lists(fy: int, rubric_dir: Path | None = None) -> dict[str, frozenset[str]]:
    """The open and API format lists of the FY rubric — the very lists the score of that year uses.

    A rubric that cannot be read, or has no such lists, is an error (RubricError), never a silent
    fallback to other lists.
    """
    from ..scoring import RubricError, load_rubric

    opts = load_rubric(fy, rubric_dir).resolve_options(None)
    out = {}
    for key in ("open_formats", "api_formats"):
        if not isinstance(opts.get(key), list):
            raise RubricError(f"rubric FY{fy}: option {key!r} (a list of formats) is needed by the audit")
        out[key] = frozenset(str(v).upper() for v in opts[key])
    return out


def crawl(client: CkanClient, *, org: str | None = None, page_size: int = 100, include_private: bool = False,
          stats: dict[str, Any] | None = None, max_datasets: int = MAX_DATASETS,
          prefetch: bool = False, idle: Callable[[], None] | None = None) -> Iterator[dict[str, Any]]:
    """Every dataset of the catalog (or of ``org``), each once, in name order; ``stats`` says how complete.

    ``package_search`` pages are read by :func:`.paging.pages` (stops on a repeated page, a
    cap of ``max_datasets``); when the ids seen fall short of the reported ``count`` a second
    pass in another order picks up datasets that shifted between pages. ``stats`` ends with
    ``method``, ``pages``, ``count`` (last reported), ``counts`` (every count reported),
    ``seen``, ``stopped`` and ``private_included`` (what really happened, not what was asked).
    With ``prefetch`` the next page is on its way while the caller works on this one
    (:func:`.paging.pages`): an audit validates a page while CKAN prepares the next, and ``idle``
    is called when the caller is ready for a page that has not come yet.
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
                         done=lambda offset: offset >= counts[-1], stats=keys, prefetch=prefetch, idle=idle)
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
                  progress: Callable[..., None] | None = None) -> AuditResult:
    """Crawl, validate, check resources and score; see the module docstring.

    The cyclic collector stays paused throughout (``gcpause``): pages, records and results are
    acyclic, and collections between the phases walked them all again (15 % of an audit's own
    time at 10,000 datasets). Reference counting still frees everything.
    """
    with gc_paused():
        return _audit_catalog(client, options or AuditOptions(), progress)


def _audit_catalog(client: CkanClient, options: AuditOptions, progress: Callable[..., None] | None) -> AuditResult:
    format_lists(options.fy, options.rubric_dir)  # a broken rubric stops the audit before the crawl
    private = bool(getattr(client, "token", None)) if options.include_private is None else options.include_private
    stats: dict[str, Any] = {}
    cache_stats: list[dict[str, Any]] = []
    seen: set[Any] = set()
    findings: list[Finding] = []

    from ..scoring import load_rubric
    from ..scoring.facts import FactsMemo

    as_of = options.as_of or date.today()
    report = Report()
    early = Early(as_of, ignore=options.validation.ignored_codes())
    memo = FactsMemo()  # the catalogue's score and each organisation's share one set of dataset facts
    score_options = load_rubric(options.fy, options.rubric_dir).resolve_options(None)  # as score_report resolves them
    ready = 0

    def idle() -> None:
        """While the next page is on its way: the values-only work on the datasets validated so far
        (a page's datasets are settled once the validator asks for the next page's first record) —
        timeliness and the open-format assessment; both are checked again before use."""
        nonlocal ready
        settled = report.datasets[ready:]
        ready = len(report.datasets)
        early.add(settled)
        memo.prepare(settled, score_options, options.validation.public_category)

    def packages() -> Iterator[dict[str, Any]]:
        """Each dataset once, as its page arrives: validation runs while the next page is fetched."""
        for scope in options.scopes():
            scope_stats: dict[str, Any] = {}
            listed = 0
            for pkg in _crawl_scope(client, options, scope, private, scope_stats, cache_stats, idle):
                listed += 1
                key = _pkg_key(pkg)
                if key in seen:  # a dataset listed under two requested organisations is audited once
                    continue
                seen.add(key)
                if progress:
                    progress(len(seen))
                yield pkg
            findings.extend(crawl_findings(scope_stats, private_wanted=private, seen=listed))
            _merge_stats(stats, scope_stats)

    def records() -> Iterator[Any]:
        for i, pkg in enumerate(packages()):
            yield from package_records(pkg, client.url, index=i)

    validate_records(records(), options=options.validation, inputs=[client.url], into=report)
    audited = len(seen)
    report.findings.extend(findings)
    links = _resource_checks(report, options, progress)
    apply_timeliness(report, as_of, ignore=options.validation.ignored_codes(), early=early)
    gd_counts = apply_gd_evidence(report, public_category=options.validation.public_category,
                                  gd_catalog=options.gd_catalog, gd_harvester=options.gd_harvester,
                                  gd_export=options.gd_export, site_url=client.url)
    orgs = organizations(report, options.fy, options.rubric_dir)
    count = stats.get("count")
    scopes = [s for s in options.scopes() if s]
    crawl_facts = CrawlFacts(
        ckan=client.url, organization=options.org or (scopes[0] if len(scopes) == 1 else None),
        method=stats.get("method"), pages=stats.get("pages", 0), private_included=bool(stats.get("private_included")),
        datasets=audited, count_reported=count,
        complete=None if count is None else (audited == count and not stats.get("stopped")),
        stopped=stats.get("stopped"), links=links, organizations_requested=scopes, as_of=as_of.isoformat(),
        gd_catalog=gd_counts, cache=cache_stats or None)
    result = AuditResult(report=report, organizations=orgs, crawl=crawl_facts,
                         score=_score(report, options, client.url, memo))
    if options.org_scores:
        _add_org_stats(result, options, client.url, memo)
    return result


def _crawl_scope(client: CkanClient, options: AuditOptions, org: str | None, private: bool,
                 stats: dict[str, Any], cache_stats: list[dict[str, Any]],
                 idle: Callable[[], None] | None = None) -> Iterable[dict[str, Any]]:
    """One organisation (or the whole catalog): straight from CKAN page by page, or through the SQLite
    cache; ``idle``: work to do while a page is awaited (:func:`crawl`)."""
    if options.cache is None:
        return crawl(client, org=org, page_size=options.page_size, include_private=private, stats=stats,
                     max_datasets=options.max_datasets, prefetch=True, idle=idle)
    from .cache import CacheStats, PackageCache, cached_crawl

    cache = PackageCache(options.cache, url=client.url, scope=f"{org or '*'}|private={private}")
    cs = CacheStats()
    try:
        got = cached_crawl(client, cache, org=org, include_private=private, since=options.since,
                           max_datasets=options.max_datasets, stats=cs)
    finally:
        cache.close()
        cache_stats.append({"organization": org, **cs.to_dict()})
    stats.update(method="package_search (cached)", pages=cs.listing_pages + cs.batches, count=None if options.since else cs.listed,
                 stopped=cs.stopped, private_included=private)
    return got


def _merge_stats(total: dict[str, Any], part: dict[str, Any]) -> None:
    """Crawl facts of several organisations: pages and counts add up; any stop or fallback shows."""
    if not total:
        total.update(part)
        return
    total["pages"] = total.get("pages", 0) + part.get("pages", 0)
    if total.get("count") is not None and part.get("count") is not None:
        total["count"] = total["count"] + part["count"]
    else:
        total["count"] = None
    total["stopped"] = total.get("stopped") or part.get("stopped")
    total["private_included"] = bool(total.get("private_included")) and bool(part.get("private_included"))
    if part.get("method") != total.get("method"):
        total["method"] = f"{total.get('method')}, {part.get('method')}"


def _add_org_stats(result: AuditResult, options: AuditOptions, url: str, memo: "FactsMemo | None" = None) -> None:
    """Open, current and registered shares and each organisation's own score (docs/publishing.md)."""
    from ..portal import add_stats, organisation_stats
    from ..scoring import load_rubric, score_report
    from ..scoring.facts import is_current

    opts = load_rubric(options.fy, options.rubric_dir).resolve_options(None)
    rows = result.organizations
    single = len(rows) == 1

    def score(sub: Report) -> "ScoreResult":
        # one organisation alone is the whole audit: its row scores exactly as the audit does
        # (a row shows the total and grade only, so no fix-first ranking per organisation)
        return score_report(sub, fy=options.fy, catalog_url=url, catalog_reachable=True,
                            declarations=options.declarations if single else None, rubric_dir=options.rubric_dir,
                            validation=options.validation, detail=False, memo=memo)

    stats = organisation_stats(result.report, public_category=options.validation.public_category,
                               current=lambda d: is_current(d, opts), score=score)
    add_stats(rows, stats)


def _resource_checks(report: Report, options: AuditOptions, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    lists = format_lists(options.fy, options.rubric_dir)
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


def organizations(report: Report, fy: int, rubric_dir: Path | None = None) -> list[OrgSummary]:
    """A per-organization summary: datasets, complete, private, resources, open formats (of the FY rubric),
    DataStore, findings."""
    lists = format_lists(fy, rubric_dir)
    rows: dict[str, OrgSummary] = {}
    for d in sorted(report.datasets, key=lambda x: org_key(x)[0]):
        name, title = org_key(d)
        row = rows.get(name)
        if row is None:
            row = rows[name] = OrgSummary(name, title)
        row.datasets += 1
        row.complete += int(d.complete)
        row.private += int(bool((d.ckan or {}).get("private")))
        if not d.complete:
            row.incomplete.append(d.id)
        for r in d.resources:
            row.resources += 1
            fmt = str(r.values.get("format") or "").upper()
            row.open_format_resources += int(fmt in lists["open_formats"] or fmt in lists["api_formats"])
            row.datastore_resources += int(bool((r.ckan or {}).get("datastore_active")))
            row.broken_links += sum(1 for f in r.findings if f.code == "link_broken")
        for f in d.all_findings():
            if f.is_error:
                row.errors += 1
            else:
                row.warnings += 1
    for row in rows.values():
        row.complete_percent = round(100.0 * row.complete / row.datasets, 2) if row.datasets else 0.0
    return list(rows.values())


def _score(report: Report, options: AuditOptions, url: str, memo: "FactsMemo | None" = None) -> "ScoreResult":
    """The KPI score from :func:`catalog_tools.scoring.score_report` (everything on the catalog is uploaded)."""
    from ..scoring import score_report

    result = score_report(report, fy=options.fy, catalog_url=url, declarations=options.declarations,
                          catalog_reachable=True, rubric_dir=options.rubric_dir, validation=options.validation,
                          memo=memo)
    return result
