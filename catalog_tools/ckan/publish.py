"""Publish validated Template 2/3 datasets to CKAN: idempotent, resumable, logged.

``publish_report(report, client, options)`` validates nothing itself: it takes the
validator's Report, so what is sent is exactly what ``validate`` judged. For each dataset:

* not complete (or with error findings, or a duplicate id) → *skipped*, with the findings;
* otherwise planned (:mod:`.plan`) as create / update / unchanged and, unless ``dry_run``,
  applied: ``package_create`` with its resources in one call; or ``package_patch`` with only
  the changed fields, then ``resource_create``/``resource_patch`` per resource;
* a CKAN ``ValidationError`` becomes ``ckan_rejected`` findings and the run goes on; an
  unreachable server stops the run (the rest is reported as not attempted); Ctrl-C stops
  it with a partial summary. A rerun finds what was created by name, so nothing is
  duplicated and nothing is lost.
* a create is never repeated blindly: when its answer is lost (timeout, connection broken,
  a 5xx or an unreadable answer that may have come after CKAN committed) the dataset is read
  again and the new dataset or resource matched first; only when it is not there is the
  create tried again (at most the client's ``retries`` times). The outcome says what really
  happened — *create* with a ``note`` when the lost answer hid a success.

Every outcome is appended to an optional JSON-lines log as it happens, with the token
removed from every key and value before it is encoded.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TextIO

from ..exitcodes import FINDINGS, OK, USAGE
from ..model import DatasetResult, Finding, Report
from ..redaction import redact_tree
from ..rules.online import ckan_rejected
from ..schemas_api import DEFAULT_STANDARD
from .client import CkanBadAnswer, CkanClient, CkanError, CkanTransientError, CkanUnreachable, CkanValidationError, redact
from .lookup import find_by_names
from .mapping import derive_name
from .plan import Plan, Target, plan_dataset
from .resolve import OrgResolver, detect_fields
from .workers import run_in_order

#: the most datasets sent at the same time: all go to one host, and a catalog is shared
MAX_WORKERS = 8

ACTIONS = ("create", "update", "unchanged", "skip", "fail")
_LISTS = {"create": "created", "update": "updated", "unchanged": "unchanged", "skip": "skipped", "fail": "failed"}


@dataclass(slots=True)
class PublishOptions:
    org: str | None = None  #: CKAN organization name for every dataset (else matched from owner_org)
    dry_run: bool = False
    fields: str = "auto"  #: "auto" (ask the server for a scheming schema), "top-level" or "extras"
    log_path: Path | None = None
    workers: int = 1  #: datasets sent at the same time (at most MAX_WORKERS)
    batch_lookup: bool = True  #: look datasets up with package_search in batches before planning


@dataclass(slots=True)
class Outcome:
    """What happened to one input dataset."""

    id: str | None
    name: str | None
    title: str | None
    action: str  # create | update | unchanged | skip | fail
    reason: str | None = None
    reason_th: str | None = None
    findings: list[Finding] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    resources: dict[str, Any] = field(default_factory=dict)
    ckan_id: str | None = None
    note: str | None = None  #: e.g. a create whose answer was lost but which is there

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title, "action": self.action, "reason": self.reason,
                "reason_th": self.reason_th, "changed": self.changed, "resources": self.resources,
                "ckan_id": self.ckan_id, "note": self.note, "findings": [f.to_dict() for f in self.findings]}


@dataclass(slots=True)
class PublishResult:
    ckan_url: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False
    aborted: str | None = None  #: why the run stopped early (unreachable server)
    fields: str = "top-level"

    def ids(self, action: str) -> list[str]:
        return [o.id or o.name or "" for o in self.outcomes if o.action == action]

    @property
    def exit_code(self) -> int:
        if self.aborted:
            return USAGE
        if self.interrupted or any(o.action in ("skip", "fail") for o in self.outcomes):
            return FINDINGS
        if any(o.resources.get("skipped") for o in self.outcomes):
            return FINDINGS
        return OK

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1}
        for action, key in _LISTS.items():
            out[key] = self.ids(action)
        out.update({"dry_run": self.dry_run, "ckan": self.ckan_url, "fields": self.fields,
                    "interrupted": self.interrupted, "aborted": self.aborted,
                    "summary": {key: len(out[key]) for key in _LISTS.values()},
                    "datasets": [o.to_dict() for o in self.outcomes]})
        return out


class JsonLog:
    """Appends one JSON line per outcome, flushed at once (it survives a crash mid-run)."""

    def __init__(self, path: Path | None, *, secret: str | None = None) -> None:
        self.secret = secret
        self.stream: TextIO | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, outcome: Outcome, *, dry_run: bool) -> None:
        if self.stream is None:
            return
        rec = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "dataset": outcome.id,
               "name": outcome.name, "action": outcome.action, "dry_run": dry_run,
               "ok": outcome.action in ("create", "update", "unchanged"), "error": outcome.reason if outcome.action == "fail" else None,
               "reason": outcome.reason, "changed": outcome.changed, "resources": outcome.resources,
               "ckan_id": outcome.ckan_id, "note": outcome.note}
        # keys and values first (before encoding), then the line (for anything encoded on the way)
        line = json.dumps(redact_tree(rec, (self.secret,)), ensure_ascii=False, allow_nan=False)
        self.stream.write(redact(line, self.secret) + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _skip_reason(ds: DatasetResult) -> tuple[str, str] | None:
    if not ds.id:
        return "no dataset id: the CKAN name is derived from it", "ไม่มีรหัสชุดข้อมูล ซึ่งใช้สร้างชื่อ URL ใน CKAN"
    if not ds.complete:
        items = ", ".join(ds.failed_items)
        return (f"not complete: items {items} missing or not conforming",
                f"ข้อมูลไม่ครบ 14 รายการ: รายการที่ {items} ขาดหรือไม่สอดคล้องตามมาตรฐาน")
    if any(f.is_error for f in ds.findings):
        return "has error findings", "มีข้อผิดพลาด"
    return None


def rejected_findings(ds: DatasetResult, error_dict: dict[str, Any], standard: str = DEFAULT_STANDARD) -> list[Finding]:
    """CKAN's ValidationError dict as ``ckan_rejected`` findings, one per field, labelled with the items of
    the standard the report was validated with (see :mod:`catalog_tools.rules.online`)."""
    return ckan_rejected(ds, error_dict, standard)


Progress = Callable[[int], None]


def publish_report(report: Report, client: CkanClient, options: PublishOptions | None = None, *,
                   progress: Progress | None = None, secret: str | None = None) -> PublishResult:
    """Publish the complete datasets of ``report`` to ``client``; see the module docstring.

    With ``options.workers`` > 1, datasets are planned and sent by that many threads (at most
    :data:`MAX_WORKERS`, all to one host, each keeping its own connection; a 429 pauses them
    all — see the client). Each dataset is still handled by one worker from look-up to the last
    write, two inputs with the same name never run at once (the second is skipped as a
    duplicate before anything starts), and the log gets each outcome as it happens; the
    result lists outcomes in input order.
    """
    options = options or PublishOptions()
    orgs = OrgResolver(client, options.org)
    orgs.check_fixed()
    if options.fields == "auto":
        mode, allowed = detect_fields(client)
    else:
        mode, allowed = options.fields, None
    result = PublishResult(ckan_url=client.url, dry_run=options.dry_run, fields=mode)
    datasets = report.datasets
    # sequential and read-only: skip reasons, duplicate names and organizations, before any worker starts
    seen: set[str] = set()
    early: dict[int, Outcome] = {}
    owners: dict[int, str] = {}
    for i, ds in enumerate(datasets):
        outcome, owner = _precheck(ds, orgs, seen)
        if outcome is not None:
            early[i] = outcome
        else:
            owners[i] = owner  # type: ignore[assignment]
    names = [derive_name(datasets[i].id) for i in owners]  # type: ignore[arg-type]
    searched: set[str] = set()
    known = find_by_names(client, names, searched=searched) if options.batch_lookup and len(names) > 1 else {}
    if options.dry_run:  # a dry run shows what package_show says (a deleted dataset's name, say)
        searched.clear()
    outcomes: list[Outcome | None] = [None] * len(datasets)
    lock = threading.Lock()
    log = JsonLog(options.log_path, secret=secret)

    def finish(i: int, outcome: Outcome) -> None:
        with lock:
            outcomes[i] = outcome
            log.write(outcome, dry_run=options.dry_run)
            if progress:
                progress(sum(1 for o in outcomes if o is not None))

    def work(i: int) -> Outcome:
        ds = datasets[i]
        if i in early:
            return early[i]
        if result.aborted or result.interrupted:
            return _not_attempted(ds, result)
        target = Target(owners[i], mode, allowed, report.standard)
        try:
            name = derive_name(ds.id)  # type: ignore[arg-type]
            return _one(client, ds, target, options, known.get(name), absent=name in searched and name not in known)
        except CkanUnreachable as exc:
            with lock:
                result.aborted = result.aborted or redact(str(exc), secret)
            return Outcome(ds.id, derive_name(ds.id) if ds.id else None, ds.title, "fail",
                           redact(str(exc), secret), "ไม่สามารถติดต่อเซิร์ฟเวอร์ CKAN ได้")

    try:
        run_in_order(len(datasets), work, finish, workers=min(max(1, options.workers), MAX_WORKERS),
                     on_interrupt=lambda: setattr(result, "interrupted", True),
                     interrupted=lambda i: _interrupted(datasets[i]),
                     not_started=lambda i: _not_attempted(datasets[i], result))
    finally:
        log.close()
    result.outcomes = [o for o in outcomes if o is not None]
    return result


def _interrupted(ds: DatasetResult) -> Outcome:
    return Outcome(ds.id, derive_name(ds.id) if ds.id else None, ds.title, "fail",
                   "interrupted while sending; rerun to finish", "ถูกขัดจังหวะระหว่างส่งข้อมูล")


def _not_attempted(ds: DatasetResult, result: PublishResult) -> Outcome:
    why = "not attempted: the run stopped early" if result.aborted else "not attempted: interrupted"
    return Outcome(ds.id, derive_name(ds.id) if ds.id else None, ds.title, "skip", why,
                   "ไม่ได้ดำเนินการ: การทำงานหยุดก่อนเสร็จ")


def _precheck(ds: DatasetResult, orgs: OrgResolver, seen: set[str]) -> tuple[Outcome | None, str | None]:
    """(an outcome when the dataset is not sent, else None; its organization)."""
    name = derive_name(ds.id) if ds.id else None
    base = Outcome(ds.id, name, ds.title, "skip")
    why = _skip_reason(ds)
    if why is None and name in seen:
        why = (f"duplicate dataset id in the input (same CKAN name {name})", "รหัสชุดข้อมูลซ้ำกันในข้อมูลนำเข้า")
    if why:
        base.reason, base.reason_th = why
        base.findings = [f for f in ds.all_findings() if f.is_error]
        return base, None
    seen.add(name)  # type: ignore[arg-type]
    owner = orgs.resolve(ds.organization)
    if owner is None:
        base.action = "fail"
        base.reason = f"organization '{ds.organization}' not found on CKAN (give --org NAME)"
        base.reason_th = f"ไม่พบองค์กร '{ds.organization}' ใน CKAN (ระบุ --org NAME)"
        return base, None
    return None, owner


def _one(client: CkanClient, ds: DatasetResult, target: Target, options: PublishOptions,
         known: dict[str, Any] | None = None, absent: bool = False) -> Outcome:
    name = derive_name(ds.id) if ds.id else None
    base = Outcome(ds.id, name, ds.title, "skip")
    owner = target.owner_org
    try:
        plan = plan_dataset(client, ds, target, known=known, absent=absent)
        if plan.from_search and plan.action == "update":  # never patch from the index: read the database
            plan = plan_dataset(client, ds, target)
        base.resources = _res_counts(plan)
        refused = _not_ours(plan, owner)
        if refused:
            base.action = "fail"
            base.reason, base.reason_th = refused
            return base
        base.action, base.changed = plan.action, plan.changed_fields
        base.ckan_id = plan.existing.get("id") if plan.existing else None
        if not options.dry_run:
            _apply(client, plan, base)
    except CkanValidationError as exc:
        base.action = "fail"
        base.reason = f"CKAN rejected the dataset: {exc}"
        base.reason_th = "CKAN ไม่รับชุดข้อมูล"
        base.findings = rejected_findings(ds, exc.error_dict, target.standard)
    except CkanUnreachable:
        raise
    except _Refused as exc:
        base.action, base.reason, base.reason_th = "fail", str(exc), exc.reason_th
    except CkanError as exc:
        base.action = "fail"
        base.reason, base.reason_th = str(exc), f"เกิดข้อผิดพลาดจาก CKAN: {exc}"
    return base


def _apply(client: CkanClient, plan: Plan, out: Outcome) -> None:
    if plan.action == "create":
        _create_package(client, plan, out)
        return
    if plan.action != "update":
        return
    pkg_id = plan.existing["id"]  # type: ignore[index]
    if plan.patch:
        client.call_action("package_patch", {"id": pkg_id, **plan.patch})  # idempotent: the client retries it
    for res in plan.res_patch:
        client.call_action("resource_patch", res)
    known = {r.get("id") for r in (plan.existing or {}).get("resources") or []}
    for res in plan.res_create:
        _create_resource(client, pkg_id, res, known, out)


def _attempts(client: CkanClient) -> int:
    return 1 + max(0, int(getattr(client, "retries", 0) or 0))


def _maybe_done(exc: CkanError) -> bool:
    return isinstance(exc, (CkanTransientError, CkanBadAnswer)) and not isinstance(exc, CkanUnreachable) \
        and bool(getattr(exc, "maybe_done", False))


def _create_package(client: CkanClient, plan: Plan, out: Outcome) -> None:
    """``package_create``; after a lost answer, look the name up before trying again."""
    for attempt in range(_attempts(client)):
        try:
            created = client.call_action("package_create", plan.package)
        except CkanValidationError as exc:
            # a parallel run (or a create of ours whose answer was lost) took the name: look again
            if "already in use" not in str(exc.error_dict.get("name", "")):
                raise
            again = plan_dataset(client, plan.dataset, plan.target)  # type: ignore[arg-type]
            if again.action == "create":
                raise CkanError(f"CKAN says the name {plan.name} is in use but does not show that dataset "
                                "(deleted, or private to another organization?)") from None
            _adopt(client, again, out, created_here=attempt > 0)  # attempt > 0: ours, after a lost answer
            return
        except CkanError as exc:
            if not _maybe_done(exc):
                raise
            again = plan_dataset(client, plan.dataset, plan.target)  # type: ignore[arg-type]
            if again.action != "create":  # it is there: the create happened, its answer was lost
                _adopt(client, again, out, created_here=True, lost=str(exc))
                return
            if attempt + 1 >= _attempts(client):
                raise
            continue
        out.ckan_id = created.get("id")
        return


def _adopt(client: CkanClient, again: Plan, out: Outcome, *, created_here: bool,
           lost: str = "an earlier attempt") -> None:
    """Carry on with a dataset found by name after a create did not answer as expected.

    The name may have been taken meanwhile by a deleted dataset or another organization's
    (a parallel run, a portal user): the same refusals as for a planned update apply.
    """
    refused = _not_ours(again, again.target.owner_org) if again.target else None
    if refused:
        raise _Refused(refused)
    out.ckan_id = again.existing.get("id") if again.existing else None
    if created_here:
        out.action = "create"
        out.note = f"created; the server's answer was lost ({lost}) and the dataset was found by name"
        if again.action == "update":
            out.changed = again.changed_fields
            _apply(client, again, out)
        return
    out.action, out.changed, out.resources = again.action, again.changed_fields, _res_counts(again)
    if again.action == "update":
        _apply(client, again, out)


def _create_resource(client: CkanClient, pkg_id: str, res: dict[str, Any], known: set[Any], out: Outcome) -> None:
    """``resource_create``; after a lost answer, re-read the dataset and match the new resource first."""
    for attempt in range(_attempts(client)):
        try:
            made = client.call_action("resource_create", {"package_id": pkg_id, **res})
        except CkanError as exc:
            if not _maybe_done(exc):
                raise
            pkg = client.call_action("package_show", {"id": pkg_id})
            found = _new_resource(pkg.get("resources") or [], res, known)
            if found is not None:
                known.add(found.get("id"))
                out.note = f"a resource was created; the server's answer was lost ({exc}) and it was found on re-reading"
                return
            if attempt + 1 >= _attempts(client):
                raise
            continue
        known.add(made.get("id") if isinstance(made, dict) else None)
        return


def _new_resource(resources: list[Any], want: dict[str, Any], known: set[Any]) -> dict[str, Any] | None:
    """A resource not there before this run (nor made by it) with ``want``'s URL and name."""
    for r in resources:
        if isinstance(r, dict) and r.get("id") not in known and r.get("url") == want.get("url") \
                and (r.get("name") or None) == (want.get("name") or None):
            return r
    return None


def _not_ours(plan: Plan, owner: str) -> tuple[str, str] | None:
    """Why an existing dataset with our name must not be written to (deleted, or another organization's)."""
    name = plan.name
    if plan.existing and plan.existing.get("state") == "deleted":
        return (f"the name {name} belongs to a deleted dataset; purge it or restore it first",
                f"ชื่อ {name} เป็นของชุดข้อมูลที่ถูกลบ กรุณาล้างหรือกู้คืนก่อน")
    other = _other_org(plan.existing, owner)
    if other:
        return (f"the name {name} is already used by a dataset of organization '{other}'; not taken over",
                f"ชื่อ {name} ถูกใช้แล้วโดยชุดข้อมูลขององค์กร '{other}' จึงไม่แก้ไขชุดข้อมูลนั้น")
    return None


class _Refused(CkanError):
    """An existing dataset found after a create that must not be written to; carries both languages."""

    def __init__(self, reasons: tuple[str, str]) -> None:
        super().__init__(reasons[0])
        self.reason_th = reasons[1]


def _other_org(existing: dict[str, Any] | None, owner: str) -> str | None:
    """The organization of an existing dataset when it is not ``owner`` (a name clash across agencies)."""
    if not existing:
        return None
    org = existing.get("organization") or {}
    if owner in (existing.get("owner_org"), org.get("name"), org.get("id")):
        return None
    return str(org.get("name") or existing.get("owner_org") or "")


def _res_counts(plan: Plan) -> dict[str, Any]:
    created = len(plan.package.get("resources") or []) if plan.action == "create" else len(plan.res_create)
    out: dict[str, Any] = {"created": created, "updated": len(plan.res_patch), "unchanged": plan.res_unchanged,
                           "skipped": len(plan.res_skipped)}
    if plan.res_skipped:
        out["skipped_detail"] = plan.res_skipped
    return out
