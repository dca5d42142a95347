"""The CKAN test server served by several processes (``ckan-test-server.sh --web-workers N``).

The benchmarks use it to measure publishing against a CKAN served as production CKANs are
(gunicorn, one process per worker). This checks what they rely on: every worker has CKAN
loaded and answers, a publish with workers racing on the same names still makes one dataset
per name, ``start-web`` brings back the same kind of server, and ``stop``/``stop-web`` end every
process — also the workers of a master that was killed.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.ckan_server.conftest_plugin import SCRIPT, CkanServer, _start
from tests.integration.test_publish_ckan import names, org_packages, workbook
from tests.integration.test_publish_workers import race_two_publishes

pytest.importorskip("openpyxl")
pytestmark = pytest.mark.ckan

WEB_WORKERS = 2


def _free_ports(n: int) -> list[str]:
    """Ports free on 127.0.0.1 just now (the instance needs its own; other sessions may run)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [str(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


def _script(server: CkanServer, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    assert server.state_dir is not None
    env["CKAN_TEST_HOME"] = str(server.state_dir.parent.parent)
    return subprocess.run(["bash", str(SCRIPT), *args, "--name", server.name], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)


def _alive(pid: int) -> bool:
    """Running and not a zombie (an ended child may wait a while to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _web_pids(server: CkanServer) -> tuple[int, list[int]]:
    """gunicorn's master (from the pid file) and its workers (as `status` lists them)."""
    status = _script(server, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    m = re.search(r"^web:\s+gunicorn, (\d+) workers: pids ([\d ]+)$", status.stdout, re.M)
    assert m, status.stdout
    assert int(m.group(1)) == WEB_WORKERS
    assert server.state_dir is not None
    return int((server.state_dir / "ckan.pid").read_text()), [int(p) for p in m.group(2).split()]


def _wait_gone(pids: list[int], seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def test_gunicorn_server_serves_publishes_without_duplicates_and_stops_every_process(examples, tmp_path):
    from catalog_tools.validate import validate_paths

    ports = dict(zip(("CKAN_TEST_PORT", "CKAN_TEST_SOLR_PORT", "CKAN_TEST_REDIS_PORT"), _free_ports(3)))
    server = _start("webworkers", scheming=False, schema=None, ports=ports, web_workers=WEB_WORKERS)
    assert server.state_dir is not None
    started: list[int] = []
    try:
        master, workers = _web_pids(server)
        started += [master, *workers]
        assert len(workers) == WEB_WORKERS and master not in workers
        ready = sorted(int(p.name) for p in (server.state_dir / "web-ready").iterdir())
        assert ready == sorted(workers)  # each worker loaded CKAN before `start` returned
        for pid in workers:  # what stop and status recognise them by
            assert str(server.state_dir / "ckan.ini") in Path(f"/proc/{pid}/cmdline").read_text()
        assert server.action("status_show")["ckan_version"].startswith("2.11")

        # two publishes with three workers each race on the same names
        org = server.call("organization_create", {"name": server.unique_name("org"), "title": "กรมการท่องเที่ยว"})["name"]
        path, ids = workbook(examples, tmp_path)
        race_two_publishes(server, org, validate_paths([str(path)]))
        assert sorted(p["name"] for p in org_packages(server, org)) == sorted(names(ids))  # one dataset per name

        # stop-web ends the master and its workers; start-web brings gunicorn back
        stopped = _script(server, "stop-web")
        assert stopped.returncode == 0, stopped.stderr
        assert _wait_gone([master, *workers]) == []
        restarted = _script(server, "start-web")
        assert restarted.returncode == 0, restarted.stderr
        master, workers = _web_pids(server)
        started += [master, *workers]
        server._remote = None  # the old connection went with the old processes
        assert server.action("status_show")["ckan_version"].startswith("2.11")

        # a master killed outright leaves its workers: stop ends them too
        os.kill(master, signal.SIGKILL)
        assert _wait_gone([master], 10) == []
    finally:
        stop = _script(server, "stop")
    assert stop.returncode == 0, stop.stderr
    assert _wait_gone(started) == []
    assert _script(server, "status").returncode == 3
