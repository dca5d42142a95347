"""Facts: what the rubric needs to know about each dataset, taken once from the validator's report.

Scoring never re-validates: completeness, failed items and the fields to fix come from the
``DatasetResult``; what a program cannot see comes from declarations. Facts are immutable, so
"what if this were fixed?" is, by definition, a copy with one fact changed, scored again; the
engine gets the same exact gains from per-item deltas (``whatif.py``) without copying.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ..model import DatasetResult, Report
from ..schemas_api import fold
from .declarations import Declarations, UseEvidence, normalise_scope
from .openformat import NO_RESOURCES, OpenAssessment, assess, compute_assessment
from .rubric import Rubric

PUBLIC = "ข้อมูลสาธารณะ"


@dataclass(frozen=True, slots=True)
class DatasetFacts:
    id: str
    title: str | None
    complete: bool
    is_open: bool
    has_resources: bool
    uploaded: bool
    registered: bool
    open_level: int
    open: OpenAssessment | None = None
    missing: tuple[str, ...] = ()  # fields with error findings, in item order
    failed_items: tuple[str, ...] = ()
    has_metadata: bool = True  # False: listed in Template 1 without a Template 2 row (counts as incomplete)
    imd: bool = False  # declared an IMD dataset (FY2566: in addition to the 5 datasets)
    new: bool = False  # declared newly selected this year (FY2565 condition 4)
    current: bool = False  # timeliness: updated within its own cycle (FY2567 "keep open datasets current")

    def signature(self) -> tuple[Any, ...]:
        """Everything scoring looks at except identity: equal signatures score alike."""
        return (self.complete, self.is_open, self.has_resources, self.uploaded, self.registered, self.open_level,
                self.current)


@dataclass(frozen=True, slots=True)
class Facts:
    datasets: tuple[DatasetFacts, ...]
    catalog_url: str | None = None
    catalog_reachable: bool | None = None
    scope: str | None = None  # the declared Focus Area / use scope, normalised
    dataset_list: bool | None = None  # declared link of the list to the scope (None: not declared)
    utilization: tuple[UseEvidence, ...] = ()  # declared entries whose dataset exists
    rejected_use: tuple[tuple[str, str, str], ...] = ()  # (dataset, reason en, reason th)
    added_datasets: int = 0  # only for "add datasets" what-ifs
    unlisted: tuple[tuple[str, str | None], ...] = ()  # (id, title) of datasets read but not in the list: left out
    list_source: str | None = None  # what decided the list: "template1", "declaration" or None (the input as given)
    continuing_agency: bool = False  # declared: ran the KPI the year before (FY2565 condition 4)
    uploads_known: bool = False  # which datasets are on the catalog is known (CKAN input, audit, ``uploaded``)

    def by_id(self) -> dict[str, DatasetFacts]:
        return {d.id: d for d in self.datasets}

    def with_dataset(self, ds_id: str, **changes: Any) -> "Facts":
        return self.with_datasets({ds_id: changes})

    def with_datasets(self, changes: dict[str, dict[str, Any]]) -> "Facts":
        """A copy with several datasets' facts changed, in one pass over the catalogue.

        The full copy is what a what-if means; the engine ranks fixes with ``whatif.Deltas``
        instead, which never copies the catalogue (this stays the reference it is tested against).
        """
        return replace(self, datasets=tuple(replace(d, **changes[d.id]) if d.id in changes else d for d in self.datasets))

    def without_incomplete(self) -> "Facts":
        """Only the complete datasets: FY2566 condition 1 read as "incomplete datasets are not counted"
        (``every_dataset_gate: false``). Declared uses of a left-out dataset are rejected, with why."""
        kept = tuple(d for d in self.datasets if d.complete)
        ids = {d.id for d in kept}
        dropped = tuple((u.dataset, "not counted: not all 14 items complete", "ไม่นับผล: คำอธิบายข้อมูลไม่ครบ 14 รายการ")
                        for u in self.utilization if u.dataset not in ids)
        return replace(self, datasets=kept, utilization=tuple(u for u in self.utilization if u.dataset in ids),
                       rejected_use=self.rejected_use + dropped)

    @property
    def catalog_ok(self) -> bool:
        return bool(self.catalog_url) and self.catalog_reachable is not False

    @property
    def count(self) -> int:
        return len(self.datasets) + self.added_datasets


@dataclass(slots=True)
class Warning_:
    code: str
    message: str
    message_th: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "message_th": self.message_th}


@dataclass(slots=True)
class Built:
    facts: Facts
    warnings: list[Warning_] = field(default_factory=list)
    sources: dict[str, Any] = field(default_factory=dict)  # which source decided a fact (e.g. gd_catalog)


class _Folded:
    """Report ids by their folded form, built on first use: only declarations that name datasets
    look ids up, and folding 100,000 ids for none of them cost a tenth of a second."""

    def __init__(self, ids: list[str]) -> None:
        self._ids = ids
        self._map: dict[str, str] | None = None

    def _built(self) -> dict[str, str]:
        if self._map is None:
            self._map = {fold(i): i for i in self._ids}
        return self._map

    def get(self, key: str) -> str | None:
        return self._built().get(key)

    def values(self) -> Iterable[str]:
        return self._built().values()


def _ids(values: str | list[str] | None, known: _Folded) -> tuple[set[str] | None, list[str]]:
    """Declared ids → report ids (case/space-insensitive); 'all' → every id; unknown ids listed."""
    if values is None:
        return None, []
    if values == "all":
        return set(known.values()), []
    out, unknown = set(), []
    for v in values:
        hit = known.get(fold(v))
        if hit is None:
            unknown.append(v)
        else:
            out.add(hit)
    return out, unknown


class FactsMemo:
    """Per-dataset facts kept across several scorings of the same datasets (an audit scores the whole
    catalogue, then every organisation on its own): a dataset's facts are built once.

    A fact depends on the dataset, its id, the declarations that name it and the options; the memo
    is bound to the options of its first use (by value) and the key holds the rest, so a scoring
    with other options or declarations never gets another one's facts. The datasets must stay
    alive while the memo is used (the key holds their identity).
    """

    def __init__(self) -> None:
        self.options: tuple[tuple[str, str], ...] | None = None
        self.facts: dict[tuple[Any, ...], DatasetFacts] = {}
        # dataset identity → (dataset, its content basis, its open-format assessment), made ahead
        self._assessed: dict[int, tuple[DatasetResult, tuple[Any, ...], OpenAssessment]] = {}

    def usable(self, options: dict[str, Any], public_category: str) -> bool:
        key = tuple(sorted((k, repr(v)) for k, v in options.items())) + (("public_category", public_category),)
        if self.options is None:
            self.options = key
        return self.options == key

    def prepare(self, datasets: Iterable[DatasetResult], options: dict[str, Any], public_category: str) -> None:
        """Assess the open format of ``datasets`` ahead of scoring (an audit does it while the next
        page is on its way): the one part of a dataset's facts made from its values alone, and the
        costliest. Used by :func:`build_facts` only under the same options and only while the
        dataset's content basis is unchanged; declared hints (single source of truth, scanned)
        are applied then, so what is made here assumes none."""
        if not self.usable(options, public_category):
            return
        for d in datasets:
            if d.resources:
                self._assessed[id(d)] = (d, d.content_basis(), compute_assessment(d, options))

    def ahead(self) -> int:
        """How many assessments made by :meth:`prepare` are not used yet."""
        return len(self._assessed)

    def assessed(self, d: DatasetResult) -> OpenAssessment | None:
        """The assessment :meth:`prepare` made of ``d`` (without declared hints), if still valid; once."""
        hit = self._assessed.pop(id(d), None)
        if hit is None or hit[0] is not d or hit[1] != d.content_basis():
            return None
        return hit[2]


def build_facts(report: Report, rubric: Rubric, options: dict[str, Any], decl: Declarations, *,
                catalog_url: str | None, catalog_reachable: bool | None, public_category: str = PUBLIC,
                memo: FactsMemo | None = None) -> Built:
    """Facts for scoring ``report`` under ``rubric`` with declarations ``decl``.

    ``public_category`` is the validation option of the same name: a dataset is open for the KPI
    exactly when the validator treats it as public (one source for that fact).
    """
    warnings: list[Warning_] = []
    ids: list[str] = []
    seen: set[str] = set()
    for n, d in enumerate(report.datasets, 1):
        ds_id = d.id or f"(row {d.source.row or n})"
        if ds_id in seen:  # a duplicate id (the validator reports it): keep both rows apart for scoring
            ds_id = f"{ds_id} (row {d.source.row or n})"
        ids.append(ds_id)
        seen.add(ds_id)
    known = _Folded(ids)

    def unknown_warning(key: str, unknown: list[str]) -> None:
        if unknown:
            warnings.append(Warning_("declared_unknown_dataset",
                                     f"{key}: dataset id(s) not in the input: {', '.join(unknown)}",
                                     f"{key}: ไม่พบรหัสชุดข้อมูลในข้อมูลนำเข้า: {', '.join(unknown)}"))

    uploaded, unk = _ids(decl.uploaded, known)
    unknown_warning("uploaded", unk)
    registered, unk = _ids(decl.gd_catalog_registered, known)
    unknown_warning("gd_catalog_registered", unk)
    registered, gd_source = _gd_registered(registered, ids, report)
    ssot, unk = _ids(decl.single_source_of_truth, known)
    unknown_warning("single_source_of_truth", unk)
    scanned, unk = _ids(decl.scanned, known)
    unknown_warning("scanned", unk)
    imd, unk = _ids(decl.imd_datasets, known)
    unknown_warning("imd_datasets", unk)
    new, unk = _ids(decl.new_datasets, known)
    unknown_warning("new_datasets", unk)
    overrides = {}
    for key, ov in decl.open_format.items():
        hit = known.get(fold(key))
        if hit is None:
            unknown_warning("open_format", [key])
        else:
            overrides[hit] = (ov.level, ov.reason)
    listed: set[str] | None = None
    list_source: str | None = None
    phantoms: list[DatasetFacts] = []
    if isinstance(decl.dataset_list, list):
        listed, unk = _ids(decl.dataset_list, known)
        unknown_warning("dataset_list", unk)
        list_source = "declaration"
    elif isinstance(decl.dataset_list, bool):
        list_source = "declaration"
    elif report.dataset_lists:  # Template 1 decides, unless a declaration says otherwise
        listed, phantoms = _template1_list(report, ids)
        list_source = "template1"

    datasets = []
    unlisted = []
    kept = memo.facts if memo is not None and memo.usable(options, public_category) else None
    ssot_ids: set[str] = ssot or set()
    scanned_ids: set[str] = scanned or set()
    imd_ids: set[str] = imd or set()
    new_ids: set[str] = new or set()
    for ds_id, d in zip(ids, report.datasets):
        if listed is not None and ds_id not in listed:
            unlisted.append((ds_id, d.title))
            continue
        override = overrides.get(ds_id) if overrides else None
        memo_key: tuple[Any, ...] | None = None
        found = None
        if kept is not None:
            memo_key = (id(d), ds_id, uploaded is not None and ds_id in uploaded,
                        registered is not None and ds_id in registered, ds_id in ssot_ids, ds_id in scanned_ids,
                        override, ds_id in imd_ids, ds_id in new_ids)
            found = kept.get(memo_key)
        if found is None:
            ahead = memo.assessed(d) if kept is not None and memo is not None else None
            found = _dataset_facts(ds_id, d, options, uploaded=uploaded, registered=registered, ssot=ssot_ids,
                                   scanned=scanned_ids, override=override, public_category=public_category,
                                   imd=ds_id in imd_ids, new=ds_id in new_ids, computed=ahead)
            if kept is not None and memo_key is not None:
                kept[memo_key] = found
        datasets.append(found)
    if listed is not None and len(datasets) < len(report.datasets):
        where, where_th = ("Template 1", "Template 1") if list_source == "template1" else ("dataset_list", "dataset_list")
        warnings.append(Warning_("dataset_list_subset",
                                 f"only the {len(datasets)} datasets named in {where} are scored (of {len(report.datasets)} read)",
                                 f"คิดคะแนนเฉพาะ {len(datasets)} ชุดข้อมูลที่ระบุใน {where_th} (จากที่อ่านได้ {len(report.datasets)} ชุด)"))
    if phantoms:
        datasets.extend(phantoms)
        names = ", ".join(p.id for p in phantoms[:20]) + (" …" if len(phantoms) > 20 else "")
        warnings.append(Warning_("listed_without_metadata",
                                 f"{len(phantoms)} dataset(s) in Template 1 have no Template 2 metadata and count as incomplete: {names}",
                                 f"ชุดข้อมูลใน Template 1 จำนวน {len(phantoms)} ชุดไม่มีคำอธิบายข้อมูลใน Template 2 จึงนับเป็นไม่ครบ 14 รายการ: {names}"))

    scope_key = rubric.scope.declaration
    raw_scope = getattr(decl, scope_key)
    other_key = "use_scope" if scope_key == "focus_area" else "focus_area"
    scope = None
    scope_source: str | None = None
    t1_scope = _template1_scope(report, scope_key)
    if raw_scope is not None:
        scope = normalise_scope(raw_scope, rubric.scope.values, rubric.scope.variants, scope_key)
        scope_source = "declaration"
    elif t1_scope is not None:
        scope, scope_source = t1_scope, "template1"
    else:
        if getattr(decl, other_key) is not None:
            warnings.append(Warning_("scope_wrong_key", f"FY{rubric.fy} asks for {scope_key}; {other_key} was declared and is not used",
                                     f"ปีงบประมาณ {rubric.fy} ใช้ {scope_key} แต่แจ้ง {other_key} ซึ่งไม่นำมาใช้"))
        other = next((dl for dl in report.dataset_lists if dl.scope is not None), None)
        if other is not None:
            warnings.append(Warning_("template1_scope_other",
                                     f"Template 1 names {other.scope_kind} '{other.scope}', but FY{rubric.fy} asks for {scope_key}; it is not used",
                                     f"Template 1 ระบุ '{other.scope}' แต่ปีงบประมาณ {rubric.fy} ใช้ {rubric.scope.title_th} จึงไม่นำมาใช้"))
        warnings.append(Warning_("scope_not_declared",
                                 f"no {scope_key} declared ({rubric.scope.title}); the dataset list is taken as given",
                                 f"ไม่ได้แจ้ง {scope_key} ({rubric.scope.title_th}) จึงถือตามรายชื่อชุดข้อมูลที่ส่งมา"))
    if decl.fy is not None and decl.fy != rubric.fy:
        warnings.append(Warning_("declarations_fy", f"declarations are for FY{decl.fy}, scored with FY{rubric.fy}",
                                 f"ไฟล์แจ้งข้อมูลเป็นของปีงบประมาณ {decl.fy} แต่คิดคะแนนตามเกณฑ์ปี {rubric.fy}"))

    by_id = {d.id: d for d in datasets}
    uses, rejected = [], []
    for u in decl.utilization:
        hit = known.get(fold(u.dataset))
        fact = by_id.get(hit) if hit else None
        if fact is None:
            rejected.append((u.dataset, "dataset not in the input", "ไม่พบชุดข้อมูลนี้ในข้อมูลนำเข้า"))
        elif not u.evidence:
            rejected.append((u.dataset, "no evidence given", "ไม่ได้ระบุหลักฐานการใช้ประโยชน์"))
        else:
            uses.append(UseEvidence(str(fact.id), u.evidence))
    dl = decl.dataset_list if isinstance(decl.dataset_list, bool) else (True if listed is not None else None)
    url = catalog_url or decl.catalog_url
    if list_source == "template1":
        dl = True
    uploads_known = decl.uploaded is not None or (
        bool(options.get("ckan_counts_as_uploaded")) and any(d.ckan is not None for d in report.datasets))
    facts = Facts(tuple(datasets), catalog_url=url, catalog_reachable=catalog_reachable if url else None,
                  scope=scope, dataset_list=dl, utilization=tuple(uses), rejected_use=tuple(rejected),
                  uploads_known=uploads_known, continuing_agency=bool(decl.continuing_agency),
                  unlisted=tuple(unlisted), list_source=list_source)
    sources = {"gd_catalog": gd_source, "dataset_list": {"decided_by": list_source or "none"},
               scope_key: {"decided_by": scope_source or "none", "value": scope}}
    return Built(facts, warnings, sources)


def _template1_list(report: Report, ids: list[str]) -> tuple[set[str], list[DatasetFacts]]:
    """The ids (as scored) of the datasets the Template 1 lists name, and a stand-in for every
    listed dataset without Template 2 metadata: the rubric asks for the metadata "of every
    dataset" in the list, so such a dataset counts as incomplete rather than vanishing."""
    named: set[str] = set()
    missing: dict[str, tuple[str, str | None]] = {}
    for dl in report.dataset_lists:
        for e in dl.entries:
            if e.matched is not None:
                named.add(fold(e.matched))
            elif (e.id or e.title) and fold(e.id or e.title or "") not in missing:
                missing[fold(e.id or e.title or "")] = (e.id or e.title or "", e.title)
    listed = {ds_id for ds_id, d in zip(ids, report.datasets)
              if (d.id and fold(d.id) in named) or (not d.id and d.title and fold(d.title) in named)}
    taken = {fold(i) for i in ids}
    phantoms = []
    for key, (name, title) in missing.items():
        if key in taken:
            continue
        taken.add(key)
        phantoms.append(DatasetFacts(id=name, title=title, complete=False, is_open=False, has_resources=False,
                                     uploaded=False, registered=False, open_level=0, has_metadata=False))
    return listed, phantoms


def _template1_scope(report: Report, scope_key: str) -> str | None:
    """The first Template 1 Focus Area (or use scope) that is valid for this rubric's year."""
    for dl in report.dataset_lists:
        if dl.scope is not None and dl.scope_kind == scope_key:
            return dl.scope
    return None


def _gd_registered(declared: set[str] | None, ids: list[str], report: Report) -> tuple[set[str] | None, dict[str, Any]]:
    """Which datasets count as registered in GD Catalog, and which source decided.

    A declaration (``gd_catalog_registered``) overrides the evidence; evidence (the harvester,
    GD Catalog's API or an export, set on each open dataset by ``gdcatalog.apply_gd_catalog``)
    is used when nothing was declared; with neither, no dataset counts as registered.
    """
    states = {ds_id: d.gd_catalog for ds_id, d in zip(ids, report.datasets) if d.gd_catalog is not None}
    by: dict[str, int] = {}
    for st in states.values():
        by[st.source] = by.get(st.source, 0) + 1
    if declared is not None:
        return declared, {"decided_by": "declaration", "evidence": by}
    if states:
        return {i for i, st in states.items() if st.registered}, {"decided_by": "evidence", "evidence": by}
    return None, {"decided_by": "none", "evidence": by}


def _dataset_facts(ds_id: str, d: DatasetResult, options: dict[str, Any], *, uploaded: set[str] | None,
                   registered: set[str] | None, ssot: set[str], scanned: set[str],
                   override: tuple[str, str] | None, public_category: str = PUBLIC, imd: bool = False,
                   new: bool = False, computed: OpenAssessment | None = None) -> DatasetFacts:
    is_open = d.values.get("data_category") == public_category
    on_ckan = d.ckan is not None and options["ckan_counts_as_uploaded"]
    missing: list[str] = []
    failed = d.failed_items
    for f in d.findings if failed else ():  # a complete dataset has no failed item, so nothing is missing
        if f.is_error and f.field and f.field not in missing and (f.item or "").split(".")[0] in failed:
            missing.append(f.field)
    # (no resources and no declared level: the one shared assessment, without a call per dataset)
    # (``computed``: assessed ahead without declared hints, usable only when none applies)
    in_ssot, in_scanned = ds_id in ssot, ds_id in scanned
    op = assess(d, options, ssot=in_ssot, scanned=in_scanned, declared=override,
                computed=None if in_ssot or in_scanned else computed) if d.resources or override is not None else NO_RESOURCES
    return DatasetFacts(
        id=ds_id, title=d.title, complete=d.complete, is_open=is_open, has_resources=bool(d.resources),
        uploaded=on_ckan or (uploaded is not None and ds_id in uploaded),
        registered=registered is not None and ds_id in registered, open_level=op.level, open=op,
        missing=tuple(missing), failed_items=tuple(d.failed_items), current=is_current(d, options), imd=imd, new=new)


#: timeliness statuses that count as current without a band: data not updated after collection,
#: and data updated more often than a date can show (INFERENCE; option ``current_statuses``)
CURRENT_STATUSES = ("not_applicable", "real_time", "working_days")


def is_current(d: DatasetResult, options: dict[str, Any]) -> bool:
    """Current = measured with band ≤ ``current_max_band`` (default 0: on time), or a status listed
    in ``current_statuses``; unmeasured (unknown unit, no date) is not current."""
    t = d.timeliness
    if t is None:
        return False
    if t.band is not None:
        return bool(t.band <= int(options.get("current_max_band", 0)))
    return t.status in tuple(options.get("current_statuses", CURRENT_STATUSES))
