"""Timeliness rules: measured by :mod:`catalog_tools.timeliness` when a date is given (``--as-of``) or in audits."""
from __future__ import annotations

from .base import declare_emitted

declare_emitted(
    "overdue", "warning", scope="record", group="timeliness",
    en="Data last updated {value} is {days} days late for its {cycle}-day update cycle "
       "({pct}% overdue, band {band}, as of {as_of}).",
    th="ข้อมูลปรับปรุงล่าสุดเมื่อ {last_be} ล่าช้ากว่ารอบการปรับปรุง {cycle} วัน อยู่ {days} วัน "
       "(เกินรอบ {pct}% ระดับ {band} ณ วันที่ {as_of_be})",
    summary="A dataset's last update is older than its own update frequency promises (timeliness bands as "
            "ckanext-dquality measures them).",
    why="From FY2567 the KPI asks agencies to keep every open dataset on their catalog current, and thai_gdc 3.0 "
        "portals show the same bands through ckanext-dquality (docs/timeliness.md).",
    bad="update_frequency_unit: 'ไตรมาส', resource_last_updated_date: 2569-03-31, checked on 2569-11-30",
    good="resource_last_updated_date: 2569-09-30 (within 90 days)",
    implemented_by="catalog_tools.timeliness.apply_timeliness")

declare_emitted(
    "date_in_future", "warning", scope="record", group="timeliness",
    en="The last update {value} (from {source_field}) is after the date of the check, {as_of}: a date in the "
       "future does not show that the data is current.",
    th="วันที่ปรับปรุงข้อมูลล่าสุด {last_be} (จาก {source_field}) อยู่หลังวันที่ตรวจ {as_of_be} "
       "วันที่ในอนาคตไม่แสดงว่าข้อมูลเป็นปัจจุบัน",
    summary="A dataset's most recent update date lies after the date it is checked on; it is not counted as "
            "current.",
    why="A typo (9999-12-31, or next year's date) would otherwise make a dataset 'on time' for ever, and FY2567 "
        "scores whether open datasets are current (docs/timeliness.md).",
    bad="resource_last_updated_date: 9999-12-31, checked on 2569-11-30",
    good="resource_last_updated_date: 2569-11-15, checked on 2569-11-30",
    implemented_by="catalog_tools.timeliness.apply_timeliness")
