"""catalog-tools: validate, score, publish and audit Thai government data catalogs.

The library API returns plain data and never prints::

    from catalog_tools import validate_paths, ValidationOptions
    report = validate_paths(["Template2.xlsx"], options=ValidationOptions(standard="2.2"))
    report.summary()        # {'datasets': 6, 'complete': 4, ...}
    report.to_dict()        # the versioned JSON API

Scoring, publishing and auditing live in ``catalog_tools.scoring`` and ``catalog_tools.ckan``.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import DatasetResult, Finding, LoadError, RawRecord, Report, ResourceResult, Source  # noqa: E402
from .options import ValidationOptions  # noqa: E402
from .schemas_api import load_schema, schema_info  # noqa: E402
from .validate import Validator, validate_paths, validate_records  # noqa: E402

__all__ = [
    "__version__", "DatasetResult", "Finding", "LoadError", "RawRecord", "Report", "ResourceResult", "Source",
    "ValidationOptions", "Validator", "load_schema", "schema_info", "validate_paths", "validate_records",
]
