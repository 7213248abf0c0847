"""Package dicts for the tests, shaped like CKAN API output from a thai_gdc catalog."""
from __future__ import annotations

import copy
from typing import Any

PUBLIC = "ข้อมูลสาธารณะ"

FULL: dict[str, Any] = {
    "name": "dataset",
    "id": "00000000-0000-0000-0000-000000000000",
    "data_type": "ข้อมูลสถิติ",
    "title": "จำนวนกำลังแรงงานรวม",
    "owner_org": "org-id",
    "maintainer": "กองสถิติสังคม",
    "maintainer_email": "slaborfs@nso.go.th",
    "tags": [{"name": "แรงงาน"}, {"name": "กำลังแรงงาน"}],
    "notes": "กำลังแรงงานรวม หมายถึง บุคคลทุกคนที่มีอายุ 15 ปีขึ้นไป",
    "objective": ["พันธกิจหน่วยงาน"],
    "update_frequency_unit": "ปี",
    "update_frequency_interval": "",
    "geo_coverage": "จังหวัด",
    "data_source": "สำรวจภาวะการทำงานของประชากร (สำนักงานสถิติแห่งชาติ)",
    "data_format": ["CSV"],
    "data_category": PUBLIC,
    "license_id": "Open Data Common",
    "kpi_mission": "ภารกิจด้านพัฒนาการให้บริการประชาชน",
    "kpi_main_process": "ขับเคลื่อนการให้บริการภาครัฐด้วยระบบดิจิทัล",
    "resources": [],
}

CSV_RESOURCE = {"name": "table.csv", "url": "https://data.example.go.th/table.csv", "format": "CSV"}


def pkg(name: str = "dataset", *, drop: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """A complete dataset named ``name``, with ``drop`` fields removed and ``fields`` set."""
    out = copy.deepcopy(FULL)
    out.update(name=name, id=f"id-{name}")
    for key in drop:
        out.pop(key, None)
    out.update(copy.deepcopy(fields))
    return out


def resource(**fields: Any) -> dict[str, Any]:
    return {**CSV_RESOURCE, **fields}


def advanced_pkg(name: str, **fields: Any) -> dict[str, Any]:
    """A public dataset at the advanced open level (DataStore CSV, monthly, district level)."""
    return pkg(name, update_frequency_unit="เดือน", geo_coverage="อำเภอ",
               resources=[resource(datastore_active=True)], **fields)
