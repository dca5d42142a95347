"""Unit tests never reach the network: every one of them runs with non-loopback connections refused.

A local server on 127.0.0.1 (link checks, HTTP faults) is still allowed.
"""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _unit_tests_stay_offline(no_network: None) -> None:
    """Autouse wrapper around the shared ``no_network`` fixture (tests/conftest.py)."""
