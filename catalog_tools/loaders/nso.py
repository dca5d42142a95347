"""The NSO GD Catalog import workbook: sheet names, column orders and the data_type each fixes.

The NSO importer (ckanext-thai_gdc ``dataset_import``) reads these sheets by *position*: header
on Excel row 4, row 5 skipped, data from row 6, and the column count must match exactly or
the sheet is silently skipped. We read them the same way, but say so when a sheet does not fit.
Column orders are from thai_gdc 2.0 (``controllers/dataset.py``) and 2.2 (``blueprint.py``,
which adds ``data_classification`` after ``data_category``).
"""
from __future__ import annotations

from typing import Any, Sequence

from ..schemas_api import fold

_REC = ("id,d_type,title,owner_org,maintainer,maintainer_email,tag_string,notes,objective,update_frequency_unit,"
        "update_frequency_interval,geo_coverage,data_source,data_format,data_category,license_id,accessible_condition").split(",")
_RECORD = _REC + "created_date,last_updated_date,url,data_support,data_collect,data_language,high_value_dataset,reference_data".split(",")
_STAT = _REC + ("first_year_of_data,last_year_of_data,data_release_calendar,last_updated_date,disaggregate,unit_of_measure,"
                "unit_of_multiplier,calculation_method,standard,url,data_language,official_statistics").split(",")
_GIS = _REC + ("geographic_data_set,equivalent_scale,west_bound_longitude,east_bound_longitude,north_bound_longitude,"
               "south_bound_longitude,positional_accuracy,reference_period,last_updated_date,data_release_calendar,"
               "data_release_date,url,data_language").split(",")
_RES = "dataset_id,name,url,description,resource_accessible_condition,resource_last_updated_date,format".split(",")
_RES_RECORD = _RES + ["resource_created_date", "resource_data_collect"]
_RES_STAT = _RES + ("resource_first_year_of_data,resource_last_year_of_data,resource_data_release_calendar,resource_disaggregate,"
                    "resource_unit_of_measure,resource_unit_of_multiplier,resource_official_statistics").split(",")
_RES_GIS = _RES + "resource_equivalent_scale,resource_geographic_data_set,resource_created_date,resource_data_release_date,resource_positional_accuracy".split(",")


def _v22(cols: list[str]) -> list[str]:
    i = cols.index("data_category") + 1
    return cols[:i] + ["data_classification"] + cols[i:]


DATA_TYPES = {
    "record": "ข้อมูลระเบียน", "stat": "ข้อมูลสถิติ", "gis": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "multi": "ข้อมูลหลากหลายประเภท", "other": "ข้อมูลประเภทอื่นๆ",
}
_DATASET_COLS = {"record": _RECORD, "multi": _RECORD, "other": _RECORD, "stat": _STAT, "gis": _GIS}
_RESOURCE_COLS = {"record": _RES_RECORD, "multi": _RES_RECORD, "other": _RES_RECORD, "stat": _RES_STAT, "gis": _RES_GIS}

#: lower-cased sheet name → (record kind, values the sheet fixes)
NSO_SHEETS: dict[str, tuple[str, dict[str, Any]]] = {}
for _t, _dt in DATA_TYPES.items():
    NSO_SHEETS[f"temp2_meta_{_t}"] = ("dataset", {"data_type": _dt})
    NSO_SHEETS[f"temp3_resource_{_t}"] = ("resource", {})


def layouts(sheet: str) -> list[list[str]]:
    """Possible column orders for ``sheet`` (2.2 first, then 2.0)."""
    name = sheet.strip().lower()
    t = name.rsplit("_", 1)[-1]
    if name.startswith("temp2_meta_"):
        base = _DATASET_COLS[t]
        return [_v22(base), base]
    return [_RESOURCE_COLS[t]]


def nso_columns(sheet: str, header_row: Sequence[Any], standard: str) -> dict[int, str] | None:
    """Column index → field for an NSO sheet whose header width fits a known layout, else None."""
    width = 0
    for i, cell in enumerate(header_row):
        if cell not in (None, "") and str(cell).strip():
            width = i + 1
    t = sheet.strip().lower().rsplit("_", 1)[-1]
    for cols in layouts(sheet):
        if len(cols) == width:
            out: dict[int, str] = {}
            for i, name in enumerate(cols):
                if name == "d_type":
                    if t == "other":
                        out[i] = "data_type_other"
                    continue
                out.setdefault(i, name)
            return out
    return None


#: Fields whose value the importer "folds": a whole cell not in the list becomes 'อื่นๆ' with the
#: cell text in ``<field>_other`` — multi-value cells included ("CSV,JSON" is one value to it).
IMPORTER_FOLDS = frozenset(("objective", "update_frequency_unit", "geo_coverage", "data_format", "license_id", "data_support",
                            "data_collect", "data_language", "disaggregate", "unit_of_multiplier", "equivalent_scale",
                            "resource_disaggregate"))


def nso_hint_names(sheet: str) -> frozenset[str]:
    """What row 5 of an NSO sheet may hold: the importer's column names (folded)."""
    names = {"name", "dataset_name", "resource_name", "resource_url", "d_type"}
    for cols in layouts(sheet):
        names.update(cols)
    return frozenset(fold(n) for n in names)
