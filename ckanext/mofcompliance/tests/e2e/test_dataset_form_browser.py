"""The dataset form in a real headless Chromium: fields appear as the steward chooses.

Before a data type is chosen the form shows the 14 items and a folded list of optional
fields; choosing a type shows its own fields, choosing อื่นๆ shows its "please specify"
box, and a wrong value comes back with the Thai message. Any JavaScript error in the
console fails the test. Full-page screenshots go to ``test-output/``.
"""
from __future__ import annotations

from typing import Any

import pytest

from ckan.tests import factories

from .browser import PASSWORD, chromium, console_errors, log_in, screenshot

# The form was 5,800 px tall before a type was chosen, every data type's fields and every
# "please specify" box open; the 14 items and the work process the KPI counts by, folded
# optional fields after them, fit in about half of that.
FORM_HEIGHT_BEFORE_A_TYPE_MAX = 3100


def _scripts_ran(browser: Any) -> bool:
    """The form's module has started (CKAN starts modules once its translations load)."""
    return browser.execute_script(
        "return !!document.querySelector('#dataset-edit .mofcompliance-scripted')")


def _form_height(browser: Any) -> float:
    return browser.execute_script(
        "return document.getElementById('dataset-edit').getBoundingClientRect().height")


@pytest.fixture
def steward() -> dict[str, Any]:
    user = factories.User(password=PASSWORD, image_url="")
    # No picture: the page would fetch the factory's made-up address from the internet.
    factories.Organization(description="", users=[{"name": user["name"], "capacity": "editor"}],
                           image_url="")
    return user


@pytest.mark.ckan_config("ckan.gravatar_default", "disabled")  # no picture from the internet
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_form_opens_fields_as_the_steward_chooses(site, steward, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    browser = chromium()
    try:
        log_in(browser, site, steward)
        browser.get("%s/%s/dataset/new" % (site, lang))
        field = lambda name: browser.find_element(By.ID, "field-" + name)  # noqa: E731
        WebDriverWait(browser, 30).until(_scripts_ran)
        height_before = _form_height(browser)
        screenshot(browser, "dataset-form-%s-1-new.png" % lang)
        print("form height before a type: %.0f px" % height_before)
        assert height_before < FORM_HEIGHT_BEFORE_A_TYPE_MAX
        assert not field("first_year_of_data").is_displayed()
        assert field("maintainer_email").is_displayed()
        assert not field("equivalent_scale").is_displayed()
        assert not field("geo_coverage_other").is_displayed()

        Select(field("data_type")).select_by_value("ข้อมูลสถิติ")
        WebDriverWait(browser, 10).until(lambda b: field("first_year_of_data").is_displayed())
        assert not field("equivalent_scale").is_displayed()  # a GIS field
        Select(field("geo_coverage")).select_by_value("อื่นๆ")
        WebDriverWait(browser, 10).until(lambda b: field("geo_coverage_other").is_displayed())
        assert not field("data_language_other").is_displayed()
        screenshot(browser, "dataset-form-%s-2-statistical.png" % lang)
        print("form height with a statistical type: %.0f px" % _form_height(browser))

        field("maintainer_email").send_keys("policy-at-mof")
        save = browser.find_element(By.CSS_SELECTOR, "#dataset-edit button[name='save']")
        browser.execute_script("arguments[0].click()", save)  # off the window: no pointer
        WebDriverWait(browser, 30).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, ".error-explanation, .error-block"))
        # Said once, in the page's language: under its field the problem alone.
        problem, other = (("รูปแบบอีเมลไม่ถูกต้อง", "not a valid e-mail address") if lang == "th"
                          else ("not a valid e-mail address", "รูปแบบอีเมลไม่ถูกต้อง"))
        assert '<span class="error-block">%s</span>' % problem in browser.page_source
        assert other not in browser.page_source
        # The page that comes back keeps what was chosen open.
        assert field("first_year_of_data").is_displayed()
        assert field("geo_coverage_other").is_displayed()
        screenshot(browser, "dataset-form-%s-3-error.png" % lang)
        assert console_errors(browser) == []
    finally:
        browser.quit()


@pytest.mark.ckan_config("ckan.gravatar_default", "disabled")
def test_without_scripts_every_field_can_be_filled(site, steward):
    from selenium.webdriver.common.by import By
    browser = chromium(javascript=False)
    try:
        log_in(browser, site, steward)
        browser.get(site + "/th/dataset/new")
        for name in ("first_year_of_data", "equivalent_scale", "geo_coverage_other",
                     "data_type_other", "maintainer_email"):
            assert browser.find_element(By.ID, "field-" + name).is_displayed(), name
        screenshot(browser, "dataset-form-th-no-script.png")
    finally:
        browser.quit()


@pytest.mark.ckan_config("ckan.gravatar_default", "disabled")
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_dataset_page_opens_with_the_14_items(site, steward, lang):
    from selenium.webdriver.common.by import By
    from ckan.tests import helpers
    from ckanext.mofcompliance.tests.factories import complete_dataset
    org = helpers.call_action("organization_list_for_user", id=steward["name"])[0]
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], geo_coverage="อื่นๆ", geo_coverage_other="ลุ่มน้ำเจ้าพระยา",
        unit_of_measure="ล้านบาท"))
    browser = chromium()
    try:
        browser.get("%s/%s/dataset/%s" % (site, lang, dataset["name"]))
        rows = [row.get_attribute("data-field")
                for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-field]")]
        screenshot(browser, "dataset-page-%s.png" % lang)
        assert rows[0] == "data_type" and rows[-1] == "unit_of_measure"
        assert "ลุ่มน้ำเจ้าพระยา" in browser.find_element(
            By.CSS_SELECTOR, "tr[data-field='geo_coverage']").text
        assert console_errors(browser) == []
    finally:
        browser.quit()
