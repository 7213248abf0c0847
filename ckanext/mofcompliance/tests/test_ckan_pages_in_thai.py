"""CKAN's own pages under /th/ and /en/: what CKAN's Thai catalog lacks or CKAN writes in
English only (the front page's search, the footer, the follow button, the error pages) is
in the page's language, and the extension's pages carry no empty tab bar."""
import pytest

from ckan.tests import factories

from ckanext.mofcompliance.tests.factories import complete_dataset

pytestmark = [pytest.mark.usefixtures("clean_db"),
              pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")]


def test_the_front_page_footer_and_follow_button_speak_thai(app):
    org = factories.Organization(name="mof-ops")
    dataset = factories.Dataset(**complete_dataset(org["id"]))
    user = {"Authorization": factories.UserWithToken()["token"]}
    front = app.get("/th/", headers=user).get_data(as_text=True)
    for thai, english in (("ค้นหาข้อมูล<", "Search data<"), ("ขับเคลื่อนโดย", "Powered by"),
                          ("ข้ามไปยังเนื้อหาหลัก", "Skip to main content"),
                          ('aria-label="ค้นหาชุดข้อมูล"', 'aria-label="Search datasets"'),
                          ('placeholder="เช่น', 'placeholder="E.g.')):
        assert thai in front and english not in front
    page = app.get("/th/dataset/" + dataset["name"], headers=user).get_data(as_text=True)
    assert "</i> ติดตาม</a>" in page and "</i> Follow</a>" not in page
    english = app.get("/en/dataset/" + dataset["name"], headers=user).get_data(as_text=True)
    assert "</i> Follow</a>" in english


def test_the_dataset_forms_buttons_speak_thai(app):
    """CKAN 2.12's "Unpublish" (the edit form) and "Publish" (a draft's resource form), which
    its Thai catalog leaves in English; CKAN 2.11 has neither button."""
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    active = factories.Dataset(**complete_dataset(org["id"]))
    draft = factories.Dataset(**complete_dataset(org["id"], state="draft"))
    headers = {"Authorization": user["token"]}
    edit = app.get("/th/dataset/edit/" + active["name"], headers=headers).get_data(as_text=True)
    add = app.get("/th/dataset/%s/resource/new" % draft["name"], headers=headers).get_data(
        as_text=True)
    assert "Unpublish</button>" not in edit and "Publish</button>" not in add
    if "go-metadata-unpublish" in edit:
        assert "ยกเลิกการเผยแพร่</button>" in edit and "เผยแพร่</button>" in add


def test_error_pages_name_the_error_in_the_pages_language(app):
    user = {"Authorization": factories.UserWithToken()["token"]}
    forbidden = app.get("/th/ckan-admin", headers=user, status=403).get_data(as_text=True)
    assert "403 ไม่ได้รับอนุญาต" in forbidden and "Forbidden" not in forbidden
    missing = app.get("/th/dataset/no-such-dataset", status=404).get_data(as_text=True)
    assert "404 ไม่พบหน้าที่ต้องการ" in missing and "Not Found" not in missing
    assert "403 Forbidden" in app.get("/en/ckan-admin", headers=user, status=403).get_data(
        as_text=True)


def test_the_extensions_pages_have_no_empty_tab_bar(app):
    factories.Organization(name="mof-ops")
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    for url in ("/compliance/", "/compliance/mof-ops", "/organization/mof-ops/nso-import"):
        html = app.get("/en" + url, headers=sysadmin).get_data(as_text=True)
        assert "page-header" not in html and "mofcompliance-page" in html, url
