"""The NSO QC grade (docs/nso-qc-grade.md), checked against arithmetic done by hand here.

Weights: completeness 20 %, timeliness 20 %, accessibility 15 %, machine-readable 20 %,
validity 25 %; A >= 90, B >= 75, C >= 60, D >= 40, else F.
"""
from __future__ import annotations

import gettext
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ckanext.mofcompliance.quality.catalog_grade import grade_by_organisation, grade_catalog
from ckanext.mofcompliance.quality.grading import grade_dataset
from ckanext.mofcompliance.quality.stored_grade import changes_at, from_stored, stored_form
from ckanext.mofcompliance.quality import messages
from ckanext.mofcompliance.quality.messages import MESSAGES, UNGRADED, render

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)


def modified(days: int) -> str:
    """A CKAN (naive, UTC) timestamp ``days`` whole days and some hours before NOW."""
    return (NOW - timedelta(days=days, hours=5)).replace(tzinfo=None).isoformat()


def dataset(name: str, frequency: str | None = "รายเดือน", drop: tuple[str, ...] = (),
            resources: list[dict] = ()) -> dict:
    """A package as NSO's sync reads it: ``update_frequency`` holds NSO's own words."""
    pkg = {"id": name, "name": name, "title": f"ชุดข้อมูล {name}", "notes": "คำอธิบาย",
           "tags": [{"name": "การคลัง"}], "license_id": "Open Data Common",
           "owner_org": "org-1", "organization": {"id": "org-1", "name": "mof"},
           "update_frequency": frequency, "resources": list(resources)}
    for key in drop:
        pkg.pop(key)
    return pkg


def res(rid: str, fmt: str, days: int | None = 10) -> dict:
    out = {"id": rid, "name": f"{rid}.{fmt.lower()}", "format": fmt,
           "url": f"https://data.example.go.th/{rid}.{fmt.lower()}"}
    if days is not None:
        out["metadata_modified"] = modified(days)
    return out


def ok(rid: str, detected: str, valid: bool | None = None, errors: int = 0) -> dict:
    """A check that downloaded the file; ``valid`` given: it was validated as a table."""
    tabular = None if valid is None else {"validated": True, "valid": valid,
                                          "error_count": errors, "rows_checked": 100,
                                          "errors": [{"code": "extra-cell", "row": 3,
                                                      "message": "extra cell"}] * min(errors, 2)}
    return {"resource_id": rid, "outcome": "ok" if valid in (None, True) else "problem",
            "downloadable": True, "http_status": 200, "declared_format": detected,
            "detected_format": detected, "format_matches": True, "tabular": tabular,
            "problems": []}


def dead(rid: str, code: str = "dead-link", status: int | None = 404,
         detected: str | None = None) -> dict:
    return {"resource_id": rid, "outcome": "unreachable" if status is None else "problem",
            "downloadable": False, "http_status": status, "detected_format": detected,
            "format_matches": None, "tabular": None, "problems": [{"code": code, "detail": ""}]}


# ---------------------------------------------------------------- a small catalog, A to F

def catalog() -> list[tuple[dict, list[dict]]]:
    return [
        # A: complete; monthly; two valid CSVs and a PDF, all downloadable and 10 days old.
        (dataset("a", resources=[res("a1", "CSV"), res("a2", "CSV"), res("a3", "PDF")]),
         [ok("a1", "CSV", True), ok("a2", "CSV", True), ok("a3", "PDF")]),
        # B: no tags; yearly; a valid CSV 420 days old (warning) and an invalid one 10 days old.
        (dataset("b", frequency="รายปี", drop=("tags",),
                 resources=[res("b1", "CSV", 420), res("b2", "CSV")]),
         [ok("b1", "CSV", True), ok("b2", "CSV", False, errors=3)]),
        # C: complete; weekly; a valid CSV 10 days old and an XLSX 30 days old behind a 404.
        (dataset("c", frequency="weekly", resources=[res("c1", "CSV"), res("c2", "XLSX", 30)]),
         [ok("c1", "CSV", True), dead("c2")]),
        # D: no notes nor licence; "unknown" frequency (180/365 days); a PDF 200 days old and an
        # API link 5 days old (never fetched by NSO).
        (dataset("d", frequency="ไม่ทราบ", drop=("notes", "license_id"),
                 resources=[res("d1", "PDF", 200), res("d2", "API", 5)]),
         [ok("d1", "PDF")]),
        # F: only a title and an organisation; a "CSV" that serves an HTML page, no date.
        (dataset("f", frequency=None, drop=("notes", "tags", "license_id"),
                 resources=[res("f1", "CSV", None)]),
         [dead("f1", "html-instead-of-file", 200, "HTML")]),
    ]


EXPECTED = {
    # completeness 100; timeliness 100; accessibility 3/3 = 100; machine-readable 2/3 (PDF is
    # not) = 66.67; validity 2 valid / 2 validated = 100.
    # 100*.20 + 100*.20 + 100*.15 + 66.666...*.20 + 100*.25 = 20 + 20 + 15 + 13.333 + 25
    "a": (93.33, "A", {"completeness": 100, "timeliness": 100, "accessibility": 100,
                       "machine_readable": 66.67, "validity": 100}),
    # completeness 100 - 15 (tags) = 85; timeliness (60 + 100) / 2 = 80; accessibility 100;
    # machine-readable 100; validity 1 / 2 = 50, mean errors 1.5 (no penalty).
    # 85*.20 + 80*.20 + 100*.15 + 100*.20 + 50*.25 = 17 + 16 + 15 + 20 + 12.5
    "b": (80.5, "B", {"completeness": 85, "timeliness": 80, "accessibility": 100,
                      "machine_readable": 100, "validity": 50}),
    # completeness 100; timeliness (100 + 20: 30 days > 21) / 2 = 60; accessibility 1/2 = 50;
    # machine-readable 1/2 = 50; validity 1 / 1 validated = 100.
    # 100*.20 + 60*.20 + 50*.15 + 50*.20 + 100*.25 = 20 + 12 + 7.5 + 10 + 25
    "c": (74.5, "C", {"completeness": 100, "timeliness": 60, "accessibility": 50,
                      "machine_readable": 50, "validity": 100}),
    # completeness 100 - 20 (notes) - 15 (licence) = 65; timeliness (60: 200 days within
    # 180..365, + 100) / 2 = 80; accessibility 1/2 = 50 (the API link counts as not
    # downloadable); machine-readable 0/2; validity nothing validated: 0.7 * 50 = 35.
    # 65*.20 + 80*.20 + 50*.15 + 0*.20 + 35*.25 = 13 + 16 + 7.5 + 0 + 8.75
    "d": (45.25, "D", {"completeness": 65, "timeliness": 80, "accessibility": 50,
                       "machine_readable": 0, "validity": 35}),
    # completeness 20 (title) + 15 (organisation) = 35; timeliness unknown = 40;
    # accessibility 0; machine-readable 0; validity 0.7 * 0 = 0.
    # 35*.20 + 40*.20 + 0 + 0 + 0 = 7 + 8
    "f": (15.0, "F", {"completeness": 35, "timeliness": 40, "accessibility": 0,
                      "machine_readable": 0, "validity": 0}),
}


@pytest.mark.parametrize("index", range(5))
def test_a_small_catalog_is_graded_as_worked_out_by_hand(index):
    pkg, checks = catalog()[index]
    score, letter, dimensions = EXPECTED[pkg["name"]]
    grade = grade_dataset(pkg, checks, NOW)
    assert (grade.score, grade.letter) == (score, letter)
    assert grade.dimensions == pytest.approx(dimensions)


def test_the_organisation_is_the_mean_of_its_datasets_with_their_distribution():
    grades = [grade_dataset(pkg, checks, NOW) for pkg, checks in catalog()]
    org = grade_by_organisation(grades)["mof"]
    # (93.33 + 80.5 + 74.5 + 45.25 + 15) / 5 = 308.58 / 5 = 61.716 -> 61.72, a C
    assert (org.score, org.letter) == (61.72, "C")
    assert org.distribution == {"A": 1, "B": 1, "C": 1, "D": 1, "F": 1, "ungraded": 0}
    # machine-readable: (66.67 + 100 + 50 + 0 + 0) / 5 = 43.334 -> 43.33
    assert org.dimensions["machine_readable"] == 43.33


def test_the_most_frequent_problems_come_first():
    site = grade_catalog(grade_dataset(pkg, checks, NOW) for pkg, checks in catalog())
    top = {(p.code, p.dimension): p.datasets for p in site.problems}
    # not machine-readable: the PDFs of a and d; unreachable: c2 and f1; missing licence: d, f
    assert top[("not-machine-readable", "machine_readable")] == 2
    assert top[("unreachable-not-machine-readable", "machine_readable")] == 2
    assert top[("missing-licence", "completeness")] == 2
    assert site.problems[0].datasets >= site.problems[-1].datasets
    counts = [p.datasets for p in site.problems]
    assert counts == sorted(counts, reverse=True)


def test_an_ungraded_dataset_loses_no_points_in_its_organisations_problems():
    unchecked = grade_dataset(dataset("u", frequency=None, resources=[res("u1", "CSV")]), {}, NOW)
    assert not unchecked.graded and unchecked.lost  # no check yet, a missing frequency
    alone = grade_catalog([unchecked])
    assert (alone.graded, alone.letter, alone.problems) == (0, None, ())
    checked = grade_dataset(dataset("g", frequency=None, resources=[res("g1", "CSV")]),
                            {"g1": ok("g1", "CSV", valid=True)}, NOW)
    both = grade_catalog([unchecked, checked])
    assert [(p.code, p.datasets) for p in both.problems] == [("missing-update-frequency", 1)]


def test_every_lost_point_names_its_resource_and_renders_in_english():
    pkg, checks = catalog()[2]
    grade = grade_dataset(pkg, checks, NOW)
    by_code = {(p.dimension, p.code): p for p in grade.lost}
    outdated = by_code[("timeliness", "timeliness-outdated")]
    # c2: 30 days on a weekly dataset: (100 - 20) / 2 resources * 0.20 = 8 points
    assert outdated.resource_id == "c2" and outdated.points == pytest.approx(8)
    assert outdated.params["days"] == 30 and outdated.params["outdated"] == 21
    broken = by_code[("accessibility", "not-downloadable")]
    assert broken.params["problems"] == ("dead-link",)
    assert render(broken.code, broken.params).found == \
        "c2.xlsx could not be downloaded (the link answers with an error)."
    assert render(outdated.code, outdated.params).found == (
        "c2.xlsx was last modified 30 days ago; for a weekly update frequency it is out of "
        "date after 21 days.")
    # the points lost add up to what the score misses
    assert sum(p.points for p in grade.lost) == pytest.approx(100 - 74.5)


def test_every_code_the_catalog_produces_has_a_message_that_formats():
    seen = set()
    for pkg, checks in catalog():
        for point in grade_dataset(pkg, checks, NOW).lost:
            found, to_do = render(point.code, point.params)
            assert "{" not in found + to_do
            seen.add(point.code)
    assert seen < set(MESSAGES) and len(seen) >= 12


def test_an_invalid_table_names_its_errors_in_words():
    pkg, checks = catalog()[1]
    point = next(p for p in grade_dataset(pkg, checks, NOW).lost if p.code == "invalid-table")
    # b2: 1 invalid of 2 validated: 100 / 2 * 0.25 = 12.5 points
    assert point.points == pytest.approx(12.5)
    assert render(point.code, point.params).found == \
        "b2.csv has 3 errors in its table (extra cells)."


# ---------------------------------------------------------------- readings

def test_a_dataset_without_checks_is_not_graded():
    pkg = dataset("n", resources=[res("n1", "CSV")])
    grade = grade_dataset(pkg, [], NOW)
    assert (grade.score, grade.letter, grade.ungraded_reason) == (None, None, "not-checked-yet")
    assert grade.not_checked == ("n1",) and grade.dimensions["completeness"] == 100
    assert "not-checked-yet" in UNGRADED


def test_a_dataset_without_linked_resources_is_not_graded():
    grade = grade_dataset(dataset("e", resources=[{"id": "e1", "url": "", "format": "CSV"}]),
                          [], NOW)
    assert grade.ungraded_reason == "no-linked-resources" and grade.letter is None


def test_a_checker_failure_counts_as_not_checked():
    pkg = dataset("x", resources=[res("x1", "CSV"), res("x2", "CSV")])
    failed = {**dead("x2"), "outcome": "error"}
    grade = grade_dataset(pkg, [ok("x1", "CSV", True), failed], NOW)
    assert grade.not_checked == ("x2",) and grade.dimensions["accessibility"] == 100


def test_nso_field_names_are_read():
    pkg = dataset("n", frequency="Monthly", drop=("license_id",),
                  resources=[res("n1", "CSV", 50)])
    pkg["license_title"] = "Creative Commons Attribution"
    grade = grade_dataset(pkg, [ok("n1", "CSV", True)], NOW)
    # monthly: 50 days is within 45..90, a warning (60); had it fallen to 180/365 it would be 100
    assert grade.dimensions["completeness"] == 100 and grade.dimensions["timeliness"] == 60


def test_thai_gdc_update_frequency_unit_is_not_read_as_nso_does_and_the_grade_says_why():
    """NSO's sync reads ``update_frequency``; a thai_gdc dataset has ``update_frequency_unit``
    (item 9.1) only: 15 completeness points lost, timeliness by the 180/365 default."""
    pkg = dataset("u", frequency=None, resources=[res("u1", "CSV", 50)])
    pkg.pop("update_frequency")
    pkg["update_frequency_unit"] = "เดือน"
    grade = grade_dataset(pkg, [ok("u1", "CSV", True)], NOW)
    # completeness 100 - 15 = 85; timeliness: 50 days <= 180: 100 (monthly would be 60);
    # 85*.20 + 100*.20 + 100*.15 + 100*.20 + 100*.25 = 17 + 20 + 15 + 20 + 25 = 97
    assert (grade.score, grade.letter, grade.frequency) == (97.0, "A", "other")
    assert grade.dimensions["completeness"] == 85 and grade.dimensions["timeliness"] == 100
    [point] = grade.lost
    assert (point.code, point.points, point.field) == (
        "nso-does-not-read-update-frequency", 3.0, "update_frequency")
    found, _ = render(point.code, point.params)
    assert found.startswith("NSO's system does not read thai_gdc's update frequency")
    assert "loses 15 completeness points" in found


def test_a_dataset_without_any_update_frequency_is_missing_it():
    pkg = dataset("m", frequency=None, resources=[res("m1", "CSV")])
    grade = grade_dataset(pkg, [ok("m1", "CSV", True)], NOW)
    assert [p.code for p in grade.lost] == ["missing-update-frequency"]


def test_a_pdf_labelled_csv_is_neither_machine_readable_nor_validated():
    pkg = dataset("p", resources=[res("p1", "CSV")])
    check = {**ok("p1", "PDF"), "declared_format": "CSV", "format_matches": False}
    grade = grade_dataset(pkg, [check], NOW)
    # downloadable 100; machine-readable 0; nothing validated: validity 0.7 * 100 = 70
    assert grade.dimensions["machine_readable"] == 0 and grade.dimensions["validity"] == 70


# ---------------------------------------------------------------- timeliness edges

EDGES = [  # (update_frequency, warning days, outdated days): NSO's keys, exact or contained
    ("รายวัน", 2, 7), ("Weekly", 10, 21), ("รายเดือน", 45, 90), ("quarterly", 100, 120),
    ("รายปี", 400, 550), ("ไม่ทราบ", 180, 365), (None, 180, 365),
    ("ปรับปรุงรายไตรมาส", 100, 120),
    # thai_gdc's own words contain none of NSO's keys: the default
    ("เดือน", 180, 365), ("ปี", 180, 365), ("วัน", 180, 365),
]


@pytest.mark.parametrize("unit,warning,outdated", EDGES)
def test_timeliness_at_the_edges_of_each_frequency(unit, warning, outdated):
    def timeliness(days: int) -> float:
        pkg = dataset("t", frequency=unit, resources=[res("t1", "CSV", days)])
        return grade_dataset(pkg, [ok("t1", "CSV", True)], NOW).dimensions["timeliness"]

    assert timeliness(warning) == 100
    assert timeliness(warning + 1) == 60
    assert timeliness(outdated) == 60
    assert timeliness(outdated + 1) == 20


# ---------------------------------------------------------------- validity penalties

@pytest.mark.parametrize("errors,validity", [
    (40, 75),    # 3 valid of 4 = 75; mean 40 / 4 = 10 errors: not above 10, no penalty
    (41, 65),    # mean 10.25 > 10: minus 10
    (400, 65),   # mean 100: not above 100, still minus 10
    (401, 55),   # mean 100.25 > 100: minus 20
])
def test_validity_penalties_by_mean_error_count(errors, validity):
    rids = ["v1", "v2", "v3", "v4"]
    pkg = dataset("v", resources=[res(r, "CSV") for r in rids])
    checks = [ok(r, "CSV", True) for r in rids[:3]] + [ok("v4", "CSV", False, errors=errors)]
    assert grade_dataset(pkg, checks, NOW).dimensions["validity"] == validity


# ---------------------------------------------------------------- property

FORMATS = ["CSV", "XLSX", "JSON", "PDF", "API", "WMS", "HTML", "DOCX", ""]


@st.composite
def graded_dataset(draw):
    count = draw(st.integers(1, 6))
    resources, checks = [], []
    for i in range(count):
        rid = f"r{i}"
        resources.append(res(rid, draw(st.sampled_from(FORMATS)),
                             draw(st.none() | st.integers(-3, 2000))))
        kind = draw(st.sampled_from(["ok", "invalid", "plain", "dead", "none"]))
        if kind == "ok":
            checks.append(ok(rid, draw(st.sampled_from(FORMATS[:4])), True))
        elif kind == "invalid":
            checks.append(ok(rid, "CSV", False, errors=draw(st.integers(1, 5000))))
        elif kind == "plain":
            checks.append(ok(rid, draw(st.sampled_from(FORMATS))))
        elif kind == "dead":
            checks.append(dead(rid))
    drop = tuple(draw(st.sets(st.sampled_from(["notes", "tags", "license_id", "title"]))))
    freq = draw(st.sampled_from([e[0] for e in EDGES] + ["Monthly", "อื่นๆ"]))
    return dataset("h", frequency=freq, drop=drop, resources=resources), checks


def letter_of(score: float) -> str:
    return "A" if score >= 90 else "B" if score >= 75 else "C" if score >= 60 else \
        "D" if score >= 40 else "F"


@settings(max_examples=200, deadline=None)
@given(graded_dataset())
def test_the_score_is_a_percentage_whose_letter_follows_the_thresholds(case):
    pkg, checks = case
    grade = grade_dataset(pkg, checks, NOW)
    if grade.score is None:
        assert grade.ungraded_reason == "not-checked-yet"
        return
    assert 0 <= grade.score <= 100
    assert grade.letter == letter_of(grade.score)
    assert all(0 <= v <= 100 for v in grade.dimensions.values())
    assert 100 - sum(p.points for p in grade.lost) == pytest.approx(grade.score, abs=0.006)


def test_every_message_has_a_thai_translation_with_the_same_placeholders():
    mo = Path(messages.__file__).parent.parent / "i18n/th/LC_MESSAGES/ckanext-mofcompliance.mo"
    with mo.open("rb") as fh:
        thai = gettext.GNUTranslations(fh).gettext
    templates = [t for m in [*MESSAGES.values(), *UNGRADED.values()] for t in m]
    templates += [*messages.FREQUENCIES.values(), *messages.PROBLEMS.values(),
                  *messages.TABLE_ERRORS.values()]
    for template in templates:
        assert thai(template) != template, template
        assert sorted(re.findall(r"\{\w+\}", thai(template))) == \
            sorted(re.findall(r"\{\w+\}", template))
    pkg, checks = catalog()[2]
    point = next(p for p in grade_dataset(pkg, checks, NOW).lost
                 if p.code == "timeliness-outdated")
    assert render(point.code, point.params, thai).found == (
        "c2.xlsx ปรับปรุงล่าสุดเมื่อ 30 วันก่อน สำหรับความถี่การปรับปรุงแบบรายสัปดาห์ "
        "ถือว่าล้าสมัยเมื่อเกิน 21 วัน")


def test_the_penalty_message_names_the_threshold_passed():
    rids = ["v1", "v2"]
    pkg = dataset("v", resources=[res(r, "CSV") for r in rids])
    checks = [ok("v1", "CSV", True), ok("v2", "CSV", False, errors=30)]
    point = next(p for p in grade_dataset(pkg, checks, NOW).lost if p.code == "many-errors")
    # validity 1 / 2 = 50, mean 15 errors > 10: minus 10 -> 10 * 0.25 = 2.5 points
    assert point.points == pytest.approx(2.5)
    assert render(point.code, point.params).found == (
        "The checked tables have 15 errors on average, more than 10: 10 points are taken "
        "off validity.")


# ---------------------------------------------------------------- kept with the score row

def test_a_catalog_graded_from_stored_grades_is_the_catalog_graded_afresh():
    grades = [grade_dataset(pkg, checks, NOW) for pkg, checks in catalog()]
    kept = [from_stored(json.loads(json.dumps(stored_form(g))), g.dataset_id, g.name,
                        g.organisation) for g in grades]
    assert grade_catalog(kept).to_dict() == grade_catalog(grades).to_dict()
    assert {k: v.to_dict() for k, v in grade_by_organisation(kept).items()} == {
        k: v.to_dict() for k, v in grade_by_organisation(grades).items()}


def test_the_grade_changes_when_a_resource_crosses_its_frequency_s_warning_day():
    # monthly: up to date up to 45 whole days; the CSV was modified 10 days and 5 hours ago
    pkg = dataset("m", resources=[res("m1", "CSV", 10)])
    grade = grade_dataset(pkg, [ok("m1", "CSV", True)], NOW)
    modified_at = NOW - timedelta(days=10, hours=5)
    assert changes_at(pkg, grade) == modified_at + timedelta(days=46)


def test_an_ungraded_dataset_or_an_outdated_one_never_changes_by_itself():
    waiting = dataset("w", resources=[res("w1", "CSV")])
    assert changes_at(waiting, grade_dataset(waiting, [], NOW)) is None
    old = dataset("o", resources=[res("o1", "CSV", 400)])
    assert changes_at(old, grade_dataset(old, [ok("o1", "CSV", True)], NOW)) is None


@settings(max_examples=200, deadline=None)
@given(graded_dataset())
def test_a_stored_grade_holds_until_the_moment_it_changes(case):
    pkg, checks = case
    kept = stored_form(grade_dataset(pkg, checks, NOW))
    moment = changes_at(pkg, grade_dataset(pkg, checks, NOW))
    if moment is None:
        assert stored_form(grade_dataset(pkg, checks, NOW + timedelta(days=3000))) == kept
        return
    assert moment > NOW
    assert stored_form(grade_dataset(pkg, checks, moment - timedelta(microseconds=1))) == kept
    assert stored_form(grade_dataset(pkg, checks, moment)) != kept
