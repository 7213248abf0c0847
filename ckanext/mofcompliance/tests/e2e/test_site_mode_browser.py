"""Beside thai_gdc, in a real headless Chromium: the site's own dataset form with no script
error from this extension's, and the organisation dashboard's notice of what that form does
not enforce. Screenshots: ``test-output/site-mode-form.png``, ``site-mode-dashboard.png``.
"""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

from .browser import PASSWORD, chromium, console_errors, log_in, screenshot


@pytest.mark.ckan_config("ckanext.mofcompliance.dataset_schema", "site")
@pytest.mark.ckan_config("scheming.dataset_schemas",
                         "ckanext.mofcompliance.tests:fixtures/thai_gdc_dataset.yaml")
@pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json")
@pytest.mark.ckan_config("ckan.gravatar_default", "disabled")  # nothing off the machine
def test_a_steward_meets_the_sites_form_and_the_dashboards_notice(served_catalog, ckan_config,
                                                                   monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.site_url", served_catalog)
    from selenium.webdriver.common.by import By
    admin = factories.Sysadmin(password=PASSWORD, image_url="")
    org = factories.Organization(description="", name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง",
                                 image_url="")
    helpers.call_action("package_create", **complete_dataset(org["id"], name="no-keywords",
                                                             tags=[]))
    browser = chromium()
    try:
        log_in(browser, served_catalog, admin)
        browser.get(served_catalog + "/th/dataset/new")
        browser.find_element(By.CSS_SELECTOR, "select[name=data_type]")
        screenshot(browser, "site-mode-form.png")
        assert browser.find_elements(By.CSS_SELECTOR, ".mofcompliance-dataset-form") == []
        assert console_errors(browser) == []

        browser.get(served_catalog + "/th/compliance/mof-ops")
        notice = browser.find_element(By.CSS_SELECTOR, ".mofcompliance-not-enforced")
        screenshot(browser, "site-mode-dashboard.png")
        assert "คำสำคัญ: เว้นว่างได้" in notice.text
        assert console_errors(browser) == []
    finally:
        browser.quit()
