"""``catalog-tools quality``: look inside every resource's file and measure its content."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..exitcodes import FINDINGS, OK
from . import cli
from .build import check_reachable, ckan_errors, client, fiscal_year, validation_options
from .common import CliError, emit, guard_paths
from .options import CkanArgs, OutputArgs, ValidationArgs, output_options
from .progress import progress_reporter

_MB = 2**20


@dataclass(frozen=True, kw_only=True)
class QualityArgs(OutputArgs):
    paths: tuple[str, ...] = ()
    ckan_url: str | None = None
    org: str | None = None
    token_file: Path | None = None
    insecure: bool = False
    timeout: float = 30.0
    formulas: str = "catalog-tools"
    max_size: float = 32.0
    deadline: float = 60.0
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 4
    head_first: bool = False
    cache_dir: Path | None = None
    no_cache: bool = False
    cache_ttl: float = 24.0
    refresh: bool = False
    fy: int | None = None
    ignore: tuple[str, ...] = ()
    verbose: bool = False


def execute(args: QualityArgs) -> int:
    from ..quality.fetch import FetchOptions, default_cache_dir, extra_missing

    missing = extra_missing()
    if missing:
        raise CliError(missing)
    from ..quality.assess import QualityOptions
    from ..quality.run import measure_report
    from ..quality.sources import report_for_ckan, report_for_paths

    if bool(args.paths) == bool(args.ckan_url):
        raise CliError("give workbook paths or --ckan URL (one of them) — ระบุไฟล์ หรือ --ckan URL อย่างใดอย่างหนึ่ง")
    guard_paths([*args.paths, args.token_file], output=args.output)
    fy = fiscal_year(args.fy, None) if args.fy is not None else None
    fo = FetchOptions(max_size=int(args.max_size * _MB), deadline=args.deadline, max_redirects=args.max_redirects,
                      concurrency=args.concurrency, per_host=args.per_host, head_first=args.head_first,
                      refresh=args.refresh, cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
                      ttl=args.cache_ttl * 3600)
    qo = QualityOptions(formulas=args.formulas)  # type: ignore[arg-type]
    from ..rules import resolve_ignore

    try:
        ignore = resolve_ignore(args.ignore)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    options = validation_options(ValidationArgs())
    source: dict[str, Any] | None = None  # the catalog measured (the JSON's ``ckan`` key)
    if args.ckan_url:
        ckan = client(CkanArgs(ckan_url=args.ckan_url, token_file=args.token_file, insecure=args.insecure,
                               timeout=args.timeout))
        check_reachable(ckan)
        with ckan_errors(org=args.org, url=ckan.url), progress_reporter("quality") as progress:
            report, source = report_for_ckan(ckan, org=args.org, options=options, progress=progress)
    else:
        for p in args.paths:
            if not Path(p).is_file():
                raise CliError(f"{p}: no such file — ไม่พบไฟล์")
        report = report_for_paths(list(args.paths), options)
        if report.load_errors:
            raise CliError(str(report.load_errors[0]))
    if fo.cache_dir is not None:
        try:
            fo.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot use the cache folder {fo.cache_dir}: {exc.strerror or exc} — ใช้โฟลเดอร์แคชไม่ได้") from None
    with progress_reporter("quality") as progress:
        result = measure_report(report, options=qo, fetch=fo, progress=progress, ignore=ignore)
    result.ckan = source
    if fy:
        from ..scoring import score_report

        try:
            result.score = score_report(report, fy=fy, catalog_url=args.ckan_url,
                                        catalog_reachable=True if args.ckan_url else None,
                                        options={"open_format_source": "measured"}, validation=options)
        except ValueError as exc:
            raise CliError(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__) from None
    emit(result, args.fmt, args.output, args.lang, verbose=args.verbose)
    return FINDINGS if result.report.has_errors else OK


@cli.command("quality", short_help="Look inside every resource's file: format, encoding, completeness, validity.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--ckan", "ckan_url", default=None, metavar="URL", help="Measure the resources of this CKAN catalog instead of files.")
@click.option("--org", default=None, metavar="NAME", help="With --ckan: only this organization (name).")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --ckan: file holding the API token (else CKAN_API_TOKEN) to include private datasets.")
@click.option("--insecure", is_flag=True, help="With --ckan: allow the token over plain http to a non-loopback host.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True, help="Seconds to wait for each CKAN answer.")
@click.option("--formulas", type=click.Choice(["catalog-tools", "dquality"]), default="catalog-tools", show_default=True,
              help="'dquality': count placeholders against consistency too and type a column by its first row, as the portal's tool does.")
@click.option("--max-size", type=click.FloatRange(0.001, 4096), default=32.0, show_default=True, metavar="MB",
              help="Files larger than this are not downloaded or read.")
@click.option("--deadline", type=click.FloatRange(0.5, 3600), default=60.0, show_default=True,
              help="Seconds for one whole download (connect, redirects and body).")
@click.option("--max-redirects", type=click.IntRange(0, 30), default=5, show_default=True)
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True, help="Files fetched at the same time.")
@click.option("--per-host", type=click.IntRange(1, 64), default=4, show_default=True, help="Files fetched at the same time from one host.")
@click.option("--head-first", is_flag=True, help="Ask HEAD before GET so too-large or unchanged files are not downloaded.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where downloaded files are kept between runs (default: ~/.cache/catalog-tools/content).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the download cache.")
@click.option("--cache-ttl", type=click.FloatRange(0, None), default=24.0, show_default=True, metavar="HOURS",
              help="Cached files younger than this are used without asking the server; older ones are revalidated.")
@click.option("--refresh", is_flag=True, help="Revalidate every cached file with its server.")
@click.option("--fy", type=int, default=None, metavar="YEAR",
              help="Also score the KPI of this fiscal year (a built-in rubric) with the formats measured in the files "
                   "(open-format item), not the declared ones.")
@click.option("--ignore", multiple=True, metavar="CODE|GROUP",
              help="Leave findings with this code (or every code of the group, e.g. 'content') out; the metrics still count them.")
@output_options("quality")
@click.option("--verbose", "-v", is_flag=True, help="List every resource, not only those with findings.")
def quality_cmd(**parsed: Any) -> None:
    """Measure the content of every resource of Template 2/3 workbooks (PATH...), of data files
    given directly, or of a CKAN catalog (--ckan URL): real format and encoding, openness stars,
    completeness, uniqueness, consistency and validity, naming the cells that cost each.

    Exit 0: no error findings; 1: error findings (unreachable, format mismatch, unreadable file);
    2: bad usage or unreadable input.
    """
    raise SystemExit(execute(QualityArgs(**parsed)))
