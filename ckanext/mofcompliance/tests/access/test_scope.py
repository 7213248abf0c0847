"""Finding the organisation a request names, and checks made for the current user."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.mofcompliance.access import scope
from ckanext.mofcompliance.tests.statements import statements_during


@pytest.fixture
def agency(clean_db):
    admin, member = factories.User(), factories.User()
    org = factories.Organization(name="mof-ops", users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": member["name"], "capacity": "member"}])
    return {"org": org, "admin": admin["name"], "member": member["name"]}


def test_an_organisation_the_request_holds_is_found_by_id_without_a_statement(agency):
    record = scope.organization_record("mof-ops")
    found, sent = statements_during(lambda: scope.organization_of(record.id))
    assert found == {"id": agency["org"]["id"], "name": "mof-ops",
                     "title": agency["org"]["title"]}
    assert sent == []


@pytest.mark.parametrize("reference", ["", "no-such-org", "a-group", "closed-org"])
def test_only_an_active_organisation_is_found(agency, reference):
    factories.Group(name="a-group")
    closed = factories.Organization(name="closed-org")
    helpers.call_action("organization_delete", id=closed["id"])
    with pytest.raises(tk.ObjectNotFound):
        scope.organization_record(reference)


@pytest.mark.parametrize("who, may_edit_plan", [("admin", True), ("member", False),
                                               ("anonymous", False)])
def test_a_check_for_the_current_user_answers_as_check_access(app, agency, who,
                                                              may_edit_plan):
    org_id = agency["org"]["id"]
    headers = {}
    if who != "anonymous":  # the request's user, as CKAN finds it from an API token
        headers["Authorization"] = helpers.call_action(
            "api_token_create", context={"user": agency[who]}, user=agency[who],
            name="test")["token"]
    with app.flask_app.test_request_context(headers=headers):
        assert tk.current_user.is_authenticated is (who != "anonymous")
        assert scope.allowed("mofcompliance_plan_update", {"owner": org_id}) is may_edit_plan
        assert scope.allowed("mofcompliance_org_kpi", {"id": org_id}) is (who != "anonymous")
        assert tk.h.check_access("mofcompliance_plan_update",
                                 {"owner": org_id}) is may_edit_plan
