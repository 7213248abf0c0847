"""Readers see labels in their language, never the engine's internal names: missing items,
the plan's missing parts, a criterion's evidence, the next steps, compared criteria, and
the exports' cells."""
import io
import re

import pytest
from openpyxl import load_workbook

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import MAPPED, complete_dataset

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
# snake_case words: field names, evidence keys, criterion ids
INTERNAL_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def visible_text(response):
    if response.headers.get("Content-Type", "").startswith("application/vnd.openxml"):
        book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return " ".join(str(c) for s in book for row in s.iter_rows(values_only=True)
                        for c in row if c is not None)
    page = response.get_data(as_text=True)
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"(?s)<[^>]*>", " ", page)


@pytest.fixture
def admin(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(name="mof-ops", users=[
        {"name": user["name"], "capacity": "admin"}])
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="missing-two", maintainer_email="", objective=[], **MAPPED))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="not-mapped", update_frequency_unit=""))
    helpers.call_action("mofcompliance_plan_update", owner="mof-ops", issue="ติดตามฐานะการคลัง")
    return user


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", ["/compliance/mof-ops", "/compliance/mof-ops?compare=fy2564",
                                  "/compliance/mof-ops/report", "/compliance/mof-ops/export.csv",
                                  "/compliance/mof-ops/export.xlsx", "/dataset/not-mapped",
                                  "/compliance/"])
def test_no_internal_name_is_shown(app, admin, lang, page):
    response = app.get("/%s%s" % (lang, page), headers={"Authorization": admin["token"]},
                       status=200)
    text = visible_text(response)
    assert INTERNAL_NAME.findall(text) == []
    if page == "/compliance/mof-ops":
        missing = ("ข้อ 5 อีเมลผู้ติดต่อ" if lang == "th" else "Item 5 Contact e-mail")
        assert missing in text
        scoring = ("วิธีคิดคะแนน: คะแนนตามค่าเฉลี่ยความครบถ้วน" if lang == "th"
                   else "scoring: by the mean completeness")
        assert scoring in text  # an evidence key and its value, both labelled


@pytest.mark.parametrize("lang, said", [
    ("en", "Not counted: these points count once"), ("th", "ยังไม่นับคะแนน")])
def test_a_criterion_row_says_which_gate_zeroed_it(app, clean_db, lang, said):
    user = factories.UserWithToken()
    org = factories.Organization(name="unmapped", users=[
        {"name": user["name"], "capacity": "admin"}])
    helpers.call_action("package_create", **complete_dataset(org["id"]))  # no work process
    page = visible_text(app.get("/%s/compliance/unmapped?profile=fy2565" % lang,
                                headers={"Authorization": user["token"]}, status=200))
    gate = "datasets tied to work processes" if lang == "en" else "กระบวนการทำงาน"
    sentence = page[page.index(said):]
    assert gate in sentence[:200]
