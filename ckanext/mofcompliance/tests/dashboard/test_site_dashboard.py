"""``/compliance``: the site's criteria in full, as an organisation's page shows its own, and
why the site scores nothing while its plan is empty."""
import re
from html.parser import HTMLParser

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.kpi import evaluation as kpi
from ckanext.mofcompliance.tests.factories import complete_dataset

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
SITE_PLAN = {"owner": "", "focus_area": "1", "issue": "ติดตามฐานะการคลัง",
             "catalog_url": "https://data.mof.go.th"}


@pytest.fixture
def people(clean_db):
    member = factories.UserWithToken()
    org = factories.Organization(name="mof-ops", users=[
        {"name": member["name"], "capacity": "member"}])
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ds-one"))
    return {"sysadmin": factories.SysadminWithToken(), "member": member}


def page(app, url, user):
    return app.get(url, headers={"Authorization": user["token"]}).get_data(as_text=True)


def criteria_rows(html):
    """(level, criterion, met) of each row of the page's criteria table, tags removed."""
    table = re.search(r'<table class="table table-sm mofcompliance-criteria">(.*?)</table>',
                      html, re.S).group(1)
    rows = re.findall(r"<tr class=\"(?:met|not-met)\">(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    return [tuple(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row[:3])
            for row in cells]


def expected_rows(locale):
    """The default profile's criteria in the page's language, read from its definition, not
    from the page's action."""
    profile = kpi.load_profile("fy2565")
    return [(str(c.level), c.label_th if locale == "th" else c.label_en)
            for c in profile.criteria]


@pytest.mark.ckan_config("ckanext.mofcompliance.profile", "fy2565")
def test_the_site_and_an_organisation_show_the_same_full_criteria(app, people):
    for url in ("/compliance/", "/compliance/mof-ops"):
        for locale in ("th", "en"):
            rows = criteria_rows(page(app, "/%s%s" % (locale, url), people["sysadmin"]))
            assert [row[:2] for row in rows] == expected_rows(locale), (locale, url)
            assert all(row[2] in ("✔", "✘") for row in rows)
    site = helpers.call_action("mofcompliance_site_kpi")["site"]["criteria"]
    org = helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["kpi"]["criteria"]
    assert [sorted(c) for c in site] == [sorted(c) for c in org]


def plan_notice(html):
    found = re.search(r'<div class="alert alert-warning mofcompliance-site-plan-empty"[^>]*>'
                      r'(.*?)</div>', html, re.S)
    return found.group(1) if found else None


def test_an_empty_site_plan_is_explained_with_the_way_to_fill_it(app, people):
    notice = plan_notice(page(app, "/compliance/", people["sysadmin"]))
    assert notice and "The site-wide plan is empty" in notice
    assert '<a href="#site-plan">' in notice
    assert 'id="site-plan"' in page(app, "/compliance/", people["sysadmin"])
    notice = plan_notice(page(app, "/compliance/", people["member"]))
    assert notice and "A sysadmin fills it in" in notice and "#site-plan" not in notice
    helpers.call_action("mofcompliance_plan_update", **SITE_PLAN)
    assert plan_notice(page(app, "/compliance/", people["sysadmin"])) is None


class _Nesting(HTMLParser):
    """The classes of the open elements where each element with a class opens."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.ancestors: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        for name in classes.split():
            self.ancestors.setdefault(name, list(self.open))
        if tag not in self.VOID:
            self.open.append(classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()


def in_main_content(html: str, css_class: str) -> bool:
    """Inside CKAN's main column and its content box (``.primary .module-content``)."""
    nesting = _Nesting()
    nesting.feed(html)
    names = [classes.split() for classes in nesting.ancestors[css_class]]
    primary = next((i for i, n in enumerate(names) if "primary" in n), None)
    return primary is not None and any("module-content" in n for n in names[primary:])


@pytest.mark.parametrize("url", ["/compliance/", "/compliance/mof-ops"])
def test_the_plan_form_stays_in_the_pages_content_box(app, people, url):
    html = page(app, url, people["sysadmin"])
    assert in_main_content(html, "mofcompliance-criteria")
    assert in_main_content(html, "mofcompliance-plan")
