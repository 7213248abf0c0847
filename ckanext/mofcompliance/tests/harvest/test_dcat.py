"""The 14 items in ckanext-dcat's RDF: every serialisation parsed back with rdflib."""
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ckan.tests import helpers

from .conftest import GDCATALOG_PLUGINS, HARVESTER

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS + " dcat"),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 mofcompliance_dga"),
    pytest.mark.usefixtures("with_plugins"),
]

FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


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
    assert str(g.value(dataset, DCTERMS.title)) == pkg["title"]                        # 2
    publisher = g.value(dataset, DCTERMS.publisher)
    assert str(g.value(publisher, FOAF.name)) == pkg["organization"]["title"]          # 3
    contact = g.value(dataset, DCAT.contactPoint)
    assert str(g.value(contact, VCARD.fn)) == pkg["maintainer"]                        # 4
    assert str(g.value(contact, VCARD.hasEmail)) == "mailto:" + pkg["maintainer_email"]  # 5
    assert sorted(map(str, g.objects(dataset, DCAT.keyword))) == \
        sorted(t["name"] for t in pkg["tags"])                                         # 6
    assert str(g.value(dataset, DCTERMS.description)) == pkg["notes"]                  # 7
    assert notations(g, dataset, PROV.wasGeneratedBy) == sorted(pkg["objective"])      # 8
    other = next(a for a in g.objects(dataset, PROV.wasGeneratedBy)
                 if str(g.value(a, SKOS.notation)) == "อื่นๆ")
    assert str(g.value(other, RDFS.comment)) == pkg["objective_other"]
    frequency = g.value(dataset, DCTERMS.accrualPeriodicity)                           # 9
    assert str(g.value(frequency, SKOS.notation)) == pkg["update_frequency_unit"]
    assert g.value(frequency, RDF.value) == Literal(2, datatype=XSD.integer)
    assert g.value(frequency, SKOS.exactMatch) == URIRef(EU + "frequency/BIMONTHLY")
    assert notations(g, dataset, DCTERMS.spatial) == [pkg["geo_coverage"]]             # 10
    provenance = g.value(dataset, DCTERMS.provenance)
    assert str(g.value(provenance, RDFS.label)) == pkg["data_source"]                  # 11
    assert notations(g, dataset, DCTERMS.format) == sorted(pkg["data_format"])         # 12
    access = g.value(dataset, DCTERMS.accessRights)
    assert str(g.value(access, SKOS.notation)) == pkg["data_category"]                 # 13
    assert g.value(access, SKOS.exactMatch) == URIRef(EU + "access-right/PUBLIC")
    licence = g.value(dataset, DCTERMS.license)
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in g                           # 14
    assert str(g.value(licence, SKOS.notation)) == pkg["license_id"]


@pytest.fixture
def dataset(make_dataset):
    return make_dataset(name="fiscal-balance", update_frequency_interval="2",
                        objective=["พันธกิจหน่วยงาน", "อื่นๆ"],
                        objective_other="ติดตามฐานะการคลัง")


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_dataset_endpoints_carry_the_14_items(app, dataset, extension):
    pkg = helpers.call_action("package_show", id=dataset["id"])
    g = graph(app, "/dataset/%s.%s" % (pkg["name"], extension), FORMATS[extension])
    check_items(g, pkg)


def test_the_catalog_carries_the_14_items_of_each_dataset(app, dataset, make_dataset):
    second = make_dataset(name="revenue", update_frequency_interval="2",
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
