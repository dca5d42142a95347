"""publish with several workers against the real CKAN: the same guarantees as one worker."""
from __future__ import annotations

import json
import threading

import pytest

from tests.integration.test_publish_ckan import names, org_packages, workbook

pytest.importorskip("openpyxl")
pytestmark = pytest.mark.ckan


def race_two_publishes(server, org: str, report, workers: int = 3) -> list:
    """Two publishes of ``report`` with ``workers`` workers each, started together; both results."""
    from catalog_tools.ckan.client import RemoteClient
    from catalog_tools.ckan.publish import PublishOptions, publish_report

    clients = [RemoteClient(server.url, server.token, timeout=60) for _ in range(2)]
    start = threading.Barrier(2, timeout=30)
    results: list = [None, None]

    def run(k: int) -> None:
        start.wait()
        results[k] = publish_report(report, clients[k], PublishOptions(org=org, workers=workers))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    for c in clients:
        c.close()
    assert all(r is not None and r.exit_code == 0 for r in results), [r and r.to_dict()["failed"] for r in results]
    return results


def test_two_runs_racing_on_the_same_names_make_no_duplicate(ckan_server, org_s, examples, tmp_path):
    from catalog_tools.validate import validate_paths

    path, ids = workbook(examples, tmp_path)
    report = validate_paths([str(path)])
    want_resources = {d.id: len(d.resources) for d in report.datasets}
    results = race_two_publishes(ckan_server, org_s["name"], report)
    pkgs = {p["name"]: p for p in org_packages(ckan_server, org_s["name"])}
    assert sorted(pkgs) == sorted(names(ids))  # one dataset per name
    for ds_id, count in want_resources.items():
        assert len(pkgs[ds_id.lower()]["resources"]) == count  # no resource twice
    for ds_id in ids:  # each created by (at least) one of the runs; the other found it
        actions = [o.action for r in results for o in r.outcomes if o.id == ds_id]
        assert "create" in actions and set(actions) <= {"create", "unchanged", "update"}


def test_workers_publish_then_batch_rerun_is_unchanged_with_few_calls(ckan_server, org_s, run_cli, examples, tmp_path):
    path, ids = workbook(examples, tmp_path)
    log = tmp_path / "publish.jsonl"
    env = {"CKAN_API_TOKEN": ckan_server.token}
    first = run_cli("publish", path, "--ckan", ckan_server.url, "--org", org_s["name"], "--workers", "4",
                    "--format", "json", "--log", log, env=env)
    assert first.exit_code == 0 and json.loads(first.stdout)["created"] == ids  # input order, whatever finished first
    again = run_cli("publish", path, "--ckan", ckan_server.url, "--org", org_s["name"], "--workers", "4",
                    "--format", "json", "--log", log, env=env)
    assert json.loads(again.stdout)["unchanged"] == ids
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(x["dataset"] for x in lines) == sorted(ids * 2) and all(x["ok"] for x in lines)
