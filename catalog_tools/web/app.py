"""The web app: Starlette routes, Jinja2 pages (autoescaped), uploads limited and short-lived.

Why Starlette (+ uvicorn): a small, well-kept ASGI toolkit with Jinja2 support, a test client
and no ORM or session machinery we would not use; slow work (validation, audits) runs in
worker threads so one steward's big workbook does not stall another's page, and uvicorn runs
several worker processes for a team. Why not Flask: it would do as well for the pages; the
async server makes the audit's background thread and progress page simpler.

Safety, by design:
- binds 127.0.0.1 unless told otherwise; only the Host names it was started for are served
  (no DNS rebinding); cross-site form posts are refused (a page elsewhere cannot start an audit);
- uploads are limited in size while they arrive, written to a temporary folder that is deleted
  as soon as the outputs are made, and never logged; results are kept for download under an
  unguessable token for ``ttl`` seconds;
- the CKAN token comes from the server's environment (``CKAN_API_TOKEN``) only;
- errors show a short message on the page, never a stack trace.
"""
from __future__ import annotations

import logging
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..ckan.client import read_token
from ..render.fix_text import show_invisible
from .i18n import t
from .store import ResultStore
from .work import FILES, FIXED_TYPES, LANGS, UploadError, check_upload, score_upload, start_audit

log = logging.getLogger("catalog_tools.web")

UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".jsonl")
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}
_DOWNLOAD_NAMES = {"annotated": "checked.xlsx", "csv": "findings.csv", "html": "report-{lang}.html"}
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'self'; frame-ancestors 'self'"


class UploadTooLarge(Exception):
    """The request body grew past the limit."""


class BodyLimit:
    """Stops reading a request body past ``limit`` bytes (counted as it arrives, whatever
    Content-Length says). The rest is read and dropped, up to a hard cap, so the browser gets
    the "too large" page instead of a reset connection."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        total = 0
        limit = self.limit

        async def limited() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > limit:
                    while message.get("more_body") and total < limit * 8:
                        message = await receive()
                        total += len(message.get("body", b""))
                    raise UploadTooLarge()
            return message

        await self.app(scope, limited, send)


def _lang(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get("lang")
    return c if c in LANGS else "th"


def safe_name(filename: str | None) -> str:
    """A display name for an uploaded file: its last path part, printable, at most 100 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip(" .") or "upload"
    if len(name) > 100:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 90] + "." + ext[:8]) if dot else name[:100]
    return name


class WebApp:
    """The routes, with their settings (upload limit, result store, templates)."""

    def __init__(self, *, max_upload_mb: float = 20, store: ResultStore | None = None, ttl: float = 3600) -> None:
        self.max_bytes = int(max_upload_mb * 2**20)
        self.max_mb = f"{max_upload_mb:g}"  # shown on pages: 20, 0.5
        self.store = store or ResultStore(ttl=ttl)
        self.env = Environment(loader=PackageLoader("catalog_tools.web", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.filters["visible"] = show_invisible  # the same spelling-out of NBSP/zero-width as `fix` prints

    # -- helpers --------------------------------------------------------------------------------
    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request)
        other = "en" if lang == "th" else "th"
        html = self.env.get_template(template).render(
            lang=lang, t=lambda key, **v: t(key, lang, **v), switch_href=f"{request.url.path}?lang={other}",
            max_mb=self.max_mb, minutes=int(self.store.ttl // 60), **context)
        response = HTMLResponse(html, status_code=status, headers={**_SECURITY_HEADERS, "Content-Security-Policy": _PAGE_CSP})
        if request.query_params.get("lang") in LANGS:
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
        return response

    def error(self, request: Request, message_key: str | None = None, status: int = 400, text: str | None = None,
              **values: Any) -> HTMLResponse:
        lang = _lang(request)
        message = text if text is not None else t(message_key or "err_internal", lang, **values)
        return self.page(request, "error.html", status=status, message=message)

    async def upload(self, request: Request) -> tuple[Any, UploadFile]:
        """The form and its file; raises UploadError for a missing or unsupported file."""
        form = await request.form(max_files=1, max_fields=40)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise UploadError("Please choose a file", "กรุณาเลือกไฟล์")
        return form, upload

    async def save(self, upload: UploadFile, folder: Path) -> tuple[Path, str]:
        display = safe_name(upload.filename)
        suffix = Path(display).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise UploadError(f"'{display}' is not a workbook (.xlsx), CSV or JSON file",
                              f"'{display}' ไม่ใช่ไฟล์ Excel (.xlsx) CSV หรือ JSON")
        src = folder / f"upload{suffix}"
        with open(src, "wb") as fh:
            while chunk := await upload.read(1 << 20):
                fh.write(chunk)
        await upload.close()
        return src, display

    # -- pages ----------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        return self.page(request, "index.html")

    async def check(self, request: Request) -> Response:
        form, upload = await self.upload(request)
        standard = form.get("standard") if form.get("standard") in ("2.2", "2.0") else "2.2"
        return await self.process(upload, check_upload, standard=str(standard))

    async def process(self, upload: UploadFile, work: Any, **options: Any) -> Response:
        """Save the upload in a temporary folder, run ``work`` on it in a thread, keep only its
        outputs under a new token, delete the folder, and send the browser to the result."""
        token, out = self.store.new()
        try:
            with tempfile.TemporaryDirectory(prefix="catalog-tools-upload-") as tmp:
                src, display = await self.save(upload, Path(tmp))
                meta = await run_in_threadpool(work, src, display, out, **options)
            self.store.write_meta(token, meta)
        except BaseException:
            self._discard(out)
            raise
        return RedirectResponse(f"/result/{token}", status_code=303)

    async def result(self, request: Request) -> Response:
        token = request.path_params["token"]
        meta = self.store.read_meta(token)
        if meta is None:
            return self.error(request, "err_expired", status=404)
        if meta.get("kind") == "audit" and meta.get("status") != "done":
            return self.page(request, "audit_job.html", meta=meta, token=token)
        return self.page(request, "result.html", meta=meta, token=token)

    async def report(self, request: Request) -> Response:
        folder = self.store.folder(request.path_params["token"])
        lang = _lang(request)
        path = folder / f"report-{lang}.html" if folder else None
        if path is None or not path.is_file():
            return self.error(request, "err_expired", status=404)
        # the report's own policy: no scripts, no requests, styles inline
        return FileResponse(path, media_type="text/html; charset=utf-8", headers=_SECURITY_HEADERS)

    async def download(self, request: Request) -> Response:
        token, what = request.path_params["token"], request.path_params["what"]
        folder = self.store.folder(token)
        meta = self.store.read_meta(token) if folder else None
        if folder is None or meta is None:
            return self.error(request, "err_expired", status=404)
        stem = Path(str(meta.get("name") or "catalog")).stem or "catalog"
        if what == "fixed":
            suffix = (meta.get("fixed") or {}).get("suffix")
            if suffix not in FIXED_TYPES:
                return self.error(request, "err_expired", status=404)
            path, media, name = folder / f"fixed{suffix}", FIXED_TYPES[suffix], f"{stem}-fixed{suffix}"
        elif what in FILES:
            file, media = FILES[what]
            file = file.format(lang=_lang(request))
            path, name = folder / file, f"{stem}-{_DOWNLOAD_NAMES[what].format(lang=_lang(request))}"
        else:
            return self.error(request, "err_expired", status=404)
        if not path.is_file():
            return self.error(request, "err_expired", status=404)
        disposition = f"attachment; filename=\"{_ascii(name)}\"; filename*=UTF-8''{quote(name)}"
        return FileResponse(path, media_type=media, headers={**_SECURITY_HEADERS, "Content-Disposition": disposition})

    async def template(self, request: Request) -> Response:
        from ..template import write_template

        layout = request.query_params.get("layout", "opdc")
        standard = request.query_params.get("standard", "2.2")
        if layout not in ("opdc", "nso") or standard not in ("2.2", "2.0"):
            return self.error(request, "err_bad_form")
        with tempfile.TemporaryDirectory(prefix="catalog-tools-template-") as tmp:
            path = Path(tmp) / "template.xlsx"
            await run_in_threadpool(write_template, path, layout, standard)
            data = path.read_bytes()
        name = f"template-{layout}-{standard}.xlsx"
        return Response(data, media_type=FILES["annotated"][1],
                        headers={**_SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    async def score_form(self, request: Request) -> Response:
        return self.page(request, "score.html", scopes=_scopes())

    async def score(self, request: Request) -> Response:
        form, upload = await self.upload(request)
        try:
            fy = int(str(form.get("fy") or "2566"))
        except ValueError:
            return self.error(request, "err_bad_form")
        if fy not in _scopes():
            return self.error(request, "err_bad_form")
        decl, catalog_url = _declarations(form, fy)
        if catalog_url and not catalog_url.lower().startswith(("http://", "https://")):
            return self.error(request, "err_url")
        return await self.process(upload, score_upload, fy=fy, declarations=decl, catalog_url=catalog_url)

    async def audit_form(self, request: Request) -> Response:
        return self.page(request, "audit.html", token_set=read_token() is not None)

    async def audit(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=20)
        url = str(form.get("ckan_url") or "").strip()
        org = str(form.get("org") or "").strip() or None
        fy = 2565 if str(form.get("fy")) == "2565" else 2566
        if not url.lower().startswith(("http://", "https://")):
            return self.error(request, "err_url")
        token, out = self.store.new()

        def publish(meta: dict[str, Any]) -> None:
            self.store.write_meta(token, meta)

        publish({"kind": "audit", "status": "running", "name": url, "done": 0, "total": None, "fy": fy})
        start_audit(url=url, org=org, fy=fy, check_links=bool(form.get("check_links")), out=out, publish=publish,
                    token=read_token())
        return RedirectResponse(f"/result/{token}", status_code=303)

    def _discard(self, folder: Path) -> None:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)

    # -- errors ---------------------------------------------------------------------------------
    async def on_upload_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, UploadError)
        return self.error(request, text=exc.message_th if _lang(request) == "th" else exc.message)

    async def on_too_large(self, request: Request, exc: Exception) -> Response:
        return self.error(request, "err_too_large", status=413, mb=self.max_mb)

    async def on_http(self, request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status == 404:
            return self.error(request, "err_expired", status=404)
        return self.error(request, "err_bad_form", status=status)

    async def on_crash(self, request: Request, exc: Exception) -> Response:
        return self.error(request, "err_internal", status=500)


class SameOrigin:
    """Refuses POSTs from another site (a web page elsewhere must not run an audit with the
    server's token). Browsers send ``Origin`` (or ``Sec-Fetch-Site``) with every form post."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            host = headers.get("host", "")
            cross = (origin not in (None, "null") and urlsplit(origin).netloc != host) or site == "cross-site"
            if cross:
                await Response("cross-site form posts are refused", status_code=403, media_type="text/plain")(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Quiet:
    """Outermost layer: after the error page is sent, the exception stops here, so the server
    log never gets a traceback that could quote an uploaded cell (the class name is logged)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # the page was already sent by the error handler
            log.error("request failed: %s", exc.__class__.__name__)


def _ascii(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "download"


def _scopes() -> dict[int, tuple[str, str, tuple[str, ...]]]:
    """fiscal year → (declaration key, Thai title, allowed values) from the rubrics."""
    from ..scoring import available_fiscal_years
    from ..scoring.rubric import load_rubric

    out = {}
    for fy in available_fiscal_years():
        scope = load_rubric(fy).scope
        out[fy] = (scope.declaration, scope.title_th, scope.values)
    return out


def _ids(text: Any) -> list[str] | str | None:
    value = str(text or "").strip()
    if not value:
        return None
    if value.lower() == "all":
        return "all"
    return [p.strip() for p in re.split(r"[,\s;]+", value) if p.strip()]


def _declarations(form: Any, fy: int) -> tuple[dict[str, Any], str | None]:
    """The declarations mapping (the keys of docs/scoring.md) from the score form."""
    key, _, values = _scopes()[fy]
    decl: dict[str, Any] = {"fy": fy}
    for name in ("agency", "issue", "catalog_url"):
        value = str(form.get(name) or "").strip()
        if value:
            decl[name] = value
    scope = str(form.get(f"scope-{fy}") or "").strip()
    if scope in values:
        decl[key] = scope
    if form.get("dataset_list"):
        decl["dataset_list"] = True
    if form.get("uploaded"):
        decl["uploaded"] = "all"
    registered = _ids(form.get("gd_catalog"))
    if registered is not None:
        decl["gd_catalog_registered"] = registered
    ssot = _ids(form.get("ssot"))
    if isinstance(ssot, list):  # dataset ids only: "all" is not a designation
        decl["single_source_of_truth"] = ssot
    uses = [(str(d).strip(), str(e).strip()) for d, e in zip(form.getlist("use_dataset"), form.getlist("use_evidence"))]
    if any(d and e for d, e in uses):
        decl["utilization"] = [{"dataset": d, "evidence": e} for d, e in uses if d and e]
    return decl, decl.get("catalog_url")


def create_app(*, max_upload_mb: float = 20, state_dir: Path | None = None, ttl: float = 3600,
               allowed_hosts: list[str] | None = None, debug: bool = False) -> ASGIApp:
    """The ASGI app. ``allowed_hosts``: the Host names it answers (default: this machine's loopback)."""
    web = WebApp(max_upload_mb=max_upload_mb, store=ResultStore(state_dir, ttl) if state_dir else None, ttl=ttl)
    routes = [
        Route("/", web.index),
        Route("/check", web.check, methods=["POST"]),
        Route("/result/{token}", web.result),
        Route("/result/{token}/report", web.report),
        Route("/result/{token}/download/{what}", web.download),
        Route("/template", web.template),
        Route("/score", web.score_form),
        Route("/score", web.score, methods=["POST"]),
        Route("/audit", web.audit_form),
        Route("/audit", web.audit, methods=["POST"]),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost", "[::1]"]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts), Middleware(SameOrigin),
                  Middleware(BodyLimit, limit=web.max_bytes)]
    handlers: dict[Any, Any] = {UploadError: web.on_upload_error, UploadTooLarge: web.on_too_large,
                                HTTPException: web.on_http}
    if debug:
        return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, debug=True)
    handlers[Exception] = web.on_crash
    return Quiet(Starlette(routes=routes, middleware=middleware, exception_handlers=handlers))
