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
