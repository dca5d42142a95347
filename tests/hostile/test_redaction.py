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


def _page(n: int, echo: str | None = None, where: str = "notes") -> dict:
    """A package_search result as a hostile catalog might send it: the token echoed in one place."""
    results = []
    for i in range(n):
        pkg = {"name": f"tourist-arrivals-{i:04d}", "title": f"จำนวนนักท่องเที่ยว ชุดที่ {i}",
               "notes": "สถิตินักท่องเที่ยวรายเดือน", "extras": [{"key": "data_category", "value": "ข้อมูลสาธารณะ"}],
               "resources": [{"name": "ไฟล์ CSV", "url": f"https://data.tat.or.th/{i}.csv", "format": "CSV"}]}
        results.append(pkg)
    if echo is not None:
        target = results[n // 2]
        if where == "key":
            target["extras"].append({echo: "x"})
        elif where == "deep":
            target["resources"][0]["url"] = f"https://data.tat.or.th/x.csv?apikey={echo}"
        else:
            target["notes"] = f"ติดต่อ {echo} เพื่อขอข้อมูล"
    return {"count": n, "results": results}


@pytest.mark.parametrize("where", ["notes", "key", "deep"])
@pytest.mark.parametrize("token", ["eyJhbGciOiJIUzI1NiJ9.tat-2024_ckan", ODD_TOKEN])
def test_a_large_answer_echoing_the_token_anywhere_is_cleaned(where, token):
    """The fast check that skips the walk must never skip a tree that holds the token (or a form of it)."""
    page = _page(400, token, where)
    raw = json.dumps(page)  # escaped as CKAN writes it (\\u0e08 for Thai, \\" for quotes)
    escaped_token = "".join(f"\\u{ord(c):04x}" if n < 6 else json.dumps(c)[1:-1] for n, c in enumerate(token))
    parsed = json.loads(raw.replace(json.dumps(token)[1:-1], escaped_token))  # even a token sent \\u-escaped
    cleaned = redact_tree(parsed, (token,))
    text = json.dumps(cleaned, ensure_ascii=False)
    assert token not in text and json.dumps(token)[1:-1] not in text and "***" in text


def test_a_lone_surrogate_next_to_the_token_still_gets_it_removed():
    page = _page(50, "eyJhbGciOiJIUzI1NiJ9.tat-2024_ckan")
    page["results"][0]["title"] = "ชุดข้อมูล \udcff"  # orjson cannot write this: the tree is walked instead
    cleaned = redact_tree(page, ("eyJhbGciOiJIUzI1NiJ9.tat-2024_ckan",))
    assert "eyJhbGciOiJIUzI1NiJ9" not in json.dumps(cleaned) and "***" in json.dumps(cleaned)


def test_a_clean_answer_is_returned_as_it_is_without_a_walk():
    """The fast path is taken (same object back) when the token is nowhere in the answer."""
    page = _page(400)
    assert redact_tree(page, ("eyJhbGciOiJIUzI1NiJ9.tat-2024_ckan",)) is page
    remember("eyJhbGciOiJIUzI1NiJ9.tat-2024_ckan")
    assert redact_tree(page) is page
