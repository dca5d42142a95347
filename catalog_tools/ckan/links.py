"""Resource URL reachability for audits: bounded concurrency, each distinct URL once.

Why this shape: a catalog can hold thousands of resources, so checks run in a small thread
pool (``concurrency``), each distinct URL once (never more requests than resources). Each
check is :func:`catalog_tools.http.Http.probe` — HEAD, then a GET whose body is not read —
under one **total** deadline per link (``timeout``): a server dripping bytes cannot hold a
check longer than that. Only http(s) URLs are fetched, no credentials are ever sent, and at
most a few redirects are followed.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable, Iterable

from ..http import Http, Limits


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


def check_link(url: str, *, timeout: float = 10.0, http: Http | None = None) -> LinkResult:
    """Reachability of one URL within ``timeout`` seconds in total (below 400 after redirects = reachable)."""
    own = http is None
    client = http or Http()
    try:
        got = client.probe(url, limits=Limits(deadline=timeout, max_bytes=0))
    finally:
        if own:
            client.close()
    if got.error:
        return LinkResult(url, False, error=got.error)
    return LinkResult(url, got.ok, got.status, got.content_type)


def check_links(urls: Iterable[str], *, concurrency: int = 8, timeout: float = 10.0,
                progress: Callable[..., None] | None = None) -> dict[str, LinkResult]:
    """Check each distinct URL once, at most ``concurrency`` at a time; url → result.

    ``progress(done, total)`` is called as each check finishes (for a progress bar).
    """
    unique = list(dict.fromkeys(u for u in urls if u))
    if not unique:
        return {}
    results: dict[str, LinkResult] = {}
    with Http() as http, ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(unique)))) as pool:
        futures = [pool.submit(check_link, u, timeout=timeout, http=http) for u in unique]
        for done, future in enumerate(as_completed(futures), 1):
            result = future.result()
            results[result.url] = result
            if progress:
                progress(done, len(unique))
    return {u: results[u] for u in unique}
