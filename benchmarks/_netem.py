"""A modelled network between the benchmark and the local CKAN: round-trip delay and bandwidth.

Why: on loopback, CKAN answers a page of 1,000 datasets in about 0.15 s, far faster than any
agency portal reached over the internet, so "our share of the wall time" says little about an
audit a user runs. This proxy (127.0.0.1 only) forwards each request to the real CKAN and adds
what a network adds: half the round trip before the request reaches CKAN, half before the
answer starts, and the answer's bytes paced at the given bandwidth (as CKAN sent them,
uncompressed). The figures it gives are a model and are labelled so; the loopback figures
are printed too. It runs in its own process (:func:`modelled_network`), so its work is never
counted as the audit's own CPU time.
"""
from __future__ import annotations

import argparse
import http.client
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import urlsplit


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out as separate writes: with Nagle's algorithm on, the client's delayed
    # ACK would add ~40 ms to every answer, a delay the modelled network does not intend
    disable_nagle_algorithm = True
    server: "_Server"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _relay(self) -> None:
        net = self.server.net
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(net.rtt / 2)
        conn = http.client.HTTPConnection(net.host, net.port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("authorization", "content-type", "user-agent", "accept")}
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            status, ctype = resp.status, resp.getheader("Content-Type") or "application/json"
        finally:
            conn.close()
        time.sleep(net.rtt / 2)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        step = 64 * 1024
        started = time.perf_counter()
        for at in range(0, len(payload), step):
            self.wfile.write(payload[at:at + step])
            due = started + (at + step) * 8 / net.bits_per_second
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        net.bytes_sent += len(payload)

    do_GET = do_POST = _relay


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    net: "ModelledNetwork"


class ModelledNetwork:
    """``with ModelledNetwork(upstream, rtt_ms=30, mbit=50) as net: net.url`` — CKAN behind a network."""

    def __init__(self, upstream: str, *, rtt_ms: float, mbit: float) -> None:
        parts = urlsplit(upstream)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the modelled network only fronts a loopback CKAN")
        self.host, self.port = parts.hostname, parts.port or 80
        self.rtt = rtt_ms / 1000
        self.bits_per_second = mbit * 1_000_000
        self.bytes_sent = 0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.net = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "ModelledNetwork":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def modelled_network(upstream: str, *, rtt_ms: float, mbit: float) -> Iterator[str]:
    """The URL of ``upstream`` behind the modelled network, served by a child process."""
    proc = subprocess.Popen([sys.executable, __file__, upstream, str(rtt_ms), str(mbit)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("upstream")
    ap.add_argument("rtt_ms", type=float)
    ap.add_argument("mbit", type=float)
    a = ap.parse_args()
    with ModelledNetwork(a.upstream, rtt_ms=a.rtt_ms, mbit=a.mbit) as net:
        print(net.url, flush=True)
        threading.Event().wait()
