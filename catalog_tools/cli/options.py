"""Shared click option decorators: each option is declared once and reused by every command that takes it.

Each decorator has its args group (``OutputArgs``, ``ValidationArgs``, ``CkanArgs``, ``RubricArgs``) whose
field names are the option names, so a command's args dataclass is the groups it takes plus its own
fields, filled straight from what click parsed. Parsing only fills values; the builders in
:mod:`.build` turn them into library objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from .. import render
from ..schemas_api import STANDARDS

F = TypeVar("F", bound=Callable[..., Any])


def output_options(kind: str) -> Callable[[F], F]:
    """--format / --output / --lang for a command whose result is of ``kind``."""
    def deco(fn: F) -> F:
        fn = click.option("--lang", type=click.Choice(["th", "en"]), default=None,
                          help="Language of text and HTML output (default: Thai when the locale is Thai). JSON always has both.")(fn)
        fn = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write the output to this file instead of stdout (required for xlsx).")(fn)
        fn = click.option("--format", "fmt", type=click.Choice(render.formats_for(kind)), default="text", show_default=True,
                          help="Output format.")(fn)
        return fn
    return deco


def standard_options(fn: F) -> F:
    """--standard / --config / --completeness / --ignore: the validation options."""
    fn = click.option("--ignore", multiple=True, metavar="CODE|GROUP",
                      help="Switch off a rule, by code or by group (see `catalog-tools rules`); repeatable.")(fn)
    fn = click.option("--completeness", type=click.Choice(["conforming", "present"]), default=None,
                      help="'conforming' (default): an item counts when present and valid; 'present': presence only.")(fn)
    fn = click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                      help="YAML/JSON file with validation options (see docs/validation.md).")(fn)
    fn = click.option("--standard", type=click.Choice(list(STANDARDS)), default=None,
                      help="Allowed-value lists of thai_gdc 2.2.4 (default) or 2.0.")(fn)
    return fn


def jobs_option(fn: F) -> F:
    """``--jobs``: processes that validate a large workbook (the rows of a long sheet are shared out)."""
    return click.option("--jobs", "-j", type=click.IntRange(1, 2), default=None, metavar="N",
                        help="Processes that validate the rows of a large workbook sheet: 1 or 2 "
                             "(default: 2 when two CPUs are usable on Linux). The report is the same either way.")(fn)


def ckan_options(fn: F) -> F:
    """--ckan / --token-file / --insecure / --timeout / --retries / --max-answer-mb, shared by publish and audit."""
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


def rubric_options(*, fy_default: int | None) -> Callable[[F], F]:
    """--fy / --rubric-dir / --declarations. The years offered are the rubric files found, not a fixed list:
    --fy is checked against the built-in rubrics or those in --rubric-dir (:func:`.build.fiscal_year`)."""
    from ..scoring import available_fiscal_years  # here, not at import: validate never loads scoring

    built_in = ", ".join(str(y) for y in available_fiscal_years())
    default_text = f" Default: {fy_default}." if fy_default else " Default: 'fy' in the declarations file."

    def deco(fn: F) -> F:
        fn = click.option("--declarations", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="YAML/JSON file with what a program cannot see (focus area, uses, GD Catalog…); "
                               "see docs/scoring.md.")(fn)
        fn = click.option("--rubric-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
                          help="Read rubric files (fyYYYY.yaml) from this folder instead of the built-in ones.")(fn)
        fn = click.option("--fy", type=int, default=fy_default, metavar="YEAR",
                          help=f"Fiscal year (Buddhist Era) of the KPI rubric: one of the rubric files "
                               f"(built in: {built_in}; more with --rubric-dir).{default_text}")(fn)
        return fn
    return deco


def as_of_option(fn: F) -> F:
    """``--as-of DATE``: measure timeliness (docs/timeliness.md) as of this date."""
    return click.option("--as-of", "as_of", default=None, metavar="DATE",
                        help="Measure timeliness as of this date (YYYY-MM-DD, Buddhist or Common Era); "
                             "adds datasets[].timeliness and 'overdue' findings.")(fn)


def gd_options(fn: F) -> F:
    """``--gd-catalog``, ``--gd-harvester``, ``--gd-export``: GD Catalog registration from evidence."""
    fn = click.option("--gd-export", "gd_export", type=click.Path(dir_okay=False, path_type=Path), default=None,
                      help="An offline GD Catalog export (package_search JSON, JSON lines, or CSV with name/url).")(fn)
    fn = click.option("--gd-harvester", "gd_harvester", default=None, metavar="URL",
                      help="The GD Catalog harvester: ask its gdcatalog_published_state action for each open dataset.")(fn)
    fn = click.option("--gd-catalog", "gd_catalog", default=None, metavar="URL",
                      help="GD Catalog's CKAN API: decide GD Catalog registration of open datasets from it "
                           "(docs/gd-catalog.md).")(fn)
    return fn


def compare_option(fn: F) -> F:
    """``--compare PREVIOUS.json``: what changed since an earlier JSON report."""
    return click.option("--compare", "compare", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        metavar="PREVIOUS.json",
                        help="Compare with an earlier JSON report of this command: datasets added/removed, "
                             "completeness, registration, timeliness and score changes.")(fn)


@dataclass(frozen=True, kw_only=True)
class GdArgs:
    """What :func:`gd_options` parses."""

    gd_catalog: str | None = None
    gd_harvester: str | None = None
    gd_export: Path | None = None


@dataclass(frozen=True, kw_only=True)
class OutputArgs:
    """What :func:`output_options` parses."""

    fmt: str = "text"
    output: Path | None = None
    lang: str | None = None


@dataclass(frozen=True, kw_only=True)
class ValidationArgs:
    """What :func:`standard_options` parses."""

    standard: str | None = None
    config: Path | None = None
    completeness: str | None = None
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class JobsArgs:
    """What :func:`jobs_option` parses (None: the default for this machine)."""

    jobs: int | None = None


@dataclass(frozen=True, kw_only=True)
class CkanArgs:
    """What :func:`ckan_options` parses."""

    ckan_url: str
    token_file: Path | None = None
    insecure: bool = False
    timeout: float = 30.0
    retries: int = 3
    max_answer_mb: int = 64


@dataclass(frozen=True, kw_only=True)
class RubricArgs:
    """What :func:`rubric_options` parses."""

    fy: int | None = None
    rubric_dir: Path | None = None
    declarations: Path | None = None
