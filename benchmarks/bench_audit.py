"""Audit a whole portal on the local CKAN: wall time, CKAN's share vs ours, memory, resume.

    python benchmarks/bench_audit.py                       # 10,000 datasets in 50 organisations
    python benchmarks/bench_audit.py --count 1000 --orgs 10
    python benchmarks/bench_audit.py --network 30:50 10:100  # also through modelled networks

Uses the CKAN at ``CKAN_TEST_URL`` (token from ``CKAN_TEST_TOKEN_FILE``/``CKAN_TEST_TOKEN``) or starts
one with ``scripts/ckan-test-server.sh`` (instance ``bench_audit``). The datasets are created once
through the Action API (several at a time) under organisations tagged with ``--tag`` (default:
the count), so a second run reuses them. Then it prints, for a whole-portal audit:

* a plain audit (every dataset fetched by paged ``package_search``), ``--repeat`` times, with medians;
  with ``--network RTT_MS:MBIT`` also through a modelled network (``_netem.py``: round-trip delay and
  bandwidth added by a proxy process), since loopback CKAN is far faster than a portal over the internet;
* a cached audit into a new SQLite file, interrupted after half of the batches (Ctrl-C as a user
  would), then resumed — the resume fetches only the other half;
* a rerun on the unchanged portal with the cache (only the light listing is fetched).

Each line gives seconds, datasets/s, the time inside HTTP calls to CKAN and ours (crawl
bookkeeping, validation, timeliness, scoring every organisation) as CPU time and as the wall
time with no request in flight ("beyond CKAN"), and this process's peak RSS. The floor is CKAN
itself: the HTTP time of the same calls. Goal (issue): ours ≤ 10 % of wall.
Nothing here asserts on time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from _common import local_ckan, stop_ckan  # noqa: E402
from _netem import modelled_network  # noqa: E402
from catalog_tools.ckan.audit import AuditOptions, audit_catalog  # noqa: E402
from catalog_tools.ckan.client import CkanError, RemoteClient  # noqa: E402

TOPICS = ["จำนวนนักท่องเที่ยว", "รายได้จากการท่องเที่ยว", "ผู้ป่วยนอก", "นักเรียนระดับประถมศึกษา", "ปริมาณน้ำฝน"]
PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "นครราชสีมา", "อุดรธานี", "ชลบุรี"]


def package(i: int, org: str, tag: str) -> dict[str, Any]:
    topic, prov = TOPICS[i % len(TOPICS)], PROVINCES[i % len(PROVINCES)]
    updated = (dt.date(2026, 11, 1) - dt.timedelta(days=(i * 37) % 900)).isoformat()
    extras = {"data_type": "ข้อมูลสถิติ", "objective": "พันธกิจหน่วยงาน", "update_frequency_unit": "ปี",
              "update_frequency_interval": "1", "geo_coverage": "จังหวัด", "data_source": "ระบบรายงานสถิติจังหวัด",
              "data_format": "CSV", "data_category": "ข้อมูลสาธารณะ" if i % 4 else "ข้อมูลความมั่นคง"}
    return {"name": f"ba-{tag}-{i:06d}", "title": f"{topic} จังหวัด{prov} ชุดที่ {i}", "owner_org": org,
            "maintainer": "กองสถิติเศรษฐกิจ", "maintainer_email": "stat-econ@nso.go.th",
            "notes": f"{topic} ในจังหวัด{prov} จำแนกรายเดือน", "license_id": "Open Data Common",
            "tags": [{"name": "สถิติ"}], "extras": [{"key": k, "value": v} for k, v in extras.items()],
            "resources": [{"name": f"{topic} {prov}", "url": f"https://data.example.go.th/{i}.csv", "format": "CSV",
                           "resource_last_updated_date": updated}]}


def ensure_portal(client: RemoteClient, count: int, orgs: int, tag: str) -> list[str]:
    names = [f"ba-{tag}-org-{k:03d}" for k in range(orgs)]
    for k, name in enumerate(names):
        try:
            client.call_action("organization_show", {"id": name})
        except CkanError:
            client.call_action("organization_create", {"name": name, "title": f"หน่วยงานทดสอบ {k} ({tag})"})
    have = client.call_action("package_search", {"q": "*:*", "fq": f"name:ba-{tag}-*", "rows": 0}).get("count", 0)
    if have >= count:
        return names
    t0 = time.perf_counter()

    def create(i: int) -> None:
        try:
            client.call_action("package_create", package(i, names[i % orgs], tag))
        except CkanError:
            pass  # already there from an interrupted earlier run

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(create, range(count)))
    print(f"created {count} datasets in {orgs} organisations: {time.perf_counter() - t0:.1f} s")
    return names


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(label: str, client: RemoteClient, fn: Callable[[], Any], n_hint: int) -> tuple[Any, tuple[float, ...]]:
    """``ours`` is this process's CPU time (parsing answers, validating, scoring). ``beyond CKAN`` is
    wall minus the time inside calls to CKAN: what the user waits for us when no request is in flight
    (the plain audit has one request at a time, validating each page while the next is fetched).
    ``after the last answer`` is the part of it once CKAN has answered the last page: that page's
    validation, the collection rules, timeliness, the scores, and the cyclic collector's first pass
    over the audit's objects when it is enabled again."""
    client.stats.__init__()  # type: ignore[misc]
    t0, c0 = time.perf_counter(), cpu()
    result = fn()
    end = time.perf_counter()
    wall, ours = end - t0, cpu() - c0
    http = client.stats.http_seconds
    n = len(result.report.datasets)
    beyond = max(0.0, wall - http)
    after = end - client.stats.last_answer if client.stats.last_answer else 0.0
    print(f"{label:<34} {n:>6} datasets {wall:8.2f} s {n / wall:8.1f}/s  CKAN (HTTP, summed) {http:7.2f} s"
          f"  ours (CPU) {ours:7.2f} s = {100 * ours / wall:4.1f} % of wall"
          f"  beyond CKAN {beyond:6.2f} s = {100 * beyond / wall:4.1f} % of wall (after the last answer {after:5.2f} s)"
          f"  calls {client.stats.calls:>5}"
          f"  peak RSS {peak_mb():6.0f} MB")
    return result, (wall, http, ours, beyond, after)


def plain_audits(label: str, url: str, token: str, options: AuditOptions, count: int, repeat: int) -> Any:
    """``repeat`` whole-portal audits (fresh client each); prints each and the medians."""
    runs = []
    result = None
    for _ in range(repeat):
        client = RemoteClient(url, token, timeout=120)
        try:
            result, figures = timed(label, client, lambda: audit_catalog(client, options), count)
            runs.append(figures)
        finally:
            client.close()
    if repeat > 1:
        wall, http, ours, beyond, after = (statistics.median(r[k] for r in runs) for k in range(5))
        print(f"  median of {repeat}: wall {wall:.2f} s, CKAN {http:.2f} s, ours (CPU) {ours:.2f} s = "
              f"{100 * ours / wall:.1f} % of wall, beyond CKAN {beyond:.2f} s = {100 * beyond / wall:.1f} % of wall"
              f" (of it after the last answer {after:.2f} s)"
              f"  (goal: ours ≤ 10 % of wall)")
    return result


class Interrupting(RemoteClient):
    """Raises KeyboardInterrupt (as Ctrl-C would) once ``after`` dataset batches have arrived."""

    after = 0
    seen = 0

    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any:
        if action == "package_search" and "id:(" in str((data_dict or {}).get("fq", "")):
            if Interrupting.seen >= Interrupting.after:
                raise KeyboardInterrupt
            Interrupting.seen += 1
        return super().call_action(action, data_dict)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--orgs", type=int, default=50)
    ap.add_argument("--tag", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="whole-portal audits per network; medians printed")
    ap.add_argument("--network", nargs="*", default=[], metavar="RTT_MS:MBIT",
                    help="also audit through a modelled network (e.g. 30:50 = 30 ms round trip, 50 Mbit/s)")
    args = ap.parse_args()
    tag = args.tag or f"n{args.count}"
    url, token, started = local_ckan("bench_audit", ports=(5071, 8993, 6393))
    client = RemoteClient(url, token, timeout=120)
    try:
        ensure_portal(client, args.count, args.orgs, tag)
        as_of = dt.date(2026, 11, 30)
        whole = AuditOptions(fy=2567, as_of=as_of, page_size=1000, max_datasets=args.count * 2)
        result = plain_audits("audit, whole portal (loopback)", url, token, whole, args.count, args.repeat)
        print(f"  organisations in the table: {len(result.organizations)}")
        for spec in args.network:
            rtt, mbit = (float(x) for x in spec.split(":"))
            with modelled_network(url, rtt_ms=rtt, mbit=mbit) as far:
                plain_audits(f"audit, modelled {rtt:g} ms, {mbit:g} Mbit/s", far, token, whole, args.count, args.repeat)
        cache = Path(tempfile.mkdtemp()) / "audit-cache.sqlite"
        cached = AuditOptions(fy=2567, as_of=as_of, page_size=1000, max_datasets=args.count * 2, cache=cache)
        batches = -(-args.count // 50)
        Interrupting.after, Interrupting.seen = batches // 2, 0
        broken = Interrupting(url, token, timeout=120)
        t0 = time.perf_counter()
        try:
            audit_catalog(broken, cached)
        except KeyboardInterrupt:
            print(f"{'cached audit, interrupted halfway':<34} {'':>6}          {time.perf_counter() - t0:8.2f} s")
        timed("cached audit, resumed", client, lambda: audit_catalog(client, cached), args.count)
        timed("cached audit, unchanged rerun", client, lambda: audit_catalog(client, cached), args.count)
    finally:
        client.close()
        if started:
            stop_ckan("bench_audit")


if __name__ == "__main__":
    main()
