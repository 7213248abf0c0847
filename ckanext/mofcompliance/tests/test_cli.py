"""``ckan mofcompliance …`` commands."""
import os
from pathlib import Path

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance.cli import DEMO_FILES
from ckanext.mofcompliance.quality import jobs
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality.test_jobs import queues, run_queued  # noqa: F401

MAPPED = {"kpi_mission": "บูรณาการข้อมูลเศรษฐกิจการคลัง",
          "kpi_main_process": "งานบูรณาข้อมูลด้านเศรษฐกิจการเงินการคลัง"}


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_load_demo_is_idempotent_and_reproduces_the_worked_example(cli):
    for outcome in ("created", "updated"):
        result = cli.invoke(ckan, ["mofcompliance", "load-demo"])
        assert not result.exit_code, result.output
        assert "dataset fiscal-cash-balance: %s" % outcome in result.output
    assert helpers.call_action("package_search")["count"] == 6
    kpi = helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["kpi"]
    points = {c["id"]: (c["met"], c["points"]) for c in kpi["criteria"]}
    assert points == {
        "work_process_datasets": (True, 0.0),     # the basic gate: 50
        "metadata_14_items": (False, 10.0),       # 4 of 6 complete: 66.67 x 0.15
        "agency_catalog_url": (True, 10.0),       # 20 of the standard level's 25
        # the demo's resources, served by the catalog itself, reach the basic open level:
        # 6 of the advanced level's points, which the worked example does not have
        "open_data_characteristics": (False, 6.0),
        "open_data_use": (False, 0.0),
    }
    assert (kpi["score"], kpi["level"]) == (76.0, 75)


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_the_demo_files_are_uploads_in_ckans_storage_and_keep_their_ids(cli):
    def resources():
        return {r["name"]: r for p in helpers.call_action("package_search", rows=10)["results"]
                for r in p["resources"]}

    cli.invoke(ckan, ["mofcompliance", "load-demo"])
    first = resources()
    assert len(first) == 8
    for resource in first.values():
        assert resource["url_type"] == "upload"
        stored = jobs.upload_path(resource)
        name = resource["url"].rsplit("/", 1)[1]
        with open(stored, "rb") as upload, open(os.path.join(DEMO_FILES, name), "rb") as demo:
            assert upload.read() == demo.read()
    result = cli.invoke(ckan, ["mofcompliance", "load-demo"])
    assert not result.exit_code, result.output
    assert {n: r["id"] for n, r in resources().items()} == {n: r["id"] for n, r in first.items()}


@pytest.mark.usefixtures("clean_db", "queues")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_the_demo_checked_grades_its_complete_datasets_with_good_tables_a(cli):
    """Read from storage, the demo's own files are never refused nor called broken links:
    a dataset with all its items and a valid CSV (or XLSX) grades A."""
    cli.invoke(ckan, ["mofcompliance", "load-demo"])
    run_queued()  # the checks the load queued
    outcomes = {c["outcome"] for c in helpers.call_action(
        "mofcompliance_resource_checks", id="mof-ops")["resources"]}
    assert outcomes == {"ok"}
    letters = {d["name"]: d["letter"] for d in helpers.call_action(
        "mofcompliance_quality_show", id="mof-ops")["datasets"]}
    assert {name: letters[name] for name in (
        "fiscal-cash-balance", "government-expenditure", "public-debt-outstanding")} == {
        "fiscal-cash-balance": "A", "government-expenditure": "A",
        "public-debt-outstanding": "A"}


def test_the_demo_config_offers_uploads_with_a_storage_path():
    root = Path(__file__).parents[3]
    serve = (root / "scripts" / "serve.sh").read_text()
    # the production settings turn uploads on; serve.sh applies them, then its storage path
    assert "ckan.uploads_enabled = true" in (root / "docker" / "settings.ini").read_text()
    assert '-f "$ROOT/docker/settings.ini"' in serve
    assert '"ckan.storage_path=$LOCAL/storage"' in serve


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_the_worked_example_scores_70_and_level_50_through_ckan(cli):
    """The FY2565 guideline's worked example (six datasets: four with all 14 items, one with
    13, one with 12; the catalog URL reported; no resource), made with CKAN's own actions."""
    org = factories.Organization(name="worked-example")
    for number in range(4):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name="complete-%d" % number, **MAPPED))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="thirteen-items", data_source="", **MAPPED))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="twelve-items", data_source="", objective=[], **MAPPED))
    helpers.call_action("mofcompliance_plan_update", owner="worked-example", focus_area="1",
                        issue="ติดตามฐานะการคลัง", catalog_url="https://data.mof.go.th")
    expected = {"work_process_datasets": (True, 0.0), "metadata_14_items": (False, 10.0),
                "agency_catalog_url": (True, 10.0),
                "open_data_characteristics": (False, 0.0), "open_data_use": (False, 0.0)}
    for rescored in (False, True):  # as written with each dataset, then rebuilt by the CLI
        kpi = helpers.call_action("mofcompliance_org_kpi", id="worked-example")["kpi"]
        assert kpi["profile"] == "fy2565"
        assert {c["id"]: (c["met"], c["points"]) for c in kpi["criteria"]} == expected
        metadata = next(c for c in kpi["criteria"] if c["id"] == "metadata_14_items")
        assert metadata["evidence"]["mean_percent"] == 66.67
        assert (kpi["score"], kpi["level"]) == (70.0, 50)
        if not rescored:
            result = cli.invoke(ckan, ["mofcompliance", "rescore", "--org", "worked-example"])
            assert not result.exit_code, result.output
    site = helpers.call_action("mofcompliance_site_kpi")
    assert [(o["name"], o["score"], o["level"]) for o in site["organizations"]] == [
        ("worked-example", 70.0, 50)]


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_rescore_and_snapshot(cli):
    cli.invoke(ckan, ["mofcompliance", "load-demo"])
    result = cli.invoke(ckan, ["mofcompliance", "rescore", "--org", "mof-ops"])
    assert not result.exit_code, result.output
    assert "6 datasets scored" in result.output
    result = cli.invoke(ckan, ["mofcompliance", "snapshot"])
    assert not result.exit_code and "snapshots" in result.output


@pytest.mark.usefixtures("clean_db", "clean_queues")
def test_the_worker_runs_the_jobs_of_every_queue_the_extension_uses(cli):
    from ckan.lib import jobs
    from ckanext.mofcompliance import config
    from ckanext.mofcompliance.quality import jobs as quality_jobs
    assert quality_jobs.worker_queues() == ["default", config.quality_queue()]
    for queue in quality_jobs.worker_queues():
        jobs.enqueue(sum, [[1, 2]], queue=queue)
    result = cli.invoke(ckan, ["mofcompliance", "worker", "--burst"])
    assert not result.exit_code, result.output
    assert [len(jobs.get_queue(q)) for q in quality_jobs.worker_queues()] == [0, 0]
