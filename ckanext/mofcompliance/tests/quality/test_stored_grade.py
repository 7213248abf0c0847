"""The NSO QC grade kept with each dataset's score row: the organisation's and the site's
grades read it instead of grading every dataset on every view, and read exactly what
grading afresh gives; it moves when a check is stored, and a grade whose timeliness has
crossed a day since (or a row from before grades were kept) is graded afresh."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.dataset.rows import package_dicts
from ckanext.mofcompliance.scoring import rebuild
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.quality import catalog_grade, grading, service, store

from .test_action import DEAD, GOOD, catalog, checked, dataset  # noqa: F401

SCORE = dataset_score_table


@pytest.fixture
def fiscal(request):
    """test_action's catalog: good (A), dead (D), secret (private, D), waiting."""
    return request.getfixturevalue("catalog")


def graded_afresh(org_id=None):
    """The organisation's (or the site's) grade as it was computed on every view."""
    grades = []
    for batch in package_dicts(org_id):
        checks = store.latest([p["id"] for p in batch])
        grades += [grading.grade_dataset(p, checks, service.utc_now()) for p in batch]
    return catalog_grade.grade_catalog(grades).to_dict()


def show(**data):
    return helpers.call_action("mofcompliance_quality_show",
                               {"user": factories.Sysadmin()["name"]}, **data)


def stored(name):
    return model.Session.execute(
        sa.select(SCORE.c.grade, SCORE.c.grade_changes_at)
        .join(model.package_table, model.package_table.c.id == SCORE.c.package_id)
        .where(model.package_table.c.name == name)).one()


def set_stored(name, **values):
    package_id = model.Package.get(name).id
    model.Session.execute(SCORE.update().where(SCORE.c.package_id == package_id)
                          .values(**values))
    model.Session.commit()


def without_wording(grade):
    return {k: v for k, v in grade.items() if k != "problems"} | {
        "problems": [{k: v for k, v in p.items() if k != "label"} for p in grade["problems"]]}


def test_each_score_row_keeps_its_dataset_s_grade(fiscal):
    assert stored("good-fiscal").grade["letter"] == "A"
    # a dead link: 37 (F), as NSO grades it (no update frequency read: −3)
    assert stored("dead-fiscal").grade["score"] == 37.0
    waiting = stored("waiting-fiscal").grade
    assert (waiting["letter"], waiting["ungraded_reason"]) == (None, "not-checked-yet")
    # checked today, monthly: the grade holds until the file is 46 days old
    assert stored("good-fiscal").grade_changes_at > datetime.utcnow() + timedelta(days=45)


def test_the_organisation_and_site_grades_read_what_grading_afresh_gives(fiscal):
    other = factories.Organization(name="mof-other")
    checked(dataset(other, "other-good"), GOOD)
    checked(dataset(other, "other-dead"), DEAD)
    org_id = fiscal["org"]["id"]
    assert without_wording(show(id="mof-fiscal")["grade"]) == graded_afresh(org_id)
    assert without_wording(show()["grade"]) == graded_afresh()
    rebuild.rescore()  # the bulk rebuild keeps the same grades
    model.Session.commit()
    assert without_wording(show(id="mof-fiscal")["grade"]) == graded_afresh(org_id)
    assert stored("other-dead").grade["letter"] == "F"


def test_the_grade_moves_when_a_check_is_stored(fiscal):
    checked(fiscal["waiting"], GOOD)
    assert stored("waiting-fiscal").grade["letter"] == "A"
    rows = {d["name"]: d["letter"] for d in show(id="mof-fiscal")["datasets"]}
    assert rows["waiting-fiscal"] == "A"
    checked(fiscal["good"], DEAD)
    assert stored("good-fiscal").grade["letter"] == "F"
    assert show(id="mof-fiscal")["grade"]["distribution"]["A"] == 1


def test_the_organisation_page_reads_the_stored_grade(fiscal):
    kept = dict(stored("good-fiscal").grade, letter="F", score=10.0)
    set_stored("good-fiscal", grade=kept)
    rows = {d["name"]: (d["letter"], d["score"]) for d in show(id="mof-fiscal")["datasets"]}
    assert rows["good-fiscal"] == ("F", 10.0)


def test_a_grade_past_its_change_or_never_stored_is_graded_afresh(fiscal):
    kept = dict(stored("good-fiscal").grade, letter="F", score=10.0)
    set_stored("good-fiscal", grade=kept, grade_changes_at=datetime.utcnow() - timedelta(1))
    set_stored("dead-fiscal", grade=None, grade_changes_at=None)
    answer = show(id="mof-fiscal")
    rows = {d["name"]: (d["letter"], d["score"]) for d in answer["datasets"]}
    # NSO reads no update frequency: every thai_gdc dataset loses 3 points (docs/nso-qc-grade.md)
    assert (rows["good-fiscal"], rows["dead-fiscal"]) == (("A", 97.0), ("F", 37.0))
    assert without_wording(answer["grade"]) == graded_afresh(fiscal["org"]["id"])
