"""A small CKAN catalog served by :class:`~tests.hostile.httpd.HostileServer` with paging faults.

Only what audit and the organization resolver read: ``status_show``, ``package_search``
(``start``/``rows``/``sort``/``fq=organization``), ``current_package_list_with_resources``,
``organization_list``. Faults (set on the instance): ``ignore_offset`` (every page is the
first), ``count_drift`` (the count grows by this on each call), ``delete_after_first_page``
(the first dataset disappears once page one is served, so later pages shift), ``search_fails``
(package_search answers 500), ``echo_token`` (package_create answers a ValidationError whose
key and message quote the Authorization header), ``page_delay`` (seconds every search page after
the first waits before it is answered: a slow portal), ``fail_from`` (search pages from this
``start`` on answer 500, with the token in the error page), ``max_calls`` (a safety bound: the server answers 503 after
that many calls, so a client loop can never run long).
"""
from __future__ import annotations

import time
import uuid
from typing import Any

from tests.hostile.httpd import Handler, HostileServer

PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ภูเก็ต", "ขอนแก่น", "สงขลา", "ชลบุรี", "นครราชสีมา", "อุดรธานี"]


def package(i: int, *, private: bool = False) -> dict[str, Any]:
    province = PROVINCES[i % len(PROVINCES)]
    return {"id": str(uuid.UUID(int=0x7A11 << 64 | i)), "name": f"tourism-visitors-{i:03d}",
            "title": f"สถิตินักท่องเที่ยว {province} ชุดที่ {i}", "private": private, "state": "active",
            "owner_org": "tourism", "organization": {"name": "tourism", "title": "กรมการท่องเที่ยว"},
            "notes": f"จำนวนนักท่องเที่ยวชาวไทยและชาวต่างชาติที่เดินทางมาจังหวัด{province}", "resources": []}


class Catalog:
    def __init__(self, n: int = 25, *, orgs: int = 3) -> None:
        self.packages = [package(i, private=i % 10 == 9) for i in range(n)]
        self.orgs = [{"name": "tourism" if i == 0 else f"agency-{i:02d}", "title": "กรมการท่องเที่ยว" if i == 0
                      else f"หน่วยงานทดสอบที่ {i}", "display_name": f"หน่วยงาน {i}"} for i in range(orgs)]
        self.ignore_offset = False
        self.count_drift = 0
        self.delete_after_first_page = False
        self.search_fails = False
        self.echo_token = False
        self.page_delay = 0.0
        self.fail_from: int | None = None
        self.max_calls = 300
        self.calls: dict[str, int] = {}
        self.server = HostileServer({"*": self._route})

    def __enter__(self) -> "Catalog":
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url("")

    def _route(self, h: Handler) -> None:
        action, data = h.action, h.data()
        self.calls[action] = self.calls.get(action, 0) + 1
        if sum(self.calls.values()) > self.max_calls:
            h.json(503, {"success": False, "error": {"message": "too many calls"}})
            return
        if action == "status_show":
            h.json(200, {"success": True, "result": {"ckan_version": "2.11.6", "site_title": "ทดสอบ"}})
        elif action == "package_search":
            self._search(h, data)
        elif action == "current_package_list_with_resources":
            start = 0 if self.ignore_offset else int(data.get("offset") or 0)
            public = [p for p in self.packages if not p["private"]]
            h.json(200, {"success": True, "result": public[start:start + int(data.get("limit") or 10)]})
        elif action == "organization_list":
            start = 0 if self.ignore_offset else int(data.get("offset") or 0)
            h.json(200, {"success": True, "result": self.orgs[start:start + int(data.get("limit") or 25)]})
        elif action == "package_show":
            h.json(404, {"success": False, "error": {"__type": "Not Found Error", "message": "Not found"}})
        elif action == "package_create" and self.echo_token:
            auth = h.headers.get("Authorization", "")
            h.json(409, {"success": False, "error": {"__type": "Validation Error", auth: [f"unknown key {auth}"],
                                                     "title": ["ชื่อซ้ำ " + "ก" * 300 + auth]}})
        else:
            h.json(400, {"success": False, "error": {"message": f"Bad request - Action name not known: {action}"}})

    def _search(self, h: Handler, data: dict[str, Any]) -> None:
        if self.search_fails:
            h.json(500, {"success": False, "error": {"message": "Search index unavailable"}})
            return
        items = [p for p in self.packages if data.get("include_private") or not p["private"]]
        reverse = str(data.get("sort", "")).endswith("desc")
        items.sort(key=lambda p: p["name"], reverse=reverse)
        start = 0 if self.ignore_offset else int(data.get("start") or 0)
        if self.page_delay and int(data.get("start") or 0):
            time.sleep(self.page_delay)
        if self.fail_from is not None and int(data.get("start") or 0) >= self.fail_from:
            auth = h.headers.get("Authorization", "")
            h.json(500, {"success": False, "error": {"message": f"Solr down while serving {auth}"}})
            return
        rows = int(data.get("rows") or 10)
        page = items[start:start + rows]
        count = len(items) + self.count_drift * self.calls["package_search"]
        h.json(200, {"success": True, "result": {"count": count, "results": page}})
        if self.delete_after_first_page and start == 0 and not reverse:
            self.delete_after_first_page = False
            self.packages.pop(0)
