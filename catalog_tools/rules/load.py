"""Load rules: what happened while reading an input file.

The loaders emit these as ``LoadNote``s (a note, not a stop: the other sheets and rows are
still read); an input that cannot be read at all is a ``LoadError`` instead (exit 2).
"""
from __future__ import annotations

from .base import declare_emitted

declare_emitted(
    "sheet_skipped", "warning", scope="load", group="input",
    en="Sheet '{value}' was not read: {reason_en}.",
    th="ไม่ได้อ่านแผ่นงาน '{value}': {reason_th}",
    summary="A sheet had no recognisable Template 2/3 header or was hidden.",
    why="A workbook may hold notes, lookups or hidden copies; saying which sheets were not read shows that no "
        "data was silently dropped.",
    bad="a hidden sheet 'Template 2 (old)'", good="the sheet shown, or removed from the workbook",
    implemented_by="catalog_tools.loaders.workbook")

declare_emitted(
    "no_data", "warning", scope="load", group="input",
    en="'{value}' has Template 2/3 headers but no data rows.",
    th="ไฟล์ '{value}' มีหัวตาราง Template 2/3 แต่ยังไม่มีข้อมูล",
    summary="A readable file with Template headers and not one dataset or resource row (e.g. a blank template).",
    why="A blank template validates clean, which would look like success; the note says nothing was checked.",
    bad="a CSV with the Template 2 header row only", good="the same CSV with its dataset rows",
    implemented_by="catalog_tools.loaders.common.no_data_note")

declare_emitted(
    "column_unknown", "warning", scope="load", group="input",
    en="Column '{value}' was not recognised and was ignored.",
    th="ไม่รู้จักคอลัมน์ '{value}' จึงไม่ได้อ่านค่าในคอลัมน์นี้",
    summary="A header cell matched no known item.",
    why="Values under an unrecognised header are not read; a renamed column would otherwise vanish silently.",
    bad="header 'หมายเหตุภายใน'", good="only Template 2/3 headers, or the column moved to another sheet",
    implemented_by="catalog_tools.loaders.common.rows_to_records")

declare_emitted(
    "column_missing", "warning", scope="load", group="input",
    en="The sheet has no column for {field}.",
    th="แผ่นงานไม่มีคอลัมน์{field_th}",
    summary="A mandatory item has no column at all in the sheet.",
    why="Every row will then miss the item (each also gets 'required'); one note says why at the header.",
    bad="a Template 2 sheet without the '8. วัตถุประสงค์' column", good="all 14 item columns present",
    implemented_by="catalog_tools.loaders.common.rows_to_records")

declare_emitted(
    "hint_row_data", "warning", scope="load", group="input",
    en="Row {value} is the template's hint row but holds data ({extra}): {reason_en}.",
    th="แถวที่ {value} เป็นแถวคำอธิบายของแบบฟอร์ม แต่มีข้อมูล ({extra}): {reason_th}",
    summary="Data typed on a template's hint row (the NSO importer skips row 5; the OPDC instruction row): read and "
            "reported, never dropped (an error when the cells could not be read).",
    why="The NSO importer skips Excel row 5 (drop(0)); a dataset typed there, or moved up when the hint row was "
        "deleted, would never be imported, and a row mixing hints and data cannot be read as a record.",
    bad="Temp2_Meta_Record row 5 holding 'hospital-registry, ทะเบียนสถานพยาบาลเอกชน, …'",
    good="row 5 keeps the importer's hints; datasets from row 6",
    implemented_by="catalog_tools.loaders.common.rows_to_records")

declare_emitted(
    "cells_outside", "warning", scope="load", group="input",
    en="Sheet '{value}': {extra} cell(s) beyond row {max_rows} or column {max_col} were not read (the first is {first}).",
    th="แผ่นงาน '{value}': ไม่ได้อ่าน {extra} เซลล์ที่อยู่เลยแถว {max_rows} หรือคอลัมน์ {max_col} (เซลล์แรกคือ {first})",
    summary="A workbook has cells far outside any table (e.g. at XFD1048576 or beyond Excel's last row); they were not read.",
    why="One stray cell far away would make a reader allocate a grid of billions of cells; the sheet is read cell "
        "by cell instead, and the cells that no template can hold are named rather than silently dropped.",
    bad="a value typed by accident in cell XFD1048576", good="the stray cell cleared (Ctrl+End shows the real end)",
    implemented_by="catalog_tools.loaders.workbook")

declare_emitted(
    "merge_ignored", "warning", scope="load", group="input",
    en="Sheet '{value}': {extra} merged range(s) overlap other merged ranges and were not filled.",
    th="แผ่นงาน '{value}': มีช่วงเซลล์ที่ผสานซ้อนทับกัน {extra} ช่วง จึงไม่ได้เติมค่าจากเซลล์ที่ผสาน",
    summary="Merged ranges overlap (Excel refuses such files); the extra ranges were not used to fill cells.",
    why="Merged cells are filled from their top-left value, bounded by the real data; overlapping ranges would "
        "multiply that work without end, so they are skipped and named.",
    bad="A2:A100 and A1:Z1000 both merged", good="each cell in at most one merged range",
    implemented_by="catalog_tools.loaders.workbook.fill_merged")

declare_emitted(
    "csv_quote", "error", scope="load", group="input",
    en="Row {row} (lines {extra}): a quote in column {column} is not closed where the cell ends, so {count} "
       "following line(s) that look like rows were read into that one cell.",
    th="แถวที่ {row} (บรรทัด {extra}): เครื่องหมายคำพูด (\") ในคอลัมน์ {column} ไม่ได้ปิดที่ท้ายเซลล์ "
       "ทำให้อีก {count} บรรทัดที่เป็นแถวข้อมูลถูกอ่านรวมเป็นเซลล์เดียว",
    summary="An unbalanced quote in a CSV file swallowed the rows after it into one cell.",
    why="The CSV reader reads a quoted cell across line ends until the next quote; the datasets on those lines "
        "would otherwise vanish without a word.",
    bad='DataSet_11_01,"กรมการท่องเที่ยว,ข้อมูลสถิติ  (the quote is never closed)',
    good='DataSet_11_01,"กรมการท่องเที่ยว",ข้อมูลสถิติ',
    implemented_by="catalog_tools.loaders.csvfile")
