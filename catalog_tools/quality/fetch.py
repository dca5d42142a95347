"""Getting every resource's bytes once: bounded concurrency (overall and per host), a size
cap, a total deadline per file, bounded redirects, and an on-disk cache so reruns do not
download again.

Requests per resource (ckanext-dquality makes 9 HEAD + 2 GET): one GET, streamed, whose body
is not read when ``Content-Length`` already says it is over the cap. A cached file younger
than ``ttl`` costs no request; an older one is revalidated with one conditional GET
(``If-None-Match``/``If-Modified-Since``; 304 → the cached bytes). With ``head_first`` a HEAD
is asked first (at most one extra request) so a file that is too large or unchanged is never
downloaded; a server refusing HEAD (403/405/406/501) or failing on it simply gets the GET — it
is never recorded as a timeout. All HTTP behaviour (user agent, deadline, redirects, caps)
comes from :mod:`catalog_tools.http`.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar
from urllib.parse import urlsplit

from ..fileio import atomic_write
from ..http import HEAD_REFUSED, FetchError, Http, Limits
from .assess import Fetched

T = TypeVar("T")

_ERR_TH = {"timeout": "ไม่ได้รับคำตอบครบภายในเวลาที่กำหนด", "connect": "เชื่อมต่อเครื่องแม่ข่ายไม่ได้",
           "redirects": "ถูกส่งต่อ (redirect) เกินจำนวนที่กำหนด", "broken": "การเชื่อมต่อขาดก่อนได้รับข้อมูลครบ",
           "tls": "ใบรับรองความปลอดภัย (TLS) ไม่ถูกต้อง", "invalid_url": "URL ไม่ถูกต้อง", "other": "เกิดข้อผิดพลาด"}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    max_size: int = 32 * 2**20
    deadline: float = 60.0  # total seconds per file (connect, redirects, body)
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 4
    cache_dir: Path | None = None  # None: no cache
    ttl: float = 24 * 3600.0  # cached files younger than this are used without asking
    head_first: bool = False
    refresh: bool = False  # ignore the cache's freshness (revalidate everything)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/catalog-tools/content`` (``~/.cache/…`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "catalog-tools" / "content"


def extra_missing() -> str | None:
    """Why content checks cannot run here (the ``quality`` extra is not installed), or None."""
    try:
        import frictionless  # noqa: F401
        import puremagic  # noqa: F401
    except ImportError:
        return ("content checks need the 'quality' extra: pip install 'catalog-tools[quality]' — "
                "ติดตั้งส่วนเสริม quality ก่อน: pip install 'catalog-tools[quality]'")
    return None


class Cache:
    """``<dir>/<sha256(url)>.body`` + ``.json`` (status, validators, time). Written atomically,
    so an interrupted run never leaves a half file that a later run would trust."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / f"{key}.json", self.root / f"{key}.body"

    def get(self, url: str) -> tuple[dict[str, Any], bytes | None] | None:
        meta_p, body_p = self._paths(url)
        try:
            meta = json.loads(meta_p.read_text("utf-8"))
            if meta.get("url") != url:
                return None
            body = body_p.read_bytes() if meta.get("body") else None
        except (OSError, ValueError):
            return None
        if body is not None and len(body) != meta.get("size"):
            return None
        return meta, body

    def put(self, url: str, meta: dict[str, Any], body: bytes | None) -> None:
        meta_p, body_p = self._paths(url)
        meta = dict(meta, url=url, body=body is not None, size=len(body) if body is not None else meta.get("size"),
                    stored=time.time())
        try:
            if body is not None:
                _atomic_write(body_p, body)
            _atomic_write(meta_p, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs a download next time


def _atomic_write(path: Path, data: bytes) -> None:
    with atomic_write(path, binary=True) as fh:
        fh.write(data)


class Fetcher:
    """Fetches URLs under :class:`FetchOptions`; thread-safe, one instance per run."""

    def __init__(self, options: FetchOptions | None = None, http: Http | None = None) -> None:
        self.o = options or FetchOptions()
        self.http = http or Http(limits=Limits(deadline=self.o.deadline, max_bytes=self.o.max_size,
                                               max_redirects=self.o.max_redirects))
        self.cache = Cache(self.o.cache_dir) if self.o.cache_dir else None
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self.requests = {"HEAD": 0, "GET": 0}

    def _host(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "", urlsplit(url).port)
        with self._lock:
            return self._hosts.setdefault(repr(host), threading.Semaphore(self.o.per_host))

    def _count(self, method: str, counts: dict[str, int]) -> None:
        counts[method] = counts.get(method, 0) + 1
        with self._lock:
            self.requests[method] += 1

    def get(self, url: str) -> Fetched:
        """The bytes of ``url`` (from the cache when it may), or why there are none."""
        counts: dict[str, int] = {}
        cached = self.cache.get(url) if self.cache else None
        if cached is not None and not self.o.refresh and time.time() - cached[0].get("stored", 0) < self.o.ttl:
            return self._from_cache(url, cached, counts)
        with self._host(url):
            return self._fetch(url, cached, counts)

    def _fetch(self, url: str, cached: tuple[dict[str, Any], bytes | None] | None, counts: dict[str, int]) -> Fetched:
        headers: dict[str, str] = {}
        if cached is not None:
            meta = cached[0]
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        if self.o.head_first:
            self._count("HEAD", counts)
            head = self.http.fetch(url, method="HEAD", headers=headers)
            if head.error is None and head.status is not None and head.status not in HEAD_REFUSED and head.status < 500:
                if head.status == 304 and cached is not None:
                    return self._from_cache(url, cached, counts, refreshed=True)
                if head.status >= 400:
                    return self._failed(url, head.status, f"HTTP {head.status}", None, counts)
                length = head.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.o.max_size:
                    return self._too_large(url, int(length), head.status, counts)
                if cached is not None and _same(cached[0], head.headers):
                    return self._from_cache(url, cached, counts, refreshed=True)
        self._count("GET", counts)
        try:
            with self.http.stream(url, headers=headers) as st:
                if st.status == 304 and cached is not None:
                    return self._from_cache(url, cached, counts, refreshed=True)
                if st.status >= 400:
                    return self._failed(url, st.status, f"HTTP {st.status}", None, counts)
                length = st.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.o.max_size:
                    return self._too_large(url, int(length), st.status, counts)
                body = b"".join(st.iter_bytes())
                if st.truncated:
                    return self._too_large(url, None, st.status, counts)
                meta = {"status": st.status, "etag": st.headers.get("etag"),
                        "last_modified": st.headers.get("last-modified"),
                        "content_type": st.headers.get("content-type"), "final_url": st.final_url}
        except FetchError as exc:
            return self._failed(url, None, str(exc), exc.kind, counts)
        if self.cache is not None:
            self.cache.put(url, meta, body)
        return Fetched(body, True, meta["status"], size=len(body), content_type=meta["content_type"],
                       cache="miss" if self.cache else None, requests=counts, final_url=meta["final_url"])

    def _from_cache(self, url: str, cached: tuple[dict[str, Any], bytes | None], counts: dict[str, int],
                    refreshed: bool = False) -> Fetched:
        meta, body = cached
        if refreshed and self.cache is not None:
            self.cache.put(url, meta, body)  # a fresh "stored" time: the next run within ttl asks nothing
        if body is None:  # remembered as too large
            if meta.get("too_large") and (meta.get("size") or 0) > self.o.max_size:
                return Fetched(None, False, meta.get("status"), size=meta.get("size"), too_large=True,
                               cache="hit", requests=counts, error_en="over the size limit",
                               error_th="ไฟล์ใหญ่เกินขีดจำกัด")
            return self._fetch(url, None, counts)
        if len(body) > self.o.max_size:
            return self._too_large(url, len(body), meta.get("status"), counts, store=False)
        return Fetched(body, True, meta.get("status"), size=len(body), content_type=meta.get("content_type"),
                       cache="hit", requests=counts, final_url=meta.get("final_url"))

    def _too_large(self, url: str, size: int | None, status: int | None, counts: dict[str, int],
                   store: bool = True) -> Fetched:
        if store and self.cache is not None and size is not None:
            self.cache.put(url, {"status": status, "too_large": True, "size": size}, None)
        return Fetched(None, False, status, size=size, too_large=True, cache="miss" if self.cache else None,
                       requests=counts, error_en="over the size limit", error_th="ไฟล์ใหญ่เกินขีดจำกัด")

    def _failed(self, url: str, status: int | None, reason: str, kind: str | None, counts: dict[str, int]) -> Fetched:
        th = _ERR_TH.get(kind or "", f"เครื่องแม่ข่ายตอบ HTTP {status}" if status else "เกิดข้อผิดพลาด")
        if status is not None:
            th = f"เครื่องแม่ข่ายตอบ HTTP {status}"
        return Fetched(None, False, status, error_en=reason, error_th=th, requests=counts,
                       cache="miss" if self.cache else None)

    def close(self) -> None:
        self.http.close()


def _same(meta: dict[str, Any], headers: Any) -> bool:
    """A HEAD answer describes the cached file (same ETag, or same Last-Modified and length)."""
    etag = headers.get("etag")
    if etag and meta.get("etag"):
        return bool(etag == meta["etag"])
    lm = headers.get("last-modified")
    return bool(lm and lm == meta.get("last_modified") and headers.get("content-length") == str(meta.get("size")))


def run_bounded(items: Iterable[T], work: Callable[[T], Any], *, concurrency: int,
                progress: Callable[[int, int], None] | None = None, key: Callable[[T], str] | None = None) -> list[Any]:
    """``work(item)`` for each item on at most ``concurrency`` threads; results in input order.

    Items are interleaved by ``key`` (the host) first so that a per-host limit does not leave
    the other workers waiting behind one slow site.
    """
    todo = list(enumerate(items))
    if key is not None:
        todo = _interleave(todo, lambda pair: key(pair[1]))
    out: list[Any] = [None] * len(todo)
    if not todo:
        return out
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(todo)))) as pool:
        futures = {pool.submit(work, x): i for i, x in todo}
        for done, fut in enumerate(as_completed(futures), 1):
            out[futures[fut]] = fut.result()
            if progress:
                progress(done, len(todo))
    return out


def _interleave(items: list[T], key: Callable[[T], str]) -> list[T]:
    groups: dict[str, list[T]] = {}
    for x in items:
        groups.setdefault(key(x), []).append(x)
    out: list[T] = []
    lists = list(groups.values())
    i = 0
    while len(out) < len(items):
        for g in lists:
            if i < len(g):
                out.append(g[i])
        i += 1
    return out
