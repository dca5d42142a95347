"""The CKAN client against a hostile Action API on 127.0.0.1 (no real CKAN needed).

Modes: a URL that urllib3 reads differently from urlsplit, a server echoing the token (also
in ValidationError keys, and tokens holding ``"`` and ``\\``), odd success shapes, HTML
instead of JSON, a redirect to another host, 429 with Retry-After, a 300 MB answer, a hang,
a 502 on a write.
"""
from __future__ import annotations

import json

import pytest

from catalog_tools.ckan import client as client_mod
from catalog_tools.ckan.client import (CkanBadAnswer, CkanError, CkanNotFound, CkanTransientError, CkanUsageError,
                                       CkanValidationError, RemoteClient, check_url, read_token)
from catalog_tools.redaction import forget_all
from tests.hostile.httpd import Handler, HostileServer

#: a JWT-like token, and one holding the characters JSON and CSV escape
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ0b3VyaXNtLTIwMjQifQ.c2lnbmF0dXJlLXRoYWktZ292"
ODD_TOKEN = 'tok"en\\with-quote-and-backslash-ท่องเที่ยว'.encode("ascii", "ignore").decode() + "-2024"
PACKAGE = {"id": "4f1c2a9e-0b6d-4d8e-9f0a-7f1e2d3c4b5a", "name": "dataset_11_01",
           "title": "สถิตินักท่องเที่ยวชาวไทย รายจังหวัด", "resources": []}


@pytest.fixture(autouse=True)
def _fresh_secrets():
    forget_all()
    yield
    forget_all()


@pytest.fixture
def ckan(no_network):
    answers: dict[str, list] = {}

    def route(h: Handler) -> None:
        queue = answers.get(h.action) or answers.get("*") or []
        step = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else (200, {"success": True, "result": {}}))
        if callable(step):
            step(h)
        else:
            status, body = step[0], step[1]
            headers = step[2] if len(step) > 2 else None
            if isinstance(body, (bytes, str)):
                h.reply(status, body.encode() if isinstance(body, str) else body, headers, "text/html")
            else:
                h.json(status, body, headers)

    with HostileServer({"*": route}) as srv:
        srv.answers = answers  # type: ignore[attr-defined]
        yield srv


def _client(srv, token=TOKEN, **kw) -> RemoteClient:
    kw.setdefault("retries", 0)
    kw.setdefault("backoff", 0.01)
    return RemoteClient(srv.url(""), token, **kw)


# -- the plain-http guard ---------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://evil.example\\@127.0.0.1:5000",          # urllib3 connects to evil.example
    "http://evil.example%5C@127.0.0.1:5000",          # user info, percent-encoded
    "http://ci_admin:secret@127.0.0.1:5000",           # user info
    "http://127.0.0.1:5000?next=http://evil.example",  # a query would be glued to every action URL
    "http://127.0.0.1:5000#frag",
    "http://evil_host.example",                        # not a DNS name
    "http://127.0.0.1:5000/\napi",                     # control character
    "http://[::1",                                     # broken IPv6 literal
])
def test_urls_the_http_stack_reads_differently_are_refused(url):
    with pytest.raises(CkanUsageError) as info:
        check_url(url, TOKEN)
    assert "\n" not in str(info.value)


def test_the_backslash_bypass_never_connects_anywhere(ckan):
    with pytest.raises(CkanUsageError, match="backslash"):
        RemoteClient(f"http://evil.example\\@127.0.0.1:{ckan.port}", TOKEN)
    assert ckan.requests == []


def test_plain_catalog_urls_still_work(ckan):
    assert check_url(f"http://127.0.0.1:{ckan.port}/", TOKEN) == f"http://127.0.0.1:{ckan.port}"
    assert check_url("https://catalog.example.go.th/ckan", TOKEN) == "https://catalog.example.go.th/ckan"
    assert check_url("https://ข้อมูล.example.th", TOKEN)  # an IDN host


# -- the token never comes back --------------------------------------------------------------

@pytest.mark.parametrize("token", [TOKEN, ODD_TOKEN])
def test_an_echoed_token_is_redacted_before_the_message_is_cut(ckan, token):
    page = ("<html><body><h1>400 Bad Request</h1>" + "x" * 280 + f"<p>Authorization: {token}</p></body></html>")
    ckan.answers["package_show"] = [(400, page)]
    ckan.answers["package_search"] = [(409, {"success": False, "error": {"__type": "Weird Error",
                                                                         "message": "ก" * 250 + token}})]
    c = _client(ckan, token)
    for action in ("package_show", "package_search"):
        with pytest.raises(CkanError) as info:
            c.call_action(action, {"id": "dataset_11_01"})
        text = str(info.value)
        assert token not in text and token[:12] not in text and json.dumps(token)[1:-1] not in text


def test_validation_error_keys_and_values_are_redacted(ckan):
    ckan.answers["package_create"] = [(409, {"success": False, "error": {
        "__type": "Validation Error", ODD_TOKEN: [f"unknown field {ODD_TOKEN}"], "name": ["That URL is already in use."]}})]
    c = _client(ckan, ODD_TOKEN)
    with pytest.raises(CkanValidationError) as info:
        c.call_action("package_create", {"name": "dataset_11_01"})
    dumped = json.dumps(info.value.error_dict) + str(info.value)
    assert ODD_TOKEN not in dumped and json.dumps(ODD_TOKEN)[1:-1] not in dumped
    assert info.value.error_dict["***"] == ["unknown field ***"]


def test_a_token_inside_an_answer_is_removed_from_the_data(ckan):
    ckan.answers["package_show"] = [(200, {"success": True, "result": dict(PACKAGE, notes=f"key {TOKEN}")})]
    assert _client(ckan).call_action("package_show", {"id": "dataset_11_01"})["notes"] == "key ***"


def test_the_token_is_sent_only_in_the_header_and_never_across_a_redirect(ckan):
    ckan.answers["status_show"] = [(302, "", {"Location": "http://other.example/api/3/action/status_show"})]
    with pytest.raises(CkanBadAnswer, match="redirect.*other.example") as info:
        _client(ckan, retries=2).call_action("status_show")
    assert len(ckan.requests) == 1 and ckan.requests[0]["headers"]["authorization"] == TOKEN
    assert "Location" not in str(info.value)


@pytest.mark.parametrize("content, why", [
    ("", "empty"), ("\n\n", "empty"), (b"\xff\xfe\x00", "UTF-8"), ("line one with spaces\n", "spaces"),
])
def test_bad_token_files_are_one_clear_error(tmp_path, content, why):
    f = tmp_path / "token"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CkanUsageError, match=why) as info:
        read_token(f)
    assert "line one" not in str(info.value)


def test_token_files_that_are_not_files_are_refused(tmp_path):
    with pytest.raises(CkanUsageError, match="not a regular file"):
        read_token(tmp_path)
    with pytest.raises(CkanUsageError, match="not a regular file"):
        read_token("/dev/zero")
    big = tmp_path / "big"
    big.write_bytes(b"a" * 100_000)
    with pytest.raises(CkanUsageError, match="larger than"):
        read_token(big)
    crlf = tmp_path / "crlf"
    crlf.write_bytes(b"\xef\xbb\xbf" + TOKEN.encode() + b"\r\n")
    assert read_token(crlf) == TOKEN


# -- odd answers --------------------------------------------------------------------------------

@pytest.mark.parametrize("body, why", [
    ({"success": "false", "result": PACKAGE}, "'success' is the text \"false\""),
    ({"success": True}, "no result"),
    ({"success": True, "result": None}, "result is null"),
    ({"success": True, "result": [PACKAGE]}, "result is a list"),
    ({"success": True, "result": {"name": "dataset_11_01"}}, "no id"),
    ([1, 2, 3], "'success' is a list"),
    ("<!doctype html><title>เข้าสู่ระบบ</title>", "not JSON"),
])
def test_odd_success_shapes_are_a_clear_error_not_a_crash(ckan, body, why):
    ckan.answers["package_show"] = [(200, body)]
    with pytest.raises(CkanBadAnswer) as info:
        _client(ckan).call_action("package_show", {"id": "dataset_11_01"})
    assert why in str(info.value)


def test_an_odd_answer_to_a_write_may_have_happened(ckan):
    ckan.answers["package_create"] = [(200, {"success": "true", "result": PACKAGE})]
    with pytest.raises(CkanBadAnswer) as info:
        _client(ckan, retries=3).call_action("package_create", {"name": "dataset_11_01"})
    assert info.value.maybe_done and len(ckan.requests) == 1


def test_package_search_pages_with_a_bad_count_or_results_are_refused(ckan):
    for body in ({"count": "many", "results": []}, {"count": 10 ** 30, "results": "none"}, {"count": -1, "results": []}):
        ckan.answers["package_search"] = [(200, {"success": True, "result": body})]
        with pytest.raises(CkanBadAnswer):
            _client(ckan).call_action("package_search", {})


def test_not_found_without_json_is_not_found(ckan):
    ckan.answers["scheming_dataset_schema_show"] = [(404, "<html>Not Found</html>")]
    with pytest.raises(CkanNotFound):
        _client(ckan).call_action("scheming_dataset_schema_show", {"type": "dataset"})


# -- retries, Retry-After, sizes, hangs ---------------------------------------------------------

def test_retry_after_on_429_is_honoured_and_bounded(ckan, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(client_mod.time, "sleep", waits.append)
    ok = (200, {"success": True, "result": PACKAGE})
    ckan.answers["package_show"] = [(429, {"success": False}, {"Retry-After": "2"}),
                                    (429, {"success": False}, {"Retry-After": "3600"}), ok]
    c = _client(ckan, retries=3, max_retry_after=30)
    assert c.call_action("package_show", {"id": "dataset_11_01"})["id"] == PACKAGE["id"]
    assert waits == [pytest.approx(2.0, abs=0.2), pytest.approx(30.0, abs=0.2)] and c.stats.retries == 2


def test_a_429_on_a_write_is_retried_but_a_502_is_not(ckan, monkeypatch):
    monkeypatch.setattr(client_mod.time, "sleep", lambda s: None)
    ckan.answers["resource_create"] = [(429, {"success": False}, {"Retry-After": "1"}),
                                       (502, "<html>Bad Gateway</html>"), (200, {"success": True, "result": {}})]
    with pytest.raises(CkanTransientError) as info:
        _client(ckan, retries=3).call_action("resource_create", {"package_id": "dataset_11_01"})
    assert info.value.maybe_done and "502" in str(info.value)
    assert [r["path"] for r in ckan.requests] == ["/api/action/resource_create"] * 2


def test_a_huge_answer_is_refused_without_reading_it(ckan):
    def huge(h: Handler) -> None:
        size = 300 * 1024 * 1024
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(size))
        h.end_headers()
        sent = 0
        try:
            h.wfile.write(b'{"success": true, "result": {"count": 1, "results": [{"notes": "')
            while sent < size and not h.server.owner.stopping.is_set():
                h.wfile.write(b"a" * 65536)
                sent += 65536
        except OSError:
            pass
        h.server.owner.events.append(("sent", sent, size))
        h.close_connection = True

    ckan.answers["package_search"] = [huge]
    with pytest.raises(CkanBadAnswer, match="larger than 2 MiB"):
        _client(ckan, max_answer_bytes=2 * 1024 * 1024).call_action("package_search", {})
    _, sent, size = ckan.wait_for("sent")[0]
    assert sent < size // 10


def test_a_hanging_server_ends_at_the_deadline_and_reads_are_retried(ckan):
    def hang(h: Handler) -> None:
        h.server.owner.stopping.wait(6)  # bounded: never answers within the client's deadline

    ckan.answers["package_show"] = [hang]
    c = _client(ckan, timeout=1, retries=1)
    with pytest.raises(CkanTransientError, match="within 1s") as info:
        c.call_action("package_show", {"id": "dataset_11_01"})
    assert info.value.maybe_done and len(ckan.requests) == 2


def test_a_retry_after_pause_holds_every_later_call_of_the_client(ckan, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(client_mod.time, "sleep", waits.append)  # time stands still: the pause never runs out
    ok = (200, {"success": True, "result": PACKAGE})
    ckan.answers["package_show"] = [(429, {"success": False}, {"Retry-After": "5"}), ok, ok]
    c = _client(ckan, retries=1)
    c.call_action("package_show", {"id": "dataset_11_01"})
    c.call_action("package_show", {"id": "dataset_11_02"})  # as another worker would: it waits too
    assert len(waits) == 2 and all(w == pytest.approx(5.0, abs=0.2) for w in waits)
