"""Record rules: several values of one dataset or resource row, beyond what JSON Schema says.

A check receives the normalised values of one record and the validation options and yields
``Hit``s (field, value, context). The validator stamps the location, item number, dataset and
the Thai/English message, so a check stays a few lines long.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..schemas_api import fold, schema_info
from .base import RULES, Rule, declare

if TYPE_CHECKING:
    from ..options import ValidationOptions


@dataclass(slots=True)
class Hit:
    """What a record check found; the validator makes the Finding."""

    code: str
    field: str | None
    value: Any
    context: dict[str, Any] = dc_field(default_factory=dict)
    severity: str | None = None


CheckFn = Callable[[dict[str, Any], "ValidationOptions"], Iterator[Hit]]


def record_rules(kind: str) -> list[Rule]:
    """The record rules that run on records of ``kind`` ("dataset" or "resource"), in declaration order."""
    return [r for r in RULES.values() if r.scope == "record" and kind in r.kinds]


@declare(
    "license_category", "warning", scope="record", group="consistency", kinds=("dataset",),
    en="License '{value}' does not fit data category '{extra}': {reason_en}.",
    th="สัญญาอนุญาต '{value}' ไม่สอดคล้องกับหมวดหมู่ข้อมูล '{extra}': {reason_th}",
    summary="The licence does not agree with the data category (configurable rule).",
    why="The standard says the licence ต้องสอดคล้องกับหมวดหมู่ข้อมูล; public data should carry an open licence. The "
        "pairing is an INFERENCE (docs/validation.md): license_rule sets warning, error or off.",
    bad="data_category: 'ข้อมูลสาธารณะ', license_id: 'Creative Commons Attribution Non-Commercial'",
    good="data_category: 'ข้อมูลสาธารณะ', license_id: 'Open Data Common'")
def license_category(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    if opts.license_rule == "off":
        return
    category, licence = values.get("data_category"), values.get("license_id")
    if not isinstance(category, str) or not isinstance(licence, str):
        return
    if licence not in _licence_choices(opts.standard):
        return  # not an allowed value at all: the schema already reports it (code "choice")
    open_set = _open_set(tuple(opts.open_licenses) if opts.open_licenses else None, opts.standard)
    severity = "error" if opts.license_rule == "error" else "warning"
    if category == opts.public_category and licence not in open_set:
        yield Hit("license_category", "license_id", licence, {
            "extra": category, "reason_en": "public data should be published under an open licence (" + ", ".join(sorted(open_set)) + ")",
            "reason_th": "ข้อมูลสาธารณะควรใช้สัญญาอนุญาตแบบเปิด"}, severity)
    elif category != opts.public_category and licence in open_set and opts.flag_open_licence_on_closed_data:
        yield Hit("license_category", "license_id", licence, {
            "extra": category, "reason_en": "an open licence on data that is not public",
            "reason_th": "ใช้สัญญาอนุญาตแบบเปิดกับข้อมูลที่ไม่ใช่ข้อมูลสาธารณะ"}, severity)


@lru_cache(maxsize=None)
def _licence_choices(standard: str) -> frozenset[str]:
    return frozenset(schema_info("dataset", standard).fields["license_id"].choices)


@lru_cache(maxsize=64)
def _open_set(open_licenses: tuple[str, ...] | None, standard: str) -> frozenset[str]:
    """``ValidationOptions.open_licenses_for()``, once per option value (the rule runs on every dataset)."""
    from ..options import DEFAULT_OPEN_LICENSES

    return frozenset(open_licenses or DEFAULT_OPEN_LICENSES[standard])


_PERSON = re.compile(r"^(?:นาย|นางสาว|นาง|น\.ส\.|ดร\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)\s*\S", re.IGNORECASE)


@declare(
    "maintainer_person", "warning", scope="record", group="consistency", kinds=("dataset",),
    en="Contact '{value}' looks like a person's name; the standard asks for a unit (กอง/สำนัก/ฝ่าย).",
    th="ชื่อผู้ติดต่อ '{value}' ดูเหมือนชื่อบุคคล มาตรฐานกำหนดให้ระบุชื่อหน่วยงาน (กอง/สำนัก/ฝ่าย)",
    summary="maintainer names a person rather than a unit.",
    why="The standard asks for the responsible unit as contact so the contact survives staff changes "
        "(check_person_names turns it off).",
    bad="maintainer: 'นายสมชาย ใจดี'", good="maintainer: 'กองสถิติสังคม'")
def maintainer_person(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    name = values.get("maintainer")
    if opts.check_person_names and isinstance(name, str) and _personal(name):
        yield Hit("maintainer_person", "maintainer", name)


@lru_cache(maxsize=65_536)
def _personal(name: str) -> bool:
    """Cached: one contact repeats on thousands of rows."""
    return _PERSON.match(name) is not None


_TAG_OK = re.compile(r"^[\w \-.\u0E00-\u0E7F]+$")


@declare(
    "tag_chars", "warning", scope="record", group="ckan", kinds=("dataset",),
    en="Keyword(s) '{value}' contain characters CKAN refuses in tags (only letters, digits, Thai, space, - _ . are "
       "allowed); split or rewrite them.",
    th="คำสำคัญ '{value}' มีอักขระที่ CKAN ไม่รับ (ใช้ได้เฉพาะตัวอักษร ตัวเลข ภาษาไทย ช่องว่าง - _ .) ควรแยกหรือแก้คำสำคัญ",
    summary="A keyword has characters CKAN's tag validator refuses (e.g. '/').",
    why="CKAN's tag validator allows letters, digits, space, - _ . (thai_gdc widens it for Thai only); a slash or "
        "comma inside a keyword makes package_create fail, so it is said before publishing.",
    bad="tag_string: 'ที่พัก/โรงแรม'", good="tag_string: 'ที่พัก, โรงแรม'")
def tag_chars(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    tags = values.get("tag_string")
    if isinstance(tags, list):
        bad = [t for t in tags if isinstance(t, str) and not _tag_ok(t)]
        if bad:
            yield Hit("tag_chars", "tag_string", bad)


@lru_cache(maxsize=65_536)
def _tag_ok(tag: str) -> bool:
    """Cached: keywords repeat across datasets."""
    return _TAG_OK.match(tag) is not None


_NO_INTERVAL = {"ไม่ทราบ", "ตามเวลาจริง", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"}


@declare(
    "interval_unit", "warning", scope="record", group="consistency", kinds=("dataset",),
    en="Update interval {value} has no meaning with unit '{extra}'; leave it blank.",
    th="ค่าความถี่ {value} ไม่มีความหมายเมื่อหน่วยความถี่เป็น '{extra}' ควรเว้นว่าง",
    summary="An update interval was given with a unit that takes none.",
    why="Item 9.2 counts units of item 9.1; with ไม่ทราบ, ตามเวลาจริง or ไม่มีการปรับปรุง… there is nothing to count.",
    bad="update_frequency_unit: 'ตามเวลาจริง', update_frequency_interval: 1",
    good="update_frequency_unit: 'ตามเวลาจริง', update_frequency_interval blank")
def interval_unit(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    unit = values.get("update_frequency_unit")
    if unit in _NO_INTERVAL and "update_frequency_interval" in values:
        yield Hit("interval_unit", "update_frequency_interval", values["update_frequency_interval"], {"extra": unit})


@declare(
    "date_order", "error", scope="record", group="dates", kinds=("resource",),
    en="Created date {value} is after the last-updated date {extra}.",
    th="วันที่เริ่มต้นสร้าง {value} อยู่หลังวันที่ปรับปรุงข้อมูลล่าสุด {extra}",
    summary="A resource's created date is later than its last-updated date.",
    why="A resource cannot be updated before it was created; one of the two dates is mistyped.",
    bad="resource_created_date: '2566-05-01', resource_last_updated_date: '2566-01-31'",
    good="resource_created_date: '2565-01-01', resource_last_updated_date: '2566-01-31'")
def date_order(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    created, updated = values.get("resource_created_date"), values.get("resource_last_updated_date")
    if isinstance(created, str) and isinstance(updated, str) and len(created) == len(updated) == 10 and created > updated:
        yield Hit("date_order", "resource_created_date", created, {"extra": updated})


# Test data and template placeholders seen in payloads sent to real thai_gdc catalogs. Matched
# against the WHOLE value (after trimming), so real text that merely contains a word is safe:
# "ผลการทดสอบสมรรถภาพทางกาย" and "Contest winners" are not flagged, "ทดสอบ" and "test contact" are.
_TEST_WORDS = re.compile(r"^(?:test(?:ing|s)?|test ?(?:contact|data|dataset|user|org|organi[sz]ation|resource|file|name|title)|"
                         r"ทดสอบ|todo|fixme|x{3,}|asdf|dummy|lorem ipsum.*)[\s\d._-]*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?$|\{\{[^{}]*\}\}|\$\{[^{}]*\}|%\([a-z_]+\)s|^<[A-Za-z_][A-Za-z0-9_ .-]{0,40}>$")
_TEST_DOMAINS = ("example.com", "example.org", "example.net", "test.com", "localhost")
_TEST_TLDS = (".local", ".test", ".example", ".invalid", ".localhost")
_HOST = re.compile(r"^(?:https?://)?(?:[^@/\s]*@)?([^/:?#\s]+)", re.IGNORECASE)
_KINDS = {"test": ("test data", "ข้อมูลทดสอบ"), "placeholder": ("a template placeholder that was never filled in",
                                                                "ข้อความแทนที่ของแม่แบบที่ยังไม่ได้แทนค่า"),
          "address": ("a test or example address", "ที่อยู่สำหรับทดสอบหรือตัวอย่าง")}


def _test_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in _TEST_DOMAINS or host.endswith(tuple("." + d for d in _TEST_DOMAINS)) or host.endswith(_TEST_TLDS) \
        or host == "127.0.0.1"


_TEST_FIRST = frozenset("tfxadlท")  # first letters of the test words: most values skip the regular expression


@lru_cache(maxsize=65_536)
def suspicious_kind(value: str, kind: str) -> str | None:
    """'test', 'placeholder' or 'address' when ``value`` looks like test data; else None.

    Cached: organisation, contact and e-mail values repeat across thousands of rows.
    """
    text = value.strip()
    if not text or len(text) > 300:
        return None
    if ("$" in text or "{" in text or "%(" in text or text[0] == "<") and _PLACEHOLDER.search(text):
        return "placeholder"
    if text[0].lower() in _TEST_FIRST and _TEST_WORDS.match(text):
        return "test"
    if kind in ("email", "url"):
        local, at, domain = text.rpartition("@") if kind == "email" else ("", "", "")
        if kind == "email" and at:
            if _test_host(domain) or fold(local) in ("test", "example"):
                return "address"
        elif kind == "url":
            m = _HOST.match(text)
            if m and _test_host(m.group(1)):
                return "address"
    return None


@lru_cache(maxsize=None)
def _field_kinds(standard: str) -> dict[str, str]:
    """Field name → kind (text, email, url, choice, …) over the dataset and resource schemas."""
    out = {name: spec.kind for name, spec in schema_info("resource", standard).fields.items()}
    out.update({name: spec.kind for name, spec in schema_info("dataset", standard).fields.items()})
    return out


class _Judged(dict):
    """``suspicious_kind`` of the texts of one field kind, remembered (at most ``_JUDGED_MAX`` of them)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind


_JUDGED_MAX = 65_536
_MISSING: Any = object()


@lru_cache(maxsize=None)
def _judged_by_field(standard: str) -> tuple[dict[str, _Judged | None], _Judged]:
    """Field name → the remembered judgements of its kind (None for choice, date and number fields,
    checked against their lists and forms already), and those of a field outside the schema (text)."""
    judged = {kind: _Judged(kind) for kind in set(_field_kinds(standard).values()) | {"text"} if kind not in _NOT_TEXT}
    by_field = {name: judged.get(kind) for name, kind in _field_kinds(standard).items()}
    return by_field, judged["text"]


def _judge(judged: _Judged, text: str) -> str | None:
    found = judged.get(text, _MISSING)
    if found is _MISSING:
        found = suspicious_kind.__wrapped__(text, judged.kind)  # remembered here, not in the shared cache too
        if len(judged) < _JUDGED_MAX:
            judged[text] = found
    return found


_NOT_TEXT = frozenset(("choice", "multi", "date", "number"))


@declare(
    "suspicious_value", "warning", scope="record", group="consistency", kinds=("dataset", "resource"),
    en="{field}: '{value}' looks like {kind_en}; write the real value.",
    th="{field_th}: '{value}' ดูเหมือน{kind_th} ควรกรอกค่าจริง",
    summary="Test data or an unexpanded template placeholder ('$package_name', '{{title}}', 'test', 'test@test.local', "
            "'ทดสอบ').",
    why="Payloads sent to real thai_gdc catalogs carry test values and template variables that were never filled in; "
        "they pass every list and form check but describe nothing. Only whole values are matched, so real text that "
        "contains such a word ('ผลการทดสอบสมรรถภาพทางกาย') is not flagged.",
    bad="title: '$pacakge_name', maintainer_email: 'test@test.local'",
    good="title: 'จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด', maintainer_email: 'plan@tourism.go.th'")
def suspicious_value(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    by_field, other = _judged_by_field(opts.standard)
    for name, value in values.items():
        judged = by_field.get(name, other)
        if judged is None:
            continue  # checked against their lists and forms already
        if value.__class__ is str:  # most values: one dictionary lookup
            found = judged.get(value, _MISSING)
            if found is _MISSING:
                found = _judge(judged, value)
            if found:
                en, th = _KINDS[found]
                yield Hit("suspicious_value", name, value, {"kind_en": en, "kind_th": th})
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                found = _judge(judged, text)
                if found:
                    en, th = _KINDS[found]
                    yield Hit("suspicious_value", name, text, {"kind_en": en, "kind_th": th})
                    break
