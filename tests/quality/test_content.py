"""Format, encoding, tables and metrics measured from the bytes (no network)."""
from __future__ import annotations

import pytest

from catalog_tools.messages import make_finding
from catalog_tools.quality.assess import Fetched, QualityOptions, assess
from catalog_tools.quality.sniff import detect

from .corpus import CORPUS


def run(files: dict[str, bytes], name: str, **kw):
    return assess(Fetched(files[name], True, 200, size=len(files[name])), name=name, declared=CORPUS.get(name, (None, None))[1], **kw)


def codes(a) -> list[str]:
    return sorted(i.code for i in a.issues)


@pytest.mark.parametrize("name, fmt, encoding, utf8", [
    ("visitors-2566.csv", "CSV", "UTF-8", True),
    ("visitors-tis620.csv", "CSV", "TIS-620", False),
    ("visitors-bom.csv", "CSV", "UTF-8 BOM", True),
    ("visitors-utf16.csv", "TSV", "UTF-16 BOM", False),
    ("visitors-2566.tsv", "TSV", "UTF-8", True),
    ("attractions.kml", "KML", "UTF-8", True),
    ("visitors-2566.json", "JSON", "UTF-8", True),
    ("visitors-2566.xlsx", "XLSX", None, None),
    ("visitors-2566.ods", "ODS", None, None),
    ("report-2566.csv", "PDF", None, None),
])
def test_format_and_encoding_come_from_the_bytes(corpus_files, name, fmt, encoding, utf8) -> None:
    q = run(corpus_files, name).quality
    assert (q["detected_format"], q["encoding"], q["utf8"]) == (fmt, encoding, utf8)


def test_a_tis620_csv_is_not_utf8_although_it_decodes(corpus_files) -> None:
    a = run(corpus_files, "visitors-tis620.csv")
    assert codes(a) == ["content_not_utf8"]
    f = make_finding("content_not_utf8", value=a.issues[0].value)
    assert "TIS-620" in f.message and "TIS-620" in f.message_th
    # the Thai text was read correctly: the header is the Thai header, all rows counted
    assert a.quality["rows"] == 5 and a.quality["completeness"] == 100.0


def test_stars_use_the_sniffed_format_so_kml_tsv_ods_score(corpus_files) -> None:
    """dquality looks the URL extension up and gives .kml/.tsv/.ods 0 stars."""
    for name in ("attractions.kml", "visitors-2566.tsv", "visitors-2566.ods"):
        q = run(corpus_files, name).quality
        assert q["stars"] == 3 and q["machine_readable"] is True, name


def test_a_pdf_named_csv_is_a_format_mismatch(corpus_files) -> None:
    a = run(corpus_files, "report-2566.csv")
    q = a.quality
    assert (q["declared_format"], q["detected_format"], q["format_mismatch"], q["stars"], q["stars_declared"]) == \
        ("CSV", "PDF", True, 1, 3)
    assert codes(a) == ["content_format_mismatch", "content_not_machine_readable"]
    assert q["completeness"] is None  # no table to measure


def test_every_sheet_is_read_and_a_notes_sheet_is_not_a_table(corpus_files) -> None:
    q = run(corpus_files, "visitors-2566.xlsx").quality
    sheets = {s["name"]: s for s in q["sheets"]}
    assert list(sheets) == ["ข้อมูล", "รายเดือน", "หมายเหตุ"]
    assert sheets["ข้อมูล"]["table"] and sheets["ข้อมูล"]["header_row"] == 2 and sheets["ข้อมูล"]["rows"] == 6
    assert sheets["รายเดือน"]["rows"] == 2
    assert sheets["หมายเหตุ"]["table"] is False
    assert q["rows"] == 8


def test_spreadsheet_findings_point_at_cells(corpus_files) -> None:
    a = run(corpus_files, "visitors-2566.xlsx")
    where = {(i.code, i.location) for i in a.issues}
    assert ("content_header_not_first", "ข้อมูล!A2") in where
    assert ("content_empty_cells", "ข้อมูล!C8") in where  # 'ไม่มีข้อมูล' placeholder
    assert ("content_mixed_types", "รายเดือน!B3") in where  # 'สิบ' in a number column


def test_title_rows_duplicates_mixed_types_and_headers(corpus_files) -> None:
    a = run(corpus_files, "visitors-messy.csv")
    q = a.quality
    by = {}
    for i in a.issues:
        by.setdefault(i.code, []).append(i)
    assert by["content_header_not_first"][0].value == 3
    assert [(i.location, i.value, i.context["first"]) for i in by["content_duplicate_rows"]] == \
        [("visitors-messy.csv!row 7", 7, 5)]
    assert [i.location for i in by["content_mixed_types"]] == ["visitors-messy.csv!row 8 col 3"]
    assert [i.location for i in by["content_blank_header"]] == ["visitors-messy.csv!row 3 col 5"]
    assert [(i.location, i.context["first"]) for i in by["content_duplicate_header"]] == \
        [("visitors-messy.csv!row 3 col 6", "visitors-messy.csv!row 3 col 2")]
    assert [i.location for i in by["content_footnotes"]] == ["visitors-messy.csv!row 10"]
    # 5 data rows × 6 header columns = 30 cells; column 5 is empty (5) and D6 is '-' (1)
    assert q["counts"]["cells"] == 30 and q["counts"]["filled"] == 24 and q["counts"]["placeholders"] == 1
    assert q["completeness"] == 80.0
    assert q["uniqueness"] == 80.0  # 4 distinct of 5
    assert q["validity"] == round(100 / 3, 2)  # blank + duplicate header; no extra cells
    # consistency over the 24 filled cells: one text cell in a number column
    assert q["consistency"] == round(100 * 23 / 24, 2)


def test_dquality_formulas_count_the_placeholder_against_consistency_too(corpus_files) -> None:
    ours = run(corpus_files, "visitors-messy.csv").quality
    theirs = run(corpus_files, "visitors-messy.csv", options=QualityOptions(formulas="dquality")).quality
    assert theirs["completeness"] == ours["completeness"]
    # the '-' in D6 is now a non-empty cell of the wrong type: 25 cells considered, 2 off type
    assert theirs["counts"]["considered"] == 25 and theirs["consistency"] == round(100 * 23 / 25, 2)
    assert theirs["formulas"] == "dquality"


def test_frictionless_errors_are_grouped_with_places(corpus_files) -> None:
    q = run(corpus_files, "visitors-messy.csv").quality
    groups = {g["type"]: g for g in q["table_errors"]}
    assert groups["blank-label"]["locations"] == ["visitors-messy.csv!row 3 col 5"]
    assert groups["duplicate-label"]["locations"] == ["visitors-messy.csv!row 3 col 6"]


def test_extra_cells_and_short_rows(corpus_files) -> None:
    body = "จังหวัด,ปี,จำนวน\r\nเชียงใหม่,2566,10\r\nภูเก็ต,2566,12,หมายเหตุ\r\nน่าน,2566\r\n".encode()
    a = assess(Fetched(body, True, 200), name="visitors.csv", declared="CSV")
    q = a.quality
    assert q["validity"] == round(200 / 3, 2)
    extra = [i for i in a.issues if i.code == "content_extra_cells"]
    assert [(i.location, i.value) for i in extra] == [("visitors.csv!row 3", 1)]
    missing = [i for i in a.issues if i.code == "content_table_errors"]
    assert [(i.value, i.location) for i in missing] == [("missing-cell", "visitors.csv!row 4 col 3")]
    f = make_finding(missing[0].code, value=missing[0].value, location=missing[0].location, **missing[0].context)
    assert "ช่องข้อมูลขาด" in f.message_th and "missing-cell" in f.message


def test_json_records_are_a_table_with_record_locations(corpus_files) -> None:
    a = run(corpus_files, "visitors-2566.json")
    assert a.quality["rows"] == 6 and a.quality["uniqueness"] == round(500 / 6, 2)
    dup = [i for i in a.issues if i.code == "content_duplicate_rows"]
    assert [(i.location, i.value, i.context["first"]) for i in dup] == [("visitors-2566.json!record 6", 6, 1)]


def test_every_row_is_read_not_only_the_first_5001(corpus_files) -> None:
    rows = ["จังหวัด,ปี,จำนวน"] + [f"เชียงใหม่,2566,{i}" for i in range(7000)] + ["เชียงใหม่,2566,6999"]
    a = assess(Fetched("\r\n".join(rows).encode(), True, 200), name="big.csv", declared="CSV")
    assert a.quality["rows"] == 7001
    assert [(i.location, i.context["first"]) for i in a.issues if i.code == "content_duplicate_rows"] == \
        [("big.csv!row 7002", 7001)]


def test_unreachable_and_too_large_are_findings_not_crashes() -> None:
    gone = assess(Fetched(None, False, 404, error_en="HTTP 404", error_th="เครื่องแม่ข่ายตอบ HTTP 404"), name="x.csv",
                  declared="CSV")
    assert [i.code for i in gone.issues] == ["content_unreachable"] and gone.quality["reachable"] is False
    big = assess(Fetched(None, False, 200, size=99, too_large=True), name="x.csv", declared="CSV", limit_text="1 MB")
    assert [i.code for i in big.issues] == ["content_too_large"]


@pytest.mark.parametrize("data, fmt", [
    (b"", None),
    (b'{"type": "FeatureCollection", "features": []}', "GEOJSON"),
    (b'{"@context": "https://schema.org", "name": "x"}', "JSON-LD"),
    (b"<!DOCTYPE html><html><body>404</body></html>", "HTML"),
    (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "RDF"),
    (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", "TTL"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "PNG"),
    ("ข้อความอธิบายชุดข้อมูล ไม่มีตาราง".encode(), "TXT"),
])
def test_sniffing_other_formats(data, fmt) -> None:
    assert detect(data).format == fmt


def test_many_duplicates_name_the_first_ten_and_give_the_total() -> None:
    rows = ["จังหวัด,ปี,จำนวน"] + ["ภูเก็ต,2566,12800"] * 15 + ["น่าน,2566,1200"]
    a = assess(Fetched("\r\n".join(rows).encode(), True, 200), name="dups.csv", declared="CSV")
    dups = [i for i in a.issues if i.code == "content_duplicate_rows"]
    assert len(dups) == 10 and [i.value for i in dups] == list(range(3, 13))
    f = make_finding(dups[0].code, value=dups[0].value, location=dups[0].location, **dups[0].context)
    assert "14 duplicate rows in all" in f.message and "14 แถว" in f.message_th
    assert a.quality["uniqueness"] == round(100 * 2 / 16, 2)
