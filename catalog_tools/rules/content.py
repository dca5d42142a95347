"""Content rules: what ``catalog-tools quality`` finds inside a resource's file.

The checks are the measurements of :mod:`catalog_tools.quality` (each rule names the module
that emits it); every metric below its best emits one of these with the cells that cost it.
Formulas and where they differ from ckanext-dquality: docs/quality.md.
"""
from __future__ import annotations

from .base import declare_emitted

_ASSESS = "catalog_tools.quality.assess"
_METRICS = "catalog_tools.quality.metrics.measure"

declare_emitted(
    "content_unreachable", "error", scope="content", group="content",
    en="The file could not be downloaded: {reason_en}.",
    th="ดาวน์โหลดไฟล์ไม่ได้: {reason_th}",
    summary="quality: the resource URL gave no file (HTTP error, timeout, redirect loop, refused connection), or the "
            "Template 3 path is missing or outside the workbook's folder.",
    why="A catalog entry whose file cannot be had is not open data; ckanext-dquality records a server that refuses "
        "HEAD as 'timed out' — here only a real failure is one.",
    bad="url answering HTTP 404 after 6 redirects", good="url answering HTTP 200 with the file",
    implemented_by=_ASSESS)

declare_emitted(
    "content_too_large", "warning", scope="content", group="content",
    en="The file is larger than the {limit} limit and was not read (raise --max-size to read it).",
    th="ไฟล์มีขนาดใหญ่เกินขีดจำกัด {limit} จึงไม่ได้อ่านเนื้อหา (เพิ่ม --max-size เพื่ออ่าน)",
    summary="quality: a file over the size cap; its content is not measured.",
    why="Downloads are capped so one huge file cannot exhaust memory or time; the report says which files were "
        "not measured rather than leaving them out.",
    bad="a 2 GB CSV with the default 32 MB cap", good="the same file with --max-size 4096, or split by year",
    implemented_by=_ASSESS)

declare_emitted(
    "content_unreadable", "error", scope="content", group="content",
    en="The file cannot be read as {value}: {reason_en}.",
    th="อ่านไฟล์ในรูปแบบ {value} ไม่ได้: {reason_th}",
    summary="quality: a damaged, password-protected or zip-bomb file.",
    why="A file that a program cannot open is not machine-readable whatever its format says.",
    bad="an .xlsx unpacking to 300 MB of zeros", good="the workbook saved again by Excel",
    implemented_by=_ASSESS)

declare_emitted(
    "content_format_mismatch", "error", scope="content", group="content",
    en="The format is declared as {declared} but the file is {value} ({note}).",
    th="ระบุรูปแบบไฟล์เป็น {declared} แต่เนื้อไฟล์จริงเป็น {value} ({note})",
    summary="quality: the declared format is not what the file's bytes are (e.g. a PDF named .csv).",
    why="Users and the KPI trust the declared format; ckanext-dquality takes it from the URL extension, so a PDF "
        "named .csv scores as CSV there.",
    bad="format CSV, the file starts with %PDF", good="format PDF, or a real CSV published",
    implemented_by=_ASSESS)

declare_emitted(
    "content_not_machine_readable", "warning", scope="content", group="content",
    en="The file is {value} ({stars} of 5 stars): programs cannot read it as data; publish CSV, XLSX or JSON too.",
    th="ไฟล์เป็น {value} (ระดับความเปิด {stars} จาก 5 ดาว) ซึ่งโปรแกรมอ่านเป็นข้อมูลไม่ได้ ควรเผยแพร่เป็น CSV, XLSX หรือ JSON ด้วย",
    summary="quality: the sniffed format is not machine-readable (PDF, Word, images, plain text).",
    why="Open data is data a program can read; a report or a scan has to be retyped.",
    bad="a PDF report of the table", good="the same table as CSV",
    implemented_by=_ASSESS)

declare_emitted(
    "content_not_utf8", "warning", scope="content", group="content",
    en="The text is encoded as {value}, not UTF-8; save it as UTF-8 so every program reads the Thai correctly.",
    th="ไฟล์ใช้รหัสอักขระ {value} ไม่ใช่ UTF-8 ควรบันทึกเป็น UTF-8 เพื่อให้ทุกโปรแกรมอ่านภาษาไทยได้ถูกต้อง",
    summary="quality: a text file in TIS-620/cp874, UTF-16 or another legacy encoding.",
    why="Programs that assume UTF-8 show TIS-620 Thai as mojibake; ckanext-dquality checks a re-encoded copy, so "
        "a TIS-620 CSV passes there.",
    bad="a CSV saved by old Excel as TIS-620", good="the CSV saved as 'CSV UTF-8'",
    implemented_by=_ASSESS)

declare_emitted(
    "content_no_table", "warning", scope="content", group="content",
    en="No table was found in the file: no row has two filled cells side by side.",
    th="ไม่พบตารางข้อมูลในไฟล์ (ไม่มีแถวที่มีข้อมูลอย่างน้อยสองช่องติดกัน)",
    summary="quality: a tabular format without any table (notes only, or empty).",
    why="A spreadsheet of notes is not data; the metrics would otherwise read 100% over nothing.",
    bad="an .xlsx with one sheet of paragraphs", good="an .xlsx whose first sheet is the table",
    implemented_by=_ASSESS)

declare_emitted(
    "content_header_not_first", "warning", scope="content", group="content",
    en="The header is on row {value}; the {above} row(s) above it hold a title. Programs read the first row as the "
       "header: move the title into the resource description.",
    th="หัวตารางอยู่แถวที่ {value} โดยมี {above} แถวด้านบนเป็นชื่อเรื่อง โปรแกรมจะอ่านแถวแรกเป็นหัวตาราง "
       "ควรย้ายชื่อเรื่องไปไว้ในคำอธิบายทรัพยากรข้อมูล",
    summary="quality: title rows above the header row.",
    why="CKAN's DataStore, pandas and ckanext-dquality take row 1 as the header; a title there turns every column "
        "name into 'Unnamed'.",
    bad="row 1 'สถิตินักท่องเที่ยว ปี 2566', header on row 3", good="the header on row 1",
    implemented_by=_METRICS)

declare_emitted(
    "content_blank_header", "warning", scope="content", group="content",
    en="Column {column} has no header.",
    th="คอลัมน์ {column} ไม่มีชื่อหัวตาราง",
    summary="quality (validity): a blank header cell inside the table's width.",
    why="A column without a name cannot be referred to or understood; one of dquality's three validity checks.",
    bad="header 'จังหวัด, ปี, , จำนวน'", good="header 'จังหวัด, ปี, เดือน, จำนวน'",
    implemented_by=_METRICS)

declare_emitted(
    "content_duplicate_header", "warning", scope="content", group="content",
    en="Header '{value}' repeats the header at {first}.",
    th="ชื่อหัวตาราง '{value}' ซ้ำกับหัวตารางที่ {first}",
    summary="quality (validity): two columns with the same header.",
    why="Two columns of one name are ambiguous to every program; one of dquality's three validity checks.",
    bad="header 'จำนวน, จำนวน'", good="header 'จำนวนชาย, จำนวนหญิง'",
    implemented_by=_METRICS)

declare_emitted(
    "content_extra_cells", "warning", scope="content", group="content",
    en="{value} row(s) have values beyond the {width} header columns (rows {rows}).",
    th="มี {value} แถวที่มีค่าเกินจำนวนคอลัมน์ของหัวตาราง {width} คอลัมน์ (แถว {rows})",
    summary="quality (validity): values to the right of the last header.",
    why="A value without a column is lost or shifts the row; one of dquality's three validity checks.",
    bad="a row 'น่าน,2566,1200,หมายเหตุ' under a 3-column header", good="a 'หมายเหตุ' column in the header",
    implemented_by=_METRICS)

declare_emitted(
    "content_empty_cells", "warning", scope="content", group="content",
    en="Column '{value}': {count} empty or placeholder cells (rows {rows}).",
    th="คอลัมน์ '{value}' มีช่องว่างหรือค่าแทนช่องว่าง {count} ช่อง (แถว {rows})",
    summary="quality (completeness): empty cells and placeholders such as '-' or 'ไม่มีข้อมูล'.",
    why="Completeness is filled cells over rows × header width (dquality's formula); a placeholder is a missing "
        "value written down.",
    bad="'-' in รายได้ for กระบี่", good="the figure, or a documented code explained in the description",
    implemented_by=_METRICS)

declare_emitted(
    "content_mixed_types", "warning", scope="content", group="content",
    en="Column '{value}' holds {major} but {count} of {total} cells are {type}: {cells}.",
    th="คอลัมน์ '{value}' เป็น{major_th} แต่มี {count} จาก {total} ช่องเป็น{type_th}: {cells}",
    summary="quality (consistency): cells whose type differs from their column's.",
    why="A text cell in a number column stops sums and charts; consistency is cells of the column's type over the "
        "cells considered.",
    bad="'ไม่ทราบ' in จำนวนนักท่องเที่ยว", good="an empty cell, explained in the description",
    implemented_by=_METRICS)

declare_emitted(
    "content_duplicate_rows", "warning", scope="content", group="content",
    en="Row {value} repeats row {first}{more_en}.",
    th="แถวที่ {value} ซ้ำกับแถวที่ {first}{more_th}",
    summary="quality (uniqueness): a data row identical to an earlier one.",
    why="A repeated row is counted twice by every sum; uniqueness is distinct rows over rows.",
    bad="'ภูเก็ต,2566,12800' twice", good="each province once per year",
    implemented_by=_METRICS)

declare_emitted(
    "content_footnotes", "warning", scope="content", group="content",
    en="Rows {rows} below the table hold notes, not data, and were not counted; put notes in the resource description.",
    th="แถว {rows} ใต้ตารางเป็นหมายเหตุ ไม่ใช่ข้อมูล จึงไม่ได้นับ ควรย้ายหมายเหตุไปไว้ในคำอธิบายทรัพยากรข้อมูล",
    summary="quality: single-cell note rows under a table (ที่มา: …).",
    why="Programs read a note under the table as a data row with empty cells; the rows are named, not dropped "
        "silently.",
    bad="last row 'ที่มา: กรมการท่องเที่ยว'", good="the source in the resource description",
    implemented_by=_METRICS)

declare_emitted(
    "content_table_errors", "warning", scope="content", group="content",
    en="{count} × {value} ({note}) at {places}.",
    th="พบ{note_th} ({value}) {count} แห่ง ที่ {places}",
    summary="quality (validation): other frictionless errors — missing cells, blank rows.",
    why="frictionless validates the table as the Frictionless Data specs define it; errors the metrics already "
        "name are not repeated.",
    bad="a row shorter than the header", good="every row as wide as the header",
    implemented_by=_ASSESS)

declare_emitted(
    "content_findings_capped", "warning", scope="content", group="content",
    en="{value} more '{of_code}' findings in this file are not listed; the metrics count them all.",
    th="ยังมีสิ่งที่พบแบบ '{of_code}' ในไฟล์นี้อีก {value} รายการที่ไม่ได้แสดง (ตัวชี้วัดนับรวมทั้งหมดแล้ว)",
    summary="quality: one file produced more findings of one kind than are listed.",
    why="A 20,000-column sheet must not produce 20,000 findings; the count says how many were left out.",
    bad="20,000 'content_duplicate_header' findings", good="20 listed and one saying 19,979 more",
    implemented_by=_ASSESS)
