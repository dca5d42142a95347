"""Validation options: every choice the standard leaves open is a documented setting here.

Options can be given in Python or read from a YAML/JSON file (``--config``); see
``docs/validation.md``. Defaults follow thai_gdc 2.2.4 and the documented readings of the OPDC documents.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any


from .fileio import NotRegularFile, require_regular_file, shown_path
from .schemas_api import DEFAULT_STANDARD, STANDARDS

if TYPE_CHECKING:
    from .loaders.common import ReadLimits

# INFERENCE (docs/validation.md): which licences count as "open" for public data. Non-commercial and
# no-derivatives licences are not open in the Open Definition sense, so they are left out.
DEFAULT_OPEN_LICENSES: dict[str, tuple[str, ...]] = {
    "2.2": ("Open Data Common", "Creative Commons Attributions", "Creative Commons Attribution Share-Alike"),
    "2.0": ("Open Data Common", "Creative Commons Attributions", "Creative Commons Attribution Share-Alike",
            "GNU Free Documentation License"),
}


class OptionsError(ValueError):
    """An options file or value is not valid; the CLI reports it on one line (exit 2)."""


@dataclass(slots=True)
class ValidationOptions:
    standard: str = DEFAULT_STANDARD
    #: "conforming" (the KPI's reading: present AND valid) or "present" (presence only, for comparison)
    completeness: str = "conforming"
    #: license_category rule: "warning" (default), "error" or "off"
    license_rule: str = "warning"
    open_licenses: tuple[str, ...] | None = None
    public_category: str = "ข้อมูลสาธารณะ"
    flag_open_licence_on_closed_data: bool = False
    check_person_names: bool = True
    #: warn when an open (public) dataset has no Template 3 row (only when some resources were given)
    warn_public_without_resources: bool = True
    #: rules to switch off: finding codes or rule groups (``catalog-tools rules`` lists both)
    ignore: tuple[str, ...] = ()
    #: read limits for text inputs (docs/security.md): one CSV value, one physical line, values in a row
    max_field_chars: int = 131_072
    max_line_chars: int = 4_194_304
    max_columns: int = 16_384

    def __post_init__(self) -> None:
        # Options also come from command-line flags and library callers, not only from --config files
        # (those are checked by their JSON Schema first, with the file and the place named): these
        # checks keep every way of making the options honest.
        if self.standard not in STANDARDS:
            raise OptionsError(f"unknown standard {self.standard!r}; choose one of {', '.join(STANDARDS)}")
        if self.completeness not in ("conforming", "present"):
            raise OptionsError("completeness must be 'conforming' or 'present'")
        if self.license_rule not in ("warning", "error", "off"):
            raise OptionsError("license_rule must be 'warning', 'error' or 'off'")
        for name in ("max_field_chars", "max_line_chars", "max_columns"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise OptionsError(f"{name} must be a positive whole number, not {value!r}")
        self.ignored_codes()  # an unknown code or group is an error, not a rule silently left on

    def ignored_codes(self) -> frozenset[str]:
        """The finding codes switched off by ``ignore`` (codes and whole groups)."""
        from .rules import resolve_ignore

        try:
            return resolve_ignore(self.ignore)
        except ValueError as exc:
            raise OptionsError(str(exc)) from None

    def read_limits(self) -> ReadLimits:
        """The loaders' read limits from these options."""
        from .loaders.common import ReadLimits
        return ReadLimits(self.max_field_chars, self.max_line_chars, self.max_columns)

    def open_licenses_for(self) -> frozenset[str]:
        return frozenset(self.open_licenses or DEFAULT_OPEN_LICENSES[self.standard])

    @classmethod
    def from_mapping(cls, data: dict[str, Any], **overrides: Any) -> "ValidationOptions":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(sorted(unknown))}")
        merged = {**data, **{k: v for k, v in overrides.items() if v is not None}}
        for key in ("open_licenses", "ignore"):
            if key in merged and merged[key] is not None:
                merged[key] = tuple(merged[key])
        return cls(**merged)

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> "ValidationOptions":
        import yaml  # only an options file needs it: not imported on every start-up

        try:
            require_regular_file(path)
            text = Path(path).read_text(encoding="utf-8")
            data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
        except NotRegularFile as exc:
            raise OptionsError(f"options file {exc.path} {exc}") from None
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise OptionsError(f"cannot read options file {shown_path(path)}: {_reason(exc)} — อ่านไฟล์ตัวเลือกไม่ได้") from None
        if data is None:
            data = {}
        from .filecheck import file_problem  # the shape of the file, before anything is read from it

        where = f"options file {shown_path(path)}"
        problem = file_problem(data, "config", where)
        if problem:
            raise OptionsError(problem)
        section = data.get("validation", data)
        if section.get("ignore"):  # codes and groups are the rule registry's: a schema cannot list them
            from .rules import resolve_ignore

            try:
                resolve_ignore(section["ignore"])
            except ValueError as exc:
                at = "$.validation" if "validation" in data else "$"
                raise OptionsError(f"{where}: at {at}.ignore: {exc}") from None
        return cls.from_mapping(section, **overrides)


def _reason(exc: BaseException) -> str:
    """The first line of a read/parse error, without Python exception class names."""
    if isinstance(exc, OSError):
        return exc.strerror or "cannot be read"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    text = str(exc).strip()
    return text.splitlines()[0] if text else "not valid YAML/JSON"
