"""The SQLite crawl cache: hostile files and what it keeps (the real-CKAN tests cover the crawl)."""
from __future__ import annotations

import sqlite3

import pytest

from catalog_tools.ckan.cache import CacheError, PackageCache


def test_not_a_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "cache.sqlite"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not SQLite" * 100)
    with pytest.raises(CacheError) as info:
        PackageCache(bad, url="https://catalog.tourism.go.th", scope="*").known()
    assert "\n" not in str(info.value)


def test_another_version_is_refused(tmp_path):
    path = tmp_path / "cache.sqlite"
    PackageCache(path, url="https://catalog.tourism.go.th", scope="*").close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='99' WHERE key='version'")
    db.commit()
    db.close()
    with pytest.raises(CacheError, match="another version"):
        PackageCache(path, url="https://catalog.tourism.go.th", scope="*")


def test_scopes_and_catalogs_are_kept_apart(tmp_path):
    path = tmp_path / "cache.sqlite"
    a = PackageCache(path, url="https://catalog.tourism.go.th/", scope="dot|private=False")
    a.put([{"id": "1", "name": "tourism-stat", "title": "สถิตินักท่องเที่ยว", "metadata_modified": "2026-01-01T00:00:00"}])
    b = PackageCache(path, url="https://catalog.tourism.go.th", scope="dsd|private=False")
    assert b.known() == {} and a.known() == {"1": "2026-01-01T00:00:00"}
    assert [p["title"] for p in a.packages()] == ["สถิตินักท่องเที่ยว"]
    assert a.drop(["1"]) == 1 and a.known() == {}
    a.close()
    b.close()


def test_the_token_is_never_stored(tmp_path):
    path = tmp_path / "cache.sqlite"
    c = PackageCache(path, url="https://catalog.tourism.go.th", scope="*")
    c.put([{"id": "1", "name": "x", "metadata_modified": "2026-01-01"}])
    c.close()
    assert b"eyJ" not in path.read_bytes() and b"token" not in path.read_bytes().lower()
