"""The validator's fast paths give exactly what the plain code gives.

Each fast path keeps a reference next to it: the cell caches of the normaliser and of the schema
verdicts against the uncached computation, the Python reading of ``allOf``'s conditionals
against jsonschema's own walk, ``fold`` against its regular-expression definition, the finding
message cache against formatting with the whole context, ``_jsonable`` against its generic
form, and the one-pass finding counts against counting twice. Records come from the shipped
examples and from a generated workbook with many kinds of findings (tests/varied_data.py).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
import re
import unicodedata
from pathlib import Path

import fastjsonschema
import pytest

from catalog_tools.loaders import iter_path
from catalog_tools.model import RawRecord, Report, Source, _jsonable
from catalog_tools.normalize import Normalised, Normaliser, SharedList, clean_text
from catalog_tools.rules import RULES, make_finding
from catalog_tools.rules.finding import _context
from catalog_tools.schema_check import SchemaRunner
from catalog_tools.schemas_api import fold, schema_info
from catalog_tools.validate import validate_paths
from tests.conftest import EXAMPLES
from tests.varied_data import varied_workbook

SHIPPED = ["opdc-worked-example.xlsx", "tourism-template2-3.xlsx", "tourism-messy.xlsx", "tourism-fy2566.xlsx",
           "nso-gd-catalog-import.xlsx", "ckan-package-search.json", "tourism-template2-cp874.csv"]


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return varied_workbook(tmp_path_factory.mktemp("varied") / "ท่องเที่ยว-หลายแบบ.xlsx", 900)


def _records(paths: list[Path]) -> list[RawRecord]:
    return [r for p in paths for r in iter_path(p) if isinstance(r, RawRecord)]


# -- the normaliser's cell cache ------------------------------------------------------------------

def _plain_normalise(norm: Normaliser, raw: dict, origin: str, fixed: dict | None) -> Normalised:
    """The normaliser without its cell cache: every cell through ``_one``."""
    out = Normalised()
    for name, value in raw.items():
        if value is None or value == "":
            continue
        spec = norm.info.fields.get(name)
        if spec is None:
            out.values[name] = clean_text(value) if isinstance(value, str) else value
            continue
        norm._one(spec, value, origin, out)
    for name, value in (fixed or {}).items():
        out.values.setdefault(name, value)
    return out


def _same_normalised(a: Normalised, b: Normalised) -> None:
    assert list(a.values.items()) == list(b.values.items())  # order too: it is the JSON "metadata" order
    assert [(n.code, n.field, n.value, n.suggestion, n.reason) for n in a.notes] == \
        [(n.code, n.field, n.value, n.suggestion, n.reason) for n in b.notes]
    assert a.placeholders == b.placeholders


def test_cached_normalising_equals_the_plain_normaliser(varied: Path) -> None:
    records = _records([varied, *(EXAMPLES / n for n in SHIPPED)])
    for kind in ("dataset", "resource"):
        for std in ("2.2", "2.0"):
            cached, plain = Normaliser(schema_info(kind, std)), Normaliser(schema_info(kind, std))
            mine = [r for r in records if r.kind == kind]
            assert mine
            for _ in range(2):  # the second round is all cache hits
                for r in mine:
                    _same_normalised(cached.normalise(r.values, origin=r.origin, fixed=r.fixed),
                                     _plain_normalise(plain, r.values, r.origin, r.fixed))


def test_a_field_of_distinct_values_stops_being_cached_and_stays_correct() -> None:
    info = schema_info("dataset", "2.2")
    norm, plain = Normaliser(info), Normaliser(info)
    for i in range(5000):
        raw = {"title": f"จำนวนผู้เข้าพักชุดที่ {i}", "maintainer": "กองยุทธศาสตร์และแผนงาน", "geo_coverage": "รายจังหวัด"}
        _same_normalised(norm.normalise(raw), _plain_normalise(plain, raw, "sheet", None))
    assert norm._simple["sheet"]["title"] is None  # titles repeat rarely: no longer cached
    assert norm._simple["sheet"]["maintainer"]  # the contact repeats: cached


def test_shared_values_cannot_leak_between_records() -> None:
    norm = Normaliser(schema_info("dataset", "2.2"))
    a = norm.normalise({"data_format": "XLS, CSV"}).values["data_format"]
    b = norm.normalise({"data_format": "XLS, CSV"}).values["data_format"]
    assert a is b and isinstance(a, SharedList)
    with pytest.raises(TypeError):
        a.append("PDF")


# -- the schema verdicts and the conditionals ---------------------------------------------------

def _reference_verdict(runner: SchemaRunner, instance: dict) -> bool:
    """Required fields present and each property valid by its own compiled check, nothing cached."""
    if any(name not in instance for name in runner._required):
        return False
    for name, value in instance.items():
        check = runner._props.get(name) or runner._compile(name)  # this runner's verdict cache stays unused
        if check is None:
            continue
        try:
            check(value)
        except fastjsonschema.JsonSchemaException:
            return False
    return True


def test_cached_verdicts_equal_the_uncached_checks(varied: Path) -> None:
    records = _records([varied, *(EXAMPLES / n for n in SHIPPED)])
    for kind in ("dataset", "resource"):
        info = schema_info(kind, "2.2")
        norm = Normaliser(info)
        runner, reference = SchemaRunner(info), SchemaRunner(info)
        instances = [norm.normalise(r.values, origin=r.origin, fixed=r.fixed).values for r in records if r.kind == kind]
        for _ in range(2):
            for inst in instances:
                assert runner._looks_valid(inst) == _reference_verdict(reference, inst)


def _error_view(errors: list) -> list:
    return [(e.validator, json.dumps(e.validator_value, ensure_ascii=False, sort_keys=True), list(e.path),
             e.message, e.instance is not None) for e in errors]


def _conditional_instances(info) -> list[dict]:
    """Records that switch each ``if`` of the schema on and off: the value, another one, a list
    holding it, a list without it, a text where a list belongs, the field missing; with and
    without the ``then`` fields, and with required fields missing."""
    base = {name: "ค่า" for name in info.schema.get("required", ())}
    out = [{}, dict(base)]
    for sub in info.schema.get("allOf", []):
        (field, test), = sub["if"]["properties"].items()
        const = test.get("const", test.get("contains", {}).get("const"))
        then = sub["then"]["required"]
        for value in (const, "อย่างอื่น", [const], ["อย่างอื่น"], [const, "อย่างอื่น"], [], 5, None):
            inst = dict(base)
            if value is not None:
                inst[field] = value
            out.append(inst)
            out.append({**inst, **{name: "รายละเอียด" for name in then}})
            out.append({k: v for k, v in inst.items() if k not in ("title", "owner_org")})
    return out


@pytest.mark.parametrize("kind,std", list(itertools.product(("dataset", "resource"), ("2.2", "2.0"))))
def test_top_level_errors_equal_jsonschemas_walk(kind: str, std: str, varied: Path) -> None:
    info = schema_info(kind, std)
    runner = SchemaRunner(info)
    assert runner._top_steps is not None or not info.schema.get("allOf")
    norm = Normaliser(info)
    instances = _conditional_instances(info) + [
        norm.normalise(r.values, origin=r.origin, fixed=r.fixed).values for r in _records([varied]) if r.kind == kind]
    for inst in instances:
        assert _error_view(runner._top_errors(inst)) == _error_view(list(runner._top.iter_errors(inst)))


def test_full_errors_equal_the_whole_schema_walk_as_findings(varied: Path) -> None:
    """Whatever the fast paths do, a record's findings are those of jsonschema over the whole schema."""
    from catalog_tools.schema_check import findings_from_errors

    for kind in ("dataset", "resource"):
        info = schema_info(kind, "2.2")
        runner = SchemaRunner(info)
        norm = Normaliser(info)
        for r in _records([varied]):
            if r.kind != kind:
                continue
            n = norm.normalise(r.values, origin=r.origin, fixed=r.fixed)

            def findings(errors: list) -> list:
                return sorted(json.dumps(f.to_dict(), ensure_ascii=False, sort_keys=True) for f in findings_from_errors(
                    errors, n.values, info, raw=r.values, placeholders=n.placeholders, locate=lambda f: f))
            # the same findings (their order is the top level's first, then the properties': see above)
            assert findings(runner.errors(n.values)) == findings(list(runner._full.iter_errors(n.values)))


# -- fold, messages, JSON values, counts -------------------------------------------------------------

_FOLD_REFERENCE = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def test_fold_equals_its_definition() -> None:
    rnd = random.Random(11)
    pool = [chr(i) for i in range(0x250)] + [chr(i) for i in range(0xE00, 0xE80)] + \
        list("\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000\u2028\u2029\u1680\u180e\u0301\u0307ﬀẞİ\u0130")
    samples = ["DataSet_11_01", " DataSet 11 01 ", "ข้อมูลสาธารณะ", "ข้อมูล\u200bสาธารณะ", "XLS/XLSX", "e\u0301",
               "\x1c\x1d\x1e\x1f", "İstanbul", "ﬁle", ""]
    samples += ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 12))) for _ in range(50_000)]
    for text in samples:
        assert fold(text) == _FOLD_REFERENCE.sub("", unicodedata.normalize("NFC", text)).casefold(), repr(text)


def test_message_cache_gives_the_text_of_the_whole_context() -> None:
    """Every code, with values that change and do not change the text, in an order that fills the cache first."""
    rnd = random.Random(5)
    values = [None, "", "-", "ข้อมูลสาธารณะ", "x" * 200, ["CSV", "XLS"], 3, 1.5, "ค่า\nสองบรรทัด"]
    contexts = [{}, {"extra": "Template 2!4:4"}, {"kind": "email"}, {"kind": "date", "reason_en": "r", "reason_th": "ร"},
                {"suggest_en": " ลอง", "suggest_th": " ลองดู"}, {"missing": "ว่าง"}, {"kind_en": "test data", "kind_th": "ทดสอบ"}]
    cases = [(code, rnd.choice(values), rnd.choice(contexts), rnd.choice([None, "ข้อมูลสถิติ"]),
              rnd.choice([(None, None, None), ("maintainer_email", "Contact Email", "อีเมลผู้ติดต่อ"), ("title", None, None)]))
             for code in RULES for _ in range(12)]
    for _ in range(2):
        rnd.shuffle(cases)
        for code, value, ctx, suggestion, (field, field_en, field_th) in cases:
            f = make_finding(code, field=field, field_en=field_en, field_th=field_th, value=value, suggestion=suggestion,
                             **ctx)
            full = _context(dict(ctx), field, field_en, field_th, value, suggestion)
            assert (f.message, f.message_th) == (RULES[code].en.format_map(full).strip(),
                                                 RULES[code].th.format_map(full).strip())


def _jsonable_reference(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable_reference(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable_reference(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def test_jsonable_equals_its_generic_form() -> None:
    class Text(str):
        pass

    class Items(list):
        pass

    atoms = [1, 0, True, None, 1.5, -0.0, float("nan"), float("inf"), -float("inf"), 2 ** 80, Text("ข้อความ"), "ข้อมูล",
             dt.date(2023, 9, 30), dt.datetime(2023, 9, 30, 8, 15), dt.time(8, 15), Source("ท่องเที่ยว.xlsx", "Template 2", 4),
             b"\x00"]
    rnd = random.Random(8)

    def gen(depth: int = 0):
        r = rnd.random()
        if depth > 2 or r < 0.45:
            return rnd.choice(atoms)
        items = [gen(depth + 1) for _ in range(rnd.randint(0, 3))]
        if r < 0.6:
            return items
        if r < 0.7:
            return SharedList(items)
        if r < 0.75:
            return Items(items)
        if r < 0.8:
            return tuple(items)
        return {rnd.choice(["ชื่อ", 1, Text("k"), 2.5, None]): v for v in items}

    for _ in range(20_000):
        value = gen()
        got, want = _jsonable(value), _jsonable_reference(value)
        assert json.dumps(got, default=repr) == json.dumps(want, default=repr) and type(got) is type(want)


def test_counts_in_one_pass(varied: Path) -> None:
    report = validate_paths([str(varied)])
    every = [f for f in report.findings] + [f for d in report.datasets for f in d.all_findings()]
    assert list(report.iter_findings()) == every
    assert report.error_count == sum(1 for f in every if f.is_error) > 0
    assert report.warning_count == sum(1 for f in every if not f.is_error) > 0
    s = report.summary()
    assert (s["errors"], s["warnings"]) == (report.error_count, report.warning_count)
    assert Report().summary() == {"datasets": 0, "complete": 0, "resources": 0, "errors": 0, "warnings": 0}


def test_remembered_suspicious_judgements_equal_the_rule_as_written(varied: Path) -> None:
    """suspicious_value with its per-field memory against the plain loop over ``suspicious_kind``."""
    from catalog_tools.options import ValidationOptions
    from catalog_tools.rules.record import _KINDS, _NOT_TEXT, _field_kinds, suspicious_kind, suspicious_value

    def reference(values: dict, standard: str) -> list:
        kinds = _field_kinds(standard)
        out = []
        for name, value in values.items():
            kind = kinds.get(name, "text")
            if kind in _NOT_TEXT:
                continue
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and (found := suspicious_kind(text, kind)):
                    out.append((name, text, _KINDS[found]))
                    break
        return out

    extra = [{"title": "ทดสอบ", "maintainer_email": "test@test.local", "url": "http://localhost/x", "ชื่อเล่น": "{{title}}",
              "tag_string": ["สถิติ", "test", "$package_name"], "notes": 5, "data_format": ["test"]}]
    for std in ("2.2", "2.0"):
        opts = ValidationOptions(standard=std)
        for kind in ("dataset", "resource"):
            norm = Normaliser(schema_info(kind, std))
            records = [norm.normalise(r.values, origin=r.origin).values for r in _records([varied]) if r.kind == kind]
            for _ in range(2):
                for values in records + extra:
                    got = [(h.field, h.value, (h.context["kind_en"], h.context["kind_th"]))
                           for h in suspicious_value(values, opts)]
                    assert got == reference(values, std)


def test_errors_of_judged_cells_equal_the_plain_check(varied: Path) -> None:
    """The normaliser judging repeated cells with the runner's verdict (as the validator wires them)
    gives the errors the runner finds on its own: same errors, same order, every record."""
    records = _records([varied, *(EXAMPLES / n for n in SHIPPED)])
    from tests.varied_data import GOOD

    whole = {"id": "DataSet_11_01", "title": "จำนวนนักท่องเที่ยวชาวไทย", **GOOD}
    extra = [{"data_type": "ข้อมูลประเภทอื่นๆ", "title": "จำนวนนักท่องเที่ยว"}, {"objective": "อื่นๆ: งานวิจัย", "objective_other": ""},
             {**{"id": "DataSet_11_02", "title": "รายได้จากการท่องเที่ยว", **GOOD}, "geo_coverage": "อื่นๆ"},
             {**{"id": "DataSet_11_03", "title": "รายได้จากการท่องเที่ยว", **GOOD}, "geo_coverage": "อื่นๆ (ลุ่มน้ำ)"},
             {**{"id": "DataSet_11_04", "title": "รายได้", **GOOD}, "data_format": "CSV, อื่นๆ", "update_frequency_unit": "อื่นๆ"},
             {"geo_coverage": "ระดับลุ่มน้ำ", "license_id": "-", "ชื่อเล่น": "ค่า"},
             # records whose only wrong value is one the cell cache does not judge (a number cell, a long text)
             whole, {**whole, "update_frequency_interval": -1}, {**whole, "update_frequency_interval": 1.5},
             {**whole, "maintainer_email": "กองยุทธศาสตร์ (at) tourism.go.th " + "ก" * 90}]
    for kind in ("dataset", "resource"):
        for std in ("2.2", "2.0"):
            info = schema_info(kind, std)
            judged, plain = Normaliser(info), Normaliser(info)
            runner, reference = SchemaRunner(info), SchemaRunner(info)
            judged.judge = runner.judge
            mine = [(r.values, r.origin, r.fixed) for r in records if r.kind == kind] + [(x, "sheet", None) for x in extra]
            for _ in range(2):
                for raw, origin, fixed in mine:
                    a = judged.normalise(raw, origin=origin, fixed=fixed)
                    b = plain.normalise(raw, origin=origin, fixed=fixed)
                    _same_normalised(a, b)
                    assert _error_view(runner.errors_judged(a.values, a.unchecked, a.invalid)) == \
                        _error_view(reference.errors(b.values))
            assert any(t for t in judged._simple["sheet"].values() if t)  # judged cells were remembered


def test_prepared_recommended_findings_equal_field_finding() -> None:
    """The "recommended" findings the validator copies from one made per field are what
    ``field_finding`` makes for that record, key for key (CKAN resources and sheet rows)."""
    from catalog_tools.loaders.ckan_json import package_records
    from catalog_tools.schema_check import field_finding
    from catalog_tools.validate import Validator, _locator

    pkg = {"name": "rainfall-2566", "title": "ปริมาณน้ำฝนรายเดือน", "owner_org": "กรมอุตุนิยมวิทยา",
           "resources": [{"name": "ปริมาณน้ำฝน 2566", "url": "https://data.tmd.go.th/rain.csv", "format": "CSV"}]}
    validator = Validator()
    info = validator.kinds["resource"].info
    sheet = [r for r in _records([EXAMPLES / n for n in SHIPPED]) if r.kind == "resource"]
    checked = 0
    for rec in [r for r in package_records(pkg, "https://data.tmd.go.th") if r.kind == "resource"] + sheet:
        _, findings = validator.check_record(rec, dataset="rainfall-2566")
        got = [f.to_dict() for f in findings if f.code == "recommended"]
        locate = _locator(rec)
        expected = [field_finding(info, "recommended", f["field"], locate=locate, dataset="rainfall-2566").to_dict()
                    for f in got]
        assert got == expected
        checked += len(got)
    assert checked >= 4  # the CKAN resource alone lacks four recommended fields
