"""thai_gdc's private resources (``resource_private`` "True") reach only the dataset's editors."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

PUBLIC_NAME, PRIVATE_NAME = "จำนวนเจ้าหน้าที่รายกอง", "ทะเบียนรายบุคคลลับ"


@pytest.fixture
def catalog(clean_db):
    """A public dataset with a public and a private resource; an editor of its
    organisation, a plain member and an outsider, each with an API token."""
    users = {role: factories.User() for role in ("editor", "member", "outsider")}
    org = factories.Organization(users=[
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["member"]["name"], "capacity": "member"}])
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="officers", resources=[
            {"name": PUBLIC_NAME, "url": "https://data.mof.go.th/count.csv",
             "resource_private": "False"},
            {"name": PRIVATE_NAME, "url": "https://data.mof.go.th/people.csv",
             "resource_private": "True"}]))
    tokens = {role: helpers.call_action("api_token_create", context={"user": u["name"]},
                                        user=u["name"], name="t")["token"]
              for role, u in users.items()}
    tokens["anonymous"] = None
    return {"dataset": dataset, "tokens": tokens,
            "ids": {r["name"]: r["id"] for r in dataset["resources"]}}


def get(app, url, token):
    return app.get(url, headers={"Authorization": token} if token else {})


def resource_names(app, catalog, role):
    token = catalog["tokens"][role]
    shown = get(app, "/api/3/action/package_show?id=officers", token).json["result"]
    found = get(app, "/api/3/action/package_search?" + urlencode({"fq": "name:officers"}),
                token).json["result"]["results"]
    return ([r["name"] for r in shown["resources"]], shown["num_resources"],
            [r["name"] for r in found[0]["resources"]])


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member"])
def test_who_may_not_edit_gets_no_private_resource_from_the_api(app, catalog, role):
    assert resource_names(app, catalog, role) == ([PUBLIC_NAME], 1, [PUBLIC_NAME])


def test_an_editor_gets_every_resource_from_the_api(app, catalog):
    both = [PUBLIC_NAME, PRIVATE_NAME]
    assert resource_names(app, catalog, "editor") == (both, 2, both)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member"])
def test_who_may_not_edit_cannot_open_or_download_a_private_resource(app, catalog, role):
    token = catalog["tokens"][role]
    private, public = catalog["ids"][PRIVATE_NAME], catalog["ids"][PUBLIC_NAME]
    page = "/dataset/officers/resource/%s"
    assert get(app, page % public, token).status_code == 200
    assert get(app, page % private, token).status_code in (403, 404)
    assert get(app, (page + "/download") % private, token).status_code in (403, 404)
    dataset_page = get(app, "/dataset/officers", token).get_data(as_text=True)
    assert PUBLIC_NAME in dataset_page and PRIVATE_NAME not in dataset_page


def test_an_editor_opens_a_private_resource_and_sees_it_marked(app, catalog):
    token = catalog["tokens"]["editor"]
    response = get(app, "/th/dataset/officers/resource/%s" % catalog["ids"][PRIVATE_NAME],
                   token)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert PRIVATE_NAME in page and "ส่วนตัว" in page


def test_a_value_off_the_list_is_refused_naming_the_field(catalog):
    dataset = catalog["dataset"]
    with pytest.raises(helpers.logic.ValidationError) as refused:
        helpers.call_action("resource_patch", id=dataset["resources"][0]["id"],
                            resource_private="ใช่")
    assert "การเข้าถึง" in str(refused.value.error_dict)
