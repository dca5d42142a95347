"""Is the agency catalog URL reachable? (``score --check-catalog-url``; FY2565 asks for a working URL.)

The same probe as the audit's link checks (:func:`catalog_tools.http.probe`): one user agent,
HEAD then GET, a total deadline, bounded redirects.
"""
from __future__ import annotations

from ..http import Limits, probe


def url_reachable(url: str, *, timeout: float = 10.0) -> bool:
    """True when the URL answers below 400 (after redirects) within ``timeout`` seconds in total."""
    return probe(url, limits=Limits(deadline=timeout, max_bytes=0)).ok
