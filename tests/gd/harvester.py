"""A local stand-in for the GD Catalog harvester's state action, on 127.0.0.1 (test code only).

It answers ``POST /api/3/action/gdcatalog_published_state`` the way the harvester does
(``{"success": true, "result": [{…}]}``) from a table of package → record, and can be told to
fail (HTTP 502), hang past the client's timeout, or answer HTML.
"""
from __future__ import annotations

import http.server
import json
import threading
import time
from typing import Any


class Harvester:
    def __init__(self, records: dict[str, dict[str, Any]], *, mode: str = "ok", delay: float = 0.0) -> None:
        self.records = records
        self.mode = mode
        self.delay = delay
        self.calls: list[dict[str, Any]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                data = json.loads(body or b"{}")
                outer.calls.append({"path": self.path, **data})
                if outer.mode == "502":
                    return self._send(502, b"<html>Bad Gateway</html>", "text/html")
                if outer.mode == "html":
                    return self._send(200, b"<html>maintenance</html>", "text/html")
                if outer.mode == "slow":
                    time.sleep(outer.delay)
                if not self.path.endswith("/gdcatalog_published_state"):
                    return self._send(404, json.dumps({"success": False, "error": {"__type": "Not Found Error"}}).encode())
                rec = outer.records.get(str(data.get("package")))
                result = [rec] if rec is not None else []
                self._send(200, json.dumps({"success": True, "result": result}).encode())

            def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Harvester":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
