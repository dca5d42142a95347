"""Resource URL reachability: bounded concurrency, timeouts, HEAD then GET.

Why this shape: a catalog can hold thousands of resources, so checks run in a small thread
pool (``concurrency``) with a per-request ``timeout``, each distinct URL once (never more
requests than resources). HEAD is tried first; servers that refuse it (405/403/501) or fail
on it get one streamed GET whose body is not read. Only http(s) URLs are fetched, no
credentials are ever sent, and redirects are followed as a browser would.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlsplit

from .client import USER_AGENT

_RETRY_WITH_GET = {403, 405, 406, 501}


@dataclass(frozen=True, slots=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None = None
    content_type: str | None = None
    error: str | None = None

    @property
    def reason(self) -> str:
        if self.error:
            return self.error
        return f"HTTP {self.status}"

    def to_dict(self) -> dict[str, object]:
        return {"url": self.url, "ok": self.ok, "status": self.status, "content_type": self.content_type,
                "error": self.error}


def check_link(url: str, *, timeout: float = 10.0, session: object | None = None) -> LinkResult:
    """Reachability of one URL (2xx/3xx after redirects = reachable)."""
    import requests

    if urlsplit(url).scheme not in ("http", "https"):
        return LinkResult(url, False, error="not an http(s) URL")
    http = session or requests
    headers = {"User-Agent": USER_AGENT}
    status = None
    try:
        resp = http.head(url, timeout=timeout, allow_redirects=True, headers=headers)  # type: ignore[attr-defined]
        status = resp.status_code
        if status < 400:
            return LinkResult(url, True, status, resp.headers.get("Content-Type"))
    except requests.RequestException:
        pass
    if status is not None and status not in _RETRY_WITH_GET and status < 500:
        return LinkResult(url, False, status)
    try:
        with http.get(url, timeout=timeout, allow_redirects=True, headers=headers, stream=True) as resp:  # type: ignore[attr-defined]
            return LinkResult(url, resp.status_code < 400, resp.status_code, resp.headers.get("Content-Type"))
    except requests.Timeout:
        return LinkResult(url, False, error=f"no answer within {timeout:g}s")
    except requests.ConnectionError:
        return LinkResult(url, False, error="connection failed")
    except requests.RequestException as exc:
        return LinkResult(url, False, error=exc.__class__.__name__)


def check_links(urls: Iterable[str], *, concurrency: int = 8, timeout: float = 10.0,
                progress: Callable[..., None] | None = None) -> dict[str, LinkResult]:
    """Check each distinct URL once, at most ``concurrency`` at a time; url → result.

    ``progress(done, total)`` is called as each check finishes (for a progress bar).
    """
    unique = list(dict.fromkeys(u for u in urls if u))
    if not unique:
        return {}
    results: dict[str, LinkResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(unique)))) as pool:
        futures = [pool.submit(check_link, u, timeout=timeout) for u in unique]
        for done, future in enumerate(as_completed(futures), 1):
            result = future.result()
            results[result.url] = result
            if progress:
                progress(done, len(unique))
    return {u: results[u] for u in unique}
