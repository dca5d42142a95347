"""The writers that stream large reports in pieces give the same bytes as the plain construction.

HTML: each dataset's block against the markup ``table()`` writes from ``_finding_rows``; the
page in pieces against the page in one string. CSV: the rows against ``rows.row_values`` through
``neutralise``, and the pieces against one ``csv.writer`` pass. JSON: batches with a divergent
float spelling, a lone surrogate or an integer beyond 64 bits in the middle against
``json.dumps(indent=2)``. Reports come from the shipped examples and from a generated
workbook with many kinds of findings, big enough to need several pieces.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from catalog_tools.model import DatasetResult, Finding, Report, Source
from catalog_tools.render import csvfmt, html, jsonfmt
from catalog_tools.render.html_parts import esc, t, table
from catalog_tools.render.rows import COLUMNS, iter_rows, row_values
from catalog_tools.validate import validate_paths
from tests.conftest import EXAMPLES
from tests.varied_data import varied_workbook

SHIPPED = ["opdc-worked-example.xlsx", "tourism-template2-3.xlsx", "tourism-messy.xlsx", "tourism-fy2566.xlsx",
           "nso-gd-catalog-import.xlsx", "ckan-package-search.json", "tourism-template2-cp874.csv"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Report]:
    varied = varied_workbook(tmp_path_factory.mktemp("varied") / "ท่องเที่ยว-หลายแบบ.xlsx", 1300)
    return [validate_paths([str(EXAMPLES / n)]) for n in SHIPPED] + [validate_paths([str(varied)]),
                                                                      validate_paths([str(varied), str(EXAMPLES / SHIPPED[2])])]


def _block_reference(d: DatasetResult, heads: list[str], lang: str) -> str:
    """A dataset's block as the page wrote it before: rows of cells through ``table()``."""
    rows = html._finding_rows(d.findings, lang)
    for r in d.resources:
        rows += html._finding_rows(r.findings, lang, resource=f"{r.index + 1}. {r.name or ''}")
    errs = sum(1 for f in d.all_findings() if f.is_error)
    warns = sum(1 for f in d.all_findings() if not f.is_error)
    badge = (f'<span class="badge ok">{d.items_complete}/14</span>' if d.complete else
             f'<span class="badge err">{d.items_complete}/14</span>')
    if errs:
        badge += f'<span class="badge err">{esc(t("errors", lang))} {errs}</span>'
    if warns:
        badge += f'<span class="badge warn">{esc(t("warnings", lang))} {warns}</span>'
    summary = f"<summary>{esc(d.id or '')} — {esc(d.title or '')} {badge}</summary>"
    inner = table(heads, rows, cls="findings", raw=True) if rows else f"<p>{esc(t('no_findings', lang))}</p>"
    opened = " open" if errs else ""
    return f'<details class="dataset" data-id="{esc(d.id or "")}"{opened}>{summary}{inner}</details>'


@pytest.mark.parametrize("lang", ["th", "en"])
def test_html_dataset_blocks_equal_the_table_markup(reports: list[Report], lang: str) -> None:
    heads = [t(k, lang) for k in ("severity", "code", "resource", "item", "location", "message", "suggestion")]
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    blocks = 0
    for report in reports:
        for d in report.datasets:
            assert html._dataset_block(d, head, lang) == _block_reference(d, heads, lang)
            blocks += 1
    assert blocks > 1300


def test_html_page_in_pieces_is_the_page(reports: list[Report]) -> None:
    big = reports[-2]
    pieces = list(html.iter_page(big, "validate", "th"))
    assert len(pieces) > 3  # the findings came in several pieces
    page = "".join(pieces)
    assert page == html.render_page(big, "validate", "th")
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("\n</body></html>\n")
    assert page.count('<details class="dataset"') == len(big.datasets)
    assert page.count("<tr><td>") >= sum(1 for _ in big.iter_findings())
    # the sections before the findings: one line each, as when the page was one list joined by new lines
    head, _, rest = page.partition('\n<section id="datasets">')
    assert rest and '<section id="summary">' in head and '<section id="completeness">' in head


def test_html_completeness_counts_per_item(reports: list[Report]) -> None:
    big = reports[-2]
    page = html.render_page(big, "validate", "en")
    n = len(big.datasets)
    for item in ("1", "5", "10", "14"):
        ok = sum(1 for d in big.datasets if item not in d.failed_items)
        assert f"<td>{ok}/{n}</td>" in page


def test_csv_rows_equal_the_shared_row_values(reports: list[Report]) -> None:
    for report in reports:
        expected = [[csvfmt.neutralise(row_values(r)[key]) for key, _, _ in COLUMNS] for r in iter_rows(report)]
        assert list(csvfmt.csv_rows(report)) == expected


def test_csv_in_pieces_is_one_writer_pass(reports: list[Report], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfmt, "_BATCH", 97)
    for report in reports:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([key for key, _, _ in COLUMNS])
        for r in iter_rows(report):
            writer.writerow([csvfmt.neutralise(row_values(r)[key]) for key, _, _ in COLUMNS])
        pieces = list(csvfmt.iter_findings_csv(report))
        assert "".join(pieces) == csvfmt.BOM + buf.getvalue() == csvfmt.findings_csv(report)
    assert len(pieces) > 3


def test_json_batches_equal_the_standard_encoder(reports: list[Report]) -> None:
    for report in reports:
        expected = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
        assert "".join(jsonfmt.iter_report_json(report)) == expected
        assert b"".join(jsonfmt.iter_report_json_bytes(report)) == expected.encode("utf-8")


def test_json_goes_out_as_bytes_unless_a_secret_is_remembered(reports: list[Report],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Redaction works on text: with a secret remembered the writer gets text chunks (redacted), else bytes."""
    from catalog_tools import redaction
    from catalog_tools.cli.common import _redact_chunk

    # this process may remember secrets of earlier tests: start from none, and give them back after
    monkeypatch.setattr(redaction, "_secrets", set())
    monkeypatch.setattr(redaction, "_forms", ())
    report = reports[0]
    assert all(isinstance(c, bytes) for c in jsonfmt.render_json(report))
    secret = "tok-" + "ข" * 3 + "-93f1c2"
    redaction.remember(secret)
    try:
        assert all(isinstance(c, str) for c in jsonfmt.render_json(report))
        assert _redact_chunk(f"token {secret} ปิด".encode()) == "token *** ปิด".encode()  # bytes too, were they sent
        assert _redact_chunk(f"token {secret}") == "token ***"
    finally:
        monkeypatch.setattr(redaction, "_secrets", set())
        monkeypatch.setattr(redaction, "_forms", ())
    assert _redact_chunk(f"token {secret}".encode()) == f"token {secret}".encode()


@pytest.mark.parametrize("odd", [1e-05, 2.5e-06, 0.00012, "\ud83d", 2 ** 70, "ค่า 3e-7 หน่วย"])
def test_json_batch_with_one_odd_dataset_in_the_middle(odd: object) -> None:
    src = Source("ท่องเที่ยว.xlsx", "Template 2", 4)
    datasets = []
    for i in range(jsonfmt._BATCH * 2 + 7):
        finding = Finding("synonym", "warning", "update_frequency_unit", "Update unit 'รายปี' read as 'ปี'.",
                          "หน่วยความถี่ 'รายปี' อ่านเป็น 'ปี'", item="9.1", location=f"Template 2!J{i + 4}", value="รายปี")
        values = {"title": f"จำนวนนักท่องเที่ยวชุดที่ {i}", "update_frequency_interval": odd if i == 300 else 1,
                  "note": "ดูที่ e-mail ของกอง 1e-5 ไม่ใช่ตัวเลข" if i == 5 else "ปกติ"}
        datasets.append(DatasetResult(id=f"DataSet_11_{i:03d}", title=values["title"], source=src, complete=True,
                                      items_complete=14, items_present=14, findings=[finding], values=values))
    report = Report(datasets=datasets, inputs=["ท่องเที่ยว.xlsx"])
    assert "".join(jsonfmt.iter_report_json(report)) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def test_the_divergence_test_equals_its_pattern() -> None:
    import random

    rnd = random.Random(4)
    alphabet = b"0123456789eE-. \n\"a"
    for _ in range(100_000):
        data = bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        assert jsonfmt._diverges(data) == (jsonfmt._DIVERGES.search(data) is not None), data


def test_cli_writes_the_same_pieces_to_a_file_and_to_stdout(tmp_path: Path, run_cli) -> None:
    wb = varied_workbook(tmp_path / "ท่องเที่ยว.xlsx", 700, seed=7)
    report = validate_paths([str(wb)])
    document = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    for fmt, expected in (("html", html.render_page(report, "validate", "en")), ("csv", csvfmt.findings_csv(report)),
                          ("json", document)):
        out = tmp_path / f"report.{fmt}"
        env = {"CATALOG_TOOLS_PROGRESS": "0"}
        to_file = run_cli("validate", wb, "--format", fmt, "--lang", "en", "-o", out, env=env)
        to_stdout = run_cli("validate", wb, "--format", fmt, "--lang", "en", env=env)
        assert to_file.exit_code == to_stdout.exit_code == 1
        assert out.read_bytes() == expected.encode("utf-8")
        assert to_stdout.stdout_bytes == expected.encode("utf-8")
