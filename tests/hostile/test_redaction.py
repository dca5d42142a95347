"""The token never reaches any output: raw, cut short, or in an encoded form."""
from __future__ import annotations

import html
import json
from urllib.parse import quote

import pytest

from catalog_tools.ckan.publish import JsonLog, Outcome
from catalog_tools.redaction import forget_all, redact, redact_tree, remember
from tests.hostile.catalog import Catalog

#: printable ASCII only (an HTTP header must carry it), with the characters JSON, HTML and CSV escape
ODD_TOKEN = 'ckan"tok\\en<&>\'-2024-กรมการท่องเที่ยว'.encode("ascii", "ignore").decode() + "-9f3a"


@pytest.fixture(autouse=True)
def _fresh():
    forget_all()
    yield
    forget_all()


def test_every_encoded_form_of_the_token_is_removed():
    remember(ODD_TOKEN)
    forms = [ODD_TOKEN, json.dumps(ODD_TOKEN)[1:-1], json.dumps(json.dumps(ODD_TOKEN)[1:-1])[1:-1], html.escape(ODD_TOKEN),
             ODD_TOKEN.replace('"', '""'), repr(ODD_TOKEN)[1:-1], quote(ODD_TOKEN, safe="")]
    for form in forms:
        assert redact(f"ข้อผิดพลาด: {form} (HTTP 400)") == "ข้อผิดพลาด: *** (HTTP 400)"
    tree = redact_tree({ODD_TOKEN: [f"bad {ODD_TOKEN}", 3, None], "ok": "ชุดข้อมูล"})
    assert tree == {"***": ["bad ***", 3, None], "ok": "ชุดข้อมูล"}


def test_the_json_log_redacts_before_encoding(tmp_path):
    log = tmp_path / "publish.jsonl"
    writer = JsonLog(log, secret=ODD_TOKEN)
    writer.write(Outcome("DataSet_11_01", "dataset_11_01", "สถิตินักท่องเที่ยว", "fail",
                         reason=f"CKAN said: bad key {ODD_TOKEN}", resources={ODD_TOKEN: 1}), dry_run=False)
    writer.close()
    text = log.read_text(encoding="utf-8")
    assert ODD_TOKEN not in text and json.dumps(ODD_TOKEN)[1:-1] not in text and "tok\\\\en" not in text
    record = json.loads(text)
    assert record["reason"] == "CKAN said: bad key ***" and record["resources"] == {"***": 1}


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_validation_error_echoing_the_token_in_keys_and_values_never_reaches_stdout_stderr_or_the_log(
        run_cli, examples, tmp_path, fmt, no_network):
    token_file = tmp_path / "token"
    token_file.write_text(ODD_TOKEN + "\n", encoding="ascii")
    log = tmp_path / "publish.jsonl"
    with Catalog(0) as cat:
        cat.echo_token = True
        r = run_cli("publish", examples / "tourism-template2-3.xlsx", "--ckan", cat.url, "--token-file", token_file,
                    "--fields", "extras", "--format", fmt, "--log", log)
        assert cat.calls.get("package_create") == 3
    everything = r.stdout + r.stderr + log.read_text(encoding="utf-8")
    assert r.exit_code == 1 and "***" in everything
    for form in (ODD_TOKEN, json.dumps(ODD_TOKEN)[1:-1], ODD_TOKEN[:12], ODD_TOKEN[-12:], html.escape(ODD_TOKEN)):
        assert form not in everything
