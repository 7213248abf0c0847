"""``ckan mofcompliance profile new|check``: a new year written from a loaded one, validated,
then tried on this catalog before it goes into a profiles folder."""
from pathlib import Path

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance.kpi import profiles
from ckanext.mofcompliance.kpi.profile import Profile
from ckanext.mofcompliance.kpi.profile_format import read_profile_file
from ckanext.mofcompliance.tests.factories import WORKED_EXAMPLE_PLAN, worked_example


def _spec(profile: Profile) -> list:
    return [(c.id, c.kind, c.level, c.max_points, c.params) for c in profile.criteria]


def test_new_writes_a_commented_draft_that_validates(cli, tmp_path: Path):
    target = tmp_path / "fy2568.yaml"
    result = cli.invoke(ckan, ["mofcompliance", "profile", "new", "fy2568", "--from", "fy2567",
                               "--output", str(target)])
    assert result.exit_code == 0, result.output
    draft = read_profile_file(target)
    assert (draft.id, draft.version, draft.fiscal_year) == ("fy2568", "1", 2568)
    assert draft.title_en.endswith("FY2568") and "2568" in draft.title_th
    fy2567 = profiles.load_profile("fy2567")
    assert _spec(draft) == _spec(fy2567)
    assert (draft.size_groups, draft.levels) == (fy2567.size_groups, fy2567.levels)
    text = target.read_text(encoding="utf-8")
    header = text.split("\n\n")[0]
    assert header.startswith("#") and "ckanext.mofcompliance.profiles_path" in header
    assert "# kind registration_share: " in text      # each criterion says what its kind does
    assert "# Size groups by the number of datasets" in text


def test_new_keeps_the_focus_areas_and_refuses_what_it_cannot_do(cli, tmp_path: Path):
    result = cli.invoke(ckan, ["mofcompliance", "profile", "new", "fy2566", "--from", "fy2565"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "fy2566.yaml"
    target.write_text(result.output, encoding="utf-8")
    draft = read_profile_file(target)
    assert draft.focus_areas == profiles.load_profile("fy2565").focus_areas
    assert draft.fiscal_year == 2566
    unknown = cli.invoke(ckan, ["mofcompliance", "profile", "new", "fy2568", "--from", "fy2599"])
    assert unknown.exit_code == 2 and "no profile 'fy2599' is loaded" in unknown.output
    again = cli.invoke(ckan, ["mofcompliance", "profile", "new", "fy2566", "--from", "fy2565",
                              "--output", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_check_refuses_a_bad_file_naming_file_line_and_key(cli, tmp_path: Path):
    bad = tmp_path / "fy2568.yaml"
    text = (profiles.PROFILES_DIR / "fy2567.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("kind: registration_share", "kind: registration_shares", 1),
                   encoding="utf-8")
    line = next(i for i, row in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if "registration_shares" in row)
    result = cli.invoke(ckan, ["mofcompliance", "profile", "check", str(bad)])
    assert result.exit_code == 1
    assert "%s:%d: criteria[2].kind: " % (bad, line) in result.output
    assert "ไม่อยู่ในรายการ" in result.output and "not one of" in result.output


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_check_scores_the_catalog_with_the_file(cli, tmp_path: Path):
    org = factories.Organization(name="worked-example")
    for dataset in worked_example(org["id"]):
        helpers.call_action("package_create", **dataset)
    helpers.call_action("mofcompliance_plan_update", owner="worked-example", **WORKED_EXAMPLE_PLAN)
    draft = tmp_path / "fy2566.yaml"
    cli.invoke(ckan, ["mofcompliance", "profile", "new", "fy2566", "--from", "fy2565",
                      "--output", str(draft)])

    result = cli.invoke(ckan, ["mofcompliance", "profile", "check", str(draft)])
    assert result.exit_code == 0, result.output
    assert "valid: %s — fy2566 version 1, FY2566" % draft in result.output
    # the worked example: 4 of 6 complete → 66.67 x 0.15 = 10, + 10 for the URL: 70, level 50
    assert "worked-example: คะแนน / score 70.00   ระดับ / level 50" in result.output
    # the site has no plan of its own: its basic gate does not hold
    assert "ทั้งระบบ / site: คะแนน / score 0.00   ระดับ / level 0" in result.output
    assert "✗ [50] work_process_datasets: 0.0/0.0" in result.output

    # one threshold changed: the catalog URL is worth 5 points → 50 + 10 + 5 = 65
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("kind: catalog_url\n    max_points: 10",
                                  "kind: catalog_url\n    max_points: 5"), encoding="utf-8")
    result = cli.invoke(ckan, ["mofcompliance", "profile", "check", str(draft)])
    assert result.exit_code == 0, result.output
    assert "worked-example: คะแนน / score 65.00   ระดับ / level 50" in result.output
