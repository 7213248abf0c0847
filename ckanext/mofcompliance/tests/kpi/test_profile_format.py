"""The published profile format: the schema validates the shipped profiles and refuses broken
ones whole, naming the file, line and key."""
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ckanext.mofcompliance.kpi import profiles
from ckanext.mofcompliance.kpi.profile_format import (ProfileError, read_profile_file,
                                                      read_profile_text)

SHIPPED = sorted(profiles.PROFILES_DIR.glob("*.yaml"))
FY2565 = (profiles.PROFILES_DIR / "fy2565.yaml").read_text(encoding="utf-8")
PROFILE_SCHEMA_FILE = Path(__file__).resolve().parents[4] / "schemas" / "profile.schema.json"


def _schema() -> dict:
    return json.loads(PROFILE_SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_published_schema_validates_every_shipped_profile(path: Path):
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))
    jsonschema.Draft202012Validator(_schema()).validate(data)
    assert read_profile_file(path).id == path.stem


def test_the_published_schema_refuses_a_broken_profile():
    data = json.loads(json.dumps(yaml.safe_load(FY2565)))
    data["criteria"][0]["kind"] = "work_proces_list"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(_schema()).validate(data)


def test_every_kind_describes_its_parameters():
    kinds = {c["if"]["properties"]["kind"]["const"]: c["then"]["properties"]["params"]
             for c in _schema()["properties"]["criteria"]["items"]["allOf"]}
    assert set(kinds) == {"work_process_list", "metadata_completeness", "catalog_url",
                          "open_level_mean", "open_level_share", "use_case",
                          "open_standard_share", "registration_share"}
    for params in kinds.values():
        assert params["description"]
        assert all(p.get("description") for p in params["properties"].values())


def _refused(text: str) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        read_profile_text(text, "drafts/fy2568.yaml")
    return caught.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_unknown_kind_is_refused_with_file_line_and_key():
    text = FY2565.replace("kind: catalog_url", "kind: catalogue_url")
    fault, = _refused(text).faults
    assert (fault.key, fault.line) == ("criteria[2].kind", _line_of(text, "catalogue_url"))
    message = str(_refused(text))
    assert message.startswith(f"drafts/fy2568.yaml:{fault.line}: criteria[2].kind: ")
    assert "ไม่อยู่ในรายการ" in message and "not one of" in message


def test_a_missing_parameter_is_refused_naming_it():
    text = FY2565.replace("level_points: {0: 0, 1: 6, 2: 12, 3: 20}", "level_pts: {0: 0}")
    keys = {f.key for f in _refused(text).faults}
    assert "criteria[3].params.level_points" in keys      # the missing one
    assert "criteria[3].params.level_pts" in keys         # and the misspelt one


def test_a_wrong_type_is_refused_at_its_line():
    text = FY2565.replace("min_datasets: 1", "min_datasets: one")
    fault, = _refused(text).faults
    assert fault.key == "criteria[0].params.min_datasets"
    assert fault.line == _line_of(text, "min_datasets: one")
    assert "integer" in fault.en and "ชนิดข้อมูลผิด" in fault.th


def test_a_duplicate_criterion_id_is_refused():
    text = FY2565.replace("id: open_data_use", "id: open_data_characteristics")
    fault, = _refused(text).faults
    assert fault.key == "criteria[4].id"
    assert "duplicate" in fault.en
    assert fault.line == text.splitlines().index("  - id: open_data_characteristics",
                                                 _line_of(text, "id: open_data_characteristics")) + 1


def test_a_merged_anchor_key_is_found_at_its_line():
    text = (profiles.PROFILES_DIR / "fy2567.yaml").read_text(encoding="utf-8")
    text = text.replace("  min_level: 1", "  min_level: high")
    faults = _refused(text).faults
    assert {f.line for f in faults} == {_line_of(text, "min_level: high")}


def test_a_folder_with_two_files_of_one_id_is_refused(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(FY2565, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(FY2565, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        profiles.read_folder(tmp_path)
    assert caught.value.path.endswith("b.yaml") and caught.value.faults[0].key == "id"


def test_the_focus_areas_are_the_profiles_own():
    fy2565, fy2564 = profiles.load_profile("fy2565"), profiles.load_profile("fy2564")
    assert len(fy2565.focus_areas) == 10 and fy2564.focus_areas == ()
    assert fy2565.focus_area(9).label_th == "ด้านการบริหารจัดการภาครัฐ"
    assert fy2565.focus_area("ด้านความมั่นคง").key == "10"
    assert fy2565.focus_area(1).label_en == "Economy, industry and SMEs"
    assert fy2565.focus_area("ด้านอวกาศ") is None


def test_a_criterion_asking_for_a_focus_area_needs_the_profiles_list():
    start = FY2565.index("focus_areas:")
    text = FY2565[:start] + FY2565[FY2565.index("levels:"):]
    fault, = _refused(text).faults
    assert fault.key == "criteria[0].params.require_plan"
    assert fault.line == _line_of(text, "require_plan: [focus_area, issue]")
    assert "focus_areas" in fault.en
