"""The 14 items survive DCAT: a dataset of each data type served as DCAT and read back with
ckanext-dcat's own ``RDFParser`` (what its RDF harvester runs) gives thai_gdc's values."""
import pytest
from rdflib.namespace import SKOS

from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser

from ckanext.mofcompliance.standard import definition as std

from .conftest import GDCATALOG_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS + " dcat"),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 mofcompliance_dga"),
    pytest.mark.usefixtures("with_plugins"),
]

PROFILES = ["euro_dcat_ap_3", "mofcompliance_dga"]
RESOURCES = [{"name": "ข้อมูล", "url": "https://data.mof.go.th/data.csv", "format": "CSV"}]
# The fields of the 14 items, with the อื่นๆ text of those that have one.
ITEM_FIELDS = [part.field for item in std.items() for part in item.parts]
OTHER_FIELDS = [std.field(f).other_field for f in ITEM_FIELDS if std.field(f).other_field]

# One dataset per data type, each taking a different road through the items: EU frequency
# IRIs and frequencies without one, licences with a register IRI and without, อื่นๆ texts.
BY_DATA_TYPE = {
    "R": {"update_frequency_unit": "ปี", "update_frequency_interval": "1",
          "license_id": "Open Data Common"},
    "S": {"update_frequency_unit": "เดือน", "update_frequency_interval": "2",
          "license_id": "Creative Commons Attributions", "objective": ["มติคณะรัฐมนตรี", "อื่นๆ"],
          "objective_other": "ตอบคำถามของรัฐสภา"},
    "G": {"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": "3",
          "geo_coverage": "อื่นๆ", "geo_coverage_other": "ลุ่มน้ำเจ้าพระยา",
          "data_category": "ข้อมูลใช้ภายใน", "license_id": "อื่นๆ",
          "license_id_other": "สัญญาอนุญาตของกรม", "data_format": ["Shapefile", "GeoTiff"]},
    "M": {"update_frequency_unit": "อื่นๆ", "update_frequency_unit_other": "ตามรอบงบประมาณ",
          "license_id": "DGA Open Government License", "data_format": ["อื่นๆ", "CSV"],
          "data_format_other": "Parquet"},
    "O": {"data_type_other": "ข้อมูลเชิงคุณภาพ", "update_frequency_unit": "ไม่ทราบ",
          "update_frequency_interval": "",
          "data_category": "ข้อมูลส่วนบุคคล", "license_id": "License not specified"},
}


def parsed_back(app, name):
    response = app.get("/dataset/%s.ttl" % name)
    assert response.status_code == 200, response.body
    parser = RDFParser(profiles=PROFILES)
    parser.parse(response.body, _format="turtle")
    datasets = list(parser.datasets())
    assert len(datasets) == 1
    return datasets[0]


def item_values(pkg):
    """The 14 items (and their อื่นๆ texts) as comparable values; item 3 is the organisation's
    name, what a DCAT reader gets of it."""
    values = {}
    for field in ITEM_FIELDS + OTHER_FIELDS:
        value = pkg.get(field, "")
        values[field] = sorted(value) if isinstance(value, list) else value
    values["tag_string"] = sorted(t["name"] for t in pkg["tags"])
    values["owner_org"] = pkg["organization"]["title"] if "organization" in pkg else \
        next(e["value"] for e in pkg["extras"] if e["key"] == "publisher_name")
    return values


@pytest.mark.parametrize("code", sorted(BY_DATA_TYPE))
def test_every_item_comes_back_from_dcat(app, make_dataset, code):
    created = make_dataset(name="round-trip-" + code.lower(), resources=RESOURCES,
                           data_type=std.data_type(code).value, **BY_DATA_TYPE[code])
    shown = helpers.call_action("package_show", id=created["id"])
    parsed = parsed_back(app, shown["name"])
    assert item_values(parsed) == item_values(shown)
    # what DCAT-AP's parser made of the items' nodes (blank-node ids) is not left to store
    assert {e["key"] for e in parsed["extras"]}.isdisjoint(
        {"frequency", "dcat_type", "provenance", "access_rights", "contact_name"})


@pytest.mark.parametrize("unit, interval, read_back", [
    ("ไตรมาส", "", "1"),    # QUARTERLY: every 1 quarter; blank means 1 (item 9.2)
    ("ไตรมาส", "1", "1"),
    ("ไม่ทราบ", "1", ""),   # UNKNOWN is no period
])
def test_an_eu_frequency_code_gives_its_interval(app, make_dataset, unit, interval, read_back):
    created = make_dataset(name="quarterly", update_frequency_unit=unit,
                           update_frequency_interval=interval)
    parsed = parsed_back(app, created["name"])
    assert (parsed["update_frequency_unit"], parsed["update_frequency_interval"]) == \
        (unit, read_back)


def test_the_licence_is_read_from_its_iri_when_the_notation_is_gone(app, make_dataset):
    """A DCAT source that names the licence only by its IRI (no thai_gdc notation)."""
    created = make_dataset(name="by-iri", resources=RESOURCES,
                           license_id="Creative Commons Attribution Share-Alike")
    response = app.get("/dataset/%s.ttl" % created["name"])
    parser = RDFParser(profiles=PROFILES)
    parser.parse(response.body, _format="turtle")
    parser.g.remove((None, SKOS.notation, None))
    parsed = next(parser.datasets())
    assert parsed["license_id"] == "Creative Commons Attribution Share-Alike"
