"""End to end in a real headless Chromium: log in, open /compliance, read the level shown
(known in advance from a fixed catalog, not asked of the action the page renders) with no
JavaScript error in the console.

The catalog is served over HTTP on 127.0.0.1 by a real WSGI server in a thread. The
screenshot is written to ``test-output/compliance-dashboard.png``.
"""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

from .browser import PASSWORD, chromium, console_errors, log_in, screenshot


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
@pytest.mark.ckan_config("ckan.gravatar_default", "disabled")  # nothing off the machine
def test_an_evaluator_logs_in_and_sees_the_level(served_catalog, ckan_config, monkeypatch):
    # the pages' scripts load from the site URL: the served one, not test.ini's placeholder
    monkeypatch.setitem(ckan_config, "ckan.site_url", served_catalog)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    admin = factories.Sysadmin(password=PASSWORD, image_url="")
    org = factories.Organization(description="", name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง",
                                 image_url="")  # the factory's picture is off-machine
    for _ in range(3):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], kpi_mission="ภารกิจ", kpi_main_process="กระบวนการหลัก"))
    helpers.call_action("mofcompliance_plan_update", owner="", focus_area="1",
                        issue="ติดตามฐานะการคลัง", catalog_url="https://data.mof.go.th")
    # FY2565: 50 (plan and mapped datasets) + 15 (3 of 3 with all 14 items) + 10 (catalog
    # URL); no resource, so no open-data points, and no use case: 75, level 75.
    expected_score, expected_level = "75.0", "75"

    browser = chromium()
    try:
        log_in(browser, served_catalog, admin)
        assert console_errors(browser) == []
        browser.get(served_catalog + "/compliance/")
        level = WebDriverWait(browser, 30).until(
            lambda b: b.find_element(By.CSS_SELECTOR, "[data-kpi-level]"))
        screenshot(browser, "compliance-dashboard.png")
        assert level.text == expected_level
        score = browser.find_element(By.CSS_SELECTOR, ".mofcompliance-score strong")
        assert score.text == expected_score
        assert "สำนักงานปลัดกระทรวงการคลัง" in browser.page_source
        assert console_errors(browser) == []
    finally:
        browser.quit()
