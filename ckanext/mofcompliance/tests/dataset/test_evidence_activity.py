"""The audit trail of the KPI's evidence: a change to the plan, a use case added or deleted
and a GD Catalog registration state each write a CKAN activity record (who, when, what
changed), shown in the organisation's activity stream and on the dashboard."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from ckanext.activity.model import Activity

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.mofcompliance.dataset import evidence_activity
from ckanext.mofcompliance.tests.factories import complete_dataset

PLUGINS = "activity mofcompliance scheming_datasets mofcompliance_pgsearch mofcompliance_gdcatalog"
PLAN = {"focus_area": "1", "issue": "fiscal balance", "intended_use": "monthly briefing",
        "expected_user_agencies": "FPO, BOT", "catalog_url": "https://data.mof.go.th"}
USE_CASE = {"dataset": "fiscal-balance", "link": "https://data.mof.go.th/report",
            "change": "briefs use the data", "result": "two days saved"}
with_activity = pytest.mark.ckan_config("ckan.plugins", PLUGINS)


@pytest.fixture
def agency(activity_tables) -> dict[str, Any]:
    """An organisation, its admin (who acts) and a public and a private dataset."""
    admin = factories.UserWithToken(name="kanda", fullname="Kanda Srisuk")
    org = factories.Organization(name="mof-ops", title="Office of the Permanent Secretary",
                                 users=[{"name": admin["name"], "capacity": "admin"}])
    context = {"user": admin["name"]}
    public = helpers.call_action("package_create", context=dict(context),
                                 **complete_dataset(org["id"], name="fiscal"))
    private = helpers.call_action("package_create", context=dict(context),
                                  **complete_dataset(org["id"], name="payroll", private=True))
    return {"admin": admin, "org": org, "public": public, "private": private}


def as_admin(agency: dict[str, Any]) -> dict[str, Any]:
    return {"user": agency["admin"]["name"], "ignore_auth": False}


def org_stream(agency: dict[str, Any], user: str | None = None) -> list[dict[str, Any]]:
    """The organisation's stream as ``user`` reads it ("": anonymous; by default its admin)."""
    reader = agency["admin"]["name"] if user is None else user
    return helpers.call_action("organization_activity_list",
                               context={"user": reader, "ignore_auth": False},
                               id=agency["org"]["id"])


def of_type(activities: list[dict[str, Any]], activity_type: str) -> list[dict[str, Any]]:
    return [a for a in activities if a["activity_type"] == activity_type]


@with_activity
def test_a_plan_change_records_who_when_and_each_changed_field(agency):
    before = datetime.utcnow() - timedelta(seconds=1)
    helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                        owner="mof-ops", **PLAN)
    helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                        owner="mof-ops", **dict(PLAN, issue="cash balance"))
    [second, first] = of_type(org_stream(agency), evidence_activity.PLAN_CHANGED)
    assert first["user_id"] == second["user_id"] == agency["admin"]["id"]
    assert first["object_id"] == agency["org"]["id"]
    assert datetime.fromisoformat(first["timestamp"]) > before
    assert [c["field"] for c in first["data"]["changes"]] == list(PLAN)
    assert second["data"]["changes"] == [
        {"field": "issue", "old": "fiscal balance", "new": "cash balance"}]


@with_activity
def test_saving_the_same_plan_again_records_nothing(agency):
    for _ in range(2):
        helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                            owner="mof-ops", **PLAN)
    assert len(of_type(org_stream(agency), evidence_activity.PLAN_CHANGED)) == 1


@with_activity
def test_use_cases_added_and_deleted_are_recorded_with_what_they_said(agency):
    created = helpers.call_action("mofcompliance_use_case_create", context=as_admin(agency),
                                  owner="mof-ops", **USE_CASE)
    helpers.call_action("mofcompliance_use_case_delete", context=as_admin(agency),
                        id=created["id"])
    stream = org_stream(agency)
    [added] = of_type(stream, evidence_activity.USE_CASE_ADDED)
    [deleted] = of_type(stream, evidence_activity.USE_CASE_DELETED)
    for record in (added, deleted):
        assert record["user_id"] == agency["admin"]["id"]
        assert record["data"]["use_case"]["id"] == created["id"]
        assert record["data"]["use_case"]["link"] == USE_CASE["link"]


@with_activity
def test_a_registration_state_is_recorded_on_its_dataset_with_the_previous_state(agency):
    for state in ("VALIDATE", "COMPLETED", "COMPLETED"):
        helpers.call_action("mofcompliance_registration_update", context=as_admin(agency),
                            id="fiscal", state=state)
    records = of_type(org_stream(agency), evidence_activity.REGISTRATION_CHANGED)
    assert [(r["data"]["previous"] or {}).get("key") for r in records] == ["VALIDATE", None]
    assert [r["data"]["state"]["key"] for r in records] == ["COMPLETED", "VALIDATE"]
    assert {r["object_id"] for r in records} == {agency["public"]["id"]}
    assert {r["user_id"] for r in records} == {agency["admin"]["id"]}
    assert records[0]["data"]["source"] == "action"
    assert of_type(helpers.call_action("package_activity_list", id="fiscal"),
                   evidence_activity.REGISTRATION_CHANGED) == records


@with_activity
def test_a_private_dataset_s_registration_is_shown_only_to_those_who_read_it(agency):
    helpers.call_action("mofcompliance_registration_update", context=as_admin(agency),
                        id="payroll", state="WAIT")
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("package_activity_list",
                            context={"user": outsider["name"], "ignore_auth": False},
                            id="payroll")
    assert of_type(org_stream(agency, outsider["name"]),
                   evidence_activity.REGISTRATION_CHANGED) == []
    records = of_type(helpers.call_action("package_activity_list",
                                          context=as_admin(agency), id="payroll"),
                      evidence_activity.REGISTRATION_CHANGED)
    if not hasattr(Activity, "permission_labels"):
        # CKAN 2.10's activities carry no labels: nothing is recorded about a private dataset
        assert records == []
        return
    [record] = records
    assert record["permission_labels"] == ["member-%s" % agency["org"]["id"]]


@with_activity
def test_the_records_are_on_the_acting_user_s_dashboard(agency):
    helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                        owner="mof-ops", **PLAN)
    helpers.call_action("mofcompliance_registration_update", context=as_admin(agency),
                        id="fiscal", state="COMPLETED")
    dashboard = helpers.call_action("dashboard_activity_list",
                                    context={"user": agency["admin"]["name"]})
    assert {evidence_activity.PLAN_CHANGED, evidence_activity.REGISTRATION_CHANGED} <= \
        {a["activity_type"] for a in dashboard}


@with_activity
def test_a_registration_listing_imported_by_command_is_recorded_as_the_site_user(agency):
    """Commands and the status API's job act as the site user, whose activity CKAN hides
    from the streams (``ckan.hide_activity_from_users``) but keeps."""
    from ckanext.activity.model import Activity
    from ckanext.mofcompliance.harvest import registration
    registration.store({agency["public"]["id"]: "APPROVAL"}, "csv")
    model.Session.commit()
    site_user = model.User.get(helpers.call_action("get_site_user")["name"])
    [record] = model.Session.query(Activity).filter_by(
        object_id=agency["public"]["id"], activity_type=evidence_activity.REGISTRATION_CHANGED)
    assert record.user_id == site_user.id and record.data["source"] == "csv"
    assert record.data["state"]["key"] == "APPROVAL"


@with_activity
@pytest.mark.parametrize("locale, texts", [
    ("en", ["Kanda Srisuk changed the data use plan of", "Issue: fiscal balance → cash balance",
            "Kanda Srisuk added a use of open data to",
            "Kanda Srisuk changed the GD Catalog registration of"]),
    ("th", ["Kanda Srisuk แก้ไขแผนการใช้ประโยชน์ข้อมูลของ", "ประเด็น", "fiscal balance → cash balance",
            "Kanda Srisuk เพิ่มหลักฐานการใช้ประโยชน์ข้อมูลเปิดของ",
            "Kanda Srisuk เปลี่ยนสถานะการลงทะเบียนใน GD Catalog ของ"]),
])
def test_the_organisation_s_activity_page_reads_each_record_in_the_page_language(
        app, agency, locale, texts):
    context = as_admin(agency)
    for issue in ("fiscal balance", "cash balance"):
        helpers.call_action("mofcompliance_plan_update", context=dict(context),
                            owner="mof-ops", **dict(PLAN, issue=issue))
    helpers.call_action("mofcompliance_use_case_create", context=dict(context),
                        owner="mof-ops", **USE_CASE)
    for state in ("VALIDATE", "COMPLETED"):
        helpers.call_action("mofcompliance_registration_update", context=dict(context),
                            id="fiscal", state=state)
    page = app.get("/%s/organization/activity/mof-ops" % locale,
                   headers={"Authorization": agency["admin"]["token"]})
    text = " ".join(re.sub(r"<[^>]+>", " ", page.body).split())
    for expected in texts:
        assert expected in text


def _evidence(activities: list[dict[str, Any]]) -> set[str]:
    return {a["activity_type"] for a in activities} & evidence_activity.KPI_EVIDENCE_TYPES


@with_activity
@pytest.mark.parametrize("public_dashboard", [False, True])
def test_the_plan_and_use_cases_are_shown_to_those_who_read_the_kpi(
        app, agency, ckan_config, monkeypatch, public_dashboard):
    """The plan and use cases are the KPI's evidence: an outsider reads them in the activity
    streams only when the dashboard is public, as on the KPI page; a member always."""
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.public_dashboard", public_dashboard)
    helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                        owner="mof-ops", **PLAN)
    helpers.call_action("mofcompliance_use_case_create", context=as_admin(agency),
                        owner="mof-ops", **USE_CASE)
    helpers.call_action("mofcompliance_registration_update", context=as_admin(agency),
                        id="fiscal", state="COMPLETED")
    outsider, member = factories.User(), factories.User()
    helpers.call_action("organization_member_create", id="mof-ops", username=member["name"],
                        role="member")
    every = {evidence_activity.PLAN_CHANGED, evidence_activity.USE_CASE_ADDED}
    expected = every if public_dashboard else set()
    for user in ("", outsider["name"]):
        context = {"user": user, "ignore_auth": False}
        assert _evidence(org_stream(agency, user)) == expected
        assert _evidence(helpers.call_action("user_activity_list", context=dict(context),
                                             id=agency["admin"]["id"])) == expected
        assert of_type(org_stream(agency, user), evidence_activity.REGISTRATION_CHANGED)
    assert _evidence(org_stream(agency, member["name"])) == every
    page = app.get("/en/organization/activity/mof-ops").body
    assert ("changed the data use plan of" in page) is public_dashboard


@with_activity
def test_the_compliance_page_lists_the_latest_evidence_records(app, agency):
    admin = factories.SysadminWithToken(name="somchai", fullname="Somchai Jaidee")
    helpers.call_action("mofcompliance_plan_update", context={"user": admin["name"]},
                        owner="mof-ops", **PLAN)
    page = app.get("/en/compliance/mof-ops", headers={"Authorization": admin["token"]})
    text = " ".join(re.sub(r"<[^>]+>", " ", page.body).split())
    assert "Changes to the evidence" in text
    assert "Somchai Jaidee changed the data use plan of Office of the Permanent Secretary" in text
    assert "Issue: — → fiscal balance" in text


@with_activity
@pytest.mark.parametrize("public_dashboard", [False, True])
def test_the_compliance_page_reads_the_records_the_stream_shows_each_reader(
        agency, ckan_config, monkeypatch, public_dashboard):
    """The page reads the plugin's query without the stream action (and its lookup of the
    organisation): what it lists is what the stream lists, for its admin, a member, an
    outsider and an anonymous reader."""
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.public_dashboard", public_dashboard)
    helpers.call_action("mofcompliance_plan_update", context=as_admin(agency),
                        owner="mof-ops", **PLAN)
    helpers.call_action("mofcompliance_use_case_create", context=as_admin(agency),
                        owner="mof-ops", **USE_CASE)
    for name, state in (("fiscal", "COMPLETED"), ("payroll", "WAIT")):
        helpers.call_action("mofcompliance_registration_update", context=as_admin(agency),
                            id=name, state=state)
    member, outsider = factories.User(), factories.User()
    helpers.call_action("organization_member_create", id="mof-ops", username=member["name"],
                        role="member")
    org_id = agency["org"]["id"]
    shown = {}
    for user in (agency["admin"]["name"], member["name"], outsider["name"], ""):
        stream = helpers.call_action(
            "organization_activity_list", context={"user": user, "ignore_auth": False},
            id=org_id, activity_types=list(evidence_activity.EVIDENCE_TYPES), limit=5)
        shown[user] = [a["id"] for a in evidence_activity.latest(org_id, user)]
        assert shown[user] == [a["id"] for a in stream]
    # the plan, the use case and the public dataset's registration (an organisation's stream
    # leaves its private datasets' records out); an outsider reads the first two only when
    # the dashboard is public
    assert len(shown[agency["admin"]["name"]]) == 3
    assert len(shown[outsider["name"]]) == (3 if public_dashboard else 1)


@pytest.mark.ckan_config("ckan.plugins", "mofcompliance scheming_datasets mofcompliance_pgsearch")
def test_without_the_activity_plugin_nothing_is_recorded_and_the_page_says_nothing(app, clean_db):
    admin = factories.SysadminWithToken()
    factories.Organization(name="mof-ops")
    helpers.call_action("mofcompliance_plan_update", context={"user": admin["name"]},
                        owner="mof-ops", **PLAN)
    assert not evidence_activity.recording()
    page = app.get("/en/compliance/mof-ops", headers={"Authorization": admin["token"]})
    assert page.status_code == 200 and "Changes to the evidence" not in page.body
