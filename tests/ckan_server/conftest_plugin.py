"""pytest plugin: a real CKAN 2.11 for integration tests.

Load it from tests/conftest.py with ``pytest_plugins = ["tests.ckan_server.conftest_plugin"]``.

Fixtures (session scoped unless noted):

``ckan_server``
    CKAN with ckanext-scheming (``scheming_datasets thai_tags``). The dataset schema is
    ``$CKAN_TEST_SCHEMA`` if set, else the one written by
    ``catalog_tools.ckan.scheming.write_scheming_schema(path, standard="2.2")``, else (until
    that exists) ``tests/ckan_server/fallback_schema.yaml`` (core fields only).
``ckan_server_extras``
    A second CKAN without scheming (``thai_tags`` only): custom fields become ``extras``.
    Its own port, database, Solr stand-in and Redis.
``ckan_org`` / ``ckan_org_extras`` (function scoped)
    A new organization with a unique name on the respective server.

Both server fixtures return a :class:`CkanServer`. Each is started through
``scripts/ckan-test-server.sh start`` unless an external one is given
(``CKAN_TEST_URL`` + ``CKAN_TEST_TOKEN_FILE``/``CKAN_TEST_TOKEN``; for the extras server
``CKAN_TEST_EXTRAS_URL`` + ``CKAN_TEST_EXTRAS_TOKEN_FILE``/``CKAN_TEST_EXTRAS_TOKEN``), and
what the session started is stopped at its end (``CKAN_TEST_KEEP=1`` leaves it running; the
next session then reuses it). If a server cannot be started the tests that need it are
skipped with the reason, or fail when ``CATALOG_TOOLS_REQUIRE_CKAN=1``.
"""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any, Optional

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SCRIPT = REPO_ROOT / "scripts" / "ckan-test-server.sh"
FALLBACK_SCHEMA = HERE / "fallback_schema.yaml"
USER_AGENT = "catalog-tools-tests/1.0 (+ckan_server fixture)"


def _ckan_test_home() -> Path:
    return Path(os.environ.get("CKAN_TEST_HOME")
                or Path(os.path.expanduser("~")) / ".cache" / "catalog-tools-ckan")


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class CkanServerUnavailable(RuntimeError):
    pass


class CkanServer:
    """A running CKAN: URL, sysadmin token, and helpers.

    ``action(name, **data)`` calls the Action API as the sysadmin ``ci_admin`` through
    ckanapi's RemoteCKAN (errors are ckanapi's: ``ckanapi.ValidationError``,
    ``ckanapi.NotFound``, ...). Use ``call(name, data_dict)`` for keys that are not Python
    identifiers (``"facet.field"``). ``stop_ckan()``/``start_ckan()``/``restart()`` stop and
    start only the CKAN web process; database, index and Redis are kept.
    """

    def __init__(self, *, url: str, token: str, token_file: Optional[Path], scheming: bool,
                 name: str, state_dir: Optional[Path], managed: bool,
                 schema_path: Optional[Path] = None, schema_source: str = ""):
        self.url = url.rstrip("/")
        self.token = token
        self.token_file = token_file
        self.scheming = scheming
        self.name = name
        self.state_dir = state_dir
        self.managed = managed
        self.schema_path = schema_path
        self.schema_source = schema_source
        self._remote = None

    def __repr__(self) -> str:
        return (f"CkanServer(url={self.url!r}, scheming={self.scheming}, name={self.name!r}, "
                f"managed={self.managed})")

    # -- Action API ------------------------------------------------------------------------
    def remote(self, apikey: Optional[str] = "sysadmin"):
        """A ckanapi RemoteCKAN; ``apikey=None`` for an anonymous client."""
        import ckanapi

        key = self.token if apikey == "sysadmin" else apikey
        return ckanapi.RemoteCKAN(self.url, apikey=key, user_agent=USER_AGENT)

    def call(self, action: str, data_dict: Optional[dict] = None, /, **kwargs: Any) -> Any:
        """``call_action(action, data_dict)``; kwargs go to RemoteCKAN.call_action."""
        if self._remote is None:
            self._remote = self.remote()
        return self._remote.call_action(action, data_dict or {}, **kwargs)

    def action(self, action: str, /, **data: Any) -> Any:
        return self.call(action, data)

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def unique_name(prefix: str = "ct") -> str:
        """A CKAN-valid unique name (lowercase, digits, '-'; at most 100 chars)."""
        slug = re.sub(r"[^a-z0-9]+", "-", prefix.lower()).strip("-")[:60] or "ct"
        return f"{slug}-{uuid.uuid4().hex[:10]}"

    def create_org(self, prefix: str = "org", **fields: Any) -> dict:
        name = self.unique_name(prefix)
        data = {"name": name, "title": fields.pop("title", name)}
        data.update(fields)
        return self.action("organization_create", **data)

    def dataset_schema(self) -> Optional[dict]:
        """The scheming dataset schema the server runs (None without scheming)."""
        if not self.scheming:
            return None
        if not hasattr(self, "_dataset_schema"):
            self._dataset_schema = self.action("scheming_dataset_schema_show", type="dataset")
        return self._dataset_schema

    def minimal_dataset(self, owner_org: str, **fields: Any) -> dict:
        """A ``package_create`` data dict valid on this server: ``fields`` plus a sample
        value for every other required field of the scheming schema (first choice of a
        select, ``[first]`` of a multiple choice, a date, an e-mail, or Thai text)."""
        data: dict[str, Any] = {"name": self.unique_name("ds"), "title": "ชุดข้อมูลทดสอบ",
                                "owner_org": owner_org, "notes": "ชุดข้อมูลสำหรับการทดสอบ"}
        data.update(fields)
        schema = self.dataset_schema()
        for field in (schema or {}).get("dataset_fields", []):
            fname = field["field_name"]
            if not field.get("required") or fname in data:
                continue
            if fname == "tag_string" and "tags" in data:
                continue
            data[fname] = _sample_value(field)
        return data

    def create_dataset(self, owner_org: str, **fields: Any) -> dict:
        """``package_create`` with :meth:`minimal_dataset`."""
        return self.action("package_create", **self.minimal_dataset(owner_org, **fields))

    # -- process control -------------------------------------------------------------------
    def _script(self, *args: str) -> subprocess.CompletedProcess:
        if self.state_dir is None:
            pytest.skip(f"CKAN at {self.url} is external and has no state dir: cannot stop/start it")
        env = dict(os.environ)
        env["CKAN_TEST_HOME"] = str(self.state_dir.parent.parent)
        proc = subprocess.run(["bash", str(SCRIPT), *args, "--name", self.name], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            raise CkanServerUnavailable(f"ckan-test-server.sh {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
        return proc

    def stop_ckan(self) -> None:
        """Stop the CKAN web process only (database, Solr stand-in and Redis keep running)."""
        self._script("stop-web")
        self._remote = None

    def start_ckan(self) -> None:
        """Start the CKAN web process again and wait until ``status_show`` answers."""
        self._script("start-web")
        self._remote = None

    def restart(self) -> None:
        self.stop_ckan()
        self.start_ckan()

    def log_tail(self, lines: int = 60) -> str:
        if self.state_dir is None:
            return ""
        try:
            text = (self.state_dir / "ckan.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _sample_value(field: dict) -> Any:
    fname = field["field_name"]
    validators = f"{field.get('validators') or ''} {field.get('output_validators') or ''}"
    preset = field.get("preset") or ""
    multiple = preset in ("multiple_checkbox", "multiple_select") or "multiple_choice" in validators
    if field.get("choices"):
        value = field["choices"][0]["value"]
        return [value] if multiple else value
    if preset == "date" or "isodate" in validators:
        return "2024-01-01"
    if preset.startswith("datetime"):
        return "2024-01-01T00:00:00"
    if fname == "tag_string":
        return "ทดสอบ"
    if "email" in fname or "email_validator" in validators:
        return "ci@example.com"
    if "url" in fname:
        return "https://example.com/"
    if any(v in validators for v in ("int_validator", "is_positive_integer", "natural_number")):
        return "1"
    return ["ค่าทดสอบ"] if multiple else "ค่าทดสอบ"


# ---------------------------------------------------------------------------------------
# starting / reusing
# ---------------------------------------------------------------------------------------

def _unavailable(reason: str):
    if _truthy("CATALOG_TOOLS_REQUIRE_CKAN"):
        pytest.fail(f"CATALOG_TOOLS_REQUIRE_CKAN=1 but CKAN is not available: {reason}", pytrace=False)
    pytest.skip(f"CKAN not available: {reason}")


def _parse_env_lines(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(?:export )?([A-Z_]+)=(.*)$", line.strip())
        if m:
            vals = shlex.split(m.group(2)) if m.group(2) else [""]
            out[m.group(1)] = vals[0] if vals else ""
    return out


def _external(prefix: str, name: str, default_scheming: bool) -> Optional[CkanServer]:
    url = os.environ.get(f"{prefix}_URL")
    if not url:
        return None
    token_file = os.environ.get(f"{prefix}_TOKEN_FILE")
    token = os.environ.get(f"{prefix}_TOKEN", "")
    if token_file:
        try:
            token = Path(token_file).read_text().strip()
        except OSError as e:
            _unavailable(f"{prefix}_TOKEN_FILE={token_file} cannot be read: {e}")
    if not token:
        _unavailable(f"{prefix}_URL is set but neither {prefix}_TOKEN_FILE nor {prefix}_TOKEN")
    sch = os.environ.get(f"{prefix}_SCHEMING")
    scheming = default_scheming if sch is None else sch.strip().lower() in ("1", "true", "yes")
    state = os.environ.get(f"{prefix}_STATE_DIR")
    return CkanServer(url=url, token=token, token_file=Path(token_file) if token_file else None,
                      scheming=scheming, name=Path(state).name if state else name,
                      state_dir=Path(state) if state else None, managed=False)


def resolve_schema() -> tuple[Path, str]:
    """The scheming dataset schema to serve, and where it came from."""
    env = os.environ.get("CKAN_TEST_SCHEMA")
    if env:
        return Path(env).resolve(), "CKAN_TEST_SCHEMA"
    try:
        from catalog_tools.ckan.scheming import write_scheming_schema  # type: ignore
    except ImportError:
        return FALLBACK_SCHEMA, "fallback"
    # A content-addressed copy under CKAN_TEST_HOME: it outlives this session (CKAN re-reads
    # it on restart, and a kept server is reused by the next session when unchanged).
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp) / "schema.yaml"
        # The test CKAN's plugin has the schema's exact rule for positive numbers.
        write_scheming_schema(tmp_path, standard="2.2", number_validator="catalog_tools_positive_number")
        data = tmp_path.read_bytes()
    dest_dir = _ckan_test_home() / "schemas"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"catalog_tools-2.2-{hashlib.sha256(data).hexdigest()[:16]}.yaml"
    if not dest.exists():
        tmp_dest = dest.with_suffix(".tmp")
        tmp_dest.write_bytes(data)
        tmp_dest.replace(dest)
    return dest, "catalog_tools.ckan.scheming.write_scheming_schema"


def _start(name: str, *, scheming: bool, schema: Optional[Path], ports: dict[str, str],
           schema_source: str = "", web_workers: int = 0) -> CkanServer:
    """Start instance ``name`` (skipping, or failing under CATALOG_TOOLS_REQUIRE_CKAN, when it cannot);
    ``web_workers`` > 0 serves it with gunicorn and that many processes (``--web-workers``)."""
    if sys.platform != "linux" or shutil.which("bash") is None:
        _unavailable("the CKAN test server needs Linux with bash")
    if not SCRIPT.exists():
        _unavailable(f"{SCRIPT} is missing")
    try:
        import ckanapi  # noqa: F401
    except ImportError:
        _unavailable("ckanapi is not installed in the test environment")
    env = dict(os.environ)
    env.update(ports)
    args = ["bash", str(SCRIPT), "start", "--name", name]
    args += ["--scheming", str(schema)] if scheming else ["--no-scheming"]
    if web_workers:
        args += ["--web-workers", str(web_workers)]
    try:
        proc = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=float(os.environ.get("CKAN_TEST_START_BUDGET", "1800")))
    except subprocess.TimeoutExpired as e:
        _unavailable(f"`{' '.join(args)}` timed out after {e.timeout:.0f}s")
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        _unavailable(f"`{' '.join(args)}` exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    vals = _parse_env_lines(proc.stdout)
    try:
        token_file = Path(vals["CKAN_TEST_TOKEN_FILE"])
        server = CkanServer(url=vals["CKAN_TEST_URL"], token=token_file.read_text().strip(),
                            token_file=token_file, scheming=vals.get("CKAN_TEST_SCHEMING") == "true",
                            name=name, state_dir=Path(vals["CKAN_TEST_STATE_DIR"]),
                            managed=vals.get("CKAN_TEST_REUSED") != "true",
                            schema_path=schema, schema_source=schema_source)
    except (KeyError, OSError) as e:
        _unavailable(f"unexpected output from ckan-test-server.sh start ({e}):\n{proc.stdout}")
    return server


def _stop(server: CkanServer) -> None:
    if not server.managed or _truthy("CKAN_TEST_KEEP"):
        return
    env = dict(os.environ)
    if server.state_dir is not None:
        env["CKAN_TEST_HOME"] = str(server.state_dir.parent.parent)
    subprocess.run(["bash", str(SCRIPT), "stop", "--name", server.name], env=env,
                   stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------------------------------
# pytest hooks and fixtures
# ---------------------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ckan: needs a real CKAN (started by scripts/ckan-test-server.sh; "
                   "skipped when it cannot start unless CATALOG_TOOLS_REQUIRE_CKAN=1)")


def _serve(env_prefix: str, instance: str, *, scheming: bool, port_env: str, defaults: tuple[str, str, str]):
    """Yield an external server if one is configured, else start ``instance`` and stop it afterwards."""
    server = _external(env_prefix, instance, default_scheming=scheming)
    if server is not None:
        yield server
        return
    schema, source = resolve_schema() if scheming else (None, None)
    ports = {name: os.environ.get(f"{port_env}{suffix}", default) for (name, suffix), default in zip(
        (("CKAN_TEST_PORT", "PORT"), ("CKAN_TEST_SOLR_PORT", "SOLR_PORT"), ("CKAN_TEST_REDIS_PORT", "REDIS_PORT")), defaults)}
    server = _start(instance, scheming=scheming, schema=schema, ports=ports, schema_source=source or "")
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def ckan_server():
    """CKAN with ckanext-scheming (``scheming_datasets thai_tags``)."""
    yield from _serve("CKAN_TEST", "scheming", scheming=True, port_env="CKAN_TEST_", defaults=("5055", "8985", "6385"))


@pytest.fixture(scope="session")
def ckan_server_extras():
    """CKAN without scheming (``thai_tags`` only): custom fields are ``extras``."""
    yield from _serve("CKAN_TEST_EXTRAS", "extras", scheming=False, port_env="CKAN_TEST_EXTRAS_",
                      defaults=("5056", "8986", "6386"))


def _org_prefix(request: pytest.FixtureRequest) -> str:
    return "org-" + request.node.name[:40]


@pytest.fixture
def ckan_org(ckan_server: CkanServer, request: pytest.FixtureRequest) -> dict:
    """A new organization with a unique name on ``ckan_server``."""
    return ckan_server.create_org(_org_prefix(request))


@pytest.fixture
def ckan_org_extras(ckan_server_extras: CkanServer, request: pytest.FixtureRequest) -> dict:
    """A new organization with a unique name on ``ckan_server_extras``."""
    return ckan_server_extras.create_org(_org_prefix(request))
