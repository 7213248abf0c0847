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
