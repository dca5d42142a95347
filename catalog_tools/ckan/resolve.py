"""What publishing needs to know about the target catalog before sending anything.

Both only read: the server's field layout (ckanext-scheming or extras) and which CKAN
organization a workbook's organization text means.
"""
from __future__ import annotations

from .client import CkanClient, CkanError, CkanNotAuthorized, CkanNotFound, CkanUnreachable
from ..schemas_api import fold


def detect_fields(client: CkanClient) -> tuple[str, frozenset[str] | None]:
    """("top-level", field names) when the server runs ckanext-scheming, else ("extras", None)."""
    try:
        schema = client.call_action("scheming_dataset_schema_show", {"type": "dataset"})
    except (CkanNotFound, CkanNotAuthorized):
        return "extras", None
    except CkanError as exc:
        if isinstance(exc, CkanUnreachable):
            raise
        return "extras", None
    names = frozenset(str(f["field_name"]) for f in schema.get("dataset_fields") or []
                      if isinstance(f, dict) and f.get("field_name"))
    return "top-level", names


class OrgResolver:
    """Maps a workbook's organization text to a CKAN organization name (title or name match)."""

    def __init__(self, client: CkanClient, fixed: str | None) -> None:
        self.client = client
        self.fixed = fixed
        self._index: dict[str, str] | None = None

    def check_fixed(self) -> None:
        if self.fixed:
            org = self.client.call_action("organization_show", {"id": self.fixed, "include_datasets": False})
            self.fixed = org.get("name") or self.fixed

    def resolve(self, text: str | None) -> str | None:
        if self.fixed:
            return self.fixed
        if not text:
            return None
        if self._index is None:
            self._index = {}
            offset = 0
            while True:  # all_fields lists are capped (25 by default): page through
                page = self.client.call_action("organization_list", {"all_fields": True, "limit": 25, "offset": offset})
                for org in page or []:
                    for key in ("name", "title", "display_name"):
                        if org.get(key):
                            self._index.setdefault(fold(str(org[key])), org["name"])
                if not page or len(page) < 25:
                    break
                offset += len(page)
        return self._index.get(fold(text))
