"""Start-up: ``catalog-tools validate`` on the 6-dataset worked example against ``import click``.

    python benchmarks/bench_startup.py            # 15 runs each, interleaved
    python benchmarks/bench_startup.py --repeat 30

A small input is all start-up: interpreter, imports, one workbook. Goal (issue 11, goal 4):
≤ 4× the time of ``python -c "import click"`` measured in the same run. It also prints the
imports that cost most (``python -X importtime``, cumulative µs) so a regression names itself.
Nothing here asserts on time; it prints figures.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from _common import ENV, ROOT, cli, compare

EXAMPLE = ROOT / "fixtures" / "examples" / "opdc-worked-example.xlsx"


def top_imports(cmd: list[str], n: int = 12) -> list[tuple[int, str]]:
    env = dict(ENV, PYTHONPROFILEIMPORTTIME="1")
    err = subprocess.run(cmd, capture_output=True, text=True, env=env).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            _self_us, cum_us, name = (p.strip() for p in line[len("import time:"):].split("|", 2))
            if cum_us.isdigit():
                rows.append((int(cum_us), name))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    cmds = {"python -c 'import click'": [sys.executable, "-c", "import click"],
            "python -c pass": [sys.executable, "-c", "pass"],
            "catalog-tools --version": cli("--version"),
            "catalog-tools validate (6 datasets)": cli("validate", str(EXAMPLE))}
    runs = compare(cmds, args.repeat)
    floor = runs["python -c 'import click'"].median
    for name, r in runs.items():
        print(f"  {name:<38} {r.median * 1000:7.0f} ms  {r.median / floor:5.2f}× import click   peak RSS {r.peak_mb:4.0f} MB")
    print("\nslowest imports of `catalog-tools validate` (cumulative ms):")
    for us, name in top_imports(cli("validate", str(EXAMPLE))):
        print(f"  {us / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
