"""Builders: turn parsed option values into library objects, and map library errors to one CLI line.

Every command goes parse → build → execute. The builders here are the only place that knows how
an option becomes a ``ValidationOptions``, a CKAN client, a fiscal year or a declarations object,
and :func:`ckan_errors` is the only place that turns CKAN/HTTP failures into the one-line exit-2
message.
"""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import click

from ..model import LoadError, Report
from ..options import OptionsError, ValidationOptions
from ..validate import validate_paths
from .common import CliError
from .options import CkanArgs, ValidationArgs
from .progress import progress_reporter

if TYPE_CHECKING:  # the CKAN client, scoring and YAML load only for the commands that use them (start-up time)
    from ..ckan.client import RemoteClient
    from ..scoring import Declarations

UNREACHABLE = "CKAN is unreachable: {exc} — ติดต่อระบบ CKAN ไม่ได้"

def validation_options(args: ValidationArgs) -> ValidationOptions:
    """Options from --config (if any) with command-line values on top."""
    overrides = {"standard": args.standard, "completeness": args.completeness, "ignore": args.ignore or None}
    try:
        if args.config is not None:
            return ValidationOptions.from_file(args.config, **overrides)
        return ValidationOptions.from_mapping({}, **overrides)
    except OptionsError as exc:
        raise CliError(str(exc)) from None

def validated_report(paths: tuple[str, ...] | list[str], options: ValidationOptions, label: str,
                     jobs: int | None = None) -> Report:
    """Validate ``paths`` with a progress bar. Unreadable inputs stay in ``report.load_errors``.

    ``jobs`` (``--jobs``; None: two processes where two CPUs are usable) shares a large sheet's
    rows with a forked helper (``catalog_tools.shard``). The bar then draws on each update, with
    no thread of its own: a process is forked only while it has one thread.
    """
    from ..shard import auto_jobs

    with progress_reporter(label, refresh_thread=False) as progress:
        return validate_paths(paths, options=options, progress=progress, jobs=jobs or auto_jobs())

def require_readable(report: Report) -> None:
    """Stop (exit 2) when an input could not be read: a score or a publish must not run on part of the data."""
    if report.load_errors:
        for err in report.load_errors[1:]:
            click.echo(f"catalog-tools: error: {err}", err=True)
        raise CliError(str(report.load_errors[0]))

def report_load_errors(errors: list[LoadError]) -> None:
    """One line per unreadable input on stderr."""
    for err in errors:
        click.echo(f"catalog-tools: error: {err}", err=True)

def client(args: CkanArgs) -> RemoteClient:
    """The CKAN client, or a one-line usage error."""
    from ..ckan.client import CkanUsageError, RemoteClient, read_token

    try:
        token = read_token(args.token_file)
        return RemoteClient(args.ckan_url, token, timeout=args.timeout, retries=args.retries, insecure=args.insecure,
                            max_answer_bytes=args.max_answer_mb * 1024 * 1024)
    except CkanUsageError as exc:
        raise CliError(str(exc)) from None

def check_reachable(ckan: RemoteClient) -> None:
    """Ask the server's status first, so a wrong URL is one clear line before any work."""
    from ..ckan.client import CkanError, CkanUnreachable

    try:
        ckan.call_action("status_show", {})
    except CkanUnreachable as exc:
        raise CliError(UNREACHABLE.format(exc=exc)) from None
    except CkanError as exc:
        raise CliError(f"{ckan.url} does not answer like CKAN: {exc} — URL นี้ไม่ใช่ระบบ CKAN") from None

@contextmanager
def ckan_errors(*, org: str | None = None, url: str = "", log_path: Path | None = None) -> Iterator[None]:
    """Map CKAN and HTTP failures (and rubric, declarations and log-file errors met while working) to the
    one-line exit-2 message; the only such mapping in the CLI."""
    from ..ckan.client import CkanError, CkanNotFound, CkanUnreachable
    from ..ckan.cache import CacheError
    from ..gdcatalog import GdExportError
    from ..scoring import DeclarationsError, RubricError

    try:
        yield
    except CkanNotFound:
        raise CliError(f"organization {org!r} not found on {url} — ไม่พบหน่วยงานนี้ในระบบ CKAN") from None
    except CkanUnreachable as exc:
        raise CliError(UNREACHABLE.format(exc=exc)) from None
    except CkanError as exc:
        raise CliError(str(exc)) from None
    except (RubricError, DeclarationsError, CacheError, GdExportError) as exc:
        raise CliError(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__) from None
    except OSError as exc:
        if log_path is None:
            raise
        raise CliError(f"cannot write the log {log_path}: {exc.strerror or exc}") from None

def declarations(path: Path | None) -> Declarations:
    from ..scoring import DeclarationsError, load_declarations

    try:
        return load_declarations(path)
    except DeclarationsError as exc:
        raise CliError(str(exc)) from None

def fiscal_year(fy: int | None, rubric_dir: Path | None, declared: int | None = None) -> int:
    """--fy (else the declarations' ``fy``), checked against the rubric files found."""
    from ..scoring import available_fiscal_years

    years = available_fiscal_years(rubric_dir)
    fy = fy or declared
    where = f" in {rubric_dir}" if rubric_dir else ""
    if fy is None:
        raise CliError(f"give --fy ({' or '.join(map(str, years))})")
    if fy not in years:
        raise CliError(f"no rubric for FY{fy}{where}; available: {', '.join(map(str, years)) or 'none'}")
    return fy

def rubric_option_values(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``-O NAME=VALUE`` pairs; values are read as YAML (``true``, ``5``, ``[CSV, XLSX]``)."""
    import yaml

    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--option needs NAME=VALUE, not {pair!r}")
        try:
            out[name.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            out[name.strip()] = raw
    return out

def as_of(text: str | None, option: str = "--as-of") -> datetime.date | None:
    """The parsed ``--as-of`` (or ``--since``) value, or a one-line usage error (exit 2)."""
    if text is None:
        return None
    from ..timeliness import AS_OF_YEARS, parse_as_of
    try:
        return parse_as_of(text)
    except ValueError:
        low, high = AS_OF_YEARS
        raise CliError(f"{option}: not a date between {low} and {high}: {text!r} (use YYYY-MM-DD, Buddhist or "
                       f"Common Era) — {option}: วันที่ไม่ถูกต้อง (ใช้ ปปปป-ดด-วว พ.ศ. {low + 543}–{high + 543} หรือ ค.ศ.)") from None

def previous_report(path: "Path | None") -> dict[str, Any] | None:
    """The ``--compare`` file, read before any work (a bad one is a one-line exit 2)."""
    if path is None:
        return None
    from ..compare import CompareError, load_previous
    try:
        return load_previous(path)
    except CompareError as exc:
        raise CliError(str(exc)) from None


def gd_export_checked(path: "Path | None") -> None:
    """Read the ``--gd-export`` file once before a crawl: a bad one is a one-line exit 2 now,
    not after an hour of fetching (the audit reads it again when it applies it)."""
    if path is None:
        return
    from ..gdcatalog import GdExportError, load_export
    try:
        load_export(path)
    except GdExportError as exc:
        raise CliError(str(exc)) from None


def http_url(url: str | None, option: str) -> str | None:
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise CliError(f"{option} must be an http(s) URL, not {url!r}")
    return url
