"""``catalog-tools quality`` on a Template 2/3 workbook: its files offline, and over HTTP."""
from __future__ import annotations

import csv
import io
import json

from .workbook import DATASET, write_workbook


def _by_name(data: dict) -> dict[str, dict]:
    (ds,) = data["datasets"]
    assert ds["id"] == DATASET
    return {r["url"].rsplit("/", 1)[-1]: r for r in ds["resources"]}


def test_workbook_with_files_next_to_it_offline(corpus_dir, run_cli, no_network) -> None:
    wb = write_workbook(corpus_dir / "tourism.xlsx", "")
    res = run_cli("quality", wb, "--no-cache", "--format", "json")
    assert res.exit_code == 1, res.stderr  # the PDF named .csv is an error finding
    data = json.loads(res.stdout)
    by = _by_name(data)
    assert by["visitors-tis620.csv"]["quality"]["encoding"] == "TIS-620"
    assert by["visitors-tis620.csv"]["quality"]["utf8"] is False
    assert by["report-2566.csv"]["quality"]["detected_format"] == "PDF"
    assert [f["code"] for f in by["report-2566.csv"]["findings"]] == ["content_format_mismatch", "content_not_machine_readable"]
    assert by["visitors-2566.xlsx"]["quality"]["rows"] == 8
    messy = {f["location"] for f in by["visitors-messy.csv"]["findings"]}
    assert "visitors-messy.csv!row 8 col 3" in messy
    # metadata findings are not this command's business: only content codes
    assert all(f["code"].startswith("content_") for r in by.values() for f in r["findings"])
    q = data["quality"]
    assert q["resources"] == len(by) and q["format_mismatch"] == 1 and q["not_utf8"] == 2
    assert data["datasets"][0]["quality"]["stars"] == 3
    assert q["fetch"]["requests"] == {"HEAD": 0, "GET": 0}


def test_workbook_over_http_then_rerun_from_cache(corpus_server, tmp_path, run_cli) -> None:
    names = ["visitors-2566.csv", "visitors-bom.csv", "visitors-2566.ods", "attractions.kml"]
    wb = write_workbook(tmp_path / "tourism.xlsx", f"{corpus_server.url}/f/", names)
    before = len(corpus_server.log)
    cache = tmp_path / "cache"
    res = run_cli("quality", wb, "--cache-dir", cache, "--format", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    data = json.loads(res.stdout)
    assert data["quality"]["fetch"]["requests"] == {"HEAD": 0, "GET": 4}
    assert len(corpus_server.log) - before == 4  # one GET per resource
    assert {r["quality"]["stars"] for r in _by_name(data).values()} == {3}
    again = run_cli("quality", wb, "--cache-dir", cache, "--format", "json")
    assert json.loads(again.stdout)["quality"]["fetch"]["cache_hits"] == 4
    assert len(corpus_server.log) - before == 4  # nothing downloaded again


def test_failures_are_findings(corpus_server, tmp_path, run_cli) -> None:
    base = corpus_server.url
    extra = [{"dataset_id": DATASET, "name": n, "url": u, "format": "CSV"} for n, u in (
        ("ไฟล์ที่ถูกลบ", f"{base}/f/deleted-2565.csv"), ("วนซ้ำ", f"{base}/loop"), ("ใหญ่เกิน", f"{base}/big"),
        ("ช้า", f"{base}/slow/visitors-2566.csv"))]
    wb = write_workbook(tmp_path / "tourism.xlsx", "", [], extra)
    res = run_cli("quality", wb, "--no-cache", "--deadline", "1", "--max-size", "1", "--format", "json", "--lang", "th")
    assert res.exit_code == 1
    by = {r["name"]: r for r in json.loads(res.stdout)["datasets"][0]["resources"]}
    assert [f["code"] for f in by["ไฟล์ที่ถูกลบ"]["findings"]] == ["content_unreachable"]
    assert by["ไฟล์ที่ถูกลบ"]["quality"]["status"] == 404
    assert [f["code"] for f in by["วนซ้ำ"]["findings"]] == ["content_unreachable"]
    assert [f["code"] for f in by["ใหญ่เกิน"]["findings"]] == ["content_too_large"]
    assert "1 MB" in by["ใหญ่เกิน"]["findings"][0]["message_th"]
    assert by["ช้า"]["quality"]["reachable"] is False


def test_text_csv_and_html_outputs(corpus_dir, run_cli, tmp_path) -> None:
    wb = write_workbook(corpus_dir / "tourism.xlsx", "", ["visitors-messy.csv", "report-2566.csv"])
    text = run_cli("quality", wb, "--no-cache", "--lang", "th")
    assert "หัวตารางอยู่แถวที่ 3" in text.stdout and "visitors-messy.csv!row 7" in text.stdout
    table = run_cli("quality", wb, "--no-cache", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout.lstrip("\ufeff"))))
    assert [(r["resource"].split("(")[-1].rstrip(")"), r["detected_format"], r["completeness"]) for r in rows] == \
        [("visitors-messy.csv", "CSV", "80.0"), ("report-2566.csv", "PDF", "")]
    out = tmp_path / "quality.html"
    html = run_cli("quality", wb, "--no-cache", "--format", "html", "-o", out, "--lang", "th")
    assert html.exit_code == 1
    page = out.read_text("utf-8")
    assert "<svg" in page and "quality-chart" in page and "visitors-messy.csv!row 8 col 3" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from outside


def test_a_plain_data_file_is_measured_directly(corpus_dir, run_cli) -> None:
    res = run_cli("quality", corpus_dir / "visitors-tis620.csv", "--no-cache", "--format", "json")
    assert res.exit_code == 0
    (ds,) = json.loads(res.stdout)["datasets"]
    (r,) = ds["resources"]
    assert r["quality"]["encoding"] == "TIS-620" and [f["code"] for f in r["findings"]] == ["content_not_utf8"]


def test_usage_errors(run_cli, tmp_path) -> None:
    res = run_cli("quality")
    assert res.exit_code == 2 and "--ckan" in res.stderr
    res = run_cli("quality", tmp_path / "ไม่มีไฟล์.xlsx")
    assert res.exit_code == 2 and "no such file" in res.stderr


def test_ignored_content_codes_are_left_out_but_still_measured(corpus_dir) -> None:
    from catalog_tools.quality.fetch import FetchOptions
    from catalog_tools.quality.run import measure_report
    from catalog_tools.quality.sources import report_for_paths
    from catalog_tools.rules import resolve_ignore

    wb = write_workbook(corpus_dir / "tourism.xlsx", "", ["visitors-tis620.csv", "visitors-messy.csv"])
    report = measure_report(report_for_paths([str(wb)]), fetch=FetchOptions(cache_dir=None),
                            ignore=resolve_ignore(["content_not_utf8", "content_empty_cells"])).report
    by = {r.url: r for r in report.datasets[0].resources}
    codes = {f.code for r in by.values() for f in r.findings}
    assert "content_not_utf8" not in codes and "content_empty_cells" not in codes and "content_mixed_types" in codes
    assert by["visitors-tis620.csv"].quality["utf8"] is False and by["visitors-messy.csv"].quality["completeness"] == 80.0
    everything = measure_report(report_for_paths([str(wb)]), fetch=FetchOptions(cache_dir=None),
                                ignore=resolve_ignore(["content"])).report
    assert not any(f.code.startswith("content_") for d in everything.datasets for f in d.all_findings())


def test_ignore_on_the_command_line(corpus_dir, run_cli) -> None:
    wb = write_workbook(corpus_dir / "tourism.xlsx", "", ["visitors-tis620.csv"])
    res = run_cli("quality", wb, "--no-cache", "--ignore", "content_not_utf8", "--format", "json")
    assert res.exit_code == 0
    (r,) = json.loads(res.stdout)["datasets"][0]["resources"]
    assert r["findings"] == [] and r["quality"]["encoding"] == "TIS-620"
    bad = run_cli("quality", wb, "--no-cache", "--ignore", "content_not_utf")
    assert bad.exit_code == 2 and "unknown rule" in bad.stderr
