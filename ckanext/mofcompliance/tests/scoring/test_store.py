"""The score store follows every dataset change, in the same transaction."""
import pytest

import ckan.model as model
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import rebuild

from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.kpi import evaluation as kpi
from ckanext.mofcompliance.tests.factories import complete_dataset


def stored(package_id):
    return model.Session.execute(dataset_score_table.select().where(
        dataset_score_table.c.package_id == package_id)).first()


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops")


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_create_update_and_delete_reach_the_store_at_once(org):
    dataset = helpers.call_action("package_create",
                                  **complete_dataset(org["id"], maintainer_email=""))
    assert stored(dataset["id"]).missing_items == ["maintainer_email"]
    helpers.call_action("package_patch", id=dataset["id"], maintainer_email="data@mof.go.th")
    assert stored(dataset["id"]).metadata_complete is True
    helpers.call_action("package_delete", id=dataset["id"])
    assert stored(dataset["id"]) is None


def test_a_resource_change_rescores_the_dataset(org):
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    assert stored(dataset["id"]).open_level == 0
    helpers.call_action("resource_create", package_id=dataset["id"], name="รายเดือน",
                        url="https://data.mof.go.th/fiscal.csv", format="CSV")
    assert stored(dataset["id"]).open_level >= 1


def test_a_refused_change_leaves_the_store_as_it_was(org):
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    with pytest.raises(ValidationError) as error:
        helpers.call_action("package_patch", id=dataset["id"], maintainer_email="broken")
    assert "maintainer_email" in error.value.error_dict
    assert stored(dataset["id"]).metadata_complete is True


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_bulk_rescore_gives_what_package_show_gives(org):
    names = []
    for missing in ({}, {"objective": []}, {"geo_coverage": "", "data_format": []}):
        created = helpers.call_action("package_create", **complete_dataset(
            org["id"], resources=[{"url": "https://x.go.th/a.csv", "name": "a", "format": "CSV",
                                   "authoritative_source": "True"}], **missing))
        names.append(created["name"])
    model.Session.execute(dataset_score_table.delete())
    model.Session.commit()
    assert rebuild.rescore() == 3
    from_store = {r.name: r for r in reads.dataset_results("fy2565")[org["id"]]}
    for name in names:
        expected = kpi.assess_dataset(helpers.call_action("package_show", id=name), "fy2565")
        assert from_store[name] == expected


def test_the_bulk_rescore_stores_any_text_as_the_dataset_write_did(org):
    """The rescore writes its rows with COPY: backslashes, tabs, line breaks and Thai in a
    resource's name reach the stored results intact."""
    name = "C:\\ข้อมูล\\new\tรายงาน\nปี 2567 \\N \"q\""
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], resources=[{"url": "https://x.go.th/a.csv", "name": name, "format": "CSV",
                               "authoritative_source": "True"}]))
    written = dict(stored(dataset["id"])._mapping)
    assert rebuild.rescore() == 1
    rescored = dict(stored(dataset["id"])._mapping)
    assert name in strings(rescored["results"])
    for row in (written, rescored):
        del row["scored_at"]
    assert rescored == written


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_a_rescore_scored_by_forked_processes_stores_the_same_rows(org):
    """Large catalogs are scored by one process per core while this one reads and writes:
    the same rows, written in the caller's transaction."""
    for number, missing in enumerate(({}, {"objective": []}, {"geo_coverage": ""})):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name="dataset-%d" % number, resources=[{
                "url": "https://x.go.th/%d.csv" % number, "name": "ชุด\t%d" % number,
                "format": "CSV"}], **missing))

    def rows():
        return {r.package_id: {k: v for k, v in r._mapping.items() if k != "scored_at"}
                for r in model.Session.execute(dataset_score_table.select())}

    assert rebuild.rescore(processes=1) == 3
    alone = rows()
    model.Session.execute(dataset_score_table.delete())
    model.Session.commit()
    assert rebuild.rescore(processes=2) == 3
    assert rows() == alone
    model.Session.rollback()  # the caller's transaction: nothing written by the children
    assert rows() == {}


def test_snapshots_record_each_organisation_and_the_site(org):
    helpers.call_action("package_create", **complete_dataset(org["id"]))
    assert reads.take_snapshots() == 2 * len(kpi.profile_ids())
    history = reads.snapshots_of(org["id"], "fy2565")
    assert len(history) == 1 and history[0]["datasets"] == 1 and history[0]["complete"] == 1


def test_checks_stored_without_the_index_still_score_the_dataset(org):
    """When the search index cannot be written after a check (Solr down), the checker's
    signal has the score store score the dataset, as the index hook would have."""
    from ckanext.mofcompliance.quality import jobs
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    model.Session.execute(dataset_score_table.delete())
    assert stored(dataset["id"]) is None
    jobs.not_indexed.send(dataset["id"], pkg_dict=helpers.call_action(
        "package_show", id=dataset["id"]))
    assert stored(dataset["id"]).metadata_complete is True


@pytest.mark.ckan_config("ckanext.mofcompliance.verify_openness", "true")
def test_a_verified_result_is_kept_only_where_a_check_changed_it(org):
    """Unchecked, a dataset's row keeps no verified result: the declared one is verified.
    A row written before, with every ruleset's verified result in full, reads the same."""
    dataset = helpers.call_action("package_create", **complete_dataset(org["id"]))
    row = stored(dataset["id"])
    assert row.verified == {} and row.verified_open_level == row.open_level
    results, levels = reads.results_and_levels("fy2565")
    assert results == reads.dataset_results("fy2565")
    assert levels[dataset["id"]] == {"declared_open_level": row.open_level,
                                     "verified_open_level": row.open_level}

    in_full = {ruleset: result[4] for ruleset, result in row.results.items()}
    model.Session.execute(dataset_score_table.update().values(verified=in_full))
    assert stored(dataset["id"]).verified == in_full
    assert reads.results_and_levels("fy2565") == (results, levels)
    assert reads.dataset_results("fy2565") == results
