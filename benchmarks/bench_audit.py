"""``audit`` of a large catalog on the local CKAN: our own time against the wall time (issue 11, goal 6).

    python benchmarks/bench_audit.py --count 10000            # creates what is missing, then audits
    python benchmarks/bench_audit.py --count 1000 --repeat 3

Opt-in: creating 10,000 datasets through the API takes minutes (publish --workers 4), so the
datasets go to one organization named after the count (``bench-audit-<count>``) and are created
only when it holds fewer; later runs audit at once. Uses the CKAN at ``CKAN_TEST_URL`` (token
from ``CKAN_TEST_TOKEN_FILE``/``CKAN_TEST_TOKEN``) or starts one with scripts/ckan-test-server.sh
on ``CKAN_TEST_PORT``/``CKAN_TEST_SOLR_PORT``/``CKAN_TEST_REDIS_PORT`` (instance ``bench-audit``).
The floor is the wall time itself: the share of it spent in HTTP calls to CKAN, against the rest
(crawling logic, validation, scoring — ours). Goal: ours ≤ 10 % of the wall time. Nothing here
asserts on time; it prints figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ckan import ROOT, records

from catalog_tools.ckan.audit import AuditOptions, audit_catalog
from catalog_tools.ckan.client import CkanError, RemoteClient
from catalog_tools.ckan.publish import PublishOptions, publish_report
from catalog_tools.validate import validate_records


def start_server() -> tuple[str, str, bool]:
    url = os.environ.get("CKAN_TEST_URL")
    if url:
        tf = os.environ.get("CKAN_TEST_TOKEN_FILE")
        token = Path(tf).read_text().strip() if tf else os.environ.get("CKAN_TEST_TOKEN", "")
        return url, token, False
    from catalog_tools.ckan.scheming import write_scheming_schema
    schema = write_scheming_schema(Path(tempfile.mkdtemp()) / "schema.yaml")
    ports = [os.environ.get(k, d) for k, d in (("CKAN_TEST_PORT", "5062"), ("CKAN_TEST_SOLR_PORT", "8992"),
                                                ("CKAN_TEST_REDIS_PORT", "6392"))]
    out = subprocess.run(["bash", str(ROOT / "scripts" / "ckan-test-server.sh"), "start", "--name", "bench-audit",
                          "--scheming", str(schema), "--port", ports[0], "--solr-port", ports[1], "--redis-port", ports[2]],
                         capture_output=True, text=True, check=True).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return env["CKAN_TEST_URL"], Path(env["CKAN_TEST_TOKEN_FILE"]).read_text().strip(), True


def ensure_datasets(client: RemoteClient, count: int, workers: int) -> str:
    org = f"bench-audit-{count}"
    try:
        have = client.call_action("organization_show", {"id": org, "include_datasets": False}).get("package_count", 0)
    except CkanError:
        client.call_action("organization_create", {"name": org, "title": f"สำนักงานทดสอบการตรวจ {count:,} ชุด"})
        have = 0
    if have < count:
        t0 = time.perf_counter()
        report = validate_records(records(count, f"a{count}"))
        result = publish_report(report, client, PublishOptions(org=org, fields="top-level", workers=workers, batch_lookup=True))
        done = result.to_dict()
        print(f"created {len(done['created'])}, unchanged {len(done['unchanged'])}, failed {len(done['failed'])} "
              f"in {time.perf_counter() - t0:.0f} s")
    return org


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4, help="publish workers used to create the datasets")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    url, token, started = start_server()
    client = RemoteClient(url, token, timeout=120)
    try:
        org = ensure_datasets(client, args.count, args.workers)
        walls, ours = [], []
        for _ in range(args.repeat):
            client.stats.__init__()  # type: ignore[misc]
            t0 = time.perf_counter()
            audit = audit_catalog(client, AuditOptions(org=org, page_size=1000, fy=2566))
            wall = time.perf_counter() - t0
            http = client.stats.http_seconds
            walls.append(wall)
            ours.append(wall - http)
            print(f"  audit {len(audit.datasets):,} datasets: wall {wall:6.2f} s, CKAN (HTTP) {http:6.2f} s, "
                  f"ours {wall - http:6.2f} s = {100 * (wall - http) / wall:4.1f} %  ({client.stats.calls} calls)")
        wall, own = statistics.median(walls), statistics.median(ours)
        print(f"median: wall {wall:.2f} s, ours {own:.2f} s = {100 * own / wall:.1f} % of wall (goal ≤ 10 %)")
    finally:
        client.close()
        if started:
            subprocess.run(["bash", str(ROOT / "scripts" / "ckan-test-server.sh"), "stop", "--name", "bench-audit"],
                           capture_output=True, text=True)


if __name__ == "__main__":
    main()
