"""``catalog-tools rules``: list every rule (code, severity, scope, group, both messages, examples)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .. import render
from ..exitcodes import OK
from ..rules import GROUPS, RULES, RuleListing
from . import cli
from .common import emit


@dataclass(frozen=True, slots=True)
class RulesArgs:
    fmt: str = "text"
    output: Path | None = None
    group: str | None = None


def execute(args: RulesArgs) -> int:
    emit(RuleListing(tuple(r for r in RULES.values() if args.group in (None, r.group))), args.fmt, args.output, "en")
    return OK


@cli.command("rules", short_help="List every rule: code, severity, scope, messages, examples.")
@click.option("--format", "fmt", type=click.Choice(render.formats_for("rules")), default="text", show_default=True,
              help="Output format; 'md' is docs/rules.md.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--group", type=click.Choice(list(GROUPS)), default=None, help="Only the rules of this group.")
def rules_cmd(**parsed: Any) -> None:
    """List every rule catalog-tools checks, with its code, severity, scope, group, Thai and English
    messages, why it exists and a bad and a good example. Switch rules off by code or group with
    `ignore:` in a --config file. Exit 0."""
    raise SystemExit(execute(RulesArgs(**parsed)))
