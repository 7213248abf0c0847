"""thai_gdc's licences in CKAN's licence register (``licences.json``, set as
``licenses_group_url``): CKAN's own ``isopen``, ``license_url`` and ``license_title`` agree
with the standard, so the API, CKAN's pages and DCAT say what the KPI counts."""
import json
from pathlib import Path

import pytest

from ckan import model
from ckan.tests import factories, helpers

import ckanext.mofcompliance
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.tests.factories import complete_dataset

REGISTER = Path(ckanext.mofcompliance.__file__).parent / "licences.json"
NOT_PUBLIC = "ข้อมูลใช้ภายใน"


def register_entries() -> dict[str, dict]:
    return {entry["id"]: entry for entry in json.loads(REGISTER.read_text("utf-8"))}


def test_the_register_lists_every_licence_of_the_standard_with_its_titles():
    entries = register_entries()
    assert set(entries) == {c.value for c in std.choices("license_id")}
    for choice in std.choices("license_id"):
        entry = entries[choice.value]
        assert (entry["title"], entry["title_th"]) == (choice.label_en, choice.label_th)
        assert entry["osd_conformance"] == "not reviewed"  # a software licence review


def test_licence_web_addresses_are_distinct_so_an_address_names_one_licence():
    urls = [e["url"] for e in register_entries().values() if e["url"]]
    assert len(urls) == len(set(urls))
    assert all(url.startswith("https://") for url in urls)


def test_ckan_loads_the_register_the_configuration_names():
    assert set(model.Package.get_license_register().keys()) == set(register_entries())


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("licence", [c.value for c in std.choices("license_id")])
def test_the_api_says_open_exactly_when_the_kpi_counts_the_licence_open(licence):
    org = factories.Organization()
    is_open = std.is_open_licence(licence)
    # the category the licence rule lets this licence carry
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], license_id=licence, license_id_other="ตามประกาศของหน่วยงาน",
        data_category="ข้อมูลสาธารณะ" if is_open else NOT_PUBLIC))
    shown = helpers.call_action("package_show", id=dataset["id"])
    entry = register_entries()[licence]
    assert shown["isopen"] is is_open
    assert shown["license_title"] == entry["title"]
    assert shown.get("license_url") == (entry["url"] or None)


@pytest.mark.usefixtures("clean_db")
def test_the_licence_list_carries_the_thai_titles():
    listed = {entry["id"]: entry for entry in helpers.call_action("license_list")}
    assert listed["อื่นๆ"]["title"] == "Other"
    assert listed["อื่นๆ"]["title_th"] == "อื่นๆ"
    assert listed["Open Data Common"]["od_conformance"] == "approved"
