"""Recognising Template 2/3 header rows as stewards really write them.

A header cell is matched by its Thai label (and the variants in the schema's ``x-aliases``:
อีเมล/อีเมลล์, สัญญาอนุญาต/สัญญานุญาต, ธรรมาภิบาล/ธรรมชาติ…), by its technical name, or by
its item number ("2.ชื่อ", "9.1 หน่วยความถี่…"). Labels shared by both templates
(รายละเอียด, URL, dates) are resolved once the sheet's kind is known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from .schemas_api import fold, schema_info

_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d)?)\s*[.)]?\s*(?=\D|$)")
_PAREN = re.compile(r"\s*[(\[（].*?[)\]）]\s*")
_RESOURCE_SHEET = re.compile(r"template\s*3|temp3|resource|ทรัพยากร", re.IGNORECASE)
_DATASET_SHEET = re.compile(r"template\s*2|temp2|meta|คำอธิบายชุดข้อมูล", re.IGNORECASE)


@dataclass(slots=True)
class HeaderMatch:
    kind: str
    row: int  # 0-based row index of the header
    columns: dict[int, str]  # column index → field
    unknown: dict[int, str] = field(default_factory=dict)  # column index → header text
    score: int = 0


def split_label(text: str) -> tuple[str | None, str]:
    """``"9.1 หน่วยความถี่…"`` → ``("9.1", "หน่วยความถี่…")``; the first line only."""
    text = str(text).strip().splitlines()[0] if str(text).strip() else ""
    m = _NUMBER.match(text)
    number = m.group(1) if m else None
    label = text[m.end():] if m else text
    return number, label.strip().rstrip("*").strip()


@lru_cache(maxsize=None)
def _index(standard: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """kind → (folded label → field, item number → field)."""
    out = {}
    for kind in ("dataset", "resource"):
        info = schema_info(kind, standard)
        labels: dict[str, str] = {}
        numbers: dict[str, str] = {}
        for spec in info.fields.values():
            for label in (spec.name, spec.title_th, spec.title, *spec.aliases):
                key = fold(label)
                if key and key not in labels:
                    labels[key] = spec.name
            if spec.item:
                numbers[spec.item] = spec.name
        # Template 3 and NSO use a few CKAN resource names that differ from ours.
        if kind == "resource":
            labels.setdefault(fold("resource_name"), "name")
            labels.setdefault(fold("resource_url"), "url")
        out[kind] = (labels, numbers)
    return out


def match_cell(text: str, kind: str, standard: str) -> tuple[str | None, str | None]:
    """(field or None, item number or None) for one header cell, for sheets of ``kind``."""
    labels, _ = _index(standard)[kind]
    number, label = split_label(text)
    for candidate in (label, _PAREN.sub("", label), text):
        key = fold(candidate)
        if key in labels:
            return labels[key], number
    return None, number


def match_row(cells: Sequence[Any], row: int, standard: str, sheet_name: str = "") -> HeaderMatch | None:
    """Interpret ``cells`` as a header row; None if it does not look like one."""
    texts = {i: str(c).strip() for i, c in enumerate(cells) if isinstance(c, str) and c.strip()}
    if len(texts) < 3:
        return None
    best: HeaderMatch | None = None
    for kind in ("dataset", "resource"):
        _, numbers = _index(standard)[kind]
        columns: dict[int, str] = {}
        unknown: dict[int, str] = {}
        by_label = 0
        for i, text in texts.items():
            fld, number = match_cell(text, kind, standard)
            if fld is not None:
                by_label += 1
            elif number is not None and number in numbers:
                fld = numbers[number]
            if fld is None or fld in columns.values():
                unknown[i] = text
            else:
                columns[i] = fld
        score = by_label * 2 + len(columns)
        if kind == "resource" and _RESOURCE_SHEET.search(sheet_name):
            score += 3
        if kind == "dataset" and _DATASET_SHEET.search(sheet_name):
            score += 3
        if by_label < 2 or len(columns) < 3:
            continue
        if best is None or score > best.score:
            best = HeaderMatch(kind, row, columns, unknown, score)
    return best


def find_header(rows: Sequence[Sequence[Any]], standard: str, sheet_name: str = "", scan: int = 25) -> HeaderMatch | None:
    """The most header-like row among the first ``scan`` rows."""
    best: HeaderMatch | None = None
    for r, cells in enumerate(rows[:scan]):
        m = match_row(cells, r, standard, sheet_name)
        if m and (best is None or m.score > best.score):
            best = m
    return best


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
