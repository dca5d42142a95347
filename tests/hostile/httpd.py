"""A misbehaving HTTP server on 127.0.0.1 for the hostile tests (test code, never shipped).

``HostileServer`` serves a route table (``"*"`` catches every other path): path → a function
``(handler) -> None`` that writes
whatever it likes to the socket, slowly, wrongly or not at all. Every behaviour is bounded in
bytes and time (each drip loop stops after ``max_seconds`` or when the client goes away), the
server binds 127.0.0.1 only, and ``stop()`` ends it; ``events`` records what happened (bytes
dripped before the client left, requests seen) so tests assert on outcomes, never on time.
"""
from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import Any, Callable

Route = Callable[["Handler"], None]


class Handler(http.server.BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        with self.server.owner.lock:
            self.server.owner.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.owner.lock:
                self.server.owner.connections.discard(self.connection)

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.owner.requests.append({"method": self.command, "path": self.path,
                                           "headers": {k.lower(): v for k, v in self.headers.items()}})
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        route = self.server.owner.routes.get(path) or self.server.owner.routes.get("*")
        if route is None:
            self.reply(404, b"not found")
            return
        route(self)

    do_GET = do_POST = do_HEAD = _dispatch  # noqa: N815

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
              content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def json(self, status: int, obj: object, headers: dict[str, str] | None = None) -> None:
        import json

        self.reply(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers, "application/json;charset=utf-8")

    @property
    def action(self) -> str:
        """The CKAN action of an ``/api/action/NAME`` (or ``/api/3/action/NAME``) request."""
        return self.path.split("?", 1)[0].rsplit("/", 1)[-1]

    def data(self) -> dict:
        import json

        try:
            value = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def drip(self, data: bytes, every: float, *, max_seconds: float = 20.0) -> int:
        """Write ``data`` one byte at a time, ``every`` seconds apart; the bytes sent before the client left."""
        sent, start = 0, time.monotonic()
        for b in data:
            if self.server.owner.stopping.is_set() or time.monotonic() - start > max_seconds:
                break
            try:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
            except OSError:
                break
            sent += 1
            time.sleep(every)
        self.server.owner.events.append(("dripped", sent, len(data)))
        self.close_connection = True
        return sent

    def log_message(self, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() waits for the request threads (their connections are shut first)
    owner: "HostileServer"


class HostileServer:
    """Start with ``with HostileServer(routes) as srv:``; ``srv.url(path)`` is the address."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[dict[str, Any]] = []
        self.events: list[tuple[Any, ...]] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()  # open client connections, shut on stop
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "HostileServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for(self, kind: str, *, count: int = 1, timeout: float = 10.0) -> list[tuple[Any, ...]]:
        """The events of ``kind`` once ``count`` of them happened (or after ``timeout`` seconds)."""
        end = time.monotonic() + timeout
        while True:
            found = [e for e in self.events if e[0] == kind]
            if len(found) >= count or time.monotonic() > end:
                return found
            time.sleep(0.05)

    def stop(self) -> None:
        """End the server and every request thread: a client's kept-alive connection would otherwise
        keep its thread waiting for the next request after the test (and a process with threads
        does not fork its validation helper, catalog_tools.shard)."""
        self.stopping.set()
        self._httpd.shutdown()
        with self.lock:
            open_now = list(self.connections)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()
        self._thread.join(timeout=5)
