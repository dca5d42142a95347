"""A ckanext-scheming dataset schema generated from our JSON Schemas.

Why: a CKAN configured with this schema refuses the same things the validator reports, so a
dataset that passes ``validate`` is accepted by the server and one that does not is refused
for the same reason. The facts come from ``catalog_tools/schemas/`` through :mod:`catalog_tools.schemas_api`
(fields, Thai/English labels, required items, verbatim choice lists, ``_other`` companions).

Server-side semantics worth knowing (ckanext-scheming):

* ``scheming_required`` only means ``not_empty``/``ignore_missing``; it does not check choices.
  Live thai_gdc 2.2.4 uses it alone for its required selects, so a live catalog does **not**
  enforce ``data_type``/``geo_coverage``/``license_id``/... lists. Our schema uses
  ``preset: select`` (``scheming_required scheming_choices``) on every single select, so the
  test server enforces the lists, as the validator does.
* Multi-selects use ``scheming_multiple_choice`` (a JSON list in choice order; required → at
  least one element).
* ``tag_string`` keeps ``ignore_missing tag_string_convert``: making it ``not_empty`` would make
  every later ``package_patch`` (which sends ``tags``, not ``tag_string``) fail.
* ``update_frequency_interval`` has no validator on thai_gdc. Our schema allows any positive
  number; CKAN core has only ``is_positive_integer`` (whole numbers), which is the default here so
  the generated schema loads on any CKAN. The project's test CKAN has a plugin validator,
  ``catalog_tools_positive_number``, with exactly the schema's rule: pass
  ``number_validator="catalog_tools_positive_number"`` for a server that has it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..schemas_api import DEFAULT_STANDARD, FieldSpec, SchemaInfo, schema_info

#: CKAN core fields that keep their scheming presets instead of generated validators.
_CORE_PRESETS: dict[str, dict[str, Any]] = {
    "title": {"preset": "title", "validators": "not_empty unicode_safe"},
    "owner_org": {"preset": "dataset_organization"},
    "tag_string": {"preset": "tag_string_autocomplete"},
    "notes": {"form_snippet": "markdown.html"},
}

_RESOURCE_CORE: dict[str, dict[str, Any]] = {
    "url": {"preset": "resource_url_upload", "validators": "not_empty unicode_safe remove_whitespace"},
    "name": {"validators": "not_empty unicode_safe"},
    "description": {"form_snippet": "markdown.html"},
    "format": {"preset": "resource_format_autocomplete",
               "validators": "if_empty_guess_format not_empty clean_format unicode_safe"},
}


def _label(spec: FieldSpec) -> dict[str, str]:
    return {"en": spec.title, "th": spec.title_th}


def _choices(spec: FieldSpec) -> list[dict[str, Any]]:
    out = []
    for value in spec.choices:
        label = spec.labels.get(value, value)
        out.append({"value": value, "label": label})
    return out


#: CKAN validator used for number fields (see the module docstring)
DEFAULT_NUMBER_VALIDATOR = "is_positive_integer"


def _field(spec: FieldSpec, core: dict[str, dict[str, Any]], number_validator: str = DEFAULT_NUMBER_VALIDATOR) -> dict[str, Any]:
    """One scheming field dict for ``spec``."""
    out: dict[str, Any] = {"field_name": spec.name, "label": _label(spec)}
    if spec.required:
        out["required"] = True
    if spec.description_th or spec.description:
        out["help_text"] = {"en": spec.description, "th": spec.description_th or spec.description}
    if spec.name in core:
        out.update(core[spec.name])
        if spec.required and "validators" not in out and "preset" not in out:
            out["validators"] = "not_empty unicode_safe"
        return out
    if spec.kind == "choice":
        out["preset"] = "select"
        out["choices"] = _choices(spec)
    elif spec.kind == "multi":
        out["preset"] = "multiple_checkbox"
        out["choices"] = _choices(spec)
    elif spec.kind == "date":
        out["preset"] = "date"
    elif spec.kind == "email":
        out["validators"] = ("not_empty" if spec.required else "ignore_missing") + " email_validator unicode_safe"
        out["display_snippet"] = "email.html"
    elif spec.kind == "number":
        out["validators"] = ("not_empty" if spec.required else "ignore_missing") + f" {number_validator} unicode_safe"
    else:  # text, url, other, format
        out["validators"] = ("not_empty" if spec.required else "ignore_missing") + " unicode_safe"
    return out


def _ordered(info: SchemaInfo) -> list[FieldSpec]:
    """Item fields in Template order, each followed by its ``_other`` field, then the rest."""
    seen: set[str] = set()
    out: list[FieldSpec] = []

    def add(spec: FieldSpec) -> None:
        if spec.name in seen or spec.kind == "id":
            return
        seen.add(spec.name)
        out.append(spec)
        if spec.other_field and spec.other_field in info.fields:
            add(info.fields[spec.other_field])

    for spec in info.ordered_item_fields():
        add(spec)
    for spec in info.fields.values():
        add(spec)
    return out


def build_scheming_schema(standard: str = DEFAULT_STANDARD, *,
                          number_validator: str = DEFAULT_NUMBER_VALIDATOR) -> dict[str, Any]:
    """The ckanext-scheming dataset schema (a dict) for thai_gdc ``standard`` (2.2 or 2.0)."""
    ds = schema_info("dataset", standard)
    rs = schema_info("resource", standard)
    dataset_fields = [_field(spec, _CORE_PRESETS, number_validator) for spec in _ordered(ds)]
    # ``name`` (the URL slug) is not a Template item: it is derived from the dataset id.
    slug = {"field_name": "name", "label": {"en": "URL", "th": "URL"}, "preset": "dataset_slug"}
    at = next((i + 1 for i, f in enumerate(dataset_fields) if f["field_name"] == "title"), 0)
    dataset_fields.insert(at, slug)
    resource_fields = [_field(spec, _RESOURCE_CORE) for spec in _ordered(rs)]
    return {
        "scheming_version": 2,
        "dataset_type": "dataset",
        "about": f"Thai GD Catalog metadata (thai_gdc {standard}) generated by catalog-tools from its JSON Schemas",
        "about_url": "https://gdcatalog.go.th",
        "dataset_fields": dataset_fields,
        "resource_fields": resource_fields,
    }


def scheming_text(standard: str = DEFAULT_STANDARD, fmt: str = "yaml", *,
                  number_validator: str = DEFAULT_NUMBER_VALIDATOR) -> str:
    """The scheming schema as YAML (what ckanext-scheming reads) or JSON text; deterministic."""
    data = build_scheming_schema(standard, number_validator=number_validator)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


def write_scheming_schema(path: str | Path, standard: str = DEFAULT_STANDARD, *,
                          number_validator: str = DEFAULT_NUMBER_VALIDATOR) -> Path:
    """Write the scheming schema to ``path``: JSON when it ends in ``.json``, else YAML.

    Returns the path. Output is deterministic (same schemas → same bytes), so callers can
    cache on its content.
    """
    path = Path(path)
    text = scheming_text(standard, "json" if path.suffix.lower() == ".json" else "yaml", number_validator=number_validator)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
