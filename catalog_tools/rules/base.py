"""The rule registry: every finding code is declared once, here, as a :class:`Rule`.

A rule is one unit: its stable ``code`` (a contract — scripts filter on it), default severity,
scope, group, the Thai and English message templates, a one-line summary, a "why" with a bad
and a good example, and the function that checks it (or, for codes emitted by another
enforcer such as the JSON Schema runner or a loader, where that logic lives). Nothing may emit
a code that is not declared: :func:`get` refuses it, and a test scans the package for codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal

from ..model import Severity

#: field: one value against the standard (the schema runner, the normaliser);
#: record: several values of one dataset or resource row; collection: needs every record at once;
#: load: reading the input file; online: found by talking to a CKAN server or a resource URL;
#: fix: a change ``catalog-tools fix`` made (not a finding of validation).
Scope = Literal["field", "record", "collection", "load", "online", "fix", "content"]
SCOPES: tuple[Scope, ...] = ("field", "record", "collection", "load", "online", "fix", "content")

#: Groups let a --config file switch related rules off together (``ignore: [dates]``).
GROUPS: dict[str, str] = {
    "mandatory": "Mandatory items and their companion fields are filled in.",
    "values": "Values come from the standard's lists and have the right form.",
    "dates": "Dates are in the right era and order.",
    "consistency": "Values of one dataset agree with each other and with the standard's intent.",
    "identity": "Dataset ids and titles are unique and resources point at a known dataset.",
    "input": "What happened while reading the file (sheets, columns, empty files).",
    "resources": "Resources exist, use open formats and answer.",
    "ckan": "What a CKAN server refuses or would refuse.",
    "audit": "Whether an audit saw the whole catalog it reports on.",
    "timeliness": "Datasets are as current as their own update frequency promises.",
    "content": "What is inside each resource's file (catalog-tools quality): format, encoding, empty cells, duplicates, types, headers.",
    "fixes": "Changes catalog-tools fix writes into the corrected copy (only the normaliser's certain readings).",
    "dataset_list": "Template 1 (the dataset list tied to a Focus Area) is filled in and agrees with Template 2.",
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding code with everything a reader needs to understand it."""

    code: str
    severity: Severity
    scope: Scope
    group: str
    en: str  #: English message template ({field}, {value}, {suggestion}, {extra}, … placeholders)
    th: str  #: Thai message template
    summary: str  #: one line: what the finding means
    why: str  #: why the rule exists (the standard's words or the system that would fail)
    bad: str  #: an input that triggers it
    good: str  #: the same input written correctly
    #: the check function for record, collection and online rules; None when another enforcer emits the code
    check: Callable[..., Any] | None = None
    #: record kinds a record rule runs on ("dataset", "resource")
    kinds: tuple[str, ...] = ()
    #: the module whose logic emits the code when ``check`` is None (the schema runner, a loader…)
    implemented_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data (``catalog-tools rules --format json``)."""
        return {"code": self.code, "severity": self.severity, "scope": self.scope, "group": self.group,
                "summary": self.summary, "message": self.en, "message_th": self.th, "why": self.why,
                "bad": self.bad, "good": self.good, "kinds": list(self.kinds), "implemented_by": self.where}

    @property
    def where(self) -> str:
        """The module (and function) that holds the rule's logic."""
        if self.check is not None:
            return f"{self.check.__module__}.{self.check.__qualname__}"
        return self.implemented_by


@dataclass(frozen=True, slots=True)
class RuleListing:
    """The rules one ``catalog-tools rules`` run lists (all, or one group).

    A type of its own, so the renderers are found from the result's type like every other
    command's result (a bare list would say nothing about what it holds).
    """

    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)


RULES: dict[str, Rule] = {}


class UnknownRule(KeyError):
    """A code that no rule declares: a programming error, caught by the tests."""

    def __str__(self) -> str:
        return f"finding code {self.args[0]!r} is not declared in catalog_tools/rules/"


def declare(code: str, severity: Severity, *, scope: Scope, group: str, en: str, th: str, summary: str, why: str,
            bad: str, good: str, implemented_by: str = "", kinds: tuple[str, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule whose logic is the decorated function (``@declare(...)`` over the check)."""
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        _add(Rule(code, severity, scope, group, en, th, summary, why, bad, good, fn, kinds, implemented_by))
        return fn
    return deco


def declare_emitted(code: str, severity: Severity, *, scope: Scope, group: str, en: str, th: str, summary: str,
                    why: str, bad: str, good: str, implemented_by: str) -> Rule:
    """Register a rule whose code is emitted by another enforcer (``implemented_by`` names it)."""
    rule = Rule(code, severity, scope, group, en, th, summary, why, bad, good, None, (), implemented_by)
    _add(rule)
    return rule


def _add(rule: Rule) -> None:
    if rule.code in RULES:
        raise ValueError(f"rule {rule.code!r} declared twice")
    if rule.group not in GROUPS:
        raise ValueError(f"rule {rule.code!r}: unknown group {rule.group!r}")
    if rule.scope not in SCOPES:
        raise ValueError(f"rule {rule.code!r}: unknown scope {rule.scope!r}")
    RULES[rule.code] = rule


def get(code: str) -> Rule:
    """The rule declaring ``code``; :class:`UnknownRule` if there is none."""
    try:
        return RULES[code]
    except KeyError:
        raise UnknownRule(code) from None
