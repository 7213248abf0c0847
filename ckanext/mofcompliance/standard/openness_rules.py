"""The open-characteristics rules (``openness_rules.yaml``), compiled per ruleset, and the
levels', indicators' and next steps' names they hold."""
from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

RULES_PATH = Path(__file__).resolve().parent / "openness_rules.yaml"
# The ruleset read when none is named (a profile names its own: ``openness_rules``).
DEFAULT_RULESET = "fy2565"


@dataclass
class Ruleset:
    """A compiled ruleset: sets and tables ready for fast lookups."""
    name: str
    raw: Mapping[str, Any]
    format_aliases: Mapping[str, str]
    format_class: Mapping[str, str]
    format_levels: Mapping[str, int]
    datastore_format_level: int
    private_is_closed: bool
    private_resource_field: str
    datastore_field: str
    api_formats: frozenset[str]
    api_resource_types: frozenset[str]
    api_documented_field: str
    api_patterns: tuple[re.Pattern[str], ...]
    authoritative_field: str
    fine_frequency: frozenset[str]
    fine_geo: frozenset[str]
    fine_collect: frozenset[str]
    live_frequency: frozenset[str]
    searchable_field: str
    text_by_nature: frozenset[str]
    assume_searchable: bool
    unstructured_types: frozenset[str]
    unstructured_classes: frozenset[str]
    reasons: Mapping[str, Mapping[int, Mapping[str, str]]]
    next_steps: Mapping[str, tuple[tuple[int, str, str], ...]]
    _class_cache: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _rules_file() -> Mapping[str, Any]:
    with RULES_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _resolved(name: str, rulesets: Mapping[str, Any]) -> dict[str, Any]:
    if name not in rulesets:
        raise KeyError(f"unknown open-characteristics ruleset {name!r}")
    own = dict(rulesets[name])
    base = own.pop("base", None)
    return _merge(_resolved(base, rulesets), own) if base else own


def _compile(name: str, raw: Mapping[str, Any]) -> Ruleset:
    classes = {fmt: cls for cls, fmts in raw["formats"]["classes"].items() for fmt in fmts}
    acc, gran, srch = raw["access"], raw["granularity"], raw["searchable"]
    unstructured = raw.get("unstructured") or {}
    return Ruleset(
        name=name, raw=raw,
        format_aliases={k.upper(): v for k, v in raw["formats"]["aliases"].items()},
        format_class=classes,
        format_levels=dict(raw["format_levels"]),
        datastore_format_level=raw["format_levels"][raw["datastore_format_class"]],
        private_is_closed=bool(acc["private_is_closed"]),
        private_resource_field=acc["private_resource_field"],
        datastore_field=acc["datastore_field"],
        api_formats=frozenset(acc["api_formats"]),
        api_resource_types=frozenset(t.lower() for t in acc["api_resource_types"]),
        api_documented_field=acc["api_documented_field"],
        api_patterns=tuple(re.compile(p) for p in acc["api_description_patterns"]),
        authoritative_field=acc["authoritative_field"],
        fine_frequency=frozenset(gran["fine_frequency"]),
        fine_geo=frozenset(gran["fine_geo"]),
        fine_collect=frozenset(gran["fine_collect"]),
        live_frequency=frozenset(gran["live_frequency"]),
        searchable_field=srch["field"],
        text_by_nature=frozenset(srch["text_by_nature"]),
        assume_searchable=bool(srch["assume_when_undeclared"]),
        unstructured_types=frozenset(unstructured.get("data_types") or ()),
        unstructured_classes=frozenset(unstructured.get("resource_classes") or ()),
        reasons={ind: {int(k): v for k, v in lv.items()} for ind, lv in raw["reasons"].items()},
        next_steps={
            ind: tuple(sorted((int(k), v["th"], v["en"]) for k, v in lv.items()))
            for ind, lv in raw["next"].items()
        },
    )


@functools.lru_cache(maxsize=None)
def ruleset(name: str = DEFAULT_RULESET) -> Ruleset:
    """The compiled ruleset ``name`` (cached: YAML and regexes are compiled once)."""
    rules = _rules_file()
    shared = {k: v for k, v in rules.items() if k != "rulesets"}
    return _compile(name, _merge(shared, _resolved(name, rules["rulesets"])))


def ruleset_names() -> tuple[str, ...]:
    return tuple(_rules_file()["rulesets"])


def level_key(level: int) -> str:
    return _rules_file()["levels"][level]["key"]


def level_label(level: int) -> tuple[str, str]:
    entry = _rules_file()["levels"][level]
    return entry["label_th"], entry["label_en"]


def hints(indicator: str, from_level: int, to_level: int,
          rules: str = DEFAULT_RULESET) -> tuple[tuple[int, str, str], ...]:
    """(level, Thai, English) steps that take an indicator above ``from_level`` up to ``to_level``."""
    return tuple(h for h in ruleset(rules).next_steps[indicator] if from_level < h[0] <= to_level)


def indicator_label(name: str) -> tuple[str, str]:
    entry = _rules_file()["indicators"][name]
    return entry["label_th"], entry["label_en"]
