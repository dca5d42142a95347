"""Shared test fixtures. Area-specific fixtures live next to their tests."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
EXAMPLES = FIXTURES / "examples"

# The real-CKAN fixtures (ckan_server, ckan_server_extras) come from this plugin.
pytest_plugins = ["tests.ckan_server.conftest_plugin"]


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def cli_runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run_cli(cli_runner: CliRunner):
    """Invoke the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    from catalog_tools.cli import cli

    def run(*args: str, env: dict[str, str] | None = None):
        return cli_runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return run


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests that must not reach any server: refuse non-loopback connections."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise OSError(f"network access blocked in unit tests: {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="module")
def serial(varied: Path) -> object:
    """The one-process report of the module's ``varied`` workbook, as data: what every run with
    helpers (tests/shard_support.py) must equal."""
    from catalog_tools.validate import validate_paths
    from tests.shard_support import as_data

    return as_data(validate_paths([str(varied)], jobs=1))
