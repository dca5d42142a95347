"""``catalog-tools publish``: send complete datasets to a CKAN catalog (create / update / unchanged)."""
from __future__ import annotations

from pathlib import Path

import click

from ..ckan.client import CkanError, CkanNotFound, CkanUnreachable, CkanUsageError, RemoteClient, read_token
from ..ckan.publish import PublishOptions, publish_report
from . import cli
from .common import CliError, emit, guard_paths, output_options
from .progress import progress_reporter
from .validate import build_options, load_and_validate, standard_options


def ckan_options(fn):
    """--ckan/--token-file/--insecure/--timeout/--retries, shared by publish and audit."""
    fn = click.option("--max-answer-mb", type=click.IntRange(1, 2048), default=64, show_default=True,
                      help="Largest CKAN answer read, in MiB; a larger one is refused.")(fn)
    fn = click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
                      help="Retries (with backoff, or the server's Retry-After up to 60 s) for connection errors, "
                           "429, and — for reads and patches only — timeouts and 5xx answers.")(fn)
    fn = click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True,
                      help="Seconds for each CKAN call in total (connecting, sending, the whole answer).")(fn)
    fn = click.option("--insecure", is_flag=True,
                      help="Allow sending the API token over plain http to a non-loopback host.")(fn)
    fn = click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                      help="File holding the CKAN API token (else the CKAN_API_TOKEN environment variable).")(fn)
    fn = click.option("--ckan", "ckan_url", required=True, metavar="URL", help="Base URL of the CKAN catalog.")(fn)
    return fn


def make_client(ckan_url: str, token_file: Path | None, insecure: bool, timeout: float, retries: int,
                max_answer_mb: int = 64) -> RemoteClient:
    """The CKAN client, or a one-line usage error."""
    try:
        token = read_token(token_file)
        return RemoteClient(ckan_url, token, timeout=timeout, retries=retries, insecure=insecure,
                            max_answer_bytes=max_answer_mb * 1024 * 1024)
    except CkanUsageError as exc:
        raise CliError(str(exc)) from None


def check_reachable(client: RemoteClient) -> None:
    try:
        client.call_action("status_show", {})
    except CkanUnreachable as exc:
        raise CliError(f"CKAN is unreachable: {exc} — ติดต่อระบบ CKAN ไม่ได้") from None
    except CkanError as exc:
        raise CliError(f"{client.url} does not answer like CKAN: {exc} — URL นี้ไม่ใช่ระบบ CKAN") from None


@cli.command("publish", short_help="Publish the complete datasets of Template 2/3 files to CKAN.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@ckan_options
@click.option("--org", default=None, metavar="NAME", help="CKAN organization (name) for every dataset; "
              "without it the workbook's organization is matched to a CKAN organization title or name.")
@click.option("--dry-run", is_flag=True, help="Print the plan; send nothing.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append one JSON line per dataset outcome to this file.")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Datasets sent at the same time (all to the one catalog; a 429 pauses them all).")
@click.option("--fields", type=click.Choice(["auto", "top-level", "extras"]), default="auto", show_default=True,
              help="Custom fields as top-level keys (ckanext-scheming) or extras; auto asks the server.")
@standard_options
@output_options("publish")
def publish_cmd(paths: tuple[str, ...], ckan_url: str, token_file: Path | None, insecure: bool, timeout: float,
                retries: int, max_answer_mb: int, org: str | None, dry_run: bool, log_path: Path | None, workers: int, fields: str,
                standard: str | None, config: Path | None, completeness: str | None, ignore: tuple[str, ...],
                fmt: str, output: Path | None, lang: str | None) -> None:
    """Validate PATH... and publish the complete datasets to CKAN.

    Exit 0: all sent or unchanged; 1: some skipped or failed; 2: bad usage or unreachable server.
    The API token comes from CKAN_API_TOKEN or --token-file, never from the command line.
    """
    guard_paths([*paths, config, token_file], output=output, log=log_path)
    options = build_options(standard, config, completeness, ignore)
    client = make_client(ckan_url, token_file, insecure, timeout, retries, max_answer_mb)
    report = load_and_validate(paths, options, "validate")
    check_reachable(client)
    popts = PublishOptions(org=org, dry_run=dry_run, fields=fields, log_path=log_path, workers=workers)
    try:
        with progress_reporter("publish", total=len(report.datasets)) as progress:
            result = publish_report(report, client, popts, progress=progress, secret=client.token)
    except CkanNotFound:
        raise CliError(f"organization {org!r} not found on {client.url} — ไม่พบหน่วยงานนี้ในระบบ CKAN") from None
    except CkanUnreachable as exc:
        raise CliError(f"CKAN is unreachable: {exc} — ติดต่อระบบ CKAN ไม่ได้") from None
    except CkanError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write the log {log_path}: {exc.strerror or exc}") from None
    emit(result, "publish", fmt, output, lang)
    if result.aborted:
        click.echo(f"catalog-tools: error: stopped early: {result.aborted}; run again to finish", err=True)
    raise SystemExit(result.exit_code)
