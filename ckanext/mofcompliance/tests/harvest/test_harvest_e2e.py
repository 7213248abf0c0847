"""End to end, no mocks: a real GD Catalog (a second CKAN on 127.0.0.1 running
ckanext-harvest's CKAN harvester through its Redis queues) harvests this catalog over HTTP.
The GD Catalog runs a thai_gdc-shaped schema (this extension in the ``site`` mode beside it),
so what arrives is read through the receiving side's shape, not this extension's.

The agency catalog is this test process's CKAN, served by a WSGI server in a thread; the
GD Catalog signs in with the harvester account's API token, as NSO configures it.
"""
import os

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.standard.completeness import metadata_complete

from . import gdcatalog
from .conftest import GDCATALOG_PLUGINS, HARVESTER

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.ckan_config("ckanext.mofcompliance.harvester_users", HARVESTER),
    pytest.mark.ckan_config("ckanext.mofcompliance.harvest_only_compliant", "true"),
    pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory"),
    pytest.mark.usefixtures("with_plugins"),
]

THAI_GDC_FIELDS = [f.name for f in std.dataset_fields()
                   if not f.extension and f.name not in ("owner_org", "tag_string")]
# A thai_gdc-shaped schema (scheming's multiple choice) keeps a multi-select's values in its
# choice list's order, whatever order they came in: the same values, as a set. An empty date
# ("") arrives empty too, as no value (scheming's isodate).
MULTI_SELECTS = {f.name for f in std.dataset_fields() + std.resource_fields() if f.form == "multi"}


def same_value(field, got, sent):
    if field in MULTI_SELECTS and got and sent:
        return sorted(got) == sorted(sent)
    return got == sent or (got in ("", None) and sent in ("", None))
RESOURCE_FIELDS = ["id"] + [f.name for f in std.resource_fields()]


def _database_exists(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def gd_catalog(tmp_path_factory):
    db_url = gdcatalog.database_url(tk.config["sqlalchemy.url"])
    if not _database_exists(db_url):
        message = "the GD Catalog's database is missing: %s (scripts/test.sh creates it)" % db_url
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    catalog = gdcatalog.GDCatalog(tmp_path_factory.mktemp("gdcatalog"), db_url,
                                  gdcatalog.redis_url(tk.config["ckan.redis.url"]))
    try:
        catalog.start()
        yield catalog
    finally:
        catalog.stop()


@pytest.fixture
def agency(served_catalog):
    return served_catalog


def _agency_datasets(make_dataset):
    statistical = make_dataset(
        name="fiscal-balance", allow_harvest="True", first_year_of_data="2550",
        last_year_of_data="2566", unit_of_measure="ล้านบาท", unit_of_multiplier="ล้าน",
        disaggregate=["ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "อื่นๆ"],
        disaggregate_other="ประเภทภาษี", official_statistics="True",
        resources=[{"name": "ดุลการคลัง รายเดือน", "url": "https://data.mof.go.th/fiscal.csv",
                    "format": "CSV", "resource_first_year_of_data": "2550"}])
    record = make_dataset(
        name="state-enterprises", data_type="ข้อมูลระเบียน", title="รายชื่อรัฐวิสาหกิจ",
        objective=["อื่นๆ"], objective_other="กำกับดูแลรัฐวิสาหกิจ", data_language=["ไทย"],
        created_date="2023-10-01", data_support="หน่วยงานของรัฐ",
        data_collect="บริษัท/ห้างร้าน/สถานประกอบการ", high_value_dataset="True")
    make_dataset(name="withheld", allow_harvest="False")
    make_dataset(name="private", private=True)
    make_dataset(name="incomplete", data_source="")
    return [statistical, record]


def test_the_gd_catalog_harvests_compliant_public_datasets_intact(
        gd_catalog, agency, make_dataset, harvester_token):
    offered = _agency_datasets(make_dataset)
    job = gd_catalog.harvest("mof-ops-catalog", agency + "/",
                             {"api_key": harvester_token, "remote_orgs": "create"})
    assert job["stats"]["added"] == 2 and job["stats"]["errored"] == 0, job

    for name in ("withheld", "private", "incomplete"):
        assert gd_catalog.action("package_show", id=name) is None
    for agency_dict in offered:
        received = gd_catalog.action("package_show", id=agency_dict["name"])
        assert received["id"] == agency_dict["id"]
        assert metadata_complete(received).complete
        for field in THAI_GDC_FIELDS:
            got, sent = received.get(field), agency_dict.get(field)
            assert same_value(field, got, sent), (field, got, sent)
        assert [t["name"] for t in received["tags"]] == [t["name"] for t in agency_dict["tags"]]
        assert {k: received["organization"][k] for k in ("name", "title")} == \
            {k: agency_dict["organization"][k] for k in ("name", "title")}
        for got, sent in zip(received["resources"], agency_dict["resources"], strict=True):
            for field in RESOURCE_FIELDS:
                assert same_value(field, got.get(field), sent.get(field)), \
                    (field, got.get(field), sent.get(field))
    assert helpers.call_action("package_show", id="incomplete")["data_source"] == ""
