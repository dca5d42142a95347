"""``catalog-tools quality``: look inside every resource's file and measure its content."""
from __future__ import annotations

from pathlib import Path

import click

from ..exitcodes import FINDINGS, OK
from . import cli
from .common import CliError, emit, guard_paths, output_options
from .progress import progress_reporter
from .validate import build_options

_MB = 2**20


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
@click.option("--fy", type=click.Choice(["2565", "2566"]), default=None,
              help="Also score the KPI with the formats measured in the files (open-format item), not the declared ones.")
@output_options("quality")
@click.option("--verbose", "-v", is_flag=True, help="List every resource, not only those with findings.")
def quality_cmd(paths: tuple[str, ...], ckan_url: str | None, org: str | None, token_file: Path | None, insecure: bool,
                timeout: float, formulas: str, max_size: float, deadline: float, max_redirects: int, concurrency: int,
                per_host: int, head_first: bool, cache_dir: Path | None, no_cache: bool, cache_ttl: float, refresh: bool,
                fy: str | None, fmt: str, output: Path | None, lang: str | None, verbose: bool) -> None:
    """Measure the content of every resource of Template 2/3 workbooks (PATH...), of data files
    given directly, or of a CKAN catalog (--ckan URL): real format and encoding, openness stars,
    completeness, uniqueness, consistency and validity, naming the cells that cost each.

    Exit 0: no error findings; 1: error findings (unreachable, format mismatch, unreadable file);
    2: bad usage or unreadable input.
    """
    from ..quality.fetch import FetchOptions, default_cache_dir, extra_missing

    missing = extra_missing()
    if missing:
        raise CliError(missing)
    from ..quality.assess import QualityOptions
    from ..quality.run import measure_report
    from ..quality.sources import report_for_ckan, report_for_paths

    if bool(paths) == bool(ckan_url):
        raise CliError("give workbook paths or --ckan URL (one of them) — ระบุไฟล์ หรือ --ckan URL อย่างใดอย่างหนึ่ง")
    guard_paths([*paths, token_file], output=output)
    fo = FetchOptions(max_size=int(max_size * _MB), deadline=deadline, max_redirects=max_redirects,
                      concurrency=concurrency, per_host=per_host, head_first=head_first, refresh=refresh,
                      cache_dir=None if no_cache else (cache_dir or default_cache_dir()), ttl=cache_ttl * 3600)
    qo = QualityOptions(formulas=formulas)  # type: ignore[arg-type]
    options = build_options(None, None, None)
    if ckan_url:
        from ..ckan.client import CkanError, CkanUnreachable
        from .publish import check_reachable, make_client

        client = make_client(ckan_url, token_file, insecure, timeout, 3)
        check_reachable(client)
        try:
            with progress_reporter("quality") as progress:
                report = report_for_ckan(client, org=org, options=options, progress=progress)
        except CkanUnreachable as exc:
            raise CliError(f"CKAN is unreachable: {exc} — ติดต่อระบบ CKAN ไม่ได้") from None
        except CkanError as exc:
            raise CliError(str(exc)) from None
    else:
        for p in paths:
            if not Path(p).is_file():
                raise CliError(f"{p}: no such file — ไม่พบไฟล์")
        report = report_for_paths(list(paths), options)
        if report.load_errors:
            raise CliError(str(report.load_errors[0]))
    if fo.cache_dir is not None:
        try:
            fo.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot use the cache folder {fo.cache_dir}: {exc.strerror or exc} — ใช้โฟลเดอร์แคชไม่ได้") from None
    with progress_reporter("quality") as progress:
        measure_report(report, options=qo, fetch=fo, progress=progress)
    if fy:
        from ..scoring import score_report

        try:
            report.extra["score"] = score_report(report, fy=int(fy), catalog_url=ckan_url,
                                                 catalog_reachable=True if ckan_url else None,
                                                 options={"open_format_source": "measured"}).to_dict()
        except ValueError as exc:
            raise CliError(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__) from None
    emit(report, "quality", fmt, output, lang, verbose=verbose)
    raise SystemExit(FINDINGS if report.has_errors else OK)
