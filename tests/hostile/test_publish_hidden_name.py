"""A name CKAN says is taken but will not show us (a private dataset of another organization, or a
deleted one the token cannot read): publish must fail that dataset clearly — never report it as
created when nothing was written, never loop, and carry on with the others."""
from __future__ import annotations

import pytest

from catalog_tools.ckan.publish import PublishOptions, publish_report
from catalog_tools.validate import validate_paths
from tests.fake_ckan import FakeCkan

pytestmark = pytest.mark.usefixtures("no_network")

HIDDEN = "dataset_11_02"  # held by someone else on the portal, invisible to our token


def _portal() -> FakeCkan:
    def taken(pkg: dict) -> dict | None:
        return {"name": ["That URL is already in use."]} if pkg.get("name") == HIDDEN else None

    fake = FakeCkan(mode="top-level", validator=taken)
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    return fake


@pytest.mark.parametrize("workers", [1, 3])
def test_a_name_taken_out_of_sight_fails_that_dataset_only(examples, workers: int) -> None:
    report = validate_paths([str(examples / "tourism-template2-3.xlsx")])
    fake = _portal()
    result = publish_report(report, fake, PublishOptions(fields="top-level", workers=workers))
    doc = result.to_dict()
    assert doc["created"] == ["DataSet_11_01", "DataSet_11_03"]
    failed = {o.id: o for o in result.outcomes if o.action == "fail"}
    assert list(failed) == ["DataSet_11_02"]
    reason = failed["DataSet_11_02"].reason or ""
    assert HIDDEN in reason and "in use" in reason and "private to another organization" in reason
    assert failed["DataSet_11_02"].reason_th  # Thai for the steward too
    assert sorted(p["name"] for p in fake.packages.values()) == ["dataset_11_01", "dataset_11_03"]
    creates = [d.get("name") for a, d in fake.calls if a == "package_create"]
    assert creates.count(HIDDEN) == 1  # asked once: a refusal is not retried blind
    assert result.exit_code != 0
