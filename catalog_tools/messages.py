"""Finding codes and their Thai + English message templates, defined once.

Codes are a stable API: scripts filter on them. Each entry gives the default severity and
the two templates; placeholders are filled from the finding's context
(``{field}``/``{field_th}`` labels, ``{value}``, ``{suggestion}``, ``{allowed}``, ``{extra}``).
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import Finding, Severity, Source


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    en: str
    th: str
    summary: str


CODES: dict[str, Code] = {}


def _code(code: str, severity: Severity, en: str, th: str, summary: str) -> None:
    CODES[code] = Code(code, severity, en, th, summary)


_code("required", "error",
      "{field} is required but {missing}.",
      "ต้องกรอก{field_th} แต่{missing_th}",
      "A mandatory item is missing, blank, or only a placeholder such as '-', 'N/A' or 'nan'.")
_code("choice", "error",
      "{field}: '{value}' is not an allowed value.{suggest_en} (The NSO importer would publish it as 'อื่นๆ' with this text, which does not conform to the standard.)",
      "{field_th}: '{value}' ไม่ใช่ค่าที่กำหนดในมาตรฐาน{suggest_th} (ระบบนำเข้าของ สสช. จะบันทึกเป็น 'อื่นๆ' พร้อมข้อความนี้ ซึ่งไม่สอดคล้องตามมาตรฐาน)",
      "A choice field holds a value outside the standard's list.")
_code("format", "error",
      "{field}: '{value}' is not a valid {expected}.",
      "{field_th}: '{value}' ไม่ใช่{expected_th} ที่ถูกต้อง",
      "A value has the wrong form: e-mail, number, URL, date or tag length.")
_code("other_missing", "error",
      "{field} is '{value}' (other) but the text that says what it is is missing.",
      "{field_th} เลือก '{value}' (อื่นๆ) แต่ไม่ได้ระบุรายละเอียด",
      "'อื่นๆ' (other) was chosen without its companion text.")
_code("synonym", "warning",
      "{field}: '{value}' was read as '{suggestion}'; write '{suggestion}' to match the standard exactly.",
      "{field_th}: อ่านค่า '{value}' เป็น '{suggestion}' ควรกรอกเป็น '{suggestion}' ให้ตรงตามมาตรฐาน",
      "A known variant was recognised and normalised (e.g. 'รายปี' → 'ปี').")
_code("recommended", "warning",
      "{field} is empty; the Template 3 form asks for it.",
      "ยังไม่ได้กรอก{field_th} (Template 3 กำหนดให้กรอก)",
      "A Template 3 column that CKAN does not require is empty.")
_code("duplicate_id", "error",
      "Dataset id '{value}' appears more than once ({extra}).",
      "รหัสชุดข้อมูล '{value}' ซ้ำกัน ({extra})",
      "Two dataset rows share the same id.")
_code("duplicate_title", "warning",
      "Title '{value}' is used by more than one dataset ({extra}); CKAN thai_gdc refuses a duplicate title.",
      "ชื่อชุดข้อมูล '{value}' ซ้ำกันมากกว่าหนึ่งชุด ({extra}) ระบบ CKAN จะไม่ยอมรับชื่อซ้ำ",
      "Two datasets share a title.")
_code("orphan_resource", "error",
      "Resource row refers to dataset id '{value}', which is not in Template 2.{suggest_en}",
      "ทรัพยากรข้อมูลอ้างถึงรหัสชุดข้อมูล '{value}' ซึ่งไม่มีใน Template 2{suggest_th}",
      "A Template 3 row whose dataset id matches no Template 2 row.")
_code("license_category", "warning",
      "License '{value}' does not fit data category '{extra}': {reason_en}.",
      "สัญญาอนุญาต '{value}' ไม่สอดคล้องกับหมวดหมู่ข้อมูล '{extra}': {reason_th}",
      "The licence does not agree with the data category (configurable rule).")
_code("tag_chars", "warning",
      "Keyword(s) '{value}' contain characters CKAN refuses in tags (only letters, digits, Thai, space, - _ . are allowed); split or rewrite them.",
      "คำสำคัญ '{value}' มีอักขระที่ CKAN ไม่รับ (ใช้ได้เฉพาะตัวอักษร ตัวเลข ภาษาไทย ช่องว่าง - _ .) ควรแยกหรือแก้คำสำคัญ",
      "A keyword has characters CKAN's tag validator refuses (e.g. '/').")
_code("date_order", "error",
      "Created date {value} is after the last-updated date {extra}.",
      "วันที่เริ่มต้นสร้าง {value} อยู่หลังวันที่ปรับปรุงข้อมูลล่าสุด {extra}",
      "A resource's created date is later than its last-updated date.")
_code("date_era", "warning",
      "{field}: '{value}' {reason_en}.",
      "{field_th}: '{value}' {reason_th}",
      "A date looks like it is in the wrong era (Buddhist Era vs Gregorian).")
_code("maintainer_person", "warning",
      "Contact '{value}' looks like a person's name; the standard asks for a unit (กอง/สำนัก/ฝ่าย).",
      "ชื่อผู้ติดต่อ '{value}' ดูเหมือนชื่อบุคคล มาตรฐานกำหนดให้ระบุชื่อหน่วยงาน (กอง/สำนัก/ฝ่าย)",
      "maintainer names a person rather than a unit.")
_code("interval_unit", "warning",
      "Update interval {value} has no meaning with unit '{extra}'; leave it blank.",
      "ค่าความถี่ {value} ไม่มีความหมายเมื่อหน่วยความถี่เป็น '{extra}' ควรเว้นว่าง",
      "An update interval was given with a unit that takes none.")
_code("no_resources", "warning",
      "Dataset is public ({extra}) but has no Template 3 resource row.",
      "ชุดข้อมูลเป็นข้อมูลสาธารณะ ({extra}) แต่ไม่มีคำอธิบายทรัพยากรข้อมูลใน Template 3",
      "An open dataset without resource metadata (FY2566 basic level needs it).")
_code("sheet_skipped", "warning",
      "Sheet '{value}' was not read: {reason_en}.",
      "ไม่ได้อ่านแผ่นงาน '{value}': {reason_th}",
      "A sheet had no recognisable Template 2/3 header or was hidden.")
_code("no_data", "warning",
      "'{value}' has Template 2/3 headers but no data rows.",
      "ไฟล์ '{value}' มีหัวตาราง Template 2/3 แต่ยังไม่มีข้อมูล",
      "A readable file with Template headers and not one dataset or resource row (e.g. a blank template).")
_code("column_unknown", "warning",
      "Column '{value}' was not recognised and was ignored.",
      "ไม่รู้จักคอลัมน์ '{value}' จึงไม่ได้อ่านค่าในคอลัมน์นี้",
      "A header cell matched no known item.")
_code("column_missing", "warning",
      "The sheet has no column for {field}.",
      "แผ่นงานไม่มีคอลัมน์{field_th}",
      "A mandatory item has no column at all in the sheet.")
_code("ckan_rejected", "error",
      "CKAN rejected the dataset: {value}",
      "CKAN ไม่รับชุดข้อมูล: {value}",
      "The server refused a create or update (ValidationError).")
_code("link_broken", "warning",
      "Resource URL did not answer: {extra}.",
      "ไม่สามารถเข้าถึง URL ของทรัพยากรข้อมูลได้: {extra}",
      "A resource URL could not be reached (with --check-links).")

_code("format_not_open", "warning",
      "Resource format '{value}' is not an open, machine-readable format ({extra}).",
      "รูปแบบไฟล์ '{value}' ของทรัพยากรข้อมูลไม่ใช่รูปแบบเปิดที่เครื่องอ่านได้ ({extra})",
      "audit: a resource format outside the open formats of the KPI's open-format criteria (e.g. PDF, JPG).")

# -- Template 1: the dataset list tied to a Focus Area (catalog_tools/dataset_list.py) ---------------
_code("focus_area_invalid", "error",
      "Template 1: the Focus Area {missing_en}; choose one of the 10 Focus Areas (a number 1-10 or its name).{suggest_en}",
      "Template 1: Focus Area {missing_th} ต้องเลือก 1 ใน 10 Focus Area (ระบุเลข 1-10 หรือชื่อ){suggest_th}",
      "The Focus Area of a Template 1 list is blank or not one of the 10 Focus Areas (FY2565) or the 6 use scopes (FY2566).")
_code("list_field_missing", "warning",
      "Template 1: '{field}' is blank.",
      "Template 1: ยังไม่ได้กรอก '{field_th}'",
      "One of the Template 1 header fields (issue, intended use, user agencies) is blank.")
_code("list_empty", "error",
      "Template 1 '{value}' lists no dataset; the basic level needs the list of datasets tied to the Focus Area.",
      "Template 1 '{value}' ยังไม่มีรายชื่อชุดข้อมูล ขั้นต้นต้องมีรายชื่อชุดข้อมูลที่สัมพันธ์กับประเด็นภายใต้ Focus Area",
      "A Template 1 sheet has its labels but no dataset rows.")
_code("list_matched_by_title", "warning",
      "Template 1 has no dataset id column; its datasets were matched to Template 2 by title.",
      "Template 1 ไม่มีคอลัมน์รหัสชุดข้อมูล จึงจับคู่กับ Template 2 ตามชื่อชุดข้อมูล",
      "The Template 1 table has no id column (the seed's own shape): datasets are matched by title.")
_code("list_no_id", "warning",
      "Template 1 row {extra}: '{value}' has no dataset id; it was matched to Template 2 by title.",
      "Template 1 แถวที่ {extra}: '{value}' ไม่มีรหัสชุดข้อมูล จึงจับคู่กับ Template 2 ตามชื่อชุดข้อมูล",
      "A Template 1 dataset row without an id, matched by its title.")
_code("list_duplicate_id", "error",
      "Template 1 lists dataset id '{value}' more than once (rows {extra}); list each dataset once.",
      "Template 1 มีรหัสชุดข้อมูล '{value}' ซ้ำกัน (แถวที่ {extra}) ให้ระบุแต่ละชุดข้อมูลเพียงครั้งเดียว",
      "The same dataset id appears on two Template 1 rows.")
_code("listed_without_metadata", "error",
      "Template 1 row {extra} lists '{value}', which has no Template 2 metadata.{suggest_en}",
      "Template 1 แถวที่ {extra} ระบุชุดข้อมูล '{value}' แต่ไม่มีคำอธิบายข้อมูล (Metadata) ใน Template 2{suggest_th}",
      "A dataset in the Template 1 list has no Template 2 row (matched by id, or by title when there is no id).")
_code("not_in_dataset_list", "warning",
      "Dataset '{value}' is not in the Template 1 list: it is not tied to the Focus Area, so it is not counted for the basic level or scored.",
      "ชุดข้อมูล '{value}' ไม่อยู่ในรายชื่อชุดข้อมูล (Template 1) จึงไม่สัมพันธ์กับประเด็นภายใต้ Focus Area และไม่นำมานับในขั้นต้นและการคิดคะแนน",
      "A Template 2 dataset that the Template 1 list does not name.")
_code("list_title_mismatch", "warning",
      "Template 1 names '{extra}' as '{value}', but its Template 2 title is different.{suggest_en}",
      "Template 1 ระบุชื่อชุดข้อมูล '{extra}' เป็น '{value}' ซึ่งไม่ตรงกับชื่อใน Template 2{suggest_th}",
      "The title of a dataset in Template 1 differs from its Template 2 title.")

_FIELD_WORDS = {
    "email": ("e-mail address", "อีเมล"),
    "number": ("positive number", "ตัวเลขจำนวนบวก"),
    "url": ("http(s) URL", "URL (http:// หรือ https://)"),
    "date": ("date (YYYY-MM-DD, Buddhist Era in workbooks)", "วันที่ (YYYY-MM-DD ปี พ.ศ.)"),
    "tags": ("keyword list (each keyword 2-100 characters)", "คำสำคัญ (แต่ละคำยาว 2-100 ตัวอักษร)"),
    "text": ("text", "ข้อความ"),
}


_TEXT_CACHE: dict[tuple[Any, ...], tuple[str, str]] = {}


@lru_cache(maxsize=None)
def _used(code: str) -> tuple[str, ...]:
    """The placeholder names the code's two templates use (the message cache keys on these only)."""
    c = CODES[code]
    return tuple(sorted({name for tpl in (c.en, c.th) for _, name, _, _ in string.Formatter().parse(tpl) if name}))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make_finding(
    code: str,
    *,
    field: str | None = None,
    field_en: str | None = None,
    field_th: str | None = None,
    item: str | None = None,
    value: Any = None,
    location: str | None = None,
    suggestion: str | None = None,
    dataset: str | None = None,
    source: Source | None = None,
    severity: Severity | None = None,
    **context: Any,
) -> Finding:
    """Build a Finding from a registered code, filling both language templates."""
    spec = CODES[code]
    ctx = _Blank(context)
    ctx["field"] = field_en or field or ""
    ctx["field_th"] = field_th or field_en or field or ""
    ctx["value"] = shown = short_text(value)
    ctx["suggestion"] = suggestion or ""
    ctx.setdefault("suggest_en", f" Did you mean '{suggestion}'?" if suggestion else "")
    ctx.setdefault("suggest_th", f" หมายถึง '{suggestion}' หรือไม่" if suggestion else "")
    kind = context.get("kind", "text")
    en_word, th_word = _FIELD_WORDS.get(kind, _FIELD_WORDS["text"])
    ctx.setdefault("expected", en_word)
    ctx.setdefault("expected_th", th_word)
    ctx.setdefault("missing", "it is blank" if value in (None, "") else f"'{shown}' is only a placeholder")
    ctx.setdefault("missing_th", "ยังว่างอยู่" if value in (None, "") else f"ค่า '{shown}' เป็นเพียงค่าที่ใช้แทนช่องว่าง")
    # Many findings share their text (the same synonym, the same missing item on thousands of
    # rows): format each distinct message once and share the strings, which keeps a report of
    # 100,000 findings small in memory.
    try:
        key: tuple[Any, ...] | None = (code, tuple(ctx[name] for name in _used(code)))
        texts = _TEXT_CACHE.get(key)  # type: ignore[arg-type]
    except TypeError:
        key, texts = None, None
    if texts is None:
        texts = (spec.en.format_map(ctx).strip(), spec.th.format_map(ctx).strip())
        if key is not None and len(_TEXT_CACHE) < 50_000:
            _TEXT_CACHE[key] = texts
    return Finding(
        code=code,
        severity=severity or spec.severity,
        field=field,
        item=item,
        location=location,
        value=value,
        message=texts[0],
        message_th=texts[1],
        suggestion=suggestion,
        dataset=dataset,
        source=source,
    )


def short_text(value: Any, limit: int = 120) -> str:
    """A value as one line of at most ``limit`` characters (lists joined with commas)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
