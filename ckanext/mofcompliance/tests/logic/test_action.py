"""Reads never write; writes commit once, unless the caller defers the commit."""
import contextlib

import pytest
import sqlalchemy as sa

import ckan.lib.jobs as jobs
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.access.scope import organization_of
from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.scoring import kpi_cache
from ckanext.mofcompliance.dashboard import summaries
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.tests.factories import complete_dataset

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def catalog(clean_db, clean_queues):
    org = factories.Organization(name="mof-ops")
    helpers.call_action("package_create", **complete_dataset(org["id"]))
    helpers.call_action("mofcompliance_plan_update", owner="mof-ops", issue="รายได้")
    return org


@contextlib.contextmanager
def database_writes():
    """The write statements and commits sent to PostgreSQL meanwhile."""
    engine = model.Session.get_bind()
    seen = []

    def statement(conn, cursor, sql, parameters, context, executemany):
        if sql.lstrip().upper().startswith(WRITES):
            seen.append(sql.split(None, 3)[:3])

    def commit(conn):
        seen.append("COMMIT")

    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "commit", commit)


@pytest.mark.parametrize("action, params", [
    ("mofcompliance_site_kpi", {}),
    ("mofcompliance_site_kpi", {"profile": "fy2567"}),
    ("mofcompliance_org_kpi", {"id": "mof-ops"}),
    ("mofcompliance_standard_show", {"scope": "resource"}),
])
def test_read_actions_write_nothing_even_when_the_cache_is_stale(catalog, action, params):
    model.Session.commit()
    with database_writes() as writes:
        result = helpers.call_action(action, **params)
    assert result
    assert writes == []


def test_a_stale_summary_is_computed_by_the_read_and_stored_by_a_job(catalog):
    first = helpers.call_action("mofcompliance_site_kpi")
    owners = [catalog["id"], kpi_cache.SITE]
    assert kpi_cache.fresh(owners, "fy2565", False) == {}
    queued = [j for j in jobs.get_queue().jobs if j.func is summaries.refresh_job]
    assert len(queued) == 1
    helpers.call_action("mofcompliance_site_kpi")  # a second reader queues nothing more
    assert len([j for j in jobs.get_queue().jobs if j.func is summaries.refresh_job]) == 1

    assert queued[0].perform() == 2
    assert set(kpi_cache.fresh(owners, "fy2565", False)) == set(owners)
    with database_writes() as writes:
        assert helpers.call_action("mofcompliance_site_kpi") == first
    assert writes == []


def test_a_change_after_the_refresh_is_seen_at_once(catalog):
    helpers.call_action("mofcompliance_site_kpi")
    next(j for j in jobs.get_queue().jobs if j.func is summaries.refresh_job).perform()
    helpers.call_action("package_create", **complete_dataset(catalog["id"]))
    site = helpers.call_action("mofcompliance_site_kpi")
    assert site["site"]["datasets"] == 2
    assert site["organizations"][0]["datasets"] == 2


def _plan_issue():
    return reads.plan_of(organization_of("mof-ops")["id"])["issue"]


def _use_cases():
    return reads.use_cases_of(organization_of("mof-ops")["id"])


def _scores():
    return model.Session.execute(sa.select(sa.func.count()).select_from(
        dataset_score_table)).scalar()


WRITE_ACTIONS = {
    "plan": ("mofcompliance_plan_update",
             {"owner": "mof-ops", "issue": "หนี้สาธารณะ"}, lambda: _plan_issue() == "หนี้สาธารณะ"),
    "use case": ("mofcompliance_use_case_create",
                 {"owner": "mof-ops", "dataset": "x", "link": "https://x.go.th/report",
                  "change": "ลดเวลา", "result": "2 วัน"}, lambda: len(_use_cases()) == 1),
    "rescore": ("mofcompliance_rescore", {}, lambda: _scores() == 1),
}


@pytest.mark.parametrize("defer", [True, False], ids=["deferred", "committed"])
@pytest.mark.parametrize("name", WRITE_ACTIONS)
def test_write_actions_respect_defer_commit(catalog, name, defer):
    action, params, written = WRITE_ACTIONS[name]
    if name == "rescore":
        model.Session.execute(dataset_score_table.delete())
        model.Session.commit()
    helpers.call_action(action, context={"defer_commit": defer}, **params)
    assert written()  # seen inside the transaction either way
    model.Session.rollback()
    assert written() is not defer
