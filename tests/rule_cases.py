"""Run the data-driven rule cases of tests/cases/rules/<code>.yaml.

A cases file names its rule and lists ``triggers`` (inputs that must produce at least one
finding with the code) and ``passes`` (inputs that must produce none). Each case has exactly
one input key:

* ``dataset`` — changes to a complete, valid Template 2 row of กรมการท่องเที่ยว (``null`` removes an item);
* ``resource`` — changes to a valid Template 3 row of that dataset;
* ``datasets`` / ``resources`` — several rows (changes to the same bases; ids and titles made unique
  unless given) for collection rules;
* ``csv`` — the text of a CSV file; ``workbook`` — ``{sheets: {name: [rows]}, hidden: [names]}``, with
  optional ``cells: {sheet: {ref: value}}`` and ``merged: {sheet: [ranges]}``;
* ``package`` — changes to a complete CKAN package, audited from an in-memory CKAN;
* ``link_status`` — the HTTP status a resource URL answers (a local server on 127.0.0.1), audited with link checks;
* ``ckan_error`` — the ValidationError dict CKAN answers when publishing (``null``: CKAN accepts);
* ``catalog`` — an audit over HTTP of the small catalog of ``tests/hostile/catalog.py`` on 127.0.0.1:
  ``{datasets: N, page_size: N, token: bool}`` plus its faults (``ignore_offset``, ``count_drift``,
  ``delete_after_first_page``, ``search_fails``).
* ``content`` — a resource file measured by ``catalog-tools quality``: ``{text: …, encoding: cp874,
  declared: CSV, name: visitors.csv, max_size: bytes, formulas: dquality}`` (written next to a
  workbook and read from there), ``{corpus: <name>}`` (a file of ``tests/quality/corpus.py``),
  ``{zip_bomb: true}``, or ``{status: 404}`` (its URL on a local server answers that status).
* ``fix`` — one of ``dataset``/``resource``/``csv``/``package`` as above, given to ``catalog-tools fix``;
  its changes are the "findings" (``value``: the text before, ``suggestion``: the text after).

Optional ``as_of`` measures timeliness as of that date after validating (``overdue``).
Optional ``options`` are validation options (as in a --config file); optional ``expect`` lists
attributes (field, value, severity, item, suggestion) that one of the findings must have.
"""
from __future__ import annotations

import copy
import http.server
import threading
from pathlib import Path
from typing import Any, Iterator

import yaml

from catalog_tools.model import Finding, RawRecord, Source
from catalog_tools.options import ValidationOptions
from tests.outputs_data import DATASET, RESOURCE

CASES_DIR = Path(__file__).resolve().parent / "cases" / "rules"
INPUTS = ("dataset", "resource", "datasets", "csv", "workbook", "package", "link_status", "ckan_error", "catalog",
          "fix", "content")

PACKAGE = {
    "name": "dataset_11_01", "title": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "owner_org": "tourism",
    "data_type": "ข้อมูลสถิติ", "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
    "tags": [{"name": "ท่องเที่ยว"}, {"name": "สถิติ"}],
    "notes": "จำนวนนักท่องเที่ยวชาวไทย จำแนกรายจังหวัด รวบรวมจากสำนักงานท่องเที่ยวและกีฬาจังหวัด",
    "objective": ["พันธกิจหน่วยงาน"], "update_frequency_unit": "เดือน", "update_frequency_interval": "1",
    "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว (กรมการท่องเที่ยว)", "data_format": ["CSV"],
    "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย", "license_id": "Open Data Common",
    "resources": [{"name": "จำนวนนักท่องเที่ยวชาวไทย ปี 2566", "url": "https://catalog.tourism.go.th/dataset/visitors-2566.csv",
                   "format": "CSV"}],
}


def load_cases(code: str) -> dict[str, Any]:
    return yaml.safe_load((CASES_DIR / f"{code}.yaml").read_text(encoding="utf-8"))


def _apply(base: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(base)
    for key, value in (changes or {}).items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _record(kind: str, base: dict[str, Any], changes: dict[str, Any] | None, row: int) -> RawRecord:
    """A sheet row: a column for every item of the base row and of the changes (a removed item is a blank cell)."""
    sheet = "Template 2" if kind == "dataset" else "Template 3"
    columns = list(dict.fromkeys([*base, *(changes or {})]))
    cells = {name: f"{sheet}!{chr(ord('A') + i)}{row}" for i, name in enumerate(columns)}
    return RawRecord(kind, _apply(base, changes), cells, Source("rule-case.xlsx", sheet, row))  # type: ignore[arg-type]


def _records(case: dict[str, Any]) -> Iterator[RawRecord]:
    if "dataset" in case or "resource" in case:
        yield _record("dataset", DATASET, case.get("dataset"), 4)
        if "resource" in case:
            yield _record("resource", RESOURCE, case["resource"], 4)
        return
    for i, changes in enumerate(case["datasets"]):
        base = dict(DATASET, id=f"DataSet_11_{i + 1:02d}", title=f"{DATASET['title']} ชุดที่ {i + 1}")
        yield _record("dataset", base, changes, 4 + i)
    for i, changes in enumerate(case.get("resources") or []):
        yield _record("resource", RESOURCE, changes, 4 + i)


def _audit(packages: list[dict[str, Any]], options: ValidationOptions, *, check_links: bool = False) -> list[Finding]:
    from catalog_tools.ckan.audit import AuditOptions, audit_catalog
    from tests.fake_ckan import FakeCkan

    fake = FakeCkan()
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    for pkg in packages:
        fake.call_action("package_create", pkg)
    report = audit_catalog(fake, AuditOptions(validation=options, check_links=check_links, link_timeout=5)).report
    return list(report.iter_findings())


class _Status(http.server.BaseHTTPRequestHandler):
    status = 200

    def _answer(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: Any) -> None:
        pass


def _link_findings(status: int, options: ValidationOptions) -> list[Finding]:
    handler = type("Handler", (_Status,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        pkg = copy.deepcopy(PACKAGE)
        pkg["resources"][0]["url"] = f"http://127.0.0.1:{server.server_address[1]}/visitors-2566.csv"
        return _audit([pkg], options, check_links=True)
    finally:
        server.shutdown()
        server.server_close()


def _publish_findings(error: dict[str, Any] | None, options: ValidationOptions) -> list[Finding]:
    from tests.fake_ckan import FakeCkan
    from catalog_tools.ckan.publish import PublishOptions, publish_report
    from catalog_tools.validate import validate_records

    fake = FakeCkan(validator=lambda pkg: copy.deepcopy(error))
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    report = validate_records([_record("dataset", DATASET, None, 4), _record("resource", RESOURCE, None, 4)], options=options)
    result = publish_report(report, fake, PublishOptions(fields="top-level"))
    return [f for o in result.outcomes for f in o.findings]


def run_case(case: dict[str, Any], tmp: Path) -> list[Finding]:
    """Every finding the case's input produces."""
    given = [k for k in INPUTS if k in case]
    if len(given) != 1:
        raise ValueError(f"a case needs exactly one of {', '.join(INPUTS)}; got {given or 'none'}")
    options = ValidationOptions.from_mapping(case.get("options") or {})
    kind = given[0]
    if kind in ("dataset", "resource", "datasets"):
        from catalog_tools.validate import validate_records

        report = validate_records(_records(case), options=options)
        if case.get("as_of"):
            from catalog_tools.timeliness import apply_timeliness, parse_as_of

            apply_timeliness(report, parse_as_of(str(case["as_of"])), ignore=options.ignored_codes())
        return list(report.iter_findings())
    if kind in ("csv", "workbook"):
        from catalog_tools.validate import validate_paths

        path = tmp / ("case.csv" if kind == "csv" else "case.xlsx")
        if kind == "csv":
            path.write_text(case["csv"], encoding="utf-8")
        else:
            _write_workbook(path, case["workbook"])
        report = validate_paths([str(path)], options=options)
        assert not report.load_errors, report.load_errors
        return list(report.iter_findings())
    if kind == "fix":
        return _fix_changes(case["fix"], tmp)
    if kind == "content":
        return _content_findings(dict(case["content"]), tmp)
    if kind == "package":
        return _audit([_apply(copy.deepcopy(PACKAGE), case["package"])], options)
    if kind == "link_status":
        return _link_findings(int(case["link_status"]), options)
    if kind == "catalog":
        return _catalog_findings(dict(case["catalog"]), options)
    return _publish_findings(case["ckan_error"], options)


def _content_findings(spec: dict[str, Any], tmp: Path) -> list[Finding]:
    """The content findings for one resource file (see ``content`` in the module docstring)."""
    from catalog_tools.quality.assess import Fetched, QualityOptions, assess
    from catalog_tools.quality.fetch import FetchOptions, Fetcher
    from catalog_tools.quality.run import read_local
    from catalog_tools.rules import make_finding
    from tests.quality.corpus import CORPUS, zip_bomb_xlsx

    name, declared = str(spec.get("name", "visitors.csv")), spec.get("declared", "CSV")
    if "status" in spec:
        handler = type("Handler", (_Status,), {"status": int(spec["status"])})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            fetcher = Fetcher(FetchOptions(deadline=5))
            got = fetcher.get(f"http://127.0.0.1:{server.server_address[1]}/{name}")
            fetcher.close()
        finally:
            server.shutdown()
            server.server_close()
    elif "corpus" in spec or "zip_bomb" in spec:
        if "corpus" in spec:
            name = str(spec["corpus"])
            make, declared = CORPUS[name]
            data = make()
        else:
            name, declared, data = "visitors-2566.xlsx", "XLSX", zip_bomb_xlsx()
        got = Fetched(data, True, 200, size=len(data))
    else:
        path = tmp / name
        path.write_bytes(str(spec["text"]).encode(str(spec.get("encoding", "utf-8"))))
        got = read_local(path, int(spec.get("max_size", 32 * 2**20)))
    result = assess(got, name=name, declared=declared, limit_text=f"{spec.get('max_size', '32 MB')} bytes",
                    options=QualityOptions(formulas=spec.get("formulas", "catalog-tools")))
    return [make_finding(i.code, value=i.value, location=i.location, **i.context) for i in result.issues]


def _catalog_findings(spec: dict[str, Any], options: ValidationOptions) -> list[Finding]:
    from catalog_tools.ckan.audit import AuditOptions, audit_catalog
    from catalog_tools.ckan.client import RemoteClient
    from tests.hostile.catalog import Catalog

    token = "eyJhbGciOiJIUzI1NiJ9.cnVsZS1jYXNl.c2lnbg" if spec.pop("token", True) else None
    page_size = int(spec.pop("page_size", 10))
    with Catalog(int(spec.pop("datasets", 25))) as cat:
        for fault, value in spec.items():
            setattr(cat, fault, value)
        client = RemoteClient(cat.url, token, retries=0, timeout=10)
        report = audit_catalog(client, AuditOptions(page_size=page_size, validation=options)).report
        client.close()
    return list(report.findings)


def _fix_changes(spec: dict[str, Any], tmp: Path) -> list[Finding]:
    """The changes ``fix`` makes to the input in ``spec``, as findings of the fix rules."""
    import json

    from catalog_tools.fixes import fix_file
    from catalog_tools.fixes.plan import Planner
    from catalog_tools.rules import make_finding

    if "package" in spec or "csv" in spec:
        src = tmp / ("case.json" if "package" in spec else "case.csv")
        if "package" in spec:
            src.write_text(json.dumps(_apply(copy.deepcopy(PACKAGE), spec["package"]), ensure_ascii=False), encoding="utf-8")
        else:
            src.write_text(spec["csv"], encoding="utf-8")
        changes = fix_file(src, tmp / f"fixed{src.suffix}").changes
    else:
        planner = Planner()
        for rec in _records(spec):
            planner.add_record(rec)
        changes = [c for group in planner.groups for c in group.changes]
    return [make_finding(c.rule, field=c.field, value=c.before, suggestion=str(c.after), location=c.location)
            for c in changes]


def _write_workbook(path: Path, spec: dict[str, Any]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in spec["sheets"].items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in (spec.get("hidden") or ()):
            ws.sheet_state = "hidden"
        for ref, value in ((spec.get("cells") or {}).get(name) or {}).items():  # single cells, e.g. far away
            ws[ref] = value
    wb.save(path)
    if spec.get("merged"):
        _write_merges(path, [(spec.get("merged") or {}).get(name) or [] for name in spec["sheets"]])


def _write_merges(path: Path, per_sheet: list[list[str]]) -> None:
    """Put merged ranges into the saved sheets as written, overlaps included (openpyxl would drop them
    and clear the merged cells; a workbook from elsewhere keeps both)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info.filename) for info in zf.infolist()}
    for i, refs in enumerate(per_sheet, start=1):
        if not refs:
            continue
        member = f"xl/worksheets/sheet{i}.xml"
        block = f'<mergeCells count="{len(refs)}">' + "".join(f'<mergeCell ref="{r}"/>' for r in refs) + "</mergeCells>"
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", parts[member], flags=re.DOTALL)
        parts[member] = xml.replace(b"</sheetData>", b"</sheetData>" + block.encode(), 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def matches(finding: Finding, expect: dict[str, Any]) -> bool:
    return all(getattr(finding, key) == value for key, value in expect.items())
