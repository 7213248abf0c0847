"""A new year's profile written from a loaded one: commented YAML that evaluators edit.

``draft_text`` gives the file ``ckan mofcompliance profile new`` writes: the source profile's
rules under the new id, version and fiscal year, each block with a comment saying what it is
(each criterion with its kind's description and parameters, from the kinds themselves), and a
header saying where the file goes. The text is checked by ``profile_format`` before it is
returned: a draft that would not load is never written.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from .kinds import KINDS
from .profile_format import read_profile_text
from .profile import CriterionSpec, Profile

FIRST_VERSION = "1"

HEADER = """\
# KPI profile {id} (ตัวชี้วัด Data Catalog ปีงบประมาณ {year}), a draft written from {source_id}
# (version {source_version}) by `ckan mofcompliance profile new`.
#
# Where it goes: a folder named by the option ckanext.mofcompliance.profiles_path of the CKAN
# configuration (e.g. ckanext.mofcompliance.profiles_path = /etc/ckan/mofcompliance-profiles).
# Check it with `ckan mofcompliance profile check THIS_FILE`, put it in that folder and restart
# CKAN: the dashboard's fiscal-year picker offers it, marked "(site profile)". A file with an
# id already loaded replaces that profile.
# Raise `version` on every edit: the exports carry it and cached numbers are kept per version.
# The format: schemas/profile.schema.json; every criterion kind: README, "Criterion kinds".
"""

BLOCKS: dict[str, str] = {
    "id": "The profile's id: lower-case letters, digits and _ (the picker's and the API's "
          "`profile`).\n`version`: raise it on every edit.",
    "title_th": "Titles shown in the picker, the reports and the exports.",
    "source": "The document these rules come from.",
    "scoring": "points: score = base_points once the lowest level's gates (criteria worth 0 "
               "points) hold,\nplus the points of every criterion whose level's gates hold; "
               "level = the highest level <= score.\nthresholds: a level is reached when its "
               "criteria and every lower level's are met; score = level.",
    "openness_rules": "The open-characteristics ruleset datasets are judged with "
                      "(standard/openness_rules.yaml).",
    "dataset_scope": "all: every dataset; mapped_or_all: the datasets tied to a work process "
                     "(kpi_mission and\nkpi_main_process), or every dataset when none is.",
    "focus_areas": "The Focus Areas an agency plan chooses one of (the plan form lists these).",
    "levels": "The targets, lowest first; each criterion belongs to one.",
    "size_groups": "Size groups by the number of datasets in the catalog; a threshold criterion "
                   "gives a percentage per group.",
    "registered_states": "GD Catalog registration states that count as registered.",
    "criteria": "The criteria. Each names a kind (the rule) and gives its params; max_points: 0 "
                "makes it a gate of its level.",
    "readings": "How this year's sources are read where they leave a question open.",
}
# lists written one entry a line, each entry in flow style ({level: 50, label_th: …})
_FLOW_ENTRIES = {"focus_areas", "levels", "size_groups", "registered_states"}
# keys written on the line after the one whose comment covers them
_GROUPED = {"version", "fiscal_year", "title_en", "base_points"}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The profile as its file's mapping (the keys in the order of the shipped files)."""
    raw: dict[str, Any] = {
        "id": profile.id, "version": profile.version, "fiscal_year": profile.fiscal_year,
        "title_th": profile.title_th, "title_en": profile.title_en, "source": profile.source,
        "scoring": profile.scoring,
    }
    if profile.scoring == "points":
        raw["base_points"] = _number(profile.base_points)
    raw.update(openness_rules=profile.openness_rules, dataset_scope=profile.dataset_scope)
    if profile.focus_areas:
        raw["focus_areas"] = [{"number": int(fa.key), "label_th": fa.label_th,
                               "label_en": fa.label_en} for fa in profile.focus_areas]
    raw["levels"] = [{"level": lv.level, "label_th": lv.label_th, "label_en": lv.label_en}
                     for lv in profile.levels]
    if profile.size_groups:
        raw["size_groups"] = [{"group": g.group, "min": g.min, "max": g.max,
                               "label_th": g.label_th, "label_en": g.label_en}
                              for g in profile.size_groups]
    raw["registered_states"] = sorted(profile.registered_states)
    raw["criteria"] = [_criterion(c) for c in profile.criteria]
    raw["readings"] = list(profile.readings)
    return raw


def _criterion(spec: CriterionSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"id": spec.id, "level": spec.level, "kind": spec.kind,
                           "max_points": _number(spec.max_points),
                           "label_th": spec.label_th, "label_en": spec.label_en}
    if spec.params:
        out["params"] = _plain(spec.params)
    return out


def _plain(value: Any) -> Any:
    """Mappings as plain dicts (YAML anchors already merged), for ``yaml.safe_dump``."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _dump(data: Any, flow: bool | None = None) -> str:
    """Block style, with flow style for collections of scalars unless ``flow`` is False."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                          width=4096)


def _comment(text: str, indent: str = "") -> str:
    return "".join(f"{indent}# {line}\n" for line in text.splitlines())


def _kind_comment(spec: CriterionSpec) -> str:
    kind = KINDS[spec.kind]
    lines = [f"kind {spec.kind}: " + " ".join((kind.__doc__ or "").split("\n\n")[0].split())]
    lines += [f"  params.{name}: {p.get('description', '')}" for name, p in kind.params.items()]
    return _comment("\n".join(lines), "  ")


def _criteria_block(criteria: list[dict[str, Any]], profile: Profile) -> str:
    out = _comment(BLOCKS["criteria"]) + "criteria:\n"
    for spec, entry in zip(profile.criteria, criteria):
        lines = [line for key, value in entry.items()
                 for line in _dump({key: value}, None if key == "params" else False).splitlines()]
        out += _kind_comment(spec) + "  - " + "\n    ".join(lines) + "\n"
    return out


def draft_text(source: Profile, new_id: str, fiscal_year: int | None = None) -> str:
    """The commented YAML of a new profile ``new_id`` written from ``source``.

    The fiscal year defaults to the four digits of ``new_id`` (fy2568 → 2568), else the
    source's year plus one; it replaces the source's year in the titles."""
    year = fiscal_year or _year_of(new_id) or source.fiscal_year + 1
    raw = profile_to_dict(source)
    old = str(source.fiscal_year)
    raw.update(id=new_id, version=FIRST_VERSION, fiscal_year=year,
               title_th=raw["title_th"].replace(old, str(year)),
               title_en=raw["title_en"].replace(old, str(year)))
    text = HEADER.format(id=new_id, year=year, source_id=source.id,
                         source_version=source.version)
    for key, value in raw.items():
        if key == "criteria":
            text += "\n" + _criteria_block(value, source)
            continue
        if key not in _GROUPED:
            text += "\n" + _comment(BLOCKS.get(key, key))
        text += _dump({key: value}, None if key in _FLOW_ENTRIES else False)
    read_profile_text(text, f"{new_id}.yaml")      # a draft that would not load is a bug
    return text


def _year_of(profile_id: str) -> int | None:
    found = re.fullmatch(r"[a-z_]*?(\d{4})", profile_id)
    return int(found.group(1)) if found else None
