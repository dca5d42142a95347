"""The local web app (``catalog-tools serve``): the same checks, fixes and scores in a browser.

``create_app()`` builds the ASGI app; ``app_from_env()`` builds it from the settings
``catalog-tools serve`` passes through the environment (so ``uvicorn --workers N`` can
import it in every worker): ``CATALOG_TOOLS_WEB_MAX_MB``, ``CATALOG_TOOLS_WEB_HOSTS``,
``CATALOG_TOOLS_WEB_STATE`` (the shared results folder) and ``CATALOG_TOOLS_WEB_TTL``.
"""
from __future__ import annotations

import os
from typing import Any

from .app import create_app

__all__ = ["create_app", "app_from_env"]


def app_from_env() -> Any:
    """The app configured from the environment (see the module docstring)."""
    hosts = [h.strip() for h in os.environ.get("CATALOG_TOOLS_WEB_HOSTS", "").split(",") if h.strip()]
    return create_app(max_upload_mb=float(os.environ.get("CATALOG_TOOLS_WEB_MAX_MB", "20")),
                      ttl=float(os.environ.get("CATALOG_TOOLS_WEB_TTL", "3600")), allowed_hosts=hosts or None,
                      debug=bool(os.environ.get("CATALOG_TOOLS_DEBUG")))
