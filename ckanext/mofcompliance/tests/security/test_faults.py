"""Faults: with Redis unreachable, saving a dataset still succeeds and its score is current;
with PostgreSQL restarted mid-import, the import leaves nothing half-written and can be run
again."""
import io
import time

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.pool import NullPool

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
import ckan.model as model
from ckan.tests import factories, helpers
from ckanext.mofcompliance.excel import cli as commands, importer
from ckanext.mofcompliance.scoring import store as score_store
from ckanext.mofcompliance.tests.excel import builders
from ckanext.mofcompliance.tests.factories import complete_dataset

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def no_redis(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.redis.url", DEAD_REDIS)
    # CKAN caches its Redis pool and its job queues: both must see the dead address.
    monkeypatch.setattr(ckan_redis, "_connection_pool", None, raising=False)
    monkeypatch.setattr(ckan_jobs, "_queues", {}, raising=False)
    yield
    monkeypatch.setattr(ckan_redis, "_connection_pool", None, raising=False)


@pytest.mark.usefixtures("clean_db", "no_redis")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_saving_with_redis_down_keeps_the_score_current():
    org = factories.Organization()
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], maintainer_email=""))
    helpers.call_action("package_patch", id=dataset["id"], maintainer_email="a@b.go.th")
    report = helpers.call_action("mofcompliance_org_kpi", id=org["id"])
    assert report["datasets"][0]["metadata_complete"] is True


@pytest.mark.usefixtures("clean_db", "no_redis")
def test_a_background_rescore_without_a_queue_runs_at_once():
    org = factories.Organization()
    helpers.call_action("package_create", **complete_dataset(org["id"]))
    assert helpers.call_action("mofcompliance_rescore", background=True) == {"datasets": 1}


# ---------------------------------------------------------------- PostgreSQL lost mid-import
#
# The shared PostgreSQL server is not restarted: what the importer sees of a restart is its
# connection cut under it, which is done from a second connection (pg_terminate_backend).

FIVE = ["ds-1", "ds-2", "ds-3", "ds-4", "ds-5"]
NOTHING = {"datasets": 0, "search index rows": 0, "score rows": 0}
ALL_FIVE = {"datasets": 5, "search index rows": 5, "score rows": 5}
LOST = "the connection to the database was lost during the import"
LEAKS = ("Traceback", "OperationalError", "psycopg2", "SELECT", "[SQL")


def other_connection():
    return sa.create_engine(model.Session.get_bind().url, poolclass=NullPool).connect()


def cut_the_importers_connection():
    """Terminate the backend of the import's session, and wait until it is gone."""
    pid = model.Session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    with other_connection() as other:
        assert other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        deadline = time.monotonic() + 10
        while other.execute(sa.text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"),
                            {"pid": pid}).first():
            assert time.monotonic() < deadline, "backend %d outlived its termination" % pid
            time.sleep(0.01)


def restart_postgres(monkeypatch, module, function, at_call):
    """Cut the connection when ``module.function`` is called for the ``at_call``-th time
    (once only: a run after it goes through)."""
    real, calls = getattr(module, function), []

    def cut_then_call(*args, **kwargs):
        calls.append(args)
        if len(calls) == at_call:
            cut_the_importers_connection()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, function, cut_then_call)


# The importer applies the datasets one by one (``_apply``), then CKAN indexes and scores
# them at the commit (``before_dataset_index``): the connection is lost in either phase.
WHEN = {
    "at the 3rd of 5 datasets": (importer, "_apply"),
    "while indexing the 3rd at the commit": (score_store, "on_dataset_index"),
}


@pytest.fixture(params=list(WHEN))
def postgres_restarts(request, monkeypatch):
    module, function = WHEN[request.param]
    restart_postgres(monkeypatch, module, function, at_call=3)


def in_database(org_id):
    """What PostgreSQL holds of the workbook's datasets, read on a connection of its own."""
    with other_connection() as db:
        def count(sql):
            return db.execute(sa.text(sql), {"names": tuple(FIVE), "org": org_id}).scalar()
        return {
            "datasets": count("SELECT count(*) FROM package WHERE name IN :names"),
            "search index rows": count(
                "SELECT count(*) FROM mofcompliance_search_index WHERE name IN :names"),
            "score rows": count(
                "SELECT count(*) FROM mofcompliance_dataset_score WHERE owner_org = :org"),
        }


@pytest.fixture
def steward(clean_db):
    return factories.UserWithToken(name="steward")


@pytest.fixture
def org(steward):
    return factories.Organization(name="mof-ops", title=builders.ORG_TITLE,
                                  users=[{"name": "steward", "capacity": "admin"}])


@pytest.fixture
def five_datasets(tmp_path):
    return builders.workbook(tmp_path, [builders.package(name) for name in FIVE])


def test_postgres_lost_mid_import_leaves_nothing_and_the_import_runs_again(
        org, five_datasets, postgres_restarts):
    target = importer.Target(organization=org, user="steward", private=False)

    outcome = importer.import_file(str(five_datasets), "catalog.xlsx", target, "reject",
                                   dry_run=False)
    assert not outcome.committed
    assert [(p.message_th, p.message_en) for p in outcome.problems] == [importer.DATABASE_LOST]
    assert in_database(org["id"]) == NOTHING
    assert model.Session.query(model.Package).filter(   # the session is usable again
        model.Package.name.in_(FIVE)).count() == 0

    again = importer.import_file(str(five_datasets), "catalog.xlsx", target, "reject",
                                 dry_run=False)
    assert again.committed and again.created == FIVE and again.problems == []
    assert in_database(org["id"]) == ALL_FIVE
    assert helpers.call_action("package_search", q="owner_org:%s" % org["id"])["count"] == 5


def test_the_import_command_reports_a_lost_database_in_a_sentence(
        org, five_datasets, postgres_restarts):
    def import_command():
        return CliRunner().invoke(commands.import_workbook,
                                  [str(five_datasets), "--org", "mof-ops", "--public"])

    failed = import_command()
    assert failed.exit_code == 1 and isinstance(failed.exception, SystemExit)
    assert LOST in failed.output and "nothing was written" in failed.output
    assert not [leak for leak in LEAKS if leak in failed.output]
    assert in_database(org["id"]) == NOTHING

    again = import_command()
    assert again.exit_code == 0 and "created 5 and updated 0" in again.output
    assert in_database(org["id"]) == ALL_FIVE


def test_the_import_page_reports_a_lost_database_in_a_sentence(
        app, ckan_config, monkeypatch, tmp_path, steward, org, five_datasets):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    auth = {"Authorization": steward["token"]}

    def upload_and_commit(postgres_restarts=False):
        """Upload the workbook (its dry run passes) and commit it: the report page."""
        staged = app.post("/organization/mof-ops/nso-import", headers=auth,
                          follow_redirects=False, data={
                              "workbook": (io.BytesIO(five_datasets.read_bytes()),
                                           "catalog.xlsx")})
        assert staged.status_code == 302
        report = staged.headers["Location"]
        if postgres_restarts:  # during the commit, at its 3rd dataset
            restart_postgres(monkeypatch, importer, "_apply", at_call=3)
        committed = app.post(report + "/commit", headers=auth, follow_redirects=False)
        assert committed.status_code == 302
        return app.get(report, headers=auth)

    page = upload_and_commit(postgres_restarts=True)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and LOST in body and "nothing was written" in body
    assert not [leak for leak in LEAKS if leak in body]
    assert in_database(org["id"]) == NOTHING

    again = upload_and_commit().get_data(as_text=True)
    assert "Committed: 5 datasets created, 0 updated." in again
    assert in_database(org["id"]) == ALL_FIVE
