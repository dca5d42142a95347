"""Pieces of the web app that need no browser: upload names, the result store, the score form."""
from __future__ import annotations

import os
import time
from pathlib import Path

from catalog_tools.web.app import _declarations, safe_name
from catalog_tools.web.store import ResultStore


def test_upload_names_are_only_a_name():
    assert safe_name("บัญชีข้อมูล กรมการท่องเที่ยว.xlsx") == "บัญชีข้อมูล กรมการท่องเที่ยว.xlsx"
    assert safe_name("C:\\Users\\steward\\Desktop\\Template2-3.xlsx") == "Template2-3.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name('<img src=x onerror="alert(1)">.xlsx') == "img src=x onerror=alert(1).xlsx"
    assert safe_name("\x00\x1b[31m.csv") == "[31m.csv"
    assert safe_name("") == "upload" and safe_name("...") == "upload"
    long = safe_name("ก" * 300 + ".xlsx")
    assert len(long) <= 100 and long.endswith(".xlsx")


def test_result_store_tokens_and_expiry(tmp_path: Path):
    store = ResultStore(tmp_path / "state", ttl=60)
    token, folder = store.new()
    assert len(token) == 32 and folder.is_dir() and oct(folder.stat().st_mode & 0o777) == "0o700"
    store.write_meta(token, {"kind": "check", "name": "บัญชีข้อมูล.xlsx"})
    assert store.read_meta(token) == {"kind": "check", "name": "บัญชีข้อมูล.xlsx"}
    assert store.folder("../" + token[3:]) is None and store.folder("A" * 31) is None
    old = time.time() - 120
    os.utime(folder, (old, old))
    assert store.folder(token) is None  # expired
    other, _ = store.new()  # a new result purges the expired ones
    assert not folder.exists() and store.folder(other) is not None


class _Form(dict):
    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([] if value is None else [value])


def test_score_form_becomes_the_declarations_of_docs_scoring():
    form = _Form({"agency": "กรมการท่องเที่ยว", "catalog_url": " https://catalog.tourism.go.th ",
                  "scope-2566": "ภารกิจหลักของหน่วยงาน", "scope-2565": "not used for 2566", "dataset_list": "1",
                  "gd_catalog": "DataSet_11_01, DataSet_11_02", "ssot": "all", "uploaded": "1",
                  "use_dataset": ["DataSet_12_02", "", "DataSet_11_01"], "use_evidence": ["แอปพลิเคชันแผนที่", "x", ""]})
    decl, url = _declarations(form, 2566)
    assert url == "https://catalog.tourism.go.th"
    assert decl == {"fy": 2566, "agency": "กรมการท่องเที่ยว", "catalog_url": "https://catalog.tourism.go.th",
                    "use_scope": "ภารกิจหลักของหน่วยงาน", "dataset_list": True, "uploaded": "all",
                    "gd_catalog_registered": ["DataSet_11_01", "DataSet_11_02"],
                    "utilization": [{"dataset": "DataSet_12_02", "evidence": "แอปพลิเคชันแผนที่"}]}
    decl, _ = _declarations(_Form({"scope-2566": "a value outside the rubric"}), 2566)
    assert "use_scope" not in decl
