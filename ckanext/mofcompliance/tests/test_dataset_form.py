"""The 14 items through the web form: the same validation as the API, shown per field."""
import re

import pytest

from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import COMPLETE_METADATA


@pytest.fixture
def editor(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"headers": {"Authorization": user["token"]}, "org": org}


def form_fields(**overrides):
    fields = {k: v for k, v in COMPLETE_METADATA.items() if k != "tags"}
    fields.update(tag_string="การคลัง,ดุลการคลัง", name="form-dataset", save="continue")
    fields.update(overrides)
    return fields


def post_new(app, editor, lang="", **overrides):
    url = "%s/dataset/new" % ("/" + lang if lang else "")
    page = app.get(url, headers=editor["headers"])
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    data = form_fields(owner_org=editor["org"]["id"], **overrides)
    if token:
        data["_csrf_token"] = token.group(1)
    return app.post(url, data=data, headers=editor["headers"], follow_redirects=False)


def test_the_thai_form_names_each_item_in_thai_only(app, editor):
    page = app.get("/th/dataset/new", headers=editor["headers"]).get_data(as_text=True)
    assert "ข้อ 5 อีเมลผู้ติดต่อ" in page
    assert "ข้อ 9.1 หน่วยความถี่ของการปรับปรุงข้อมูล" in page
    assert "ข้อมูลภูมิสารสนเทศเชิงพื้นที่" in page  # choices from the definition
    assert "คำอธิบายข้อมูลส่วนหลัก 14 รายการ" in page
    assert "รายการบังคับ นับในตัวชี้วัด" in page
    assert "Contact e-mail" not in page and "Contact Email" not in page
    assert "counted by the KPI" not in page
    assert "The 14 mandatory items" not in page


def test_the_english_form_names_each_item_in_english_only(app, editor):
    page = app.get("/en/dataset/new", headers=editor["headers"]).get_data(as_text=True)
    assert "Item 5 Contact e-mail" in page
    assert "Geospatial data" in page  # choices from the definition
    assert "The 14 mandatory items" in page
    assert "(mandatory, counted by the KPI)" in page
    assert "อีเมลผู้ติดต่อ" not in page


def test_a_bad_email_in_the_form_is_shown_on_its_field_and_nothing_is_saved(app, editor):
    response = post_new(app, editor, maintainer_email="policy-at-mof")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<span class="error-block">not a valid e-mail address</span>' in body
    assert helpers.call_action("package_search", include_private=True)["count"] == 0


def test_a_complete_form_is_saved_with_thai_gdc_values(app, editor):
    response = post_new(app, editor, last_updated_date="2567-01-31")
    assert response.status_code == 302, re.findall(r"error-block[^<]*<[^>]*>([^<]*)|<li data-field-label[^>]*>([^<]*)", response.get_data(as_text=True))
    saved = helpers.call_action("package_show", id="form-dataset")
    assert saved["objective"] == COMPLETE_METADATA["objective"]
    assert saved["last_updated_date"] == "2024-01-31"


def test_dates_are_shown_with_buddhist_era_years_in_thai(app, editor):
    post_new(app, editor, last_updated_date="2024-01-31")
    thai = app.get("/th/dataset/form-dataset", headers=editor["headers"]).get_data(as_text=True)
    assert "2567-01-31 (พ.ศ.)" in thai
    english = app.get("/dataset/form-dataset", headers=editor["headers"]).get_data(as_text=True)
    assert "2024-01-31" in english and "2567-01-31" not in english


@pytest.mark.parametrize("lang, summary, problem, other_language", [
    ("th", "ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง", "รูปแบบอีเมลไม่ถูกต้อง",
     "not a valid e-mail address"),
    ("en", "Item 5 Contact e-mail: not a valid e-mail address", "not a valid e-mail address",
     "รูปแบบอีเมลไม่ถูกต้อง")])
def test_a_field_error_is_said_once_in_the_page_language(app, editor, lang, summary, problem,
                                                         other_language):
    body = post_new(app, editor, lang, maintainer_email="policy-at-mof").get_data(as_text=True)
    summary_list = body[body.index("error-explanation"):]
    summary_list = summary_list[:summary_list.index("</ul>")]
    assert " ".join(summary_list.split()).count(summary) == 1
    # Under its field, whose label names it already: the problem alone.
    assert '<span class="error-block">%s</span>' % problem in body
    assert other_language not in body


def test_a_thai_only_title_is_saved_with_a_generated_url_name(app, editor):
    response = post_new(app, editor, "th", title="ดุลการคลังตามกระแสเงินสด", name="",
                        _ckan_phase="dataset_new_1")
    assert response.status_code == 302  # on to "Add data", saved as a draft
    dataset = helpers.call_action("package_search", include_private=True,
                                  include_drafts=True)["results"][0]
    assert re.fullmatch(r"dataset-[0-9a-f]{8}", dataset["name"])
    assert dataset["state"] == "draft"
    assert "/dataset/%s/resource/new" % dataset["name"] in response.headers["Location"]


def test_the_latin_words_of_a_title_make_its_url_name(editor):
    org = editor["org"]["id"]
    first = helpers.call_action("package_create", **dict(
        form_fields(owner_org=org, name="", title="GFS 2014 ดุลการคลัง"), tags=[]))
    second = helpers.call_action("package_create", **dict(
        form_fields(owner_org=org, title="GFS 2014 ดุลการคลัง"), name=None, tags=[]))
    assert first["name"] == "gfs-2014"
    assert re.fullmatch(r"gfs-2014-[0-9a-f]{6}", second["name"])


def test_an_existing_dataset_is_never_renamed_by_an_empty_name(editor):
    dataset = helpers.call_action("package_create", **form_fields(
        owner_org=editor["org"]["id"], name="kept-name"))
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("package_update", **dict(dataset, name=""))
    assert "name" in refused.value.error_dict
    assert helpers.call_action("package_show", id=dataset["id"])["name"] == "kept-name"
