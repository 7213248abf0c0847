"""FY2564 (docs/kpi-rules.md §5): all-or-nothing metadata; 50% open for 12.5 / 18.75 / 25."""
import pytest

from ckanext.mofcompliance.kpi.evaluation import audit_catalog

from ..standard.builders import advanced_pkg, pkg, resource

URL = "https://catalog.example.go.th"


def run(pkgs, catalog_url=URL):
    return audit_catalog(pkgs, "fy2564", catalog_url=catalog_url)


def criterion(report, cid):
    return next(c for c in report["criteria"] if c["id"] == cid)


def test_basic_needs_only_datasets_tied_to_the_mission():
    assert run([pkg()])["level"] >= 50
    assert run([pkg(drop=("kpi_mission",))])["score"] == 0


def test_standard_needs_every_dataset_complete():
    assert criterion(run([pkg("a"), pkg("b")]), "metadata_14_items")["points"] == 25
    report = run([pkg("a"), pkg("b", drop=("notes",))])
    assert criterion(report, "metadata_14_items")["points"] == 0 and report["score"] == 50


@pytest.mark.parametrize("pkgs,points", [
    ([pkg("a", resources=[resource()]), pkg("b")], 12.5),                      # 50% basic
    ([pkg("a", update_frequency_unit="เดือน", resources=[resource(authoritative_source="True")]),
      pkg("b")], 18.75),                                                       # 50% intermediate
    ([advanced_pkg("a"), pkg("b")], 25),                                       # 50% advanced
    ([advanced_pkg("a"), pkg("b"), pkg("c")], 0),                              # 33% only
])
def test_advanced_points_follow_the_level_half_the_public_datasets_reach(pkgs, points):
    assert criterion(run(pkgs), "open_data_characteristics")["points"] == points


def test_advanced_points_need_a_catalog_system():
    report = run([advanced_pkg("a")], catalog_url=None)
    assert report["score"] == 75
    assert criterion(report, "open_data_characteristics")["evidence"]["points_if_counted"] == 25
    assert run([advanced_pkg("a")])["score"] == 100


def test_next_steps_to_standard_complete_every_incomplete_dataset():
    report = run([pkg("a"), pkg("b", drop=("notes",)), pkg("c", drop=("geo_coverage",))])
    steps = report["next_steps"]
    assert report["next_level"] == 75
    assert {(s["dataset"], tuple(s["items"])) for s in steps} == {("b", ("notes",)), ("c", ("geo_coverage",))}
