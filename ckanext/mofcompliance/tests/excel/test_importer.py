"""The dry run and the commit, through CKAN's actions in one transaction (real database)."""
import os

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.excel import importer, layout
from ckanext.mofcompliance.excel.importer import Target
from ckanext.mofcompliance.kpi import evaluation as kpi
from ckanext.mofcompliance.tests.factories import (MAPPED, WORKED_EXAMPLE_PLAN,
                                                 complete_dataset)

from . import builders
from .builders import STAT, STAT_RESOURCES

STAT_SHEET = layout.sheet("S", layout.DATASET)


def letter(field_name):
    return STAT_SHEET.column_of(field_name).letter


@pytest.fixture
def admin(clean_db):
    return factories.User(name="steward")


@pytest.fixture
def org(admin):
    return factories.Organization(name="mof-ops", title=builders.ORG_TITLE,
                                  users=[{"name": admin["name"], "capacity": "admin"}])


@pytest.fixture
def target(org, admin):
    return Target(organization=org, user=admin["name"], private=False)


def run(path, target, dry_run=False, unknown="reject", **kwargs):
    return importer.import_file(str(path), os.path.basename(path), target, unknown, dry_run,
                                **kwargs)


def nothing_written():
    return (model.Session.query(model.Package).count() == 0
            and helpers.call_action("package_search", include_private=True)["count"] == 0)


def located(outcome):
    return [(p.sheet, p.row, p.column, p.field) for p in outcome.problems]


def two_datasets(tmp_path, **second):
    return builders.workbook(tmp_path, [builders.package("ds-one"),
                                        builders.package("ds-two", **second)])


def test_a_clean_dry_run_lists_what_would_be_created_and_writes_nothing(tmp_path, target):
    outcome = run(two_datasets(tmp_path), target, dry_run=True)
    assert outcome.problems == [] and outcome.created == ["ds-one", "ds-two"]
    assert not outcome.committed and nothing_written()


def test_the_commit_creates_every_dataset_with_its_resources_and_gregorian_dates(
        tmp_path, target):
    outcome = run(two_datasets(tmp_path), target)
    assert outcome.committed and outcome.created == ["ds-one", "ds-two"]
    shown = helpers.call_action("package_show", id="ds-two")
    assert shown["last_updated_date"] == "2024-01-31"
    assert shown["owner_org"] == target.organization["id"] and shown["private"] is False
    assert [(r["name"], r["resource_last_updated_date"]) for r in shown["resources"]] == [
        ("ข้อมูลรายเดือน", "2024-02-01")]
    assert helpers.call_action("package_search", q="ds-two")["count"] == 1


def test_new_datasets_are_private_unless_published(tmp_path, target):
    target.private = True
    run(two_datasets(tmp_path), target)
    assert helpers.call_action("package_show", id="ds-one")["private"] is True


def test_progress_is_reported_per_dataset(tmp_path, target):
    seen = []
    run(two_datasets(tmp_path), target, dry_run=True,
        progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_reimporting_updates_by_name_and_creates_no_duplicates(tmp_path, target):
    run(two_datasets(tmp_path), target)
    before = helpers.call_action("package_show", id="ds-one")
    again = builders.package("ds-one", title="ดุลการคลัง (ปรับปรุง)")
    again["resources"].append({"name": "ข้อมูลรายปี", "url": "https://data.mof.go.th/year.csv"})
    path = builders.workbook(tmp_path, [again, builders.package("ds-two")], "again.xlsx")
    outcome = run(path, target)
    assert outcome.committed and outcome.updated == ["ds-one", "ds-two"] and not outcome.created
    after = helpers.call_action("package_show", id="ds-one")
    assert after["id"] == before["id"] and after["title"] == "ดุลการคลัง (ปรับปรุง)"
    assert [r["name"] for r in after["resources"]] == ["ข้อมูลรายเดือน", "ข้อมูลรายปี"]
    assert after["resources"][0]["id"] == before["resources"][0]["id"]
    assert model.Session.query(model.Package).count() == 2
    assert helpers.call_action("package_search", q="ปรับปรุง")["count"] == 1


def test_an_update_keeps_what_the_template_does_not_carry(tmp_path, target):
    run(two_datasets(tmp_path), target)
    helpers.call_action("package_patch", id="ds-one", data_classification="เปิดเผย",
                        extras=[{"key": "legacy_code", "value": "MOF-01"}])
    assert run(two_datasets(tmp_path), target).committed
    shown = helpers.call_action("package_show", id="ds-one")
    assert shown["data_classification"] == "เปิดเผย"
    assert shown["extras"] == [{"key": "legacy_code", "value": "MOF-01"}]


def test_reimporting_a_deleted_dataset_restores_it(tmp_path, target):
    run(two_datasets(tmp_path), target)
    helpers.call_action("package_delete", id="ds-one")
    outcome = run(two_datasets(tmp_path), target)
    assert outcome.updated == ["ds-one", "ds-two"]
    assert helpers.call_action("package_show", id="ds-one")["state"] == "active"


def test_a_bad_email_in_row_7_is_located_and_nothing_is_written(tmp_path, target):
    path = two_datasets(tmp_path, maintainer_email="policy-at-mof.go.th")
    for dry_run in (True, False):
        outcome = run(path, target, dry_run=dry_run)
        assert located(outcome) == [(STAT, 7, letter("maintainer_email"), "maintainer_email")]
        assert ("ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง / "
                "Item 5 Contact e-mail: not a valid e-mail address") in outcome.problems[0].message
        assert outcome.problems[0].field_title == "ข้อ 5 อีเมลผู้ติดต่อ / Item 5 Contact e-mail"
        assert nothing_written()
    shown = outcome.problems[0].as_dict()  # what the page picks from by its language
    assert (shown["message_th"], shown["message_en"]) == (
        "ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง",
        "Item 5 Contact e-mail: not a valid e-mail address")
    assert (shown["field_title_th"], shown["field_title_en"]) == (
        "ข้อ 5 อีเมลผู้ติดต่อ", "Item 5 Contact e-mail")


def test_an_impossible_buddhist_era_date_is_refused(tmp_path, target):
    column = letter("last_updated_date")
    path = builders.edit(two_datasets(tmp_path), STAT, {column + "6": "2565-02-30"})
    outcome = run(path, target)
    assert located(outcome) == [(STAT, 6, column, "last_updated_date")], outcome.problems
    assert '"2565-02-30" is not a valid date' in outcome.problems[0].message
    assert nothing_written()


def test_an_unknown_choice_is_refused_by_default(tmp_path, target):
    column = letter("geo_coverage")
    path = builders.edit(two_datasets(tmp_path), STAT, {column + "7": "ทั้งประเทศ"})
    outcome = run(path, target)
    assert located(outcome) == [(STAT, 7, column, "geo_coverage")]
    assert '"ทั้งประเทศ" ไม่อยู่ในรายการที่กำหนด' in outcome.problems[0].message
    assert nothing_written()


def test_a_value_not_on_the_list_is_refused_with_the_nearest_allowed_values(tmp_path, target):
    column = letter("geo_coverage")
    path = builders.edit(two_datasets(tmp_path), STAT, {column + "7": "จังหวัดๆ"})
    [problem] = run(path, target).problems
    assert 'ค่าที่ใกล้เคียงที่สุด: "จังหวัด"' in problem.message_th
    assert 'nearest allowed: "จังหวัด" (Province)' in problem.message_en


def test_the_work_process_columns_make_imported_datasets_count(tmp_path, target, org):
    work = {"kpi_mission": "ภารกิจบริหารการคลัง", "kpi_main_process": "งานจัดทำงบประมาณ"}
    path = builders.workbook(tmp_path, [builders.package("ds-one", **work),
                                        builders.package("ds-two")])
    assert run(path, target).committed
    shown = helpers.call_action("package_show", id="ds-one")
    assert {k: shown[k] for k in work} == work
    answer = helpers.call_action("mofcompliance_org_kpi", id=org["id"])
    mapped = {d["name"]: bool(d["work_process"]["mission"] and d["work_process"]["main_process"])
              for d in answer["datasets"]}
    assert mapped == {"ds-one": True, "ds-two": False}


def test_a_workbook_of_nsos_template_without_work_process_columns_keeps_them(tmp_path, target):
    work = {"kpi_mission": "ภารกิจบริหารการคลัง", "kpi_main_process": "งานจัดทำงบประมาณ"}
    assert run(builders.workbook(tmp_path, [builders.package("ds-one", **work)]),
               target).committed
    path = builders.workbook(tmp_path, [builders.package("ds-one", title="ชื่อใหม่")], "nso.xlsx")
    builders.drop_work_process_columns(path)
    assert run(path, target).committed
    shown = helpers.call_action("package_show", id="ds-one")
    assert shown["title"] == "ชื่อใหม่" and {k: shown[k] for k in work} == work


def test_an_unknown_choice_is_kept_as_other_on_request(tmp_path, target):
    column = letter("geo_coverage")
    path = builders.edit(two_datasets(tmp_path), STAT, {column + "7": "ทั้งประเทศ"})
    outcome = run(path, target, unknown="other")
    assert outcome.committed and [n.row for n in outcome.notices] == [7]
    shown = helpers.call_action("package_show", id="ds-two")
    assert (shown["geo_coverage"], shown["geo_coverage_other"]) == ("อื่นๆ", "ทั้งประเทศ")


def test_a_resource_error_is_located_in_the_resource_sheet(tmp_path, target):
    path = builders.edit(two_datasets(tmp_path), STAT_RESOURCES, {"B7": None})
    outcome = run(path, target)
    assert located(outcome) == [(STAT_RESOURCES, 7, "B", "name")]
    assert nothing_written()


@pytest.mark.parametrize("damage, problem", [
    (lambda path: builders.remove_sheet(path, STAT_RESOURCES),
     (STAT_RESOURCES, None, None, None)),
    (lambda path: builders.insert_row(path, "Temp2_Meta_GIS", 2),
     ("Temp2_Meta_GIS", 4, "B", "data_type")),
], ids=["missing sheet", "shifted header"])
def test_a_sheet_out_of_shape_stops_the_commit_of_the_valid_rows(tmp_path, target, damage,
                                                                 problem):
    outcome = run(damage(two_datasets(tmp_path)), target)
    assert located(outcome) == [problem]
    assert outcome.created == ["ds-one", "ds-two"]  # validated, then rolled back
    assert nothing_written()


@pytest.mark.parametrize("damage", ["large", "macros", "bomb"])
def test_a_refused_file_is_one_problem_and_nothing_is_written(tmp_path, target, damage):
    path = two_datasets(tmp_path)
    if damage == "large":
        path.write_bytes(os.urandom(20 * 1024 * 1024))
    elif damage == "macros":
        path = builders.with_macros(path)
    else:
        path = builders.zip_bomb(path)
    outcome = run(path, target)
    assert located(outcome) == [(None, None, None, None)] and nothing_written()


def test_a_dataset_of_another_organisation_is_not_taken_over(tmp_path, target):
    other = factories.Organization(name="other-agency")
    factories.Dataset(name="ds-two", owner_org=other["id"], **builders.COMPLETE_METADATA)
    outcome = run(two_datasets(tmp_path), target)
    assert located(outcome) == [(STAT, 7, "A", "name")]
    assert "belongs to a dataset of another organisation" in outcome.problems[0].message
    assert helpers.call_action("package_show", id="ds-two")["owner_org"] == other["id"]
    assert model.Session.query(model.Package).count() == 1


def test_a_row_naming_another_organisation_is_refused(tmp_path, target):
    factories.Organization(name="other-agency", title="กรมบัญชีกลาง")
    column = letter("owner_org")
    path = builders.edit(two_datasets(tmp_path), STAT, {column + "7": "กรมบัญชีกลาง"})
    outcome = run(path, target)
    assert located(outcome) == [(STAT, 7, column, "owner_org")]
    assert nothing_written()


def test_a_user_who_may_not_create_datasets_there_is_refused(tmp_path, org):
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=member["name"],
                        role="member")
    outcome = run(two_datasets(tmp_path), Target(organization=org, user=member["name"]))
    assert located(outcome) == [(STAT, 6, "A", "name"), (STAT, 7, "A", "name")]
    assert "not authorised" in outcome.problems[0].message
    assert nothing_written()


@pytest.mark.ckan_config("ckan.plugins",
                         "mofcompliance scheming_datasets mofcompliance_pgsearch image_view")
@pytest.mark.ckan_config("ckan.views.default_views", "image_view")
def test_resource_views_created_on_the_way_do_not_commit_early(tmp_path, target):
    """CKAN 2.11 creates default resource views with a context that commits."""
    image = builders.package("ds-one")
    image["resources"] = [{"name": "แผนภาพ", "url": "https://data.mof.go.th/chart.png",
                           "format": "PNG"}]
    bad = builders.package("ds-two", maintainer_email="no-email")
    outcome = run(builders.workbook(tmp_path, [image, bad]), target)
    assert located(outcome) == [(STAT, 7, letter("maintainer_email"), "maintainer_email")]
    assert nothing_written() and model.Session.query(model.ResourceView).count() == 0
    assert run(builders.workbook(tmp_path, [image], "good.xlsx"), target).committed
    assert model.Session.query(model.ResourceView).count() == 1


# ---------------------------------------------------------------- the KPI effect

@pytest.mark.parametrize("publish", [False, True])
def test_the_dry_run_foretells_the_kpi_the_commit_gives(tmp_path, org, admin, publish):
    """Two complete datasets of the public category, imported private: the dry run's
    figures under every profile, as imported and as published, are the KPI's once it is
    committed so."""
    helpers.call_action("package_create", **complete_dataset(org["id"], name="already-open",
                                                             **MAPPED))
    helpers.call_action("mofcompliance_plan_update", owner=org["name"], **WORKED_EXAMPLE_PLAN)
    private = Target(organization=org, user=admin["name"], private=True)
    path = builders.workbook(tmp_path, [builders.package("ds-one", **MAPPED),
                                        builders.package("ds-two", **MAPPED)])
    dry = run(path, private, dry_run=True)
    assert dry.problems == [] and dry.publishable == ["ds-one", "ds-two"]
    assert [e["profile"] for e in dry.kpi] == list(kpi.profile_ids())
    chosen = Target(organization=org, user=admin["name"], private=True,
                    publish_public_category=publish)
    assert run(path, chosen).committed
    assert helpers.call_action("package_show", id="ds-one")["private"] is not publish
    for effect in dry.kpi:
        answer = helpers.call_action("mofcompliance_org_kpi", id=org["id"],
                                     profile=effect["profile"])["kpi"]
        now = {"score": answer["score"], "level": answer["level"]}
        assert effect["published" if publish else "after"] == now, effect
    # private datasets of the public category count as open level 0: publishing them scores
    figures = {e["profile"]: e for e in dry.kpi}
    for profile in ("fy2564", "fy2565"):
        assert figures[profile]["after"]["score"] < figures[profile]["published"]["score"]


def test_nothing_to_publish_when_new_datasets_are_public_or_of_another_category(tmp_path,
                                                                                 target, org,
                                                                                 admin):
    assert run(two_datasets(tmp_path), target, dry_run=True).publishable == []
    private = Target(organization=org, user=admin["name"], private=True)
    path = builders.workbook(tmp_path, [builders.package("ds-one",
                                                         data_category="ข้อมูลใช้ภายใน")])
    assert run(path, private, dry_run=True).publishable == []
