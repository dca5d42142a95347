"""A resumable crawl: full datasets kept in SQLite, fetched again only when they changed.

Auditing a whole portal of 10^5 datasets takes long enough to be interrupted. With
``--cache FILE`` the crawl works in two steps:

1. a light listing of every dataset in scope — ``package_search`` with ``fl=id,name,metadata_modified``
   (paged with the same guards as every other listing: repeats and a hard cap stop it);
2. the full dataset only for ids the cache does not hold, or holds with another
   ``metadata_modified`` — fetched in batches (``fq=id:(…)``), a few batches at a time, each batch
   committed as soon as it arrives. An interrupted audit therefore resumes where it stopped, and
   a rerun on an unchanged portal fetches nothing but the listing.

Datasets the listing no longer shows are dropped from the cache (deleted or made private).
``since`` (``--since DATE``) limits the listing to datasets modified on or after DATE and takes
every other dataset of the scope from the cache as it is: a much shorter listing on a huge
portal, at the price of not noticing deletions older than DATE (the crawl facts say so).

The cache file holds catalogue metadata only — never the API token.
"""
from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .client import CkanClient
from .paging import PageStats, pages

SCHEMA_VERSION = 1


class CacheError(ValueError):
    """The cache file cannot be used (not SQLite, another version, unwritable); one line, exit 2."""


@dataclass(slots=True)
class CacheStats:
    listed: int = 0
    fetched: int = 0
    from_cache: int = 0
    dropped: int = 0
    batches: int = 0
    listing_pages: int = 0
    stopped: str | None = None
    since: str | None = None
    missing: list[str] = field(default_factory=list)  # listed but not returned by the batch fetch

    def to_dict(self) -> dict[str, Any]:
        return {"listed": self.listed, "fetched": self.fetched, "from_cache": self.from_cache, "dropped": self.dropped,
                "batches": self.batches, "listing_pages": self.listing_pages, "stopped": self.stopped,
                "since": self.since, "missing": list(self.missing)}


class PackageCache:
    """Packages of one catalog (URL) and scope (organisation or all, private or not) in SQLite."""

    def __init__(self, path: str | Path, *, url: str, scope: str) -> None:
        self.path = Path(path)
        self.url = url.rstrip("/")
        self.scope = scope
        self._check_path()
        try:
            self.db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            self._check_foreign()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS packages (catalog TEXT, scope TEXT, id TEXT, modified TEXT, "
                            "body TEXT, PRIMARY KEY (catalog, scope, id))")
            row = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('version', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise CacheError(f"{self.path}: a cache of another version ({row[0]}); use a new file — "
                                 f"ไฟล์แคชเป็นรุ่นอื่น ให้ใช้ไฟล์ใหม่")
            self.db.commit()
        except (sqlite3.Error, CacheError) as exc:
            if hasattr(self, "db"):
                self.db.close()
            raise exc if isinstance(exc, CacheError) else self._error(exc) from None

    def _check_path(self) -> None:
        """A FIFO, device or folder is refused before SQLite opens it; so is a file we cannot write
        (the crawl would fail at its first batch, after the whole listing)."""
        import os

        from ..fileio import NotRegularFile, require_regular_file

        try:
            require_regular_file(self.path)
        except FileNotFoundError:
            parent = self.path.parent if str(self.path.parent) else Path(".")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise CacheError(f"{self.path}: cannot create the cache file here (folder not writable) — "
                                 f"สร้างไฟล์แคชในโฟลเดอร์นี้ไม่ได้") from None
            return
        except NotRegularFile as exc:
            raise CacheError(f"{self.path}: {exc}") from None
        if not os.access(self.path, os.R_OK | os.W_OK):
            raise CacheError(f"{self.path}: the cache file is not writable — เขียนไฟล์แคชไม่ได้ (ไม่มีสิทธิ์เขียน)")

    def _check_foreign(self) -> None:
        """Refuse, without writing a byte, a SQLite file that is not our cache (another program's
        database given by mistake): creating our tables in it would change the user's file."""
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not {"meta", "packages"} <= tables:
            raise CacheError(f"{self.path}: a SQLite database that is not a catalog-tools cache; not touched — "
                             f"ไฟล์นี้เป็นฐานข้อมูล SQLite อื่น ไม่ใช่ไฟล์แคช จึงไม่แก้ไข")

    def _error(self, exc: BaseException) -> CacheError:
        return CacheError(f"{self.path}: not a usable cache file ({exc}) — ใช้ไฟล์แคชนี้ไม่ได้")

    def close(self) -> None:
        self.db.close()

    def known(self) -> dict[str, str]:
        try:
            rows = self.db.execute("SELECT id, modified FROM packages WHERE catalog=? AND scope=?",
                                   (self.url, self.scope)).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return {str(i): str(m) for i, m in rows}

    def put(self, packages: Iterable[dict[str, Any]], modified: dict[str, str] | None = None) -> int:
        """Store packages; ``modified`` gives the stamp as the listing shows it (search answers the
        stamp in its own format, which is what the next listing is compared with)."""
        stamps = modified or {}
        rows = [(self.url, self.scope, str(p["id"]), stamps.get(str(p["id"]), str(p.get("metadata_modified") or "")),
                 json.dumps(p, ensure_ascii=False)) for p in packages if p.get("id")]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO packages VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:  # disk full, file made read-only or locked past the timeout
            raise self._error(exc) from None
        return len(rows)

    def drop(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        try:
            with self.db:
                self.db.executemany("DELETE FROM packages WHERE catalog=? AND scope=? AND id=?",
                                    [(self.url, self.scope, i) for i in ids])
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return len(ids)

    def packages(self) -> Iterator[dict[str, Any]]:
        try:
            cursor = self.db.execute("SELECT body FROM packages WHERE catalog=? AND scope=? ORDER BY id",
                                     (self.url, self.scope))
            rows = cursor.fetchmany(500)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        while rows:
            yield from self._bodies(rows)
            try:
                rows = cursor.fetchmany(500)
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _bodies(self, rows: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
        for (body,) in rows:
            try:
                pkg = json.loads(body)
            except (TypeError, ValueError, RecursionError):
                pkg = None
            if not isinstance(pkg, dict):  # a row someone else wrote: never dropped silently
                raise CacheError(f"{self.path}: a cached dataset is not JSON; use a new file — "
                                 f"ข้อมูลในไฟล์แคชเสียหาย ให้ใช้ไฟล์ใหม่")
            yield pkg


def cached_crawl(client: CkanClient, cache: PackageCache, *, org: str | None = None, include_private: bool = False,
                 since: str | None = None, page_size: int = 1000, batch_size: int = 50, workers: int = 4,
                 max_datasets: int = 1_000_000, stats: CacheStats | None = None) -> list[dict[str, Any]]:
    """Every dataset of the scope, fetched only when the cache lacks it or it changed (see module doc)."""
    stats = stats if stats is not None else CacheStats()
    stats.since = since
    fq = [f'organization:"{org}"'] if org else []
    if since:
        fq.append(f"metadata_modified:[{since}T00:00:00Z TO *]")
    listing = PageStats()
    counts: list[int] = []

    def fetch(start: int) -> list[Any]:
        data: dict[str, Any] = {"q": "*:*", "rows": page_size, "start": start, "sort": "name asc",
                                "include_private": include_private, "fl": "id,name,metadata_modified"}
        if fq:
            data["fq"] = " AND ".join(fq)
        page = client.call_action("package_search", data)
        stats.listing_pages += 1
        count = page.get("count") if isinstance(page, dict) else None
        counts.append(count if isinstance(count, int) and not isinstance(count, bool) else 0)
        results = page.get("results") if isinstance(page, dict) else None
        return [p for p in results or [] if isinstance(p, dict) and p.get("id")]

    max_pages = max(1, -(-max_datasets // page_size))
    listed = {str(p["id"]): str(p.get("metadata_modified") or "")
              for p in pages(fetch, key=lambda p: p["id"], page_size=page_size, max_pages=max_pages,
                             done=lambda off: off >= counts[-1], stats=listing)}
    stats.listed = len(listed)
    stats.stopped = listing.stopped
    known = cache.known()
    wanted = [i for i, mod in listed.items() if known.get(i) != mod or (since is not None)]
    if since is None and listing.stopped is None:
        stats.dropped = cache.drop(i for i in known if i not in listed)
    batches = [wanted[i:i + batch_size] for i in range(0, len(wanted), batch_size)]

    def get(batch: list[str]) -> list[dict[str, Any]]:
        quoted = " OR ".join(f'"{i}"' for i in batch)
        page = client.call_action("package_search", {"q": "*:*", "fq": f"id:({quoted})", "rows": len(batch),
                                                     "include_private": include_private})
        results = page.get("results") if isinstance(page, dict) else None
        return [p for p in results or [] if isinstance(p, dict) and p.get("id")]

    with ThreadPoolExecutor(max_workers=max(1, min(workers, 8))) as pool:
        for batch, got in zip(batches, pool.map(get, batches)):
            stats.batches += 1
            stats.fetched += cache.put(got, listed)
            returned = {str(p["id"]) for p in got}
            stats.missing.extend(i for i in batch if i not in returned)
    out = list(cache.packages())
    stats.from_cache = len(out) - stats.fetched
    return out
