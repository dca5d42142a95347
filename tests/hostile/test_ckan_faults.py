"""publish and audit against the real CKAN behind a fault-injecting proxy (tests/hostile/ckan_proxy.py).

The faults come after CKAN has committed, so what the tool reports is checked against what
CKAN really holds: no duplicate dataset or resource, a log that says what happened, no
token in any output, loops that end. Kept small (three datasets, a handful of runs).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.ckan_proxy import FaultProxy

pytest.importorskip("ckanapi")
pytest.importorskip("openpyxl")
pytestmark = pytest.mark.ckan


@pytest.fixture
def proxy(ckan_server):
    with FaultProxy(ckan_server.url) as p:
        yield p


@pytest.fixture
def org(ckan_server) -> str:
    return ckan_server.create_org("tourism", title="กรมการท่องเที่ยว (ทดสอบ)")["name"]


@pytest.fixture
def book(examples, tmp_path):
    from tests.integration.test_publish_ckan import workbook

    return workbook(examples, tmp_path)


def _publish(run_cli, url: str, token: str, path: Path, org: str, log: Path, *extra: str):
    # one worker: which dataset meets the fault must not depend on thread timing
    r = run_cli("publish", path, "--ckan", url, "--org", org, "--format", "json", "--log", log, "--retries", "2",
                "--workers", "1", *extra, env={"CKAN_API_TOKEN": token})
    data = json.loads(r.stdout) if r.stdout.strip().startswith("{") else None
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return r, data, lines


def _packages(server, org: str) -> dict[str, dict]:
    found = server.call("package_search", {"fq": f'organization:"{org}"', "rows": 100, "include_private": True})
    return {p["name"]: p for p in found["results"]}


@pytest.mark.parametrize("mode", ["502_after", "reset_after"])
def test_a_create_whose_answer_is_lost_is_found_and_logged_as_created(ckan_server, proxy, org, book, run_cli,
                                                                      tmp_path, mode):
    path, ids = book
    proxy.add("package_create", mode)
    log = tmp_path / "publish.jsonl"
    r, data, lines = _publish(run_cli, proxy.url, ckan_server.token, path, org, log)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert data["created"] == ids and data["unchanged"] == []
    assert [x["action"] for x in lines] == ["create"] * 3 and all(x["ok"] for x in lines)
    assert "answer was lost" in lines[0]["note"] and lines[0]["ckan_id"]
    assert proxy.count("package_create") == 3  # never sent twice
    assert sorted(_packages(ckan_server, org)) == sorted(i.lower() for i in ids)


def test_a_resource_create_answered_502_after_commit_is_not_duplicated(ckan_server, proxy, org, book, run_cli,
                                                                       tmp_path):
    path, ids = book
    log = tmp_path / "publish.jsonl"
    _publish(run_cli, ckan_server.url, ckan_server.token, path, org, log)
    name = ids[0].lower()
    first = ckan_server.action("package_show", id=name)
    assert len(first["resources"]) == 2
    ckan_server.action("resource_delete", id=first["resources"][1]["id"])
    proxy.add("resource_create", "502_after")
    r, data, lines = _publish(run_cli, proxy.url, ckan_server.token, path, org, log)
    assert r.exit_code == 0 and data["updated"] == [ids[0]], r.stdout + r.stderr
    assert "found on re-reading" in lines[3]["note"] and lines[3]["action"] == "update"
    assert proxy.count("resource_create") == 1
    assert len(ckan_server.action("package_show", id=name)["resources"]) == 2
    again, data2, _ = _publish(run_cli, ckan_server.url, ckan_server.token, path, org, log)
    assert data2["unchanged"] == ids


@pytest.mark.parametrize("body", [{"success": "false", "result": {}}, {"success": True},
                                  {"success": True, "result": ["dataset"]}])
def test_odd_shapes_after_a_create_are_checked_by_reading_again(ckan_server, proxy, org, book, run_cli, tmp_path, body):
    path, ids = book
    proxy.add("package_create", "shape", body=body)
    r, data, lines = _publish(run_cli, proxy.url, ckan_server.token, path, org, tmp_path / "log.jsonl")
    assert r.exit_code == 0 and "Traceback" not in r.stderr
    assert data["created"] == ids and [x["action"] for x in lines] == ["create"] * 3
    assert "answer was lost" in lines[0]["note"]
    assert len(_packages(ckan_server, org)) == 3


def test_package_show_answering_null_fails_each_dataset_clearly_and_logs_it(ckan_server, proxy, org, book, run_cli,
                                                                            tmp_path):
    path, ids = book
    proxy.add("package_search", "null_result", times=100)  # the batch look-up fails: each name is shown
    proxy.add("package_show", "null_result", times=100)
    r, data, lines = _publish(run_cli, proxy.url, ckan_server.token, path, org, tmp_path / "log.jsonl")
    assert r.exit_code == 1 and data["failed"] == ids and data["summary"]["failed"] == 3
    assert [x["ok"] for x in lines] == [False] * 3 and all("result is null" in x["error"] for x in lines)
    assert proxy.count("package_create") == 0 and _packages(ckan_server, org) == {}


def test_a_server_echoing_the_token_never_shows_it(ckan_server, proxy, org, book, run_cli, tmp_path):
    path, ids = book
    proxy.add("package_create", "echo_token", times=3)
    log = tmp_path / "log.jsonl"
    r, data, lines = _publish(run_cli, proxy.url, ckan_server.token, path, org, log)
    everything = r.stdout + r.stderr + log.read_text(encoding="utf-8")
    token = ckan_server.token
    assert r.exit_code == 1 and data["failed"] == ids
    assert token not in everything and token[:16] not in everything and token[-16:] not in everything


def test_an_audit_through_a_proxy_ignoring_paging_ends_and_warns(ckan_server, proxy, org, book, run_cli, tmp_path):
    path, ids = book
    _publish(run_cli, ckan_server.url, ckan_server.token, path, org, tmp_path / "log.jsonl")
    proxy.add("package_search", "ignore_offset", times=50)
    r = run_cli("audit", "--ckan", proxy.url, "--org", org, "--page-size", "1", "--format", "json",
                env={"CKAN_API_TOKEN": ckan_server.token})
    d = json.loads(r.stdout)
    assert d["audit"]["count_reported"] == 3 and d["audit"]["datasets"] == 2 and d["audit"]["complete"] is False
    assert [f["code"] for f in d["findings"]] == ["audit_incomplete"]
    assert proxy.count("package_search") == 4


def test_an_audit_on_a_dripping_server_stops_at_the_deadline(ckan_server, proxy, org, run_cli):
    proxy.add("package_search", "drip", times=5, every=1.0)
    r = run_cli("audit", "--ckan", proxy.url, "--org", org, "--timeout", "2", "--retries", "1", "--format", "json",
                env={"CKAN_API_TOKEN": ckan_server.token})
    assert r.exit_code == 2 and "no complete answer within 2s" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert proxy.count("package_search", "drip") == 2
