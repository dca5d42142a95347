"""Publish and audit 1,000 datasets against a local CKAN 2.11; where the time goes.

    python benchmarks/bench_ckan.py               # 1,000 datasets, each with one resource
    python benchmarks/bench_ckan.py --count 200 --workers 4 --repeat 3
    python benchmarks/bench_ckan.py --count 200 --web-workers 0 4   # both servers, side by side
    python benchmarks/bench_ckan.py --count 200 --network 30:50   # also through a modelled network

Uses the CKAN at ``CKAN_TEST_URL`` (token from ``CKAN_TEST_TOKEN_FILE``/``CKAN_TEST_TOKEN``)
or starts one with ``scripts/ckan-test-server.sh`` (instance ``bench``, scheming schema
generated from our schemas) and stops it afterwards. It prints, for publish (create), a
second identical publish (all unchanged) and audit: seconds, datasets/s, and the split
between time inside HTTP calls to CKAN and everything else (validation, mapping, planning,
scoring — ours). Datasets go to a new organization, so runs do not disturb each other.

The floor, measured in the same run against the same server: publishing one dataset at a time
with a ``package_show`` per dataset (``--workers 1``, no batch look-up — how publish worked
before workers). Then the same with ``--workers N`` and batch look-ups on a second set of
datasets, and the ratios (goals: creates ≥ 2.5× with 4 workers, unchanged reruns ≥ 5×).

Which server serves CKAN matters on loopback: ``--web-workers 0`` is the test suite's
server, one ``ckan run`` process (Werkzeug, threaded, so CKAN's Python runs one request at a
time under the GIL); ``--web-workers N`` serves CKAN with gunicorn and N processes, as a
production CKAN is served. Several values measure each server in turn, restarted fresh and
alternated round by round (``--repeat``); the summary gives each server's medians. Each round
also prints the CPU seconds each part used (CKAN's processes, the Solr stand-in, PostgreSQL's
backends for this database, Redis, this process) — on a 2-core machine the sum against
2 × wall time shows whether the machine, not waiting, bounds the gain. A portal over a
network mostly makes each request wait — ``--network`` repeats both rounds through a modelled
network (``_netem.py``) to show that case. Nothing here asserts on time; it prints figures.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
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


PORTS = (5061, 8991, 6391)


def start_server(web_workers: int, ports: tuple[int, int, int]) -> tuple[str, str, bool]:
    if os.environ.get("CKAN_TEST_URL"):
        return local_ckan("bench", ports=ports)
    from catalog_tools.ckan.scheming import write_scheming_schema
    schema = write_scheming_schema(Path(tempfile.mkdtemp()) / "schema.yaml")
    return local_ckan("bench", ports=ports, scheming_schema=schema, web_workers=web_workers)


def server_label(web_workers: int) -> str:
    if os.environ.get("CKAN_TEST_URL"):
        return f"external CKAN at {os.environ['CKAN_TEST_URL']}"
    if web_workers:
        return f"gunicorn, {web_workers} CKAN processes"
    return "ckan run, one CKAN process (Werkzeug, threaded)"


class CpuMeter:
    """CPU seconds used by the parts of the local test server and by this process.

    Read from /proc (utime + stime of live processes): CKAN's web processes (the session its
    pid file names — gunicorn's master and workers), the Solr stand-in, Redis, PostgreSQL's
    backends connected to this instance's database, and this process. Only for an instance
    this script started (an external CKAN's processes are not ours to look at).
    """

    def __init__(self, state: Path | None) -> None:
        self.state = state
        self.tick = os.sysconf("SC_CLK_TCK")
        self.db = ""
        if state and (state / "config.env").exists():
            for line in (state / "config.env").read_text().splitlines():
                if line.startswith("CFG_DB="):
                    self.db = line.split("=", 1)[1].strip("'\"")

    def _pid(self, name: str) -> int:
        assert self.state is not None
        try:
            return int((self.state / name).read_text().strip())
        except (OSError, ValueError):
            return -1

    def sample(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        out = {"CKAN": 0.0, "Solr stand-in": 0.0, "PostgreSQL": 0.0, "Redis": 0.0,
               "ours": own.ru_utime + own.ru_stime}
        with open("/proc/stat", encoding="ascii") as f:  # the whole machine: user nice system … steal
            ticks = [int(x) for x in f.readline().split()[1:9]]
        out["machine"] = (sum(ticks) - ticks[3] - ticks[4]) / self.tick  # all but idle and iowait
        if self.state is None:
            return out
        ckan, solr, redis = self._pid("ckan.pid"), self._pid("solr.pid"), self._pid("redis.pid")
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                pid = int(entry.name)
                session, cpu = int(fields[3]), (int(fields[11]) + int(fields[12])) / self.tick
                if session == ckan or pid == ckan:
                    out["CKAN"] += cpu
                elif pid == solr:
                    out["Solr stand-in"] += cpu
                elif pid == redis:
                    out["Redis"] += cpu
                elif self.db:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                        if self.db.encode() in f.read() and fields[0] != b"Z":
                            out["PostgreSQL"] += cpu
            except (OSError, ValueError, IndexError):
                continue  # ended while we looked
        return out


def state_dir() -> Path | None:
    if os.environ.get("CKAN_TEST_URL"):
        return None
    home = os.environ.get("CKAN_TEST_HOME") or str(Path.home() / ".cache" / "catalog-tools-ckan")
    return Path(home) / "run" / "bench"


class _Timed:
    """A result with the seconds it took (for results whose class has no room for them)."""

    def __init__(self, result, seconds: float) -> None:
        self._result, self.seconds = result, seconds

    def __getattr__(self, name: str):
        return getattr(self._result, name)


def timed(label: str, n: int, client: RemoteClient, fn, meter: CpuMeter | None = None):
    """Run ``fn``, print its time (and with ``meter`` the CPU each part used); the result gets
    ``seconds`` and ``cpu`` ({part: CPU seconds} of the server's parts and this process, or None)."""
    client.stats.__init__()  # type: ignore[misc]
    before = meter.sample() if meter else None
    t0 = time.perf_counter()
    result = fn()
    total = time.perf_counter() - t0
    try:
        result.seconds = total
    except AttributeError:  # slotted results: keep the time beside them
        result = _Timed(result, total)
    result.cpu = None
    http = client.stats.http_seconds
    if http <= total:
        split = (f"CKAN (HTTP) {http:6.2f} s = {100 * http / total:4.1f} %  ours {total - http:6.2f} s = "
                 f"{100 * (total - http) / total:4.1f} %")
    else:  # several workers wait for CKAN at once: the HTTP time is summed over them
        split = f"CKAN (HTTP, summed over workers) {http:6.2f} s"
    print(f"{label:<30} {n:>5} datasets  {total:7.2f} s  {n / total:7.1f} datasets/s  {split}  calls {client.stats.calls}")
    if meter and before:
        after = meter.sample()
        used = {k: after[k] - before[k] for k in after}
        machine = used.pop("machine")
        result.cpu = used
        parts = "  ".join(f"{k} {v:5.2f}" for k, v in used.items())
        print(f"{'':<32}CPU s: {parts}  sum {sum(used.values()):5.2f}; whole machine {machine:5.2f} "
              f"of {os.cpu_count()} cores x {total:.2f} s wall = {os.cpu_count() * total:.2f}")
    return result


@dataclass
class Figures:
    """Seconds of each publish of one server, one list entry per round."""
    floor_create: list[float] = field(default_factory=list)
    create: list[float] = field(default_factory=list)
    floor_rerun: list[float] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)
    idle_ratio: list[float] = field(default_factory=list)  #: create ratio on an otherwise idle machine (from CPU)


def least_seconds(cpu: dict[str, float], web_workers: int) -> float:
    """The least wall time work that used ``cpu`` needs with every core to itself: all of it spread
    over the cores, but a single process holding the GIL (the stand-in, Redis, this process —
    and CKAN under ``ckan run``) never gets more than one core."""
    single = {"Solr stand-in", "Redis", "ours"} | (set() if web_workers else {"CKAN"})
    return max(sum(cpu.values()) / (os.cpu_count() or 1), *(v for k, v in cpu.items() if k in single))


def publish_round(url: str, token: str, org: str, count: int, workers: int, where: str,
                  meter: CpuMeter | None = None, figures: Figures | None = None, web_workers: int = 0) -> None:
    """The floor (1 worker, a package_show each) and N workers with batch look-ups, on new datasets."""
    client = RemoteClient(url, token, timeout=60)
    try:
        tag = uuid.uuid4().hex[:6]
        report = validate_records(records(count, tag))
        floor_opts = PublishOptions(org=org, fields="top-level", workers=1, batch_lookup=False)
        first = timed(f"publish (create) 1w {where}", count, client, lambda: publish_report(report, client, floor_opts),
                      meter)
        assert len(first.to_dict()["created"]) == count, first.to_dict()["failed"][:3]
        again = timed(f"publish (unchanged) 1w {where}", count, client,
                      lambda: publish_report(report, client, floor_opts))
        assert len(again.to_dict()["unchanged"]) == count
        floor_create, floor_rerun = first.seconds, again.seconds  # type: ignore[attr-defined]

        report2 = validate_records(records(count, tag + "w"))
        opts = PublishOptions(org=org, fields="top-level", workers=workers, batch_lookup=True)
        label = f"{workers}w+batch {where}"
        made = timed(f"publish (create) {label}", count, client, lambda: publish_report(report2, client, opts), meter)
        assert len(made.to_dict()["created"]) == count, made.to_dict()["failed"][:3]
        rerun = timed(f"publish (unchanged) {label}", count, client, lambda: publish_report(report2, client, opts))
        assert len(rerun.to_dict()["unchanged"]) == count
        print(f"ratio create   {workers} workers vs 1 {where}: {floor_create / made.seconds:5.2f}x  (goal >= 2.5x)")  # type: ignore[attr-defined]
        print(f"ratio rerun    {workers} workers + batch look-ups vs 1 + package_show each {where}: "
              f"{floor_rerun / rerun.seconds:5.2f}x  (goal >= 5x)")  # type: ignore[attr-defined]
        # One worker is a chain — client, CKAN, PostgreSQL, stand-in, one after the other — so on an idle
        # machine it takes about the CPU it uses; N workers take at least least_seconds of theirs.
        idle = sum(first.cpu.values()) / least_seconds(made.cpu, web_workers) if made.cpu else None  # type: ignore[attr-defined]
        if idle:
            print(f"idle machine   {workers} workers vs 1 {where}: {idle:5.2f}x  (from CPU: the floor's CPU seconds over the "
                  f"least time the {workers}-worker round's CPU needs on {os.cpu_count()} otherwise idle cores)")
        if figures is not None:
            if idle:
                figures.idle_ratio.append(idle)
            figures.floor_create.append(floor_create)
            figures.create.append(made.seconds)  # type: ignore[attr-defined]
            figures.floor_rerun.append(floor_rerun)
            figures.rerun.append(rerun.seconds)  # type: ignore[attr-defined]
    finally:
        client.close()


def summary(count: int, workers: int, results: dict[int, Figures]) -> None:
    """Each server's medians over the rounds, the ratios of the medians and the range of the ratios."""
    print(f"\nsummary, loopback, {count} datasets per publish, medians of each server's rounds:")
    print(f"{'server':<50} {'create 1w':>10} {f'create {workers}w':>10} {'ratio':>6} {'(range)':>13} {'idle':>8}  "
          f"{'rerun 1w':>9} {f'rerun {workers}w':>9} {'ratio':>6}")
    for web, f in results.items():
        if not f.create:
            continue
        med = statistics.median
        ratios = [a / b for a, b in zip(f.floor_create, f.create)]
        ceiling = f"{med(f.idle_ratio):7.2f}x" if f.idle_ratio else f"{'-':>8}"
        print(f"{server_label(web):<50} {count / med(f.floor_create):8.1f}/s {count / med(f.create):8.1f}/s "
              f"{med(f.floor_create) / med(f.create):5.2f}x {min(ratios):5.2f}-{max(ratios):4.2f}x {ceiling}  "
              f"{count / med(f.floor_rerun):7.0f}/s {count / med(f.rerun):7.0f}/s "
              f"{med(f.floor_rerun) / med(f.rerun):5.1f}x")
    today = results.get(0)
    for web, f in results.items():  # today's publish on today's test server, against N workers on gunicorn
        if web and today and today.floor_create and f.create:
            print(f"create, {workers} workers on {server_label(web)} vs 1 worker on one `ckan run` process "
                  f"(the servers differ): {statistics.median(today.floor_create) / statistics.median(f.create):5.2f}x")
    print("goals: create >= 2.5x with 4 workers, unchanged rerun >= 5x (each against its own server's floor)")
    print("idle: the create ratio an otherwise idle machine would give, from the CPU each round used (the floor's "
          "CPU seconds over the least time the workers' CPU needs on all cores; one core at most for a single "
          "process: the stand-in, this process, CKAN under `ckan run`)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--web-workers", type=int, nargs="+", default=[0, 4], metavar="N",
                    help="CKAN's web server for a CKAN this script starts: 0 = one `ckan run` process (the test "
                         "suite's), N = gunicorn with N processes (as production serves CKAN); several values "
                         "measure each in turn (default: 0 4)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds per server, alternating servers (medians printed)")
    ap.add_argument("--ports", default=",".join(map(str, PORTS)), metavar="CKAN,SOLR,REDIS",
                    help="ports of the instance this script starts (default %(default)s)")
    ap.add_argument("--network", nargs="*", default=[], metavar="RTT_MS:MBIT",
                    help="also publish through a modelled network (e.g. 30:50 = 30 ms round trip, 50 Mbit/s)")
    args = ap.parse_args()
    ports = tuple(int(p) for p in args.ports.split(","))
    assert len(ports) == 3, "--ports needs three ports: CKAN,SOLR,REDIS"
    servers = [0] if os.environ.get("CKAN_TEST_URL") else list(dict.fromkeys(args.web_workers))
    results = {web: Figures() for web in servers}
    started = False
    try:
        for rnd in range(args.repeat):
            for web in servers:
                url, token, started = start_server(web, ports)  # type: ignore[arg-type]
                print(f"\n== round {rnd + 1}/{args.repeat}  server: {server_label(web)}  {url}  "
                      f"(load average {os.getloadavg()[0]:.2f})")
                meter = CpuMeter(state_dir())
                client = RemoteClient(url, token, timeout=60)
                try:
                    tag = uuid.uuid4().hex[:6]
                    org = client.call_action("organization_create",
                                             {"name": f"bench-{tag}", "title": f"สำนักงานทดสอบ {tag}"})["name"]
                    t0 = time.perf_counter()
                    validate_records(records(args.count, tag))
                    print(f"validate               {args.count:>5} datasets  {time.perf_counter() - t0:7.2f} s (in memory)")
                    publish_round(url, token, org, args.count, args.workers, "(loopback)", meter, results[web], web)
                    for spec in args.network:
                        rtt, mbit = (float(x) for x in spec.split(":"))
                        with modelled_network(url, rtt_ms=rtt, mbit=mbit) as far:
                            publish_round(far, token, org, args.count, args.workers,
                                          f"(modelled {rtt:g} ms, {mbit:g} Mbit/s)")
                    if rnd == args.repeat - 1:
                        published = 2 * args.count * (1 + len(args.network))
                        audit = timed("audit (crawl+validate+score)", published, client,
                                      lambda: audit_catalog(client, AuditOptions(org=org, page_size=100, fy=2566)))
                        assert len(audit.report.datasets) == published
                finally:
                    client.close()
        summary(args.count, args.workers, results)
    finally:
        if started:
            stop_ckan("bench")


if __name__ == "__main__":
    main()
