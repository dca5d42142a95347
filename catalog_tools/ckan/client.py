"""A narrow CKAN interface: ``call_action(action, data_dict)``, and the real client behind it.

Why narrow: publish and audit need only the Action API, so unit tests use a dict-backed fake
behind the same Protocol, and the real client is the one place that deals with HTTP,
retries, timeouts and the API token.

Safety rules the real client enforces:

* the token comes from ``CKAN_API_TOKEN`` or a token file, never from a command-line value;
* the catalog URL is read the way the HTTP stack will read it: backslashes, user info,
  queries and odd host names are refused, and the token is not sent over plain ``http://``
  to a host that is not loopback unless ``insecure``;
* answers go through :mod:`catalog_tools.http`: a total deadline per call (``timeout``), a
  size cap (``max_answer_bytes``) and **no redirects** (a redirect could carry the token's
  header to another host, and a redirected POST loses its body);
* an answer must have CKAN's shape (``success`` exactly true or false; a ``result`` of the
  type the action returns): anything else is a clear :class:`CkanBadAnswer`, never a crash;
* every string that leaves this module — error messages, ValidationError keys and values,
  and the data of every answer — has the token removed (:mod:`catalog_tools.redaction`)
  before anything cuts it short.

Why not ckanapi's ``RemoteCKAN`` underneath (it was until this module needed the above): it
reads whole bodies without a cap, its timeout is per socket read, it takes any truthy
``success`` for success and then indexes ``result`` unchecked, and its errors embed the
whole answer body.
"""
from __future__ import annotations

import ipaddress
import json
import os
import random
import re
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Protocol, runtime_checkable
from urllib.parse import urlsplit

from ..http import USER_AGENT  # one user agent for CKAN calls, link checks and catalog reachability
from ..http import MiB, Fetched, Http, Limits, check_http_url, retry_after
from ..redaction import redact as _redact_all, redact_tree as _redact_tree_all, remember

TOKEN_ENV = "CKAN_API_TOKEN"

#: actions that only read: safe to retry even when a request may have reached the server
_READ_PREFIXES = ("package_show", "package_search", "organization_list", "organization_show", "status_show",
                  "current_package_list_with_resources", "package_list", "resource_show", "scheming_",
                  "site_read", "user_show", "datastore_search")

#: the type of ``result`` each action we use returns; anything else is a bad answer
_RESULT_TYPES: dict[str, type | tuple[type, ...]] = {
    "package_show": dict, "package_create": dict, "package_patch": dict, "package_update": dict,
    "resource_create": dict, "resource_patch": dict, "resource_show": dict, "organization_show": dict,
    "organization_create": dict, "status_show": dict, "scheming_dataset_schema_show": dict,
    "package_search": dict, "organization_list": list, "current_package_list_with_resources": list,
    "package_list": list,
}

#: the longest wait a ``Retry-After`` header can impose before a retry (seconds)
MAX_RETRY_AFTER = 60.0
#: the largest token file read (a token is a few hundred bytes; this refuses /dev/zero and the like)
_TOKEN_FILE_MAX = 64 * 1024
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$")


class CkanError(Exception):
    """Base class of errors from a CKAN client; ``str()`` never contains the token."""


class CkanNotFound(CkanError):
    """The object (dataset, organization, action) does not exist."""


class CkanNotAuthorized(CkanError):
    """The token (or its absence) does not allow this action."""


class CkanValidationError(CkanError):
    """CKAN refused the data; ``error_dict`` maps field names to lists of messages."""

    def __init__(self, error_dict: Mapping[str, Any]):
        self.error_dict = {k: v for k, v in dict(error_dict).items() if k != "__type"}
        super().__init__("; ".join(f"{k}: {_join(v)}" for k, v in self.error_dict.items()) or "validation error")


class CkanTransientError(CkanError):
    """A timeout, connection failure, 429 or 5xx that did not clear up after the retries.

    ``maybe_done`` is True when the request may have reached CKAN and been carried out (a
    timeout, a connection broken after sending, a 5xx that a proxy may have sent after CKAN
    committed): a write is then never repeated blindly; the caller re-reads and matches first.
    """

    maybe_done: bool = False
    retry_after: float | None = None


class CkanUnreachable(CkanTransientError):
    """The server could not be reached at all (connection refused, DNS, connect timeout, TLS)."""


class CkanTimeout(CkanTransientError):
    """No complete answer within the deadline (a hang, or a server dripping its answer)."""


class CkanUsageError(CkanError):
    """A configuration the client refuses (e.g. a token over plain http to a remote host)."""


class CkanBadAnswer(CkanError):
    """An answer that is not a CKAN Action API answer (HTML, odd JSON shape, too large, a redirect).

    ``maybe_done`` as for :class:`CkanTransientError`: a write whose answer was unreadable may
    still have happened.
    """

    maybe_done: bool = False


@runtime_checkable
class CkanClient(Protocol):
    """What publish and audit need from CKAN."""

    url: str

    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any: ...


@dataclass(slots=True)
class CallStats:
    """Counts and time spent waiting for the server (for the benchmark's ours-vs-CKAN split)."""

    calls: int = 0
    retries: int = 0
    http_seconds: float = 0.0
    by_action: dict[str, int] = field(default_factory=dict)
    #: ``time.perf_counter()`` when the latest call ended: the work after it is what a user waits
    #: for once CKAN has answered everything (the benchmark prints it)
    last_answer: float = 0.0

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, action: str, seconds: float) -> None:
        with self._lock:  # publish workers share one client
            self.calls += 1
            self.http_seconds += seconds
            self.by_action[action] = self.by_action.get(action, 0) + 1
            self.last_answer = max(self.last_answer, time.perf_counter())


def _join(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_join(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_join(v)}" for k, v in value.items())
    return str(value)


def redact(text: str, secret: str | None = None) -> str:
    """``text`` without ``secret`` or any remembered secret, in any encoded form (see :mod:`catalog_tools.redaction`)."""
    return _redact_all(text, (secret,))


def is_loopback(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 — where plain http cannot leak a token."""
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(token_file: str | Path | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The API token from ``token_file`` (first non-empty line) or ``CKAN_API_TOKEN``; None if neither.

    Raises :class:`CkanUsageError` when the file is not a readable regular file of at most
    64 KiB, is empty, or the token holds characters an HTTP header cannot carry (the message
    names the file, never its content). The token is remembered for redaction at once.
    """
    if token_file is not None:
        token = _token_from_file(Path(token_file))
        where = f"token file {token_file}"
    else:
        env = os.environ if environ is None else environ
        token = (env.get(TOKEN_ENV) or "").strip()
        where = f"the {TOKEN_ENV} environment variable"
        if not token:
            return None
    remember(token)
    if any(not (0x21 <= ord(c) <= 0x7E) for c in token):
        raise CkanUsageError(f"the API token in {where} holds spaces, control or non-ASCII characters; "
                             "an HTTP header cannot carry it")
    return token


def _token_from_file(path: Path) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CkanUsageError(f"token file {path} is not a regular file")
        if info.st_size > _TOKEN_FILE_MAX:
            raise CkanUsageError(f"token file {path} is larger than {_TOKEN_FILE_MAX // 1024} KiB: not a token file")
        with open(path, "rb") as fh:
            raw = fh.read(_TOKEN_FILE_MAX + 1)
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise CkanUsageError(f"cannot read token file {path}: {reason}") from None
    except UnicodeDecodeError:
        raise CkanUsageError(f"cannot read token file {path}: not UTF-8 text") from None
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    raise CkanUsageError(f"token file {path} is empty")


def check_url(url: str, token: str | None, *, insecure: bool = False) -> str:
    """The catalog base URL, checked the way urllib3 will read it; refuse a token over plain http to a remote host.

    Refused: backslashes and control characters (urllib3 reads ``http://a\\@b`` as host ``a``
    while :func:`urllib.parse.urlsplit` says ``b``), user info (``user@host``), a query or
    fragment, and host names that are neither a DNS name nor an IP address.
    """
    from urllib3.util import parse_url

    text = url.strip() if isinstance(url, str) else ""
    why = check_http_url(text)
    if why:
        raise CkanUsageError(f"not a usable catalog URL ({why}): {_show_url(text)}")
    if " " in text:
        raise CkanUsageError(f"not a usable catalog URL (a space in it): {_show_url(text)}")
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise CkanUsageError(f"not a usable catalog URL (user info before '@' is not allowed): {_show_url(text)}")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise CkanUsageError(f"not a usable catalog URL (no query or fragment): {_show_url(text)}")
    host = (parts.hostname or "").lower()
    try:
        stack_host = (parse_url(text).host or "").lower().strip("[]")
    except ValueError:
        stack_host = ""
    if stack_host not in (host.strip("[]"), _idna(host)) or not _plausible_host(host):
        raise CkanUsageError(f"not a usable catalog URL (odd host name): {_show_url(text)}")
    if token and parts.scheme.lower() == "http" and not is_loopback(host) and not insecure:
        raise CkanUsageError(f"refusing to send the API token over plain http to {host}; "
                             "use https, or --insecure if you really mean it")
    return text.rstrip("/")


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def _plausible_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    if host.startswith("["):
        return False
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(_HOST_RE.match(ascii_host))


def _show_url(url: str) -> str:
    return repr(_redact_all(url[:200]))


class RemoteClient:
    """The real client: CKAN's Action API over :mod:`catalog_tools.http`, with retries and redaction.

    Retries (at most ``retries``, with jittered exponential backoff, or the server's
    ``Retry-After`` up to :data:`MAX_RETRY_AFTER` seconds on 429/503):

    * nothing reached the server (connection refused, DNS, connect timeout) or a 429 → any action;
    * the request may have been carried out (timeout, connection broken after sending, 5xx —
      a proxy can answer 502 after CKAN committed) → only reads and ``*_patch`` (idempotent).
      For creates the error goes up with ``maybe_done``; publish re-reads and matches before
      trying again, so nothing is created twice.
    """

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 0.5, insecure: bool = False, user_agent: str = USER_AGENT,
                 max_answer_bytes: int = 64 * MiB, max_retry_after: float = MAX_RETRY_AFTER) -> None:
        remember(token)
        self.url = check_url(url, token, insecure=insecure)
        self.token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.stats = CallStats()
        self._paused_until = 0.0  #: monotonic time before which no call starts (Retry-After, shared by threads)
        headers = {"Authorization": token} if token else {}
        self._http = Http(user_agent=user_agent, headers=headers,
                          limits=Limits(deadline=timeout, max_bytes=max_answer_bytes, max_redirects=0))

    @property
    def has_token(self) -> bool:
        return bool(self.token)

    def close(self) -> None:
        self._http.close()

    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any:
        attempt = 0
        while True:
            self._wait_if_paused()
            try:
                return self._once(action, data_dict or {})
            except CkanTransientError as exc:
                if exc.retry_after is not None:  # the server asked everyone to slow down: all threads wait
                    self._paused_until = max(self._paused_until, time.monotonic() + exc.retry_after)
                retryable = not exc.maybe_done or _idempotent(action)
                if attempt >= self.retries or not retryable:
                    raise
                attempt += 1
                self.stats.retries += 1
                if exc.retry_after is None:  # else the pause above is waited at the top of the loop
                    time.sleep(self.backoff * (2 ** (attempt - 1)) * (0.75 + random.random() / 2))

    def _wait_if_paused(self) -> None:
        left = self._paused_until - time.monotonic()
        if left > 0:
            time.sleep(min(left, self.max_retry_after))

    def _once(self, action: str, data_dict: dict[str, Any]) -> Any:
        start = time.perf_counter()
        try:
            got = self._http.fetch(f"{self.url}/api/action/{action}", method="POST", json=data_dict,
                                   allow_redirects=False)
        finally:
            self.stats.add(action, time.perf_counter() - start)
        return self._interpret(action, got)

    def _interpret(self, action: str, got: Fetched) -> Any:
        writes = not _idempotent(action)
        if got.error:
            if got.kind in ("connect", "tls"):
                raise _transient(f"{action}: cannot reach {self.url} ({got.error})", maybe_done=False,
                                 cls=CkanUnreachable)
            if got.kind == "timeout":
                raise _transient(f"{action}: no complete answer within {self.timeout:g}s", maybe_done=True,
                                 cls=CkanTimeout)
            raise _transient(f"{action}: {got.error}", maybe_done=True)
        status = got.status or 0
        if 300 <= status < 400:
            where = urlsplit(got.headers.get("location", "")).netloc or "elsewhere"
            raise _bad(f"{action}: {self.url} answered with a redirect (HTTP {status}) to {_redact_all(where)[:100]}; "
                       "give the final catalog URL with --ckan (a redirect is never followed with the token)",
                       maybe_done=False)
        if status == 429:  # refused before any work: safe to repeat after the wait asked for
            exc = _transient(f"{action}: the server asks to slow down (HTTP 429)", maybe_done=False)
            exc.retry_after = retry_after(got.headers, cap=self.max_retry_after)
            raise exc
        if status >= 500 or status == 408:
            exc = _transient(f"{action}: server error HTTP {status}", maybe_done=writes)
            exc.retry_after = retry_after(got.headers, cap=self.max_retry_after) if status == 503 else None
            raise exc
        if got.truncated:
            raise _bad(f"{action}: the answer is larger than {self._http.limits.max_bytes // MiB} MiB; refused",
                       maybe_done=writes)
        try:
            parsed = json.loads(got.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            kind = (got.content_type or "no content type").split(";")[0][:60]
            if status == 404:
                raise CkanNotFound(f"{action}: not found (HTTP 404, {kind}): is {self.url} a CKAN site?") from None
            raise _bad(f"{action}: the answer is not JSON (HTTP {status}, {kind}): is {self.url} a CKAN Action API?",
                       maybe_done=writes and status < 400) from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("success"), bool):
            shown = _type_name(parsed.get("success")) if isinstance(parsed, dict) else _type_name(parsed)
            raise _bad(f"{action}: not a CKAN Action API answer (HTTP {status}; 'success' is {shown}, "
                       "not true or false)", maybe_done=writes and status < 400)
        if parsed["success"] is True:
            if "result" not in parsed:
                raise _bad(f"{action}: CKAN said success but sent no result", maybe_done=writes)
            result = _redact_tree_all(parsed["result"], (self.token,))
            want = _RESULT_TYPES.get(action)
            if want is not None and not isinstance(result, want):
                raise _bad(f"{action}: CKAN said success but the result is {_type_name(result)}, "
                           f"not {'a list' if want is list else 'an object'}", maybe_done=writes)
            _check_shape(action, result)
            return result
        self._raise_error(action, status, parsed.get("error"))

    def _raise_error(self, action: str, status: int, error: Any) -> None:
        err = _redact_tree_all(error, (self.token,)) if isinstance(error, dict) else {}
        etype = str(err.get("__type") or "")
        message = err.get("message")
        message = message if isinstance(message, str) else ""
        if etype == "Validation Error":
            raise CkanValidationError(err)
        if etype == "Not Found Error":
            raise CkanNotFound(self._msg(f"{action}: not found ({message or 'no message'})"[:500]))
        if etype == "Authorization Error":
            raise CkanNotAuthorized(f"{action}: not authorized (check the API token and its permissions)")
        if etype.startswith("Search"):
            raise CkanError(self._msg(f"{action}: search error: {message}")[:500])
        if status == 400 and "Action name not known" in message:
            raise CkanNotFound(f"action {action} is not available on this server")
        shown = message or etype or "no message"
        raise CkanError(self._msg(f"{action}: unexpected answer (HTTP {status}): {shown}")[:500])

    def _msg(self, text: str) -> str:
        return redact(text, self.token)


def _check_shape(action: str, result: Any) -> None:
    """The parts of a result that callers index: present and of the right type."""
    if action == "package_search":
        results, count = result.get("results"), result.get("count")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise _bad("package_search: 'results' is not a list of datasets", maybe_done=False)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise _bad(f"package_search: 'count' is {_type_name(count)}, not a whole number", maybe_done=False)
    elif action == "current_package_list_with_resources" and not all(isinstance(r, dict) for r in result):
        raise _bad(f"{action}: the list holds something that is not a dataset", maybe_done=False)
    elif action in ("package_show", "package_create", "package_patch", "package_update"):
        if not isinstance(result.get("id"), str) or not isinstance(result.get("resources", []), list):
            raise _bad(f"{action}: the dataset in the answer has no id or a broken resource list",
                       maybe_done=action != "package_show")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {json.dumps(_redact_all(value)[:40], ensure_ascii=False)}"
    return {dict: "an object", list: "a list", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _transient(message: str, *, maybe_done: bool, cls: type[CkanTransientError] = CkanTransientError) -> CkanTransientError:
    exc = cls(_redact_all(message))
    exc.maybe_done = maybe_done
    return exc


def _bad(message: str, *, maybe_done: bool) -> CkanBadAnswer:
    exc = CkanBadAnswer(_redact_all(message))
    exc.maybe_done = maybe_done
    return exc


def _idempotent(action: str) -> bool:
    return action.startswith(_READ_PREFIXES) or action.endswith("_patch") or action.endswith("_show")
