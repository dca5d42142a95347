"""The real client's safety rules: token sources, no token over plain http to remote hosts, redaction."""
from __future__ import annotations

import http.server
import threading
import time

import pytest

from catalog_tools.ckan.client import (CkanTransientError, CkanUnreachable, CkanUsageError, CkanValidationError,
                                       RemoteClient, check_url, is_loopback, read_token, redact)

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret-token-value"


def test_token_from_file_then_environment(tmp_path):
    f = tmp_path / "token"
    f.write_text("\n" + TOKEN + "\n")
    assert read_token(f, environ={}) == TOKEN
    assert read_token(None, environ={"CKAN_API_TOKEN": " abc123 "}) == "abc123"
    assert read_token(None, environ={}) is None


def test_unreadable_token_file_names_the_file_not_the_content(tmp_path):
    with pytest.raises(CkanUsageError, match="cannot read token file"):
        read_token(tmp_path / "missing")
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(CkanUsageError, match="empty"):
        read_token(tmp_path / "empty")


@pytest.mark.parametrize("host, loop", [("127.0.0.1", True), ("localhost", True), ("[::1]", True),
                                        ("127.8.8.8", True), ("catalog.go.th", False), ("10.0.0.1", False)])
def test_loopback_detection(host, loop):
    assert is_loopback(host) is loop


def test_no_token_over_plain_http_to_remote_hosts_unless_insecure():
    with pytest.raises(CkanUsageError, match="plain http"):
        check_url("http://catalog.example.go.th", TOKEN)
    assert check_url("http://catalog.example.go.th/", TOKEN, insecure=True) == "http://catalog.example.go.th"
    assert check_url("http://catalog.example.go.th", None) == "http://catalog.example.go.th"
    assert check_url("https://catalog.example.go.th", TOKEN)
    assert check_url("http://127.0.0.1:5000", TOKEN)
    with pytest.raises(CkanUsageError):
        check_url("ftp://catalog.example.go.th", None)


def test_redact_removes_the_token():
    assert redact(f"bad key {TOKEN} used", TOKEN) == "bad key *** used"


class _Handler(http.server.BaseHTTPRequestHandler):
    responses: list[tuple[int, bytes]] = []
    seen: list[dict[str, str]] = []

    def do_POST(self):  # noqa: N802
        self.seen.append(dict(self.headers))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, body = self.responses.pop(0) if self.responses else (200, b'{"success": true, "result": {}}')
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(no_network):
    _Handler.responses, _Handler.seen = [], []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    clients: list[RemoteClient] = []
    yield f"http://127.0.0.1:{httpd.server_port}", clients
    for c in clients:
        c.close()
    httpd.shutdown()
    httpd.server_close()


def test_5xx_is_retried_then_succeeds_and_user_agent_and_token_are_sent(server):
    server, clients = server
    _Handler.responses = [(500, b"Internal Server Error"), (502, b"bad gateway"),
                          (200, b'{"success": true, "result": {"id": "0b7d6f0e-4c1c-4f5e-9d59-2f0c7a1e9b11", "name": "dataset_11_01"}}')]
    client = RemoteClient(server, TOKEN, retries=3, backoff=0.01)
    clients.append(client)
    before = time.perf_counter()
    assert client.call_action("package_show", {"id": "dataset_11_01"})["name"] == "dataset_11_01"
    after = time.perf_counter()
    assert client.stats.retries == 2 and client.stats.calls == 3
    assert before < client.stats.last_answer <= after  # when the last answer came (the audit benchmark's tail)
    assert _Handler.seen[-1]["User-Agent"].startswith("catalog-tools/")
    assert _Handler.seen[-1]["Authorization"] == TOKEN


def test_persistent_5xx_becomes_a_transient_error_without_the_token(server):
    server, clients = server
    _Handler.responses = [(503, TOKEN.encode())] * 3
    client = RemoteClient(server, TOKEN, retries=2, backoff=0.01)
    clients.append(client)
    with pytest.raises(CkanTransientError) as info:
        client.call_action("package_show", {"id": "x"})
    assert TOKEN not in str(info.value) and "503" in str(info.value)


def test_validation_error_keeps_the_error_dict(server):
    server, clients = server
    _Handler.responses = [(409, '{"success": false, "error": {"__type": "Validation Error", '
                                '"name": ["That URL is already in use."]}}'.encode())]
    client = RemoteClient(server, TOKEN, retries=0)
    clients.append(client)
    with pytest.raises(CkanValidationError) as info:
        client.call_action("package_create", {"name": "dataset_11_01"})
    assert info.value.error_dict == {"name": ["That URL is already in use."]}


def test_refused_connection_is_unreachable_after_retries(no_network):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    client = RemoteClient(f"http://127.0.0.1:{port}", TOKEN, retries=1, backoff=0.01, timeout=2)
    try:
        with pytest.raises(CkanUnreachable) as info:
            client.call_action("package_create", {"name": "x"})
    finally:
        client.close()
    assert client.stats.retries == 1 and TOKEN not in str(info.value)
