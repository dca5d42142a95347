"""``catalog-tools fix``: write a corrected copy of a Template 2/3 workbook, CSV or CKAN JSON."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..exitcodes import FINDINGS, OK
from ..loaders.common import InputError
from ..schemas_api import STANDARDS
from ..textsafe import for_terminal
from . import cli
from .build import validation_options
from .common import CliError, default_lang
from .options import ValidationArgs


@dataclass(frozen=True, kw_only=True)
class FixArgs(ValidationArgs):
    path: str
    output: Path | None = None
    dry_run: bool = False
    fmt: str = "text"
    lang: str | None = None


def execute(args: FixArgs) -> int:
    from ..fixes import fix_file
    from ..render.fix_text import fix_json, fix_text

    if args.output is None and not args.dry_run:
        raise CliError("give the fixed copy's file name with -o FILE (or use --dry-run) / ระบุไฟล์ผลลัพธ์ด้วย -o")
    options = validation_options(args)
    try:
        result = fix_file(args.path, args.output, dry_run=args.dry_run, options=options)
    except InputError as exc:
        raise CliError(str(exc.error)) from None
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc} / เขียนไฟล์ไม่ได้") from None
    text = fix_json(result) if args.fmt == "json" else for_terminal(fix_text(result, args.lang or default_lang()))
    click.echo(text, nl=False)
    return FINDINGS if result.remaining is not None and result.remaining.has_errors else OK


@cli.command("fix", short_help="Write a corrected copy: synonyms, spacing, Thai digits, date era, e-mails.")
@click.argument("path", type=click.Path(path_type=str))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The fixed copy to write (same type as PATH; never PATH itself).")
@click.option("--dry-run", is_flag=True, help="Only list the changes; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format of the list of changes.")
@click.option("--standard", type=click.Choice(list(STANDARDS)), default=None,
              help="Allowed-value lists of thai_gdc 2.2.4 (default) or 2.0.")
@click.option("--lang", type=click.Choice(["th", "en"]), default=None, help="Language of the text output.")
def fix_cmd(**parsed: Any) -> None:
    """Write a corrected copy of PATH to -o FILE, listing every change (cell, before, after, rule).

    Only unambiguous fixes are made — what validation already reads the same way: known
    synonyms and English values, spaces and invisible characters, Thai digits, Gregorian
    dates in workbooks (→ Buddhist Era) and Buddhist Era dates in CKAN JSON (→ Gregorian),
    'อื่น ๆ: text' into the '_other' column, multi-value separators, 'mailto:' in e-mails.
    Changed cells are marked green with a comment. PATH is never modified.

    Exit 0: the fixed copy has no error findings; 1: errors remain for you to fix; 2: bad input or usage.
    """
    raise SystemExit(execute(FixArgs(**parsed)))
