"""--lang for text output, and the Thai default under a Thai locale."""
from __future__ import annotations

import pytest

from catalog_tools.cli.common import default_lang


@pytest.mark.parametrize("env,expected", [
    ({"LANG": "th_TH.UTF-8"}, "th"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LC_ALL": "th_TH.UTF-8", "LANG": "en_US.UTF-8"}, "th"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "th_TH.UTF-8"}, "en"), ({}, "en"), ({"CATALOG_TOOLS_LANG": "th", "LANG": "C"}, "th"),
])
def test_default_lang(monkeypatch, env, expected):
    for var in ("CATALOG_TOOLS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert default_lang() == expected
