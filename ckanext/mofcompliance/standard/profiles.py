"""Fiscal-year profiles of the Data Catalog KPI (``profiles/fy*.yaml``), loaded as data.

A profile holds a year's criteria (each naming a kind of rule from ``criteria``), their
levels and points, the size groups and thresholds, the open-characteristics ruleset it
scores with, and the readings made where the sources leave a question open
(docs/kpi-rules.md).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    kind: str
    level: int
    max_points: float
    label_th: str
    label_en: str
    params: Mapping[str, Any]

    @property
    def gate(self) -> bool:
        return self.max_points == 0


@dataclass(frozen=True)
class SizeGroup:
    group: int
    min: int
    max: int | None
    label_th: str
    label_en: str

    def holds(self, count: int) -> bool:
        return count >= self.min and (self.max is None or count <= self.max)


@dataclass(frozen=True)
class Level:
    level: int
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Profile:
    id: str
    fiscal_year: int
    title_th: str
    title_en: str
    source: str
    scoring: str
    base_points: float
    openness_rules: str
    dataset_scope: str
    levels: tuple[Level, ...]
    criteria: tuple[CriterionSpec, ...]
    size_groups: tuple[SizeGroup, ...]
    registered_states: frozenset[str]
    readings: tuple[str, ...]

    def size_group(self, count: int) -> SizeGroup | None:
        return next((g for g in self.size_groups if g.holds(count)), None)

    def level_values(self) -> tuple[int, ...]:
        return tuple(lv.level for lv in self.levels)


def profile_from_dict(raw: Mapping[str, Any]) -> Profile:
    """Build a profile from its parsed YAML (exposed so tests and admins can try variants)."""
    return Profile(
        id=raw["id"], fiscal_year=int(raw["fiscal_year"]), title_th=raw["title_th"],
        title_en=raw["title_en"], source=str(raw.get("source", "")), scoring=raw["scoring"],
        base_points=float(raw.get("base_points", 0)), openness_rules=raw["openness_rules"],
        dataset_scope=raw.get("dataset_scope", "all"),
        levels=tuple(Level(int(lv["level"]), lv["label_th"], lv["label_en"]) for lv in raw["levels"]),
        criteria=tuple(
            CriterionSpec(
                id=c["id"], kind=c["kind"], level=int(c["level"]),
                max_points=float(c.get("max_points", 0)), label_th=c["label_th"],
                label_en=c["label_en"], params=c.get("params") or {},
            )
            for c in raw["criteria"]
        ),
        size_groups=tuple(
            SizeGroup(int(g["group"]), int(g["min"]), g.get("max"), g["label_th"], g["label_en"])
            for g in raw.get("size_groups") or ()
        ),
        registered_states=frozenset(raw.get("registered_states") or ("COMPLETED",)),
        readings=tuple(raw.get("readings") or ()),
    )


@functools.lru_cache(maxsize=1)
def profile_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PROFILES_DIR.glob("*.yaml")))


@functools.lru_cache(maxsize=None)
def load_profile(profile_id: str) -> Profile:
    path = PROFILES_DIR / f"{profile_id}.yaml"
    if profile_id not in profile_ids():
        raise KeyError(f"unknown KPI profile {profile_id!r}; known: {', '.join(profile_ids())}")
    with path.open(encoding="utf-8") as fh:
        return profile_from_dict(yaml.safe_load(fh))


def resolve(profile: Profile | str) -> Profile:
    """A profile given as itself or by its id."""
    return profile if isinstance(profile, Profile) else load_profile(profile)
