"""Focus Areas (FY2565) and use scopes (FY2566): their labels and variants, matched in one place.

The rubric files (``scoring/rubrics/fyYYYY.yaml``, key ``scope``) are the source. Validating a
workbook with a Template 1 sheet needs them, but ``validate`` must not pay for YAML and the
scoring package at start-up, so ``scoring/rubrics/scopes.json`` mirrors the ``scope`` section of
every rubric file; a test fails when it differs from the YAML, and ``python -m catalog_tools.scopes``
rewrites it. Declarations (scoring) and Template 1 (validation) both match through
:func:`match_scope`.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .schemas_api import fold

RUBRICS = Path(__file__).resolve().parent / "scoring" / "rubrics"
MIRROR = RUBRICS / "scopes.json"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*")

Scope = tuple[str, tuple[str, ...], dict[str, str]]  # (declaration key, official labels, variants)


@lru_cache(maxsize=1)
def scopes() -> dict[int, Scope]:
    """Fiscal year → its scope, as the rubric files give it (read from the JSON mirror)."""
    data = json.loads(MIRROR.read_text(encoding="utf-8"))
    return {int(fy): (s["declaration"], tuple(s["values"]), dict(s["variants"])) for fy, s in sorted(data.items())}


def from_rubrics() -> dict[str, Any]:
    """The mirror's content computed from the rubric files themselves (needs the scoring package)."""
    from .scoring.rubric import available_fiscal_years, load_rubric

    out = {}
    for fy in available_fiscal_years():
        sc = load_rubric(fy).scope
        out[str(fy)] = {"declaration": sc.declaration, "values": list(sc.values), "variants": dict(sc.variants)}
    return out


def match_scope(value: str | int, values: tuple[str, ...], variants: dict[str, str]) -> tuple[str | None, str | None]:
    """(official label, None) for a Focus Area / use scope given as a number, label or known
    variant; (None, closest label or None) when it is not one of ``values``."""
    text = str(value).translate(_THAI_DIGITS).strip()
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1], None
    m = _NUMBER_PREFIX.match(text)
    if m and 1 <= int(m.group(1)) <= len(values):
        text = text[m.end():]
    table = {_core(k): v for k, v in variants.items()}
    table.update({_core(v): v for v in values})
    key = _core(text)
    if key in table:
        return table[key], None
    hits = {v for k, v in table.items() if len(key) >= 4 and (key in k or k in key)}
    if len(hits) == 1:
        return hits.pop(), None
    cores = {_core(v): v for v in values}
    close = difflib.get_close_matches(key, list(cores), n=1, cutoff=0.6)
    return None, (cores[close[0]] if close else None)


def _core(label: str) -> str:
    """Folded label without the optional 'ด้าน' / 'การ' prefixes ('ด้านเกษตร' = 'ด้านการเกษตร')."""
    key = fold(label)
    for prefix in ("ด้าน", "การ"):
        key = key.removeprefix(prefix)
    return key


if __name__ == "__main__":  # rewrite the mirror after editing a rubric's scope
    MIRROR.write_text(json.dumps(from_rubrics(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MIRROR}")
