"""Fixtures shared by the publish and audit tests against the real CKAN."""
from __future__ import annotations

import pytest


def _new_org(server, prefix: str) -> dict:
    name = server.unique_name(prefix)
    return server.call("organization_create", {"name": name, "title": f"กรมทดสอบ {name}"})


@pytest.fixture
def org_s(ckan_server) -> dict:
    """A fresh organization on the scheming server."""
    return _new_org(ckan_server, "org")


@pytest.fixture
def org_extras(ckan_server_extras) -> dict:
    """A fresh organization on the server without scheming."""
    return _new_org(ckan_server_extras, "org")
