"""The web app as stewards get it: ``catalog-tools serve`` in its own process on 127.0.0.1, and
headless Debian chromium driven by Playwright. Shared by the browser and hostile-upload tests.

Chromium: ``scripts/ensure-chromium.sh``. Without it (or without Playwright) the browser tests
are skipped, unless CATALOG_TOOLS_REQUIRE_CHROMIUM=1 (CI), where they must run.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser() -> None:
    """Skip (or fail, under CATALOG_TOOLS_REQUIRE_CHROMIUM=1) when chromium or Playwright is missing."""
    required = os.environ.get("CATALOG_TOOLS_REQUIRE_CHROMIUM") == "1"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            raise RuntimeError("Playwright is required (CATALOG_TOOLS_REQUIRE_CHROMIUM=1): pip install -e .[test]")
        pytest.skip("Playwright not installed")
    if CHROMIUM is None:
        if required:
            raise RuntimeError("chromium is required (CATALOG_TOOLS_REQUIRE_CHROMIUM=1): run scripts/ensure-chromium.sh")
        pytest.skip("chromium not installed; run scripts/ensure-chromium.sh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebServer:
    url: str
    process: subprocess.Popen
    log: Path
    state: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_app(tmp: Path, *, max_mb: float = 2, env: dict[str, str] | None = None) -> Iterator[WebServer]:
    """Start ``catalog-tools serve`` on a free loopback port; stop it (and only it) afterwards."""
    port = free_port()
    state = tmp / "web-state"
    log = tmp / "web-server.log"
    full_env = {**os.environ, "CATALOG_TOOLS_WEB_STATE": str(state), "CKAN_API_TOKEN": "", **(env or {})}
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "catalog_tools", "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--max-upload-mb", str(max_mb)], stdout=fh, stderr=subprocess.STDOUT, env=full_env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the web app did not start:\n" + log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        yield WebServer(url, proc, log, state)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def browser() -> Iterator[object]:
    """Headless Debian chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield b
        finally:
            b.close()


def screenshot(page, name: str, **kwargs) -> Path:
    """A PNG of ``page`` kept in test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kwargs)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # a rendered page, not a blank one
    return path


@pytest.fixture(scope="module")
def chromium():
    """One headless chromium for a test module (import this fixture into the module)."""
    require_browser()
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    """``catalog-tools serve`` for a test module; the module's ``WEB_MAX_MB`` sets the upload limit."""
    require_browser()
    with running_app(tmp_path_factory.mktemp("web"), max_mb=getattr(request.module, "WEB_MAX_MB", 2)) as server:
        yield server
