"""The ``catalog-tools`` command: a thin click layer over the library functions.

Commands only parse options, call one library function and render its result. Every error
a user can cause ends as one line on stderr and exit code 2 — never a traceback (set
``CATALOG_TOOLS_DEBUG=1`` to see one when reporting a bug).
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__
from ..exitcodes import USAGE
from ..redaction import redact


class _LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or when help lists them all).

    Each command lives in its own module and registers itself on ``cli`` when imported; importing
    all of them up front made ``validate`` pay for the CKAN client, scoring and every renderer.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            _load(cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="catalog-tools")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Validate, score, publish and audit Thai government data catalogs (DGA Template 2/3, OPDC KPI, CKAN)."""
    from .common import redact_std_streams

    redact_std_streams(ctx)  # the API token never reaches the terminal, whatever path a string takes


#: every command → its module (parse → build → execute), which registers the command on ``cli``
_COMMANDS = {name: name for name in ("validate", "score", "publish", "audit", "template", "rules", "fix", "serve",
                                     "quality")} | {"scheming-schema": "scheming_schema"}


def _load(name: str) -> None:
    importlib.import_module(f"{__name__}.{_COMMANDS[name]}")  # a missing command module is an error, never skipped


def load_all() -> None:
    """Register every command (for tools that walk the whole command tree)."""
    for name in _COMMANDS:
        _load(name)


def run() -> None:
    """The installed command: :func:`main`, then the process ends at once, its output flushed.

    What the command built is not freed object by object first (``common.keep_until_exit``), nor
    are modules torn down: the process is ending. Every file was written and closed (atomically)
    by then; only ``main`` itself is used by tests and library callers.
    """
    from . import common

    common._KEPT = []
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said on it
            pass
    os._exit(code)


def _exit_code(code: object) -> int:
    """The status ``sys.exit(code)`` would end with."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning any unexpected exception into one line and exit 2."""
    try:
        cli.main(args=argv, prog_name="catalog-tools", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("catalog-tools: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last line of defence: no traceback for users
        if os.environ.get("CATALOG_TOOLS_DEBUG"):
            raise
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        text = redact(text)
        click.echo(f"catalog-tools: error: {exc.__class__.__name__}: {text} (set CATALOG_TOOLS_DEBUG=1 for details)", err=True)
        sys.exit(USAGE)
