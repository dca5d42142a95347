"""Publish and audit 1,000 datasets against a local CKAN 2.11; where the time goes.

    python benchmarks/bench_ckan.py               # 1,000 datasets, each with one resource
    python benchmarks/bench_ckan.py --count 200 --workers 4
    python benchmarks/bench_ckan.py --count 200 --network 30:50   # also through a modelled network

Uses the CKAN at ``CKAN_TEST_URL`` (token from ``CKAN_TEST_TOKEN_FILE``/``CKAN_TEST_TOKEN``)
or starts one with ``scripts/ckan-test-server.sh`` (instance ``bench``, scheming schema
generated from our schemas) and stops it afterwards. It prints, for publish (create), a
second identical publish (all unchanged) and audit: seconds, datasets/s, and the split
between time inside HTTP calls to CKAN and everything else (validation, mapping, planning,
scoring — ours). Datasets go to a new organization, so runs do not disturb each other.

The floor, measured in the same run: publishing one dataset at a time with a ``package_show``
per dataset (``--workers 1``, no batch look-up — how publish worked before workers). Then the
same with ``--workers N`` and batch look-ups on a second set of datasets, and the ratios
(goals: creates ≥ 2.5× with 4 workers, unchanged reruns ≥ 5×). The local test CKAN is one
Python process (Werkzeug, threaded): its own CPU bounds what concurrent creates can gain on
loopback, while a portal over a network mostly makes each request wait — ``--network`` repeats
both rounds through a modelled network (``_netem.py``) to show that case. Nothing here asserts
on time; it prints figures.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from _common import local_ckan, stop_ckan  # noqa: E402
from _netem import modelled_network  # noqa: E402
from catalog_tools.ckan.audit import AuditOptions, audit_catalog  # noqa: E402
from catalog_tools.ckan.client import RemoteClient  # noqa: E402
from catalog_tools.ckan.publish import PublishOptions, publish_report  # noqa: E402
from catalog_tools.model import RawRecord, Source  # noqa: E402
from catalog_tools.validate import validate_records  # noqa: E402

PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "นครราชสีมา", "อุดรธานี", "ชลบุรี"]
TOPICS = ["จำนวนนักท่องเที่ยว", "รายได้จากการท่องเที่ยว", "ผู้ป่วยนอก", "นักเรียนระดับประถมศึกษา", "ปริมาณน้ำฝน"]


def records(n: int, tag: str):
    """Template 2 + 3 rows as a workbook would give them (Buddhist Era dates, comma lists)."""
    rnd = random.Random(2566)
    src = Source("bench.xlsx", "Template 2")
    for i in range(n):
        topic, prov = rnd.choice(TOPICS), rnd.choice(PROVINCES)
        ds_id = f"Bench_{tag}_{i:05d}"
        yield RawRecord("dataset", {
            "id": ds_id, "data_type": "ข้อมูลสถิติ", "title": f"{topic} จังหวัด{prov} ชุดที่ {i} ({tag})",
            "owner_org": "สำนักงานสถิติแห่งชาติ", "maintainer": "กองสถิติเศรษฐกิจ", "maintainer_email": "stat-econ@nso.go.th",
            "tag_string": f"{topic}, {prov}, สถิติ", "notes": f"{topic} ในจังหวัด{prov} จำแนกรายเดือน",
            "objective": "พันธกิจหน่วยงาน, ยุทธศาสตร์ชาติ", "update_frequency_unit": "เดือน",
            "update_frequency_interval": 1, "geo_coverage": "จังหวัด", "data_source": "ระบบรายงานสถิติจังหวัด",
            "data_format": "CSV, XLS", "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
        }, {}, src)
        yield RawRecord("resource", {
            "dataset_id": ds_id, "name": f"{topic} {prov} 2566", "url": f"https://data.nso.go.th/bench/{ds_id}.csv",
            "description": "ไฟล์ CSV รายเดือน", "resource_accessible_condition": "ไม่มีเงื่อนไข",
            "resource_last_updated_date": "2566-09-30", "format": "CSV", "resource_created_date": "2560-01-01",
            "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        }, {}, Source("bench.xlsx", "Template 3"))


def start_server() -> tuple[str, str, bool]:
    if os.environ.get("CKAN_TEST_URL"):
        return local_ckan("bench", ports=(5061, 8991, 6391))
    from catalog_tools.ckan.scheming import write_scheming_schema
    schema = write_scheming_schema(Path(tempfile.mkdtemp()) / "schema.yaml")
    return local_ckan("bench", ports=(5061, 8991, 6391), scheming_schema=schema)


class _Timed:
    """A result with the seconds it took (for results whose class has no room for them)."""

    def __init__(self, result, seconds: float) -> None:
        self._result, self.seconds = result, seconds

    def __getattr__(self, name: str):
        return getattr(self._result, name)


def timed(label: str, n: int, client: RemoteClient, fn):
    client.stats.__init__()  # type: ignore[misc]
    t0 = time.perf_counter()
    result = fn()
    total = time.perf_counter() - t0
    try:
        result.seconds = total
    except AttributeError:  # slotted results: keep the time beside them
        result = _Timed(result, total)
    http = client.stats.http_seconds
    if http <= total:
        split = (f"CKAN (HTTP) {http:6.2f} s = {100 * http / total:4.1f} %  ours {total - http:6.2f} s = "
                 f"{100 * (total - http) / total:4.1f} %")
    else:  # several workers wait for CKAN at once: the HTTP time is summed over them
        split = f"CKAN (HTTP, summed over workers) {http:6.2f} s"
    print(f"{label:<30} {n:>5} datasets  {total:7.2f} s  {n / total:7.1f} datasets/s  {split}  calls {client.stats.calls}")
    return result


def publish_round(url: str, token: str, org: str, count: int, workers: int, where: str) -> None:
    """The floor (1 worker, a package_show each) and N workers with batch look-ups, on new datasets."""
    client = RemoteClient(url, token, timeout=60)
    try:
        tag = uuid.uuid4().hex[:6]
        report = validate_records(records(count, tag))
        floor_opts = PublishOptions(org=org, fields="top-level", workers=1, batch_lookup=False)
        first = timed(f"publish (create) 1w {where}", count, client, lambda: publish_report(report, client, floor_opts))
        assert len(first.to_dict()["created"]) == count, first.to_dict()["failed"][:3]
        again = timed(f"publish (unchanged) 1w {where}", count, client,
                      lambda: publish_report(report, client, floor_opts))
        assert len(again.to_dict()["unchanged"]) == count
        floor_create, floor_rerun = first.seconds, again.seconds  # type: ignore[attr-defined]

        report2 = validate_records(records(count, tag + "w"))
        opts = PublishOptions(org=org, fields="top-level", workers=workers, batch_lookup=True)
        label = f"{workers}w+batch {where}"
        made = timed(f"publish (create) {label}", count, client, lambda: publish_report(report2, client, opts))
        assert len(made.to_dict()["created"]) == count, made.to_dict()["failed"][:3]
        rerun = timed(f"publish (unchanged) {label}", count, client, lambda: publish_report(report2, client, opts))
        assert len(rerun.to_dict()["unchanged"]) == count
        print(f"ratio create   {workers} workers vs 1 {where}: {floor_create / made.seconds:5.2f}x  (goal >= 2.5x)")  # type: ignore[attr-defined]
        print(f"ratio rerun    {workers} workers + batch look-ups vs 1 + package_show each {where}: "
              f"{floor_rerun / rerun.seconds:5.2f}x  (goal >= 5x)")  # type: ignore[attr-defined]
    finally:
        client.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--network", nargs="*", default=[], metavar="RTT_MS:MBIT",
                    help="also publish through a modelled network (e.g. 30:50 = 30 ms round trip, 50 Mbit/s)")
    args = ap.parse_args()
    url, token, started = start_server()
    client = RemoteClient(url, token, timeout=60)
    try:
        tag = uuid.uuid4().hex[:6]
        org = client.call_action("organization_create", {"name": f"bench-{tag}", "title": f"สำนักงานทดสอบ {tag}"})["name"]
        t0 = time.perf_counter()
        validate_records(records(args.count, tag))
        print(f"validate               {args.count:>5} datasets  {time.perf_counter() - t0:7.2f} s (in memory)")
        publish_round(url, token, org, args.count, args.workers, "(loopback)")
        for spec in args.network:
            rtt, mbit = (float(x) for x in spec.split(":"))
            with modelled_network(url, rtt_ms=rtt, mbit=mbit) as far:
                publish_round(far, token, org, args.count, args.workers, f"(modelled {rtt:g} ms, {mbit:g} Mbit/s)")
        published = 2 * args.count * (1 + len(args.network))
        audit = timed("audit (crawl+validate+score)", published, client,
                      lambda: audit_catalog(client, AuditOptions(org=org, page_size=100, fy=2566)))
        assert len(audit.report.datasets) == published
    finally:
        client.close()
        if started:
            stop_ckan("bench")


if __name__ == "__main__":
    main()
