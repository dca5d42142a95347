"""Collection rules: they need every record at once (duplicates, resources without a dataset).

Rules of kind ``report`` run once over the finished report and yield ``(dataset, finding)``
pairs — the finding goes to that dataset, or to the report's file-level list when the dataset
is None. The rule of kind ``unmatched_resource`` runs for each Template 3 row whose dataset id
matches no Template 2 row, right where the row is found, so findings keep their order.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from ..model import DatasetResult, Finding, RawRecord, Report, Source
from ..schemas_api import fold
from .base import RULES, Rule, declare
from .finding import make_finding

if TYPE_CHECKING:
    from ..options import ValidationOptions


@dataclass(slots=True)
class CollectionContext:
    options: ValidationOptions
    resources_given: bool  #: some Template 3 rows were read (else no_resources says nothing)
    #: ``identity_groups`` of the report's datasets, when a helper process found them beforehand
    #: (``catalog_tools.validate``); else each rule finds its groups itself
    groups: dict[str, list[list[int]]] | None = None


Placed = Iterator[tuple[DatasetResult | None, Finding]]


def collection_rules(kind: str = "report") -> list[Rule]:
    return [r for r in RULES.values() if r.scope == "collection" and kind in r.kinds]


def where(src: Source) -> str:
    """A short place of a record: its CKAN id or ``Sheet!row:row``, else the file."""
    if src.ckan_id:
        return src.ckan_id
    if src.sheet is not None and src.row is not None:
        return f"{src.sheet}!{src.row}:{src.row}"
    return src.path


def same_groups(datasets: list[DatasetResult], key: Callable[[DatasetResult], str | None]) -> list[list[int]]:
    """Groups (positions in ``datasets``) of two or more datasets whose ``key`` is the same once
    folded (case, spaces), in the order of their first dataset.

    A list is made only for a key seen twice (ids and titles are mostly distinct: 100,000 one-item
    lists were most of this rule's time).
    """
    first: dict[str, int] = {}
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(datasets):
        value = key(d)
        if value:
            folded = fold(value)
            seen = first.setdefault(folded, i)
            if seen != i:
                group = groups.get(folded)
                if group is None:
                    groups[folded] = [seen, i]
                else:
                    group.append(i)
    if not groups:
        return []
    return [groups[k] for k in first if k in groups]


#: the keys the identity rules group datasets by
IDENTITY_KEYS: dict[str, Callable[[DatasetResult], str | None]] = {"id": lambda d: d.id, "title": lambda d: d.title}


def identity_groups(datasets: list[DatasetResult]) -> dict[str, list[list[int]]]:
    """``same_groups`` by every identity key: what a helper process finds for the identity rules."""
    return {name: same_groups(datasets, key) for name, key in IDENTITY_KEYS.items()}


def _same(report: Report, ctx: CollectionContext, name: str) -> Iterator[list[DatasetResult]]:
    """The groups of ``report``'s datasets by the identity key ``name``."""
    datasets = report.datasets
    found = ctx.groups.get(name) if ctx.groups is not None else None
    groups = found if found is not None else same_groups(datasets, IDENTITY_KEYS[name])
    return ([datasets[i] for i in group] for group in groups)


@declare(
    "duplicate_id", "error", scope="collection", group="identity", kinds=("report",),
    en="Dataset id '{value}' appears more than once ({extra}).",
    th="รหัสชุดข้อมูล '{value}' ซ้ำกัน ({extra})",
    summary="Two dataset rows share the same id.",
    why="The dataset id names the dataset in CKAN and ties Template 3 rows to it; two rows with one id would "
        "overwrite each other when published.",
    bad="DataSet_11_01 on rows 4 and 9 of Template 2", good="DataSet_11_01 and DataSet_11_02")
def duplicate_id(report: Report, ctx: CollectionContext) -> Placed:
    for group in _same(report, ctx, "id"):
        listed = ", ".join(where(d.source) for d in group)
        yield None, make_finding("duplicate_id", field="id", field_th="รหัสชุดข้อมูล", value=group[0].id,
                                 extra=listed, location=where(group[1].source), source=group[1].source)


@declare(
    "duplicate_title", "warning", scope="collection", group="identity", kinds=("report",),
    en="Title '{value}' is used by more than one dataset ({extra}); CKAN thai_gdc refuses a duplicate title.",
    th="ชื่อชุดข้อมูล '{value}' ซ้ำกันมากกว่าหนึ่งชุด ({extra}) ระบบ CKAN จะไม่ยอมรับชื่อซ้ำ",
    summary="Two datasets share a title.",
    why="thai_gdc refuses a second dataset with the same title, and two datasets nobody can tell apart confuse users.",
    bad="two datasets titled 'จำนวนนักท่องเที่ยว'",
    good="'จำนวนนักท่องเที่ยวชาวไทย' and 'จำนวนนักท่องเที่ยวชาวต่างชาติ'")
def duplicate_title(report: Report, ctx: CollectionContext) -> Placed:
    for group in _same(report, ctx, "title"):
        listed = ", ".join(str(d.id) for d in group)
        yield None, make_finding("duplicate_title", field="title", field_th="ชื่อชุดข้อมูล", item="2",
                                 value=group[0].title, extra=listed, location=where(group[1].source),
                                 source=group[1].source)


@declare(
    "no_resources", "warning", scope="collection", group="resources", kinds=("report",),
    en="Dataset is public ({extra}) but has no Template 3 resource row.",
    th="ชุดข้อมูลเป็นข้อมูลสาธารณะ ({extra}) แต่ไม่มีคำอธิบายทรัพยากรข้อมูลใน Template 3",
    summary="An open dataset without resource metadata (FY2566 basic level needs it).",
    why="FY2566 scores open datasets by their resources (open-format access); a public dataset without a "
        "Template 3 row cannot earn it. Said only when some Template 3 rows were given "
        "(warn_public_without_resources turns it off).",
    bad="a ข้อมูลสาธารณะ dataset with no row in Template 3", good="the same dataset with its CSV resource row")
def no_resources(report: Report, ctx: CollectionContext) -> Placed:
    if not (ctx.resources_given and ctx.options.warn_public_without_resources):
        return
    public = ctx.options.public_category
    p: Finding | None = None  # the text is the same for every dataset: made once, copied (most datasets of a portal)
    for d in report.datasets:
        if not d.resources and d.values.get("data_category") == public:
            if p is None:
                p = make_finding("no_resources", field=None, extra=d.values["data_category"])
            yield d, Finding(p.code, p.severity, None, p.message, p.message_th, p.item, where(d.source), d.id, None,
                             d.id, None, d.source)  # positional: code … location, value, suggestion, dataset, resource, source


@declare(
    "orphan_resource", "error", scope="collection", group="identity", kinds=("unmatched_resource",),
    en="Resource row refers to dataset id '{value}', which is not in Template 2.{suggest_en}",
    th="ทรัพยากรข้อมูลอ้างถึงรหัสชุดข้อมูล '{value}' ซึ่งไม่มีใน Template 2{suggest_th}",
    summary="A Template 3 row whose dataset id matches no Template 2 row.",
    why="A resource belongs to a dataset; a row pointing at an unknown id is lost when publishing (usually a typo).",
    bad="Template 3 dataset id 'DataSet_11_1O'", good="'DataSet_11_01', as in Template 2")
def orphan_resource(rec: RawRecord, target_id: str | None, dataset_ids: list[str]) -> Iterator[Finding]:
    if not target_id:
        return
    close = difflib.get_close_matches(target_id, dataset_ids, n=1, cutoff=0.75)
    yield make_finding("orphan_resource", field="dataset_id", field_th="รหัสชุดข้อมูล", item="1", value=target_id,
                       location=rec.cells.get("dataset_id"), suggestion=close[0] if close else None, source=rec.source)
