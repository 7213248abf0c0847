"""End to end in a real headless Chromium: log in, open /compliance, read the level shown.

The catalog is served over HTTP on 127.0.0.1 by a real WSGI server in a thread. The
screenshot is written to ``test-output/compliance-dashboard.png``.
"""
import os
import shutil
from pathlib import Path

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

OUTPUT = Path(__file__).resolve().parents[4] / "test-output"
PASSWORD = "correct-horse-battery-staple"


def _browser():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run does)")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1600"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_an_evaluator_logs_in_and_sees_the_level(served_catalog):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    admin = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง")
    for _ in range(3):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], kpi_mission="ภารกิจ", kpi_main_process="กระบวนการหลัก"))
    helpers.call_action("mofcompliance_plan_update", owner="", focus_area="1",
                        issue="ติดตามฐานะการคลัง", catalog_url="https://data.mof.go.th")
    expected = helpers.call_action("mofcompliance_site_kpi")["site"]["level"]

    browser = _browser()
    try:
        browser.get(served_catalog + "/user/login")
        browser.find_element(By.ID, "field-login").send_keys(admin["name"])
        browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
        browser.find_element(By.ID, "field-password").submit()
        WebDriverWait(browser, 30).until(lambda b: "/user/login" not in b.current_url)
        browser.get(served_catalog + "/compliance/")
        level = WebDriverWait(browser, 30).until(
            lambda b: b.find_element(By.CSS_SELECTOR, "[data-kpi-level]"))
        OUTPUT.mkdir(exist_ok=True)
        browser.save_screenshot(str(OUTPUT / "compliance-dashboard.png"))
        assert level.text == str(expected)
        assert "สำนักงานปลัดกระทรวงการคลัง" in browser.page_source
    finally:
        browser.quit()
