"""Arguments of scripts/ckan-test-server.sh that must be refused before anything starts."""
from __future__ import annotations

import subprocess

import pytest

from tests.ckan_server.conftest_plugin import SCRIPT


@pytest.mark.parametrize("value", ["0", "17", "four", "-2", ""])
def test_web_workers_out_of_range_is_refused_before_anything_starts(tmp_path, value):
    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CKAN_TEST_HOME": str(home)}
    proc = subprocess.run(["bash", str(SCRIPT), "start", "--name", "refused", "--no-scheming", "--web-workers", value],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert "--web-workers must be a number from 1 to 16" in proc.stderr
    assert proc.stdout == "" and not home.exists()  # no venv, no state dir, no process


def test_web_workers_from_the_environment_is_checked_too(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CKAN_TEST_HOME": str(tmp_path / "home"),
           "CKAN_TEST_WEB_WORKERS": "99"}
    proc = subprocess.run(["bash", str(SCRIPT), "status", "--name", "refused"], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1 and "--web-workers must be a number from 1 to 16: 99" in proc.stderr
