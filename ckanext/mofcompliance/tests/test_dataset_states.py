"""Every page and action of the extension answers for a draft dataset, one without an
organisation, a deleted one, a private one and one whose organisation was deleted: the
dataset is found in whatever state it is, and who may read it is ``package_show``'s
answer. Never an HTTP 500, never "organisation not found" for a dataset."""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

# Without an organisation a dataset cannot be saved in strict mode.
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
KINDS = ("draft", "no-organisation", "private", "deleted", "organisation-deleted")


@pytest.fixture
def steward(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
    return dict(user, org=org)


def _dataset(steward, kind):
    """A dataset of this kind, created by the steward through the API."""
    owner = None if kind == "no-organisation" else steward["org"]["id"]
    if kind == "organisation-deleted":
        owner = factories.Organization(
            users=[{"name": steward["name"], "capacity": "admin"}])["id"]
    dataset = helpers.call_action(
        "package_create", {"user": steward["name"]},
        **complete_dataset(owner, state="draft" if kind == "draft" else "active",
                           private=kind == "private"))
    if kind == "deleted":
        helpers.call_action("package_delete", id=dataset["id"])
    if kind == "organisation-deleted":
        helpers.call_action("organization_delete", id=owner)
    return dataset


@pytest.mark.parametrize("kind", KINDS)
def test_the_dataset_pages_open_for_its_steward(app, steward, kind):
    name = _dataset(steward, kind)["name"]
    sysadmin = factories.SysadminWithToken()
    for user in (steward, sysadmin):
        for url in ("/dataset/" + name, "/th/dataset/" + name, "/dataset/edit/" + name):
            app.get(url, headers={"Authorization": user["token"]}, status=200)


def test_a_deleted_organisation_offers_no_kpi_page(app, steward):
    """CKAN 2.11 keeps a deleted organisation's id in its datasets' ``owner_org`` (2.12
    clears it): the dataset's page links no KPI page (it was a 500), nor does the deleted
    organisation's own page (sysadmins still open it)."""
    dataset = _dataset(steward, "organisation-deleted")
    headers = {"Authorization": steward["token"]}
    page = app.get("/dataset/" + dataset["name"], headers=headers, status=200).body
    assert "mofcompliance-kpi-link" not in page
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    page = app.get("/organization/" + dataset["owner_org"], headers=sysadmin, status=200).body
    assert "mofcompliance-kpi-link" not in page
    live = app.get("/dataset/" + _dataset(steward, "private")["name"], headers=headers).body
    assert 'class="mofcompliance-kpi-link" href="/compliance/%s"' % steward["org"]["name"] in live


@pytest.mark.parametrize("kind", KINDS)
def test_the_dataset_actions_answer_for_it(app, steward, kind):
    name = _dataset(steward, kind)["name"]
    headers = {"Authorization": steward["token"]}
    for action in ("mofcompliance_quality_show", "mofcompliance_resource_checks",
                   "mofcompliance_dataset_report", "mofcompliance_resource_check_now"):
        app.post("/api/3/action/" + action, json={"id": name}, headers=headers, status=200)
    grade = helpers.call_action("mofcompliance_quality_show", {"user": steward["name"]}, id=name)
    assert grade["name"] == name


def test_an_outsider_is_still_refused_a_draft(app, steward):
    name = _dataset(steward, "draft")["name"]
    outsider = factories.UserWithToken()
    app.post("/api/3/action/mofcompliance_quality_show", json={"id": name},
             headers={"Authorization": outsider["token"]}, status=403)


def test_the_dashboards_open_beside_them(app, steward):
    for kind in KINDS:
        _dataset(steward, kind)
    org = steward["org"]["name"]
    for url in ("/compliance/", "/compliance/?quality=1", "/compliance/" + org,
                "/compliance/%s/report" % org, "/compliance/export.csv",
                "/compliance/%s/export.xlsx" % org, "/dashboard/compliance",
                "/dashboard/datasets", "/organization/" + org):
        app.get(url, headers={"Authorization": steward["token"]}, status=200)
