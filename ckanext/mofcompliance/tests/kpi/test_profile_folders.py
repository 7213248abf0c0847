"""Operator folders of profiles: they join the shipped ones, override by id, and a bad file
stops the load whole."""
from pathlib import Path

import pytest

from ckanext.mofcompliance.kpi import profiles
from ckanext.mofcompliance.kpi.profile_format import ProfileError

SITE = Path(__file__).parents[1] / "fixtures" / "site_profiles"


@pytest.fixture(autouse=True)
def shipped_only_afterwards():
    yield
    profiles.use_site_folders([])


def test_a_folder_adds_profiles_and_overrides_a_shipped_id():
    profiles.load_at_start_up([SITE], "fy2565")
    assert profiles.profile_ids() == ("fy2564", "fy2565", "fy2567", "fy2568")
    assert profiles.load_profile("fy2567").version == "site-2"
    assert profiles.is_site_profile("fy2567") and profiles.is_site_profile("fy2568")
    assert not profiles.is_site_profile("fy2565")


def test_a_bad_file_leaves_the_loaded_profiles_as_they_were(tmp_path: Path):
    good = (SITE / "fy2568.yaml").read_text(encoding="utf-8")
    (tmp_path / "fy2568.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "fy2569.yaml").write_text(
        good.replace("id: fy2568", "id: fy2569").replace("mode: all", "mode: every"),
        encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        profiles.load_at_start_up([tmp_path], "fy2565")
    assert caught.value.path.endswith("fy2569.yaml")
    assert [f.key for f in caught.value.faults] == ["criteria[5].params.mode"]
    assert "fy2568" not in profiles.profile_ids()      # nothing of the folder was loaded


def test_the_configured_default_must_be_a_loaded_profile():
    with pytest.raises(ValueError, match="no profile 'fy2570' is loaded"):
        profiles.load_at_start_up([], "fy2570")
    assert profiles.load_at_start_up([SITE], "fy2568").profiles["fy2568"].fiscal_year == 2568
