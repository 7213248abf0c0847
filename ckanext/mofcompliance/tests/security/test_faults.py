"""Faults: with Redis unreachable, saving a dataset still succeeds and its score is current."""
import pytest

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
from ckan.tests import factories, helpers

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
