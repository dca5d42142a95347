"""Fix rules: the changes ``catalog-tools fix`` writes into the corrected copy.

Each is what the normaliser already reads with certainty, written back the standard's way
(``catalog_tools.fixes.propose``); ``{value}`` is the cell before and ``{suggestion}`` after.
A change is kept only when the validator reads the fixed cell exactly as the original
(``catalog_tools.fixes.plan``), so a fix never changes what a value means.
"""
from __future__ import annotations

from .base import declare_emitted

_BY = "catalog_tools.fixes.propose.propose"

declare_emitted(
    "fix_whitespace", "warning", scope="fix", group="fixes",
    en="{field}: stray spaces, non-breaking spaces or zero-width characters removed.",
    th="{field_th}: ลบช่องว่างเกิน ช่องว่างแบบไม่ตัดบรรทัด หรืออักขระที่มองไม่เห็นออกแล้ว",
    summary="fix: spaces around a value, doubled spaces, NBSP and zero-width characters are removed.",
    why="Copy-paste from web pages and Word leaves invisible characters; CKAN and other systems compare them as "
        "different text, so the same e-mail or organisation looks like two.",
    bad="' plan@tourism.go.th\\u200b '", good="'plan@tourism.go.th'", implemented_by=_BY)

declare_emitted(
    "fix_thai_digits", "warning", scope="fix", group="fixes",
    en="{field}: Thai digits written as Arabic digits ('{value}' → '{suggestion}').",
    th="{field_th}: เปลี่ยนเลขไทยเป็นเลขอารบิก ('{value}' → '{suggestion}')",
    summary="fix: Thai digits (๐-๙) in numbers and dates become 0-9.",
    why="CKAN's number and date fields accept only 0-9; the validator already reads Thai digits, the portal does not.",
    bad="update_frequency_interval: '๑๒'", good="update_frequency_interval: '12'", implemented_by=_BY)

declare_emitted(
    "fix_synonym", "warning", scope="fix", group="fixes",
    en="{field}: known variant '{value}' replaced by the standard value '{suggestion}'.",
    th="{field_th}: เปลี่ยนค่า '{value}' เป็นค่าตามมาตรฐาน '{suggestion}'",
    summary="fix: a known synonym or English value becomes the standard's value (e.g. 'รายปี' → 'ปี', 'Thai' → 'ไทย').",
    why="The `synonym` warning says what the value means; the standard (and the NSO importer) needs the exact word. "
        "Only the schemas' listed synonyms (x-synonyms) are used.",
    bad="update_frequency_unit: 'รายปี'", good="update_frequency_unit: 'ปี'", implemented_by=_BY)

declare_emitted(
    "fix_choice_spelling", "warning", scope="fix", group="fixes",
    en="{field}: '{value}' written exactly as the standard spells it: '{suggestion}'.",
    th="{field_th}: เขียนค่า '{value}' ให้ตรงตามที่มาตรฐานกำหนด: '{suggestion}'",
    summary="fix: an allowed value written in other case or spacing becomes the standard's spelling (e.g. 'csv' → 'CSV').",
    why="CKAN's choice validators compare exact text; 'csv' is refused where 'CSV' is accepted.",
    bad="data_format: 'csv'", good="data_format: 'CSV'", implemented_by=_BY)

declare_emitted(
    "fix_date_era", "warning", scope="fix", group="fixes",
    en="{field}: date '{value}' written as '{suggestion}' ({reason_en}).",
    th="{field_th}: เขียนวันที่ '{value}' เป็น '{suggestion}' ({reason_th})",
    summary="fix: a Gregorian date in a workbook becomes Buddhist Era; a Buddhist Era date in CKAN JSON becomes Gregorian.",
    why="Template 3 asks for YYYY-MM-DD in the Buddhist Era and CKAN stores Gregorian dates; the `date_era` warning "
        "already says how the date was read, the fix writes it that way.",
    bad="resource_last_updated_date: '2023-09-30' (in a workbook)", good="resource_last_updated_date: '2566-09-30'",
    implemented_by=_BY)

declare_emitted(
    "fix_other", "warning", scope="fix", group="fixes",
    en="{field}: the 'other' value '{value}' written as '{suggestion}'{where_en}.",
    th="{field_th}: ค่า 'อื่นๆ' '{value}' เขียนเป็น '{suggestion}'{where_th}",
    summary="fix: 'อื่น ๆ : ข้อความ' / 'อื่นๆ (ข้อความ)' becomes 'อื่นๆ' with the text in the item's '(อื่นๆ โปรดระบุ)' "
            "column when the sheet has one, else 'อื่นๆ: ข้อความ'.",
    why="The standard's other value is 'อื่นๆ' with the text in the companion `_other` field; workbooks without that "
        "column write 'อื่นๆ: ข้อความ' in the cell.",
    bad="geo_coverage: 'อื่น ๆ (เขตพัฒนาการท่องเที่ยว)'", good="geo_coverage: 'อื่นๆ: เขตพัฒนาการท่องเที่ยว'",
    implemented_by=_BY)

declare_emitted(
    "fix_separator", "warning", scope="fix", group="fixes",
    en="{field}: several values separated with ', ' ('{value}' → '{suggestion}').",
    th="{field_th}: คั่นค่าหลายค่าด้วยจุลภาค ', ' ('{value}' → '{suggestion}')",
    summary="fix: multi-value cells and keywords separated by semicolons, new lines or bullets become comma-separated.",
    why="The template asks for values separated by commas; the NSO importer splits on commas only.",
    bad="data_format: 'XLS;CSV'", good="data_format: 'XLS, CSV'", implemented_by=_BY)

declare_emitted(
    "fix_email", "warning", scope="fix", group="fixes",
    en="{field}: e-mail '{value}' written as '{suggestion}'.",
    th="{field_th}: เขียนอีเมล '{value}' เป็น '{suggestion}'",
    summary="fix: 'mailto:' and spaces inside an e-mail address are removed.",
    why="A 'mailto:' link or spaces copied from a web page make the address invalid for CKAN; only an address that "
        "is valid afterwards is written.",
    bad="maintainer_email: 'mailto:plan@tourism.go.th'", good="maintainer_email: 'plan@tourism.go.th'",
    implemented_by=_BY)
