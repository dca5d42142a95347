"""A narrow CKAN interface: ``call_action(action, data_dict)``, and the real client behind it.

Why narrow: publish and audit need only the Action API, so unit tests use a dict-backed fake
(:mod:`.fake`) behind the same Protocol, and the real client is the one place that deals with
HTTP, retries, timeouts and the API token.

Safety rules the real client enforces:

* the token comes from ``CKAN_API_TOKEN`` or a token file, never from a command-line value;
* it is not sent over plain ``http://`` to a host that is not loopback unless ``insecure``;
* every error message that leaves this module has the token replaced by ``***``.
"""
from __future__ import annotations

import ipaddress
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Protocol, runtime_checkable
from urllib.parse import urlsplit

from ..http import USER_AGENT  # one user agent for CKAN calls, link checks and catalog reachability

TOKEN_ENV = "CKAN_API_TOKEN"

#: actions that only read: safe to retry even when a request may have reached the server
_READ_PREFIXES = ("package_show", "package_search", "organization_list", "organization_show", "status_show",
                  "current_package_list_with_resources", "package_list", "resource_show", "scheming_",
                  "site_read", "user_show", "datastore_search")


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
    """A timeout, connection failure or 5xx that did not clear up after the retries."""


class CkanUnreachable(CkanTransientError):
    """The server could not be reached at all (connection refused, DNS, connect timeout)."""


class CkanUsageError(CkanError):
    """A configuration the client refuses (e.g. a token over plain http to a remote host)."""


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

    def add(self, action: str, seconds: float) -> None:
        self.calls += 1
        self.http_seconds += seconds
        self.by_action[action] = self.by_action.get(action, 0) + 1


def _join(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_join(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_join(v)}" for k, v in value.items())
    return str(value)


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` replaced by ``***`` (and nothing else changed)."""
    if secret and len(secret) >= 4:
        return text.replace(secret, "***")
    return text


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

    Raises :class:`CkanUsageError` when the file cannot be read (the message names the file,
    never its content).
    """
    if token_file is not None:
        try:
            text = Path(token_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc.__class__.__name__
            raise CkanUsageError(f"cannot read token file {token_file}: {reason}") from None
        for line in text.splitlines():
            if line.strip():
                return line.strip()
        raise CkanUsageError(f"token file {token_file} is empty")
    env = os.environ if environ is None else environ
    value = (env.get(TOKEN_ENV) or "").strip()
    return value or None


def check_url(url: str, token: str | None, *, insecure: bool = False) -> str:
    """Validate the catalog URL; refuse to send a token over plain http to a remote host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CkanUsageError(f"not an http(s) URL: {url!r}")
    if token and parts.scheme == "http" and not is_loopback(parts.hostname) and not insecure:
        raise CkanUsageError(f"refusing to send the API token over plain http to {parts.hostname}; "
                             "use https, or --insecure if you really mean it")
    return url.strip().rstrip("/")


class RemoteClient:
    """The real client: ckanapi ``RemoteCKAN`` with a timeout, retries with backoff and redaction.

    Retries: connection failures and 5xx answers are retried for every action (CKAN commits
    a write only when the whole action succeeds); a read timeout is retried only for
    read actions and ``*_patch`` (idempotent), because a create that timed out may have
    happened — publish finds it by name on the next look-up instead of creating it twice.
    """

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 0.5, insecure: bool = False, user_agent: str = USER_AGENT) -> None:
        import ckanapi
        import requests

        self.url = check_url(url, token, insecure=insecure)
        self.token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.stats = CallStats()
        self._status: int | None = None
        session = requests.Session()
        session.hooks["response"].append(self._record_status)
        self._remote = ckanapi.RemoteCKAN(self.url, apikey=token, user_agent=user_agent, session=session)
        self._ckanapi = ckanapi
        self._requests = requests

    @property
    def has_token(self) -> bool:
        return bool(self.token)

    def _record_status(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self._status = response.status_code

    def close(self) -> None:
        self._remote.close()

    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any:
        attempt = 0
        while True:
            try:
                return self._once(action, data_dict or {})
            except CkanTransientError as exc:
                retryable = not getattr(exc, "maybe_done", False) or _idempotent(action)
                if attempt >= self.retries or not retryable:
                    raise
                delay = self.backoff * (2 ** attempt) * (0.75 + random.random() / 2)
                attempt += 1
                self.stats.retries += 1
                time.sleep(delay)

    def _once(self, action: str, data_dict: dict[str, Any]) -> Any:
        ck, rq = self._ckanapi, self._requests
        self._status = None
        start = time.perf_counter()
        try:
            return self._remote.call_action(action, data_dict, requests_kwargs={"timeout": self.timeout})
        except ck.ValidationError as exc:
            raise CkanValidationError(_redact_tree(getattr(exc, "error_dict", {}) or {}, self.token)) from None
        except ck.NotFound as exc:
            raise CkanNotFound(self._msg(f"{action}: not found ({exc})")) from None
        except ck.NotAuthorized:
            raise CkanNotAuthorized(f"{action}: not authorized (check the API token and its permissions)") from None
        except (ck.SearchQueryError, ck.SearchError, ck.SearchIndexError) as exc:
            if self._status is not None and self._status >= 500:
                raise _transient(f"{action}: search backend error (HTTP {self._status})", maybe_done=False) from None
            raise CkanError(self._msg(f"{action}: search error: {exc}")) from None
        except ck.CKANAPIError as exc:
            status = self._status
            if status is not None and (status >= 500 or status in (408, 429)):
                raise _transient(f"{action}: server error HTTP {status}", maybe_done=False) from None
            if status == 400 and "Action name not known" in str(exc):
                raise CkanNotFound(f"action {action} is not available on this server") from None
            raise CkanError(self._msg(f"{action}: unexpected answer (HTTP {status}): {str(exc)[:300]}")) from None
        except ck.ServerIncompatibleError:
            raise CkanError(f"{self.url} does not answer like a CKAN Action API") from None
        except rq.exceptions.ConnectTimeout:
            raise _transient(f"{action}: cannot connect to {self.url} (connect timeout)", maybe_done=False,
                             cls=CkanUnreachable) from None
        except rq.exceptions.ConnectionError as exc:
            # Refused/reset before an answer: for a refused connection nothing reached CKAN.
            refused = "refused" in str(exc).lower() or "NewConnectionError" in str(exc) or "resolve" in str(exc).lower()
            raise _transient(f"{action}: cannot reach {self.url} ({'connection refused' if refused else 'connection error'})",
                             maybe_done=not refused, cls=CkanUnreachable) from None
        except rq.exceptions.Timeout:
            raise _transient(f"{action}: no answer within {self.timeout:g}s", maybe_done=True) from None
        except rq.exceptions.RequestException as exc:
            raise CkanError(self._msg(f"{action}: request failed: {exc.__class__.__name__}")) from None
        except ValueError as exc:  # a non-JSON body on success paths
            raise CkanError(self._msg(f"{action}: unreadable answer: {exc}")) from None
        finally:
            self.stats.add(action, time.perf_counter() - start)

    def _msg(self, text: str) -> str:
        return redact(text, self.token)


def _transient(message: str, *, maybe_done: bool, cls: type[CkanTransientError] = CkanTransientError) -> CkanTransientError:
    exc = cls(message)
    exc.maybe_done = maybe_done  # type: ignore[attr-defined]
    return exc


def _idempotent(action: str) -> bool:
    return action.startswith(_READ_PREFIXES) or action.endswith("_patch") or action.endswith("_show")


def _redact_tree(value: Any, token: str | None) -> Any:
    if isinstance(value, str):
        return redact(value, token)
    if isinstance(value, dict):
        return {k: _redact_tree(v, token) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_tree(v, token) for v in value]
    return value
