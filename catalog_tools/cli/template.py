"""``catalog-tools template``: write a blank Template 1 + 2 + 3 workbook from the schemas."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..exitcodes import OK
from ..schemas_api import DEFAULT_STANDARD, STANDARDS
from . import cli
from .common import CliError


@dataclass(frozen=True, slots=True)
class TemplateArgs:
    out: Path
    layout: str = "opdc"
    standard: str = DEFAULT_STANDARD
    force: bool = False


def execute(args: TemplateArgs) -> int:
    from ..template import write_template  # openpyxl is only needed here

    out = args.out
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"--out must end in .xlsx (got {out.name}) / ไฟล์ต้องเป็น .xlsx")
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; add --force to overwrite / มีไฟล์นี้อยู่แล้ว")
    if not out.parent.is_dir():
        raise CliError(f"folder {out.parent} does not exist / ไม่พบโฟลเดอร์")
    try:
        write_template(out, args.layout, args.standard)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"สร้างแม่แบบแล้ว / template written: {out} ({args.layout}, thai_gdc {args.standard})", err=True)
    return OK


@cli.command("template", short_help="Write a blank Template 1 + 2 + 3 workbook with drop-down lists.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write (.xlsx).")
@click.option("--layout", type=click.Choice(["opdc", "nso"]), default="opdc", show_default=True,
              help="'opdc': sheets Template 1/Template 2/Template 3; 'nso': the NSO GD Catalog import workbook (Temp2_Meta_*, Temp3_Resource_*).")
@click.option("--standard", type=click.Choice(list(STANDARDS)), default=DEFAULT_STANDARD, show_default=True,
              help="Allowed-value lists of thai_gdc 2.2.4 or 2.0.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def template_cmd(**parsed: Any) -> None:
    """Write a blank, fill-in Template 1 + 2 + 3 workbook with drop-down lists.

    Template 1 (opdc layout): the Focus Area (a drop-down of the 10), the issue, the intended use,
    the user agencies and the dataset list. Templates 2/3: Thai headers with item numbers, a hint
    row, drop-downs for every choice field, e-mail and number checks, a frozen header. Fill it in
    Excel, then run ``catalog-tools validate``.
    """
    raise SystemExit(execute(TemplateArgs(**parsed)))
