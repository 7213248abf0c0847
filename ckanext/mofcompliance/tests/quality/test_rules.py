"""The rules file of the NSO QC grade, and the purity of the grading modules."""
from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import yaml

from ckanext.mofcompliance.quality.rules import RULES_PATH, RulesError, compile_rules


def raw_rules() -> dict:
    with RULES_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_the_shipped_rules_are_nsos():
    rules = compile_rules(raw_rules())
    assert dict(rules.weights) == {"completeness": 0.2, "timeliness": 0.2,
                                   "accessibility": 0.15, "machine_readable": 0.2,
                                   "validity": 0.25}
    assert [(f.name, f.warning, f.outdated) for f in rules.frequencies] == [
        ("daily", 2, 7), ("weekly", 10, 21), ("monthly", 45, 90), ("quarterly", 100, 120),
        ("yearly", 400, 550)]
    assert (rules.otherwise.warning, rules.otherwise.outdated) == (180, 365)
    assert sum(c.points for c in rules.completeness) == 100


def test_weights_that_do_not_sum_to_100_are_refused_by_name():
    raw = copy.deepcopy(raw_rules())
    raw["weights"]["validity"] = 30
    with pytest.raises(RulesError, match="weights sum to 105"):
        compile_rules(raw)


def test_grades_out_of_order_are_refused():
    raw = copy.deepcopy(raw_rules())
    raw["grades"][0], raw["grades"][1] = raw["grades"][1], raw["grades"][0]
    with pytest.raises(RulesError, match="grades"):
        compile_rules(raw)


@pytest.mark.parametrize("value,name", [
    ("Monthly", "monthly"), ("รายเดือน", "monthly"), ("ข้อมูลรายปีงบประมาณ", "yearly"),
    ("เดือน", "other"), ("ครึ่งปี", "other"), ("", "other"), (None, "other"),
])
def test_frequency_values_are_read_as_nso_reads_them(value, name):
    """NSO's keys, exactly or as a part; thai_gdc's own words (เดือน) contain none."""
    assert compile_rules(raw_rules()).frequency(value).name == name


def test_the_grading_imports_nothing_from_ckan():
    code = ("import sys\n"
            "import ckanext.mofcompliance.quality.grading\n"
            "import ckanext.mofcompliance.quality.verified_openness\n"
            "import ckanext.mofcompliance.quality.messages\n"
            "print(sorted(m for m in sys.modules if m == 'ckan' or m.startswith('ckan.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
