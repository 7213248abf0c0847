"""``ckan mofcompliance …`` commands."""
import pytest

from ckan.cli.cli import ckan
from ckan.tests import helpers


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_load_demo_is_idempotent_and_reproduces_the_worked_example(cli):
    for outcome in ("created", "updated"):
        result = cli.invoke(ckan, ["mofcompliance", "load-demo"])
        assert not result.exit_code, result.output
        assert "dataset fiscal-cash-balance: %s" % outcome in result.output
    assert helpers.call_action("package_search")["count"] == 6
    kpi = helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["kpi"]
    points = {c["id"]: c["points"] for c in kpi["criteria"]}
    assert points["metadata_14_items"] == 10.0      # 4 of 6 complete: 66.67 × 0.15
    assert points["agency_catalog_url"] == 10.0     # 20 of the standard level's 25


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_rescore_and_snapshot(cli):
    cli.invoke(ckan, ["mofcompliance", "load-demo"])
    result = cli.invoke(ckan, ["mofcompliance", "rescore", "--org", "mof-ops"])
    assert not result.exit_code, result.output
    assert "6 datasets scored" in result.output
    result = cli.invoke(ckan, ["mofcompliance", "snapshot"])
    assert not result.exit_code and "snapshots" in result.output
