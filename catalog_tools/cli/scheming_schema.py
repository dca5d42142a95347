"""``catalog-tools scheming-schema``: the ckanext-scheming dataset schema generated from the JSON Schemas.

One rule set, two enforcers: an agency that loads this schema into its CKAN has the portal refuse
what ``validate`` reports, for the same reasons (see :mod:`catalog_tools.ckan.scheming`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..exitcodes import OK
from ..schemas_api import DEFAULT_STANDARD, STANDARDS
from . import cli
from .common import CliError, guard_paths


@dataclass(frozen=True, kw_only=True)
class SchemingArgs:
    standard: str = DEFAULT_STANDARD
    output: Path | None = None
    fmt: str = "yaml"
    number_validator: str = "is_positive_integer"


def execute(args: SchemingArgs) -> int:
    from ..ckan.scheming import scheming_text
    from ..fileio import write_output

    guard_paths([], output=args.output)
    text = scheming_text(args.standard, args.fmt, number_validator=args.number_validator)
    if args.output is None:
        click.echo(text, nl=False)
        return OK
    try:
        write_output(args.output, text)
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc} — เขียนไฟล์ไม่ได้") from None
    return OK


@cli.command("scheming-schema", short_help="Write the ckanext-scheming schema that makes CKAN enforce the same rules.")
@click.option("--standard", type=click.Choice(list(STANDARDS)), default=DEFAULT_STANDARD, show_default=True,
              help="Allowed-value lists of thai_gdc 2.2.4 or 2.0.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
              help="YAML (as ckanext-scheming reads it) or JSON.")
@click.option("--number-validator", default="is_positive_integer", show_default=True, metavar="NAME",
              help="CKAN validator for number fields (CKAN core has is_positive_integer: whole numbers only).")
def scheming_cmd(**parsed: Any) -> None:
    """Write the ckanext-scheming dataset schema generated from the same JSON Schemas the validator uses
    (Thai and English labels, required items, the standard's choice lists, 'อื่นๆ' companions).

    Load it on a CKAN with ckanext-scheming (scheming.dataset_schemas) so the portal refuses what
    `catalog-tools validate` reports. Exit 0.
    """
    raise SystemExit(execute(SchemingArgs(**parsed)))
