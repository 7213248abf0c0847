"""Package dicts that carry the DGA standard, for tests."""
from __future__ import annotations

import uuid
from typing import Any

# Every value byte-identical to thai_gdc's (as in standard/definition.yaml).
COMPLETE_METADATA: dict[str, Any] = {
    "data_type": "ข้อมูลสถิติ",
    "title": "ดุลการคลังตามกระแสเงินสด",
    "maintainer": "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    "maintainer_email": "opendata@mof.go.th",
    "tags": [{"name": "การคลัง"}, {"name": "ดุลการคลัง"}],
    "notes": "ดุลการคลังของรัฐบาลตามระบบกระแสเงินสด รายเดือน",
    "objective": ["พันธกิจหน่วยงาน", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)"],
    "update_frequency_unit": "เดือน",
    "update_frequency_interval": "1",
    "geo_coverage": "ประเทศ",
    "data_source": "สำนักงานเศรษฐกิจการคลัง",
    "data_format": ["CSV", "XLS"],
    "data_category": "ข้อมูลสาธารณะ",
    "license_id": "Open Data Common",
}


def complete_dataset(owner_org: str, **overrides: Any) -> dict[str, Any]:
    """A dataset dict with all 14 items, ready for ``package_create``."""
    data = dict(COMPLETE_METADATA, name="ds-" + uuid.uuid4().hex[:12], owner_org=owner_org)
    data.update(overrides)
    return data


# Tied to a work process (Template 1): the FY2565 basic gate counts these datasets.
MAPPED = {"kpi_mission": "บูรณาการข้อมูลเศรษฐกิจการคลัง",
          "kpi_main_process": "งานบูรณาข้อมูลด้านเศรษฐกิจการเงินการคลัง"}


def worked_example(owner_org: str) -> list[dict[str, Any]]:
    """The FY2565 guideline's worked example as datasets for ``package_create``: six, four
    with all 14 items, one with 13, one with 12, no resource (with the catalog URL reported:
    4/6 = 66.67 → 10 of 15 points, + 10 → score 70, level 50)."""
    return [complete_dataset(owner_org, name="complete-%d" % n, **MAPPED) for n in range(4)] + [
        complete_dataset(owner_org, name="thirteen-items", data_source="", **MAPPED),
        complete_dataset(owner_org, name="twelve-items", data_source="", objective=[], **MAPPED)]


WORKED_EXAMPLE_PLAN = {"focus_area": "1", "issue": "ติดตามฐานะการคลัง",
                       "catalog_url": "https://data.mof.go.th"}
