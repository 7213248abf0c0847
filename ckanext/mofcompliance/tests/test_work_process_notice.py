"""A dataset the year's KPI may ignore until it is tied to a work process, or while it is a
draft, says so on its page, beside its missing items: filling them alone may not move the
score. Tied through the form, it moves the score."""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import MAPPED, WORKED_EXAMPLE_PLAN, complete_dataset
from ckanext.mofcompliance.tests.forms import form_data

NOTICE = {"en": "KPI counts datasets tied to a work process",
          "th": "ตัวชี้วัดปีนี้นับชุดข้อมูลที่ผูกกับกระบวนการทำงาน"}


@pytest.fixture
def editor(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return dict(user, org=org)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_an_unmapped_dataset_says_what_else_the_score_needs(app, editor, lang):
    unmapped = helpers.call_action("package_create", **complete_dataset(editor["org"]["id"]))
    mapped = helpers.call_action("package_create", **complete_dataset(
        editor["org"]["id"], **MAPPED))
    headers = {"Authorization": editor["token"]}
    page = app.get("/%s/dataset/%s" % (lang, unmapped["name"]), headers=headers).get_data(
        as_text=True)
    assert NOTICE[lang] in page
    assert "#field-kpi_main_process" in page
    page = app.get("/%s/dataset/%s" % (lang, mapped["name"]), headers=headers).get_data(
        as_text=True)
    assert NOTICE[lang] not in page


DRAFT = {"en": "This dataset is a draft: the KPI counts published datasets only",
         "th": "ชุดข้อมูลนี้ยังเป็นฉบับร่าง ตัวชี้วัดนับเฉพาะชุดข้อมูลที่เผยแพร่แล้ว"}


def _score(org_id: str) -> float:
    return helpers.call_action("mofcompliance_org_kpi", id=org_id)["kpi"]["score"]


def _save_form(app, headers, name: str, button: str, **fields: str) -> None:
    """The dataset's edit form submitted with ``fields`` changed, by the button whose value is
    ``button`` (CKAN 2.12's form has two named "save": "Update Dataset" and "Unpublish")."""
    data = form_data(app.get("/th/dataset/edit/" + name, headers=headers).get_data(as_text=True))
    data.update({key: [value] for key, value in fields.items()}, save=[button])
    app.post("/th/dataset/edit/" + name, data=data, headers=headers, follow_redirects=False,
             status=302)


def test_the_work_process_saved_through_the_form_moves_the_score(app, editor):
    """The journey's step without a browser (on CKAN 2.12 the journey had pressed
    "Unpublish", the first button named "save", and its draft was not counted)."""
    org_id = editor["org"]["id"]
    helpers.call_action("mofcompliance_plan_update", owner=org_id, **WORKED_EXAMPLE_PLAN)
    name = helpers.call_action("package_create", {"user": editor["name"]}, **complete_dataset(
        org_id, resources=[{"name": "tax", "url": "http://127.0.0.1/tax.csv", "format": "CSV"}]))["name"]
    before = _score(org_id)
    headers = {"Authorization": editor["token"]}
    _save_form(app, headers, name, "", **MAPPED)
    pkg = helpers.call_action("package_show", id=name)
    assert (pkg["state"], pkg["kpi_mission"]) == ("active", MAPPED["kpi_mission"])
    assert _score(org_id) > before


@pytest.mark.parametrize("lang", ["en", "th"])
def test_a_draft_says_the_score_does_not_count_it(app, editor, lang):
    org_id = editor["org"]["id"]
    helpers.call_action("mofcompliance_plan_update", owner=org_id, **WORKED_EXAMPLE_PLAN)
    draft = helpers.call_action("package_create", **complete_dataset(
        org_id, state="draft", **MAPPED))
    active = helpers.call_action("package_create", **complete_dataset(org_id, **MAPPED))
    headers = {"Authorization": editor["token"]}
    page = app.get("/%s/dataset/%s" % (lang, draft["name"]), headers=headers).get_data(
        as_text=True)
    assert DRAFT[lang] in page
    assert "/dataset/%s/resource/new" % draft["name"] in page
    page = app.get("/%s/dataset/%s" % (lang, active["name"]), headers=headers).get_data(
        as_text=True)
    assert DRAFT[lang] not in page
