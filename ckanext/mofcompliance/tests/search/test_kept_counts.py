"""Facet counts kept by the index (issue 25): after every kind of dataset change, the kept
counts equal the rows counted afresh, and a search without text (unfiltered or filtered by
one counted value) reads them and answers what counting gives, for anonymous readers,
members, outsiders and sysadmins."""
import threading

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.search import counts, query
from ckanext.mofcompliance.search.index import build_row, upsert_rows
from ckanext.mofcompliance.search.model import COUNT_KEY, facet_count_table

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
KEPT = ["organization", "owner_org", "groups", "tags", "res_format", "license_id",
        "mofcompliance_complete", "mofcompliance_open_level", "mofcompliance_qc_grade"]
READERS = [None, "member", "outsider", "sysadmin"]
SEARCHES = [{}, {"include_private": True}, {"include_private": True, "include_drafts": True},
            {"fq": "+dataset_type:dataset"}, {"fq": "tags:monthly"},
            {"fq": 'res_format:"CSV"', "include_private": True},
            {"fq": "mofcompliance_complete:false"}]


def search_as(user, **params):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


def stored_counts():
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row[:-1]): row[-1]
            for row in model.Session.execute(sa.select(facet_count_table))}


def recounted():
    """The counts as ``search-index rebuild`` counts them from the rows (rolled back)."""
    model.Session.commit()
    counts.recount()
    found = stored_counts()
    model.Session.rollback()
    return found


def kept_and_counted(user, params):
    """The answer read from the kept counts, and the same search counted (asking for one
    more facet, which is not kept, makes the search count)."""
    kept = search_as(user, rows=0, **{"facet.field": KEPT}, **params)
    counted = search_as(user, rows=0, **{"facet.field": KEPT + ["dataset_type"]}, **params)
    del counted["facets"]["dataset_type"], counted["search_facets"]["dataset_type"]
    return ({"count": kept["count"], "facets": kept["facets"]},
            {"count": counted["count"], "facets": counted["facets"]})


def assert_kept_counts_are_right(catalog):
    assert stored_counts() == recounted()
    for who in READERS:
        user = factories.Sysadmin() if who == "sysadmin" else catalog.get(who)
        by_organisation = {"fq": 'owner_org:"%s"' % catalog["mof"]["id"],
                           "include_private": True}
        for params in SEARCHES + [by_organisation]:
            kept, counted = kept_and_counted(user, params)
            assert kept == counted, (who, params)


@pytest.fixture
def catalog(clean_db):
    member, outsider = factories.User(), factories.User()
    mof = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    other = factories.Organization(users=[{"name": outsider["name"], "capacity": "editor"}])
    group = factories.Group(name="economy")
    made = {}
    for number, (org, private, tags) in enumerate([
            (mof, False, ["monthly", "การคลัง"]), (mof, False, ["monthly"]),
            (other, False, ["หนี้"]), (mof, True, ["การคลัง"]), (other, True, ["monthly"])]):
        made[number] = factories.Dataset(
            owner_org=org["id"], private=private, tags=[{"name": t} for t in tags],
            groups=[{"name": group["name"]}] if number % 2 == 0 else [],
            license_id="Open Data Common",
            resources=[{"url": "http://example.com/%d.csv" % number, "format": "CSV"},
                       {"url": "http://example.com/%d.csv" % number, "format": "CSV"}])
    factories.Dataset(owner_org=mof["id"], state="draft", tags=[{"name": "monthly"}])
    return {"member": member, "outsider": outsider, "mof": mof, "other": other,
            "datasets": made}


class TestKeptCountsEqualCountedOnes:
    def test_after_creating(self, catalog):
        assert_kept_counts_are_right(catalog)

    def test_after_changing_tags_groups_and_resources(self, catalog):
        first = catalog["datasets"][0]["id"]
        helpers.call_action("package_patch", id=first, tags=[{"name": "หนี้"}], groups=[])
        helpers.call_action("package_patch", id=catalog["datasets"][1]["id"], resources=[
            {"url": "http://example.com/x.json", "format": "JSON"}])
        assert_kept_counts_are_right(catalog)

    def test_after_private_and_public_both_ways(self, catalog):
        helpers.call_action("package_patch", id=catalog["datasets"][0]["id"], private=True)
        helpers.call_action("package_patch", id=catalog["datasets"][3]["id"], private=False)
        helpers.call_action("bulk_update_private", org_id=catalog["other"]["id"],
                            datasets=[catalog["datasets"][2]["id"]])
        assert_kept_counts_are_right(catalog)

    def test_after_moving_to_another_organisation(self, catalog):
        helpers.call_action("package_patch", id=catalog["datasets"][3]["id"],
                            owner_org=catalog["other"]["id"])
        assert_kept_counts_are_right(catalog)

    def test_after_deleting_and_purging(self, catalog):
        helpers.call_action("package_delete", id=catalog["datasets"][0]["id"])
        helpers.call_action("dataset_purge", id=catalog["datasets"][4]["id"])
        assert_kept_counts_are_right(catalog)

    def test_a_rolled_back_change_changes_no_count(self, catalog):
        before = stored_counts()
        upsert_rows([dict(build_row(helpers.call_action(
            "package_show", id=catalog["datasets"][1]["id"])), state="deleted")])
        model.Session.rollback()
        model.Session.commit()  # a later commit of the same session writes nothing stale
        assert stored_counts() == before

    def test_after_search_index_clear_and_rebuild(self, catalog, cli):
        from ckan.cli.cli import ckan
        assert not cli.invoke(ckan, ["search-index", "clear"]).exit_code
        assert stored_counts() == {}
        assert not cli.invoke(ckan, ["search-index", "rebuild", "--quiet"]).exit_code
        assert_kept_counts_are_right(catalog)

    def test_search_index_rebuild_recounts_counts_gone_wrong(self, catalog, cli):
        from ckan.cli.cli import ckan
        model.Session.execute(facet_count_table.update().where(
            facet_count_table.c.field == "tags").values(count=99))
        model.Session.commit()
        assert not cli.invoke(ckan, ["search-index", "rebuild", "--quiet"]).exit_code
        assert_kept_counts_are_right(catalog)


def _total(labels):
    """The kept number of active public datasets with exactly these labels."""
    return model.Session.execute(sa.select(facet_count_table.c["count"]).where(
        facet_count_table.c.filter_field == "", facet_count_table.c.field == "",
        facet_count_table.c.state == "active", facet_count_table.c.capacity == "public",
        facet_count_table.c.permission_labels == labels)).scalar()


@pytest.mark.ckan_config("ckanext.mofcompliance.search.kept_facets",
                         "tags notes extras_legacy name metadata_modified res_format")
def test_only_fields_filtered_by_exact_values_are_kept():
    assert counts.kept_fields() == ["tags", "res_format"]


class TestWhatReadsTheKeptCounts:
    """A count row moved by hand shows which searches read the kept counts."""

    def _add_to_the_public_total(self, number):
        model.Session.execute(facet_count_table.update().where(
            facet_count_table.c.field == "", facet_count_table.c.state == "active",
            facet_count_table.c.capacity == "public").values(
            count=facet_count_table.c["count"] + number))
        model.Session.commit()

    @pytest.mark.parametrize("params", [
        {}, {"fq": "+dataset_type:dataset"}, {"q": "*:*", "fq": "capacity:(public OR x)"},
        {"fq": 'tags:"monthly"'}, {"fq_list": ["tags:monthly", "+dataset_type:dataset"]}])
    def test_a_search_without_text_filtered_by_keyed_columns_reads_them(self, catalog,
                                                                        params):
        counted = search_as(None, **params)["count"]
        self._add_to_the_public_total(100)
        assert search_as(None, **params)["count"] == counted + 100

    @pytest.mark.parametrize("params", [
        {"q": "monthly"}, {"fq": "-dataset_type:harvest"}, {"facet.field": ["dataset_type"]},
        {"fq": "tags:monthly tags:การคลัง"}, {"fq": "tags:(monthly OR หนี้)"},
        {"fq": "notes:monthly"}, {"fq": "-tags:monthly"}])
    def test_text_other_filters_and_facets_not_kept_are_counted(self, catalog, params):
        counted = search_as(None, **params)["count"]
        self._add_to_the_public_total(100)
        assert search_as(None, **params)["count"] == counted

    def test_a_field_not_yet_counted_is_counted_not_read(self, catalog):
        facets = {"facet.field": ["tags"], "rows": 0}
        counted = search_as(None, **facets)["facets"]
        model.Session.execute(facet_count_table.update().where(
            facet_count_table.c.field == "tags").values(count=99))
        model.Session.execute(sa.text(
            "DELETE FROM mofcompliance_search_kept_fields WHERE field = 'tags'"))
        model.Session.commit()
        assert search_as(None, **facets)["facets"] == counted

    def test_a_dataset_counts_once_though_the_reader_holds_several_of_its_labels(
            self, catalog):
        labels = ["member-%s" % catalog["mof"]["id"], "public"]
        model.Session.execute(facet_count_table.update().where(
            facet_count_table.c.permission_labels == ["public"]).values(
            permission_labels=labels))
        model.Session.commit()
        assert _total(labels) == 3
        member = search_as(catalog["member"], include_private=True)
        assert member["count"] == 4  # three public, one private of mof's: each once


class TestPagesOfCommonValues:
    @pytest.mark.parametrize("params", [
        {"fq": 'res_format:"CSV"'}, {"fq": "tags:monthly", "rows": 1, "start": 1},
        {"fq": "tags:monthly", "include_private": True}, {"fq": "+dataset_type:dataset"}])
    def test_a_page_listed_walking_the_newest_first_index_is_the_same(self, catalog,
                                                                     monkeypatch, params):
        """A search filtered by a common value lists its page without the GIN index; the
        page is the one the index gives (here every value counts as common)."""
        member = catalog["member"]
        gathered = search_as(member, **params)
        monkeypatch.setattr(query, "WALK_NEWEST_FROM", 1)
        walked = search_as(member, **params)
        assert [d["name"] for d in walked["results"]] == \
            [d["name"] for d in gathered["results"]] != []


class TestConcurrentWriters:
    def test_a_transaction_writes_its_count_changes_in_one_statement_in_key_order(
            self, catalog):
        written = []

        def capture(connection, cursor, statement, parameters, context, executemany):
            if statement.startswith("INSERT INTO %s " % facet_count_table.name):
                written.append(parameters)

        sa.event.listen(model.meta.engine, "before_cursor_execute", capture)
        try:
            helpers.call_action("package_patch", id=catalog["datasets"][0]["id"],
                                private=True, tags=[{"name": t} for t in ("zz", "aa", "mm")])
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", capture)
        (parameters,) = written
        keys = [tuple(tuple(parameters["%s_m%d" % (column, number)])
                      if column == "permission_labels"
                      else parameters["%s_m%d" % (column, number)] for column in COUNT_KEY)
                for number in range(len(parameters) // (len(COUNT_KEY) + 1))]
        assert len(keys) > 10 and keys == sorted(keys)

    def test_writers_in_opposite_orders_neither_deadlock_nor_lose_counts(self, catalog):
        """Two connections write, one transaction at a time, each its own four datasets
        and one of six shared ones, the shared ones in opposite orders, with tags that
        change on every turn: they change the same dataset rows and the same count rows
        at the same time, in different orders."""
        mof = catalog["mof"]["id"]
        made = [factories.Dataset(owner_org=mof)["id"] for _ in range(14)]
        rows = {pid: build_row(helpers.call_action("package_show", id=pid)) for pid in made}
        model.Session.commit()
        shared, own = made[:6], {"a": made[6:10], "b": made[10:]}
        failures = []

        def write(side, order, step):
            try:
                for turn in range(24):
                    tags = ["tag-%d" % ((turn * step + i) % 7) for i in range(3)]
                    upsert_rows([_tagged(rows[pid], tags) for pid in
                                 own[side] + [order[turn % len(order)]]])
                    model.Session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                failures.append((side, error))
            finally:
                model.Session.remove()

        threads = [threading.Thread(target=write, args=("a", shared, 1)),
                   threading.Thread(target=write, args=("b", shared[::-1], 3))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert stored_counts() == recounted()
        assert search_as(None, rows=0)["count"] == 14 + 3


def _tagged(row, tags):
    return dict(row, fields=dict(row["fields"], tags=tags))
