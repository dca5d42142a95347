"""Is the agency catalog URL reachable? (``score --check-catalog-url``; FY2565 asks for a working URL.)"""
from __future__ import annotations

import requests

USER_AGENT = "catalog-tools (Data Catalog KPI scoring)"


def url_reachable(url: str, *, timeout: float = 10.0) -> bool:
    """True when HEAD (or GET, for servers that refuse HEAD) answers with a status below 400."""
    headers = {"User-Agent": USER_AGENT}
    try:
        resp = requests.head(url, timeout=timeout, allow_redirects=True, headers=headers)
        if resp.status_code in (403, 405, 501):
            resp = requests.get(url, timeout=timeout, allow_redirects=True, headers=headers, stream=True)
            resp.close()
        return resp.status_code < 400
    except requests.RequestException:
        return False
