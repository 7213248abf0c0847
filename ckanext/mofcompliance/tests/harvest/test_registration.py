"""GD Catalog registration states: the CSV listing, its command, and the FY2567 KPI (the
action: ``test_action.py``)."""
import io

import pytest
from click.testing import CliRunner

from ckan.tests import helpers

from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.harvest import registration
from ckanext.mofcompliance.harvest.cli import gdcatalog

from .conftest import GDCATALOG_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

CSV_RESOURCE = {"name": "ตาราง", "url": "https://data.mof.go.th/table.csv", "format": "CSV"}


def import_csv(text):
    return registration.import_listing(io.StringIO(text))


def test_a_listing_is_imported_by_name_or_id(make_dataset):
    make_dataset(name="fiscal")
    revenue = make_dataset(name="revenue")
    report = import_csv("dataset,state,note\nfiscal,COMPLETED,x\n%s,wait_revoke\n\n"
                        % revenue["id"])
    assert report.ok and report.imported == 2
    assert reads.registrations_for(["fiscal", "revenue"]) == {
        "fiscal": "COMPLETED", "revenue": "WAIT_REVOKE"}


def test_a_listing_with_a_bad_line_imports_nothing(make_dataset):
    make_dataset(name="fiscal")
    make_dataset(name="revenue")
    report = import_csv("package_id,status\nfiscal,COMPLETED\nmissing,WAIT\nrevenue,DONE\n"
                        "fiscal,REJECT\nfiscal,completed\n")
    assert not report.ok and report.imported == 0
    assert report.problems == (
        "บรรทัด 3: ไม่พบชุดข้อมูล 'missing' / line 3: no dataset 'missing'",
        "บรรทัด 4: ไม่รู้จักสถานะ 'DONE' / line 4: unknown state 'DONE'",
        "บรรทัด 5: ชุดข้อมูล fiscal ระบุสถานะไว้แล้วที่บรรทัด 2 / "
        "line 5: dataset fiscal already has a state on line 2",
    )
    assert reads.registrations_for(["fiscal", "revenue"]) == {}
    assert not import_csv("name;state\nfiscal;WAIT\n").ok


def test_the_command_reports_each_problem_and_fails(make_dataset, tmp_path):
    make_dataset(name="fiscal")
    listing = tmp_path / "gdcatalog.csv"
    listing.write_text("\ufeffdataset,state\nfiscal,COMPLETED\nmissing,WAIT\n", encoding="utf-8")
    result = CliRunner().invoke(gdcatalog, ["import-states", str(listing)])
    assert result.exit_code == 1
    assert "line 3: no dataset 'missing'" in result.output
    assert "nothing imported: 1 problems" in result.output
    listing.write_text("\ufeffdataset,state\nfiscal,COMPLETED\n", encoding="utf-8")
    result = CliRunner().invoke(gdcatalog, ["import-states", str(listing)])
    assert result.exit_code == 0 and "1 dataset states imported" in result.output
    assert reads.registrations_for(["fiscal"]) == {"fiscal": "COMPLETED"}


def fy2567(org_id, names):
    results = reads.dataset_results("fy2567", [org_id])[org_id]
    return reads.evaluate(org_id, "fy2567", results, reads.registrations_for(names))


def test_registration_states_move_the_fy2567_level(org, make_dataset):
    """Group 1 (1-25 datasets): basic needs 90% meeting the open standard; standard adds
    90% of open datasets registered (COMPLETED); advanced needs 100% of both."""
    names = [make_dataset(name="ds-%02d" % i, resources=[CSV_RESOURCE])["name"]
             for i in range(10)]
    assert fy2567(org["id"], names).level == 50
    for name in names[:8]:
        helpers.call_action("mofcompliance_registration_update", id=name, state="COMPLETED")
    result = fy2567(org["id"], names)
    assert result.level == 50
    assert result.criterion("registered_standard").evidence["percent"] == 80.0
    helpers.call_action("mofcompliance_registration_update", id=names[8], state="COMPLETED")
    assert fy2567(org["id"], names).level == 75
    helpers.call_action("mofcompliance_registration_update", id=names[9], state="APPROVAL")
    assert fy2567(org["id"], names).level == 75
    import_csv("dataset,state\n%s,COMPLETED\n" % names[9])
    assert fy2567(org["id"], names).level == 100
    import_csv("dataset,state\n%s,WAIT_REVOKE\n" % names[0])
    assert fy2567(org["id"], names).level == 75


@pytest.mark.usefixtures("with_extended_cli")
def test_the_commands_are_under_ckan_mofcompliance_gdcatalog(cli, tmp_path):
    from ckan.cli.cli import ckan
    listing = tmp_path / "gdcatalog.csv"
    listing.write_text("dataset,state\n", encoding="utf-8")
    result = cli.invoke(ckan, ["mofcompliance", "gdcatalog", "import-states", str(listing)])
    assert result.exit_code == 0, result.output
    assert "0 dataset states imported" in result.output
