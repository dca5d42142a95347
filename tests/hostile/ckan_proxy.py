"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the real CKAN test server.

Why a proxy and not a stub: "fail after commit" must be real. The proxy forwards the request
to CKAN, CKAN validates, writes and commits, and only then does the proxy lie to the client:
a 502, a reset connection, an odd JSON shape, a ``null`` result. What the client does next
(retry, re-read, log) is then checked against what CKAN really holds.

``proxy.add(action, mode, times=1, **arg)`` queues a fault for the next ``times`` calls of
``action`` (``"*"`` for any). Modes:

``502_after``      forward, let CKAN commit, answer 502 Bad Gateway (HTML)
``reset_after``    forward, let CKAN commit, drop the connection without an answer
``shape``          forward, then answer ``arg["body"]`` (an odd JSON shape) with 200
``null_result``    forward, then answer ``{"success": true, "result": null}``
``echo_token``     do not forward; answer 400 with an HTML page quoting the Authorization header
``ignore_offset``  forward with ``start``/``offset`` set to 0 (a server ignoring paging)
``count_drift``    forward, then add ``arg["by"]`` × call number to ``result.count``
``hang``           do not forward; say nothing for ``arg["seconds"]`` (bounded), then close
``drip``           forward, then send CKAN's answer one byte every ``arg["every"]`` seconds

Every fault is bounded in time (the proxy's own stop event ends hangs and drips) and the
proxy listens on 127.0.0.1 only. ``seen`` lists (action, mode) for every call.
"""
from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.hostile.httpd import Handler, HostileServer


@dataclass
class Fault:
    action: str
    mode: str
    times: int = 1
    arg: dict[str, Any] = field(default_factory=dict)
    calls: int = 0


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        assert parts.hostname in ("127.0.0.1", "localhost"), "the proxy only fronts a loopback CKAN"
        self._host, self._port = parts.hostname, parts.port or 80
        self.faults: list[Fault] = []
        self.seen: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        self.server = HostileServer({"*": self._route})

    @property
    def url(self) -> str:
        return self.server.url("")

    def __enter__(self) -> "FaultProxy":
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def add(self, action: str, mode: str, times: int = 1, **arg: Any) -> Fault:
        fault = Fault(action, mode, times, arg)
        with self._lock:
            self.faults.append(fault)
        return fault

    def count(self, action: str, mode: str | None = None) -> int:
        return sum(1 for a, m in self.seen if a == action and (mode is None or m == mode))

    def _take(self, action: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.action in (action, "*") and fault.calls < fault.times:
                    fault.calls += 1
                    return fault
        return None

    def _forward(self, h: Handler, body: bytes) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() in ("authorization", "content-type", "user-agent")}
            conn.request(h.command, h.path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type") or "application/json", resp.read()
        finally:
            conn.close()

    def _route(self, h: Handler) -> None:
        action = h.action
        fault = self._take(action)
        mode = fault.mode if fault else None
        self.seen.append((action, mode))
        stop = h.server.owner.stopping
        if mode == "hang":
            stop.wait(float(fault.arg.get("seconds", 5)))  # type: ignore[union-attr]
            h.close_connection = True
            return
        if mode == "echo_token":
            page = ("<html><head><title>400 Bad Request</title></head><body><h1>คำขอไม่ถูกต้อง</h1>"
                    + "<p>" + "รายละเอียด " * 40 + "</p>"
                    + f"<pre>Authorization: {h.headers.get('Authorization', '')}</pre></body></html>")
            h.reply(400, page.encode("utf-8"), content_type="text/html; charset=utf-8")
            return
        body = h.body
        if mode == "ignore_offset":
            data = h.data()
            data.update({k: 0 for k in ("start", "offset") if k in data})
            body = json.dumps(data).encode()
        status, ctype, payload = self._forward(h, body)
        if mode == "502_after":
            h.reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")
        elif mode == "reset_after":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
        elif mode == "shape":
            h.json(200, fault.arg["body"])  # type: ignore[union-attr]
        elif mode == "null_result":
            h.json(200, {"success": True, "result": None})
        elif mode == "count_drift":
            parsed = json.loads(payload)
            parsed["result"]["count"] += int(fault.arg.get("by", 1)) * fault.calls  # type: ignore[union-attr]
            h.json(status, parsed)
        elif mode == "drip":
            h.wfile.write(b"HTTP/1.1 %d OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                          % (status, ctype.encode(), len(payload)))
            h.drip(payload, float(fault.arg.get("every", 1.5)), max_seconds=20)  # type: ignore[union-attr]
        else:
            h.reply(status, payload, content_type=ctype)
