"""JSON: exactly one document on stdout, the versioned API (``version: 1``)."""
from __future__ import annotations

import json
from typing import Any

from . import register


def to_json(data: Any) -> str:
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@register("json", kinds=("validate", "score", "audit", "publish"), description="one JSON document (both languages)")
def render_json(result: Any, **_: Any) -> str:
    return to_json(result)
