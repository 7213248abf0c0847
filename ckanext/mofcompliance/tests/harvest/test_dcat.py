"""The 14 items in ckanext-dcat's RDF: every serialisation parsed back with rdflib, and the
catalog validated with pyshacl against the DGA profile's SHACL shapes."""
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SH, SKOS, XSD

from ckan.tests import helpers

import ckanext.mofcompliance

from .conftest import GDCATALOG_PLUGINS, HARVESTER

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
SHAPES = Graph().parse(Path(ckanext.mofcompliance.__file__).parent / "harvest" / "shapes"
                       / "dga.ttl")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS + " dcat"),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 mofcompliance_dga"),
    pytest.mark.usefixtures("with_plugins"),
]

FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
RESOURCES = [{"name": "ดุลการคลังรายเดือน", "url": "https://data.mof.go.th/fiscal.csv",
              "format": "CSV"}]


def graph(app, path, rdf_format, headers=None):
    response = app.get(path, headers=headers or {})
    assert response.status_code == 200, response.body
    return Graph().parse(data=response.body, format=rdf_format)


def notations(g, dataset, predicate):
    return sorted(str(g.value(node, SKOS.notation)) for node in g.objects(dataset, predicate))


def check_items(g, pkg):
    dataset = next(g.subjects(DCTERMS.identifier, Literal(pkg["id"])))
    assert (dataset, RDF.type, DCAT.Dataset) in g
    assert notations(g, dataset, DCTERMS.type) == [pkg["data_type"]]                    # 1
    data_type = g.value(dataset, DCTERMS.type)
    assert (data_type, SKOS.prefLabel, Literal("Statistical data", lang="en")) in g
    assert g.value(dataset, DCTERMS.title) == Literal(pkg["title"], lang="th")         # 2
    publisher = g.value(dataset, DCTERMS.publisher)
    assert str(g.value(publisher, FOAF.name)) == pkg["organization"]["title"]          # 3
    contact = g.value(dataset, DCAT.contactPoint)
    assert str(g.value(contact, VCARD.fn)) == pkg["maintainer"]                        # 4
    assert str(g.value(contact, VCARD.hasEmail)) == "mailto:" + pkg["maintainer_email"]  # 5
    assert sorted(g.objects(dataset, DCAT.keyword)) == \
        sorted(Literal(t["name"], lang="th") for t in pkg["tags"])                     # 6
    assert g.value(dataset, DCTERMS.description) == Literal(pkg["notes"], lang="th")   # 7
    assert notations(g, dataset, PROV.wasGeneratedBy) == sorted(pkg["objective"])      # 8
    other = next(a for a in g.objects(dataset, PROV.wasGeneratedBy)
                 if str(g.value(a, SKOS.notation)) == "อื่นๆ")
    assert g.value(other, RDFS.comment) == Literal(pkg["objective_other"], lang="th")
    # 9: every 2 months is exactly the EU's BIMONTHLY: its IRI itself
    assert list(g.objects(dataset, DCTERMS.accrualPeriodicity)) == [
        URIRef(EU + "frequency/BIMONTHLY")]
    assert notations(g, dataset, DCTERMS.spatial) == [pkg["geo_coverage"]]             # 10
    provenance = g.value(dataset, DCTERMS.provenance)
    assert g.value(provenance, RDFS.label) == Literal(pkg["data_source"], lang="th")   # 11
    assert notations(g, dataset, DCTERMS.format) == sorted(pkg["data_format"])         # 12
    assert list(g.objects(dataset, DCTERMS.accessRights)) == [                         # 13
        URIRef(EU + "access-right/PUBLIC")]
    assert notations(g, dataset, DCTERMS.rights) == [pkg["data_category"]]
    licence = URIRef(pkg["license_url"])                                              # 14
    assert list(g.objects(dataset, DCTERMS.license)) == [licence]
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in g
    assert str(g.value(licence, SKOS.notation)) == pkg["license_id"]
    distributions = list(g.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(pkg["resources"]) > 0
    assert all(g.value(d, DCTERMS.license) == licence for d in distributions)


@pytest.fixture
def dataset(make_dataset):
    return make_dataset(name="fiscal-balance", update_frequency_interval="2", resources=RESOURCES,
                        objective=["พันธกิจหน่วยงาน", "อื่นๆ"],
                        objective_other="ติดตามฐานะการคลัง")


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_dataset_endpoints_carry_the_14_items(app, dataset, extension):
    pkg = helpers.call_action("package_show", id=dataset["id"])
    g = graph(app, "/dataset/%s.%s" % (pkg["name"], extension), FORMATS[extension])
    check_items(g, pkg)


def test_the_catalog_carries_the_14_items_of_each_dataset(app, dataset, make_dataset):
    second = make_dataset(name="revenue", update_frequency_interval="2", resources=RESOURCES,
                          objective=["อื่นๆ"], objective_other="รายงานรายได้")
    g = graph(app, "/catalog.ttl", "turtle")
    for name in (dataset["name"], second["name"]):
        check_items(g, helpers.call_action("package_show", id=name))


@pytest.mark.ckan_config("ckanext.mofcompliance.harvester_users", HARVESTER)
def test_the_harvester_reads_only_offered_datasets_in_the_catalog(app, dataset, make_dataset,
                                                                  harvester_token):
    make_dataset(name="withheld", allow_harvest="False")
    names = {helpers.call_action("package_show", id=n)["id"]: n
             for n in ("fiscal-balance", "withheld")}

    def catalog(headers=None):
        g = graph(app, "/catalog.ttl", "turtle", headers)
        return {names[str(uri).rsplit("/", 1)[-1]] for uri in g.subjects(RDF.type, DCAT.Dataset)}

    assert catalog() == {"fiscal-balance", "withheld"}
    assert catalog({"Authorization": harvester_token}) == {"fiscal-balance"}


def test_the_reference_catalog_url_is_the_dct_source(app, make_dataset):
    source = "https://catalog.mots.go.th/dataset/tourism-income"
    referenced = make_dataset(name="tourism-income", reference_url_catalog=source)
    own = make_dataset(name="own-data", reference_url_catalog="ตามประกาศกระทรวง")
    g = graph(app, "/catalog.ttl", "turtle")
    sources = {str(g.value(d, DCTERMS.identifier)): list(g.objects(d, DCTERMS.source))
               for d in g.subjects(RDF.type, DCAT.Dataset)}
    assert sources == {referenced["id"]: [URIRef(source)], own["id"]: []}


def violations(g):
    """The SHACL results of the graph against the DGA shapes: (focus, path) pairs."""
    conforms, results, text = validate(g, shacl_graph=SHAPES, inference="none")
    found = {(results.value(r, SH.focusNode), results.value(r, SH.resultPath))
             for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert conforms == (not found), text
    return found


@pytest.fixture
def varied_catalog(dataset, make_dataset):
    """Datasets whose items take each kind of node: EU IRIs, register IRIs, and thai_gdc
    values the EU tables or the licence register have no IRI for."""
    make_dataset(name="hourly-cash", update_frequency_unit="ชั่วโมง", resources=RESOURCES)
    make_dataset(name="payroll", data_category="ข้อมูลส่วนบุคคล", resources=RESOURCES,
                 license_id="License not specified")
    make_dataset(name="agency-licence", data_category="ข้อมูลใช้ภายใน", resources=RESOURCES,
                 license_id="อื่นๆ", license_id_other="สัญญาอนุญาตของกระทรวง",
                 update_frequency_unit="ปี", update_frequency_interval="5",
                 title="Cash balance", notes="Monthly cash balance.")


def test_the_catalog_validates_against_the_dga_shapes(app, varied_catalog):
    g = graph(app, "/catalog.ttl", "turtle")
    assert len(list(g.subjects(RDF.type, DCAT.Dataset))) == 4
    assert violations(g) == set()


def test_the_shapes_name_what_the_output_lacks(app, varied_catalog):
    g = graph(app, "/catalog.ttl", "turtle")
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    dataset = next(g.subjects(DCTERMS.identifier, Literal(
        helpers.call_action("package_show", id="fiscal-balance")["id"])))
    distribution = g.value(dataset, DCAT.distribution)
    g.remove((distribution, DCTERMS.license, None))
    g.remove((catalog, DCTERMS.language, None))
    g.add((catalog, DCTERMS.language, Literal("th")))
    g.remove((dataset, DCTERMS.accessRights, None))
    g.set((dataset, DCTERMS.title, Literal("ดุลการคลัง")))
    assert violations(g) == {(distribution, DCTERMS.license), (catalog, DCTERMS.language),
                             (dataset, DCTERMS.accessRights), (dataset, DCTERMS.title)}


def test_values_without_an_eu_code_or_licence_url_keep_thai_gdc_s_value(app, varied_catalog):
    g = graph(app, "/catalog.ttl", "turtle")

    def dataset(name):
        return next(g.subjects(DCTERMS.identifier, Literal(
            helpers.call_action("package_show", id=name)["id"])))

    hourly = g.value(dataset("hourly-cash"), DCTERMS.accrualPeriodicity)
    assert isinstance(hourly, BNode) and str(g.value(hourly, SKOS.notation)) == "ชั่วโมง"
    every_five_years = g.value(dataset("agency-licence"), DCTERMS.accrualPeriodicity)
    assert g.value(every_five_years, RDF.value) == Literal(5, datatype=XSD.integer)
    payroll = dataset("payroll")
    assert list(g.objects(payroll, DCTERMS.accessRights)) == [URIRef(EU + "access-right/NON_PUBLIC")]
    assert notations(g, payroll, DCTERMS.rights) == ["ข้อมูลส่วนบุคคล"]
    unspecified = g.value(payroll, DCTERMS.license)
    assert isinstance(unspecified, BNode)
    assert str(g.value(unspecified, SKOS.notation)) == "License not specified"
    agency = dataset("agency-licence")
    licence = g.value(agency, DCTERMS.license)
    assert g.value(licence, RDFS.comment) == Literal("สัญญาอนุญาตของกระทรวง", lang="th")
    assert g.value(agency, DCTERMS.title) == Literal("Cash balance", lang="en")


@pytest.mark.ckan_config("ckanext.mofcompliance.dcat.publisher_name", "สำนักงานปลัดกระทรวงการคลัง")
@pytest.mark.ckan_config("ckanext.mofcompliance.dcat.publisher_name_en",
                         "Office of the Permanent Secretary, Ministry of Finance")
@pytest.mark.ckan_config("ckanext.mofcompliance.dcat.publisher_uri", "https://www.mof.go.th")
@pytest.mark.ckan_config("ckanext.mofcompliance.dcat.catalog_languages", "THA ENG")
@pytest.mark.ckan_config("ckanext.mofcompliance.dcat.catalog_description_en", "")
def test_the_catalog_describes_itself_from_the_configuration(app, dataset):
    g = graph(app, "/catalog.ttl", "turtle")
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    assert sorted(g.objects(catalog, DCTERMS.language)) == [
        URIRef(EU + "language/ENG"), URIRef(EU + "language/THA")]
    publisher = g.value(catalog, DCTERMS.publisher)
    assert publisher == URIRef("https://www.mof.go.th")
    assert set(g.objects(publisher, FOAF.name)) == {
        Literal("สำนักงานปลัดกระทรวงการคลัง", lang="th"),
        Literal("Office of the Permanent Secretary, Ministry of Finance", lang="en")}
    descriptions = list(g.objects(catalog, DCTERMS.description))
    assert [d.language for d in descriptions] == ["th"]
