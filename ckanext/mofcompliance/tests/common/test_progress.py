"""Progress of the long commands: a bar on a terminal, whole lines anywhere else.

The commands run through CKAN's ``cli`` fixture (a click runner, not a terminal) and so
must write lines a log can keep; the bar is checked on a real pseudo-terminal."""
import io
import json
import os

import pytest
from click.testing import CliRunner

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance.common.progress import progress
from ckanext.mofcompliance.audit import cli as audit
from ckanext.mofcompliance.tests.excel import builders
from ckanext.mofcompliance.tests.factories import complete_dataset


def lines(label, steps, total):
    stream = io.StringIO()
    with progress(label, stream) as report:
        for done in steps:
            report(done, total)
    return stream.getvalue()


def test_off_a_terminal_each_step_is_a_line_of_its_own():
    assert lines("rescoring", range(1, 6), 5).splitlines() == [
        "rescoring 1/5", "rescoring 2/5", "rescoring 3/5", "rescoring 4/5", "rescoring 5/5"]


def test_a_long_run_writes_a_line_per_twentieth_and_always_the_last():
    written = lines("importing", range(1, 1002), 1001).splitlines()
    assert "\r" not in "".join(written)
    assert len(written) == 20 and written[0] == "importing 51/1001"
    assert written[-1] == "importing 1001/1001"


def test_on_a_terminal_it_is_a_bar_drawn_in_place():
    master, replica = os.openpty()
    with open(replica, "w", encoding="utf-8") as terminal:
        with progress("rescoring", terminal) as report:
            for done in range(1, 6):
                report(done, 5)
    screen = b""
    while True:  # the terminal hands its output over in chunks
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: everything written has been read
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    screen = screen.decode("utf-8")
    assert "rescoring  [####" in screen and "5/5" in screen and "\r" in screen
    assert "rescoring 1/5\n" not in screen


@pytest.fixture
def mof(clean_db):
    org = factories.Organization(name="mof-ops", title=builders.ORG_TITLE)
    for name in ("ds-one", "ds-two"):
        helpers.call_action("package_create", **complete_dataset(org["id"], name=name))
    return org


def output_lines(result):
    assert not result.exit_code, result.output
    return result.output.splitlines()


@pytest.mark.usefixtures("mof")
def test_rescore_reports_lines(cli):
    written = output_lines(cli.invoke(ckan, ["mofcompliance", "rescore"]))
    assert "rescoring / คำนวณใหม่ 2/2" in written


@pytest.mark.usefixtures("mof")
def test_export_reports_lines(cli, tmp_path):
    written = output_lines(cli.invoke(ckan, ["mofcompliance", "export",
                                             str(tmp_path / "out.xlsx")]))
    assert written[:2] == ["exporting / ส่งออก 1/2", "exporting / ส่งออก 2/2"]


@pytest.mark.usefixtures("clean_db")
def test_import_reports_lines(cli, tmp_path):
    factories.Organization(name="mof-ops", title=builders.ORG_TITLE)
    path = builders.workbook(tmp_path, [builders.package("ds-one"), builders.package("ds-two")])
    written = output_lines(cli.invoke(ckan, ["mofcompliance", "import", str(path),
                                             "--org", "mof-ops", "--dry-run"]))
    assert written[:2] == ["importing / นำเข้า 1/2", "importing / นำเข้า 2/2"]


@pytest.mark.ckan_config("ckan.search.rows_max", "1")  # one dataset a page
def test_the_audit_of_a_served_catalog_reports_lines(served_catalog):
    org = factories.Organization()
    for name in ("ds-one", "ds-two"):
        helpers.call_action("package_create", **complete_dataset(org["id"], name=name))
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 keeps standard error apart already
        runner = CliRunner()
    result = runner.invoke(audit.main, ["--url", served_catalog])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == ["package_search 1/2", "package_search 2/2"]
    assert sorted(d["name"] for d in json.loads(result.stdout)["datasets"]) == ["ds-one", "ds-two"]
