"""Audit against the fake CKAN, link checks against a local server, and the CLI's safety rules."""
from __future__ import annotations

import http.server
import json
import threading

import pytest

from catalog_tools.ckan.audit import AuditOptions, audit_catalog, crawl
from tests.fake_ckan import FakeCkan
from catalog_tools.ckan.links import check_links
from catalog_tools.ckan.publish import PublishOptions, publish_report
from catalog_tools.validate import validate_paths
from tests.golden.outputs import fake_catalog

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def catalog():
    """The clean tourism workbook published, plus a private dataset entered by hand on the portal
    (no objective, a PDF scan) — the same catalogue the recorded audit outputs use."""
    return fake_catalog()


def test_audit_finds_every_dataset_with_paging_and_private(catalog):
    catalog.calls.clear()  # only the audit's own calls, not those that built the catalogue
    result = audit_catalog(catalog, AuditOptions(page_size=2, fy=2565))
    report = result.report
    assert sorted(d.id for d in report.datasets) == ["dataset_11_01", "dataset_11_02", "dataset_11_03", "stadium-list"]
    searches = [d for a, d in catalog.calls if a == "package_search"]
    assert len(searches) == 2 and all(s["include_private"] for s in searches)
    bad = next(d for d in report.datasets if d.id == "stadium-list")
    assert not bad.complete and "8" in bad.failed_items
    assert any(f.code == "format_not_open" and f.value == "JPG" for r in bad.resources for f in r.findings)
    assert all(d.complete for d in report.datasets if d.id != "stadium-list")
    out = result.to_dict()
    orgs = {o["name"]: o for o in out["organizations"]}
    assert orgs["tourism"]["complete"] == 3 and orgs["sports"]["incomplete"] == ["stadium-list"]
    assert orgs["sports"]["private"] == 1 and orgs["tourism"]["resources"] == 4
    assert out["audit"]["datasets"] == 4 and out["summary"]["datasets"] == 4
    assert isinstance(out["score"], dict) and out["score"].get("fy") == 2565 and "total" in out["score"]
    assert result.score.fy == 2565 and result.crawl.datasets == 4 and [o.name for o in result.organizations] == ["sports", "tourism"]


def test_audit_one_organization_and_without_token_no_private(catalog):
    report = audit_catalog(catalog, AuditOptions(org="sports")).report
    assert [d.id for d in report.datasets] == ["stadium-list"]
    catalog.token = None
    report = audit_catalog(catalog, AuditOptions()).report
    assert "stadium-list" not in [d.id for d in report.datasets]


def test_crawl_falls_back_when_search_fails(catalog):
    from catalog_tools.ckan.client import CkanError

    catalog.fail["package_search"] = [CkanError("package_search: search error: Solr down")]
    catalog._current_package_list_with_resources = lambda data: sorted(  # type: ignore[attr-defined]
        [p for p in catalog.packages.values() if not p.get("private")], key=lambda p: p["name"]
    )[data["offset"]:data["offset"] + data["limit"]]
    stats: dict = {}
    names = [p["name"] for p in crawl(catalog, page_size=2, stats=stats)]
    assert names == ["dataset_11_01", "dataset_11_02", "dataset_11_03"]
    assert stats["method"] == "current_package_list_with_resources"


class _Links(http.server.BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []

    def _answer(self, body: bool) -> None:
        self.hits.append((self.command, self.path))
        if self.path.startswith("/nohead") and self.command == "HEAD":
            self.send_response(405)
        elif self.path.startswith("/missing"):
            self.send_response(404)
        else:
            self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    _Links.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_links_head_then_get_each_url_once(link_server):
    urls = [f"{link_server}/ok.csv", f"{link_server}/ok.csv", f"{link_server}/nohead.csv", f"{link_server}/missing.csv",
            "ftp://files.example.go.th/a.csv"]
    ticks: list[tuple[int, int]] = []
    results = check_links(urls, concurrency=2, timeout=5, progress=lambda done, total: ticks.append((done, total)))
    assert ticks == [(1, 4), (2, 4), (3, 4), (4, 4)]  # a progress bar hears of each distinct URL once
    assert list(results) == [f"{link_server}/ok.csv", f"{link_server}/nohead.csv", f"{link_server}/missing.csv",
                             "ftp://files.example.go.th/a.csv"]
    assert results[f"{link_server}/ok.csv"].ok and results[f"{link_server}/nohead.csv"].ok
    assert not results[f"{link_server}/missing.csv"].ok and results[f"{link_server}/missing.csv"].status == 404
    assert not results["ftp://files.example.go.th/a.csv"].ok
    assert sorted(_Links.hits) == sorted([("HEAD", "/ok.csv"), ("HEAD", "/nohead.csv"), ("GET", "/nohead.csv"),
                                          ("HEAD", "/missing.csv")])


def test_audit_check_links_reports_broken_urls(catalog, link_server):
    pkg = catalog.call_action("package_show", {"id": "dataset_11_03"})
    catalog.call_action("resource_patch", {"id": pkg["resources"][0]["id"], "url": f"{link_server}/missing.csv"})
    for p in catalog.packages.values():  # everything else answers
        for r in p.get("resources") or []:
            if "missing" not in r["url"]:
                r["url"] = f"{link_server}/ok-{r['id']}.csv"
    result = audit_catalog(catalog, AuditOptions(check_links=True, link_concurrency=3, link_timeout=5))
    report = result.report
    broken = [(d.id, f.value) for d in report.datasets for r in d.resources for f in r.findings if f.code == "link_broken"]
    assert broken == [("dataset_11_03", f"{link_server}/missing.csv")]
    assert result.crawl.links["checked"] == 5
    assert len(_Links.hits) == 5  # never more requests than resources


# -- CLI --------------------------------------------------------------------------------------

@pytest.fixture
def cli_fake(monkeypatch, catalog):
    import catalog_tools.cli.audit as aud
    import catalog_tools.cli.publish as pub

    monkeypatch.setattr(pub, "client", lambda *a, **k: catalog)  # the builder of the CKAN client
    monkeypatch.setattr(aud, "client", lambda *a, **k: catalog)
    return catalog


def test_cli_audit_json_is_the_validate_report_plus_score_and_organizations(run_cli, cli_fake):
    res = run_cli("audit", "--ckan", "http://127.0.0.1:5999", "--format", "json", "--fy", "2565")
    data = json.loads(res.stdout)
    assert res.exit_code == 1  # stadium-list has error findings
    assert {"version", "datasets", "summary", "findings", "score", "organizations", "audit"} <= set(data)


def test_cli_publish_dry_run_json(run_cli, cli_fake, examples):
    res = run_cli("publish", str(examples / "tourism-template2-3.xlsx"), "--ckan", "http://127.0.0.1:5999",
                  "--org", "tourism", "--dry-run", "--format", "json")
    data = json.loads(res.stdout)
    assert res.exit_code == 0 and data["dry_run"] is True and data["version"] == 1
    assert data["unchanged"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert {"created", "updated", "unchanged", "skipped", "failed"} <= set(data)


def test_cli_refuses_token_over_plain_http_and_has_no_token_option(run_cli, examples, tmp_path):
    secret = "ckan-secret-0123456789"
    res = run_cli("publish", str(examples / "tourism-template2-3.xlsx"), "--ckan", "http://catalog.example.go.th",
                  env={"CKAN_API_TOKEN": secret})
    assert res.exit_code == 2 and "plain http" in res.stderr and secret not in res.stderr + res.stdout
    res = run_cli("audit", "--ckan", "https://catalog.example.go.th", "--token", secret)
    assert res.exit_code == 2 and secret not in res.stdout


def test_cli_unreachable_server_is_one_line_exit_2(run_cli, examples, no_network):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    res = run_cli("audit", "--ckan", f"http://127.0.0.1:{port}", "--retries", "0")
    assert res.exit_code == 2 and "unreachable" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_the_cyclic_collector_is_paused_during_an_audit_and_restored_after(catalog, monkeypatch):
    """Pages, records and results are acyclic: the audit pauses the cyclic collector from the
    first call to CKAN to the score, and gives it back as it was, also when CKAN fails."""
    import gc

    from catalog_tools.ckan.client import CkanUnreachable

    states = []
    real = catalog.call_action

    def probe(action, data=None, **kw):
        states.append(gc.isenabled())
        return real(action, data, **kw)

    import catalog_tools.ckan.audit as audit_module

    timeliness = audit_module.apply_timeliness

    def probe_timeliness(*args, **kw):  # a phase between validating and scoring
        states.append(gc.isenabled())
        return timeliness(*args, **kw)

    monkeypatch.setattr(catalog, "call_action", probe)
    monkeypatch.setattr(audit_module, "apply_timeliness", probe_timeliness)
    assert gc.isenabled()
    result = audit_catalog(catalog, AuditOptions(page_size=2, fy=2567))
    assert len(result.report.datasets) == 4 and result.score is not None
    assert len(states) >= 3 and not any(states)  # every call to CKAN and the timeliness phase came while paused
    assert gc.isenabled()

    def failing(action, data=None, **kw):
        raise CkanUnreachable("package_search: ติดต่อเซิร์ฟเวอร์ไม่ได้ — connection refused")

    monkeypatch.setattr(catalog, "call_action", failing)
    with pytest.raises(CkanUnreachable):
        audit_catalog(catalog, AuditOptions(page_size=2, fy=2566))
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it still paused
    try:
        audit_catalog(FakeCkan(), AuditOptions(fy=2566))
        assert not gc.isenabled()
    finally:
        gc.enable()
