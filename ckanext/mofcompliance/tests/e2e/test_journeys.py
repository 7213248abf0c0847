"""Journeys through the catalog in a real headless Chromium, with a real job worker.

- the evaluator's: an organisation's page, "Check all resources now", a worker (``ckan
  mofcompliance worker``, the command ``scripts/serve.sh`` runs) takes the checks, the page
  shows them checked and the grade; the dataset page shows the grade and the declared and
  verified open levels; "Rescore" on the site's page ends "finished" in the page's language;
- the operator's: the demo as ``scripts/serve.sh`` sets it up (``ckan mofcompliance
  load-demo``, its files uploaded, uploads offered on the resource form) and its worker:
  the complete datasets with a valid table grade A.

Every page fails the journey on an HTTP 500, a raw field name, Thai interface text under
``/en/`` or an English msgid of the extension under ``/th/``. The worker runs to the end of
its queues (``--burst``) as a subprocess on the test configuration: no sleep, no timing.
Screenshots go to ``test-output/journey-*.png``.
"""
from __future__ import annotations

import configparser
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable

import pytest
import yaml
from werkzeug.datastructures import FileStorage

from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance.cli import DEMO_CATALOG
from ckanext.mofcompliance.tests import test_i18n
from ckanext.mofcompliance.tests.configs import resolved_ini
from ckanext.mofcompliance.tests.factories import MAPPED, complete_dataset
from ckanext.mofcompliance.tests.quality import servers

from .browser import PASSWORD, chromium, console_errors, log_in, screenshot

pytestmark = [pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory"),
              pytest.mark.ckan_config("ckan.gravatar_default", "disabled"),
              pytest.mark.ckan_config("ckan.uploads_enabled", "true")]
SCHEMA = Path(test_i18n.PACKAGE) / "schemas" / "dataset.yaml"
ORG = "finance-office"


# ---------------------------------------------------------------- what every page must hold

def raw_field_names() -> set[str]:
    """The schema's field names a reader must never see as text (``maintainer_email``)."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    fields = schema["dataset_fields"] + schema["resource_fields"]
    return {f["field_name"] for f in fields if "_" in f["field_name"]}


def english_patterns() -> dict[str, list[re.Pattern[str]]]:
    return {test_i18n._msgid(m.id): [test_i18n.msgid_pattern(i) for i in (
        (m.id,) if isinstance(m.id, str) else m.id)]
        for m in test_i18n.thai_catalog() if m.id and m.string != m.id}


def assert_sound(browser: Any, lang: str, content: Iterable[str]) -> str:
    """The page answered (no server error), names no field by its internal name and speaks
    the page's language only; its visible text."""
    html = browser.page_source
    url = browser.current_url
    assert "Internal Server Error" not in html and " 500 " not in browser.title, url
    text = browser.execute_script("return document.body.innerText")
    named = sorted(n for n in raw_field_names() if re.search(r"(?<![\w-])%s(?![\w-])" % n, text))
    assert named == [], (url, named)
    content = list(content)
    if lang == "en":
        thai = sorted(set(test_i18n.THAI.findall(test_i18n.interface_text(html, content))))
        assert thai == [], (url, thai[:8])
    else:
        shown = test_i18n.interface_text(
            html, content + test_i18n.untranslatable(test_i18n.thai_catalog()))
        left = sorted(m for m, res in english_patterns().items() if any(r.search(shown) for r in res))
        assert left == [], (url, left)
    assert console_errors(browser) == [], url
    return text


def run_ckan(site_url: str, request: pytest.FixtureRequest, *args: str) -> None:
    """A ``ckan`` command in its own process, as an operator runs it: the test configuration
    (the database, Redis and storage of this run, from test.sh's environment) with the
    demo's settings (scripts/serve.sh's) and the served catalog's address."""
    config = configparser.RawConfigParser(strict=False)
    config.optionxform = str  # type: ignore[assignment,method-assign]  # keep the case
    config.read_string(resolved_ini(Path(request.config.getoption("ckan_ini"))))
    config["app:main"].update({"ckan.site_url": site_url, "ckan.uploads_enabled": "true",
                               "ckanext.mofcompliance.enforcement": "advisory"})
    ini = request.getfixturevalue("tmp_path") / "operator.ini"
    with ini.open("w") as out:
        config.write(out)
    command = [str(Path(sys.executable).with_name("ckan")), "-c", str(ini), *args]
    done = subprocess.run(command, timeout=600, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def run_worker(site_url: str, request: pytest.FixtureRequest) -> None:
    """``ckan mofcompliance worker --burst``: every queued job, then it ends."""
    run_ckan(site_url, request, "mofcompliance", "worker", "--burst")


def click(browser: Any, element: Any, leaves: bool = True) -> None:
    """Press a button or follow a link (the page's own click handler, wherever the window
    is scrolled); ``leaves``: wait until the next page has replaced this one."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    page = browser.find_element("tag name", "html")
    browser.execute_script("arguments[0].click()", element)
    if leaves:
        WebDriverWait(browser, 30).until(expected_conditions.staleness_of(page))


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


@pytest.fixture
def worker_queues(clean_queues: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ckan_jobs, "_queues", {})


# ---------------------------------------------------------------- the evaluator

@pytest.fixture
def finance_office(site: str, worker_queues: None) -> dict[str, Any]:
    """An organisation with its plan and one complete dataset whose valid CSV is an upload
    (in ASCII, so that the page's language shows), never checked yet; a sysadmin."""
    admin = factories.Sysadmin(password=PASSWORD, image_url="")
    org = factories.Organization(description="", name=ORG, title=test_i18n.ORG_TITLE, image_url="")
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], name=test_i18n.DATASET, **dict(test_i18n.ASCII_TEXTS, **MAPPED)))
    helpers.call_action("resource_create", package_id=dataset["id"], name="Cash balance CSV",
                        format="CSV", url="cash-balance.csv",
                        upload=FileStorage(io.BytesIO(servers.GOOD_CSV), "cash-balance.csv",
                                           content_type="text/csv"))
    helpers.call_action("mofcompliance_plan_update", owner=ORG, focus_area="1",
                        issue="Fiscal monitoring", catalog_url=site)
    ckan_jobs.get_queue("mofcompliance_quality").empty()  # nothing checked before the journey
    return {"admin": admin, "dataset": dataset}


def evaluator_content() -> list[str]:
    return test_i18n.content_strings() + list(MAPPED.values()) + ["Cash balance CSV",
                                                                  "Fiscal monitoring"]


def test_an_evaluator_checks_now_with_a_worker_and_reads_the_grade_and_verified_level(
        site, finance_office, request):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    content = evaluator_content()
    browser = chromium()
    try:
        log_in(browser, site, finance_office["admin"])
        browser.get("%s/th/compliance/%s" % (site, ORG))
        assert_sound(browser, "th", content)
        assert "ยังไม่ได้ประเมินเกรด" in browser.find_element(By.ID, "quality").text
        click(browser, browser.find_element(By.CSS_SELECTOR, ".mofcompliance-check-now button"))
        progress = WebDriverWait(browser, 30).until(lambda b: b.find_element(
            By.CSS_SELECTOR, ".mofcompliance-check-progress"))
        assert numbers(progress.text)[:2] == [0, 1]
        assert_sound(browser, "th", content)

        run_worker(site, request)
        click(browser, browser.find_element(By.CSS_SELECTOR, ".mofcompliance-check-progress a"))
        progress = WebDriverWait(browser, 30).until(lambda b: b.find_element(
            By.CSS_SELECTOR, ".mofcompliance-check-progress"))
        assert numbers(progress.text)[:2] == [1, 1]
        assert "A · 97.0" in browser.find_element(By.ID, "quality").text  # NSO reads no update frequency: −3
        headers = browser.find_elements(By.CSS_SELECTOR, ".mofcompliance-datasets thead th")
        lines = [browser.execute_script(
            "var r = document.createRange(); r.selectNodeContents(arguments[0]);"
            "return r.getClientRects().length;", th) for th in headers]
        assert set(lines) == {1}  # no header broken over two lines ("การ/เข้าถึง")
        screenshot(browser, "journey-evaluator-th-organisation.png")

        for lang in ("th", "en"):
            browser.get("%s/%s/dataset/%s" % (site, lang, test_i18n.DATASET))
            assert_sound(browser, lang, content)
            panel = browser.find_element(By.CSS_SELECTOR, ".mofcompliance-panel").text
            declared = browser.find_element(By.CSS_SELECTOR, ".mofcompliance-panel strong")
            verified = browser.find_element(By.CSS_SELECTOR, ".mofcompliance-verified-level")
            assert verified.text == declared.text and verified.text.isdigit(), panel
            assert ("ระดับที่ตรวจสอบแล้ว" if lang == "th" else "Verified level") in panel
            quality = browser.find_element(By.ID, "quality").text
            assert "A · 97.0" in quality
            screenshot(browser, "journey-evaluator-%s-dataset.png" % lang)
        browser.get("%s/en/compliance/%s" % (site, ORG))
        assert_sound(browser, "en", content)
        screenshot(browser, "journey-evaluator-en-organisation.png")

        browser.get(site + "/th/compliance/?quality=1")
        assert_sound(browser, "th", content)
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.mofcompliance-chart text")
        heights = {round(t.size["height"]) for t in charts if t.text.strip()}
        assert len(heights) == 1, heights  # the level and grade charts at one scale
        assert browser.find_elements(By.CSS_SELECTOR, ".page-header") == []
        save = browser.find_element(By.CSS_SELECTOR, "form.mofcompliance-plan button")
        after = browser.execute_script(
            "return arguments[0].closest('form').nextElementSibling", save)
        gap = after.rect["y"] - (save.rect["y"] + save.rect["height"])
        assert gap >= 16, gap  # "Save the plan" does not touch the next heading
        click(browser, browser.find_element(By.CSS_SELECTOR,
                                            "[data-module=mofcompliance-rescore] button"))
        WebDriverWait(browser, 30).until(lambda b: "job=" in b.current_url)
        run_worker(site, request)
        status = WebDriverWait(browser, 60).until(lambda b: b.find_element(
            By.CSS_SELECTOR, ".mofcompliance-progress").text.startswith("เสร็จแล้ว") and
            b.find_element(By.CSS_SELECTOR, ".mofcompliance-progress"))
        assert numbers(status.text) == [1, 1]
        screenshot(browser, "journey-evaluator-th-site.png")
    finally:
        browser.quit()


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_a_reader_not_logged_in_follows_a_dataset_to_its_public_kpi(site, finance_office):
    """On a site whose dashboard is public, a reader who is not logged in finds the
    organisation's KPI from a dataset's page and reads its public summary."""
    from selenium.webdriver.common.by import By
    content = evaluator_content()
    browser = chromium()
    try:
        for lang, public in (("th", "คำนวณจากชุดข้อมูลสาธารณะเท่านั้น"),
                             ("en", "computed from public datasets only")):
            browser.get("%s/%s/dataset/%s" % (site, lang, test_i18n.DATASET))
            assert_sound(browser, lang, content)
            click(browser, browser.find_element(By.CSS_SELECTOR, "a.mofcompliance-kpi-link"))
            assert browser.current_url == "%s/%s/compliance/%s" % (site, lang, ORG)
            text = assert_sound(browser, lang, content)
            assert public in text
            level = browser.find_element(By.CSS_SELECTOR, "[data-kpi-level]")
            assert level.text == level.get_attribute("data-kpi-level")
            assert test_i18n.DATASET in browser.page_source
            screenshot(browser, "journey-public-%s-organisation.png" % lang)
    finally:
        browser.quit()


# ---------------------------------------------------------------- the operator

def demo_texts() -> list[str]:
    """Every text of the demo catalog (its content, shown as it was written)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.extend([value, " ".join(value.split())])
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(yaml.safe_load(Path(DEMO_CATALOG).read_text(encoding="utf-8")))
    return [t for t in found if t]


def test_the_operators_demo_uploads_its_files_and_grades_its_complete_tables_a(
        site, worker_queues, request):
    from selenium.webdriver.common.by import By
    run_ckan(site, request, "mofcompliance", "load-demo")  # as scripts/serve.sh does
    run_worker(site, request)  # the worker serve.sh starts beside the server
    admin = factories.Sysadmin(password=PASSWORD, image_url="")
    content = demo_texts()
    browser = chromium()
    try:
        log_in(browser, site, admin)
        browser.get(site + "/th/compliance/mof-ops")
        text = assert_sound(browser, "th", content)
        assert "ประเมินเกรดแล้ว 6 จาก 6 ชุดข้อมูล" in text
        rows = {row.find_element(By.CSS_SELECTOR, "td a").text:
                row.find_element(By.CSS_SELECTOR, "td.mofcompliance-grade").text
                for row in browser.find_elements(
                    By.CSS_SELECTOR, ".mofcompliance-quality-datasets tbody tr")}
        assert {rows["รายจ่ายรัฐบาล"], rows["ดุลการคลังตามกระแสเงินสด"],
                rows["หนี้สาธารณะคงค้าง"]} == {"A"}
        screenshot(browser, "journey-operator-th-organisation.png")
        for lang in ("th", "en"):
            browser.get("%s/%s/dataset/government-expenditure" % (site, lang))
            assert_sound(browser, lang, content)
            assert "A · 97.0" in browser.find_element(By.ID, "quality").text  # NSO reads no update frequency: −3
            assert browser.find_element(By.CSS_SELECTOR, ".mofcompliance-verified-level").text
            screenshot(browser, "journey-operator-%s-dataset.png" % lang)
        browser.get(site + "/th/dataset/government-expenditure/resource/new")
        assert browser.find_elements(By.CSS_SELECTOR, "input[type=file]")  # uploads offered
        screenshot(browser, "journey-operator-th-resource-form.png")
    finally:
        browser.quit()
