"""A real HTTP server on 127.0.0.1 serving the corpus, with the misbehaviours portals show.

Routes: ``/f/<name>`` (ETag, Last-Modified, 304 on If-None-Match, HEAD), ``/nohead/<name>``
(HEAD answers 405), ``/slow/<name>`` (drips one byte every 0.2 s), ``/loop`` (redirects to
itself), ``/hop/<n>/<name>`` (n redirects, then the file), ``/missing`` (404), ``/big``
(declares and streams 64 MiB), ``/big-chunked`` (64 MiB without a length). Every request is
logged as (method, path) so tests can count them.
"""
from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class CorpusServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.log: list[tuple[str, str]] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, head: bool = False) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if "Content-Length" not in (headers or {}):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head and body:
                    self.wfile.write(body)

            def _serve(self, head: bool) -> None:
                server.log.append((self.command, self.path))
                parts = self.path.split("/")
                route = parts[1] if len(parts) > 1 else ""
                name = "/".join(parts[2:])
                if route == "loop":
                    return self._send(302, headers={"Location": "/loop"}, head=head)
                if route == "hop":
                    n, name = int(parts[2]), "/".join(parts[3:])
                    target = f"/hop/{n - 1}/{name}" if n > 1 else f"/f/{name}"
                    return self._send(302, headers={"Location": target}, head=head)
                if route == "nohead" and head:
                    return self._send(405, b"", head=True)
                if route in ("big", "big-chunked"):
                    return self._big(head, chunked=route == "big-chunked")
                if route not in ("f", "nohead", "slow") or name not in server.files:
                    return self._send(404, "ไม่พบไฟล์".encode(), {"Content-Type": "text/plain; charset=utf-8"}, head)
                body = server.files[name]
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                headers = {"ETag": etag, "Last-Modified": "Sat, 30 Sep 2023 00:00:00 GMT",
                           "Content-Type": "application/octet-stream"}
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, headers={"ETag": etag, "Content-Length": "0"}, head=True)
                if route == "slow":
                    return self._drip(body, headers, head)
                return self._send(200, body, headers, head)

            def _drip(self, body: bytes, headers: dict[str, str], head: bool) -> None:
                headers = dict(headers, **{"Content-Length": str(len(body))})
                self._send(200, b"", headers, head=True)
                if head:
                    return
                deadline = time.monotonic() + 20
                for i in range(len(body)):
                    if server.stop.is_set() or time.monotonic() > deadline:
                        return
                    try:
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.2)

            def _big(self, head: bool, chunked: bool) -> None:
                size = 64 * 2**20
                self.send_response(200)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(size))
                self.end_headers()
                if head:
                    return
                chunk = b"a,b\r\n" * 13000
                sent = 0
                try:
                    while sent < size and not server.stop.is_set():
                        if chunked:
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        else:
                            self.wfile.write(chunk)
                        sent += len(chunk)
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def count(self, pred: Callable[[str, str], bool] | None = None) -> int:
        return sum(1 for m, p in self.log if pred is None or pred(m, p))

    def __enter__(self) -> "CorpusServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
