"""Resources are checked as they arrive when their dataset came first (an audit validates a page
while the next is fetched) — the report must be exactly the one of checking them all at the end.

The report of the old way depends only on the order of the datasets and the order of the
resources, never on how the two streams interleave. So every interleaving of the same records
must give the same document: resources first (all left for the end, the old way exactly),
datasets first, each resource right after its dataset, and random mixes.
"""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from catalog_tools.loaders import iter_path
from catalog_tools.model import RawRecord
from catalog_tools.validate import validate_records


def _records(path: Path) -> tuple[list, list[RawRecord], list[RawRecord]]:
    notes, datasets, resources = [], [], []
    for item in iter_path(str(path)):
        if not isinstance(item, RawRecord):
            notes.append(item)
        elif item.kind == "dataset":
            datasets.append(item)
        else:
            resources.append(item)
    return notes, datasets, resources


def _hostile(datasets: list[RawRecord], resources: list[RawRecord]) -> tuple[list[RawRecord], list[RawRecord]]:
    """Ids in another case or with spaces, a resource of no dataset, an id given twice, and a later
    dataset whose id differs from an earlier one only in case (an exact match must win over a folded one)."""
    datasets, resources = list(datasets), list(resources)
    first = resources[0]
    first_id = str(first.values["dataset_id"])

    def resource(target: str, name: str) -> RawRecord:
        r = copy.deepcopy(first)
        r.values["dataset_id"], r.values["name"] = target, name
        return r

    folded = resource(f"  {first_id.upper()} ", "ไฟล์ที่อ้างรหัสตัวพิมพ์ใหญ่")
    same = resource(first_id, "ไฟล์ที่สองของชุดเดียวกัน")
    orphan = resource("TAT_ไม่มีชุดนี้_99", "ไฟล์ที่ไม่มีชุดข้อมูล")
    owner = next(d for d in datasets if str(d.values.get("id")) == first_id)
    cased = copy.deepcopy(owner)
    cased.values["id"] = first_id.swapcase()
    cased.values["title"] = f"{owner.values.get('title')} (รหัสตัวพิมพ์ต่าง)"
    to_cased = resource(first_id.swapcase(), "ไฟล์ของชุดที่รหัสต่างตัวพิมพ์")
    twin = copy.deepcopy(datasets[-1])
    twin.values["title"] = f"{twin.values.get('title')} (ซ้ำ)"
    late = copy.deepcopy(resources[-1])
    return (datasets[:1] + [cased] + datasets[1:] + [twin],
            [first, folded, to_cased, same, orphan] + resources[1:] + [late])


def _run(notes: list, order: list[RawRecord]) -> str:
    return json.dumps(validate_records(notes + order, inputs=["ตัวอย่าง.xlsx"]).to_dict(), ensure_ascii=False, default=str)


def _interleavings(datasets: list[RawRecord], resources: list[RawRecord]) -> dict[str, list[RawRecord]]:
    out = {"resources first": resources + datasets, "datasets first": datasets + resources}
    # each resource as soon as its dataset is out (datasets emitted up to it); both orders kept
    after: list[RawRecord] = []
    ds_left = list(datasets)
    for r in resources:
        target = str(r.values.get("dataset_id"))
        if any(str(d.values.get("id")) == target for d in ds_left):
            while ds_left:
                d = ds_left.pop(0)
                after.append(d)
                if str(d.values.get("id")) == target:
                    break
        after.append(r)
    out["each after its dataset"] = after + ds_left
    for seed in (1, 2, 3):
        rnd = random.Random(seed)
        ds, rs, mixed = list(datasets), list(resources), []
        while ds or rs:
            take = ds if (ds and (not rs or rnd.random() < 0.5)) else rs
            mixed.append(take.pop(0))
        out[f"random mix {seed}"] = mixed
    return out


@pytest.mark.parametrize("name", ["tourism-template2-3.xlsx", "tourism-messy.xlsx", "ckan-package-search.json",
                                  "tourism-template1-2-3.xlsx"])
@pytest.mark.parametrize("hostile", [False, True])
def test_every_interleaving_gives_the_report_of_checking_resources_at_the_end(examples: Path, name: str,
                                                                              hostile: bool) -> None:
    notes, datasets, resources = _records(examples / name)
    assert resources, "each example chosen here has Template 3 rows"
    if hostile:
        datasets, resources = _hostile(datasets, resources)
    orders = _interleavings(datasets, resources)
    reference = _run(notes, orders.pop("resources first"))  # every resource left for the end: the old way
    doc = json.loads(reference)
    assert sum(len(d["resources"]) for d in doc["datasets"]) > 0
    for label, order in orders.items():
        assert _run(notes, order) == reference, label
