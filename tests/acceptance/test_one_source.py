"""One source per fact: each of these facts used to be defined twice, and the copies disagreed.

- validate A B C with B unreadable reports A's and C's findings and B's load error (exit 2);
- scoring treats as public what the validation options call public;
- --fy choices come from the rubric files found (built-in or --rubric-dir), for score and audit alike;
- the audit uses the chosen year's open-format lists, and a broken rubric is an error, not a fallback;
- publish labels CKAN's rejections with the standard the report was validated with;
- one registry of scoring kinds; one user agent for CKAN, link checks and catalog reachability.
"""
from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from catalog_tools import ValidationOptions
from catalog_tools.ckan.audit import AuditOptions, audit_catalog, format_lists
from tests.fake_ckan import FakeCkan
from catalog_tools.ckan.publish import PublishOptions, publish_report
from catalog_tools.scoring import RubricError, load_rubric
from catalog_tools.validate import validate_paths
from tests.golden.outputs import fake_catalog

pytestmark = pytest.mark.usefixtures("no_network")
RUBRICS = Path(__file__).resolve().parents[2] / "catalog_tools" / "scoring" / "rubrics"


def test_validate_reports_the_readable_inputs_and_exits_2(run_cli, examples: Path, tmp_path: Path):
    broken = tmp_path / "บัญชีข้อมูล-เสีย.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_cli("validate", examples / "tourism-template2-3.xlsx", broken, examples / "tourism-messy.xlsx",
                     "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    paths = {d["source"]["path"] for d in doc["datasets"]}
    assert paths == {str(examples / "tourism-template2-3.xlsx"), str(examples / "tourism-messy.xlsx")}
    assert [e["path"] for e in doc["load_errors"]] == [str(broken)]
    assert doc["load_errors"][0]["message_th"]
    assert result.stderr.count("\n") == 1 and broken.name in result.stderr and "Traceback" not in result.output
    assert "still reported" in " ".join(run_cli("validate", "--help").stdout.split())


def test_validate_with_every_input_unreadable_prints_no_report(run_cli, tmp_path: Path):
    result = run_cli("validate", tmp_path / "ไม่มีไฟล์นี้.xlsx", "--format", "json")
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1


def test_clean_validate_json_has_no_load_errors_key(run_cli, examples: Path):
    doc = json.loads(run_cli("validate", examples / "tourism-template2-3.xlsx", "--format", "json").stdout)
    assert "load_errors" not in doc


def test_score_counts_as_open_what_validation_calls_public(run_cli, examples: Path, tmp_path: Path):
    wb = examples / "tourism-template2-3.xlsx"
    default = json.loads(run_cli("score", wb, "--fy", "2566", "--format", "json").stdout)
    cfg = tmp_path / "internal-is-public.yaml"
    cfg.write_text("public_category: ข้อมูลใช้ภายใน\n", encoding="utf-8")
    changed = json.loads(run_cli("score", wb, "--fy", "2566", "--config", cfg, "--format", "json").stdout)
    assert default["summary"]["open"] == 3
    assert changed["summary"]["open"] == 0  # none of the three is internal data


def _rubric_dir(tmp_path: Path, **fy2568_options: list[str]) -> Path:
    """The built-in rubrics plus an FY2568 that extends FY2566 with its own options."""
    d = tmp_path / "rubrics"
    d.mkdir(parents=True)
    for p in RUBRICS.glob("fy*.yaml"):
        shutil.copy(p, d / p.name)
    data = yaml.safe_load((RUBRICS / "fy2566.yaml").read_text(encoding="utf-8"))
    data.update(fy=2568, extends=2566, title="Data Catalog KPI FY2568")
    data["options"] = {name: {"default": value, "doc": "FY2568 list"} for name, value in fy2568_options.items()}
    (d / "fy2568.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return d


def test_fy_choices_come_from_the_rubric_files(run_cli, examples: Path, tmp_path: Path, monkeypatch):
    rubrics = _rubric_dir(tmp_path)
    wb = examples / "tourism-template2-3.xlsx"
    ok = run_cli("score", wb, "--fy", "2568", "--rubric-dir", rubrics, "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["fy"] == 2568
    missing = run_cli("score", wb, "--fy", "2568")
    assert missing.exit_code == 2 and "no rubric for FY2568; available: 2565, 2566, 2567" in missing.stderr
    assert "built in: 2565, 2566, 2567" in " ".join(run_cli("score", "--help").stdout.split())
    # audit: the same years, from the same files (it used to accept only a fixed 2565/2566)
    import catalog_tools.cli.audit as aud
    monkeypatch.setattr(aud, "client", lambda *a, **k: fake_catalog())
    res = run_cli("audit", "--ckan", "http://127.0.0.1:5999", "--fy", "2568", "--rubric-dir", rubrics, "--format", "json")
    assert res.exit_code in (0, 1) and json.loads(res.stdout)["score"]["fy"] == 2568
    res = run_cli("audit", "--ckan", "http://127.0.0.1:5999", "--fy", "2568")
    assert res.exit_code == 2 and "no rubric for FY2568" in res.stderr


def test_audit_uses_the_chosen_years_format_lists(tmp_path: Path):
    rubrics = _rubric_dir(tmp_path, open_formats=["ODS"])  # FY2568: only ODS counts as an open file format
    before = audit_catalog(fake_catalog(), AuditOptions(fy=2566, rubric_dir=rubrics))
    after = audit_catalog(fake_catalog(), AuditOptions(fy=2568, rubric_dir=rubrics))
    csv_flagged = [f for f in after.report.iter_findings() if f.code == "format_not_open" and f.value == "CSV"]
    assert csv_flagged and not [f for f in before.report.iter_findings() if f.code == "format_not_open" and f.value == "CSV"]
    orgs_before = {o.name: o.to_dict() for o in before.organizations}
    orgs_after = {o.name: o.to_dict() for o in after.organizations}
    formats = [str(r.values.get("format")) for d in after.report.datasets if d.organization for r in d.resources
               if (d.ckan or {}).get("organization", {}).get("name") == "tourism"]
    apis = sum(1 for f in formats if f.upper() in format_lists(2568, rubrics)["api_formats"])
    assert len(formats) == orgs_before["tourism"]["open_format_resources"] == 4
    assert "CSV" in formats and orgs_after["tourism"]["open_format_resources"] == apis < 4


def test_a_broken_rubric_is_an_error_never_a_fallback(run_cli, tmp_path: Path, monkeypatch):
    rubrics = _rubric_dir(tmp_path)
    (rubrics / "fy2566.yaml").write_text("fy: 2566\nlevels: [\n", encoding="utf-8")
    with pytest.raises(RubricError, match="fy2566.yaml"):
        format_lists(2566, rubrics)
    with pytest.raises(RubricError):
        audit_catalog(fake_catalog(), AuditOptions(fy=2566, rubric_dir=rubrics))
    import catalog_tools.cli.audit as aud
    monkeypatch.setattr(aud, "client", lambda *a, **k: fake_catalog())
    res = run_cli("audit", "--ckan", "http://127.0.0.1:5999", "--rubric-dir", rubrics)
    assert res.exit_code == 2 and "fy2566.yaml" in res.stderr and res.stderr.count("\n") == 1
    no_lists = _rubric_dir(tmp_path / "x", open_formats="CSV")  # type: ignore[arg-type]  # not a list
    with pytest.raises(RubricError, match="open_formats"):
        format_lists(2568, no_lists)


def test_publish_labels_rejections_with_the_chosen_standard(examples: Path, monkeypatch):
    """CKAN's ValidationError is mapped with the schema of the report's standard (it was always 2.2)."""
    import catalog_tools.rules.online as online

    asked: list[str] = []
    real = online.schema_info
    monkeypatch.setattr(online, "schema_info", lambda kind, standard: asked.append(standard) or real(kind, standard))
    for standard in ("2.0", "2.2"):
        fake = FakeCkan(validator=lambda pkg: {"license_id": ["Value must be one of: Open Data Common"]})
        fake.add_org("tourism", "กรมการท่องเที่ยว")
        report = validate_paths([str(examples / "tourism-template2-3.xlsx")], options=ValidationOptions(standard=standard))
        result = publish_report(report, fake, PublishOptions(fields="top-level"))
        found = [f for o in result.outcomes for f in o.findings]
        assert {(f.code, f.field, f.item) for f in found} == {("ckan_rejected", "license_id", "14")}
    assert asked == ["2.0"] * 3 + ["2.2"] * 3  # three datasets rejected per run


def test_one_registry_of_scoring_kinds(tmp_path: Path):
    from catalog_tools.scoring.kinds import KINDS

    assert all(name == kind.name for name, kind in KINDS.items())
    rubric = load_rubric(2566)
    assert {item.kind for item in rubric.items()} <= set(KINDS)
    d = _rubric_dir(tmp_path)
    text = (d / "fy2565.yaml").read_text(encoding="utf-8").replace("kind: declared", "kind: survey", 1)
    (d / "fy2565.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=r"gate, proportion, binary, open_format, declared"):
        load_rubric(2565, d)


class _UserAgents(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_HEAD(self) -> None:
        self.seen.append(self.headers.get("User-Agent", ""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_one_user_agent_for_ckan_links_and_catalog_reachability():
    from catalog_tools import http as one_http
    from catalog_tools.ckan import client
    from catalog_tools.ckan.links import check_link
    from catalog_tools.scoring.reach import url_reachable

    _UserAgents.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _UserAgents)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/catalog"
        assert check_link(url).ok and url_reachable(url)
    finally:
        server.shutdown()
        server.server_close()
    assert _UserAgents.seen == [one_http.USER_AGENT, one_http.USER_AGENT]
    assert client.USER_AGENT is one_http.USER_AGENT
