"""One HTTP helper for every request catalog-tools makes: link checks, catalog reachability,
resource downloads and the CKAN Action API.

Why one module: the promises below must hold everywhere, and the stacks they guard against
(a server dripping one byte a second, a 300 MB answer, a redirect loop, a redirect to another
host) do not care which feature asked. requests/urllib3 give connection pooling, TLS and
redirect handling; what they lack is added here:

* **a total deadline** per fetch (connect, redirects, headers and body together). requests'
  ``timeout`` applies to each socket read, so a server sending one byte every 1.5 s never
  times out. A watchdog timer shuts the fetch's sockets down when the deadline passes; the
  blocked read then returns at once, whatever phase it is in.
* **a byte cap** on every body read: at most ``max_bytes`` (decoded) are kept, the rest is
  not read and the result says ``truncated``.
* **bounded redirects** (``max_redirects``); only http(s) URLs are fetched.
* **one user agent**, ``catalog-tools/<version>``, so catalog operators see who is asking.

API (all functions return values; nothing here prints or raises for a network failure
except :meth:`Stream.iter_bytes` and :func:`stream`, which raise :class:`FetchError`):

``fetch(url, limits=...)`` → :class:`Fetched` (status, headers, body ≤ cap, ``truncated``,
``error``/``kind`` when no HTTP answer came); ``probe(url)`` → HEAD, then a GET whose body is
not read when the server refuses HEAD; ``stream(url)`` → a context manager yielding a
:class:`Stream` to read a body chunk by chunk under the same deadline and cap (for writing a
download to a file). :class:`Http` holds the settings and a per-thread connection pool; the
module functions use a default one.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import __version__

USER_AGENT = f"catalog-tools/{__version__}"
MiB = 1024 * 1024

#: statuses after which a HEAD is retried as GET (servers that refuse or mishandle HEAD)
HEAD_REFUSED = frozenset({403, 405, 406, 501})


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much one fetch may take.

    ``deadline`` is the total time for one fetch (connect, every redirect, headers and body);
    ``max_bytes`` caps the body kept (decoded bytes); ``max_redirects`` caps the hops.
    """

    deadline: float = 10.0
    max_bytes: int = 10 * MiB
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if not self.deadline > 0:
            raise ValueError("deadline must be positive")
        if self.max_bytes < 0 or self.max_redirects < 0:
            raise ValueError("max_bytes and max_redirects must not be negative")


#: kinds of failure without a usable HTTP answer; ``connect`` means nothing reached the server
KINDS = ("invalid_url", "connect", "timeout", "broken", "redirects", "tls", "other")


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of one fetch. ``error`` is None when the server answered (any status)."""

    url: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  #: lower-case names
    body: bytes = b""
    truncated: bool = False  #: the body was longer than ``max_bytes`` (or the stream broke mid-body)
    final_url: str | None = None
    redirects: int = 0
    elapsed: float = 0.0
    error: str | None = None  #: short English reason when no answer came
    kind: str | None = None  #: one of :data:`KINDS` when ``error`` is set

    @property
    def ok(self) -> bool:
        """An answer below 400 (after redirects)."""
        return self.error is None and self.status is not None and self.status < 400

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def reason(self) -> str:
        return self.error or f"HTTP {self.status}"

    @property
    def sent(self) -> bool:
        """Whether the request may have reached the server (False only when connecting failed)."""
        return self.kind not in ("connect", "invalid_url")


class FetchError(Exception):
    """A fetch that got no usable answer; ``kind`` is one of :data:`KINDS`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def retry_after(headers: Mapping[str, str], *, cap: float, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta or HTTP date), at most ``cap``; None if absent/unreadable."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), cap)


def check_http_url(url: str) -> str | None:
    """Why ``url`` is not a fetchable http(s) URL, or None when it is.

    Refused: other schemes, no host, backslashes (urllib3 and browsers read ``\\`` as ``/``,
    so ``http://a\\@b/`` goes to ``a`` while :func:`urllib.parse.urlsplit` sees ``b``) and
    control characters. Spaces pass (requests encodes them, as browsers do); surrounding
    spaces are the caller's to strip.
    """
    if not isinstance(url, str) or not url:
        return "empty URL"
    if "\\" in url:
        return "a backslash in the URL"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return "a control character in the URL"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a bad port
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname:
        return "no host in the URL"
    return None


# -- the deadline watchdog ----------------------------------------------------------------------

_local = threading.local()


class _Watch:
    """Shuts down every socket of one fetch when its deadline passes (see the module docstring)."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> "_Watch":
        self._timer.start()
        return self

    def add(self, sock: Any) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shutdown(sock: Any) -> None:
    try:  # the plain socket method: for TLS sockets it leaves the SSL object to the reading thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError, ValueError):
        pass


def _watch_sock(sock: Any) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(sock)


class _WatchedConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch_sock(self.sock)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch_sock(self.sock)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection

    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:  # a reused keep-alive connection
        _watch_sock(getattr(conn, "sock", None))
        return super()._make_request(conn, *args, **kwargs)


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        _watch_sock(getattr(conn, "sock", None))
        return super()._make_request(conn, *args, **kwargs)


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


@contextmanager
def _deadline(seconds: float) -> Iterator[_Watch]:
    watch = _Watch(seconds).start()
    previous = getattr(_local, "watch", None)
    _local.watch = watch
    try:
        yield watch
    finally:
        _local.watch = previous
        watch.cancel()


# -- fetching -----------------------------------------------------------------------------------


class Http:
    """Settings (user agent, default limits, extra headers) and a connection pool per thread.

    Reuse one instance for many requests to the same hosts (keep-alive); it is safe to share
    across threads.
    """

    def __init__(self, *, user_agent: str = USER_AGENT, limits: Limits | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        self.user_agent = user_agent
        self.limits = limits or Limits()
        self.headers = dict(headers or {})
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = _Adapter()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = self.user_agent
            session.headers.update(self.headers)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def __enter__(self) -> "Http":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def stream(self, url: str, *, method: str = "GET", limits: Limits | None = None,
               headers: Mapping[str, str] | None = None, json: Any = None, data: Any = None,
               allow_redirects: bool = True) -> Iterator["Stream"]:
        """An open answer whose body is read with :meth:`Stream.iter_bytes`; raises :class:`FetchError`."""
        lim = limits or self.limits
        why = check_http_url(url)
        if why:
            raise FetchError("invalid_url", why)
        start = time.monotonic()
        with _deadline(lim.deadline) as watch:
            session = self._session()
            # requests prepares the next hop even when not following it; 0 would raise at once
            session.max_redirects = lim.max_redirects if allow_redirects else max(1, lim.max_redirects)
            try:
                resp = session.request(method, url, headers=dict(headers or {}), json=json, data=data,
                                       allow_redirects=allow_redirects, stream=True,
                                       timeout=(lim.deadline, lim.deadline))
            except requests.RequestException as exc:
                raise _as_fetch_error(exc, watch, lim) from None
            if watch.expired:  # headers cut short by the watchdog parse as a complete (wrong) answer
                resp.close()
                raise FetchError("timeout", f"no complete answer within {lim.deadline:g}s")
            try:
                yield Stream(url, resp, lim, watch, start)
            finally:
                resp.close()

    def fetch(self, url: str, *, method: str = "GET", limits: Limits | None = None,
              headers: Mapping[str, str] | None = None, json: Any = None, data: Any = None,
              allow_redirects: bool = True, read_body: bool = True) -> Fetched:
        """One request; the body (at most ``max_bytes``) is read unless ``read_body`` is False."""
        lim = limits or self.limits
        start = time.monotonic()
        try:
            with self.stream(url, method=method, limits=lim, headers=headers, json=json, data=data,
                             allow_redirects=allow_redirects) as st:
                body = b"".join(st.iter_bytes()) if read_body and method != "HEAD" else b""
                return Fetched(url, st.status, st.headers, body, st.truncated, st.final_url, st.redirects,
                               time.monotonic() - start)
        except FetchError as exc:
            return Fetched(url, error=str(exc), kind=exc.kind, elapsed=time.monotonic() - start)

    def probe(self, url: str, *, limits: Limits | None = None) -> Fetched:
        """Does ``url`` answer? HEAD, then a GET whose body is not read when HEAD is refused or fails.

        The deadline covers both requests together.
        """
        lim = limits or self.limits
        start = time.monotonic()
        head = self.fetch(url, method="HEAD", limits=lim)
        if head.kind == "invalid_url" or (head.error is None and head.status is not None
                                           and (head.status < 400 or (head.status not in HEAD_REFUSED
                                                                      and head.status < 500))):
            return head
        left = lim.deadline - (time.monotonic() - start)
        if left <= 0.05:
            return head
        get = self.fetch(url, limits=replace(lim, deadline=left), read_body=False)
        return replace(get, elapsed=time.monotonic() - start)


class Stream:
    """An answer being read: ``status``, ``headers`` (lower-case), ``final_url``, ``redirects``;
    :meth:`iter_bytes` yields the body under the fetch's deadline and byte cap."""

    def __init__(self, url: str, resp: requests.Response, limits: Limits, watch: _Watch, start: float) -> None:
        self.url = url
        self.status: int = resp.status_code
        self.headers: dict[str, str] = {k.lower(): v for k, v in resp.headers.items()}
        self.final_url: str = resp.url
        self.redirects: int = len(resp.history)
        self.truncated = False
        self.received = 0
        self._resp = resp
        self._limits = limits
        self._watch = watch
        self._start = start

    def iter_bytes(self, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
        """The body, at most ``max_bytes`` in total; sets ``truncated`` when more was there.

        Raises :class:`FetchError` (``timeout`` or ``broken``) when the deadline passes or the
        connection breaks mid-body.
        """
        cap = self._limits.max_bytes
        declared = self.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            self.truncated = True
        if cap == 0:
            self.truncated = self.truncated or declared not in ("", "0")
            return
        try:
            for chunk in self._resp.iter_content(chunk_size=min(chunk_size, cap)):
                if self._watch.expired:
                    raise FetchError("timeout", f"no complete answer within {self._limits.deadline:g}s")
                room = cap - self.received
                if len(chunk) > room:
                    chunk = chunk[:room]
                    self.truncated = True
                self.received += len(chunk)
                if chunk:
                    yield chunk
                if self.received >= cap:
                    self.truncated = True if self.truncated else self._more_left()
                    return
        except requests.RequestException as exc:
            raise _as_fetch_error(exc, self._watch, self._limits) from None
        if self._watch.expired:
            raise FetchError("timeout", f"no complete answer within {self._limits.deadline:g}s")

    def _more_left(self) -> bool:
        declared = self.headers.get("content-length", "")
        if declared.isdigit():
            return int(declared) > self.received
        return True  # unknown length and the cap reached: assume more


def _as_fetch_error(exc: requests.RequestException, watch: _Watch, limits: Limits) -> FetchError:
    if watch.expired or isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectTimeout):
        return FetchError("timeout", f"no complete answer within {limits.deadline:g}s")
    if isinstance(exc, requests.TooManyRedirects):
        return FetchError("redirects", f"more than {limits.max_redirects} redirects")
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL,
                        requests.exceptions.MissingSchema)):
        return FetchError("invalid_url", "redirected to a URL that cannot be fetched")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError("tls", "TLS/certificate error")
    if isinstance(exc, requests.ConnectTimeout):
        return FetchError("connect", "connection timed out")
    if isinstance(exc, requests.ConnectionError):
        if _nothing_sent(exc):
            return FetchError("connect", "connection failed")
        return FetchError("broken", "the connection broke before a complete answer")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return FetchError("broken", "the connection broke before a complete answer")
    return FetchError("other", exc.__class__.__name__)


def _nothing_sent(exc: requests.ConnectionError) -> bool:
    """True when connecting failed (refused, DNS, connect timeout): the request never left."""
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError)  # NameResolutionError is one too


_default = Http()


def fetch(url: str, *, limits: Limits | None = None, **kwargs: Any) -> Fetched:
    """:meth:`Http.fetch` with the default settings."""
    return _default.fetch(url, limits=limits, **kwargs)


def probe(url: str, *, limits: Limits | None = None) -> Fetched:
    """:meth:`Http.probe` with the default settings."""
    return _default.probe(url, limits=limits)


def stream(url: str, *, limits: Limits | None = None, **kwargs: Any) -> Any:
    """:meth:`Http.stream` with the default settings (a context manager)."""
    return _default.stream(url, limits=limits, **kwargs)
