"""Checks queued when resources change, run as jobs, stored, read through the API; faults
(Redis down, the checked host down) never break an edit or a page."""
import io
import logging

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as ckan_jobs
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.mofcompliance.quality import claims, jobs, store
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.security.test_faults import DEAD_REDIS

from . import servers

QUEUE = "mofcompliance_quality"
pytestmark = servers.ALLOWED


@pytest.fixture
def site():
    server = servers.serve()
    server.routes["/fiscal.csv"] = (200, {"Content-Type": "text/csv"}, servers.GOOD_CSV)
    yield server
    servers.stop(server)


@pytest.fixture
def queues(clean_queues, monkeypatch):
    monkeypatch.setattr(ckan_jobs, "_queues", {})
    yield
    ckan_jobs.get_queue(QUEUE).empty()


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops")


def dataset_with(org, url, **overrides):
    return helpers.call_action("package_create", **complete_dataset(
        org["id"], resources=[{"url": url, "format": "CSV", "name": "fiscal"}], **overrides))


def queued():
    return [job for job in ckan_jobs.get_queue(QUEUE).jobs]


def run_queued():
    """What ``ckan jobs worker mofcompliance_quality`` does with each job, in order."""
    for job in queued():
        job.perform()
        job.delete()


@pytest.mark.usefixtures("queues")
@pytest.mark.ckan_config("ckan.site_title", "บัญชีข้อมูล สป.กค.")
def test_a_new_resource_is_queued_checked_and_read_through_the_api(org, site):
    dataset = dataset_with(org, site.url("/fiscal.csv"))
    [job] = queued()
    assert job.func == jobs.check_job and job.origin.endswith(":" + QUEUE)
    assert [ref["url"] for ref in job.args[0]] == [site.url("/fiscal.csv")]
    run_queued()
    [check] = helpers.call_action("mofcompliance_resource_checks", id=dataset["name"])["resources"]
    assert check["resource_id"] == dataset["resources"][0]["id"]
    assert (check["outcome"], check["http_status"], check["detected_format"]) == ("ok", 200, "CSV")
    assert check["history"] == []
    assert site.requests[0][2]["User-Agent"] == (
        "ckanext-mofcompliance-checker/1 (+http://test.ckan.net; "
        "%E0%B8%9A%E0%B8%B1%E0%B8%8D%E0%B8%8A%E0%B8%B5%E0%B8%82%E0%B9%89%E0%B8%AD%E0%B8%A1"
        "%E0%B8%B9%E0%B8%A5 %E0%B8%AA%E0%B8%9B.%E0%B8%81%E0%B8%84.)")


@pytest.mark.usefixtures("queues")
def test_only_a_changed_url_is_queued_again_and_history_is_kept(org, site):
    site.routes["/moved.csv"] = (404, {}, b"")
    dataset = dataset_with(org, site.url("/fiscal.csv"))
    run_queued()
    resource_id = dataset["resources"][0]["id"]
    helpers.call_action("package_patch", id=dataset["id"], notes="แก้คำอธิบาย")
    assert queued() == []
    helpers.call_action("resource_patch", id=resource_id, url=site.url("/moved.csv"))
    [job] = queued()
    assert [ref["id"] for ref in job.args[0]] == [resource_id]
    run_queued()
    [check] = helpers.call_action("mofcompliance_resource_checks", id=org["name"])["resources"]
    assert (check["url"], check["outcome"], check["http_status"]) == \
        (site.url("/moved.csv"), "unreachable", 404)
    assert [(h["outcome"], h["http_status"], h["problems"]) for h in check["history"]] == \
        [("ok", 200, [])]


@pytest.mark.usefixtures("queues")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_a_rolled_back_edit_queues_nothing(org, site):
    with pytest.raises(helpers.logic.ValidationError):
        dataset_with(org, site.url("/fiscal.csv"), maintainer_email="not an e-mail")
    assert queued() == []


@pytest.fixture
def no_redis(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.redis.url", DEAD_REDIS)
    monkeypatch.setattr(ckan_jobs, "_queues", {})
    import ckan.lib.redis as ckan_redis
    monkeypatch.setattr(ckan_redis, "_connection_pool", None, raising=False)
    yield
    monkeypatch.setattr(ckan_redis, "_connection_pool", None, raising=False)


def test_with_redis_down_edits_save_and_nothing_is_lost(org, site, no_redis, caplog,
                                                        monkeypatch):
    # CKAN's logging set-up disables the loggers of modules imported before it
    monkeypatch.setattr(jobs.log, "disabled", False)
    with caplog.at_level(logging.WARNING, logger=jobs.__name__):
        dataset = dataset_with(org, site.url("/fiscal.csv"))
        helpers.call_action("resource_patch", id=dataset["resources"][0]["id"],
                            url=site.url("/fiscal.csv?v=2"))
    saved = helpers.call_action("package_show", id=dataset["id"])
    assert saved["resources"][0]["url"] == site.url("/fiscal.csv?v=2")
    assert "resource checks not queued (ConnectionError" in caplog.text
    assert [r["id"] for r in store.due(org["id"], stale_days=7)] == \
        [dataset["resources"][0]["id"]]  # the sweep finds it
    with pytest.raises(helpers.logic.ValidationError, match="background queue is unavailable"):
        helpers.call_action("mofcompliance_resource_check_now", id=org["name"])


@pytest.mark.usefixtures("queues")
def test_with_the_checked_host_down_edits_save_and_pages_answer(app, org):
    listener, port = servers.silent_port()
    listener.close()  # nothing listens there now: connections are refused
    url = "http://127.0.0.1:%d/fiscal.csv" % port
    dataset = dataset_with(org, url)
    run_queued()
    [check] = helpers.call_action("mofcompliance_resource_checks", id=dataset["id"])["resources"]
    assert check["outcome"] == "unreachable" and check["problems"][0]["code"] == "dead-link"
    helpers.call_action("package_patch", id=dataset["id"], notes="ยังแก้ไขได้")
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    for page in ("/dataset/" + dataset["name"], "/compliance/mof-ops"):
        assert app.get(page, headers=sysadmin).status_code == 200


@pytest.mark.usefixtures("queues")
def test_an_upload_is_read_from_storage_not_over_http(org, site, ckan_config, monkeypatch,
                                                     tmp_path):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    upload = FileStorage(io.BytesIO(servers.GOOD_CSV), "fiscal.csv", content_type="text/csv")
    helpers.call_action("resource_create", package_id=dataset["id"], upload=upload,
                        format="CSV", url="fiscal.csv", name="fiscal")
    run_queued()
    [check] = helpers.call_action("mofcompliance_resource_checks", id=dataset["id"])["resources"]
    assert (check["outcome"], check["http_status"], check["size_bytes"]) == \
        ("ok", None, len(servers.GOOD_CSV))
    assert check["tabular"]["rows_checked"] == 2 and site.requests == []


def _checks_of(dataset):
    return {c["resource_id"]: c for c in helpers.call_action(
        "mofcompliance_resource_checks", id=dataset["id"])["resources"]}


@pytest.mark.usefixtures("queues")
def test_a_link_to_the_catalogs_own_download_address_is_read_where_it_leads(
        org, site, ckan_config, monkeypatch, tmp_path):
    """The site's own address (test.ckan.net, which no resolver knows) is never fetched:
    a download link to an upload reads the stored file, one to a link checks that link."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    dataset = dataset_with(org, site.url("/fiscal.csv"))
    upload = FileStorage(io.BytesIO(servers.GOOD_CSV), "fiscal.csv", content_type="text/csv")
    stored = helpers.call_action("resource_create", package_id=dataset["id"], upload=upload,
                                 format="CSV", url="fiscal.csv", name="stored")
    linked = dataset["resources"][0]
    own = "http://test.ckan.net%s/dataset/" + dataset["name"] + "/resource/%s/download/%s"
    links = {"upload": own % ("", stored["id"], "fiscal.csv"),
             "upload-th": own % ("/th", stored["id"], "fiscal.csv"),
             "link": own % ("", linked["id"], "")}
    mirror = dataset_with(org, links["upload"])
    for name in ("upload-th", "link"):
        helpers.call_action("resource_create", package_id=mirror["id"], url=links[name],
                            format="CSV", name=name)
    run_queued()
    checks = _checks_of(mirror)
    assert sorted((c["url"], c["outcome"], c["http_status"], c["size_bytes"])
                  for c in checks.values()) == sorted([
                      (links["upload"], "ok", None, len(servers.GOOD_CSV)),
                      (links["upload-th"], "ok", None, len(servers.GOOD_CSV)),
                      (links["link"], "ok", 200, len(servers.GOOD_CSV))])
    helpers.call_action("package_patch", id=mirror["id"], notes="แก้คำอธิบาย")
    assert queued() == []  # each check names the URL the resource has: nothing to redo


@pytest.mark.usefixtures("queues")
def test_links_to_the_catalogs_own_pages_are_fetched_from_its_address_even_on_loopback(
        org, site, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.quality.allowed_hosts", "")
    monkeypatch.setitem(ckan_config, "ckan.site_url", site.url(""))
    elsewhere = servers.serve()  # the same host, another port: not the catalog
    elsewhere.routes["/fiscal.csv"] = site.routes["/fiscal.csv"]
    try:
        own = dataset_with(org, site.url("/fiscal.csv"))
        other = dataset_with(org, elsewhere.url("/fiscal.csv"))
        run_queued()
    finally:
        servers.stop(elsewhere)
    [own_check] = _checks_of(own).values()
    [other_check] = _checks_of(other).values()
    assert (own_check["outcome"], own_check["http_status"]) == ("ok", 200)
    assert other_check["outcome"] == "refused" and elsewhere.requests == []


@pytest.mark.usefixtures("queues")
def test_private_checks_are_read_only_by_those_who_read_the_dataset(org, site):
    public = dataset_with(org, site.url("/fiscal.csv"))
    secret = dataset_with(org, site.url("/fiscal.csv?secret"), private=True)
    run_queued()
    outsider = factories.User()
    seen = helpers.call_action("mofcompliance_resource_checks", context={
        "user": outsider["name"], "ignore_auth": False}, id=org["name"])
    assert [c["url"] for c in seen["resources"]] == [public["resources"][0]["url"]]
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("mofcompliance_resource_checks", context={
            "user": outsider["name"], "ignore_auth": False}, id=secret["name"])
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("mofcompliance_resource_check_now", context={
            "user": outsider["name"], "ignore_auth": False}, id=org["name"])
    admin = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=admin["name"],
                        role="admin")
    member_view = helpers.call_action("mofcompliance_resource_checks", context={
        "user": admin["name"], "ignore_auth": False}, id=org["name"])
    assert len(member_view["resources"]) == 2
    now = helpers.call_action("mofcompliance_resource_check_now", context={
        "user": admin["name"], "ignore_auth": False}, id=org["name"])
    assert now["queued"] == 2 and len(now["jobs"]) == 1
    run_queued()
    again = helpers.call_action("mofcompliance_resource_checks", id=org["name"],
                                since=now["since"])
    assert again["checked_since"] == 2


@pytest.mark.usefixtures("queues")
def test_the_command_checks_what_is_due_with_a_line_per_n_resources(org, site):
    from click.testing import CliRunner
    from ckanext.mofcompliance.quality.cli import check_resources

    for n in range(3):
        site.routes["/fiscal-%d.csv" % n] = site.routes["/fiscal.csv"]
        dataset_with(org, site.url("/fiscal-%d.csv" % n))
    ckan_jobs.get_queue(QUEUE).empty()  # what the edits queued: the command does it
    result = CliRunner().invoke(check_resources, ["--org", "mof-ops", "--every", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("checked 2/3 resources")
    assert result.output.splitlines()[1].startswith("checked 3/3 resources")
    assert "3 resources checked: ok 3" in result.output
    again = CliRunner().invoke(check_resources, ["--org", "mof-ops"])
    assert "0 resources checked: none" in again.output  # nothing is due any more
    stale = CliRunner().invoke(check_resources, ["--stale-days", "0", "--background"])
    assert "3 resources queued in 1 jobs on mofcompliance_quality" in stale.output
    assert len(queued()) == 1


# ---------------------------------------------------------------- one fetch per request

def fetches(site, path):
    return [request for request in site.requests if request[:2] == ("GET", path)]


@pytest.mark.usefixtures("queues")
def test_an_edit_and_a_check_now_queued_before_either_ran_fetch_once(org, site):
    dataset = dataset_with(org, site.url("/fiscal.csv"))      # the edit queues its check
    helpers.call_action("mofcompliance_resource_check_now", id=org["name"])
    assert len(queued()) == 2
    run_queued()
    assert len(fetches(site, "/fiscal.csv")) == 1
    [check] = helpers.call_action("mofcompliance_resource_checks",
                                  id=dataset["id"])["resources"]
    assert check["outcome"] == "ok" and check["history"] == []


@pytest.mark.usefixtures("queues")
def test_check_now_after_a_check_fetches_again(org, site):
    dataset_with(org, site.url("/fiscal.csv"))
    run_queued()
    helpers.call_action("mofcompliance_resource_check_now", id=org["name"])
    run_queued()
    assert len(fetches(site, "/fiscal.csv")) == 2


@pytest.mark.usefixtures("queues")
def test_a_resource_another_worker_holds_is_left_to_it_and_the_leases_are_returned(org, site):
    dataset = dataset_with(org, site.url("/fiscal.csv"))
    other = dataset_with(org, site.url("/fiscal.csv?v=2"), name="other-fiscal")
    [held], [free] = [job.args[0] for job in queued()]
    redis = connect_to_redis()
    redis.set(claims._key(held), "another worker", ex=60)
    run_queued()
    assert [request[1] for request in site.requests if request[0] == "GET"] == \
        ["/fiscal.csv?v=2"]
    assert redis.get(claims._key(held)) == b"another worker"   # not taken from its holder
    assert not redis.exists(claims._key(free))                   # returned
    redis.delete(claims._key(held))
    assert helpers.call_action("mofcompliance_resource_checks",
                               id=dataset["id"])["resources"] == []
    assert len(helpers.call_action("mofcompliance_resource_checks",
                                   id=other["id"])["resources"]) == 1


@pytest.mark.usefixtures("queues")
def test_a_job_queued_before_requests_were_dated_checks_every_resource(org, site):
    dataset_with(org, site.url("/fiscal.csv"))
    [job] = queued()
    undated = [{k: v for k, v in ref.items() if k != "asked"} for ref in job.args[0]]
    run_queued()
    ckan_jobs.enqueue(jobs.check_job, [undated], queue=QUEUE)
    run_queued()
    assert len(fetches(site, "/fiscal.csv")) == 2


def test_the_rescore_after_checks_waits_for_an_edit_under_way_and_reads_it_committed(org):
    """``jobs.reindex`` locks the datasets it rescores, as an edit's UPDATE does: with an
    edit's transaction open it cannot go on (here it gives up after 200 ms), and once the
    edit commits it indexes the edited dataset, not the one before it."""
    dataset = dataset_with(org, "https://data.mof.go.th/fiscal.csv")
    edit = model.meta.engine.connect()
    transaction = edit.begin()
    edit.execute(sa.text("UPDATE package SET title = 'งบที่แก้แล้ว' WHERE id = :id"),
                 {"id": dataset["id"]})
    model.Session.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))
    with pytest.raises(sa.exc.OperationalError, match="lock"):
        jobs.reindex([dataset["id"]])
    model.Session.rollback()
    transaction.commit()
    edit.close()
    jobs.reindex([dataset["id"]])
    model.Session.commit()
    found = helpers.call_action("package_search", q="id:" + dataset["id"])["results"]
    assert [d["title"] for d in found] == ["งบที่แก้แล้ว"]
