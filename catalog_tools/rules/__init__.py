"""The rule registry: every finding code, its messages, its logic and its examples in one place.

* :mod:`.base` — the :class:`Rule` record, the registry ``RULES``, scopes and groups;
* :mod:`.schema` — field rules enforced by the JSON Schema runner and the normaliser;
* :mod:`.record` — record rules (checks over one dataset or resource row);
* :mod:`.collection` — rules that need every record (duplicates, orphans, no resources);
* :mod:`.load` — what the loaders report while reading files;
* :mod:`.template1` — Template 1 (the dataset list tied to a Focus Area) against Template 2;
* :mod:`.online` — what CKAN or a resource URL tells publish and audit;
* :mod:`.timeliness` — ``overdue``, measured when a date is given or in audits;
* :mod:`.content` — what ``catalog-tools quality`` finds inside resource files (``content_*``);
* :mod:`.fixes` — the changes ``catalog-tools fix`` makes (``fix_*``), applied by :mod:`catalog_tools.fixes`;
* :mod:`.finding` — ``make_finding``, which reads the message templates from the registry.

Each rule has data-driven cases in ``tests/cases/rules/<code>.yaml``; ``catalog-tools rules``
lists them and ``docs/rules.md`` is generated from that listing. See docs/architecture.md,
"Add a rule".
"""
from __future__ import annotations

# Importing declares the rules, in the order they are listed: field, record, collection, Template 1, load, online.
from . import schema, record, collection, template1, load, online, timeliness, fixes, content  # noqa: F401,I001
from .base import GROUPS, RULES, SCOPES, Rule, RuleListing, UnknownRule, get
from .finding import make_finding, short_text
from .record import Hit, record_rules

__all__ = ["GROUPS", "RULES", "SCOPES", "Hit", "Rule", "RuleListing", "UnknownRule", "get", "make_finding", "record_rules",
           "resolve_ignore", "short_text"]


def resolve_ignore(names: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The codes switched off by ``names`` (rule codes or group names); ValueError names an unknown one."""
    codes: set[str] = set()
    for name in names:
        if name in RULES:
            codes.add(name)
        elif name in GROUPS:
            codes.update(code for code, r in RULES.items() if r.group == name)
        else:
            raise ValueError(f"unknown rule or group {name!r} in ignore; see `catalog-tools rules` "
                             f"(groups: {', '.join(GROUPS)})")
    return frozenset(codes)
