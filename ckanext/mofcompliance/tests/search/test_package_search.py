"""Contract tests: the package_search calls CKAN's pages, API and harvesters make,
answered by ``mofcompliance_pgsearch`` (the README's "Search without Solr")."""
from collections import Counter
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.mofcompliance.search.model import search_facet_table
from ckanext.mofcompliance.search.query import PgPackageSearchQuery

# These tests are about search: the datasets need not carry all 14 DGA items.
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
OPEN = "Open Data Common"
CC_BY = "Creative Commons Attributions"


def search_as(user=None, **params):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context=context, **params)


def names(result):
    return sorted(d["name"] for d in result["results"])


@pytest.fixture
def catalog(clean_db):
    """A small MOF catalog: two organisations, a group, public, private and draft datasets."""
    member = factories.User()
    outsider = factories.User()
    mof = factories.Organization(
        name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง",
        users=[{"name": member["name"], "capacity": "editor"}])
    other = factories.Organization(
        name="other-agency", title="Other Agency",
        users=[{"name": outsider["name"], "capacity": "editor"}])
    group = factories.Group(name="economy")
    fiscal = factories.Dataset(
        name="fiscal-balance", title="ดุลการคลังตามกระแสเงินสด รายเดือน",
        notes="Monthly cash-basis fiscal balance of the Thai government",
        owner_org=mof["id"], tags=[{"name": "การคลัง"}, {"name": "monthly"}],
        groups=[{"name": group["name"]}], license_id=OPEN,
        data_source="สำนักงานเศรษฐกิจการคลัง",
        extras=[{"key": "legacy_code", "value": "MOF-FB-0001"}],
        resources=[{"url": "http://example.com/a.csv", "format": "CSV", "name": "ข้อมูลรายเดือน"},
                   {"url": "http://example.com/a.pdf", "format": "PDF"}])
    revenue = factories.Dataset(
        name="government-revenue", title="ผลการจัดเก็บรายได้ของรัฐบาล",
        notes="Government revenue collection", owner_org=mof["id"],
        tags=[{"name": "รายได้"}, {"name": "monthly"}], license_id=OPEN,
        resources=[{"url": "http://example.com/r.xlsx", "format": "XLSX"}])
    debt = factories.Dataset(
        name="public-debt", title="หนี้สาธารณะคงค้าง", notes="Outstanding public debt",
        owner_org=other["id"], tags=[{"name": "หนี้"}], license_id=CC_BY,
        resources=[{"url": "http://example.com/d.csv", "format": "CSV"}])
    secret = factories.Dataset(
        name="internal-budget-draft", title="ร่างงบประมาณภายใน", private=True,
        owner_org=mof["id"], tags=[{"name": "การคลัง"}])
    draft = factories.Dataset(name="unfinished", title="Unfinished dataset",
                              owner_org=mof["id"], state="draft")
    return {
        "member": member, "outsider": outsider, "mof": mof, "other": other, "group": group,
        "fiscal": fiscal, "revenue": revenue, "debt": debt, "secret": secret, "draft": draft,
    }


class TestFullText:
    def test_thai_word_inside_a_title_written_without_spaces(self, catalog):
        assert names(search_as(q="ดุลการคลัง")) == ["fiscal-balance"]
        assert names(search_as(q="กระแสเงินสด")) == ["fiscal-balance"]
        assert names(search_as(q="รายได้")) == ["government-revenue"]

    def test_english_words_in_notes_are_all_required(self, catalog):
        assert names(search_as(q="fiscal balance")) == ["fiscal-balance"]
        assert names(search_as(q="fiscal revenue")) == []

    def test_tags_organisation_title_extras_and_resource_names_are_searched(self, catalog):
        assert names(search_as(q="monthly")) == ["fiscal-balance", "government-revenue"]
        assert names(search_as(q="ปลัดกระทรวงการคลัง")) == ["fiscal-balance", "government-revenue"]
        assert names(search_as(q="เศรษฐกิจการคลัง")) == ["fiscal-balance"]
        assert names(search_as(q="MOF-FB")) == ["fiscal-balance"]
        assert names(search_as(q="ข้อมูลรายเดือน")) == ["fiscal-balance"]

    def test_search_is_case_insensitive_and_ignores_zero_width_spaces(self, catalog):
        assert names(search_as(q="FISCAL")) == ["fiscal-balance"]
        assert names(search_as(q="ดุล\u200bการคลัง")) == ["fiscal-balance"]

    def test_phrase(self, catalog):
        assert names(search_as(q='"public debt"')) == ["public-debt"]
        assert names(search_as(q='"debt public"')) == []

    def test_title_hits_rank_above_notes_hits(self, catalog):
        factories.Dataset(name="notes-only", title="Another one",
                          notes="mentions หนี้สาธารณะ in passing", owner_org=catalog["mof"]["id"])
        result = search_as(q="หนี้สาธารณะ")
        assert [d["name"] for d in result["results"]] == ["public-debt", "notes-only"]


class TestFilters:
    def test_facet_filters_as_the_dataset_page_sends_them(self, catalog):
        fq = ' tags:"monthly" res_format:"CSV"'
        assert names(search_as(fq=fq)) == ["fiscal-balance"]
        assert names(search_as(fq=' organization:"other-agency"')) == ["public-debt"]
        assert names(search_as(fq=' license_id:"%s"' % CC_BY)) == ["public-debt"]
        assert names(search_as(fq=' data_source:"สำนักงานเศรษฐกิจการคลัง"')) == ["fiscal-balance"]
        assert names(search_as(fq=' groups:"economy"')) == ["fiscal-balance"]

    def test_required_excluded_and_or_lists(self, catalog):
        assert names(search_as(fq="+res_format:CSV -tags:หนี้")) == ["fiscal-balance"]
        assert names(search_as(fq="organization:mof-ops OR organization:other-agency")) \
            == ["fiscal-balance", "government-revenue", "public-debt"]
        assert names(search_as(fq="-organization:mof-ops")) == ["public-debt"]
        assert names(search_as(fq="res_format:(XLSX OR PDF)")) == ["fiscal-balance", "government-revenue"]

    def test_owner_org_dataset_type_and_creator(self, catalog):
        mof_id = catalog["mof"]["id"]
        assert names(search_as(fq='+owner_org:"%s" +dataset_type:dataset' % mof_id)) \
            == ["fiscal-balance", "government-revenue"]
        creator = catalog["fiscal"]["creator_user_id"]
        assert len(search_as(fq="+creator_user_id:%s" % creator)["results"]) >= 1

    def test_drafts_only_when_asked(self, catalog):
        sysadmin = factories.Sysadmin()
        assert "unfinished" not in names(search_as(sysadmin))
        assert "unfinished" in names(search_as(sysadmin, include_drafts=True))

    def test_harvester_paging_and_modified_since(self, catalog):
        since = (datetime.utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        pages = [search_as(fq="metadata_modified:[%s TO *]" % since, rows=2, start=start,
                           sort="id asc") for start in (0, 2)]
        ids = [d["id"] for page in pages for d in page["results"]]
        assert ids == sorted(ids) and len(ids) == 3
        future = (datetime.utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert search_as(fq="metadata_modified:[%s TO *]" % future)["count"] == 0

    def test_bad_syntax_is_a_validation_error_not_a_crash(self, catalog):
        with pytest.raises(search.SearchQueryError, match="unterminated phrase"):
            search_as(q='title:"unterminated')


class TestOperators:
    """Boosts, fuzzy and proximity: supported, or refused by name; never searched as text."""

    def test_a_boost_reorders_by_relevance_and_matches_the_same(self, catalog):
        plain = search_as(q="monthly OR revenue")
        assert names(plain) == ["fiscal-balance", "government-revenue"]
        boosted = search_as(q='monthly OR title:"ดุลการคลัง"^10')
        assert [d["name"] for d in boosted["results"]][0] == "fiscal-balance"
        other_way = search_as(q="monthly OR revenue^10")
        assert [d["name"] for d in other_way["results"]] == ["government-revenue",
                                                             "fiscal-balance"]
        assert names(search_as(q='title:"ดุลการคลัง"^2')) == ["fiscal-balance"]

    def test_fuzzy_finds_a_word_spelled_alike(self, catalog):
        assert names(search_as(q="revenu~")) == ["government-revenue"]
        assert names(search_as(q="revenu~0")) == ["government-revenue"]  # as written: a substring
        assert names(search_as(q="goverment~")) == ["fiscal-balance", "government-revenue"]
        assert names(search_as(q="goverment")) == []
        assert names(search_as(q="notes:outstandng~")) == ["public-debt"]

    @pytest.mark.parametrize("q, named, thai", [
        ('"fiscal balance"~3', '"fiscal balance"~3', "ไม่รองรับการค้นหาคำที่อยู่ห่างกัน"),
        ("tags:monthy~", "monthy~", "การค้นหาคำที่สะกดใกล้เคียง")])
    def test_what_is_not_supported_is_refused_naming_the_operator(self, app, catalog, q, named,
                                                                  thai):
        with pytest.raises(search.SearchQueryError) as error:
            search_as(q=q)
        assert named in str(error.value)
        response = app.get("/api/3/action/package_search", query_string={"q": q})
        assert response.status_code == 400 and named in response.json["error"]["message"]
        page = app.get("/th/dataset/", query_string={"q": q})
        assert page.status_code == 400
        assert named.replace('"', "&#34;") in page.get_data(as_text=True)
        assert thai in page.get_data(as_text=True)

    def test_a_phrase_with_no_distance_is_the_phrase(self, catalog):
        assert names(search_as(q='"fiscal balance"~0')) == ["fiscal-balance"]


class TestFacetsSortPaging:
    def test_facet_counts_limit_and_mincount(self, catalog):
        result = search_as(**{"facet.field": ["tags", "res_format", "organization", "license_id",
                                              "groups"], "rows": 0})
        assert result["facets"]["tags"] == {"monthly": 2, "การคลัง": 1, "รายได้": 1, "หนี้": 1}
        assert result["facets"]["res_format"] == {"CSV": 2, "PDF": 1, "XLSX": 1}
        assert result["facets"]["organization"] == {"mof-ops": 2, "other-agency": 1}
        limited = search_as(**{"facet.field": ["tags"], "facet.limit": 1, "facet.mincount": 2})
        assert limited["facets"]["tags"] == {"monthly": 2}
        titles = {i["name"]: i["display_name"]
                  for i in result["search_facets"]["organization"]["items"]}
        assert titles["mof-ops"] == "สำนักงานปลัดกระทรวงการคลัง"

    @pytest.mark.parametrize("sort, expected", [
        ("name asc", ["fiscal-balance", "government-revenue", "public-debt"]),
        ("name desc", ["public-debt", "government-revenue", "fiscal-balance"]),
        ("title_string asc", ["fiscal-balance", "government-revenue", "public-debt"]),
        ("metadata_modified desc", ["public-debt", "government-revenue", "fiscal-balance"]),
    ])
    def test_sort(self, catalog, sort, expected):
        assert [d["name"] for d in search_as(sort=sort)["results"]] == expected

    def test_invalid_sort_is_refused(self, catalog):
        with pytest.raises(search.SearchQueryError) as error:
            search_as(sort="name sideways")
        assert "sort" in str(error.value)

    def test_rows_and_start(self, catalog):
        first = search_as(sort="name asc", rows=2)
        second = search_as(sort="name asc", rows=2, start=2)
        assert first["count"] == second["count"] == 3
        assert [d["name"] for d in first["results"] + second["results"]] == \
            ["fiscal-balance", "government-revenue", "public-debt"]

    @pytest.mark.parametrize("params, expected", [
        ({}, ["government-revenue", "fiscal-balance"]),  # same rank: the newest first
        ({"rows": 1, "start": 1}, ["fiscal-balance"]),
        ({"sort": "name asc"}, ["fiscal-balance", "government-revenue"]),
        ({"sort": "name desc", "rows": 1, "start": 1}, ["fiscal-balance"]),
        ({"sort": "metadata_created asc", "rows": 1}, ["fiscal-balance"]),
        ({"sort": "title_string desc"}, ["government-revenue", "fiscal-balance"]),
        ({"sort": "legacy_code asc"}, ["fiscal-balance", "government-revenue"]),
    ])
    def test_a_text_search_with_facets_pages_and_sorts_its_matches(self, catalog, params,
                                                                  expected):
        """The page of a text search is ranked in the pass that counts the matches and
        their facets, except when sorted by a field that pass does not keep."""
        result = search_as(q="monthly", **{"facet.field": ["tags", "res_format"]}, **params)
        assert [d["name"] for d in result["results"]] == expected
        assert result["count"] == 2
        assert result["facets"]["tags"]["monthly"] == 2


class TestPermissions:
    def test_private_dataset_hidden_from_anonymous_and_other_organisations(self, catalog):
        for user in (None, catalog["outsider"]):
            found = names(search_as(user, q="ร่างงบประมาณ", include_private=True))
            assert found == []

    def test_private_dataset_visible_to_its_organisation_and_sysadmins(self, catalog):
        for user in (catalog["member"], factories.Sysadmin()):
            assert names(search_as(user, q="ร่างงบประมาณ", include_private=True)) \
                == ["internal-budget-draft"]
            assert names(search_as(user, q="ร่างงบประมาณ")) == []

    def test_autocomplete_respects_permissions(self, catalog):
        def autocomplete(user, q):
            context = {"user": user["name"] if user else "", "ignore_auth": False}
            return [d["name"] for d in helpers.call_action(
                "package_autocomplete", context=context, q=q)]
        assert autocomplete(None, "ร่าง") == []
        assert autocomplete(catalog["member"], "ร่าง") == ["internal-budget-draft"]
        assert autocomplete(None, "fiscal") == ["fiscal-balance"]


class TestCountsAndIndexLifecycle:
    def test_organisation_and_group_dataset_counts(self, app, catalog):
        listed = app.get("/api/3/action/organization_list?all_fields=true").json["result"]
        assert {o["name"]: o["package_count"] for o in listed} == {"mof-ops": 2, "other-agency": 1}
        member = {"user": catalog["member"]["name"], "ignore_auth": False}
        shown = helpers.call_action("organization_show", context=member, id="mof-ops")
        assert shown["package_count"] == 3  # its members count the private dataset too
        assert helpers.call_action("group_show", id="economy")["package_count"] == 1

    def test_update_and_delete_are_indexed_at_once(self, catalog):
        helpers.call_action("package_patch", id="public-debt", title="หนี้สาธารณะคงค้าง ปรับปรุง")
        assert names(search_as(q="ปรับปรุง")) == ["public-debt"]
        helpers.call_action("package_delete", id="public-debt")
        assert names(search_as(q="หนี้สาธารณะ")) == []

    def test_bulk_private_and_public_updates_reach_the_index(self, catalog):
        mof = catalog["mof"]["id"]
        helpers.call_action("bulk_update_private", org_id=mof,
                            datasets=[catalog["fiscal"]["id"]])
        assert "fiscal-balance" not in names(search_as())
        helpers.call_action("bulk_update_public", org_id=mof,
                            datasets=[catalog["fiscal"]["id"]])
        assert "fiscal-balance" in names(search_as())

    def test_index_row_rolls_back_with_the_dataset(self, catalog):
        query = PgPackageSearchQuery()
        pkg = model.Package.get("public-debt")
        pkg.title = "rolled back title"
        search.index_for(model.Package).update_dict(
            helpers.call_action("package_show", id="public-debt"))
        model.Session.rollback()
        assert query.get_index("public-debt")["title"] == "หนี้สาธารณะคงค้าง"

    def test_search_index_clear_rebuild_and_check(self, catalog, cli):
        from ckan.cli.cli import ckan
        result = cli.invoke(ckan, ["search-index", "clear"])
        assert not result.exit_code, result.output
        assert search_as()["count"] == 0
        result = cli.invoke(ckan, ["search-index", "rebuild", "--quiet"])
        assert not result.exit_code, result.output
        assert search_as()["count"] == 3
        result = cli.invoke(ckan, ["search-index", "check"])
        assert "Packages not indexed = 0" in result.output

    def test_package_show_reads_the_indexed_dict(self, catalog):
        shown = helpers.call_action("package_show", id="fiscal-balance")
        assert shown["title"] == "ดุลการคลังตามกระแสเงินสด รายเดือน"
        assert PgPackageSearchQuery().get_index("fiscal-balance")["id"] == shown["id"]


FACETS = ["organization", "tags", "res_format", "license_id", "groups"]


def counted_one_by_one(result):
    """The facet counts of a search's results, counted from each dataset's own dict."""
    counts = {field: Counter() for field in FACETS}
    for dataset in result["results"]:
        counts["organization"][dataset["organization"]["name"]] += 1
        counts["tags"].update({t["name"] for t in dataset["tags"]})
        counts["res_format"].update({r["format"] for r in dataset["resources"] if r["format"]})
        counts["license_id"].update([dataset["license_id"]] if dataset["license_id"] else [])
        counts["groups"].update({g["name"] for g in dataset["groups"]})
    return {field: dict(values) for field, values in counts.items()}


class TestNarrowFacetRows:
    """A search without text counts its facets over the narrow facet rows: the counts are
    those of the datasets the reader may see, counted one by one."""

    @pytest.mark.parametrize("who", [None, "member", "outsider", "sysadmin"])
    @pytest.mark.parametrize("params", [
        {}, {"include_private": True}, {"fq": 'organization:"mof-ops"'},
        {"fq": 'res_format:"CSV"', "include_private": True}, {"fq": "tags:การคลัง"},
        {"fq": "-organization:mof-ops"}, {"include_drafts": True, "include_private": True},
    ])
    def test_counts_equal_the_datasets_counted_one_by_one(self, catalog, who, params):
        user = factories.Sysadmin() if who == "sysadmin" else catalog.get(who)
        result = search_as(user, rows=1000, **{"facet.field": FACETS}, **params)
        assert result["count"] == len(result["results"])
        assert result["facets"] == counted_one_by_one(result)

    def test_private_datasets_counted_only_for_those_who_may_read_them(self, catalog):
        asked = {"facet.field": ["tags", "organization"], "include_private": True, "rows": 0}
        for user in (None, catalog["outsider"]):
            facets = search_as(user, **asked)["facets"]
            assert facets["tags"]["การคลัง"] == 1
            assert facets["organization"] == {"mof-ops": 2, "other-agency": 1}
        facets = search_as(catalog["member"], **asked)["facets"]
        assert facets["tags"]["การคลัง"] == 2
        assert facets["organization"] == {"mof-ops": 3, "other-agency": 1}

    def test_rows_follow_updates_privacy_and_deletion(self, catalog):
        def tags():
            return search_as(**{"facet.field": ["tags"], "rows": 0})["facets"]["tags"]
        helpers.call_action("package_patch", id="public-debt", tags=[{"name": "monthly"}])
        assert tags() == {"monthly": 3, "การคลัง": 1, "รายได้": 1}
        helpers.call_action("package_patch", id="government-revenue", private=True)
        assert tags() == {"monthly": 2, "การคลัง": 1}
        helpers.call_action("package_delete", id="fiscal-balance")
        assert tags() == {"monthly": 1}

    def test_rows_hold_no_free_text(self, catalog):
        fields = model.Session.execute(sa.select(search_facet_table.c.fields).where(
            search_facet_table.c.name == "fiscal-balance")).scalar()
        assert sorted(fields["tags"]) == sorted(["การคลัง", "monthly"])
        assert "notes" not in fields and "extras_legacy_code" not in fields

    def test_a_search_reading_free_text_or_an_extras_copy_answers_from_the_index(self,
                                                                                catalog):
        result = search_as(fq="notes:revenue", **{"facet.field": ["extras_legacy_code"]})
        assert names(result) == ["government-revenue"]
        facets = search_as(**{"facet.field": ["extras_legacy_code", "tags"]})["facets"]
        assert facets["extras_legacy_code"] == {"MOF-FB-0001": 1}


class TestPages:
    @pytest.mark.parametrize("url", ["/", "/dataset/", "/dataset/fiscal-balance",
                                     "/organization/mof-ops", "/group/economy",
                                     "/dataset/?q=การคลัง&res_format=CSV"])
    def test_pages_render(self, app, catalog, url):
        response = app.get(url)
        assert response.status_code == 200
        assert "ดุลการคลังตามกระแสเงินสด" in response.get_data(as_text=True)

    def test_api_search_by_a_thai_word_inside_a_title(self, app, catalog):
        response = app.get("/api/3/action/package_search?q=กระแสเงินสด")
        assert response.status_code == 200
        result = response.json["result"]
        assert [d["title"] for d in result["results"]] == ["ดุลการคลังตามกระแสเงินสด รายเดือน"]

    def test_user_page(self, app, catalog):
        user = factories.User()
        factories.Dataset(title="ชุดข้อมูลของผู้ใช้", user=user, owner_org=catalog["mof"]["id"])
        response = app.get("/user/%s" % user["name"])
        assert response.status_code == 200

    def test_private_dataset_never_on_public_pages(self, app, catalog):
        for url in ("/dataset/", "/organization/mof-ops", "/dataset/?q=ร่าง"):
            assert "ร่างงบประมาณภายใน" not in app.get(url).get_data(as_text=True)
