"""What the web app does with an upload: the same library calls as the CLI, outputs to a folder.

Each function gets the uploaded file inside a temporary folder that the caller deletes right
after, and writes only its outputs (reports, annotated and fixed copies) into the result
folder. Nothing here prints, logs file contents or contacts a server — except ``run_audit``,
which contacts the CKAN the user named, with the token from the server's environment.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from typing import Any, Callable

from ..fixes import fix_file
from ..loaders.common import InputError
from ..model import Finding, Report, Source
from ..options import ValidationOptions
from ..render.csvfmt import findings_csv
from ..render.html import render_page
from ..render.xlsx import annotate
from ..validate import validate_paths

LANGS = ("th", "en")
FILES = {  # download name → (file in the result folder, media type)
    "annotated": ("annotated.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("findings.csv", "text/csv; charset=utf-8"),
    "html": ("report-{lang}.html", "text/html; charset=utf-8"),
}
FIXED_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
               ".txt": "text/plain", ".json": "application/json", ".jsonl": "application/json"}


class UploadError(Exception):
    """An upload that cannot be used: ``message`` and ``message_th`` are shown on the page."""

    def __init__(self, message: str, message_th: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_th = message_th


def _validated(src: Path, options: ValidationOptions) -> Report:
    report = validate_paths([str(src)], options=options)
    if report.load_errors:
        err = report.load_errors[0]
        raise UploadError(err.message, err.message_th or err.message)
    return report


def check_upload(src: Path, display: str, out: Path, *, standard: str = "2.2") -> dict[str, Any]:
    """Validate, annotate and fix ``src``; write every output into ``out``; return the page's facts."""
    options = ValidationOptions.from_mapping({}, standard=standard)
    report = _validated(src, options)
    annotate(report, out / "annotated.xlsx", [str(src)])  # before relabelling: cells are matched by path
    fixed: dict[str, Any]
    suffix = src.suffix.lower()
    try:
        result = fix_file(src, out / f"fixed{suffix}", options=options)
        rem = result.remaining
        fixed = {"ok": True, "suffix": suffix, "cells": len({c.location for c in result.changes}),
                 "errors": rem.error_count if rem else 0, "warnings": rem.warning_count if rem else 0,
                 "changes": [[c.location, c.before, c.after, c.rule] for c in result.changes[:500]],
                 "more": max(0, len(result.changes) - 500)}
    except InputError as exc:
        fixed = {"ok": False, "reason": exc.error.message, "reason_th": exc.error.message_th or exc.error.message}
    relabel(report, str(src), display)
    for lang in LANGS:
        (out / f"report-{lang}.html").write_text(render_page(report, "validate", lang), encoding="utf-8")
    (out / "findings.csv").write_text(findings_csv(report), encoding="utf-8", newline="")
    return {"kind": "check", "status": "done", "name": display, "summary": report.summary(), "fixed": fixed}


def score_upload(src: Path, display: str, out: Path, *, fy: int, declarations: dict[str, Any],
                 catalog_url: str | None, standard: str = "2.2") -> dict[str, Any]:
    """Validate and score ``src`` with the declarations from the form; write the score reports."""
    from ..scoring import DeclarationsError, RubricError, score_report

    report = _validated(src, ValidationOptions.from_mapping({}, standard=standard))
    relabel(report, str(src), display)
    try:
        result = score_report(report, fy=fy, catalog_url=catalog_url, declarations=declarations)
    except (DeclarationsError, RubricError) as exc:
        text = str(exc).splitlines()[0]
        raise UploadError(text, text) from None
    for lang in LANGS:
        (out / f"report-{lang}.html").write_text(render_page(result, "score", lang), encoding="utf-8")
    return {"kind": "score", "status": "done", "name": display, "fy": fy, "total": result.to_dict().get("total")}


def relabel(report: Report, path: str, display: str) -> None:
    """Show the file's own name instead of the server's temporary path, everywhere in ``report``."""
    def fix_source(src: Source | None) -> Source | None:
        return dataclasses.replace(src, path=display) if src is not None and src.path == path else src

    def fix_finding(f: Finding) -> None:
        f.source = fix_source(f.source)
        for name in ("location", "message", "message_th"):
            value = getattr(f, name)
            if isinstance(value, str) and path in value:
                setattr(f, name, value.replace(path, display))
        if isinstance(f.value, str) and path in f.value:
            f.value = f.value.replace(path, display)

    report.inputs = [display if p == path else p for p in report.inputs]
    for f in report.findings:
        fix_finding(f)
    for d in report.datasets:
        d.source = fix_source(d.source) or d.source
        for f in d.findings:
            fix_finding(f)
        for r in d.resources:
            r.source = fix_source(r.source) or r.source
            for f in r.findings:
                fix_finding(f)


def run_audit(url: str, org: str | None, fy: int, check_links: bool, out: Path,
              publish: Callable[[dict[str, Any]], None], token: str | None) -> None:
    """Crawl, validate and score a CKAN catalog, reporting progress through ``publish(meta)``.

    Runs in a background thread; every outcome (done or failed) ends in ``publish``. Error
    text has the token removed before it is shown.
    """
    from ..ckan.audit import AuditOptions, audit_catalog
    from ..ckan.client import CkanError, CkanUsageError, RemoteClient

    base = {"kind": "audit", "name": f"{url} {org or ''}".strip(), "fy": fy}
    last = [0.0]

    def progress(done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.3:
            last[0] = now
            publish(dict(base, status="running", done=done, total=total))

    try:
        publish(dict(base, status="running", done=0, total=None))
        client = RemoteClient(url, token, timeout=30.0, retries=2)
        client.call_action("status_show", {})
        result = audit_catalog(client, AuditOptions(org=org or None, fy=fy, check_links=check_links), progress=progress)
        for lang in LANGS:
            (out / f"report-{lang}.html").write_text(render_page(result, "audit", lang), encoding="utf-8")
        (out / "findings.csv").write_text(findings_csv(result.report), encoding="utf-8", newline="")
        publish(dict(base, status="done", summary=result.report.summary()))
    except (CkanError, CkanUsageError, ValueError, OSError) as exc:
        text = (str(exc).splitlines() or [exc.__class__.__name__])[0]
        if token:
            text = text.replace(token, "***")
        publish(dict(base, status="failed", error=text[:300]))
    except Exception as exc:  # a thread must always report how it ended
        publish(dict(base, status="failed", error=exc.__class__.__name__))


def start_audit(**kwargs: Any) -> threading.Thread:
    thread = threading.Thread(target=run_audit, kwargs=kwargs, name="catalog-tools-audit", daemon=True)
    thread.start()
    return thread
