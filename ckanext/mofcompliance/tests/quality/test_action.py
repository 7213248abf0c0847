"""``mofcompliance_quality_show``: the NSO QC grade of a dataset, an organisation and the
site, from the stored checks, for the datasets the dashboard shows the user only.

Expected grades are worked out here from the rules (weights 20/20/15/20/25):
a complete dataset with a good CSV checked today scores 100 (A); one whose only CSV link
is dead keeps completeness 100 and timeliness 100 and loses the rest (validity is
0.7 x accessibility = 0): 20 + 20 = 40 (D).
"""
from datetime import datetime, timezone

import pytest

import ckan.logic as logic
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.quality import jobs, store
from ckanext.mofcompliance.tests.factories import complete_dataset

GOOD = {"outcome": "ok", "http_status": 200, "downloadable": True, "detected_format": "CSV",
        "format_matches": True, "encoding": "utf-8", "problems": [],
        "tabular": {"validated": True, "valid": True, "error_count": 0, "rows_checked": 2,
                    "errors": []}}
DEAD = {"outcome": "problem", "http_status": 404, "downloadable": False,
        "detected_format": None, "format_matches": None, "encoding": None, "tabular": None,
        "problems": [{"code": "dead-link", "detail": "HTTP 404"}]}


def checked(pkg, found):
    """Store ``found`` as the latest check of the dataset's first resource, and index the
    dataset again, as the checking job does."""
    res = pkg["resources"][0]
    result = {"resource_id": res["id"], "url": res["url"], "final_url": res["url"],
              "checked_at": datetime.now(timezone.utc).isoformat(), "ttfb_ms": 5.0,
              "size_bytes": 30, "truncated": False, "declared_format": "CSV", **found}
    store.save({"id": res["id"], "package_id": pkg["id"], "owner_org": pkg["owner_org"]}, result)
    jobs.reindex([pkg["id"]])
    model.Session.commit()


def dataset(org, name, **overrides):
    return helpers.call_action("package_create", **complete_dataset(
        org["id"], name=name, resources=[{"url": "http://data.example/%s.csv" % name,
                                          "format": "CSV", "name": name}], **overrides))


@pytest.fixture
def catalog(clean_db):
    member = factories.User()
    org = factories.Organization(name="mof-fiscal", users=[
        {"name": member["name"], "capacity": "editor"}])
    good = dataset(org, "good-fiscal")
    dead = dataset(org, "dead-fiscal")
    secret = dataset(org, "secret-fiscal", private=True)
    waiting = dataset(org, "waiting-fiscal")
    for pkg, found in ((good, GOOD), (dead, DEAD), (secret, DEAD)):
        checked(pkg, found)
    return {"org": org, "member": member, "good": good, "dead": dead, "secret": secret,
            "waiting": waiting}


def show(user=None, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("mofcompliance_quality_show", context, **data)


def test_a_dataset_graded_from_its_checks(catalog):
    good = show(catalog["member"], id=catalog["good"]["name"])
    # complete in thai_gdc's fields; NSO does not read update_frequency_unit: 3 points lost
    assert (good["score"], good["letter"]) == (97.0, "A")
    assert [p["code"] for p in good["lost"]] == ["nso-does-not-read-update-frequency"]
    dead = show(catalog["member"], id=catalog["dead"]["id"])
    assert (dead["score"], dead["letter"]) == (37.0, "F")
    assert dead["dimensions"] == {"completeness": 85.0, "timeliness": 100.0,
                                  "accessibility": 0.0, "machine_readable": 0.0,
                                  "validity": 0.0}
    not_downloadable = next(p for p in dead["lost"] if p["code"] == "not-downloadable")
    assert not_downloadable["found"] == (
        "dead-fiscal could not be downloaded (the link answers with an error).")
    assert not_downloadable["to_do"] == (
        "Fix the link of dead-fiscal so that it serves the file itself.")


def test_a_dataset_never_checked_is_ungraded_and_says_why(catalog):
    waiting = show(catalog["member"], id=catalog["waiting"]["id"])
    assert (waiting["score"], waiting["letter"]) == (None, None)
    assert waiting["ungraded"]["found"] == "The dataset's resources have not been checked yet."


def test_an_organisation_grade_covers_what_the_member_reads(catalog):
    answer = show(catalog["member"], id="mof-fiscal")
    rows = {d["name"]: d["letter"] for d in answer["datasets"]}
    assert rows == {"good-fiscal": "A", "dead-fiscal": "F", "secret-fiscal": "F",
                    "waiting-fiscal": None}
    grade = answer["grade"]
    # mean of 97, 37, 37 -> 57 (D); the waiting dataset is ungraded
    assert (grade["score"], grade["letter"], grade["graded"]) == (57.0, "D", 3)
    assert grade["distribution"] == {"A": 1, "B": 0, "C": 0, "D": 0, "F": 2, "ungraded": 1}
    top = grade["problems"][0]
    # every graded dataset loses 3 points NSO does not read (the waiting one is not graded
    # yet: its problems count once it is); the dead links cost validity 25 points, machine
    # readability 20, accessibility 15
    assert [(p["code"], p["datasets"], p["points"]) for p in grade["problems"]] == [
        ("nso-does-not-read-update-frequency", 3, 9.0), ("nothing-validated", 2, 50.0),
        ("unreachable-not-machine-readable", 2, 40.0), ("not-downloadable", 2, 30.0)]
    assert top["label"] == "Update frequency not read by NSO"


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_outsiders_never_see_a_private_dataset(catalog):
    outsider = factories.User()
    for user in (None, outsider):
        answer = show(user, id=catalog["org"]["id"])
        assert {d["name"] for d in answer["datasets"]} == {
            "good-fiscal", "dead-fiscal", "waiting-fiscal"}
        assert answer["grade"]["distribution"]["F"] == 1
        site = show(user)
        assert site["grade"]["datasets"] == 3
        assert "secret-fiscal" not in str(site)
        with pytest.raises(logic.NotAuthorized):
            show(user, id=catalog["secret"]["id"])


def test_without_the_public_dashboard_outsiders_are_refused(catalog):
    outsider = factories.User()
    with pytest.raises(logic.NotAuthorized):
        show(outsider, id="mof-fiscal")
    with pytest.raises(logic.NotAuthorized):
        show(outsider)


def test_the_site_grade_and_its_distribution(catalog):
    sysadmin = factories.Sysadmin()
    other = factories.Organization(name="mof-other")
    checked(dataset(other, "other-good"), GOOD)
    site = show(sysadmin)
    assert site["grade"]["distribution"] == {"A": 2, "B": 0, "C": 0, "D": 0, "F": 2,
                                             "ungraded": 1}
    # mean of 97, 37, 37, 97
    assert (site["grade"]["score"], site["grade"]["letter"]) == (67.0, "C")
    by_org = {o["name"]: o["grade"]["letter"] for o in site["organizations"]}
    assert by_org == {"mof-fiscal": "D", "mof-other": "A"}


def test_lost_points_in_thai_under_th(app, catalog):
    sysadmin = factories.Sysadmin()
    answer = app.get("/th/api/3/action/mofcompliance_quality_show",
                     query_string={"id": catalog["dead"]["id"]},
                     headers={"Authorization": factories.APIToken(user=sysadmin["name"])[
                         "token"]}).json["result"]
    point = next(p for p in answer["lost"] if p["code"] == "not-downloadable")
    assert point["found"].startswith("ดาวน์โหลด dead-fiscal ไม่ได้ (")
    assert answer["ungraded_reason"] is None
