"""The autouse guard of tests/unit/conftest.py is really on, for every unit test."""
from __future__ import annotations

import socket

import pytest


def test_a_unit_test_cannot_reach_a_remote_address() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(OSError, match="network access blocked"):
        s.connect(("192.0.2.10", 443))  # TEST-NET-1: would hang or fail differently without the guard
