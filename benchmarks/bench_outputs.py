"""``validate`` in every output format against the floor, at several sizes (issue 11, goals 1-2).

    python benchmarks/bench_outputs.py                          # 10,000 and 100,000 datasets
    python benchmarks/bench_outputs.py --sizes 1000000 --repeat 1   # the 1M figure (opt-in: minutes, GBs)
    python benchmarks/bench_outputs.py --sizes 1000 10000 100000 1000000 --formats text json csv html
                                                                # linearity 1k → 1M (1M run once: --repeat-large)
    python benchmarks/bench_outputs.py --sizes 10000 --old-xlsx     # also the openpyxl writer, for comparison

Floor, measured in the same run: python-calamine reading the sheet plus a fastjsonschema-compiled
check of each row (the dataset schema without its if/then rules) — ``_common.FLOOR``. Each
command runs end to end in a fresh process (``--format text|json|csv|html`` to /dev/null,
``xlsx`` to a file), the commands interleaved, ``--repeat`` times; medians, × floor, peak RSS.
Goals: 100k text ≤ 1.5×, JSON/CSV ≤ 2×, HTML ≤ 2.5× and ≤ 450 MB; the annotated workbook
≤ 8× and ≤ 1 GB; linear from 1k to 1M. Nothing here asserts on time; it prints figures.

``validate`` runs as a user runs it: with its default ``--jobs`` (two processes where two CPUs
are usable). ``--one-process`` adds each format with ``--jobs 1``. The CPU column is user +
system seconds of the command and its helper: what the run cost the machine, next to the wall
time it took (the floor is one process: its CPU is its wall time).
"""
from __future__ import annotations

import argparse
import os
import sys

from _common import OUT, cli, compare, floor_cmd

from bench_validate import generate

GOALS = {"text": 1.5, "json": 2.0, "csv": 2.0, "html": 2.5, "xlsx": 8.0}

_OLD_XLSX = r"""
import sys
from pathlib import Path
from catalog_tools.render.xlsx import annotate
from catalog_tools.validate import validate_paths
report = validate_paths([sys.argv[1]])
annotate(report, Path(sys.argv[2]), [sys.argv[1]], stream=False)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per command; the median is shown")
    ap.add_argument("--repeat-large", type=int, default=1,
                    help="runs per command at 500,000 datasets and more (a run of 1,000,000 takes minutes and GBs)")
    ap.add_argument("--formats", nargs="+", default=["text", "json", "csv", "html", "xlsx"])
    ap.add_argument("--old-xlsx", action="store_true", help="also time the openpyxl writer (slow at 100k: ~2 min, 2 GB)")
    ap.add_argument("--one-process", action="store_true", help="also run each format with --jobs 1")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    per_dataset: dict[str, list[tuple[int, float]]] = {}
    for n in args.sizes:
        path = generate(n)
        cmds = {"floor (calamine + compiled check)": floor_cmd(path)}
        for fmt in args.formats:
            if fmt == "xlsx":
                cmds["validate --format xlsx -o"] = cli("validate", str(path), "--format", "xlsx", "-o",
                                                       str(OUT / f"annotated-{n}.xlsx"))
            else:
                cmds[f"validate --format {fmt}"] = cli("validate", str(path), "--format", fmt)
                if args.one_process:
                    cmds[f"validate --format {fmt} --jobs 1"] = cli("validate", str(path), "--format", fmt, "--jobs", "1")
        if args.old_xlsx:
            cmds["xlsx, openpyxl writer (before)"] = [sys.executable, "-c", _OLD_XLSX, str(path), str(OUT / f"old-{n}.xlsx")]
        runs = compare(cmds, args.repeat if n < 500_000 else args.repeat_large, warmup=n <= 10_000)
        floor = runs["floor (calamine + compiled check)"].median
        print(f"\n{n:,} datasets ({path.stat().st_size / 2**20:.1f} MiB xlsx)")
        for name, r in runs.items():
            fmt = name.split("--format ")[-1].split()[0] if "--format" in name else None
            goal = f"  goal ≤ {GOALS[fmt]}×" if fmt in GOALS else ""
            print(f"  {name:<36} {r.median:7.2f} s  {r.median / floor:5.2f}× floor  CPU {r.cpu_median:6.2f} s"
                  f"  peak RSS {r.peak_mb:6.0f} MB  (runs {', '.join(f'{s:.1f}' for s in r.seconds)}){goal}")
            per_dataset.setdefault(name.split(" (")[0], []).append((n, r.median, r.peak_mb))
    if len(args.sizes) > 1:
        print("\nlinearity: µs per dataset at each size (peak RSS per 1,000 datasets in MB); the last column is the"
              " largest size's cost per dataset over the 100,000 one's (or the smallest's)")
        for name, pts in per_dataset.items():
            base = next((p for p in pts if p[0] == 100_000), pts[0])
            last = pts[-1]
            print(f"  {name:<36} " + "  ".join(f"{n:>9,}: {s / n * 1e6:6.1f} ({mb / n * 1000:5.2f})" for n, s, mb in pts)
                  + f"   {last[1] / last[0] / (base[1] / base[0]):4.2f}×")


if __name__ == "__main__":
    main()
