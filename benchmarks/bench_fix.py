"""How long ``catalog-tools fix`` takes on a large messy workbook, against ``validate`` on the
same file in the same run (the floor: fix reads the file the same way, then writes the copy
with openpyxl and validates the copy).

    python benchmarks/bench_fix.py                 # 5,000 datasets, a quarter of the cells messy
    python benchmarks/bench_fix.py --count 20000

Prints seconds for validate, for fix (and its parts: plan, write, re-validate), the ratio
fix / validate, and changed cells per second. Nothing here asserts on time; it prints figures.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from openpyxl import Workbook  # noqa: E402

from catalog_tools.fixes import fix_file  # noqa: E402
from catalog_tools.fixes.plan import Planner  # noqa: E402
from catalog_tools.fixes.write import fix_workbook  # noqa: E402
from catalog_tools.loaders import iter_path  # noqa: E402
from catalog_tools.validate import validate_paths  # noqa: E402
from tests.fix_data import T2_ORDER  # noqa: E402
from tests.outputs_data import DATASET, T2_HEADER  # noqa: E402

MESSY = {"update_frequency_unit": ["รายเดือน", "Monthly", "เดือน"], "data_format": ["XLS;CSV", "CSV\nXLS", "XLS, CSV"],
         "maintainer_email": [" plan@tourism.go.th\u200b", "mailto:plan@tourism.go.th", "plan@tourism.go.th"],
         "update_frequency_interval": ["๑", "1"], "data_category": ["สาธารณะ", "ข้อมูลสาธารณะ"]}


def workbook(path: Path, n: int) -> None:
    rnd = random.Random(2566)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Template 2")
    ws.append(T2_HEADER)
    for i in range(n):
        row = dict(DATASET, id=f"DataSet_{i // 100:03d}_{i % 100:02d}", title=f"{DATASET['title']} ชุดที่ {i + 1}")
        for name, values in MESSY.items():
            if rnd.random() < 0.25:
                row[name] = rnd.choice(values)
        ws.append([row.get(name) for name in T2_ORDER])
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "messy.xlsx"
        workbook(src, args.count)
        t0 = time.perf_counter()
        validate_paths([str(src)])
        t_validate = time.perf_counter() - t0
        t0 = time.perf_counter()
        planner = Planner()
        planner.add_records(iter_path(src))
        t_plan = time.perf_counter() - t0
        t0 = time.perf_counter()
        wb, _ = fix_workbook(src, planner.groups)
        wb.save(Path(tmp) / "parts.xlsx")
        t_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = fix_file(src, Path(tmp) / "fixed.xlsx")
        t_fix = time.perf_counter() - t0
    cells = len({c.location for c in result.changes})
    print(f"datasets: {args.count:,}  changed cells: {cells:,}")
    print(f"validate (floor):   {t_validate:7.2f} s")
    print(f"fix, whole command: {t_fix:7.2f} s  = {t_fix / t_validate:.1f} × validate")
    print(f"  plan (read + propose + check): {t_plan:6.2f} s  = {t_plan / t_validate:.1f} × validate")
    print(f"  write the copy (openpyxl):     {t_write:6.2f} s  = {t_write / t_validate:.1f} × validate")
    print(f"changed cells per second (whole command): {cells / t_fix:,.0f}")


if __name__ == "__main__":
    main()
