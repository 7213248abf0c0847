"""The stored checks leave with what they are about: a deleted resource's check, and every
check of a purged dataset (their URLs and quoted cells with them)."""
import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.quality import store
from ckanext.mofcompliance.quality.checker import core
from ckanext.mofcompliance.quality.model import resource_check_table as checks
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality.test_jobs import queues, run_queued  # noqa: F401

from . import servers

pytestmark = [*servers.ALLOWED, pytest.mark.usefixtures("queues")]


@pytest.fixture
def site():
    server = servers.serve()
    for name in ("a", "b", "c"):
        server.routes["/%s.csv" % name] = (200, {"Content-Type": "text/csv"}, servers.GOOD_CSV)
    yield server
    servers.stop(server)


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops")


def checked_dataset(org, site, name, files):
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], name=name, resources=[{"url": site.url("/%s.csv" % f), "format": "CSV",
                                          "name": f} for f in files]))
    run_queued()
    return dataset


def stored(package_id):
    """The resource ids of the dataset's stored checks."""
    return set(model.Session.execute(sa.select(checks.c.resource_id).where(
        checks.c.package_id == package_id)).scalars())


def test_a_deleted_resource_leaves_no_check(org, site):
    dataset = checked_dataset(org, site, "budget", ["a", "b", "c"])
    first, second, third = (r["id"] for r in dataset["resources"])
    assert stored(dataset["id"]) == {first, second, third}

    helpers.call_action("resource_delete", id=first)
    assert stored(dataset["id"]) == {second, third}
    # a check that was under way when the resource went is not stored
    store.save(dict(dataset["resources"][0], package_id=dataset["id"]),
               core.blank_result(dataset["resources"][0]))
    assert stored(dataset["id"]) == {second, third}

    # left out by an update of the dataset
    shown = helpers.call_action("package_show", id=dataset["id"])
    helpers.call_action("package_update", **dict(shown, resources=[
        r for r in shown["resources"] if r["id"] == third]))
    assert stored(dataset["id"]) == {third}


def test_a_purged_dataset_leaves_no_check(org, site):
    purged = checked_dataset(org, site, "purged", ["a", "b"])
    kept = checked_dataset(org, site, "kept", ["c"])
    assert len(stored(purged["id"])) == 2

    helpers.call_action("dataset_purge", id="purged")

    assert stored(purged["id"]) == set()
    assert model.Session.execute(sa.select(sa.func.count()).select_from(checks).where(
        checks.c.url.like("%/a.csv"))).scalar() == 0
    assert stored(kept["id"]) == {kept["resources"][0]["id"]}
