"""Rules JSON Schema cannot express, as small registered checks.

A check receives the normalised values of one record and the validation options, and yields
``Hit``s (code, field, value, context). The runner in ``validate.py`` stamps the location,
item number, dataset and the Thai/English message, so a check stays a few lines long.
Collection-wide rules (duplicate ids, orphan resources) live in ``validate.py`` because they
need every record at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Iterator

from .options import ValidationOptions
from .schemas_api import fold, schema_info


@dataclass(slots=True)
class Hit:
    code: str
    field: str | None
    value: Any
    context: dict[str, Any] = dc_field(default_factory=dict)
    severity: str | None = None


CheckFn = Callable[[dict[str, Any], ValidationOptions], Iterator[Hit]]
CHECKS: dict[str, list[tuple[str, CheckFn]]] = {"dataset": [], "resource": []}


def check(code: str, kind: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as a check emitting ``code`` on records of ``kind``."""
    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[kind].append((code, fn))
        return fn
    return deco


@check("license_category", "dataset")
def license_category(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """Public data should carry an open licence; non-public data should not be openly licensed.

    Bad: ``data_category=ข้อมูลสาธารณะ``, ``license_id=Creative Commons Attribution Non-Commercial``.
    Good: ``data_category=ข้อมูลสาธารณะ``, ``license_id=Open Data Common``.
    The pairing is an INFERENCE from "ต้องสอดคล้องกับหมวดหมู่ข้อมูล"; see ``ValidationOptions``.
    """
    if opts.license_rule == "off":
        return
    category, licence = values.get("data_category"), values.get("license_id")
    if not isinstance(category, str) or not isinstance(licence, str):
        return
    if licence not in schema_info("dataset", opts.standard).fields["license_id"].choices:
        return  # not an allowed value at all: the schema already reports it (code "choice")
    open_set = opts.open_licenses_for()
    severity = "error" if opts.license_rule == "error" else "warning"
    if category == opts.public_category and licence not in open_set:
        yield Hit("license_category", "license_id", licence, {
            "extra": category, "reason_en": "public data should be published under an open licence (" + ", ".join(sorted(open_set)) + ")",
            "reason_th": "ข้อมูลสาธารณะควรใช้สัญญาอนุญาตแบบเปิด"}, severity)
    elif category != opts.public_category and licence in open_set and opts.flag_open_licence_on_closed_data:
        yield Hit("license_category", "license_id", licence, {
            "extra": category, "reason_en": "an open licence on data that is not public",
            "reason_th": "ใช้สัญญาอนุญาตแบบเปิดกับข้อมูลที่ไม่ใช่ข้อมูลสาธารณะ"}, severity)


_PERSON = re.compile(r"^(?:นาย|นางสาว|นาง|น\.ส\.|ดร\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)\s*\S", re.IGNORECASE)


@check("maintainer_person", "dataset")
def maintainer_person(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """The contact is a unit, not a person.

    Bad: ``นายสมชาย ใจดี``. Good: ``กองสถิติสังคม``.
    """
    name = values.get("maintainer")
    if opts.check_person_names and isinstance(name, str) and _PERSON.match(name):
        yield Hit("maintainer_person", "maintainer", name)


_TAG_OK = re.compile(r"^[\w \-.\u0E00-\u0E7F]+$")


@check("tag_chars", "dataset")
def tag_chars(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """Keywords with characters CKAN's tag validator refuses (it allows letters, digits, Thai,
    space, ``-``, ``_`` and ``.``). thai_gdc widens it for Thai only; a slash or comma inside a
    keyword makes ``package_create`` fail, so say it before publishing.

    Bad: ``ที่พัก/โรงแรม``. Good: ``ที่พัก``, ``โรงแรม``.
    """
    tags = values.get("tag_string")
    if isinstance(tags, list):
        bad = [t for t in tags if isinstance(t, str) and not _TAG_OK.match(t)]
        if bad:
            yield Hit("tag_chars", "tag_string", bad)


_NO_INTERVAL = {"ไม่ทราบ", "ตามเวลาจริง", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"}


@check("interval_unit", "dataset")
def interval_unit(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """An interval means nothing with unit ไม่ทราบ / ตามเวลาจริง / ไม่มีการปรับปรุง….

    Bad: unit ``ตามเวลาจริง`` with interval ``1``. Good: unit ``ตามเวลาจริง``, interval blank.
    """
    unit = values.get("update_frequency_unit")
    if unit in _NO_INTERVAL and "update_frequency_interval" in values:
        yield Hit("interval_unit", "update_frequency_interval", values["update_frequency_interval"], {"extra": unit})


@check("date_order", "resource")
def date_order(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """The created date is not after the last-updated date.

    Bad: created ``2566-05-01``, updated ``2566-01-31``. Good: created ``2565-01-01``, updated ``2566-01-31``.
    """
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


def suspicious_kind(value: str, kind: str) -> str | None:
    """'test', 'placeholder' or 'address' when ``value`` looks like test data; else None."""
    text = value.strip()
    if not text or len(text) > 300:
        return None
    if _PLACEHOLDER.search(text):
        return "placeholder"
    if _TEST_WORDS.match(text):
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


def _suspicious(values: dict[str, Any], info: Any) -> Iterator[Hit]:
    for name, value in values.items():
        spec = info.fields.get(name)
        kind = spec.kind if spec is not None else "text"
        if kind in ("choice", "multi", "date", "number"):
            continue  # checked against their lists and forms already
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str):
                found = suspicious_kind(text, kind)
                if found:
                    en, th = _KINDS[found]
                    yield Hit("suspicious_value", name, text, {"kind_en": en, "kind_th": th})
                    break


@check("suspicious_value", "dataset")
def suspicious_dataset(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """Test data and unexpanded placeholders, as real payloads to thai_gdc catalogs carry them.

    Bad: title ``$pacakge_name``, maintainer ``test contact``, maintainer_email ``test@test.local``.
    Good: title ``จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด``, notes ``ผลการทดสอบสมรรถภาพทางกายของนักเรียน``.
    """
    yield from _suspicious(values, schema_info("dataset", opts.standard))


@check("suspicious_value", "resource")
def suspicious_resource(values: dict[str, Any], opts: ValidationOptions) -> Iterator[Hit]:
    """The same for resources. Bad: url ``http://example.com/data.csv``, name ``{{title}}``."""
    yield from _suspicious(values, schema_info("resource", opts.standard))
