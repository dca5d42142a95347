"""Where finding messages used to be declared; kept so ``from catalog_tools.messages import make_finding`` works.

Every finding code, with its Thai and English templates, now lives in :mod:`catalog_tools.rules`
(see docs/architecture.md, "Add a rule"). Declare new codes there, not here.
"""
from __future__ import annotations

from .rules import RULES as CODES
from .rules import make_finding, short_text
from .rules.base import Rule as Code

__all__ = ["CODES", "Code", "make_finding", "short_text"]
