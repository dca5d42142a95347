"""A dict-backed fake CKAN behind the :class:`~catalog_tools.ckan.client.CkanClient` interface (test code, not shipped).

It follows CKAN semantics where publish and audit depend on them: ``NotFound`` for unknown
names, ``ValidationError`` dicts (name rules, name in use, unknown organization, tag rules),
``package_patch`` merging top-level keys while a given ``resources``/``extras``/``tags``
list replaces the old one, resource ids, ``metadata_modified`` bumped on every write,
``package_search`` paging with ``fq=organization:NAME`` and private datasets hidden unless
``include_private`` with a token. ``mode="extras"`` stores custom fields as ``extras`` like a
CKAN without ckanext-scheming. ``calls`` records every action; ``writes`` the write actions.
``fail`` lets a test inject errors: ``fail["package_create"] = [CkanTransientError("boom")]``.
"""
from __future__ import annotations

import copy
import itertools
import json
import re
from datetime import datetime, timedelta
from typing import Any, Callable

from catalog_tools.ckan.client import CkanNotFound, CkanValidationError
from catalog_tools.ckan.mapping import CORE_FIELDS

_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
_TAG = re.compile(r"^[\w \-.\u0E00-\u0E7F]{2,100}$")
WRITE_ACTIONS = frozenset({"package_create", "package_update", "package_patch", "package_delete", "resource_create",
                           "resource_patch", "resource_update", "resource_delete", "organization_create"})


class FakeCkan:
    """An in-memory CKAN. ``validator(pkg) -> error_dict | None`` can add server-side rules."""

    def __init__(self, url: str = "http://ckan.example.test", *, mode: str = "top-level", token: str | None = "t",
                 validator: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
                 scheming_fields: list[str] | None = None) -> None:
        self.url = url
        self.mode = mode
        self.token = token
        self.validator = validator
        self.scheming_fields = scheming_fields
        self.packages: dict[str, dict[str, Any]] = {}  # by id
        self.orgs: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, list[Exception]] = {}
        self._ids = itertools.count(1)
        self._clock = datetime(2024, 1, 1)

    # -- interface ----------------------------------------------------------------------------
    def call_action(self, action: str, data_dict: dict[str, Any] | None = None) -> Any:
        data = copy.deepcopy(data_dict or {})
        self.calls.append((action, copy.deepcopy(data)))
        queue = self.fail.get(action)
        if queue:
            raise queue.pop(0)
        fn = getattr(self, "_" + action, None)
        if fn is None:
            raise CkanNotFound(f"action {action} is not available on this server")
        return copy.deepcopy(fn(data))

    @property
    def writes(self) -> list[tuple[str, dict[str, Any]]]:
        return [c for c in self.calls if c[0] in WRITE_ACTIONS]

    # -- helpers ------------------------------------------------------------------------------
    def add_org(self, name: str, title: str | None = None) -> dict[str, Any]:
        return self._organization_create({"name": name, "title": title or name})

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):04d}"

    def _tick(self) -> str:
        self._clock += timedelta(seconds=1)
        return self._clock.isoformat()

    def _find(self, ref: Any) -> dict[str, Any]:
        for pkg in self.packages.values():
            if ref in (pkg["id"], pkg["name"]) and pkg.get("state") != "deleted":
                return pkg
        raise CkanNotFound("Dataset not found")

    def _org(self, ref: Any) -> dict[str, Any] | None:
        for org in self.orgs.values():
            if ref in (org["id"], org["name"]):
                return org
        return None

    def _check(self, pkg: dict[str, Any], *, creating: bool) -> None:
        errors: dict[str, list[Any]] = {}
        name = pkg.get("name", "")
        if not isinstance(name, str) or not _NAME.match(name) or name in ("new", "edit", "search"):
            errors["name"] = ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]
        elif any(p["name"] == name and p["id"] != pkg.get("id") for p in self.packages.values()):
            errors["name"] = ["That URL is already in use."]
        if not pkg.get("title"):
            errors["title"] = ["Missing value"]
        if self._org(pkg.get("owner_org")) is None:
            errors["owner_org"] = ["Organization does not exist"]
        for tag in pkg.get("tags") or []:
            if not _TAG.match(tag.get("name", "")):
                errors.setdefault("tags", []).append(f'Tag "{tag.get("name")}" must be alphanumeric characters')
        for r in pkg.get("resources") or []:
            if not r.get("url"):
                errors.setdefault("resources", []).append({"url": ["Missing value"]})
        if self.validator and not errors:
            errors.update(self.validator(pkg) or {})
        if errors:
            raise CkanValidationError(errors)

    def _store(self, pkg: dict[str, Any]) -> dict[str, Any]:
        if self.mode == "extras":
            extras = {e["key"]: e["value"] for e in pkg.get("extras") or []}
            for key in list(pkg):
                if key not in CORE_FIELDS and key not in _SYSTEM and key != "extras":
                    value = pkg.pop(key)
                    extras[key] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
            pkg["extras"] = [{"key": k, "value": v} for k, v in extras.items()]
        org = self._org(pkg["owner_org"])
        pkg["owner_org"] = org["id"]  # type: ignore[index]
        pkg["organization"] = {k: org[k] for k in ("id", "name", "title")}  # type: ignore[index]
        for i, r in enumerate(pkg.get("resources") or []):
            r.setdefault("id", self._next_id("res"))
            r["package_id"] = pkg["id"]
            r["position"] = i
            if r.get("format"):
                r["format"] = str(r["format"]).upper()
            r.setdefault("datastore_active", False)
        pkg["num_resources"] = len(pkg.get("resources") or [])
        pkg["metadata_modified"] = self._tick()
        self.packages[pkg["id"]] = pkg
        return pkg

    # -- actions ------------------------------------------------------------------------------
    def _status_show(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"ckan_version": "2.11.6", "site_url": self.url}

    def _scheming_dataset_schema_show(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.mode != "top-level" or self.scheming_fields is None:
            raise CkanNotFound("action scheming_dataset_schema_show is not available on this server")
        return {"dataset_fields": [{"field_name": f} for f in self.scheming_fields]}

    def _organization_create(self, data: dict[str, Any]) -> dict[str, Any]:
        org = {"id": self._next_id("org"), "name": data["name"], "title": data.get("title") or data["name"]}
        self.orgs[org["id"]] = org
        return org

    def _organization_list(self, data: dict[str, Any]) -> list[Any]:
        orgs = sorted(self.orgs.values(), key=lambda o: o["name"])
        return [dict(o) for o in orgs] if data.get("all_fields") else [o["name"] for o in orgs]

    def _organization_show(self, data: dict[str, Any]) -> dict[str, Any]:
        org = self._org(data.get("id"))
        if org is None:
            raise CkanNotFound("Organization not found")
        return dict(org)

    def _package_show(self, data: dict[str, Any]) -> dict[str, Any]:
        return self._find(data.get("id") or data.get("name"))

    def _package_create(self, data: dict[str, Any]) -> dict[str, Any]:
        pkg = dict(data, id=self._next_id("pkg"), state="active")
        pkg.setdefault("private", False)
        self._check(pkg, creating=True)
        pkg["metadata_created"] = self._clock.isoformat()
        return self._store(pkg)

    def _package_patch(self, data: dict[str, Any]) -> dict[str, Any]:
        old = self._find(data.pop("id", None) or data.get("name"))
        merged = copy.deepcopy(old)
        merged.pop("organization", None)
        merged.update(data)  # a given list (resources, tags, extras) replaces the old one
        self._check(merged, creating=False)
        return self._store(merged)

    def _package_delete(self, data: dict[str, Any]) -> dict[str, Any]:
        self._find(data["id"])["state"] = "deleted"
        return {}

    def _resource_create(self, data: dict[str, Any]) -> dict[str, Any]:
        pkg = copy.deepcopy(self._find(data.pop("package_id")))
        pkg.pop("organization", None)
        pkg.setdefault("resources", []).append(data)
        self._check(pkg, creating=False)
        stored = self._store(pkg)
        return stored["resources"][-1]

    def _resource_patch(self, data: dict[str, Any]) -> dict[str, Any]:
        rid = data.pop("id")
        for pkg in self.packages.values():
            for r in pkg.get("resources") or []:
                if r["id"] == rid:
                    r.update(data)
                    pkg.pop("organization", None)
                    self._store(pkg)
                    return r
        raise CkanNotFound("Resource was not found.")

    def _package_search(self, data: dict[str, Any]) -> dict[str, Any]:
        pkgs = [p for p in self.packages.values() if p.get("state") == "active"]
        if not (data.get("include_private") and self.token):
            pkgs = [p for p in pkgs if not p.get("private")]
        fq = data.get("fq") or ""
        m = re.search(r"organization:\"?([a-z0-9_-]+)\"?", fq)
        if m:
            pkgs = [p for p in pkgs if p["organization"]["name"] == m.group(1)]
        pkgs.sort(key=lambda p: p["name"])
        start, rows = int(data.get("start", 0)), int(data.get("rows", 10))
        return {"count": len(pkgs), "results": pkgs[start:start + rows]}


_SYSTEM = frozenset({"id", "state", "type", "resources", "organization", "metadata_modified", "metadata_created",
                     "num_resources", "num_tags", "groups"})
