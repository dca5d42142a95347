"""The validator: raw records → normalised values → Findings → a ``Report``.

One code path serves workbooks, CSV files and CKAN package dicts, so a dataset scores the
same in the workbook and on the portal.
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Callable, Iterable, Iterator

from . import shard
from .gcpause import gc_paused
from .dataset_list import check_dataset_lists
from .loaders import InputError, iter_path
from .loaders.nso import IMPORTER_FOLDS
from .model import DatasetList, DatasetResult, Finding, LoadError, LoadNote, RawRecord, Report, ResourceResult, Source
from .normalize import Normalised, Normaliser, clean_text
from .options import ValidationOptions
from .rules import Rule, record_rules
from .rules.collection import IDENTITY_KEYS, CollectionContext, collection_rules, identity_groups, orphan_resource
from .rules.schema import date_era_context
from .schema_check import SchemaRunner, field_finding, findings_from_errors
from .schemas_api import SchemaInfo, fold, schema_info
from .textsafe import path_text

ProgressFn = Callable[[int], None]


@dataclass(slots=True)
class _Kind:
    info: SchemaInfo
    normaliser: Normaliser
    runner: SchemaRunner
    #: the fields reported as "recommended" when empty (Template 3), in name order, each with its
    #: finding as ``field_finding`` makes it without a place: the text is the same on every record
    #: (an audit makes four per resource, 40,000 per 10,000 datasets), so it is copied, not formatted
    recommended: dict[str, Finding] = dataclass_field(default_factory=dict)
    rules: tuple[Rule, ...] = ()  # the record rules that run on this kind (those not switched off)

    def recommend(self, name: str, location: str | None, dataset: str | None) -> Finding:
        p = self.recommended[name]
        return Finding(code=p.code, severity=p.severity, field=p.field, message=p.message, message_th=p.message_th,
                       item=p.item, location=location, dataset=dataset)


class Validator:
    """Validates records one at a time; reuse one instance for many records (it caches)."""

    def __init__(self, options: ValidationOptions | None = None) -> None:
        self.options = options or ValidationOptions()
        std = self.options.standard
        self.off = self.options.ignored_codes()
        self.kinds = {}
        for kind in ("dataset", "resource"):
            info = schema_info(kind, std)
            recommended = {name: field_finding(info, "recommended", name, locate=_nowhere, dataset=None)
                           for name in sorted(name for name, spec in info.fields.items() if spec.recommended)}
            rules = tuple(r for r in record_rules(kind) if r.code not in self.off)
            normaliser, runner = Normaliser(info), SchemaRunner(info)
            if runner.judges_properties:  # a repeated cell is normalised and judged in one lookup
                normaliser.judge = runner.judge
            self.kinds[kind] = _Kind(info, normaliser, runner, recommended, rules)
        dataset_info = self.kinds["dataset"].info
        self._required = frozenset(name for name, _ in dataset_info.required_groups)
        self._all_present = frozenset(group for _, group in dataset_info.required_groups)

    # -- one record ---------------------------------------------------------------------------
    def check_record(self, rec: RawRecord, *, dataset: str | None = None) -> tuple[Normalised, list[Finding]]:
        k = self.kinds[rec.kind]
        norm = k.normaliser.normalise(rec.values, origin=rec.origin, fixed=rec.fixed)
        values = norm.values
        locate = _locator(rec)
        nso = rec.layout == "nso"
        errors = k.runner.errors_judged(values, norm.unchecked, norm.invalid)
        findings = findings_from_errors(
            errors, values, k.info, raw=rec.values, placeholders=norm.placeholders,
            locate=locate, dataset=dataset, importer_fields=IMPORTER_FOLDS if nso else frozenset()) if errors else []
        if nso:
            findings.extend(_nso_multi_values(k.info, rec.values, values, locate, dataset))
        for note in norm.notes:
            ctx: dict[str, Any] = date_era_context(note.reason, note.suggestion) if note.code == "date_era" else {}
            suggestion = ctx.pop("suggestion", note.suggestion if note.code == "synonym" else None)
            findings.append(field_finding(k.info, note.code, note.field, value=note.value, locate=locate, dataset=dataset,
                                          suggestion=suggestion, **ctx))
        for name in k.recommended:
            # A sheet layout without the column (NSO Stat/GIS resource sheets) is not asked for it.
            if name not in values and (rec.origin == "ckan" or name in rec.cells):
                findings.append(k.recommend(name, locate(name), dataset))
        for rule in k.rules:
            for hit in rule.check(values, self.options):  # type: ignore[misc]
                findings.append(field_finding(k.info, hit.code, hit.field, value=hit.value, locate=locate, dataset=dataset,
                                              severity=hit.severity, **hit.context))
        if self.off:
            findings = [f for f in findings if f.code not in self.off]
        for f in findings:
            f.source = rec.source
        return norm, findings

    def dataset_result(self, rec: RawRecord) -> DatasetResult:
        ds_id = _text(rec.values.get("id"))
        norm, findings = self.check_record(rec, dataset=ds_id)
        info = self.kinds["dataset"].info
        groups = info.item_groups
        failed = sorted({groups[f.field] for f in findings if f.is_error and f.field in groups}, key=_item_key)
        values = norm.values
        # every required field filled (most rows): every item is present, no set to build
        present = len(self._all_present) if self._required <= values.keys() else len(_present_items(info, values))
        items_complete = len(info.items) - len(failed)
        complete = (present == len(info.items)) if self.options.completeness == "present" else not failed
        org = norm.values.get("owner_org")
        return DatasetResult(
            id=ds_id, title=_text(norm.values.get("title")), source=rec.source, complete=complete,
            items_complete=items_complete, items_present=present, findings=findings, values=norm.values,
            failed_items=failed, organization=org if isinstance(org, str) else None, ckan=rec.ckan,
            id_cell=rec.cells.get("id") or rec.cells.get("title"))

    def resource_result(self, rec: RawRecord, dataset: str | None) -> ResourceResult:
        norm, findings = self.check_record(rec, dataset=dataset)
        return ResourceResult(name=_text(norm.values.get("name")), url=_text(norm.values.get("url")),
                              source=rec.source, findings=findings, values=norm.values, ckan=rec.ckan)

    # -- many records -------------------------------------------------------------------------
    def build_report(self, items: Iterable[RawRecord | LoadNote | DatasetList], *, inputs: list[str] | None = None,
                     progress: ProgressFn | None = None, jobs: int = 1, into: Report | None = None) -> Report:
        """Validate every item into one Report.

        ``jobs=2`` shares the rows of a large sheet held in memory with a forked helper process
        (``catalog_tools.shard``: Linux, no other thread); the report is the same as with one.
        ``into``: an empty Report to fill and return, so that a caller reading the items (an audit,
        page by page) can look at the datasets validated so far while it waits for more.
        """
        with gc_paused():  # hundreds of thousands of small acyclic objects (see gcpause)
            return self._build_report(items, inputs=inputs, progress=progress, jobs=jobs, into=into)

    def _build_report(self, items: Iterable[RawRecord | LoadNote | DatasetList], *, inputs: list[str] | None,
                      progress: ProgressFn | None, jobs: int = 1, into: Report | None = None) -> Report:
        if into is not None and (into.datasets or into.findings):
            raise ValueError("build_report: the report to fill is not empty")
        report = into if into is not None else Report()
        report.inputs, report.standard = list(inputs or []), self.options.standard
        resources: list[_Later] = []  # resources whose dataset is not known yet: attached at the end
        by_id: dict[str, DatasetResult] = {}
        count = resource_count = 0
        it = iter(items)
        runs = _Runs(self, it) if jobs > 1 and shard.can_fork() else None
        try:
            for item in it:
                run = runs.active if runs is not None else None
                if run is not None and not run.takes(item):
                    self._merge(runs, report, by_id)  # type: ignore[arg-type]  # the shared run ended
                    run = None
                if isinstance(item, LoadNote):
                    if item.finding.code not in self.off:
                        report.findings.append(item.finding)
                    continue
                if isinstance(item, DatasetList):
                    report.dataset_lists.append(item)
                    continue
                if run is not None:  # a record of the run shared with the helper: validated later
                    run.add(item)
                    if item.kind == "resource":
                        resource_count += 1
                        runs.places.append(self._place(item, resources, by_id))  # type: ignore[union-attr]
                elif item.kind == "dataset":
                    d = self.dataset_result(item)
                    report.datasets.append(d)
                    _index(by_id, d)
                else:
                    resource_count += 1
                    target = self._place(item, resources, by_id)
                    if isinstance(target, DatasetResult):  # its dataset came first (CKAN, most workbooks):
                        self._attach(target, self.resource_result(item, target.id))  # checked now
                if runs is not None and run is None:
                    runs.after(item)  # a long run of one sheet held in memory: a helper shares the rest
                count += 1
                if progress and count % 1000 == 0:
                    progress(count)
            if runs is not None and runs.active is not None:
                self._merge(runs, report, by_id)
            self._attach_resources(report, resources)
            groups = runs.identity(len(report.datasets)) if runs is not None else None
            self._collection_checks(report, resources_given=resource_count > 0, groups=groups)
        finally:
            if runs is not None:
                runs.close()  # an error or Ctrl-C here: every helper is stopped and reaped, never left behind
        check_dataset_lists(report, self.off)
        if progress:
            progress(count)
        return report

    @staticmethod
    def _place(rec: RawRecord, resources: list[_Later], by_id: dict[str, DatasetResult]) -> DatasetResult | _Later:
        """Where a resource goes: its dataset, if known on arrival; else the list attached at the end
        (and every later one, so each dataset keeps its resources' order)."""
        target = None if resources else by_id.get(_text(rec.values.get("dataset_id")) or "")
        if target is not None:
            return target
        later = _Later(rec)
        resources.append(later)
        return later

    def _merge(self, runs: _Runs, report: Report, by_id: dict[str, DatasetResult]) -> None:
        """The shared part of a run ended: its results go where one process would have put them."""
        kind, results, places = runs.finish()
        if kind == "dataset":
            for d in results:
                report.datasets.append(d)
                _index(by_id, d)
            runs.start_identity(report.datasets)
            return
        for place, result in zip(places, results):
            if isinstance(place, _Later):
                place.result = result
            else:
                self._attach(place, _for_dataset(result, place.id))

    @staticmethod
    def _attach(target: DatasetResult, result: ResourceResult) -> None:
        result.index = len(target.resources)
        target.resources.append(result)

    def _attach_resources(self, report: Report, resources: list[_Later]) -> None:
        """Resources left for the end: matched by id, exact first, then case- and space-folded.

        A resource met before any deferral whose exact id was already a key here was attached
        on arrival (``_build_report``): keys are only ever added (first dataset wins), so it met
        the very dataset this would find. A resource validated by a helper (``result``) is not
        validated again: only the dataset its findings name is set.
        """
        if not resources:
            return
        by_id: dict[str, DatasetResult] = {}
        for d in report.datasets:
            _index(by_id, d)
        for later in resources:
            rec = later.rec
            target_id = _text(rec.values.get("dataset_id"))
            target = by_id.get(target_id or "") or by_id.get(fold(target_id or ""))
            named = target.id if target is not None else target_id
            result = _for_dataset(later.result, named) if later.result is not None else self.resource_result(rec, named)
            if target is not None:
                self._attach(target, result)
                continue
            # Not attached: its own findings and the orphan finding go to the top-level list.
            report.findings.extend(result.findings)
            if "orphan_resource" not in self.off:
                report.findings.extend(orphan_resource(rec, target_id, [d.id for d in report.datasets if d.id]))

    def _collection_checks(self, report: Report, *, resources_given: bool,
                           groups: dict[str, list[list[int]]] | None = None) -> None:
        ctx = CollectionContext(self.options, resources_given, groups)
        for rule in collection_rules("report"):
            if rule.code in self.off:
                continue
            for dataset, finding in rule.check(report, ctx):  # type: ignore[misc]
                (dataset.findings if dataset is not None else report.findings).append(finding)


class _Later:
    """A resource whose dataset is looked for at the end; ``result``: validated already (by a helper)."""

    __slots__ = ("rec", "result")

    def __init__(self, rec: RawRecord) -> None:
        self.rec = rec
        self.result: ResourceResult | None = None


def _for_dataset(result: ResourceResult, dataset: str | None) -> ResourceResult:
    """A resource result validated without knowing its dataset (by a helper), with the dataset each
    finding names set as ``check_record(rec, dataset=…)`` sets it: the only place it is used."""
    for f in result.findings:
        f.dataset = dataset
    return result


class _Runs:
    """The parent's side of sharing long runs of one sheet's records with a helper (``catalog_tools.shard``)."""

    def __init__(self, validator: Validator, items: Iterator[Any]) -> None:
        self.validator = validator
        self.items = items
        self.active: shard.Run | None = None
        self.places: list[DatasetResult | _Later] = []  # of each resource of the active run, in order
        self._key: tuple[str, str | None, str] | None = None
        self._length = 0  # records of the run ``_key`` taken here, one after another
        self.identity_helper: shard.Helper | None = None  # finding the identity rules' groups (start_identity)
        self._identity_count = 0

    def after(self, rec: RawRecord) -> None:
        """``rec`` was just taken here: count the run, and start sharing it once it is long."""
        key = shard.run_key(rec)
        if key is None or key != self._key:
            self._key, self._length = key, (1 if key is not None else 0)
            return
        self._length += 1
        if self._length == shard.START and shard.can_fork():
            validate = self.validator.dataset_result if rec.kind == "dataset" else self._validate_resource
            claimed = shard.claims()
            helper = shard.fork_helper(shard.helper_work(self.items, key, claimed, validate))
            if helper is not None:  # (no fork, no helper: the run simply goes on here)
                self.active = shard.Run(key, helper, claimed, validate)
                self.places = []

    def _validate_resource(self, rec: RawRecord) -> ResourceResult:
        return self.validator.resource_result(rec, None)  # the dataset its findings name is set on merging

    def finish(self) -> tuple[str, list[Any], list[DatasetResult | _Later]]:
        """The shared part of the active run ended: its kind, its results in order, and (resources)
        their places."""
        run, self.active = self.active, None
        assert run is not None, "finish() ends the active run"
        places, self.places = self.places, []
        self._key, self._length = None, 0
        return run.key[2], run.finish(), places

    def start_identity(self, datasets: list[DatasetResult]) -> None:
        """Have a helper find the identity rules' groups of ``datasets`` (``identity_groups``) while
        the parent reads on: what the rules would otherwise do at the end, on one core (folding every
        id and title: 0.3 s for 100,000 datasets). A later dataset run starts a new one."""
        self._stop_identity()
        if len(datasets) < shard.IDENTITY_MIN or not shard.can_fork():
            return
        count = len(datasets)
        self.identity_helper = shard.fork_helper(lambda send: send(count, [identity_groups(datasets)]))
        self._identity_count = count

    def identity(self, count: int) -> dict[str, list[list[int]]] | None:
        """The helper's groups, if it was asked for the ``count`` datasets the report now holds and
        sent groups that can be theirs; else None (the rules find them)."""
        helper, self.identity_helper = self.identity_helper, None
        if helper is None:
            return None
        try:
            if count != self._identity_count:
                return None  # datasets came after the helper started: its groups are not the report's
            return helper.answer(count, lambda value: _groups_of(value, count), shard.SILENCE)
        finally:
            helper.stop()

    def _stop_identity(self) -> None:
        if self.identity_helper is not None:
            self.identity_helper.stop()
            self.identity_helper = None

    def close(self) -> None:
        if self.active is not None:
            self.active.close()
            self.active = None
        self._stop_identity()


def _groups_of(value: Any, count: int) -> bool:
    """True when ``value`` has the shape of ``identity_groups`` of ``count`` datasets."""
    if not (isinstance(value, dict) and value.keys() == IDENTITY_KEYS.keys()):
        return False
    for groups in value.values():
        if not isinstance(groups, list):
            return False
        for group in groups:
            if not (isinstance(group, list) and len(group) >= 2 and all(type(i) is int for i in group)
                    and 0 <= group[0] and group[-1] < count and all(a < b for a, b in zip(group, group[1:]))):
                return False
    return True


def _index(by_id: dict[str, DatasetResult], d: DatasetResult) -> None:
    """Add ``d`` under its id and its folded id, unless an earlier dataset holds the key (it wins)."""
    if d.id:
        by_id.setdefault(d.id, d)
        by_id.setdefault(fold(d.id), d)


def _nso_multi_values(info: SchemaInfo, raw: dict[str, Any], values: dict[str, Any], locate: Callable[[str], str | None],
                      dataset: str | None) -> list[Finding]:
    """NSO-layout cells with several values: the importer would take the whole cell as one value."""
    out = []
    for name, cell in raw.items():
        spec = info.fields.get(name)
        if spec is not None and spec.kind == "multi" and name in IMPORTER_FOLDS and isinstance(cell, str) \
                and isinstance(values.get(name), list) and len(values[name]) > 1:
            out.append(field_finding(info, "nso_multi_value", name, value=cell, locate=locate, dataset=dataset))
    return out


def validate_records(records: Iterable[RawRecord | LoadNote | DatasetList], *, options: ValidationOptions | None = None,
                     inputs: list[str] | None = None, progress: ProgressFn | None = None, jobs: int = 1,
                     into: Report | None = None) -> Report:
    """Validate already-loaded records (from any loader) and return the Report (``jobs``, ``into``:
    see ``Validator.build_report``)."""
    return Validator(options).build_report(records, inputs=inputs, progress=progress, jobs=jobs, into=into)


def validate_paths(paths: Iterable[str], *, options: ValidationOptions | None = None,
                   progress: ProgressFn | None = None, jobs: int = 1) -> Report:
    """Load and validate files (xlsx, csv, json/jsonl). Unreadable inputs are in ``report.load_errors``.

    The input files are opened read-only and never modified. ``jobs=2`` validates the rows of a
    large sheet in two processes (``Validator.build_report``); the report is the same.
    """
    options = options or ValidationOptions()
    paths = list(paths)
    errors: list[LoadError] = []

    def records() -> Iterator[RawRecord | LoadNote | DatasetList]:
        for path in paths:
            try:
                yield from iter_path(path, standard=options.standard, limits=options.read_limits(), jobs=jobs)
            except InputError as exc:
                errors.append(exc.error)

    report = Validator(options).build_report(records(), inputs=[path_text(p) for p in paths], progress=progress,
                                             jobs=jobs)
    report.load_errors.extend(errors)
    return report


def _nowhere(field: str) -> None:
    return None


def _locator(rec: RawRecord) -> Callable[[str], str | None]:
    cells = rec.cells
    src = rec.source

    def locate(field: str) -> str | None:
        if field in cells:
            return cells[field]
        if rec.origin == "ckan":
            return f"{src.ckan_id or src.path}:$.{field}" if field else f"{src.ckan_id or src.path}"
        if src.sheet is not None and src.row is not None:
            return f"{src.sheet}!{src.row}:{src.row}"
        return None

    return locate


def _present_items(info: SchemaInfo, values: dict[str, Any]) -> set[str]:
    return {group for name, group in info.required_groups if name in values}


def _item_key(item: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in (item or "0").split("."))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_text(value)
    return text or None
