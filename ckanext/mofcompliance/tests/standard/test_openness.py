"""Rules of the open-characteristics standard (docs/kpi-rules.md §3)."""
import pytest

from ckanext.mofcompliance.standard.openness import open_level
from ckanext.mofcompliance.standard.openness_rules import hints, ruleset_names

from .builders import pkg, resource


def levels(result):
    return {i.indicator: i.level for i in result.indicators}


# ---- access channel

def test_access_none_without_a_file():
    r = open_level(pkg(resources=[]))
    assert levels(r)["access"] == 0 and r.level == 0


def test_access_basic_when_a_file_can_be_downloaded():
    r = open_level(pkg(resources=[resource()]))
    assert levels(r)["access"] == 1
    assert r.indicator("access").resources == ("table.csv",)


def test_access_intermediate_when_a_resource_is_the_authoritative_source():
    r = open_level(pkg(resources=[resource(), resource(name="sot", authoritative_source="True")]))
    assert levels(r)["access"] == 2 and r.indicator("access").resources == ("sot",)


@pytest.mark.parametrize("res", [
    resource(datastore_active=True),
    resource(name="api", format="API", url="https://x/api", api_query_documented="True"),
    resource(name="api", format="", resource_type="api", url="https://x/q",
             description="ตัวอย่าง https://x/q?province=10&year=2565"),
])
def test_access_advanced_with_a_filterable_api(res):
    assert levels(open_level(pkg(resources=[res])))["access"] == 3


def test_an_undocumented_api_is_not_advanced_access():
    r = open_level(pkg(resources=[resource(name="api", format="API", url="https://x/api")]))
    assert levels(r)["access"] == 1


def test_a_private_dataset_is_not_accessible():
    r = open_level(pkg(private=True, resources=[resource(datastore_active=True)]))
    assert levels(r)["access"] == 0 and r.level == 0
    assert "private" in r.indicator("access").reason_en


def test_a_resource_kept_private_gives_no_level():
    """thai_gdc's resource_private "True": only the dataset's editors reach the file."""
    withheld = resource(name="people.csv", resource_private="True", datastore_active=True,
                        resource_data_collect="บุคคล")
    r = open_level(pkg(resources=[withheld]))
    assert levels(r) == {"access": 0, "granularity": 0, "format": 0}
    r = open_level(pkg(resources=[withheld, resource(resource_private="False")]))
    assert levels(r)["access"] == 1 and r.indicator("access").resources == ("table.csv",)
    assert levels(r)["granularity"] == 1


# ---- granularity

def test_granularity_basic_for_yearly_province_data():
    assert levels(open_level(pkg(resources=[resource()])))["granularity"] == 1


@pytest.mark.parametrize("fields", [
    {"update_frequency_unit": "เดือน"}, {"update_frequency_unit": "วัน"},
    {"geo_coverage": "อำเภอ"}, {"geo_coverage": "พิกัด"},
    {"data_type": "ข้อมูลระเบียน", "data_collect": "บุคคล"},
])
def test_granularity_intermediate_for_detailed_data(fields):
    r = open_level(pkg(resources=[resource()], **fields))
    assert levels(r)["granularity"] == 2


def test_granularity_reads_the_resource_smallest_unit():
    r = open_level(pkg(resources=[resource(resource_data_collect="ครัวเรือน/ครอบครัว")]))
    assert levels(r)["granularity"] == 2


@pytest.mark.parametrize("fields,res", [
    ({"update_frequency_unit": "ตามเวลาจริง"}, resource()),
    ({"geo_coverage": "ตำบล"}, resource(datastore_active=True)),
])
def test_granularity_advanced_when_detailed_and_live(fields, res):
    assert levels(open_level(pkg(resources=[res], **fields)))["granularity"] == 3


def test_live_but_aggregate_data_stays_basic_granularity():
    assert levels(open_level(pkg(resources=[resource(datastore_active=True)])))["granularity"] == 1


# ---- format and structure (FY2565)

@pytest.mark.parametrize("fmt,level", [
    ("PDF", 1), ("DOCX", 1), ("JPEG", 1), ("JSON", 2), ("XML", 2), ("SHP", 2), ("GeoJSON", 2),
    ("RDF", 2), ("CSV", 3), ("XLSX", 3), ("XLS/XLSX", 3), ("ODS", 3), ("ZIP", 0), ("", 0),
])
def test_format_levels_fy2565(fmt, level):
    r = open_level(pkg(resources=[resource(format=fmt, url="https://x/file")]))
    assert levels(r)["format"] == level


def test_format_falls_back_to_the_url_extension():
    r = open_level(pkg(resources=[resource(format="", url="https://x/data.xlsx?dl=1")]))
    assert levels(r)["format"] == 3


def test_format_takes_the_best_resource_and_names_it():
    r = open_level(pkg(resources=[resource(name="a.pdf", format="PDF"), resource(name="b.json", format="JSON")]))
    assert levels(r)["format"] == 2 and r.indicator("format").resources == ("b.json",)


def test_a_scanned_document_gives_no_format_level():
    r = open_level(pkg(resources=[resource(format="PDF", text_searchable="False")]))
    assert levels(r)["format"] == 0


# ---- unstructured documents (announcements and regulations)

def _doc_pkg(**res_fields):
    return pkg(data_type="ข้อมูลประเภทอื่นๆ", data_type_other="ประกาศ",
               resources=[resource(name="ประกาศ.pdf", format="PDF", **res_fields)])


def test_unstructured_documents_are_judged_on_access_and_searchable_text():
    r = open_level(_doc_pkg(authoritative_source="True"))
    assert not r.structured and levels(r) == {"access": 2, "searchable": 1}
    assert r.level == 2


def test_searchable_text_is_a_gate_for_unstructured_documents():
    r = open_level(_doc_pkg(authoritative_source="True", text_searchable="False"))
    assert r.level == 0 and r.indicator("searchable").gate
    assert '"Text is searchable"' in r.indicator("searchable").next_en


def test_a_statistical_pdf_is_structured_and_stays_basic():
    r = open_level(pkg(resources=[resource(format="PDF", authoritative_source="True")]))
    assert r.structured and r.level == 1


# ---- the dataset's level

def test_the_dataset_level_is_the_lowest_indicator():
    r = open_level(pkg(update_frequency_unit="เดือน", resources=[resource(authoritative_source="True")]))
    assert levels(r) == {"access": 2, "granularity": 2, "format": 3} and r.level == 2


def test_advanced_dataset():
    r = open_level(pkg(update_frequency_unit="เดือน", resources=[resource(datastore_active=True)]))
    assert r.level == 3 and all(i.next_en == "" for i in r.indicators)


def test_each_indicator_says_why_and_what_next_in_thai_then_english():
    r = open_level(pkg(resources=[resource(format="PDF")]))
    for ind in r.indicators:
        assert ind.reason_th and ind.reason_en and ind.next_th and ind.next_en
    assert hints("access", 1, 3) == tuple(h for h in hints("access", 0, 3) if h[0] > 1)


# ---- FY2564 table

def test_fy2564_has_no_unstructured_rules_and_completes_format_at_intermediate():
    assert set(ruleset_names()) >= {"fy2564", "fy2565"}
    r = open_level(pkg(update_frequency_unit="เดือน",
                       resources=[resource(format="JSON", datastore_active=False,
                                           url="https://x/a.json", name="a",
                                           api_query_documented="True")]), "fy2564")
    assert levels(r)["format"] == 3
    doc = open_level(_doc_pkg(), "fy2564")
    assert doc.structured and levels(doc)["format"] == 1
