"""Field rules: one value against the standard.

The JSON Schemas (``catalog_tools/schemas/dataset-*.json``, ``resource-*.json``) are the single
statement of these rules and are enforced twice — by :mod:`catalog_tools.schema_check` here
and by ckanext-scheming on a portal. The schema runner maps each JSON Schema error to one of
these codes; the normaliser reports ``synonym`` and ``date_era``; the validator reports
``recommended`` for Template 3 columns the schema marks ``x-recommended``.
"""
from __future__ import annotations

from typing import Any

from .base import declare_emitted

_RUNNER = "catalog_tools.schema_check.findings_from_errors"

declare_emitted(
    "required", "error", scope="field", group="mandatory",
    en="{field} is required but {missing}.",
    th="ต้องกรอก{field_th} แต่{missing_th}",
    summary="A mandatory item is missing, blank, or only a placeholder such as '-', 'N/A' or 'nan'.",
    why="The DGA standard makes the 14 Template 2 items mandatory; the KPI counts a dataset only when all 14 are "
        "filled in and conforming (ครบ 14 รายการ). A placeholder is not a value.",
    bad="objective: '-'", good="objective: 'พันธกิจหน่วยงาน'", implemented_by=_RUNNER)

declare_emitted(
    "choice", "error", scope="field", group="values",
    en="{field}: '{value}' is not an allowed value.{suggest_en}{importer_en}",
    th="{field_th}: '{value}' ไม่ใช่ค่าที่กำหนดในมาตรฐาน{suggest_th}{importer_th}",
    summary="A choice field holds a value outside the standard's list.",
    why="Choice items (data type, geographic coverage, data category, licence, …) take their values verbatim from "
        "the thai_gdc lists; anything else is not conforming and is filed as 'อื่นๆ' by the importers.",
    bad="geo_coverage: 'ระดับจังหวัด'", good="geo_coverage: 'จังหวัด'", implemented_by=_RUNNER)

#: appended to a ``choice`` message for NSO-layout sheets only, for the fields the importer folds
#: (gdc-ckan-schema-detail.md §4): CKAN JSON and OPDC sheets never go through that importer.
IMPORTER_NOTE = (" (The NSO importer would publish it as 'อื่นๆ' with this text, which does not conform to the standard.)",
                 " (ระบบนำเข้าของ สสช. จะบันทึกเป็น 'อื่นๆ' พร้อมข้อความนี้ ซึ่งไม่สอดคล้องตามมาตรฐาน)")

declare_emitted(
    "nso_multi_value", "warning", scope="field", group="values",
    en="{field}: the cell holds several values ('{value}'); the NSO importer reads the whole cell as one value and "
       "would publish it as 'อื่นๆ' with this text. Publish with catalog-tools, or keep one value per cell.",
    th="{field_th}: เซลล์มีหลายค่า ('{value}') ระบบนำเข้าของ สสช. อ่านทั้งเซลล์เป็นค่าเดียว และจะบันทึกเป็น 'อื่นๆ' "
       "พร้อมข้อความนี้ ให้เผยแพร่ด้วย catalog-tools หรือกรอกเซลล์ละหนึ่งค่า",
    summary="An NSO-layout multi-value cell that the NSO importer would take as one (unlisted) value.",
    why="The NSO importer folds a whole cell that is not in the list to 'อื่นๆ' — multi-value fields included "
        "('CSV,JSON' is one value to it) — so the published dataset would not conform.",
    bad="Temp2_Meta_Record objective: 'กฎหมายที่เกี่ยวข้อง,เพื่อการให้บริการประชาชน'",
    good="objective: 'กฎหมายที่เกี่ยวข้อง' (or publish with catalog-tools, which sends both)",
    implemented_by="catalog_tools.validate.Validator.check_record")

declare_emitted(
    "format", "error", scope="field", group="values",
    en="{field}: '{value}' is not a valid {expected}.",
    th="{field_th}: '{value}' ไม่ใช่{expected_th} ที่ถูกต้อง",
    summary="A value has the wrong form: e-mail, number, URL, date or tag length.",
    why="CKAN refuses these values (its own e-mail regex, URL and date validators), so the dataset could not be "
        "published as written.",
    bad="maintainer_email: 'plan[at]tourism.go.th'", good="maintainer_email: 'plan@tourism.go.th'",
    implemented_by=_RUNNER)

declare_emitted(
    "other_missing", "error", scope="field", group="mandatory",
    en="{field} is '{value}' (other) but the text that says what it is is missing.",
    th="{field_th} เลือก '{value}' (อื่นๆ) แต่ไม่ได้ระบุรายละเอียด",
    summary="'อื่นๆ' (other) was chosen without its companion text.",
    why="thai_gdc stores 'อื่นๆ' with a companion field (e.g. data_type_other); without it the item says nothing.",
    bad="data_type: 'อื่นๆ' and no data_type_other", good="data_type: 'อื่นๆ: ข้อมูลภาพถ่ายทางอากาศ'",
    implemented_by=_RUNNER)

declare_emitted(
    "synonym", "warning", scope="field", group="values",
    en="{field}: '{value}' was read as '{suggestion}'; write '{suggestion}' to match the standard exactly.",
    th="{field_th}: อ่านค่า '{value}' เป็น '{suggestion}' ควรกรอกเป็น '{suggestion}' ให้ตรงตามมาตรฐาน",
    summary="A known variant was recognised and normalised (e.g. 'รายปี' → 'ปี').",
    why="Stewards write common variants of the listed values; they are read as meant, but the workbook should "
        "hold the standard's exact word so other tools read it too. Synonyms are data in the schemas (x-synonyms).",
    bad="update_frequency_unit: 'รายปี'", good="update_frequency_unit: 'ปี'",
    implemented_by="catalog_tools.normalize.Normaliser")

declare_emitted(
    "recommended", "warning", scope="field", group="mandatory",
    en="{field} is empty; the Template 3 form asks for it.",
    th="ยังไม่ได้กรอก{field_th} (Template 3 กำหนดให้กรอก)",
    summary="A Template 3 column that CKAN does not require is empty.",
    why="The Template 3 form asks for these resource items (x-recommended in the schemas) although CKAN accepts "
        "the resource without them.",
    bad="resource row without description", good="description: 'ไฟล์ CSV จำแนกรายจังหวัด'",
    implemented_by="catalog_tools.validate.Validator.check_record")

declare_emitted(
    "date_era", "warning", scope="field", group="dates",
    en="{field}: '{value}' {reason_en}.",
    th="{field_th}: '{value}' {reason_th}",
    summary="A date looks like it is in the wrong era (Buddhist Era vs Gregorian).",
    why="Workbooks hold Buddhist Era dates and CKAN stores Gregorian ones; a year in the other era is "
        "off by 543 years once published.",
    bad="resource_created_date: '2023-01-01' in a workbook", good="resource_created_date: '2566-01-01'",
    implemented_by="catalog_tools.normalize.Normaliser")


def date_era_context(reason: str | None, suggestion: str | None) -> dict[str, Any]:
    """The ``reason_en``/``reason_th`` of a ``date_era`` note (``ce_in_sheet``, a BE year in an Excel date cell,
    or a BE year stored in CKAN); for a BE date cell also the ``suggestion``: the Gregorian date."""
    if reason == "be_in_cell":
        return {"reason_en": f"is a date cell holding a Buddhist Era year; CKAN stores Gregorian dates, so it is read "
                             f"and published as {suggestion}",
                "reason_th": f"เป็นเซลล์วันที่ที่ใส่ปี พ.ศ. แต่ CKAN เก็บวันที่เป็นปี ค.ศ. จึงอ่านและเผยแพร่เป็น {suggestion}",
                "suggestion": suggestion}
    if reason == "be_in_cell_ambiguous":
        return {"reason_en": "is a date cell holding a Buddhist Era year with no Gregorian equivalent (29 February); "
                             "it is not used: type the date as text, e.g. 2564-02-28",
                "reason_th": "เป็นเซลล์วันที่ที่ใส่ปี พ.ศ. ซึ่งแปลงเป็นปี ค.ศ. ไม่ได้ (29 กุมภาพันธ์) จึงไม่นำค่านี้ไปใช้ "
                             "ให้กรอกวันที่เป็นข้อความ เช่น 2564-02-28"}
    if reason == "ce_in_sheet":
        return {"reason_en": f"has a Gregorian-looking year; workbook dates are Buddhist Era (read as {suggestion})",
                "reason_th": f"ปีดูเหมือนเป็น ค.ศ. วันที่ในแบบฟอร์มต้องเป็นปี พ.ศ. (อ่านเป็น {suggestion})"}
    return {"reason_en": f"is stored with a Buddhist Era year; CKAN stores Gregorian dates (meant {suggestion}?)",
            "reason_th": f"บันทึกเป็นปี พ.ศ. แต่ CKAN ต้องเก็บเป็นปี ค.ศ. (หมายถึง {suggestion} หรือไม่)"}
