"""A Template 2/3 workbook of กรมการท่องเที่ยว whose Template 3 rows point at the corpus files."""
from __future__ import annotations

from pathlib import Path

from scripts.make_fixtures import ds, opdc_workbook, res

from .corpus import CORPUS

DATASET = "DataSet_11_01"


def write_workbook(path: Path, base: str, names: list[str] | None = None, extra: list[dict] | None = None) -> Path:
    """Template 3 row per corpus file, URL = ``base + name`` (``""`` for files next to the workbook)."""
    names = names if names is not None else list(CORPUS)
    resources = [res(DATASET, f"ข้อมูลนักท่องเที่ยว ({name})", CORPUS[name][1] if name in CORPUS else "XLSX", base + name)
                 for name in names]
    opdc_workbook(path, [ds(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")], resources + list(extra or []))
    return path
