"""A dataset the year's KPI may ignore until it is tied to a work process says so on its
page, beside its missing items: filling them alone may not move the score."""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import MAPPED, complete_dataset

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
