"""Progress on stderr for long work: shown only when stderr is a terminal, never on stdout.

Long runs (big workbooks, publishing, an audit crawl, link checks) get a bar so people know the
tool is alive; scripts and pipes get nothing, so JSON on stdout stays one clean document. The
library only ever sees a plain ``progress(done, total=None)`` callback (or None): it never
imports rich and never prints. ``total`` may be given late, when a crawl learns how much work
there is; until then the bar is indeterminate. ``CATALOG_TOOLS_PROGRESS=0`` turns bars off,
``=1`` forces them (for testing through a pipe).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, Protocol, TextIO


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


def progress_enabled(stream: TextIO | None = None) -> bool:
    """True when a bar should be drawn on ``stream`` (default: stderr)."""
    forced = os.environ.get("CATALOG_TOOLS_PROGRESS", "").strip().lower()
    if forced in ("0", "no", "false", "off"):
        return False
    if forced in ("1", "yes", "true", "on"):
        return True
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced streams (CliRunner, pytest capture)
        return False


@contextmanager
def progress_reporter(label: str, total: int | None = None, *,
                      refresh_thread: bool = True) -> Iterator[ProgressCallback | None]:
    """Yield a ``progress(done, total=None)`` callback, or None when stderr is not a terminal.

    ``refresh_thread=False``: the bar is redrawn on each update only, with no thread of its own
    (validation may fork a helper process, which is done only while the process has one thread).
    """
    if not progress_enabled():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr, force_terminal=True)
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True, auto_refresh=refresh_thread) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int, total: int | None = None) -> None:
            if total is not None:
                bar.update(task, total=total, completed=done, refresh=not refresh_thread)
            else:
                bar.update(task, completed=done, refresh=not refresh_thread)

        yield update
