"""FY2567 (docs/kpi-rules.md §6): registration in the GD Catalog, thresholds by catalog size."""
import pytest

from ckanext.mofcompliance.kpi.evaluation import audit_catalog, load_profile

from ..standard.builders import pkg, resource


def catalog(n, ok, registered, public=None):
    """``n`` public datasets: ``ok`` meet the open standard, ``registered`` are COMPLETED."""
    pkgs = [pkg(f"d{i:03}", resources=[resource()] if i < ok else []) for i in range(n)]
    regs = {f"d{i:03}": "COMPLETED" for i in range(registered)}
    return pkgs, regs


def run(pkgs, regs):
    return audit_catalog(pkgs, "fy2567", registrations=regs)


@pytest.mark.parametrize("n,group", [(1, 1), (25, 1), (26, 2), (100, 2), (101, 3)])
def test_size_group_boundaries(n, group):
    assert load_profile("fy2567").size_group(n).group == group
    pkgs, regs = catalog(n, n, n)
    assert run(pkgs, regs)["size_group"] == group


def test_no_datasets_no_group_and_level_0():
    assert load_profile("fy2567").size_group(0) is None
    assert run([], {})["level"] == 0


@pytest.mark.parametrize("n,ok,registered,level", [
    # group 1: basic 90 / standard 100+90 / advanced 100+100
    (20, 17, 0, 0), (20, 18, 0, 50), (20, 20, 17, 50), (20, 20, 18, 75), (20, 20, 20, 100),
    (25, 25, 25, 100),
    # group 2: basic 80 / standard 90+80 / advanced 90+90
    (26, 20, 0, 0), (26, 21, 0, 50), (26, 24, 21, 75), (26, 24, 23, 75), (26, 24, 24, 100),
    (100, 90, 90, 100), (100, 89, 100, 50),
    # group 3: basic 70 / standard 80+70 / advanced 80+80
    (101, 70, 0, 0), (101, 71, 0, 50), (101, 81, 71, 75), (101, 81, 81, 100),
])
def test_levels_by_group_thresholds(n, ok, registered, level):
    pkgs, regs = catalog(n, ok, registered)
    report = run(pkgs, regs)
    assert report["level"] == level and report["score"] == float(level)


def test_only_completed_counts_as_registered():
    pkgs, _ = catalog(2, 2, 0)
    for state in ("WAIT", "VALIDATE", "VALIDATE_MODIFIED", "APPROVAL", "REJECT", "WAIT_REVOKE",
                  "REVOKE", "DELETED"):
        assert run(pkgs, {"d000": state, "d001": state})["level"] == 50
    assert run(pkgs, {"d000": "COMPLETED", "id-d001": "completed"})["level"] == 100


def test_the_open_standard_needs_the_14_items():
    pkgs = [pkg("a", resources=[resource()], drop=("notes",))]
    assert run(pkgs, {"a": "COMPLETED"})["level"] == 0


def test_next_steps_prefer_datasets_that_fix_both_criteria():
    # 20 public datasets; 18 meet the standard, none registered: level 50 -> 75 needs
    # 2 more meeting (100%) and 18 registered (90%)
    pkgs, regs = catalog(20, 18, 0)
    pkgs[19]["allow_harvest"] = "False"
    report = run(pkgs, regs)
    assert report["level"] == 50 and report["next_level"] == 75
    steps = report["next_steps"]
    assert len(steps) == 18
    both = [s for s in steps if s["indicators"] and s["register"]]
    assert {s["dataset"] for s in both} == {"d018", "d019"}
    assert '"Allow for harvest to GD-Catalog"' in next(s for s in steps if s["dataset"] == "d019")["text_en"]
