"""Planning one dataset: create, update (which fields, which resources), or unchanged.

Planning only reads (``package_show``), so ``--dry-run`` is planning without applying.
The comparison looks only at what the input mentions, with both sides normalised (CKAN
returns multi-choices as lists or JSON-list strings, tags as dicts, custom fields as extras
without scheming), so a second identical run plans nothing and writes nothing.

Update rules (why): ``package_patch`` sends only changed fields; a ``tags`` or ``extras`` list
in a patch replaces the old list, so tags are sent as the union of the server's tags and
ours, and extras as the server's list with our keys changed. Resources are never sent in a
package patch (that would replace the list): each one is matched to an existing resource by
URL, then by name, and created or patched on its own; resources the input does not mention
stay.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import DatasetResult
from ..schemas_api import DEFAULT_STANDARD
from .client import CkanClient, CkanNotFound
from .mapping import comparable, existing_value, package_dict, resource_dict, tag_names

_LOOSE = {"format"}  # CKAN cleans formats (csv → CSV)


@dataclass(slots=True)
class Plan:
    """What publishing one dataset needs; ``action`` is create / update / unchanged."""

    dataset: DatasetResult
    name: str
    action: str
    package: dict[str, Any]  # the full desired package (create) — resources included
    existing: dict[str, Any] | None = None
    patch: dict[str, Any] = field(default_factory=dict)
    res_create: list[dict[str, Any]] = field(default_factory=list)
    res_patch: list[dict[str, Any]] = field(default_factory=list)
    res_unchanged: int = 0
    res_skipped: list[dict[str, Any]] = field(default_factory=list)
    target: "Target | None" = None
    from_search: bool = False  #: ``existing`` came from the search index, not from package_show

    @property
    def changed_fields(self) -> list[str]:
        return sorted(k for k in self.patch if k != "id")


@dataclass(slots=True)
class Target:
    """Where and how to write: the resolved organization and the server's field layout."""

    owner_org: str
    fields: str = "top-level"  # or "extras"
    allowed: frozenset[str] | None = None
    standard: str = DEFAULT_STANDARD


def desired(ds: DatasetResult, target: Target) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(package without resources, resources to send, resources skipped with why)."""
    pkg = package_dict(ds.values, owner_org=target.owner_org, fields=target.fields,  # type: ignore[arg-type]
                       standard=target.standard, allowed=target.allowed)
    send, skipped = [], []
    for r in ds.resources:
        errors = [f for f in r.findings if f.is_error]
        if errors:
            skipped.append({"index": r.index, "name": r.name, "url": r.url,
                            "reason": "; ".join(f.message for f in errors),
                            "reason_th": "; ".join(f.message_th for f in errors)})
            continue
        send.append(resource_dict(r.values, standard=target.standard))
    return pkg, send, skipped


def plan_dataset(client: CkanClient, ds: DatasetResult, target: Target, *, known: dict[str, Any] | None = None,
                 absent: bool = False) -> Plan:
    """Look the dataset up by its derived name and compare; reads only.

    ``known`` is the catalog's dataset when a batch look-up already found it; ``absent`` says
    a batch look-up did not find it among active datasets. Either way there is no
    ``package_show`` (``from_search`` marks a plan made from the index). A create planned on
    ``absent`` that meets a deleted or draft dataset of that name gets "already in use" and the
    name is looked up then.
    """
    pkg, resources, skipped = desired(ds, target)
    name = pkg["name"]
    if known is not None or absent:
        existing: dict[str, Any] | None = known
    else:
        try:
            existing = client.call_action("package_show", {"id": name})
        except CkanNotFound:
            existing = None
    if existing is None:
        full = dict(pkg, resources=resources) if resources else dict(pkg)
        return Plan(ds, name, "create", full, res_skipped=skipped, target=target)
    plan = Plan(ds, name, "unchanged", pkg, existing=existing, res_skipped=skipped, target=target,
                from_search=known is not None)
    plan.patch = diff_package(pkg, existing)
    diff_resources(plan, resources, existing.get("resources") or [])
    if plan.patch or plan.res_create or plan.res_patch:
        plan.action = "update"
    return plan


def diff_package(want: dict[str, Any], have: dict[str, Any]) -> dict[str, Any]:
    """The ``package_patch`` data_dict (without ``id``) that brings ``have`` up to ``want``."""
    patch: dict[str, Any] = {}
    for key, value in want.items():
        if key in ("name", "resources", "tags", "extras", "owner_org"):
            continue
        if comparable(value) != comparable(existing_value(have, key)):
            patch[key] = value
    # extras: only ours changed, the rest of the server's list kept as it is
    want_extras = {e["key"]: e["value"] for e in want.get("extras") or []}
    changed = {k: v for k, v in want_extras.items() if comparable(v) != comparable(existing_value(have, k))}
    if changed:
        merged, seen = [], set()
        for e in have.get("extras") or []:
            key = e.get("key")
            seen.add(key)
            merged.append({"key": key, "value": changed.get(key, e.get("value"))})
        merged += [{"key": k, "value": v} for k, v in changed.items() if k not in seen]
        patch["extras"] = merged
    org = have.get("organization") or {}
    if want.get("owner_org") and want["owner_org"] not in (have.get("owner_org"), org.get("name"), org.get("id")):
        patch["owner_org"] = want["owner_org"]
    have_tags = tag_names(have)
    missing = [t["name"] for t in want.get("tags") or [] if t["name"] not in have_tags]
    if missing:
        patch["tags"] = [{"name": t} for t in have_tags + missing]
    return patch


def diff_resources(plan: Plan, wanted: list[dict[str, Any]], existing: list[dict[str, Any]]) -> None:
    """Match each wanted resource to an existing one (URL, then name); create or patch it."""
    used: set[str] = set()
    for want in wanted:
        match = _match(want, existing, used)
        if match is None:
            plan.res_create.append(want)
            continue
        used.add(match["id"])
        changed = {k: v for k, v in want.items()
                   if comparable(v, loose=k in _LOOSE) != comparable(match.get(k), loose=k in _LOOSE)}
        if changed:
            plan.res_patch.append({"id": match["id"], **changed})
        else:
            plan.res_unchanged += 1


def _match(want: dict[str, Any], existing: list[dict[str, Any]], used: set[str]) -> dict[str, Any] | None:
    for key in ("url", "name"):
        value = want.get(key)
        if not value:
            continue
        for r in existing:
            if r.get("id") not in used and r.get(key) == value:
                return r
    return None
