"""``LostBy``: a typed entry per reason an item lost points, whose JSON keeps exactly the keys (and
their order) each kind of entry always had."""
from __future__ import annotations

from fractions import Fraction

from catalog_tools.scoring import score_report
from catalog_tools.scoring.result import LostBy
from tests.scoring_data import build_report, datasets, resource_row

CATALOG = "https://catalog.tourism.go.th"


def test_keys_present_only_when_they_apply_in_a_fixed_order() -> None:
    assert list(LostBy(None, ["catalog_url"], ["no_catalog_url"]).to_dict()) == ["dataset", "missing", "reasons"]
    assert list(LostBy(None, [], ["too_few_datasets"], needed=2).to_dict()) == ["dataset", "missing", "reasons", "needed"]
    rejected = LostBy("DataSet_11_02", [], ["use_rejected"], reason="not a public dataset", reason_th="ไม่ใช่ชุดข้อมูลสาธารณะ")
    assert list(rejected.to_dict()) == ["dataset", "missing", "reasons", "reason", "reason_th"]
    full = LostBy("DataSet_11_01", ["maintainer_email"], ["incomplete"], title="จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", titled=True,
                  lost=Fraction(20, 3), level="basic", reason="")
    assert list(full.to_dict()) == ["dataset", "title", "missing", "reasons", "lost", "lost_display", "level", "reason"]


def test_a_dataset_without_title_keeps_a_null_title_and_lost_is_rounded_half_up() -> None:
    entry = LostBy("DataSet_11_09", [], ["not_uploaded"], title=None, titled=True, lost=Fraction(45, 8)).to_dict()
    assert entry["title"] is None and "title" in entry
    assert entry["lost"] == 5.63 and entry["lost_display"] == "5.63"  # 5.625 half-up, not float's 5.62


def test_the_kinds_give_typed_entries_with_todays_json() -> None:
    rows = datasets(3, incomplete=1)
    report = build_report(rows, [resource_row(r["id"], r["title"], "PDF", f"{CATALOG}/{r['id']}.pdf") for r in rows])
    result = score_report(report, fy=2565, catalog_url=CATALOG)
    entries = [e for it in result.items for e in it.lost_by]
    assert entries and all(isinstance(e, LostBy) for e in entries)
    doc = result.to_dict()
    for item, item_doc in zip(result.items, doc["items"]):
        assert item_doc["lost_by"] == [e.to_dict() for e in item.lost_by]
    open_item = next(i for i in doc["items"] if i["kind"] == "open_format")
    assert list(open_item["lost_by"][0])[:4] == ["dataset", "title", "missing", "reasons"]
    assert {"level", "reason"} <= set(open_item["lost_by"][0])
