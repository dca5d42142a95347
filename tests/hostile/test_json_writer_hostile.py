"""The JSON writer's fast path (orjson, one test per batch for its divergent float spellings)
against text built to defeat it: cells full of minus signs and exponents, a divergent spelling
after hundreds of decoys, lone surrogates and huge integers beside them. The document must be
byte for byte what ``json.dumps(indent=2)`` writes."""
from __future__ import annotations

import json

import pytest

from catalog_tools.model import DatasetResult, Finding, Report, Source
from catalog_tools.render import jsonfmt


def _report(notes: list[object]) -> Report:
    src = Source("งบประมาณ.xlsx", "Template 2", 4)
    datasets = []
    for i, note in enumerate(notes):
        values = {"title": f"งบประมาณรายจ่ายจังหวัด ชุดที่ {i}", "notes": note, "update_frequency_interval": 1}
        finding = Finding("suspicious_value", "warning", "notes", "notes: looks like test data.",
                          "คำอธิบาย: ดูเหมือนข้อมูลทดสอบ", item="3", location=f"Template 2!H{i + 4}", value=note)
        datasets.append(DatasetResult(id=f"DataSet_12_{i:03d}", title=values["title"], source=src, complete=True,
                                      items_complete=14, items_present=14, findings=[finding], values=values))
    return Report(datasets=datasets, inputs=["งบประมาณ.xlsx"])


DECOYS = "-1 " * 5_000  # 5,000 minus signs before a digit: candidates, none divergent


@pytest.mark.parametrize("notes", [
    [DECOYS] * 3,
    [DECOYS + "ยอดคงเหลือ 2e-5 ล้านบาท"],  # a divergent-looking spelling inside text, after the decoys
    [DECOYS, 1e-05, DECOYS],  # a real divergent float between two decoy texts
    [DECOYS + "e-mail E-5 e-" * 50, 2.5e-06],
    ["-" * 20_000 + "9e-9" + "-0" * 10_000],
    [DECOYS, "\ud83d", 2 ** 70, -0.00001, "ค่า 1E-7"],
])
def test_text_full_of_minus_signs_is_written_exactly(notes: list[object]) -> None:
    report = _report(notes * 130)  # more than one batch of 256 datasets
    written = "".join(jsonfmt.iter_report_json(report))
    assert written == json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def test_the_divergence_test_on_long_decoy_runs() -> None:
    """Past the candidates it looks at one by one, the test hands the rest to the whole pattern:
    the answer must be the pattern's wherever the divergent spelling falls."""
    for before in (0, 1, 63, 64, 65, 66, 300):
        for spelling, expected in ((b"2e-5 ", True), (b"2e-55 ", False), (b"0.00001", True), (b"e-5", False)):
            for after in (0, 70):
                data = b"-1 " * before + spelling + b"-1 " * after
                assert jsonfmt._diverges(data) is expected
                assert (jsonfmt._DIVERGES.search(data) is not None) is expected
