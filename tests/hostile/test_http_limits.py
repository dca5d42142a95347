"""catalog_tools.http under hostile servers: total deadlines, byte caps, bounded redirects.

Assertions are on outcomes (what the client reports, how many bytes the server managed to
drip before the client left), never on elapsed time.
"""
from __future__ import annotations

import gzip

import pytest

from catalog_tools.ckan.links import check_link, check_links
from catalog_tools.http import FetchError, Http, Limits, check_http_url, fetch, probe, retry_after, stream
from catalog_tools.scoring.reach import url_reachable
from tests.hostile.httpd import Handler, HostileServer

CSV = "รหัสจังหวัด,จังหวัด,จำนวนนักท่องเที่ยว\n10,กรุงเทพมหานคร,23500000\n50,เชียงใหม่,10800000\n".encode()


def _ok(h: Handler) -> None:
    h.reply(200, CSV, content_type="text/csv; charset=utf-8")


def _drip_headers(h: Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    h.drip(b"Content-Type: text/csv\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n", 0.2)


def _drip_body(h: Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 200\r\n\r\n")
    h.drip(CSV[:200].ljust(200, b" "), 0.2)


def _loop(h: Handler) -> None:
    h.reply(302, headers={"Location": "/loop"})


def _no_head(h: Handler) -> None:
    if h.command == "HEAD":
        h.reply(405)
    else:
        _ok(h)


def _to_file(h: Handler) -> None:
    h.reply(302, headers={"Location": "file:///etc/passwd"})


def _big(h: Handler) -> None:  # 64 MiB announced; stops when the client leaves
    size = 64 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Length", str(size))
    h.end_headers()
    sent, block = 0, b"1,2,3\n" * 10922
    try:
        while sent < size and not h.server.owner.stopping.is_set():
            h.wfile.write(block)
            sent += len(block)
    except OSError:
        pass
    h.server.owner.events.append(("big", sent, size))
    h.close_connection = True


def _big_chunked(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    block = b"a" * 65536
    try:
        for _ in range(512):  # 32 MiB at most
            h.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
    except OSError:
        pass
    h.close_connection = True


def _gzip_bomb(h: Handler) -> None:
    body = gzip.compress(b"0" * (20 * 1024 * 1024))
    h.reply(200, body, headers={"Content-Encoding": "gzip"})


def _reset(h: Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
    h.close_connection = True


ROUTES = {"/ok": _ok, "/drip-headers": _drip_headers, "/drip-body": _drip_body, "/loop": _loop,
          "/no-head": _no_head, "/to-file": _to_file, "/big": _big, "/big-chunked": _big_chunked,
          "/gzip-bomb": _gzip_bomb, "/reset": _reset}


@pytest.fixture
def srv(no_network):
    with HostileServer(ROUTES) as server:
        yield server


def test_a_server_dripping_headers_is_cut_at_the_total_deadline(srv):
    # per-read timeouts alone would wait for all 200+ bytes, 0.2 s apart, and call it reachable
    result = check_link(srv.url("/drip-headers"), timeout=1.0)
    assert not result.ok and "within 1s" in result.reason
    dripped = srv.wait_for("dripped")
    assert dripped and all(sent < total for _, sent, total in dripped)


def test_a_server_dripping_the_body_is_cut_at_the_total_deadline(srv):
    got = fetch(srv.url("/drip-body"), limits=Limits(deadline=1.0))
    assert got.kind == "timeout" and not got.ok and got.body == b""
    _, sent, total = srv.wait_for("dripped")[0]
    assert sent < total


def test_link_checks_in_parallel_each_have_their_own_deadline(srv):
    urls = [srv.url("/drip-headers"), srv.url("/ok"), srv.url("/no-head"), srv.url("/loop")]
    results = check_links(urls, concurrency=4, timeout=1.0)
    assert [results[u].ok for u in urls] == [False, True, True, False]
    assert results[urls[3]].reason == "more than 5 redirects"


def test_head_refused_falls_back_to_get_without_reading_the_body(srv):
    got = probe(srv.url("/no-head"))
    assert got.ok and got.status == 200 and got.body == b""
    assert [r["method"] for r in srv.requests] == ["HEAD", "GET"]
    assert all(r["headers"]["user-agent"].startswith("catalog-tools/") for r in srv.requests)


def test_redirect_loops_and_non_http_targets_are_refused(srv):
    assert fetch(srv.url("/loop"), limits=Limits(max_redirects=3)).kind == "redirects"
    assert len(srv.requests) == 4  # the first request and three hops
    assert fetch(srv.url("/to-file")).kind == "invalid_url"


def test_bodies_are_capped_without_reading_the_rest(srv):
    got = fetch(srv.url("/big"), limits=Limits(max_bytes=1024 * 1024))
    assert got.status == 200 and got.truncated and len(got.body) == 1024 * 1024
    chunked = fetch(srv.url("/big-chunked"), limits=Limits(max_bytes=100_000))
    assert chunked.truncated and len(chunked.body) == 100_000
    bomb = fetch(srv.url("/gzip-bomb"), limits=Limits(max_bytes=1_000_000))
    assert bomb.truncated and len(bomb.body) == 1_000_000
    small = fetch(srv.url("/ok"))
    assert small.body == CSV and not small.truncated and small.content_type.startswith("text/csv")


def test_stream_reads_chunks_under_the_cap_and_raises_on_a_broken_body(srv):
    with stream(srv.url("/big"), limits=Limits(max_bytes=300_000)) as st:
        total = sum(len(c) for c in st.iter_bytes(chunk_size=65536))
    assert total == 300_000 and st.truncated and st.status == 200
    with pytest.raises(FetchError) as info, stream(srv.url("/reset")) as st:
        b"".join(st.iter_bytes())
    assert info.value.kind == "broken"


def test_connection_refused_is_reported_as_nothing_sent(no_network):
    with HostileServer() as gone:
        url = gone.url("/")
    got = fetch(url, limits=Limits(deadline=2))
    assert got.kind == "connect" and not got.sent and got.status is None


@pytest.mark.parametrize("url", ["http://evil.example\\@127.0.0.1:80/", "ftp://127.0.0.1/x", "http:///x",
                                 "http://127.0.0.1:99999/", "http://a\tb/", "http://127.0.0.1/\x85", "javascript:alert(1)", ""])
def test_unfetchable_urls_are_refused_before_any_connection(url, no_network):
    assert check_http_url(url) is not None
    assert fetch(url).kind == "invalid_url"
    assert not url_reachable(url, timeout=1)


def test_a_resource_url_with_spaces_or_thai_is_checked_as_a_browser_would(srv):
    from urllib.parse import quote

    srv.routes[quote("/ข้อมูล นักท่องเที่ยว.csv")] = _ok  # what arrives: the path encoded as a browser sends it
    assert check_link(srv.url("/ข้อมูล นักท่องเที่ยว.csv"), timeout=2).ok


def test_catalog_reachability_uses_the_same_probe(srv):
    assert url_reachable(srv.url("/no-head"), timeout=2)
    assert not url_reachable(srv.url("/drip-headers"), timeout=1)
    assert not url_reachable(srv.url("/missing"), timeout=2)


def test_retry_after_is_read_as_seconds_or_date_and_bounded():
    assert retry_after({"retry-after": "3"}, cap=10) == 3.0
    assert retry_after({"retry-after": "86400"}, cap=10) == 10.0
    assert retry_after({"retry-after": "-5"}, cap=10) == 0.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, cap=10, now=1445412475.0) == 5.0
    assert retry_after({"retry-after": "soon"}, cap=10) is None
    assert retry_after({"retry-after": "nan"}, cap=10) is None
    assert retry_after({}, cap=10) is None


def test_an_http_instance_reuses_connections_and_closes(srv):
    with Http(user_agent="catalog-tools/test-suite") as http:
        assert all(http.fetch(srv.url("/ok")).ok for _ in range(3))
    assert {r["headers"]["user-agent"] for r in srv.requests} == {"catalog-tools/test-suite"}
