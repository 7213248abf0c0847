"""What a fiscal-year profile of the Data Catalog KPI is: data, read from a file by
``profile_format`` and kept loaded by ``profiles``.

A profile holds a year's criteria (each naming a kind of rule from ``criteria``), their
levels and points, the size groups and thresholds, the open-characteristics ruleset it
scores with, and the readings made where the sources leave a question open
(docs/kpi-rules.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


DEFAULT_REGISTERED_STATES = ("COMPLETED",)   # when a profile does not name them


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
class FocusArea:
    """One of the year's Focus Areas an agency plan chooses from (``key``: its number)."""
    key: str
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Level:
    level: int
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Profile:
    id: str
    version: str
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
    focus_areas: tuple[FocusArea, ...] = ()

    def focus_area(self, value: str | int) -> FocusArea | None:
        """A Focus Area of this year by its number or its Thai or English label."""
        wanted = str(value).strip()
        return next((fa for fa in self.focus_areas
                     if wanted and wanted in (fa.key, fa.label_th, fa.label_en)), None)

    def size_group(self, count: int) -> SizeGroup | None:
        return next((g for g in self.size_groups if g.holds(count)), None)

    def level_values(self) -> tuple[int, ...]:
        return tuple(lv.level for lv in self.levels)


def profile_from_dict(raw: Mapping[str, Any]) -> Profile:
    """Build a profile from its parsed YAML (exposed so tests and admins can try variants)."""
    return Profile(
        id=raw["id"], version=str(raw.get("version", "1")), fiscal_year=int(raw["fiscal_year"]), title_th=raw["title_th"],
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
        registered_states=frozenset(raw.get("registered_states") or DEFAULT_REGISTERED_STATES),
        readings=tuple(raw.get("readings") or ()),
        focus_areas=tuple(FocusArea(str(fa["number"]), fa["label_th"], fa["label_en"])
                          for fa in raw.get("focus_areas") or ()),
    )
