"""``score`` against ``validate`` on the same workbook, at several sizes (issue 11, goal 3).

    python benchmarks/bench_score.py                       # 1,000 / 10,000 / 100,000 datasets
    python benchmarks/bench_score.py --sizes 8000 --repeat 5

Both commands run end to end in fresh processes (reading, validating, text output), interleaved,
``--repeat`` times; the medians and the ratio score / validate are printed for FY2565 and FY2566.
``score`` validates the same input first, so the ratio is the price of scoring and ranking the
fixes. Goal: ≤ 1.3× at every size, i.e. linear (the what-if ranking once copied the catalogue
per failing dataset: 8,000 datasets took 17 s against 7.7 s for validate). Nothing here asserts
on time; it prints figures.
"""
from __future__ import annotations

import argparse
import os
import sys

from _common import cli, compare

from bench_validate import generate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per command; the median is shown")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'datasets':>9}  {'command':<16} {'median':>9}  {'× validate':>10}  peak RSS")
    for n in args.sizes:
        path = str(generate(n))
        runs = compare({"validate": cli("validate", path), "score --fy 2565": cli("score", "--fy", "2565", path),
                        "score --fy 2566": cli("score", "--fy", "2566", path)}, args.repeat, warmup=n <= 10_000)
        base = runs["validate"].median
        for name, r in runs.items():
            print(f"{n:>9,}  {name:<16} {r.median:8.2f}s  {r.median / base:9.2f}×  {r.peak_mb:6.0f} MB"
                  f"   runs {', '.join(f'{s:.2f}' for s in r.seconds)}")


if __name__ == "__main__":
    main()
