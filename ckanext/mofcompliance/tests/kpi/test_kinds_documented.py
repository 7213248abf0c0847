"""docs/kpi-profiles.md documents every criterion kind: its parameters, and an example that validates."""
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from ckanext.mofcompliance.kpi.kinds import KINDS
from ckanext.mofcompliance.kpi.profile_format import profile_json_schema

PROFILES_DOC = Path(__file__).parents[4] / "docs" / "kpi-profiles.md"


def _sections() -> dict[str, str]:
    text = PROFILES_DOC.read_text(encoding="utf-8")
    kinds = text.split("## Criterion kinds", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2)
            for m in re.finditer(r"^### `(\w+)`\n(.*?)(?=^### |\Z)", kinds, re.S | re.M)}


def test_every_kind_has_a_section_and_no_section_is_of_an_unknown_kind():
    assert set(_sections()) == set(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_section_names_every_parameter_and_its_example_validates(name):
    section = _sections()[name]
    for param in KINDS[name].params:
        assert f"`{param}`" in section, (name, param)
    example, = re.findall(r"```yaml\n(.*?)```", section, re.S)
    criterion, = yaml.safe_load(example)
    assert criterion["kind"] == name
    criterion_schema = profile_json_schema()["properties"]["criteria"]["items"]
    # keys as JSON has them (strings), as the profile reader validates them
    jsonschema.Draft202012Validator(criterion_schema).validate(json.loads(json.dumps(criterion)))
