"""``ckan mofcompliance import|export`` (the click commands, invoked directly)."""
import openpyxl
import pytest
from click.testing import CliRunner

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.excel import cli as commands
from ckanext.mofcompliance.tests.factories import complete_dataset

from . import builders


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops", title=builders.ORG_TITLE)


def invoke(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_a_dry_run_lists_each_problem_at_its_cell_and_exits_1(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one"), builders.package(
        "ds-two", maintainer_email="policy-at-mof.go.th")])
    result = invoke(commands.import_workbook, path, "--org", "mof-ops", "--dry-run")
    assert result.exit_code == 1
    assert "Temp2_Meta_Stat!F7 maintainer_email: ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง" in \
        result.output
    assert "nothing was written: 1 problems" in result.output
    assert model.Session.query(model.Package).count() == 0


def test_a_clean_import_commits_and_says_so(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    dry = invoke(commands.import_workbook, path, "--org", "mof-ops", "--dry-run")
    assert dry.exit_code == 0 and "would create 1 and update 0 datasets" in dry.output
    result = invoke(commands.import_workbook, path, "--org", "mof-ops", "--public")
    assert result.exit_code == 0 and "committed: created 1 and updated 0" in result.output
    assert helpers.call_action("package_show", id="ds-one")["private"] is False
    again = invoke(commands.import_workbook, path, "--org", "mof-ops")
    assert "created 0 and updated 1" in again.output


def test_unknown_choices_can_be_kept_as_other(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one", geo_coverage="ทั้งประเทศ")])
    assert invoke(commands.import_workbook, path, "--org", "mof-ops").exit_code == 1
    result = invoke(commands.import_workbook, path, "--org", "mof-ops",
                    "--unknown-choices", "other")
    assert result.exit_code == 0 and "note  Temp2_Meta_Stat!L6 geo_coverage" in result.output


def test_a_workbook_without_the_sheets_of_unused_data_types_is_imported(tmp_path, org):
    """The NSO workbook as agencies send it: only the record and statistics pairs."""
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    for code in ("GIS", "Multi", "Other"):
        builders.remove_sheet(builders.remove_sheet(path, "Temp2_Meta_" + code),
                              "Temp3_Resource_" + code)
    result = invoke(commands.import_workbook, path, "--org", "mof-ops", "--dry-run")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("หมายเหตุ / note")]
    assert len(notes) == 3 and "Temp2_Meta_GIS: " in notes[0]
    assert "problem" not in result.output
    assert "dry run passed: would create 1 and update 0 datasets" in result.output


def test_new_datasets_are_private_unless_public_is_asked_and_the_report_says_so(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    result = invoke(commands.import_workbook, path, "--org", "mof-ops")
    assert result.exit_code == 0 and "new datasets are private" in result.output
    assert helpers.call_action("package_show", id="ds-one")["private"] is True
    path = builders.workbook(tmp_path, [builders.package("ds-two")], "two.xlsx")
    result = invoke(commands.import_workbook, path, "--org", "mof-ops", "--private", "--public")
    assert result.exit_code == 0 and "new datasets are public" in result.output
    assert helpers.call_action("package_show", id="ds-two")["private"] is False


def test_a_dry_run_says_what_it_does_to_the_kpi_and_what_may_be_published(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    result = invoke(commands.import_workbook, path, "--org", "mof-ops", "--dry-run")
    assert result.exit_code == 0
    assert "ตัวชี้วัด / KPI fy2567 คะแนน (ระดับ) / score (level): 0.0 (0) → " in result.output
    assert "if published: " in result.output and "public category" in result.output
    result = invoke(commands.import_workbook, path, "--org", "mof-ops",
                    "--publish-public-category")
    assert result.exit_code == 0
    assert helpers.call_action("package_show", id="ds-one")["private"] is False


def test_the_help_states_the_default_visibility():
    text = " ".join(invoke(commands.import_workbook, "--help").output.split())
    assert "--public / --private" in text and "Default: private" in text


def test_an_unknown_organisation_is_a_usage_error(tmp_path, org):
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    result = invoke(commands.import_workbook, path, "--org", "nobody")
    assert result.exit_code == 2 and "no organisation nobody" in result.output


def test_export_writes_the_workbook_of_one_organisation(tmp_path, org):
    other = factories.Organization(name="other-agency")
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ds-one"))
    helpers.call_action("package_create", **complete_dataset(other["id"], name="ds-two"))
    out = tmp_path / "export.xlsx"
    result = invoke(commands.export_workbook, out, "--org", "mof-ops")
    assert result.exit_code == 0 and "exported 1 datasets" in result.output
    sheet = openpyxl.load_workbook(out)["Temp2_Meta_Stat"]
    assert [r[0] for r in sheet.iter_rows(min_row=6, values_only=True)] == ["ds-one"]
