"""Fetching from a real local server: one GET per file, the cache, HEAD refused, slow servers,
redirect loops, size caps and zip bombs."""
from __future__ import annotations

from pathlib import Path

from catalog_tools.quality.assess import QualityOptions, assess
from catalog_tools.quality.fetch import FetchOptions, Fetcher


def fetcher(tmp_path: Path | None = None, **kw) -> Fetcher:
    opts = dict(deadline=5.0, max_size=2 * 2**20, cache_dir=tmp_path / "cache" if tmp_path else None)
    opts.update(kw)
    return Fetcher(FetchOptions(**opts))


def requests_for(server, path: str) -> list[str]:
    return [m for m, p in server.log if p == path]


def test_one_get_per_file_and_the_bytes_are_the_file(corpus_server, corpus_files) -> None:
    f = fetcher()
    got = f.get(f"{corpus_server.url}/f/visitors-tis620.csv")
    assert got.reachable and got.data == corpus_files["visitors-tis620.csv"] and got.requests == {"GET": 1}
    assert requests_for(corpus_server, "/f/visitors-tis620.csv") == ["GET"]


def test_a_rerun_uses_the_cache_without_any_request(corpus_server, tmp_path) -> None:
    url = f"{corpus_server.url}/f/visitors-bom.csv"
    first = fetcher(tmp_path).get(url)
    second = fetcher(tmp_path).get(url)
    assert (first.cache, second.cache) == ("miss", "hit") and second.data == first.data
    assert requests_for(corpus_server, "/f/visitors-bom.csv") == ["GET"]


def test_an_old_cache_entry_is_revalidated_with_one_conditional_get(corpus_server, tmp_path) -> None:
    url = f"{corpus_server.url}/f/visitors-2566.tsv"
    first = fetcher(tmp_path, ttl=0).get(url)
    again = fetcher(tmp_path, ttl=0).get(url)
    assert again.cache == "hit" and again.data == first.data and again.requests == {"GET": 1}
    assert requests_for(corpus_server, "/f/visitors-2566.tsv") == ["GET", "GET"]  # the second answered 304


def test_a_server_refusing_head_is_not_a_timeout(corpus_server, corpus_files) -> None:
    got = fetcher(head_first=True).get(f"{corpus_server.url}/nohead/visitors-2566.xlsx")
    assert got.reachable and got.data == corpus_files["visitors-2566.xlsx"]
    assert got.requests == {"HEAD": 1, "GET": 1}
    q = assess(got, name="visitors-2566.xlsx", declared="XLSX").quality
    assert q["completeness"] is not None and q["error"] is None


def test_head_first_skips_the_download_of_a_file_over_the_cap(corpus_server) -> None:
    got = fetcher(head_first=True).get(f"{corpus_server.url}/big")
    assert got.too_large and got.size == 64 * 2**20 and got.requests == {"HEAD": 1}


def test_a_declared_length_over_the_cap_is_not_read(corpus_server) -> None:
    got = fetcher().get(f"{corpus_server.url}/big")
    assert got.too_large and not got.reachable and got.data is None and got.requests == {"GET": 1}


def test_a_stream_without_length_stops_at_the_cap(corpus_server) -> None:
    got = fetcher(max_size=256 * 1024).get(f"{corpus_server.url}/big-chunked")
    assert got.too_large and got.data is None


def test_missing_file_slow_server_and_redirect_loop(corpus_server) -> None:
    f = fetcher(deadline=1.0)
    gone = f.get(f"{corpus_server.url}/f/no-such-file.csv")
    assert (gone.reachable, gone.status, gone.error_en) == (False, 404, "HTTP 404")
    slow = f.get(f"{corpus_server.url}/slow/visitors-2566.csv")
    assert not slow.reachable and "1s" in (slow.error_en or "") and slow.error_th
    loop = f.get(f"{corpus_server.url}/loop")
    assert not loop.reachable and "redirect" in (loop.error_en or "")
    assert corpus_server.count(lambda m, p: p == "/loop") == 6  # the first request and 5 redirects, no more


def test_redirects_within_the_limit_are_followed(corpus_server, corpus_files) -> None:
    got = fetcher().get(f"{corpus_server.url}/hop/3/attractions.kml")
    assert got.reachable and got.data == corpus_files["attractions.kml"]
    assert got.final_url and got.final_url.endswith("/f/attractions.kml")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(corpus_server) -> None:
    got = fetcher().get(f"{corpus_server.url}/f/visitors-bomb.xlsx")
    assert got.reachable
    a = assess(got, name="visitors-bomb.xlsx", declared="XLSX", options=QualityOptions())
    assert a.quality["detected_format"] == "XLSX"
    assert [i.code for i in a.issues] == ["content_unreadable"]
    assert "zip bomb" in a.issues[0].context["reason_en"]


def test_head_first_revalidates_a_cached_file_without_downloading_it(corpus_server, tmp_path) -> None:
    url = f"{corpus_server.url}/f/visitors-2566.json"
    first = fetcher(tmp_path, ttl=0).get(url)
    again = fetcher(tmp_path, ttl=0, head_first=True).get(url)
    assert again.cache == "hit" and again.data == first.data and again.requests == {"HEAD": 1}
    assert requests_for(corpus_server, "/f/visitors-2566.json") == ["GET", "HEAD"]
