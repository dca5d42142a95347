"""Shared CLI pieces: the one-line error, the language default, emitting a rendered result."""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import render
from ..exitcodes import USAGE
from ..fileio import PathClash, check_paths, output_pairs, shown_path, write_output
from ..textsafe import for_terminal, one_line
from ..redaction import active as _redacting, redact


class CliError(click.ClickException):
    """A one-line error (exit 2) for the user; never a traceback."""

    exit_code = USAGE

    def show(self, file: Any = None) -> None:
        click.echo(one_line(redact(f"catalog-tools: error: {self.format_message()}")), err=True)


def guard_paths(inputs: Any, **outputs: Path | None) -> None:
    """Refuse (exit 2) any output that is one of ``inputs`` — call first, before reading anything.

    ``guard_paths([*paths, config], output=output, log=log_path)``; see ``fileio.check_paths``.
    """
    try:
        check_paths(inputs, output_pairs(**outputs))
    except PathClash as exc:
        raise CliError(str(exc)) from None


class RedactingStream:
    """A text stream that removes remembered secrets from every ``write`` (stdout/stderr of a command).

    Why at the stream: whatever path a string takes to the terminal (a result, an error, a
    click usage message quoting an option's value), it passes here, before the terminal's
    encoding. Binary writes (``.buffer``) are not touched; nothing binary goes to a terminal.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        return int(self._inner.write(redact(text) if _redacting() and isinstance(text, str) else text) or 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def redact_std_streams(ctx: click.Context) -> None:
    """Wrap sys.stdout/sys.stderr in :class:`RedactingStream` for this command; restored when it ends."""
    out, err = sys.stdout, sys.stderr
    if isinstance(out, RedactingStream):
        return
    sys.stdout, sys.stderr = RedactingStream(out), RedactingStream(err)

    def restore() -> None:
        sys.stdout, sys.stderr = out, err

    ctx.call_on_close(restore)


def default_lang() -> str:
    """Thai when the locale is Thai (LC_ALL, LC_MESSAGES, LANG), else English."""
    for var in ("CATALOG_TOOLS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "th" if value.lower().startswith("th") else "en"
    return "en"


def _redact_chunk(chunk: str | bytes) -> str | bytes:
    """``redact`` for a chunk of text or of UTF-8 bytes (renderers send bytes only when nothing is to redact)."""
    if isinstance(chunk, bytes):
        return redact(chunk.decode("utf-8")).encode("utf-8") if _redacting() else chunk
    return redact(chunk)


#: what the command made, kept alive until the process ends when it ends by ``cli.run`` (None: it
#: does not, e.g. in tests). A report of 100,000 datasets is millions of objects; freeing them one
#: by one just before the process ends anyway costs about 0.2 s for nothing.
_KEPT: list[Any] | None = None


def keep_until_exit(obj: Any) -> None:
    """Keep ``obj`` for the process's hard exit (``cli.run``); nothing when the process ends normally.

    What exists now is also moved out of the cyclic collector's sight (``gc.freeze``): the
    collection that follows a pause (``gcpause``) would otherwise walk the whole kept report.
    """
    if _KEPT is not None:
        _KEPT.append(obj)
        gc.freeze()


def emit(result: Any, fmt: str, output: Path | None, lang: str | None, **options: Any) -> None:
    """Render ``result`` (the renderer is found from its type) and write it to stdout or ``output``."""
    keep_until_exit(result)
    try:
        renderer = render.for_result(fmt, result)
    except LookupError as exc:  # --format choices come from the same registry: only a new result type gets here
        raise CliError(str(exc)) from None
    lang = lang or default_lang()
    if renderer.binary and output is None:
        raise CliError(f"--format {fmt} writes a file: give --output FILE")
    try:
        produced: Any = renderer.fn(result, lang=lang, output=output, **options)
    except OSError as exc:
        raise CliError(f"cannot write {shown_path(output or 'stdout')}: {exc.strerror or exc} — เขียนไฟล์ไม่ได้") from None
    if produced is None:
        return
    # secrets out first (before anything is cut or encoded), then terminal controls out of text
    if isinstance(produced, str):
        produced = redact(produced)
    elif not isinstance(produced, bytes):  # an iterator of chunks (large reports), text or UTF-8
        produced = (_redact_chunk(chunk) for chunk in produced)
    if fmt == "text":  # values from inputs must not drive the terminal (ESC, BEL, C1 controls)
        produced = for_terminal(produced) if isinstance(produced, str) else (for_terminal(str(c)) for c in produced)
    if output is not None:
        try:
            write_output(output, produced)
        except OSError as exc:
            raise CliError(f"cannot write {shown_path(output)}: {exc.strerror or exc} — เขียนไฟล์ไม่ได้") from None
        return
    try:
        if isinstance(produced, bytes):
            sys.stdout.buffer.write(produced)
        elif isinstance(produced, str):
            click.echo(produced, nl=False)
        else:  # an iterator of chunks (large reports): text, or UTF-8 bytes (JSON as orjson wrote it)
            for chunk in produced:
                if isinstance(chunk, bytes):
                    sys.stdout.flush()  # text written before goes first
                    sys.stdout.buffer.write(chunk)
                else:
                    sys.stdout.write(chunk)
            sys.stdout.flush()
    except OSError as exc:
        raise CliError(f"cannot write stdout: {exc.strerror or exc}") from None
