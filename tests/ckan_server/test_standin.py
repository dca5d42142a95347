"""Unit tests of the Solr stand-in: query parser, index semantics and HTTP answers.

No CKAN needed. A trimmed copy of CKAN 2.11's schema.xml (same field types, fields,
dynamicFields and copyFields that matter) keeps these self-contained; one test also reads
the real schema.xml when the CKAN test venv exists.
"""
from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.ckan_server import solr_standin as s

MINI_SCHEMA = """<?xml version="1.0" encoding="UTF-8" ?>
<schema name="ckan-2.11" version="1.6">
<types>
  <fieldType name="string" class="solr.StrField" sortMissingLast="true" omitNorms="true"/>
  <fieldType name="boolean" class="solr.BoolField" sortMissingLast="true" omitNorms="true"/>
  <fieldType name="int" class="solr.IntPointField" omitNorms="true"/>
  <fieldType name="date" class="solr.DatePointField" omitNorms="true"/>
  <fieldType name="text" class="solr.TextField" positionIncrementGap="100">
    <analyzer type="index">
      <tokenizer class="solr.WhitespaceTokenizerFactory"/>
      <filter class="solr.WordDelimiterGraphFilterFactory" generateWordParts="1" catenateWords="1" splitOnCaseChange="1"/>
      <filter class="solr.LowerCaseFilterFactory"/>
      <filter class="solr.SnowballPorterFilterFactory" language="English"/>
      <filter class="solr.ASCIIFoldingFilterFactory"/>
    </analyzer>
    <analyzer type="query">
      <tokenizer class="solr.WhitespaceTokenizerFactory"/>
      <filter class="solr.LowerCaseFilterFactory"/>
    </analyzer>
  </fieldType>
  <fieldType name="text_general" class="solr.TextField" positionIncrementGap="100">
    <analyzer type="index">
      <tokenizer class="solr.WhitespaceTokenizerFactory"/>
      <filter class="solr.WordDelimiterGraphFilterFactory" splitOnCaseChange="0"/>
      <filter class="solr.LowerCaseFilterFactory"/>
    </analyzer>
  </fieldType>
  <fieldType name="text_ngram" class="solr.TextField" positionIncrementGap="100">
    <analyzer type="index">
      <tokenizer class="solr.NGramTokenizerFactory" minGramSize="2" maxGramSize="10"/>
      <filter class="solr.LowerCaseFilterFactory"/>
    </analyzer>
  </fieldType>
</types>
<fields>
  <field name="index_id" type="string" indexed="true" stored="true" required="true" />
  <field name="id" type="string" indexed="true" stored="true" required="true" />
  <field name="site_id" type="string" indexed="true" stored="true" required="true" />
  <field name="title" type="text" indexed="true" stored="true" />
  <field name="title_ngram" type="text_ngram" indexed="true" stored="true" />
  <field name="entity_type" type="string" indexed="true" stored="true" />
  <field name="state" type="string" indexed="true" stored="true" />
  <field name="name" type="string" indexed="true" stored="true" />
  <field name="notes" type="text" indexed="true" stored="true"/>
  <field name="author" type="text_general" indexed="true" stored="true" />
  <field name="tags" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="groups" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="organization" type="string" indexed="true" stored="true" multiValued="false"/>
  <field name="capacity" type="string" indexed="true" stored="true" multiValued="false"/>
  <field name="permission_labels" type="string" indexed="true" stored="false" multiValued="true"/>
  <field name="res_format" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="res_url" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="text" type="text" indexed="true" stored="false" multiValued="true"/>
  <field name="urls" type="text" indexed="true" stored="false" multiValued="true"/>
  <field name="views_recent" type="int" indexed="true" stored="false"/>
  <field name="metadata_modified" type="date" indexed="true" stored="true" multiValued="false"/>
  <field name="indexed_ts" type="date" indexed="true" stored="true" default="NOW" multiValued="false"/>
  <field name="private" type="boolean" indexed="true" stored="true"/>
  <field name="validated_data_dict" type="string" indexed="false" stored="true" />
  <dynamicField name="*_date" type="date" indexed="true" stored="true" multiValued="false"/>
  <dynamicField name="extras_*" type="text" indexed="true" stored="true" multiValued="false"/>
  <dynamicField name="*" type="string" indexed="true" stored="false"/>
</fields>
<uniqueKey>index_id</uniqueKey>
<copyField source="res_url" dest="urls"/>
<copyField source="title" dest="title_ngram"/>
<copyField source="extras_*" dest="text"/>
<copyField source="urls" dest="text"/>
<copyField source="name" dest="text"/>
<copyField source="title" dest="text"/>
<copyField source="notes" dest="text"/>
<copyField source="tags" dest="text"/>
<copyField source="organization" dest="text"/>
</schema>
"""


def _doc(i: int, **kw) -> dict:
    d = {
        "index_id": f"idx{i}", "id": f"id-{i}", "site_id": "default", "entity_type": "package",
        "state": "active", "capacity": "public", "name": f"ds-{i:03d}", "title": f"Dataset {i}",
        "metadata_modified": f"2024-01-{(i % 28) + 1:02d}T10:00:00.{i:06d}Z",
        "permission_labels": ["public"], "validated_data_dict": json.dumps({"name": f"ds-{i:03d}"}),
    }
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


@pytest.fixture
def index() -> s.SolrIndex:
    idx = s.SolrIndex(s.Schema(MINI_SCHEMA))
    idx.add(_doc(1, title="Water quality survey", notes="Monthly river water measurements",
                 tags=["water", "สถิติ"], organization="org-a", res_format=["CSV", "XLSX"],
                 extras_data_type="survey", data_type="survey", views_recent=5))
    idx.add(_doc(2, title="Air pollution census", notes="PM2.5 readings by province",
                 tags=["air", "สถิติ", "รัฐบาลดิจิทัล"], organization="org-a", res_format=["CSV"],
                 extras_data_type="census", data_type="census", views_recent=50))
    idx.add(_doc(3, title="งบประมาณ รายจ่าย", notes="Budget spending of the ministry",
                 tags=["budget"], organization="org-b", extras_data_type="survey",
                 data_type="survey", private=True, capacity="private"))
    idx.add(_doc(4, title="Deleted thing", state="deleted", organization="org-b", tags=["water"]))
    return idx


def search(idx: s.SolrIndex, **params) -> dict:
    return idx.search({k.replace("__", "."): (v if isinstance(v, list) else [str(v)])
                       for k, v in params.items()})


def names(res: dict) -> list[str]:
    return [d["name"] for d in res["response"]["docs"]]


def q(idx: s.SolrIndex, query: str, **params) -> list[str]:
    params.setdefault("sort", "name asc")
    params.setdefault("fl", "name")
    params.setdefault("rows", "100")
    return names(search(idx, q=query, **params))


# -- parser --------------------------------------------------------------------------------

@pytest.mark.parametrize("query, op, expected", [
    ("a b", "OR", "(text:a text:b)"),
    ("a b", "AND", "(+text:a +text:b)"),
    ("a AND b OR c", "OR", "(+text:a +text:b text:c)"),
    ("a OR b", "AND", "(text:a text:b)"),
    ("+a -b c", "OR", "(+text:a -text:b text:c)"),
    ("a NOT b", "OR", "(text:a -text:b)"),
    ("a && !b", "OR", "(+text:a -text:b)"),
    ('+entity_type:package AND +(id:"x" OR name:"x") AND +site_id:"default"', "OR",
     '(+entity_type:package +(id:"x" name:"x") +site_id:"default")'),
    ("tags:(x OR y)", "AND", "(+(tags:x tags:y))"),
    ("*:*", "OR", "(*:*)"),
    ("views_recent:[1 TO *]", "OR", "(views_recent:[1 TO *])"),
    ("metadata_modified:{NOW-1DAY TO NOW]", "OR", "(metadata_modified:{NOW-1DAY TO NOW])"),
    (r"name:foo\-bar\:baz", "OR", "(name:foo-bar:baz)"),
])
def test_parser_clause_semantics(query, op, expected):
    assert repr(s.LuceneParser("text", op).parse(query)) == expected


@pytest.mark.parametrize("query", [
    "foo~2", "/regex/", "{!func}sum(1,2)", "title:(unclosed", '"open phrase', "AND foo",
    "name:[a TO]", "name:",
])
def test_parser_rejects_unsupported_or_broken_syntax(query):
    with pytest.raises(s.SolrError):
        s.LuceneParser("text", "OR").parse(query)


@pytest.mark.parametrize("spec, n, expected", [
    ("2<-1 5<80%", 1, 1), ("2<-1 5<80%", 2, 2), ("2<-1 5<80%", 3, 2), ("2<-1 5<80%", 5, 4),
    ("2<-1 5<80%", 6, 4), ("2<-1 5<80%", 10, 8), ("100%", 3, 3), ("0%", 3, 0), ("-1", 3, 2),
    ("2", 1, 1),
])
def test_mm(spec, n, expected):
    assert s.parse_mm(spec, n) == expected


def test_date_math():
    now = s.parse_date("2024-03-31T15:30:00Z")
    assert s.parse_date("NOW/DAY", now) == s.parse_date("2024-03-31T00:00:00Z")
    assert s.parse_date("NOW-1MONTH", now) == s.parse_date("2024-02-29T15:30:00Z")
    assert s.parse_date("NOW/MONTH+1MONTH", now) == s.parse_date("2024-04-01T00:00:00Z")
    assert s.parse_date("2024-01-01T00:00:00Z+1YEAR-1DAY") == s.parse_date("2024-12-31T00:00:00Z")
    assert s.format_date(s.date_key(s.parse_date("2024-05-01T10:20:30.123456Z"))) == "2024-05-01T10:20:30.123Z"
    assert s.format_date(s.date_key(s.parse_date("2024-05-01T10:20:30Z"))) == "2024-05-01T10:20:30Z"
    with pytest.raises(s.SolrError):
        s.parse_date("yesterday")


def test_text_analysis():
    ft = s.Schema(MINI_SCHEMA).field("text").type
    terms = [p[0] for p in s.analyze(ft, "Water-Quality surveys of Bangkok's rivers สถิติ café")]
    assert terms == ["water", "qualiti", "survey", "of", "bangkok", "river", "สถิติ", "cafe"]


# -- index semantics -------------------------------------------------------------------------

def test_match_all_fq_and_default_state_filters(index):
    assert q(index, "*:*") == ["ds-001", "ds-002", "ds-003", "ds-004"]
    assert q(index, "*:*", fq=["+site_id:\"default\"", "+state:(active)", "+capacity:public"]) == ["ds-001", "ds-002"]
    assert q(index, "*:*", fq=["+capacity:public organization:org-a +state:(active)"], q__op="AND") == ["ds-001", "ds-002"]
    # with q.op=OR the unprefixed clause is optional
    assert q(index, "*:*", fq=["+state:active organization:org-b"]) == ["ds-001", "ds-002", "ds-003"]


def test_fielded_queries(index):
    assert q(index, "tags:สถิติ") == ["ds-001", "ds-002"]
    assert q(index, "tags:(air OR budget)") == ["ds-002", "ds-003"]
    assert q(index, 'tags:"รัฐบาลดิจิทัล"') == ["ds-002"]
    assert q(index, "res_format:CSV -res_format:XLSX") == ["ds-002"]
    assert q(index, "NOT organization:org-a") == ["ds-003", "ds-004"]
    assert q(index, "data_type:survey") == ["ds-001", "ds-003"]
    assert q(index, "extras_data_type:SURVEYS") == ["ds-001", "ds-003"]   # text: stemmed, lower-cased
    assert q(index, "name:ds-00*") == ["ds-001", "ds-002", "ds-003", "ds-004"]
    assert q(index, "name:ds-00?") == ["ds-001", "ds-002", "ds-003", "ds-004"]
    assert q(index, "name:DS-001") == []                                   # string: exact
    assert q(index, "title:water*") == ["ds-001"]
    assert q(index, 'notes:"river water"') == ["ds-001"]
    assert q(index, 'notes:"water river"') == []
    assert q(index, "title:งบประมาณ") == ["ds-003"]
    assert q(index, "title_ngram:ollut") == ["ds-002"]
    assert q(index, "extras_data_type:*") == ["ds-001", "ds-002", "ds-003"]
    assert q(index, "private:true") == ["ds-003"]
    assert q(index, "views_recent:[10 TO *]") == ["ds-002"]
    assert q(index, "views_recent:{5 TO 50]") == ["ds-002"]
    assert q(index, "metadata_modified:[2024-01-02T00:00:00Z TO 2024-01-03T23:59:59Z]") == ["ds-001", "ds-002"]
    assert q(index, "metadata_modified:[* TO NOW]") == ["ds-001", "ds-002", "ds-003", "ds-004"]
    assert q(index, "metadata_modified:[NOW-1DAY TO *]") == []
    assert q(index, "(tags:water OR tags:air) AND state:active") == ["ds-001", "ds-002"]
    assert q(index, "text:river") == ["ds-001"]  # copyField notes -> text
    assert q(index, "org-b", defType="lucene", df="text") == ["ds-003", "ds-004"]


def test_dismax_free_text(index):
    dm = dict(defType="dismax", qf="name^4 title^4 tags^2 groups^2 text", mm="2<-1 5<80%",
              q__op="AND", tie="0.1")
    assert q(index, "water", **dm) == ["ds-001", "ds-004"]
    assert q(index, "water quality", **dm) == ["ds-001"]
    assert q(index, "surveys", **dm) == ["ds-001", "ds-003"]  # stemmed; extras_* copied to text
    assert q(index, "สถิติ", **dm) == ["ds-001", "ds-002"]
    assert q(index, '"water quality"', **dm) == ["ds-001"]
    assert q(index, "water -quality", **dm) == ["ds-004"]
    assert q(index, "nonexistentword", **dm) == []
    assert q(index, "ds-002", **dm) == ["ds-002"]           # name is exact string
    assert q(index, "air water measurements", **dm) == ["ds-001"]   # 3 clauses: mm=2
    assert q(index, "foo:bar (x", **dm) == []                 # syntax is literal in dismax
    # score sort: title/tags hits outrank text-only hits
    res = search(index, q="water", fl="name score", sort="score desc, name asc", **dm)
    assert names(res) == ["ds-001", "ds-004"]
    assert res["response"]["docs"][0]["score"] >= res["response"]["docs"][1]["score"]


def test_sort_paging_fl(index):
    assert q(index, "*:*", sort="metadata_modified desc") == ["ds-004", "ds-003", "ds-002", "ds-001"]
    assert q(index, "*:*", sort="views_recent desc, name desc") == ["ds-002", "ds-001", "ds-004", "ds-003"]
    res = search(index, q="*:*", sort="name asc", rows=2, start=1, fl="id,name")
    assert res["response"]["numFound"] == 4 and res["response"]["start"] == 1
    assert res["response"]["docs"] == [{"id": "id-2", "name": "ds-002"}, {"id": "id-3", "name": "ds-003"}]
    doc = search(index, q="name:ds-001", fl="*")["response"]["docs"][0]
    assert doc["tags"] == ["water", "สถิติ"] and doc["organization"] == "org-a"
    assert doc["metadata_modified"] == "2024-01-02T10:00:00Z"  # millisecond precision
    assert "permission_labels" not in doc and "text" not in doc and "data_type" not in doc  # stored=false
    assert "indexed_ts" in doc


@pytest.mark.parametrize("sort, message", [
    ("name", "Can't determine a Sort Order"),
    ("name up", "Can't determine a Sort Order"),
    ("tags asc", "multivalued"),
    ("title asc", "tokenized"),
    ("sum(a,b) asc", "function"),
])
def test_bad_sort(index, sort, message):
    with pytest.raises(s.SolrError, match=message):
        search(index, q="*:*", sort=sort)


def test_facets(index):
    res = search(index, q="*:*", fq="+state:active", facet="true",
                 facet__field=["tags", "organization", "res_format"], facet__mincount="1",
                 facet__limit="50", rows="0")
    ff = res["facet_counts"]["facet_fields"]
    assert ff["tags"] == ["สถิติ", 2, "air", 1, "budget", 1, "water", 1, "รัฐบาลดิจิทัล", 1]
    assert ff["organization"] == ["org-a", 2, "org-b", 1]
    assert ff["res_format"] == ["CSV", 2, "XLSX", 1]
    res = search(index, q="*:*", facet="true", facet__field=["tags"], facet__limit="1",
                 **{"f.tags.facet.mincount": "2"})
    assert res["facet_counts"]["facet_fields"]["tags"] == ["water", 2]
    assert res["response"]["docs"] and len(res["response"]["docs"]) == 4


def test_update_replace_and_delete(index):
    index.add(_doc(1, title="Replaced", tags=["new"]))
    assert q(index, "tags:water") == ["ds-004"]
    assert q(index, "tags:new") == ["ds-001"]
    assert index.delete_query('+entity_type:package AND +(id:"id-2" OR name:"id-2") AND +site_id:"default"') == 1
    assert q(index, "*:*") == ["ds-001", "ds-003", "ds-004"]
    assert index.delete_ids(["idx3"]) == 1
    index.update(b'{"delete": {"query": "state:deleted"}, "commit": {}}', "application/json", {})
    assert q(index, "*:*") == ["ds-001"]


@pytest.mark.parametrize("doc, message", [
    ({"id": "x", "site_id": "d"}, "uniqueKey"),
    ({"index_id": "x", "site_id": "d"}, "missing required field: id"),
    (_doc(9, organization=["a", "b"]), "multiple values"),
    (_doc(9, data_type=["a", "b"]), "multiple values"),
    (_doc(9, metadata_modified="not a date"), "metadata_modified"),
    (_doc(9, views_recent="many"), "views_recent"),
])
def test_add_rejects_what_solr_rejects(index, doc, message):
    with pytest.raises(s.SolrError, match=message):
        index.add(doc)


@pytest.mark.parametrize("params", [
    {"q": "*:*", "hl": "true"}, {"q": "*:*", "group": "true"}, {"q": "*:*", "facet.query": "x:y"},
    {"q": "*:*", "wt": "xml"}, {"q": "*:*", "fl": "name,[explain]"}, {"q": "*:*", "bf": "x"},
    {"q": "*:*", "rows": "-1"}, {"q": "*:*", "defType": "func"}, {"q": "nofield:(a"},
])
def test_unsupported_params_are_loud(index, params):
    with pytest.raises(s.SolrError):
        index.search({k: [v] for k, v in params.items()})


def test_journal_persistence(tmp_path):
    schema = s.Schema(MINI_SCHEMA)
    idx = s.SolrIndex(schema, data_dir=str(tmp_path))
    for i in range(5):
        idx.add(_doc(i))
    idx.add(_doc(2, title="updated"))
    idx.delete_query("name:ds-004")
    idx._journal.close()
    again = s.SolrIndex(schema, data_dir=str(tmp_path))
    try:
        assert q(again, "*:*") == ["ds-000", "ds-001", "ds-002", "ds-003"]
        assert q(again, "title:updated") == ["ds-002"]
        # the journal was compacted to one add per live document
        assert len((tmp_path / "index.jsonl").read_text().splitlines()) == 4
    finally:
        again._journal.close()


@pytest.mark.ckan
def test_real_ckan_schema(ckan_server):
    """The schema.xml of the CKAN the tests run (the ckan_server fixture installs it)."""
    venv = Path(os.environ.get("CKAN_TEST_HOME") or Path.home() / ".cache" / "catalog-tools-ckan") / "venv"
    try:
        path = s.find_schema_xml(str(venv))
    except FileNotFoundError:
        pytest.skip("CKAN test venv not installed (scripts/ckan-test-server.sh start installs it)")
    schema = s.Schema(Path(path).read_text(encoding="utf-8"))
    assert schema.name.startswith("ckan-2.")
    assert schema.unique_key == "index_id"
    assert schema.field("tags").multi and schema.field("tags").kind == "string"
    assert schema.field("extras_anything").kind == "text"
    assert schema.field("issued_date").kind == "date"
    assert schema.field("title_ngram").kind == "ngram"
    assert "text" in schema.copy_dests("extras_x") and "text" in schema.copy_dests("res_description")


def test_2000_docs_index_and_answer_typical_package_search_queries():
    """~2,000 CKAN-sized documents: the counts CKAN's usual queries get are exact."""
    idx = s.SolrIndex(s.Schema(MINI_SCHEMA))
    blob = json.dumps({"notes": "x" * 1500, "resources": [{"url": "http://e.invalid/a.csv"}] * 3})
    for i in range(2000):
        idx.add(_doc(i, title=f"Dataset number {i} about {'water' if i % 3 else 'air'} quality",
                     notes=f"Notes {i} สถิติ จังหวัด {i % 77} monthly measurements of the river",
                     tags=[f"tag{i % 50}", "สถิติ"], organization=f"org-{i % 20}",
                     res_format=["CSV", "JSON"], validated_data_dict=blob,
                     extras_data_type="survey" if i % 2 else "census"))
    base = {"fq": ["+capacity:public +state:(active)", '+site_id:"default"'], "rows": ["21"],
            "fl": ["id validated_data_dict"], "facet": ["true"], "facet.limit": ["50"],
            "facet.mincount": ["1"], "facet.field": ["organization", "tags", "res_format"],
            "q.op": ["AND"]}
    queries = [
        ({"q": ["*:*"], "sort": ["score desc, metadata_modified desc"]}, 2000),
        ({"q": ["water quality"], "defType": ["dismax"], "qf": ["name^4 title^4 tags^2 groups^2 text"],
          "mm": ["2<-1 5<80%"], "sort": ["score desc, metadata_modified desc"]}, sum(1 for i in range(2000) if i % 3)),
        ({"q": ["*:*"], "fq": ["organization:org-7"], "sort": ["name asc"]}, 100),
        # tag7 is on i % 50 == 7 (all odd), and odd ids are "survey"
        ({"q": ["tags:tag7 AND extras_data_type:survey"], "sort": ["metadata_modified desc"]}, 40),
        ({"q": ["name:ds-1*"], "sort": ["name asc"]}, sum(1 for i in range(2000) if f"{i:03d}".startswith("1"))),
    ]
    for extra, expected in queries:
        params = dict(base)
        for k, v in extra.items():
            params[k] = params.get(k, []) + v if k == "fq" else v
        res = idx.search(params)
        assert res["response"]["numFound"] == expected, extra
        assert len(res["response"]["docs"]) == min(21, expected)


# -- HTTP ------------------------------------------------------------------------------------

@pytest.fixture
def http_server(index):
    server = s.make_server(index, "127.0.0.1", 0, "ckan")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/solr/ckan"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read(), e.headers.get("Content-Type", "")


def _post(url: str, body: bytes, ctype: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read()


def test_http_ping_schema_update_select(http_server):
    status, body, _ = _get(f"{http_server}/select/?q=%2A%3A%2A&rows=1&wt=json")
    assert status == 200 and json.loads(body)["response"]["numFound"] == 4
    status, body, ctype = _get(f"{http_server}/schema?wt=schema.xml")
    assert status == 200 and "xml" in ctype and b'name="ckan-2.11"' in body
    status, _, _ = _get(f"{http_server}/admin/file/?file=schema.xml")
    assert status == 200
    docs = json.dumps([_doc(10, title="Posted over HTTP", tags=["http"])]).encode()
    status, body = _post(f"{http_server}/update/?commit=true", docs, "application/json; charset=utf-8")
    assert status == 200 and json.loads(body)["responseHeader"]["status"] == 0
    qs = urllib.parse.urlencode([("q", "tags:http"), ("fl", "name"), ("fq", "+state:active"),
                                 ("fq", '+site_id:"default"'), ("wt", "json")])
    status, body, _ = _get(f"{http_server}/select/?{qs}")
    assert [d["name"] for d in json.loads(body)["response"]["docs"]] == ["ds-010"]
    # long queries arrive as form POSTs
    status, body = _post(f"{http_server}/select/", qs.encode(), "application/x-www-form-urlencoded; charset=utf-8")
    assert status == 200 and json.loads(body)["response"]["numFound"] == 1
    xml = b'<delete><query>+entity_type:package AND +(id:"id-10" OR name:"id-10") AND +site_id:"default"</query></delete>'
    assert _post(f"{http_server}/update/", xml, "text/xml; charset=utf-8")[0] == 200
    assert _post(f"{http_server}/update/?commit=true", b"<commit />", "text/xml; charset=utf-8")[0] == 200
    status, body, _ = _get(f"{http_server}/select/?{qs}")
    assert json.loads(body)["response"]["numFound"] == 0


def test_http_errors_are_solr_shaped(http_server):
    status, body, _ = _get(f"{http_server}/select/?q=%2A%3A%2A&sort=name&wt=json")
    assert status == 400
    err = json.loads(body)["error"]
    assert "Can't determine a Sort Order" in err["msg"] and err["code"] == 400
    status, body, _ = _get(f"{http_server}/select/?q=title%3Afoo~1&wt=json")
    assert status == 400 and "fuzzy" in json.loads(body)["error"]["msg"]
    status, _, _ = _get(f"{http_server}/spell?q=x")
    assert status == 404
    status, _, _ = _get(http_server.replace("/ckan", "/other") + "/select?q=*:*")
    assert status == 404
    status, body = _post(f"{http_server}/update/", b"[{\"id\": 1}]", "application/json")
    assert status == 400 and "uniqueKey" in json.loads(body)["error"]["msg"]


def test_refuses_non_loopback(index):
    with pytest.raises(ValueError, match="loopback"):
        s.make_server(index, "0.0.0.0", 0)


@pytest.mark.ckan
def test_pysolr_client_from_ckan_venv(ckan_server, http_server):
    """CKAN's own pysolr (from the CKAN venv the ckan_server fixture installs) talks to the stand-in."""
    venv = Path(os.environ.get("CKAN_TEST_HOME") or Path.home() / ".cache" / "catalog-tools-ckan") / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        pytest.skip("CKAN test venv not installed")
    script = r"""
import sys, pysolr
solr = pysolr.Solr(sys.argv[1], timeout=10)
solr.search(q="*:*", rows=1)
solr.add([{"index_id": "p1", "id": "p1", "site_id": "default", "name": "pysolr-doc",
           "tags": ["a", "b"], "state": "active"}], commit=True)
r = solr.search(q="name:pysolr-doc", fq=["+site_id:\"default\"", "+state:active"], fl="id name tags")
assert r.hits == 1 and r.docs[0]["tags"] == ["a", "b"], r.docs
try:
    solr.search(q="*:*", sort="name")
except pysolr.SolrError as e:
    assert "Can't determine a Sort Order" in str(e), e
else:
    raise AssertionError("bad sort accepted")
solr.delete(q='+(id:"p1" OR name:"p1") AND +site_id:"default"', commit=True)
solr.commit()
assert solr.search(q="name:pysolr-doc").hits == 0
print("ok")
"""
    proc = subprocess.run([str(py), "-c", script, http_server], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
