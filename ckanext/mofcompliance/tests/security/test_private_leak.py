"""No page, export or action shows a private dataset to a user who may not read it.

Enumerated from the running app: every URL rule of the blueprints this extension's plugins
register and every action they add (plus the CKAN pages it adds to), each answer searched
for the private dataset's name and title. Evaluators read private datasets on the
compliance dashboard by design (``access.scope.dashboard_scope``), nowhere CKAN's own auth
decides. A rule with an unfilled URL variable is not walked and the guard fails.
"""
from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any, Iterator, NamedTuple
from urllib.parse import quote, unquote

import pytest
from openpyxl import load_workbook
from werkzeug.test import TestResponse

import ckan.plugins as p
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.harvest.conftest import GDCATALOG_PLUGINS, HARVESTER

ORG, OTHER = "mof-ops", "other-agency"  # the secret's organisation, the outsider's
SECRET_NAME, SECRET_TITLE = "secret-internal-budget", "งบลับเฉพาะภายในหน่วยงาน"
SEARCH = "secret+internal+budget"
GROUP, TAG = "finance-group", "งบภายใน"
CORE = ["/dataset/", "/dataset/?q=" + SEARCH, "/organization/" + ORG, "/dataset/" + SECRET_NAME,
        "/api/3/action/package_search?include_private=true&q=" + SEARCH,
        "/api/3/action/package_autocomplete?q=secret",
        "/api/3/action/organization_show?include_datasets=true&id=" + ORG,
        "/api/3/action/package_show?id=" + SECRET_NAME,
        # CKAN core's own lists of datasets: feeds, group and tag lists, the package lists
        "/feeds/dataset.atom", "/feeds/organization/%s.atom" % ORG, "/feeds/group/%s.atom" % GROUP,
        "/feeds/tag/%s.atom" % quote(TAG), "/feeds/custom.atom?q=" + SEARCH,
        "/group/" + GROUP, "/dataset/?tags=" + quote(TAG),
        "/api/3/action/group_show?include_datasets=true&id=" + GROUP,
        "/api/3/action/group_package_show?id=" + GROUP,
        "/api/3/action/tag_show?include_datasets=true&id=" + quote(TAG),
        "/api/3/action/package_list", "/api/3/action/current_package_list_with_resources"]
# CKAN's activity streams (the activity plugin, switched on for the walk), pages and API;
# ``{admin}`` is the name of the secret's author.
ACTIVITY = ["/dataset/activity/" + SECRET_NAME, "/organization/activity/" + ORG,
            "/group/activity/" + GROUP, "/user/activity/{admin}", "/dashboard/",
            "/api/3/action/package_activity_list?id=" + SECRET_NAME,
            "/api/3/action/organization_activity_list?id=" + ORG,
            "/api/3/action/group_activity_list?id=" + GROUP,
            "/api/3/action/user_activity_list?id={admin}",
            "/api/3/action/recently_changed_packages_activity_list",
            "/api/3/action/dashboard_activity_list"]
DCAT = ("/catalog.ttl", "/catalog.jsonld", "/dataset/%s.ttl" % SECRET_NAME)
# What reads through dashboard_scope: the only places an evaluator may see the secret.
EVALUATOR_GRANTS = {"mofcompliance.site", "mofcompliance.site_export", "mofcompliance_site_kpi",
                    "mofcompliance.organization", "mofcompliance.organization_export",
                    "mofcompliance.organization_report", "mofcompliance_org_kpi",
                    "mofcompliance_quality_show"}
# Plausible for every action (with ``id`` the organisation, the secret or its use case).
ACTION_DATA = {"owner": ORG, "org": ORG, "dataset": SECRET_NAME, "state": "COMPLETED",
               "link": "https://x.go.th", "change": "x", "result": "x"}
ROLES = ["anonymous", "outsider", "evaluator"]
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


class Answer(NamedTuple):
    what: str  # a rule's endpoint, an action's name or a core URL
    method: str
    asked: str  # the URL (and an action's id)
    response: TestResponse


@pytest.fixture
def world(clean_db, app, ckan_config, monkeypatch, tmp_path) -> Iterator[dict[str, Any]]:
    """mof-ops holds a public dataset and the secret (private, incomplete, with a use case
    and an NSO upload naming it). Only its admin and the GD Catalog harvester belong."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    users = {r: factories.UserWithToken() for r in ("admin", "outsider", "evaluator")}
    users["harvester"] = factories.UserWithToken(name=HARVESTER)
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.evaluators",
                        [users["evaluator"]["name"]])
    org = factories.Organization(name=ORG, users=[
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": HARVESTER, "capacity": "editor"}])
    factories.Organization(name=OTHER, users=[{"name": users["outsider"]["name"],
                                               "capacity": "admin"}])
    site = {"user": helpers.call_action("get_site_user")["name"]}  # an author for activities
    helpers.call_action("package_create", context=dict(site),
                        **complete_dataset(org["id"], name="public-budget"))
    helpers.call_action("package_create", context=dict(site), **complete_dataset(
        org["id"], name="public-budget-2", tags=[{"name": TAG}]))
    helpers.call_action("package_create", context={"user": users["admin"]["name"]},
                        **complete_dataset(org["id"], name=SECRET_NAME, title=SECRET_TITLE,
                                           private=True, maintainer_email="",
                                           tags=[{"name": TAG}]))
    factories.Group(name=GROUP)
    helpers.call_action("member_create", context=dict(site), id=GROUP, object=SECRET_NAME, object_type="package",
                        capacity="public")
    use_case = helpers.call_action("mofcompliance_use_case_create", owner=ORG,
                                   dataset=SECRET_NAME, link="https://data.mof.go.th/r",
                                   change="ใช้วางแผน", result="ลดเวลา")["id"]
    job = helpers.call_action("mofcompliance_rescore", background=True)["job_id"]
    admin = {"Authorization": users["admin"]["token"]}
    staged = app.post("/organization/%s/nso-import" % ORG, headers=admin, data={"workbook": (
        io.BytesIO(app.get("/organization/%s/nso-export" % ORG, headers=admin).get_data()),
        "nso.xlsx")}, content_type="multipart/form-data", follow_redirects=False)
    token = staged.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    # The URL-variable fillers: a rule with a variable missing here is not walked.
    fillers = {"org": [ORG, org["id"], OTHER], "id": [ORG, org["id"], OTHER, SECRET_NAME],
               "fmt": ["csv", "xlsx"], "use_case_id": [use_case], "job_id": [job],
               "token": [token]}
    yield dict(users, fillers=fillers, use_case=use_case)
    ckan_jobs.job_from_id(job).delete()


def ours(interface: Any, method: str) -> list[Any]:
    """What this extension's loaded plugins give through ``interface``'s ``method``."""
    return [getattr(plugin, method)() for plugin in p.PluginImplementations(interface)
            if type(plugin).__module__.startswith("ckanext.mofcompliance.")]


def extension_rules(app: Any) -> list[Any]:
    names = {bp.name for bps in ours(p.IBlueprint, "get_blueprint") for bp in bps}
    return [r for r in app.flask_app.url_map.iter_rules() if r.endpoint.split(".")[0] in names]


def extension_actions() -> dict[str, Any]:
    return {k: v for actions in ours(p.IActions, "get_actions") for k, v in actions.items()}


def methods(rule: Any) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def urls(rule: Any, fillers: dict[str, list[str]]) -> list[str]:
    """The rule with every combination of its variables' fillers (none if one lacks any)."""
    names = sorted(rule.arguments)
    return [re.sub(r"<(?:[^<>:]+:)?(\w+)>",
                   lambda m, values=values: quote(dict(zip(names, values))[m[1]]), rule.rule)
            for values in itertools.product(*(fillers.get(n, []) for n in names))]


def walk(app: Any, world: dict[str, Any], role: str, extra: list[str]) -> list[Answer]:
    client = app.test_client()  # keeps the session whose CSRF token the forms carry
    form = {"_csrf_token": re.search(r'name="_csrf_token" value="([^"]+)"',
                                     client.get("/user/login").get_data(as_text=True))[1]}
    headers = {"Authorization": world[role]["token"]} if role in world else {}
    answers = [Answer(rule.endpoint, method, url, client.open(
                   url, method=method, headers=headers, data=form, follow_redirects=False))
               for rule in extension_rules(app) for method in methods(rule)
               for url in urls(rule, world["fillers"])]
    answers += [Answer(name, "POST", "%s id=%s" % (name, target), client.post(
                    "/api/3/action/" + name, json=dict(ACTION_DATA, id=target), headers=headers))
                for name in extension_actions() for target in (ORG, SECRET_NAME, world["use_case"])]
    return answers + [Answer(url, "GET", url, client.get(url, headers=headers))
                      for url in CORE + extra]


def shows_secret(response: TestResponse, asked: str = "") -> bool:
    """In all a user could read (headers, body, a workbook's cells, JSON without its \\u
    escapes, decoded links): the title, or the name unless asked for (pages echo URLs)."""
    data = response.get_data()
    text = str(response.headers) + data.decode("utf-8", "replace")
    if data[:2] == b"PK":
        book = load_workbook(io.BytesIO(data), read_only=True)
        text += " ".join(str(c) for s in book for row in s.iter_rows(values_only=True)
                         for c in row)
    if response.is_json:
        text += json.dumps(response.get_json(), ensure_ascii=False)
    text += unquote(text)
    return SECRET_TITLE in text or (SECRET_NAME in text and SECRET_NAME not in asked)


def leaks(app: Any, world: dict[str, Any], role: str, extra: tuple[str, ...] = ()) -> set[str]:
    """Walk as ``role``: what showed the secret, once the guard and the refusals hold."""
    answers = walk(app, world, role, list(extra))
    rules, actions = extension_rules(app), extension_actions()
    walked = {(a.what, a.method) for a in answers if a.what not in CORE + list(extra)}
    enumerated = {(r.endpoint, m) for r in rules for m in methods(r)} | {
        (name, "POST") for name in actions}
    assert rules and actions and walked == enumerated, "not walked (add a URL-variable " \
        "filler): %s" % sorted(enumerated - walked)
    for a in answers:  # nobody outside mof-ops changes anything in it
        own = role == "harvester" or (role == "outsider" and OTHER in a.asked)
        if a.method == "POST" and not own and not getattr(actions.get(a.what),
                                                          "side_effect_free", False):
            assert a.response.status_code in (403, 404), (role, a.asked)
    return {a.what for a in answers if shows_secret(a.response, a.asked)}


@pytest.mark.parametrize("role", ROLES)
def test_nothing_shows_the_secret_beyond_what_the_role_may_read(app, world, role):
    found = leaks(app, world, role)
    if role == "evaluator":
        assert {"mofcompliance.organization", "mofcompliance_org_kpi"} <= found
    assert found <= (EVALUATOR_GRANTS if role == "evaluator" else set())


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_the_public_dashboard_shows_anonymous_no_secret(app, world):
    assert leaks(app, world, "anonymous") == set()
    assert app.get("/compliance/" + ORG).status_code == 200  # the walk saw the dashboard


@pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS + " dcat")
@pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 mofcompliance_dga")
@pytest.mark.ckan_config("ckanext.mofcompliance.harvester_users", HARVESTER)
@pytest.mark.parametrize("role", ROLES + ["harvester"])
def test_with_the_gd_catalog_plugin_as_well(app, world, role):
    """The harvester account, though an editor of mof-ops, sees only what is offered."""
    assert "mofcompliance_registration_update" in extension_actions()
    found = leaks(app, world, role, DCAT)
    assert found <= (EVALUATOR_GRANTS if role == "evaluator" else set())


@pytest.mark.ckan_config("ckan.plugins",
                         "mofcompliance scheming_datasets mofcompliance_pgsearch activity")
@pytest.mark.parametrize("role", ROLES)
def test_ckan_activity_streams_show_no_secret(app, activity_tables, world, role):
    activity = tuple(u.format(admin=world["admin"]["name"]) for u in ACTIVITY)
    found = leaks(app, world, role, activity)
    assert found <= (EVALUATOR_GRANTS if role == "evaluator" else set())


@pytest.mark.ckan_config("ckan.plugins",
                         "mofcompliance scheming_datasets mofcompliance_pgsearch activity")
def test_the_activity_probes_find_the_secret_where_it_may_be_read(app, activity_tables, world):
    """The control of the activity walk: the secret's author is shown its activity. CKAN
    2.10 records no activity for a private dataset, so there even its author sees none."""
    records_private = p.toolkit.check_ckan_version(min_version="2.11")
    admin = {"Authorization": world["admin"]["token"]}
    # the dataset's own activity page names it in its heading on every version
    assert shows_secret(app.get("/dataset/activity/" + SECRET_NAME, headers=admin))
    for url in ("/api/3/action/package_activity_list?id=" + SECRET_NAME,
                "/user/activity/" + world["admin"]["name"]):
        assert shows_secret(app.get(url, headers=admin)) == records_private, url


def test_the_probes_find_the_secret_where_it_may_be_read(app, world):
    """The control: mof-ops's admin is shown it, so a silent walk means a hidden secret."""
    admin = {"Authorization": world["admin"]["token"]}
    for url in CORE[1:2] + CORE[4:7] + ["/organization/mof-ops/nso-export",
                                        "/compliance/mof-ops/export.xlsx", "/group/" + GROUP,
                                        "/dataset/?tags=" + quote(TAG)]:
        assert shows_secret(app.get(url, headers=admin)), url
