"""Template 1 rules: the dataset list tied to a Focus Area, checked against Template 2.

They need Template 1 and every Template 2 row at once, and share one matching pass (by id, by
title when there is no id), so one function emits them all:
:func:`catalog_tools.dataset_list.check_dataset_lists`, called by the validator after the
collection rules. Switch them off together with ``ignore: [dataset_list]``.
"""
from __future__ import annotations

from .base import declare_emitted

_BY = "catalog_tools.dataset_list.check_dataset_lists"

declare_emitted(
    "focus_area_invalid", "error", scope="collection", group="dataset_list",
    en="Template 1: the Focus Area {missing_en}; choose one of the 10 Focus Areas (a number 1-10 or its name).{suggest_en}",
    th="Template 1: Focus Area {missing_th} ต้องเลือก 1 ใน 10 Focus Area (ระบุเลข 1-10 หรือชื่อ){suggest_th}",
    summary="The Focus Area of a Template 1 list is blank or not one of the 10 Focus Areas (FY2565) or the 6 use scopes (FY2566).",
    why="The basic level starts with 'เลือกประเด็นอย่างน้อย 1 ประเด็นภายใต้ 10 Focus Areas' (002:142); a Focus Area outside the 10 ties the list to nothing the KPI knows. Numbers, the official labels and the variants of the FY2565 rubric file are accepted; FY2566 lists may give their use scope.",
    bad="Template 1!B1: 'ด้านกีฬา'", good="Template 1!B1: 'ด้านท่องเที่ยว' (or 3, or '3. ด้านการท่องเที่ยว')",
    implemented_by=_BY)

declare_emitted(
    "list_field_missing", "warning", scope="collection", group="dataset_list",
    en="Template 1: '{field}' is blank.",
    th="Template 1: ยังไม่ได้กรอก '{field_th}'",
    summary="One of the Template 1 header fields (issue, intended use, user agencies) is blank.",
    why="The form asks for the issue under the Focus Area, the intended use and the agencies expected to use the datasets (002:229-242); assessors read them to judge the list's link to the Focus Area.",
    bad="Template 1!B2 left blank", good="Template 1!B2: 'การขับเคลื่อน e-Service ในภาครัฐ'",
    implemented_by=_BY)

declare_emitted(
    "list_empty", "error", scope="collection", group="dataset_list",
    en="Template 1 '{value}' lists no dataset; the basic level needs the list of datasets tied to the Focus Area.",
    th="Template 1 '{value}' ยังไม่มีรายชื่อชุดข้อมูล ขั้นต้นต้องมีรายชื่อชุดข้อมูลที่สัมพันธ์กับประเด็นภายใต้ Focus Area",
    summary="A Template 1 sheet has its labels but no dataset rows.",
    why="The basic level is 'มีรายชื่อบัญชีชุดข้อมูล (Data Set) ที่สัมพันธ์กับกระบวนการทำงานตามประเด็นการดำเนินงานภายใต้ Focus Area' (002:177): a list with no dataset does not meet it.",
    bad="a Focus Area and an issue, and no row under the table header", good="one row per dataset under its mission and process",
    implemented_by=_BY)

declare_emitted(
    "list_matched_by_title", "warning", scope="collection", group="dataset_list",
    en="Template 1 has no dataset id column; its datasets were matched to Template 2 by title.",
    th="Template 1 ไม่มีคอลัมน์รหัสชุดข้อมูล จึงจับคู่กับ Template 2 ตามชื่อชุดข้อมูล",
    summary="The Template 1 table has no id column (the seed's own shape): datasets are matched by title.",
    why="Templates 2 and 3 refer to 'รหัสชุดข้อมูลตามที่กำหนดใน Template 1'; without ids a renamed title breaks the link silently.",
    bad="the table ภารกิจ | กระบวนการทำงานหลัก | กระบวนการทำงานย่อย | ชุดข้อมูล", good="the same table with a รหัสชุดข้อมูล column",
    implemented_by=_BY)

declare_emitted(
    "list_no_id", "warning", scope="collection", group="dataset_list",
    en="Template 1 row {extra}: '{value}' has no dataset id; it was matched to Template 2 by title.",
    th="Template 1 แถวที่ {extra}: '{value}' ไม่มีรหัสชุดข้อมูล จึงจับคู่กับ Template 2 ตามชื่อชุดข้อมูล",
    summary="A Template 1 dataset row without an id, matched by its title.",
    why="The id is what ties Template 1 to Templates 2 and 3; a title match breaks as soon as one of the titles is edited.",
    bad="Template 1!D8 blank beside 'รายได้จากการท่องเที่ยวรายจังหวัด'", good="Template 1!D8: 'DataSet_11_02'",
    implemented_by=_BY)

declare_emitted(
    "list_duplicate_id", "error", scope="collection", group="dataset_list",
    en="Template 1 lists dataset id '{value}' more than once (rows {extra}); list each dataset once.",
    th="Template 1 มีรหัสชุดข้อมูล '{value}' ซ้ำกัน (แถวที่ {extra}) ให้ระบุแต่ละชุดข้อมูลเพียงครั้งเดียว",
    summary="The same dataset id appears on two Template 1 rows.",
    why="Each dataset is listed once under the process it serves; a repeated id usually hides a copy-paste slip and another dataset left out.",
    bad="DataSet_11_01 on rows 7 and 10 of Template 1", good="DataSet_11_01 on row 7 only",
    implemented_by=_BY)

declare_emitted(
    "listed_without_metadata", "error", scope="collection", group="dataset_list",
    en="Template 1 row {extra} lists '{value}', which has no Template 2 metadata.{suggest_en}",
    th="Template 1 แถวที่ {extra} ระบุชุดข้อมูล '{value}' แต่ไม่มีคำอธิบายข้อมูล (Metadata) ใน Template 2{suggest_th}",
    summary="A dataset in the Template 1 list has no Template 2 row (matched by id, or by title when there is no id).",
    why="The standard level asks for the 14-item metadata 'ของทุกชุดข้อมูล' (of every dataset) in the list (002:177); a listed dataset without it counts as incomplete.",
    bad="Template 1 lists DataSet_11_04; Template 2 has no such row", good="a Template 2 row with id DataSet_11_04 and its 14 items",
    implemented_by=_BY)

declare_emitted(
    "not_in_dataset_list", "warning", scope="collection", group="dataset_list",
    en="Dataset '{value}' is not in the Template 1 list: it is not tied to the Focus Area, so it is not counted for the basic level or scored.",
    th="ชุดข้อมูล '{value}' ไม่อยู่ในรายชื่อชุดข้อมูล (Template 1) จึงไม่สัมพันธ์กับประเด็นภายใต้ Focus Area และไม่นำมานับในขั้นต้นและการคิดคะแนน",
    summary="A Template 2 dataset that the Template 1 list does not name.",
    why="The KPI scores the datasets 'ที่สัมพันธ์กับกระบวนการทำงานตามประเด็นการดำเนินงานภายใต้ Focus Area' (002:177); a dataset outside the list is left out of the score.",
    bad="Template 2 row DataSet_11_03, absent from Template 1", good="DataSet_11_03 listed in Template 1 under its process",
    implemented_by=_BY)

declare_emitted(
    "list_title_mismatch", "warning", scope="collection", group="dataset_list",
    en="Template 1 names '{extra}' as '{value}', but its Template 2 title is different.{suggest_en}",
    th="Template 1 ระบุชื่อชุดข้อมูล '{extra}' เป็น '{value}' ซึ่งไม่ตรงกับชื่อใน Template 2{suggest_th}",
    summary="The title of a dataset in Template 1 differs from its Template 2 title.",
    why="Assessors compare the list with the catalog by name; two names for one dataset look like two datasets.",
    bad="Template 1: 'รายได้จากการท่องเที่ยวจำแนกรายจังหวัด', Template 2: 'รายได้จากการท่องเที่ยวรายจังหวัด'", good="the same title in both",
    implemented_by=_BY)
