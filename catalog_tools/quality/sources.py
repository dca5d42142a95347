"""Reports to measure: Template 2/3 workbooks (their resources' URLs and files), plain data
files given directly, and a CKAN catalog's datasets."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..model import DatasetResult, Report, ResourceResult, Source
from ..options import ValidationOptions
from ..validate import validate_paths


def report_for_paths(paths: list[str], options: ValidationOptions | None = None,
                     progress: Callable[..., None] | None = None) -> Report:
    """One report over ``paths``: a Template workbook contributes its datasets and resources; a
    file that is not one (a CSV of data, a PDF…) is measured as a resource of its own."""
    report = Report(inputs=list(paths))
    for path in paths:
        part = validate_paths([path], options=options, progress=progress)
        if part.load_errors or not part.datasets:
            p = Path(path)
            if not p.is_file():
                report.load_errors.extend(part.load_errors)
                continue
            report.datasets.append(_file_dataset(p, path))
            continue
        report.datasets.extend(part.datasets)
        report.standard = part.standard
    return report


def _file_dataset(p: Path, display: str) -> DatasetResult:
    src = Source(display)
    res = ResourceResult(name=p.name, url=p.name, source=src, values={"format": p.suffix.lstrip(".") or None})
    return DatasetResult(id=p.name, title=p.name, source=src, complete=False, items_complete=0, items_present=0,
                         resources=[res])


def report_for_ckan(client: Any, *, org: str | None = None, page_size: int = 100,
                    options: ValidationOptions | None = None,
                    progress: Callable[..., None] | None = None) -> tuple[Report, dict[str, Any]]:
    """Every dataset of the catalog (or of ``org``) with its resources, read and validated as the
    audit reads them (private ones too when the client has a token), and what was read: the
    catalog's ``url``, the ``organization`` asked for and the number of ``datasets`` (the
    ``ckan`` key of the quality JSON)."""
    from ..ckan.audit import crawl, crawl_findings
    from ..loaders.ckan_json import package_records
    from ..validate import validate_records

    private = bool(getattr(client, "token", None))
    stats: dict[str, Any] = {}
    packages = []
    for pkg in crawl(client, org=org, page_size=page_size, include_private=private, stats=stats):
        packages.append(pkg)
        if progress:
            progress(len(packages))
    records = (rec for i, pkg in enumerate(packages) for rec in package_records(pkg, client.url, index=i))
    report = validate_records(records, options=options, inputs=[client.url])
    report.findings.extend(crawl_findings(stats, private_wanted=private, seen=len(packages)))
    return report, {"url": client.url, "organization": org, "datasets": len(packages)}
