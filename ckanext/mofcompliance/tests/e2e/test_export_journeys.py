"""Two journeys through the served catalog in headless Chromium, as their users walk them.

The steward downloads the NSO workbook from the site, fills two datasets in with
openpyxl, runs the import form's dry run (which foretells the KPI), publishes the public
category's datasets, commits and finds the foretold score on the dashboard and the
datasets in the exports. The evaluator goes from /compliance to an organisation, compares
two profiles, opens the printable report and downloads the CSV and XLSX: every figure of
the files (score, level, each criterion's points, the dataset count, each dataset's
verified level) is the pages'. Every page is held to ``page_checks``: no server error, no
internal field name, no Thai interface text under /en/ nor English under /th/.
Screenshots of each page go to ``test-output/``.
"""
from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance import config
from ckanext.mofcompliance.excel import cells, layout
from ckanext.mofcompliance.tests.dashboard import exported
from ckanext.mofcompliance.tests.excel import builders
from ckanext.mofcompliance.tests.factories import MAPPED, WORKED_EXAMPLE_PLAN, complete_dataset

from .browser import PASSWORD, chromium, console_errors, log_in, screenshot
from .page_checks import download, shown_text, visit

pytestmark = [pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory"),
              pytest.mark.ckan_config("ckan.gravatar_default", "disabled")]
ORG_TITLE = builders.ORG_TITLE
FIGURES = re.compile(r"(\d+(?:\.\d+)?)\D+(\d+)")  # "75.0 points, level 75" → (75.0, 75)


@pytest.fixture
def agency() -> dict[str, Any]:
    """An organisation with one open dataset, its plan, and its admin (the steward)."""
    steward = factories.User(password=PASSWORD, image_url="")
    org = factories.Organization(description="", name="mof-ops", title=ORG_TITLE, image_url="",
                                 users=[{"name": steward["name"], "capacity": "admin"}])
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="already-open", **MAPPED))
    helpers.call_action("mofcompliance_plan_update", owner="mof-ops", **WORKED_EXAMPLE_PLAN)
    return {"org": org, "steward": steward}


def _text(browser: Any, css: str) -> str:
    from selenium.webdriver.common.by import By
    return browser.find_element(By.CSS_SELECTOR, css).text.strip()


def _wait_for(browser: Any, condition: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 60).until(condition)


def _href(browser: Any, css: str) -> str:
    from selenium.webdriver.common.by import By
    return browser.find_element(By.CSS_SELECTOR, css).get_attribute("href")


# ---------------------------------------------------------------- the steward

def _fill(book: Any, names: list[str]) -> None:
    """Two statistical datasets typed under the downloaded rows, each with its resource
    and its work process, cell by cell as the template asks."""
    datasets, resources = (book[layout.sheet("S", scope).name]
                           for scope in (layout.DATASET, layout.RESOURCE))
    for name in names:
        package = builders.package(name, title="ชุดข้อมูลนำเข้า %s" % name, **MAPPED)
        row = datasets.max_row + 1
        for column in layout.sheet("S", layout.DATASET).columns:
            typed = {"name": name, "d_type": "ข้อมูลสถิติ", "owner_org": ORG_TITLE}.get(
                column.key) or cells.write(column.field, package)
            datasets.cell(row=row, column=column.index + 1, value=typed)
        row = resources.max_row + 1
        for column in layout.sheet("S", layout.RESOURCE).columns:
            typed = name if column.key == "dataset_name" else cells.write(
                column.field, package["resources"][0])
            resources.cell(row=row, column=column.index + 1, value=typed)


def _effect(browser: Any, profile: str, key: str) -> tuple[float, int]:
    cell = _text(browser, 'tr[data-profile="%s"] td[data-effect="%s"]' % (profile, key))
    score, level = FIGURES.search(cell).groups()
    return float(score), int(level)


def _page_figures(browser: Any) -> tuple[float, int]:
    return (float(_text(browser, ".mofcompliance-score strong")),
            int(_text(browser, "[data-kpi-level]")))


def test_a_steward_imports_the_workbook_and_finds_the_foretold_score(site, agency, tmp_path):
    from selenium.webdriver.common.by import By
    names = ["nso-journey-1", "nso-journey-2"]
    profile = config.default_profile()
    browser = chromium()
    try:
        log_in(browser, site, agency["steward"])
        visit(browser, site + "/th/organization/mof-ops/nso-import", "th")
        screenshot(browser, "journey-nso-upload-th.png")
        headers, body = download(browser, _href(browser, 'a[href$="/nso-export"]'))
        assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
        book = openpyxl.load_workbook(io.BytesIO(body))
        stat = layout.sheet("S", layout.DATASET)
        assert book[stat.name].cell(6, 1).value == "already-open"
        assert book[stat.name].data_validations.dataValidation  # the dropdowns
        _fill(book, names)
        path = tmp_path / "filled.xlsx"
        book.save(path)

        browser.find_element(By.ID, "field-workbook").send_keys(str(path))
        browser.find_element(By.CSS_SELECTOR, ".mofcompliance-excel-upload button").click()
        _wait_for(browser, lambda b: "mofcompliance-kpi-effect" in b.page_source)
        status_url = browser.current_url.split("?")[0]
        thai = visit(browser, status_url, "th")
        screenshot(browser, "journey-nso-dry-run-th.png")
        assert "ตรวจสอบผ่าน" in thai and "nso-journey-1" in thai
        after_labels = browser.execute_script(
            "return [...document.querySelectorAll('.mofcompliance-publish-offer label')]"
            ".map(label => getComputedStyle(label, '::after').content)")
        assert set(after_labels) == {"none"}  # a choice, not a field name: no colon after it
        before, after = _effect(browser, profile, "before"), _effect(browser, profile, "after")
        published = _effect(browser, profile, "published")
        assert after[0] < published[0]  # private, the public category counts level 0
        english = visit(browser, status_url.replace("/th/", "/en/"), "en")
        screenshot(browser, "journey-nso-dry-run-en.png")
        assert "2 datasets this import creates are in the public data category" in english
        assert _effect(browser, profile, "published") == published

        browser.find_element(By.CSS_SELECTOR, 'input[name="public_category"][value="publish"]'
                             ).click()
        browser.find_element(By.CSS_SELECTOR, ".mofcompliance-publish-offer").find_element(
            By.XPATH, "./following-sibling::button").click()
        _wait_for(browser, lambda b: "Committed" in shown_text(b))
        committed = visit(browser, browser.current_url, "en")
        screenshot(browser, "journey-nso-committed-en.png")
        assert "Committed: 2 datasets created, 1 updated." in committed  # and already-open

        visit(browser, site + "/en/compliance/mof-ops?profile=" + profile, "en")
        screenshot(browser, "journey-nso-dashboard-en.png")
        assert _page_figures(browser) == published != before
        _, body = download(browser, _href(browser, 'a[href*="/export.csv"]'))
        found = exported.headline(exported.lines(_Response(body, "text/csv")))
        assert (float(found["คะแนน / Score"][0]), int(found["ระดับ / Level"][0])) == published
        _, body = download(browser, _href(browser, 'a[href$="/nso-export"]'))
        rows = list(openpyxl.load_workbook(io.BytesIO(body))[stat.name].iter_rows(
            min_row=6, values_only=True))
        mission = stat.column_of("kpi_mission").index
        assert {r[0]: r[mission] for r in rows} == {
            n: MAPPED["kpi_mission"] for n in ["already-open", *names]}
        assert console_errors(browser) == []
    finally:
        browser.quit()
    assert all(helpers.call_action("package_show", id=n)["private"] is False for n in names)


class _Response:
    """A downloaded file shaped as ``exported`` reads a test client's response."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self.body = body
        self.headers = {"Content-Type": content_type}

    def get_data(self, as_text: bool = False) -> Any:
        return self.body.decode("utf-8") if as_text else self.body


# ---------------------------------------------------------------- the evaluator

@pytest.fixture
def evaluated() -> dict[str, Any]:
    """An organisation of four datasets (one with a CSV link, one missing an item), its
    plan, and a sysadmin evaluating it."""
    evaluator = factories.Sysadmin(password=PASSWORD, image_url="")
    org = factories.Organization(description="", name="mof-ops", title=ORG_TITLE, image_url="")
    for number in range(3):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name="fiscal-%d" % number, title="สถิติการคลังชุดที่ %d" % number,
            **MAPPED))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="fiscal-csv", title="หนี้สาธารณะ", **MAPPED,
        resources=[{"name": "หนี้สาธารณะรายเดือน", "url": "http://127.0.0.1:9/debt.csv",
                    "format": "CSV"}]))
    helpers.call_action("mofcompliance_plan_update", owner="mof-ops", **WORKED_EXAMPLE_PLAN)
    return {"evaluator": evaluator, "org": org}


def _criteria(browser: Any, css: str) -> list[tuple[float, float]]:
    """(points, maximum) of each row of a criteria table, in order."""
    cells_text = browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(r => r.innerText)", css)
    return [tuple(float(x) for x in re.search(r"([\d.]+) / ([\d.]+)", text).groups())
            for text in cells_text]


def _verified_levels(browser: Any, table: str, offset: int) -> dict[str, int]:
    """Each dataset's verified level from a table: its name (from the row's link or the
    muted name) → the number in the cell ``offset`` from the row's end."""
    rows = browser.execute_script("""
        return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r => {
          const link = r.querySelector('a[href*="/dataset/"]');
          const muted = r.querySelector('.muted');
          const name = muted ? muted.innerText : link.getAttribute('href').split('/').pop();
          const cells = r.querySelectorAll('td');
          return [name, cells[cells.length - arguments[1]].innerText];
        })""", table, offset)
    return {name: int(re.match(r"\d+", text.strip()).group()) for name, text in rows}


def _file_figures(body: bytes, content_type: str) -> dict[str, Any]:
    found = exported.lines(_Response(body, content_type))
    head = exported.headline(found)
    header, *rows = exported.split(found)[1]
    verified = header.index("ระดับที่ตรวจยืนยัน / Verified level")
    name = header.index("URL name")
    criteria = [(float(line[1]), float(line[2])) for line in exported.split(found)[0]
                if len(line) == 4 and line[0] != "เกณฑ์ / Criterion"]
    return {"score": float(head["คะแนน / Score"][0]), "level": int(head["ระดับ / Level"][0]),
            "datasets": int(head["ชุดข้อมูล / Datasets"][0]), "criteria": criteria,
            "verified": {r[name]: int(r[verified]) for r in rows}}


def press(browser, element) -> None:
    """The element's own click, wherever the page is scrolled (a native click at a point
    can land on whatever lies over it there)."""
    browser.execute_script("arguments[0].click()", element)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_an_evaluator_finds_the_pages_figures_in_the_exports(site, evaluated, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    base = "%s/%s" % (site, lang)
    browser = chromium()
    try:
        log_in(browser, site, evaluated["evaluator"])
        visit(browser, base + "/compliance/", lang)
        screenshot(browser, "journey-evaluator-site-%s.png" % lang)
        press(browser, browser.find_element(By.CSS_SELECTOR, ".mofcompliance-organizations a"))
        _wait_for(browser, lambda b: "/compliance/mof-ops" in b.current_url)
        visit(browser, browser.current_url, lang)
        screenshot(browser, "journey-evaluator-organisation-%s.png" % lang)
        score, level = _page_figures(browser)
        page = {"score": score, "level": level,
                "datasets": int(_text(browser, "h2 small")),
                "criteria": _criteria(browser, ".mofcompliance-criteria tbody tr"),
                "verified": _verified_levels(browser, ".mofcompliance-datasets", 4)}
        assert page["datasets"] == 4 and len(page["verified"]) == 4
        links = {fmt: _href(browser, 'a[href*="/export.%s"]' % fmt) for fmt in ("csv", "xlsx")}
        report = _href(browser, 'a[href*="/report"]')

        Select(browser.find_element(By.ID, "mofcompliance-compare")).select_by_index(1)
        press(browser, browser.find_element(By.CSS_SELECTOR, ".mofcompliance-compare-picker button"))
        _wait_for(browser, lambda b: "compare=" in b.current_url)
        visit(browser, browser.current_url, lang)
        screenshot(browser, "journey-evaluator-compare-%s.png" % lang)
        assert browser.find_elements(By.CSS_SELECTOR, ".mofcompliance-compare-table tbody tr")

        text = visit(browser, report, lang)
        screenshot(browser, "journey-evaluator-report-%s.png" % lang)
        assert ("%s" % page["score"]) in text and ORG_TITLE in text
        assert _criteria(browser, "table:first-of-type tbody tr") == page["criteria"]
        assert _verified_levels(browser, "table:nth-of-type(2)", 2) == page["verified"]

        for fmt, content_type in (("csv", "text/csv"), ("xlsx", "application/vnd")):
            headers, body = download(browser, links[fmt])
            assert headers["Content-Type"].startswith(content_type)
            assert _file_figures(body, headers["Content-Type"]) == page, fmt
        assert console_errors(browser) == []
    finally:
        browser.quit()
