"""The scheming schema and the JSON Schema files are built from the one definition."""
import importlib.util
import json
from pathlib import Path

from ckanext.mofcompliance.standard import definition as std

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "build_schemas.py"
_spec = importlib.util.spec_from_file_location("build_schemas", SCRIPT)
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def test_checked_in_scheming_schema_matches_the_definition():
    assert build.SCHEMING_FILE.read_text(encoding="utf-8") == build.render_scheming_yaml(), \
        "run: python scripts/build_schemas.py"


def test_checked_in_json_schemas_match_the_definition():
    for scope in ("dataset", "resource"):
        path = build.JSON_SCHEMA_DIR / ("%s.schema.json" % scope)
        assert path.read_text(encoding="utf-8") == build.render_json_schema(scope), \
            "run: python scripts/build_schemas.py"


def test_no_choice_list_is_copied_into_the_scheming_schema():
    schema = build.scheming_schema()
    fields = schema["dataset_fields"] + schema["resource_fields"]
    assert not any("choices" in f for f in fields)
    choice_fields = {f["field_name"] for f in fields if f.get("choices_helper")}
    assert {"data_type", "objective", "license_id", "data_category"} <= choice_fields


def test_every_field_of_the_definition_is_in_the_form_in_order():
    schema = build.scheming_schema()
    assert [f["field_name"] for f in schema["dataset_fields"]] == \
        [f.name for f in std.dataset_fields()]
    assert [f["field_name"] for f in schema["resource_fields"]] == \
        [f.name for f in std.resource_fields()]


def test_the_form_layout_is_left_to_the_template_not_to_field_attributes():
    """Which block a field shows in is decided by field_layout.form_sections from the
    definition (tests/dataset/test_field_layout.py), so no field carries it in the schema."""
    by_name = {f["field_name"]: f for f in build.scheming_schema()["dataset_fields"]}
    assert "form_attrs" not in by_name["disaggregate"]
    assert "form_attrs" not in by_name["data_type"]


def test_json_schema_names_the_items_as_required():
    schema = json.loads(build.render_json_schema("dataset"))
    assert "maintainer_email" in schema["required"]
    assert "update_frequency_interval" not in schema["required"]


def test_checked_in_profile_schema_matches_the_kinds():
    assert build.PROFILE_SCHEMA_FILE.read_text(encoding="utf-8") == \
        build.render_profile_schema(), "run: python scripts/build_schemas.py"
