"""The published profile format: its JSON Schema, built from the kinds, and the checked reader.

``schemas/profile.schema.json`` is this module's ``profile_json_schema()`` (a test fails when
the checked-in file drifts). ``read_profile_file`` validates a profile file against the same
schema before building it: a file that fails is refused whole, with the file, line and key of
each fault, in Thai and English.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import jsonschema
import yaml

from .kinds import KINDS
from ..standard.openness_rules import ruleset_names
from .profile import DEFAULT_REGISTERED_STATES, Profile, profile_from_dict

# libyaml's parser where PyYAML was built with it (its wheels are): profiles are read each
# time the plugin is configured, and the pure-Python parser took most of that time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_LABELS = {"label_th": {"type": "string", "minLength": 1},
           "label_en": {"type": "string", "minLength": 1}}


def _criterion_schema() -> dict[str, Any]:
    by_kind = []
    for name, kind in KINDS.items():
        then: dict[str, Any] = {"properties": {"params": {
            "type": "object", "description": (kind.__doc__ or "").split("\n\n")[0].strip(),
            "properties": kind.params, "required": list(kind.required),
            "additionalProperties": False}}}
        if kind.required:
            then["required"] = ["params"]
        by_kind.append({"if": {"properties": {"kind": {"const": name}}}, "then": then})
    return {
        "type": "object",
        "required": ["id", "kind", "level", "label_th", "label_en"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
            "kind": {"enum": list(KINDS), "description": "The rule the criterion applies."},
            "level": {"type": "integer", "description": "One of the profile's levels."},
            "max_points": {"type": "number", "minimum": 0, "default": 0,
                           "description": "0 makes the criterion a gate of its level."},
            **_LABELS,
            "params": {"type": "object"},
        },
        "allOf": by_kind,
    }


def profile_json_schema() -> dict[str, Any]:
    """The JSON Schema every profile file must meet."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Data Catalog KPI profile (one fiscal year)",
        "type": "object",
        "required": ["id", "fiscal_year", "title_th", "title_en", "scoring", "openness_rules",
                     "levels", "criteria"],
        "additionalProperties": False,
        "patternProperties": {"^x_": {"description": "Free keys, e.g. to hold YAML anchors."}},
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
            "version": {"type": "string", "default": "1",
                        "description": "The profile's own version, carried by the exports."},
            "fiscal_year": {"type": "integer"},
            "title_th": {"type": "string", "minLength": 1},
            "title_en": {"type": "string", "minLength": 1},
            "source": {"type": "string"},
            "scoring": {"enum": ["points", "thresholds"]},
            "base_points": {"type": "number", "default": 0},
            "openness_rules": {"enum": list(ruleset_names())},
            "dataset_scope": {"enum": ["all", "mapped_or_all"], "default": "all"},
            "levels": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["level", *_LABELS],
                "additionalProperties": False,
                "properties": {"level": {"type": "integer", "minimum": 0}, **_LABELS}}},
            "criteria": {"type": "array", "minItems": 1, "items": _criterion_schema()},
            "size_groups": {"type": "array", "items": {
                "type": "object", "required": ["group", "min", *_LABELS],
                "additionalProperties": False,
                "properties": {"group": {"type": "integer", "minimum": 1},
                               "min": {"type": "integer", "minimum": 0},
                               "max": {"type": ["integer", "null"]}, **_LABELS}}},
            "focus_areas": {"type": "array", "description":
                            "The Focus Areas an agency plan chooses one of (none: the year has "
                            "no Focus Area).", "items": {
                                "type": "object", "required": ["number", *_LABELS],
                                "additionalProperties": False,
                                "properties": {"number": {"type": "integer", "minimum": 1},
                                               **_LABELS}}},
            "registered_states": {"type": "array", "items": {"type": "string"},
                                  "default": list(DEFAULT_REGISTERED_STATES),
                                  "description": "GD Catalog states that count as registered."},
            "readings": {"type": "array", "items": {"type": "string"}},
        },
    }


def render_profile_schema() -> str:
    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- faults

@dataclass(frozen=True)
class Fault:
    line: int
    key: str
    th: str
    en: str


class ProfileError(ValueError):
    """A profile file refused; ``faults`` name the line and key of each fault."""

    def __init__(self, path: Path | str, faults: Sequence[Fault]) -> None:
        self.path, self.faults = str(path), tuple(faults)
        super().__init__("\n".join(
            f"{self.path}:{f.line}: {f.key}: {f.th} / {f.en}" for f in self.faults))


def _key(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(profile)"


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
        for key, value in node.value:        # a key brought in by a merge (<<: *anchor)
            if key.value == "<<":
                found = _child(value, part)
                if found is not None:
                    return found
    return None


def _line(root: yaml.Node, path: Iterable[Any]) -> int:
    """The line of the deepest node along ``path`` that the file has."""
    node = root
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _words(error: jsonschema.ValidationError) -> tuple[list[Any], str, str]:
    """(path, Thai, English) for one schema error."""
    path, kind, value = list(error.absolute_path), error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1]
        return path + [missing], "ขาดค่าที่ต้องระบุ", "is required but missing"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (path + extra[:1], "ไม่รู้จักคีย์นี้ (สะกดผิดหรือไม่ใช้กับชนิดนี้)",
                "unknown key (misspelt, or not a parameter of this kind)")
    if kind == "type":
        return path, f"ชนิดข้อมูลผิด ต้องเป็น {value}", f"wrong type: must be {value}"
    if kind in ("enum", "const"):
        allowed = ", ".join(map(str, value if kind == "enum" else [value]))
        return path, f"ค่าไม่อยู่ในรายการที่รับได้ ({allowed})", f"not one of: {allowed}"
    if kind == "propertyNames":
        return path, "คีย์ไม่ถูกต้อง", f"a key is not allowed ({error.message})"
    return path, f"ค่าไม่ถูกต้อง ({kind})", error.message


def _schema_faults(root: yaml.Node, data: Any) -> list[Fault]:
    validator = jsonschema.Draft202012Validator(profile_json_schema())
    plain = json.loads(json.dumps(data, default=str))     # keys as JSON has them: strings
    faults = []
    for error in validator.iter_errors(plain):
        if error.validator in ("if", "allOf"):
            continue
        path, th, en = _words(error)
        faults.append(Fault(_line(root, path), _key(path), th, en))
    return faults


def _rule_faults(root: yaml.Node, data: dict[str, Any]) -> list[Fault]:
    """What the schema cannot say: unique criterion ids, levels the profile has, Focus Areas
    for a criterion that asks the plan for one."""
    faults, seen = [], set()
    levels = {lv.get("level") for lv in data["levels"]}
    for i, criterion in enumerate(data["criteria"]):
        if ("focus_area" in (criterion.get("params") or {}).get("require_plan", ())
                and not data.get("focus_areas")):
            path: list[Any] = ["criteria", i, "params", "require_plan"]
            faults.append(Fault(_line(root, path), _key(path),
                                "ต้องการ Focus Area แต่โปรไฟล์ไม่มีรายการ focus_areas",
                                "asks the plan for a Focus Area but the profile lists no "
                                "focus_areas"))
        if criterion["id"] in seen:
            path = ["criteria", i, "id"]
            faults.append(Fault(_line(root, path), _key(path), "รหัสเกณฑ์ซ้ำ",
                                f"duplicate criterion id {criterion['id']!r}"))
        seen.add(criterion["id"])
        if criterion["level"] not in levels:
            path = ["criteria", i, "level"]
            faults.append(Fault(_line(root, path), _key(path), "ระดับนี้ไม่อยู่ใน levels",
                                "this level is not one of the profile's levels"))
    return faults


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for the faults' lines) and its data, from one parse."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def read_profile_text(text: str, path: Path | str) -> Profile:
    """Validate and build a profile from its YAML text; ``ProfileError`` when it fails."""
    try:
        root, data = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError(path, [Fault(mark.line + 1 if mark else 1, "(yaml)",
                                        "อ่าน YAML ไม่ได้", str(exc))]) from None
    if root is None or not isinstance(data, dict):
        raise ProfileError(path, [Fault(1, "(profile)", "ไฟล์ต้องเป็น mapping ของ YAML",
                                        "the file must be a YAML mapping")])
    faults = _schema_faults(root, data) or _rule_faults(root, data)
    if faults:
        raise ProfileError(path, sorted(faults, key=lambda f: f.line))
    return profile_from_dict(data)


def read_profile_file(path: Path) -> Profile:
    return read_profile_text(path.read_text(encoding="utf-8"), path)
