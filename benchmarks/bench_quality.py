"""Content quality over many resources from a local server: wall time, MB/s, requests per
resource and peak memory, next to a floor measured in the same run.

    python benchmarks/bench_quality.py                 # 1,000 resources, sizes 2 KB … 10 MB
    python benchmarks/bench_quality.py --resources 200 # fewer

A server on 127.0.0.1 serves 1,000 CSV files of Thai tourism statistics (deterministic sizes:
most small, a few up to 10 MB, some with duplicate rows, placeholders and text in number
columns). Three runs, each in a fresh child process so peak RSS is its own:
- floor: the same URLs downloaded with the project's HTTP helper at the same concurrency, bytes
  counted and dropped — what any content check must at least spend;
- quality: ``measure_report`` (fetch, sniff, every row, metrics, frictionless) with an empty cache;
- rerun: the same with the cache the first run filled (goal: no request at all).
Goal (issue): 1 GET per resource, at most one extra HEAD. Nothing asserts on time.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "นครราชสีมา", "อุดรธานี", "ชลบุรี", "น่าน", "กระบี่"]
HEADER = "จังหวัด,ปี,เดือน,จำนวนนักท่องเที่ยวชาวไทย,จำนวนนักท่องเที่ยวชาวต่างชาติ,รายได้ (ล้านบาท)\r\n"


def sizes(n: int, seed: int = 2566) -> list[int]:
    """Deterministic sizes: 90 % 2-100 KB, 9 % 100 KB-2 MB, 1 % 2-10 MB (the largest exactly 10 MB)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        p = rnd.random()
        if p < 0.90:
            out.append(rnd.randint(2_000, 100_000))
        elif p < 0.99:
            out.append(rnd.randint(100_000, 2_000_000))
        else:
            out.append(rnd.randint(2_000_000, 10 * 2**20))
    out[-1] = 10 * 2**20
    return out


def csv_body(size: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    parts, total, i = [HEADER.encode()], len(HEADER.encode()), 0
    while total < size:
        i += 1
        prov = rnd.choice(PROVINCES)
        thai = "-" if i % 97 == 0 else str(rnd.randint(100, 90000))
        foreign = "ไม่ทราบ" if i % 211 == 0 else str(rnd.randint(0, 50000))
        line = f"{prov},{2560 + i % 7},{1 + i % 12},{thai},{foreign},{rnd.randint(1, 99999)}.{rnd.randint(0, 99)}\r\n"
        if i % 500 == 0:
            line = line * 2  # a duplicate row
        b = line.encode()
        parts.append(b)
        total += len(b)
    return b"".join(parts)[:size].rsplit(b"\r\n", 1)[0] + b"\r\n"


def serve(n: int) -> tuple[ThreadingHTTPServer, list[str], int, dict[str, int]]:
    bodies: dict[int, bytes] = {}
    table = sizes(n)
    counts = {"HEAD": 0, "GET": 0}
    lock = threading.Lock()

    def body_for(i: int) -> bytes:
        b = bodies.get(i)
        if b is None:
            b = bodies[i] = csv_body(table[i], i)
        return b

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self, head: bool = False) -> None:
            with lock:
                counts[self.command] += 1
            i = int(self.path.rsplit("/", 1)[-1].split("-")[1].split(".")[0])
            body = body_for(i)
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", f'"v1-{i}"')
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

    for i in range(n):
        body_for(i)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    urls = [f"{base}/data/visitors-{i}.csv" for i in range(n)]
    return httpd, urls, sum(len(b) for b in bodies.values()), counts


def child(mode: str, urls: list[str], cache: str, concurrency: int) -> dict[str, float]:
    """Run one mode in this (child) process and return its figures."""
    start = time.perf_counter()
    if mode == "floor":
        from concurrent.futures import ThreadPoolExecutor

        from catalog_tools.http import Http, Limits

        http = Http(limits=Limits(deadline=120, max_bytes=32 * 2**20))

        def get(u: str) -> int:
            total = 0
            with http.stream(u) as st:
                for chunk in st.iter_bytes():
                    total += len(chunk)
            return total

        with ThreadPoolExecutor(concurrency) as pool:
            got = sum(pool.map(get, urls))
        http.close()
        resources, requests = len(urls), {"GET": len(urls), "HEAD": 0}
    else:
        from catalog_tools.model import DatasetResult, Report, ResourceResult, Source
        from catalog_tools.quality.fetch import FetchOptions
        from catalog_tools.quality.run import measure_report

        src = Source("bench")
        report = Report(datasets=[DatasetResult(
            id=f"DataSet_11_{i:04d}", title=f"นักท่องเที่ยว {i}", source=src, complete=True, items_complete=14,
            items_present=14, resources=[ResourceResult(name=u.rsplit("/", 1)[-1], url=u, source=src, values={"format": "CSV"}, ckan={})])
            for i, u in enumerate(urls)])
        q = measure_report(report, fetch=FetchOptions(concurrency=concurrency, per_host=concurrency,
                                                      cache_dir=Path(cache), deadline=120)).quality
        requests = q["fetch"]["requests"]
        got = sum(r.quality["size"] or 0 for d in report.datasets for r in d.resources if r.quality)
        resources = q["resources"]
    wall = time.perf_counter() - start
    return {"wall": wall, "bytes": got, "resources": resources, "get": requests.get("GET", 0),
            "head": requests.get("HEAD", 0), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resources", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(Path(args.child).read_text())
        print(json.dumps(child(spec["mode"], spec["urls"], spec["cache"], spec["concurrency"])))
        return
    httpd, urls, total, counts = serve(args.resources)
    print(f"{len(urls)} resources, {total / 2**20:.1f} MB of CSV (largest {max(sizes(args.resources)) / 2**20:.1f} MB), "
          f"concurrency {args.concurrency}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("floor", "quality", "rerun"):
            spec = Path(tmp) / f"{mode}.json"
            spec.write_text(json.dumps({"mode": mode, "urls": urls, "cache": str(Path(tmp) / "cache"),
                                        "concurrency": args.concurrency}))
            before = dict(counts)
            out = subprocess.run([sys.executable, __file__, "--child", str(spec)], capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"{mode} run failed:\n{out.stderr[-3000:]}")
            r = json.loads(out.stdout.strip().splitlines()[-1])
            r["served_get"] = counts["GET"] - before["GET"]
            r["served_head"] = counts["HEAD"] - before["HEAD"]
            results[mode] = r
            mbs = r["bytes"] / 2**20 / r["wall"] if r["wall"] else 0.0
            print(f"{mode:8s} wall {r['wall']:7.2f} s   {mbs:7.1f} MB/s   "
                  f"requests/resource GET {r['served_get'] / len(urls):.2f} HEAD {r['served_head'] / len(urls):.2f}   "
                  f"peak RSS {r['rss_mb']:.0f} MB")
    httpd.shutdown()
    floor, q = results["floor"], results["quality"]
    print(f"quality / floor: {q['wall'] / floor['wall']:.1f}x the time of plain downloading "
          f"({total / 2**20 / q['wall']:.1f} vs {total / 2**20 / floor['wall']:.1f} MB/s); "
          f"rerun from cache: {results['rerun']['served_get']} GET, {results['rerun']['wall']:.2f} s")


if __name__ == "__main__":
    main()
