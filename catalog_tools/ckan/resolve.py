"""What publishing needs to know about the target catalog before sending anything.

Both only read: the server's field layout (ckanext-scheming or extras) and which CKAN
organization a workbook's organization text means.
"""
from __future__ import annotations

from .client import CkanClient, CkanError, CkanNotAuthorized, CkanNotFound, CkanUnreachable
from ..schemas_api import fold
from .paging import pages

_ORG_PAGE = 25
#: organizations read at most (25 a page): far above any Thai agency catalog, and an end to loops
MAX_ORG_PAGES = 400


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
            # all_fields lists are capped (25 by default): page through, never trusting offset
            fetch = lambda offset: self.client.call_action(  # noqa: E731
                "organization_list", {"all_fields": True, "limit": _ORG_PAGE, "offset": offset}) or []
            for org in pages(fetch, key=lambda o: o.get("name") if isinstance(o, dict) else repr(o),
                             page_size=_ORG_PAGE, max_pages=MAX_ORG_PAGES):
                if not isinstance(org, dict) or not org.get("name"):
                    continue
                for key in ("name", "title", "display_name"):
                    if org.get(key):
                        self._index.setdefault(fold(str(org[key])), str(org["name"]))
        return self._index.get(fold(text))
