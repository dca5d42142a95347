"""catalog-tools: validate, score, publish and audit Thai government data catalogs.

The library API returns plain data and never prints::

    from catalog_tools import validate_paths, ValidationOptions
    report = validate_paths(["Template2.xlsx"], options=ValidationOptions(standard="2.2"))
    report.summary()        # {'datasets': 6, 'complete': 4, ...}
    report.to_dict()        # the versioned JSON API

Scoring, publishing and auditing live in ``catalog_tools.scoring`` and ``catalog_tools.ckan``; an audit
returns an ``AuditResult`` and a content measurement a ``QualityResult`` (``catalog_tools.results``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562): ``import catalog_tools.cli`` must not pay
# for the validator, jsonschema and the loaders before it knows which command runs.
_LAZY = {
    "DatasetResult": "model", "Finding": "model", "LoadError": "model", "RawRecord": "model", "Report": "model",
    "ResourceResult": "model", "Source": "model", "ValidationOptions": "options", "load_schema": "schemas_api",
    "schema_info": "schemas_api", "Validator": "validate", "validate_paths": "validate", "validate_records": "validate",
    "AuditResult": "results", "QualityResult": "results",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'catalog_tools' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from .model import DatasetResult, Finding, LoadError, RawRecord, Report, ResourceResult, Source  # noqa: F401
    from .options import ValidationOptions  # noqa: F401
    from .results import AuditResult, QualityResult  # noqa: F401
    from .schemas_api import load_schema, schema_info  # noqa: F401
    from .validate import Validator, validate_paths, validate_records  # noqa: F401
