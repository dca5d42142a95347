"""Throughput and peak memory of ``validate`` on large Template 2 workbooks.

    python benchmarks/bench_validate.py                # 10,000 and 100,000 datasets
    python benchmarks/bench_validate.py --sizes 10000  # one size
    python benchmarks/bench_validate.py --template1    # and with a Template 1 sheet listing every dataset

For each size it generates (once, cached in benchmarks/out/) a Template 2 + Template 3
workbook of realistic Thai rows (about 3 % of them with errors), then prints:
- validate end to end from the xlsx, in a fresh child process: seconds, datasets/s, peak RSS;
- the floor: plain ``jsonschema`` (Draft 2020-12, ``iter_errors``) over the same records,
  already normalised and in memory — what any validator must at least spend.
Goal (issue): 100,000 datasets from xlsx in under 10 s and under 400 MB on 2 cores.
Nothing here asserts on time; it prints figures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))

from scripts.make_fixtures import (ORDER, RES_ORDER, T1_HEADER, T1_LABELS, T2_HEADER, T2_HINTS, T3_HEADER,  # noqa: E402
                                   T3_HINTS)

PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "นครราชสีมา", "อุดรธานี", "ชลบุรี"]
TOPICS = ["จำนวนนักท่องเที่ยว", "รายได้จากการท่องเที่ยว", "ผู้ป่วยนอก", "นักเรียนระดับประถมศึกษา", "ปริมาณน้ำฝน", "ผลผลิตข้าวนาปี"]
UNITS = ["ปี", "เดือน", "ไตรมาส", "รายปี", "วัน"]
FORMATS = ["CSV", "XLS, CSV", "JSON", "Database, CSV", "XLS/XLSX"]


def make_rows(n: int, seed: int = 2566):
    rnd = random.Random(seed)
    for i in range(n):
        topic = rnd.choice(TOPICS)
        prov = rnd.choice(PROVINCES)
        row = {
            "id": f"DataSet_{i // 100 + 10}_{i:06d}", "data_type": rnd.choice(["ข้อมูลสถิติ", "ข้อมูลระเบียน"]),
            "title": f"{topic} จังหวัด{prov} ชุดที่ {i}", "owner_org": "สำนักงานสถิติแห่งชาติ",
            "maintainer": "กองสถิติเศรษฐกิจ", "maintainer_email": "stat-econ@nso.go.th",
            "tag_string": f"{topic}, {prov}, สถิติ", "notes": f"{topic} ในจังหวัด{prov} จำแนกรายเดือน เก็บรวบรวมจากหน่วยงานในพื้นที่",
            "objective": "พันธกิจหน่วยงาน, ยุทธศาสตร์ชาติ", "update_frequency_unit": rnd.choice(UNITS),
            "update_frequency_interval": rnd.choice([1, 1, 2, ""]), "geo_coverage": rnd.choice(["จังหวัด", "อำเภอ", "ประเทศ"]),
            "data_source": "ระบบรายงานสถิติจังหวัด (สำนักงานสถิติแห่งชาติ)", "data_format": rnd.choice(FORMATS),
            "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
        }
        r = rnd.random()
        if r < 0.01:
            row["maintainer_email"] = "stat-econ(at)nso.go.th"
        elif r < 0.02:
            row["license_id"] = "-"
        elif r < 0.03:
            row["geo_coverage"] = "ระดับลุ่มน้ำ"
        yield row


def generate(n: int, template1: bool = False) -> Path:
    """The workbook of ``n`` datasets; with ``template1`` a Template 1 sheet lists them all first
    (one mission per 1,000 datasets, one main process per 100), as one submission."""
    from openpyxl import Workbook

    path = OUT / (f"template1-2-{n}.xlsx" if template1 else f"template2-{n}.xlsx")
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    if template1:
        t1 = wb.create_sheet("Template 1")
        for label, value in zip(T1_LABELS, ["ด้านเศรษฐกิจ อุตสาหกรรม SME", "สถิติเศรษฐกิจรายจังหวัด", "วางแผนพัฒนาเศรษฐกิจจังหวัด",
                                            "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ"]):
            t1.append([label, value])
        t1.append([])
        t1.append(T1_HEADER)
        for i, row in enumerate(make_rows(n)):
            t1.append([f"{i // 1000 + 1}. ภารกิจสถิติเศรษฐกิจ ชุดที่ {i // 1000 + 1}" if i % 1000 == 0 else None,
                       f"{i // 1000 + 1}.{i % 1000 // 100 + 1} จัดทำสถิติรายจังหวัด" if i % 100 == 0 else None, None,
                       row["id"], row["title"]])
    ws = wb.create_sheet("Template 2")
    ws.append(T2_HEADER)
    ws.append(T2_HINTS)
    ids = []
    for row in make_rows(n):
        ids.append(row["id"])
        ws.append([row[k] for k in ORDER])
    ws3 = wb.create_sheet("Template 3")
    ws3.append(T3_HEADER)
    ws3.append(T3_HINTS)
    for i, dsid in enumerate(ids[: n // 10]):
        ws3.append([dsid, f"ไฟล์ข้อมูล {i}", f"https://data.nso.go.th/files/{i}.csv", "ไฟล์ข้อมูลรายเดือน", "ไม่มีเงื่อนไข",
                    "2566-09-30", "CSV", "2560-01-01", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"][: len(RES_ORDER)])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)
    return path


_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from catalog_tools.validate import validate_paths
t1 = time.perf_counter()
report = validate_paths([sys.argv[1]])
t2 = time.perf_counter()
s = report.summary()
print(json.dumps({"import_s": t1 - t0, "validate_s": t2 - t1, "summary": s,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_validate(path: Path, repeat: int) -> dict:
    """Median of ``repeat`` runs, each in a fresh process (a shared VM's timings wander)."""
    runs = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout))
    runs.sort(key=lambda r: r["validate_s"])
    best = dict(runs[len(runs) // 2])
    best["all_s"] = [round(r["validate_s"], 2) for r in runs]
    best["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    return best


def bench_floor(path: Path) -> dict:
    """Plain jsonschema over the same records, already normalised and in memory."""
    from jsonschema import Draft202012Validator

    from catalog_tools.loaders import iter_path
    from catalog_tools.model import RawRecord
    from catalog_tools.normalize import Normaliser
    from catalog_tools.schemas_api import load_schema, schema_info

    info = schema_info("dataset", "2.2")
    norm = Normaliser(info)
    t0 = time.perf_counter()
    records = [r for r in iter_path(path) if isinstance(r, RawRecord) and r.kind == "dataset"]
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    values = [norm.normalise(r.values).values for r in records]
    t_norm = time.perf_counter() - t0
    validator = Draft202012Validator(load_schema("dataset", "2.2"))
    t0 = time.perf_counter()
    errors = sum(1 for v in values for _ in validator.iter_errors(v))
    t_js = time.perf_counter() - t0
    return {"load_s": t_load, "normalise_s": t_norm, "jsonschema_s": t_js, "records": len(values), "schema_errors": errors}


def bench_extent_scan(path: Path) -> dict:
    """The sheet-extent scan alone (docs/security.md): what reading a workbook safely costs on top."""
    import zipfile

    from catalog_tools.loaders.extent import scan_sheet, sheet_members

    t0 = time.perf_counter()
    with zipfile.ZipFile(path) as zf:
        scans = {name: scan_sheet(zf, member) for name, member in sheet_members(zf).items()}
    return {"scan_s": time.perf_counter() - t0, "dense": all(s.dense_ok for s in scans.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    ap.add_argument("--template1", action="store_true",
                    help="also validate the same datasets with a Template 1 sheet listing them (cross-check cost)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for n in args.sizes:
        t0 = time.perf_counter()
        path = generate(n)
        gen = time.perf_counter() - t0
        v = bench_validate(path, args.repeat)
        f = bench_floor(path)
        ds = v["summary"]["datasets"]
        print(f"\n{n:,} datasets ({path.stat().st_size / 2**20:.1f} MiB xlsx; generated in {gen:.1f} s)")
        print(f"  validate end to end:  {v['validate_s']:.2f} s  = {ds / v['validate_s']:,.0f} datasets/s"
              f"  peak RSS {v['maxrss_mb']:.0f} MB  (median of {v['all_s']} s; import {v['import_s']:.2f} s)")
        print(f"    summary: {v['summary']}")
        print(f"  floor, plain jsonschema over normalised records in memory: {f['jsonschema_s']:.2f} s"
              f"  = {f['records'] / f['jsonschema_s']:,.0f} records/s")
        print(f"    (for reference: loading {f['load_s']:.2f} s, normalising {f['normalise_s']:.2f} s)")
        x = bench_extent_scan(path)
        print(f"  sheet extent scan (part of validate): {x['scan_s']:.2f} s = {x['scan_s'] / v['validate_s']:.1%} of validate"
              f"  (fast reader used: {x['dense']})")
        if args.template1:
            t = bench_validate(generate(n, template1=True), args.repeat)
            print(f"  with Template 1 listing all {n:,}: {t['validate_s']:.2f} s = {t['validate_s'] / v['validate_s']:.2f}x "
                  f"the run without it  peak RSS {t['maxrss_mb']:.0f} MB  (median of {t['all_s']} s)")
            print(f"    summary: {t['summary']}")
    print(f"\nbenchmark process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
