"""``catalog-tools score`` end to end: the worked example, both rubrics, exit codes, one-line errors."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

WORKED = FIXTURES / "examples" / "opdc-worked-example.xlsx"
FY2566 = FIXTURES / "examples" / "tourism-fy2566.xlsx"
DECL = FIXTURES / "declarations"


def test_worked_example_json(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", WORKED, "--fy", "2565", "--catalog-url", "https://catalog.opdc.go.th", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert (d["version"], d["fy"]) == (1, 2565)
    meta = next(i for i in d["items"] if i["key"] == "metadata")
    assert (meta["level"], meta["points"], meta["max"], meta["points_display"]) == ("standard", 10.0, 15, "10.00")
    assert meta["basis"] == "4 of 6 datasets complete"
    assert d["levels"] == {"basic": True, "standard": 20.0, "advanced": 0.0}
    assert d["total"] == 70.0
    assert [i["key"] for i in d["items"]] == ["dataset_list", "metadata", "catalog", "open_data", "utilization"]
    assert {"dataset", "gain", "fix"} <= set(d["fix_first"][0])


def test_worked_example_text_table(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", WORKED, "--fy", "2565", "--catalog-url", "https://catalog.opdc.go.th", "--lang", "en")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert any(line.split()[:4] == ["Standard", "(75)", "metadata", "10.00"] and "/ 15" in line for line in lines)
    assert "Basic (50): met · Standard: 20.00 / 25 · Advanced: 0.00 / 25" in lines
    assert "Total: 70.00 / 100" in lines
    assert any("DataSet_21_01: fill in or correct tag_string, license_id (item 6, 14)" in line for line in lines)


def test_thai_text(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", WORKED, "--fy", "2565", "--catalog-url", "https://catalog.opdc.go.th", "--lang", "th")
    assert r.exit_code == 0
    assert "คะแนนรวม: 70.00 / 100" in r.stdout
    assert "ชุดข้อมูลครบ 14 รายการ 4 จาก 6 ชุด" in r.stdout
    assert "ควรแก้ก่อน" in r.stdout


def test_fy2566_with_declarations_file(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    # --fy comes from the declarations file ("fy: 2566")
    r = run_cli("score", FY2566, "--declarations", DECL / "tourism-2566.yaml", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["fy"] == 2566 and d["total"] == 87.33
    assert [i["key"] for i in d["items"]] == ["dataset_list", "metadata", "resources", "catalog_upload", "gd_catalog",
                                              "open_quality", "utilization"]
    assert d["declarations"]["use_scope"] == "ชุดข้อมูลสนับสนุนการให้บริการประชาชน (e-Service)"


def test_opdc_declarations_add_use_points(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", WORKED, "--declarations", DECL / "opdc-2565.yaml", "--format", "json")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["levels"] == {"basic": True, "standard": 20.0, "advanced": 5.0} and d["total"] == 75.0


def test_option_flag_changes_the_result(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", FY2566, "--declarations", DECL / "tourism-2566.yaml", "-O", "advanced_requires_standard=true",
                "-O", "open_format_scope=open", "--format", "json")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["total"] == 73.0 and d["options"]["open_format_scope"] == "open"


def test_output_file(run_cli, tmp_path: Path, no_network) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "score.json"
    r = run_cli("score", WORKED, "--fy", "2565", "--format", "json", "--output", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == 60.0


@pytest.mark.parametrize("args, message", [
    (["score", WORKED], "give --fy (2565 or 2566 or 2567)"),
    (["score", WORKED, "--fy", "2599"], "no rubric for FY2599; available: 2565, 2566"),
    (["score", FIXTURES / "bad" / "corrupt.xlsx", "--fy", "2565"], "corrupt.xlsx"),
    (["score", "no-such-file.xlsx", "--fy", "2565"], "no-such-file.xlsx"),
    (["score", WORKED, "--fy", "2565", "--catalog-url", "catalog.opdc.go.th"], "--catalog-url must be an http(s) URL"),
    (["score", WORKED, "--fy", "2565", "-O", "total_mode=average"], "total_mode: 'average' is not one of"),
    (["score", WORKED, "--fy", "2565", "-O", "nonsense"], "--option needs NAME=VALUE"),
    (["score", WORKED, "--fy", "2565", "--declarations", "missing.yaml"], "declarations file not found"),
])
def test_usage_and_input_errors_exit_2_with_one_line(run_cli, args, message, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli(*args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_bad_declarations_content_exit_2(run_cli, tmp_path: Path, no_network) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "declarations.yaml"
    bad.write_text("focus_area: ด้านอวกาศ\n", encoding="utf-8")
    r = run_cli("score", WORKED, "--fy", "2565", "--declarations", bad)
    assert r.exit_code == 2 and "focus_area 'ด้านอวกาศ' is not in the list" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_check_catalog_url_unreachable_costs_the_points(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("score", WORKED, "--fy", "2565", "--catalog-url", "https://catalog.opdc.go.th", "--check-catalog-url",
                "--format", "json")
    d = json.loads(r.stdout)
    catalog = next(i for i in d["items"] if i["key"] == "catalog")
    assert r.exit_code == 0 and catalog["points"] == 0.0 and catalog["lost_by"][0]["reasons"] == ["catalog_unreachable"]


def test_check_catalog_url_reachable(run_cli, no_network) -> None:  # type: ignore[no-untyped-def]
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        r = run_cli("score", WORKED, "--fy", "2565", "--catalog-url", url, "--check-catalog-url", "--format", "json")
    finally:
        server.shutdown()
        server.server_close()
    d = json.loads(r.stdout)
    catalog = next(i for i in d["items"] if i["key"] == "catalog")
    assert r.exit_code == 0 and catalog["points"] == 10.0 and catalog["basis"].endswith("(reachable)")
