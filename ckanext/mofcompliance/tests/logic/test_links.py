"""Links: a resource's ``url`` and ``reference_url_catalog`` take only http(s) addresses and
paths on the catalog, refused otherwise with the field named; a value stored before is
never shown as a link."""
import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.model as model
from ckan.lib import search
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

HOSTILE = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
           "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>x</script>",
           "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "/\\evil.example/x"]
SAFE = ["https://data.mof.go.th/dataset/budget", "http://gdcatalog.go.th/dataset/x",
        "/dataset/budget"]


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops")


def names():
    return set(model.Session.execute(sa.select(model.package_table.c.name)).scalars())


@pytest.mark.parametrize("link", HOSTILE)
def test_a_catalog_reference_other_than_http_is_refused_by_name(org, link):
    with pytest.raises(ValidationError) as raised:
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name="hostile", reference_url_catalog=link))
    [text] = raised.value.error_dict["reference_url_catalog"]
    assert text.startswith("อ้างอิง URL Catalog: ") and "Reference URL Catalog: must be a link" in text
    assert "hostile" not in names()


@pytest.mark.parametrize("link", HOSTILE)
def test_a_resource_url_other_than_http_is_refused_by_name(org, link):
    with pytest.raises(ValidationError) as raised:
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name="hostile", resources=[{"url": link, "name": "x"}]))
    [resource_errors] = raised.value.error_dict["resources"]
    assert "URL: must be a link starting with http:// or https://" in resource_errors["url"][0]
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    with pytest.raises(ValidationError) as raised:
        helpers.call_action("resource_create", package_id=dataset["id"], url=link, name="x")
    assert "url" in raised.value.error_dict
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.parametrize("link", SAFE)
def test_http_links_and_catalog_paths_are_kept(org, link):
    created = helpers.call_action("package_create", **complete_dataset(
        org["id"], reference_url_catalog=link))
    assert created["reference_url_catalog"] == link


def test_http_resource_links_are_kept(org):
    created = helpers.call_action("package_create", **complete_dataset(
        org["id"], resources=[{"url": SAFE[0], "name": "x"}, {"url": SAFE[1], "name": "y"}]))
    assert [r["url"] for r in created["resources"]] == SAFE[:2]


def test_an_upload_still_works(org, ckan_config, monkeypatch, tmp_path):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    upload = FileStorage(io.BytesIO(b"year,amount\n2567,1\n"), "fiscal.csv",
                         content_type="text/csv")
    resource = helpers.call_action("resource_create", package_id=dataset["id"], upload=upload,
                                   url="fiscal.csv", name="fiscal", format="CSV")
    assert resource["url_type"] == "upload"
    assert resource["url"].endswith("/download/fiscal.csv")


def test_a_link_stored_before_is_shown_as_text_never_as_a_link(app, org):
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="stored-before", reference_url_catalog="https://data.mof.go.th/x",
        resources=[{"url": "https://data.mof.go.th/a.csv", "name": "fiscal"}]))
    hostile = "javascript:alert(document.cookie)"
    package = model.Package.get(dataset["id"])
    # extras are rows before CKAN 2.12 and a column since: the whole mapping writes either
    package.extras = dict(package.extras, reference_url_catalog=hostile)
    model.Session.execute(model.resource_table.update().where(
        model.resource_table.c.id == dataset["resources"][0]["id"]).values(url=hostile))
    model.Session.commit()
    search.rebuild(dataset["id"])
    pages = [app.get("/en/dataset/stored-before").get_data(as_text=True),
             app.get("/en/dataset/stored-before/resource/%s"
                     % dataset["resources"][0]["id"]).get_data(as_text=True)]
    assert hostile in pages[0] and hostile in pages[1]  # shown, as text
    for html in pages:
        assert 'href="javascript:' not in html.lower()

