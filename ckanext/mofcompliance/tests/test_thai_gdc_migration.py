"""A catalog migrating from thai_gdc 2.2.4 keeps every value under this extension (strict).

The datasets below are stored as thai_gdc (ckanext-scheming with its ``ckan_dataset.json``)
leaves them in CKAN's tables: the core columns of ``package`` and ``resource``, every other
field as a package extra or a resource extra, text only. Multi-selects are JSON lists in
their choice list's order with ``\\uXXXX`` escapes, as scheming writes them, except
``objective``, which thai_gdc rewrites unescaped on every save; dates are Gregorian ISO
(scheming's ``isodate``), years of data B.E. text, yes/no the strings "True"/"False", a
choice of อื่นๆ with its ``*_other`` text, a withheld resource ``resource_private`` "True".
They are written with CKAN's model, as a restored thai_gdc database holds them, and the
catalog is then brought up as the README says (search index, ``rescore``).
"""
from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

import openpyxl
import lxml.html
import pytest
import sqlalchemy as sa
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS

import ckan.lib.search as search
import ckan.model as model
from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFParser

from ckanext.mofcompliance.scoring import rebuild
from ckanext.mofcompliance.excel import layout
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.standard.completeness import as_list
from ckanext.mofcompliance.tests.forms import form_data
from ckanext.mofcompliance.tests.harvest.conftest import GDCATALOG_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "strict")]

def escaped(values: list[str]) -> str:
    """A multi-select as ckanext-scheming stores it (``json.dumps``, ASCII escapes)."""
    return json.dumps(values)


RECORD = {
    "name": "tourism-income",
    "title": "รายได้จากการท่องเที่ยว รายจังหวัด",
    "notes": "รายได้จากการท่องเที่ยว จำแนกรายจังหวัด",
    "maintainer": "กลุ่มสารสนเทศด้านเศรษฐกิจ",
    "maintainer_email": "policy@mots.go.th",
    "url": "https://data.mots.go.th/tourism-income",
    "license_id": "Open Data Common",
    "tags": ["รายได้", "ท่องเที่ยว"],
    "extras": {
        "data_type": "ข้อมูลระเบียน",
        "allow_harvest": "True",
        "reference_url_catalog": "https://catalog.mots.go.th/dataset/tourism-income",
        "objective": '["พันธกิจหน่วยงาน","อื่นๆ"]',
        "objective_other": "ติดตามรายได้ของจังหวัด",
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "data_source": "รายงานสถานการณ์ด้านการท่องเที่ยว",
        "data_format": escaped(["CSV", "XLS", "อื่นๆ"]),
        "data_format_other": "SPSS",
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "accessible_condition": "ใช้ได้โดยอ้างอิงแหล่งที่มา",
        "data_support": "อื่นๆ",
        "data_support_other": "สมาคมโรงแรมไทย",
        "data_collect": "บริษัท/ห้างร้าน/สถานประกอบการ",
        "data_language": escaped(["ไทย", "อังกฤษ"]),
        "created_date": "2018-10-01",
        "last_updated_date": "2024-09-30",
        "high_value_dataset": "True",
        "reference_data": "False",
    },
    "resources": [{
        "name": "รายได้รายจังหวัด", "url": "https://data.mots.go.th/income.csv",
        "format": "CSV", "description": "ปีงบประมาณ 2567",
        "extras": {
            "resource_accessible_condition": "ไม่มีเงื่อนไข",
            "resource_created_date": "2018-10-01",
            "resource_last_updated_date": "2024-09-30",
            "resource_data_collect": "อื่นๆ",
            "resource_data_collect_other": "แหล่งท่องเที่ยว",
            "resource_private": "False",
        },
    }],
}

STATISTICS = {
    "name": "labour-force",
    "title": "จำนวนกำลังแรงงานรวม",
    "notes": "กำลังแรงงานรวม หมายถึง บุคคลทุกคนที่มีอายุ 15 ปีขึ้นไป",
    "maintainer": "กองสถิติสังคม",
    "maintainer_email": "slaborfs@nso.go.th",
    "url": "",
    "license_id": "Creative Commons Attributions",
    "tags": ["แรงงาน"],
    "extras": {
        "data_type": "ข้อมูลสถิติ",
        "allow_harvest": "True",
        "reference_url_catalog": "https://catalog.nso.go.th/dataset/labour-force",
        "objective": '["กฎหมายที่เกี่ยวข้อง"]',
        "update_frequency_unit": "อื่นๆ",
        "update_frequency_unit_other": "ทุกรอบการสำรวจ",
        "update_frequency_interval": "",
        "geo_coverage": "อื่นๆ",
        "geo_coverage_other": "เขตสุขภาพ",
        "data_source": "สำรวจภาวะการทำงานของประชากร (สำนักงานสถิติแห่งชาติ)",
        "data_format": escaped(["Database", "Text", "XLS"]),
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "data_language": escaped(["ไทย"]),
        "first_year_of_data": "2550",
        "last_year_of_data": "2567",
        "data_release_calendar": "2025-01-15",
        "last_updated_date": "2024-12-31",
        "disaggregate": escaped(["เพศ", "อื่นๆ"]),
        "disaggregate_other": "สถานภาพแรงงาน",
        "unit_of_measure": "คน",
        "unit_of_multiplier": "อื่นๆ",
        "unit_of_multiplier_other": "สิบล้านคน",
        "calculation_method": "ผลรวมของผู้มีงานทำ ผู้ว่างงาน และผู้รอฤดูกาล",
        "standard": "ISIC Rev.4",
        "official_statistics": "True",
    },
    "resources": [{
        "name": "กำลังแรงงานรายไตรมาส", "url": "https://data.nso.go.th/lfs.xlsx",
        "format": "XLSX", "description": "",
        "extras": {
            "resource_accessible_condition": "",
            "resource_last_updated_date": "2024-12-31",
            "resource_first_year_of_data": "2550",
            "resource_last_year_of_data": "2567",
            "resource_data_release_calendar": "2025-01-15",
            "resource_disaggregate": escaped(["อายุ/กลุ่มอายุ", "อื่นๆ"]),
            "resource_disaggregate_other": "อาชีพหลัก",
            "resource_unit_of_measure": "คน",
            "resource_unit_of_multiplier": "พัน",
            "resource_official_statistics": "True",
            "resource_private": "False",
        },
    }],
}

GEOSPATIAL = {
    "name": "province-boundaries",
    "title": "ขอบเขตการปกครองระดับจังหวัด",
    "notes": "ชั้นข้อมูลขอบเขตจังหวัด",
    "maintainer": "กลุ่มภูมิสารสนเทศ",
    "maintainer_email": "gis@dopa.go.th",
    "url": "https://gis.dopa.go.th/boundaries",
    "license_id": "Creative Commons Attribution Share-Alike",
    "tags": ["ขอบเขต", "จังหวัด"],
    "extras": {
        "data_type": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
        "allow_harvest": "True",
        "reference_url_catalog": "",
        "objective": '["ยุทธศาสตร์ชาติ","แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"]',
        "update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        "update_frequency_interval": "",
        "geo_coverage": "ประเทศ",
        "data_source": "กรมการปกครอง",
        "data_format": escaped(["Shapefile", "GeoTiff"]),
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "data_language": escaped(["ไทย"]),
        "geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง",
        "equivalent_scale": "อื่นๆ",
        "equivalent_scale_other": "1:1,000",
        "west_bound_longitude": "97.34",
        "east_bound_longitude": "105.64",
        "north_bound_longitude": "20.46",
        "south_bound_longitude": "5.61",
        "positional_accuracy": "5 เมตร",
        "reference_period": "2566",
        "last_updated_date": "2023-06-30",
        "data_release_calendar": "2023-07-01",
        "data_release_date": "2023-07-15",
    },
    "resources": [{
        "name": "ขอบเขตจังหวัด", "url": "https://gis.dopa.go.th/province.zip",
        "format": "SHP", "description": "",
        "extras": {
            "resource_accessible_condition": "",
            "resource_last_updated_date": "2023-06-30",
            "resource_equivalent_scale": "1:50,000",
            "resource_geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง",
            "resource_created_date": "2023-01-10",
            "resource_data_release_date": "2023-07-15",
            "resource_positional_accuracy": "5 เมตร",
            "resource_private": "False",
        },
    }],
}

OTHER = {
    "name": "officer-register",
    "title": "ทะเบียนเจ้าหน้าที่",
    "notes": "ทะเบียนเจ้าหน้าที่ของหน่วยงาน",
    "maintainer": "กองการเจ้าหน้าที่",
    "maintainer_email": "hr@mof.go.th",
    "url": "",
    "license_id": "อื่นๆ",
    "tags": ["บุคลากร"],
    "extras": {
        "data_type": "ข้อมูลประเภทอื่นๆ",
        "data_type_other": "ข้อมูลทะเบียนบุคลากร",
        "allow_harvest": "False",
        "reference_url_catalog": "",
        "license_id_other": "ข้อตกลงการใช้ข้อมูลภายในหน่วยงาน",
        "objective": '["เพื่อการให้บริการประชาชน"]',
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "3",
        "geo_coverage": "ไม่มี",
        "data_source": "ระบบบริหารทรัพยากรบุคคล",
        "data_format": escaped(["Database"]),
        "data_category": "ข้อมูลส่วนบุคคล",
        "data_classification": "ลับ",
        "accessible_condition": "เฉพาะเจ้าหน้าที่ที่ได้รับอนุญาต",
        "data_support": "ไม่มี",
        "data_collect": "อื่นๆ",
        "data_collect_other": "ตำแหน่งงาน",
        "data_language": escaped(["ไทย", "อื่นๆ"]),
        "data_language_other": "ภาษามอญ",
        "created_date": "2015-01-05",
        "last_updated_date": "2024-11-01",
        "high_value_dataset": "False",
        "reference_data": "True",
    },
    "resources": [{
        "name": "จำนวนเจ้าหน้าที่", "url": "https://data.mof.go.th/officers-count.csv",
        "format": "CSV", "description": "",
        "extras": {
            "resource_accessible_condition": "",
            "resource_last_updated_date": "2024-11-01",
            "resource_created_date": "2015-01-05",
            "resource_data_collect": "อื่นๆ",
            "resource_data_collect_other": "ตำแหน่งงาน",
            "resource_private": "False",
        },
    }, {
        "name": "ทะเบียนรายบุคคล", "url": "https://data.mof.go.th/officers.csv",
        "format": "CSV", "description": "รายชื่อและตำแหน่ง",
        "extras": {
            "resource_accessible_condition": "เฉพาะกองการเจ้าหน้าที่",
            "resource_last_updated_date": "2024-11-01",
            "resource_created_date": "2015-01-05",
            "resource_data_collect": "บุคคล",
            "resource_private": "True",
        },
    }],
}

THAI_GDC_DATASETS = [RECORD, STATISTICS, GEOSPATIAL, OTHER]
CORE = ("title", "notes", "maintainer", "maintainer_email", "url", "license_id")
RESOURCE_CORE = ("name", "url", "format", "description")
# Read by hand from each fixture: every dataset is public with a link to a data file that
# is not designated the authoritative source, so access is basic (1), which caps the level.
# The items DCAT carries as chosen values, whose อื่นๆ text is the node's rdfs:comment.
ITEM_CHOICES = ("data_type", "objective", "update_frequency_unit", "geo_coverage",
                "data_format", "license_id")
OPEN_LEVELS = {"tourism-income": 1, "labour-force": 1, "province-boundaries": 1,
               "officer-register": 1}


def _multi(name: str, scope: str) -> bool:
    try:
        return std.field(name, scope).form == "multi"
    except std.DefinitionError:
        return False


def expected_fields(record: dict[str, Any], scope: str = "dataset") -> dict[str, Any]:
    """What ``package_show`` must return for a stored record: every value as stored,
    multi-selects as lists."""
    core = CORE if scope == "dataset" else RESOURCE_CORE
    fields = {k: record[k] for k in core}
    for key, value in record["extras"].items():
        fields[key] = json.loads(value) if _multi(key, scope) else value
    return fields


def shown(record: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    """The values of ``pkg`` for the keys the record defines (None when absent)."""
    return {k: pkg.get(k) for k in expected_fields(record)}


def store_as_thai_gdc(record: dict[str, Any], org_id: str) -> str:
    """Write one dataset as thai_gdc leaves it in the database; returns its id."""
    package = model.Package(name=record["name"], type="dataset", owner_org=org_id,
                            private=False, state="active",
                            **{k: record[k] for k in CORE})
    model.Session.add(package)
    model.Session.flush()
    # CKAN 2.11: rows of package_extra; 2.12: the package's extras column (its upgrade moves
    # the rows there). Assigning the whole mapping writes either.
    package.extras = dict(record["extras"])
    for tag in record["tags"]:
        package.add_tag_by_name(tag, autoflush=False)
    for res in record["resources"]:
        package.resources_all.append(model.Resource(
            extras=dict(res["extras"]), **{k: res[k] for k in RESOURCE_CORE}))
    return package.id


@pytest.fixture
def migrated(clean_db):
    """The thai_gdc catalog restored, then the extension's upgrade steps run on it."""
    org = factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง")
    ids = {r["name"]: store_as_thai_gdc(r, org["id"]) for r in THAI_GDC_DATASETS}
    model.Session.commit()
    model.Session.remove()
    search.rebuild()         # ckan search-index rebuild
    rebuild.rescore()        # ckan mofcompliance rescore
    return {"org": org, "ids": ids}


@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()


def public_resources(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in record["resources"] if r["extras"].get("resource_private") != "True"]


def check_unchanged(record: dict[str, Any], pkg: dict[str, Any],
                    resources: list[dict[str, Any]] | None = None) -> None:
    """``pkg`` holds every value of ``record``, and its resources (all, or those given)."""
    assert shown(record, pkg) == expected_fields(record)
    assert sorted(t["name"] for t in pkg["tags"]) == sorted(record["tags"])
    resources = record["resources"] if resources is None else resources
    assert [r["name"] for r in pkg["resources"]] == [r["name"] for r in resources]
    for stored, res in zip(resources, pkg["resources"]):
        wanted = expected_fields(stored, "resource")
        assert {k: res.get(k) for k in wanted} == wanted


@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_package_show_returns_every_thai_gdc_value_unchanged(migrated, record):
    pkg = helpers.call_action("package_show", id=record["name"])
    check_unchanged(record, pkg)


def test_the_thai_gdc_fields_are_all_in_the_standard():
    """Every field a thai_gdc 2.2.4 dataset stores is a field of the definition."""
    for record in THAI_GDC_DATASETS:
        for key in record["extras"]:
            assert std.field(key).name == key
        for key in record["resources"][0]["extras"]:
            assert std.field(key, "resource").name == key


def test_the_score_store_scores_the_migrated_datasets(migrated):
    table = dataset_score_table
    rows = model.Session.execute(sa.select(
        table.c.package_id, table.c.metadata_complete, table.c.missing_items,
        table.c.open_level)).all()
    assert {r.package_id: (r.metadata_complete, list(r.missing_items), r.open_level)
            for r in rows} == {package_id: (True, [], OPEN_LEVELS[name])
                               for name, package_id in migrated["ids"].items()}


def _page_text(app, path: str, user: dict[str, Any]) -> str:
    response = app.get(path, headers={"Authorization": user["apikey"]} if user else {})
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True)).text_content()


def _display(name: str, value: Any, scope: str) -> list[str]:
    """The texts the Thai page shows for a stored value."""
    field = std.field(name, scope)
    values = value if isinstance(value, list) else [value]
    if field.form == "date":
        year, rest = value.split("-", 1)
        return ["%d-%s" % (int(year) + 543, rest)]
    if field.choices:
        labels = {c.value: c.label_th for c in std.choices(field.choices)}
        return [labels[v] for v in values]
    if field.form == "markdown":
        return [value]
    return values


@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_the_dataset_and_resource_pages_show_every_value(app, migrated, sysadmin, record):
    user = helpers.call_action("api_token_create", context={"user": sysadmin["name"]},
                               user=sysadmin["name"], name="page")
    token = {"apikey": user["token"]}
    page = " ".join(_page_text(app, "/th/dataset/%s" % record["name"], token).split())
    for key, value in expected_fields(record).items():
        if value and key not in CORE:
            for text in _display(key, value, "dataset"):
                assert text in page, (key, text)
    resources = helpers.call_action("package_show", id=record["name"])["resources"]
    for stored, res in zip(record["resources"], resources):
        page = " ".join(_page_text(
            app, "/th/dataset/%s/resource/%s" % (record["name"], res["id"]), token).split())
        for key, value in expected_fields(stored, "resource").items():
            if value and key not in RESOURCE_CORE:
                for text in _display(key, value, "resource"):
                    assert text in page, (key, text)


@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_a_patch_of_one_field_keeps_every_other_field(migrated, sysadmin, record):
    helpers.call_action("package_patch", context={"user": sysadmin["name"]},
                        id=record["name"], maintainer="ฝ่ายข้อมูลกลาง")
    pkg = helpers.call_action("package_show", id=record["name"])
    check_unchanged(dict(record, maintainer="ฝ่ายข้อมูลกลาง"), pkg)


@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_a_form_edit_of_one_field_keeps_every_other_field(app, migrated, sysadmin, record):
    headers = {"Authorization": helpers.call_action(
        "api_token_create", context={"user": sysadmin["name"]},
        user=sysadmin["name"], name="form")["token"]}
    page = app.get("/th/dataset/edit/%s" % record["name"], headers=headers)
    assert page.status_code == 200
    data = form_data(page.get_data(as_text=True))
    data["maintainer"] = ["ฝ่ายข้อมูลกลาง"]
    data["save"] = [""]
    response = app.post("/th/dataset/edit/%s" % record["name"], data=data, headers=headers,
                        follow_redirects=False)
    assert response.status_code == 302, " ".join(lxml.html.fromstring(
        response.get_data(as_text=True)).text_content().split())[:3000]
    pkg = helpers.call_action("package_show", id=record["name"])
    check_unchanged(dict(record, maintainer="ฝ่ายข้อมูลกลาง"), pkg)


def _sheet_rows(book: Any, sheet: Any) -> list[dict[str, Any]]:
    worksheet = book[sheet.name]
    start = 6
    rows = []
    for values in worksheet.iter_rows(min_row=start, values_only=True):
        if any(values):
            rows.append({c.key: (values[c.index] if c.index < len(values) else None) or ""
                         for c in sheet.columns})
    return rows


def _cell(name: str, record: dict[str, Any], scope: str) -> str:
    """The NSO template's cell for a stored value, written by hand: B.E. dates, lists
    comma separated, อื่นๆ as its own text, yes/no in Thai."""
    fields = expected_fields(record, scope)
    value = fields.get(name, "")
    field = std.field(name, scope)
    other = fields.get(field.other_field or "", "")
    values = value if isinstance(value, list) else [value]
    values = [other if v == "อื่นๆ" and other else v for v in values]
    if field.form == "date" and value:
        year, rest = value.split("-", 1)
        return "%d-%s" % (int(year) + 543, rest)
    if field.form == "yesno":
        return {"True": "ใช่", "False": "ไม่ใช่", "": ""}[value]
    return ", ".join(values)


def test_the_nso_workbook_export_carries_every_template_column(app, migrated, sysadmin):
    token = helpers.call_action("api_token_create", context={"user": sysadmin["name"]},
                                user=sysadmin["name"], name="xlsx")["token"]
    response = app.get("/organization/mof-ops/nso-export", headers={"Authorization": token})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    for record in THAI_GDC_DATASETS:
        code = std.data_type(record["extras"]["data_type"]).code
        sheet = layout.sheet(code, layout.DATASET)
        row = next(r for r in _sheet_rows(book, sheet) if r[sheet.columns[0].key] == record["name"])
        for column in sheet.columns:
            if not column.stored:
                continue
            if column.key == "tag_string":
                assert sorted(t.strip() for t in row[column.key].split(",")) == \
                    sorted(record["tags"])
            else:
                assert row[column.key] == _cell(column.key, record, "dataset"), column.key
        resources = layout.sheet(code, layout.RESOURCE)
        res_rows = [r for r in _sheet_rows(book, resources) if r["dataset_name"] == record["name"]]
        assert [(r["resource_name"], r["resource_url"]) for r in res_rows] == \
            [(r["name"], r["url"]) for r in record["resources"]]
        for stored, res_row in zip(record["resources"], res_rows):
            for column in resources.columns:
                if column.key not in ("dataset_name", "resource_name", "resource_url"):
                    assert res_row[column.key] == _cell(column.key, stored, "resource"), \
                        column.key


@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_the_api_json_carries_every_value(app, migrated, record):
    """package_show and package_search over HTTP, as the GD Catalog harvester reads them
    (anonymously: a resource thai_gdc kept private stays out)."""
    shown_pkg = app.get("/api/3/action/package_show?id=%s" % record["name"]).json["result"]
    check_unchanged(record, shown_pkg, public_resources(record))
    found = app.get("/api/3/action/package_search?" + urlencode(
        {"fq": 'name:"%s"' % record["name"]})).json
    assert found["result"]["count"] == 1
    check_unchanged(record, found["result"]["results"][0], public_resources(record))


@pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS + " dcat")
@pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 mofcompliance_dga")
@pytest.mark.parametrize("record", THAI_GDC_DATASETS, ids=lambda r: r["name"])
def test_the_dcat_export_carries_the_items_and_the_reference_catalog(app, migrated, record):
    turtle = app.get("/dataset/%s.ttl" % record["name"]).get_data(as_text=True)
    g = Graph().parse(data=turtle, format="turtle")
    dataset = next(g.subjects(RDF.type, DCAT.Dataset))
    # items 9, 13, 14 may be EU or licence IRIs: read them as a DCAT harvester does
    parser = RDFParser(profiles=["euro_dcat_ap_3", "mofcompliance_dga"])
    parser.parse(turtle, _format="turtle")
    parsed = next(parser.datasets())
    fields = expected_fields(record)

    def notations(predicate):
        return sorted(str(g.value(node, SKOS.notation)) for node in g.objects(dataset, predicate))

    assert notations(DCTERMS.type) == [fields["data_type"]]
    assert notations(PROV.wasGeneratedBy) == sorted(fields["objective"])
    assert parsed["update_frequency_unit"] == fields["update_frequency_unit"]
    assert notations(DCTERMS.spatial) == [fields["geo_coverage"]]
    assert notations(DCTERMS["format"]) == sorted(fields["data_format"])
    assert notations(DCTERMS.rights) == [fields["data_category"]]
    assert parsed["license_id"] == fields["license_id"]
    provenance = g.value(dataset, DCTERMS.provenance)
    assert str(g.value(provenance, RDFS.label)) == fields["data_source"]
    comments = {str(c) for c in g.objects(None, RDFS.comment)}
    assert comments == {fields[f.other_field] for f in map(std.field, ITEM_CHOICES)
                        if f.other_value in as_list(fields[f.name])}
    source = fields["reference_url_catalog"]
    assert list(g.objects(dataset, DCTERMS.source)) == ([URIRef(source)] if source else [])
    distributions = [g.value(d, DCTERMS.title) for d in g.objects(dataset, DCAT.distribution)]
    assert sorted(map(str, distributions)) == sorted(r["name"] for r in public_resources(record))
