"""The NSO QC grade's rules, compiled from ``nso_qc_rules.yaml`` (pure Python, no CKAN import).

Every number and list lives in the YAML file; docs/nso-qc-grade.md gives the source of each and
the readings a thai_gdc catalog forces.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

RULES_PATH = Path(__file__).resolve().parent / "nso_qc_rules.yaml"
DIMENSIONS = ("completeness", "timeliness", "accessibility", "machine_readable", "validity")
LETTERS = ("A", "B", "C", "D", "F")


class RulesError(ValueError):
    """The rules file is inconsistent (weights not summing to 100, a letter missing, ...)."""


@dataclass(frozen=True)
class CompletenessRule:
    field: str                  # the name reported when missing
    points: int
    reads: tuple[str, ...]      # package fields read, the first filled one wins
    not_read: tuple[str, ...] = ()  # fields a thai_gdc catalog fills that NSO does not read


@dataclass(frozen=True)
class Frequency:
    name: str
    warning: int                # up to this many whole days: up to date
    outdated: int               # up to this many: warning; beyond: outdated
    matches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Penalty:
    above: float
    minus: float


@dataclass(frozen=True)
class Rules:
    weights: Mapping[str, float]             # fraction of the overall score (0.2 for 20 %)
    grades: tuple[tuple[str, float], ...]    # (letter, min), highest first
    completeness: tuple[CompletenessRule, ...]
    frequency_fields: tuple[str, ...]
    timeliness_scores: Mapping[str, float]
    frequencies: tuple[Frequency, ...]
    otherwise: Frequency
    unscannable_formats: frozenset[str]
    machine_readable_formats: frozenset[str]
    validated_formats: frozenset[str]
    downloadable_statuses: frozenset[int]     # HEAD statuses NSO counts downloadable
    content_types: Mapping[str, str]          # NSO's format of a content type
    html_checked_formats: frozenset[str]      # formats NSO downloads and looks for HTML in
    workbook_formats: frozenset[str]          # one that does not open: invalid, 0 errors
    penalties: tuple[Penalty, ...]           # highest threshold first
    no_validated_factor: float
    decimals: int

    def letter(self, score: float) -> str:
        """The letter of an overall score (the first grade whose minimum it reaches)."""
        for letter, minimum in self.grades:
            if score >= minimum:
                return letter
        return self.grades[-1][0]

    def frequency(self, value: Any) -> Frequency:
        """NSO's frequency of a value: matched exactly, then as a part, else ``otherwise``."""
        text = str(value or "").strip().lower()
        if not text:
            return self.otherwise
        for freq in self.frequencies:
            if text in freq.matches:
                return freq
        for freq in self.frequencies:
            if any(key in text for key in freq.matches):
                return freq
        return self.otherwise


def _frequency(raw: Mapping[str, Any]) -> Frequency:
    return Frequency(str(raw["name"]), int(raw["warning"]), int(raw["outdated"]),
                     tuple(str(m).lower() for m in raw.get("matches") or ()))


def _lower_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values)


def compile_rules(raw: Mapping[str, Any]) -> Rules:
    """Rules from a parsed rules file; :class:`RulesError` names what is inconsistent."""
    weights = {dim: float(raw["weights"][dim]) for dim in DIMENSIONS}
    if abs(sum(weights.values()) - 100) > 1e-9:
        raise RulesError(f"weights sum to {sum(weights.values())}, not 100")
    grades = tuple((str(g["letter"]), float(g["min"])) for g in raw["grades"])
    if tuple(letter for letter, _ in grades) != LETTERS or list(grades) != sorted(
            grades, key=lambda g: -g[1]):
        raise RulesError("grades must be A, B, C, D, F with decreasing minimums")
    tl, val, reading = raw["timeliness"], raw["validity"], raw["reading"]
    return Rules(
        weights={dim: w / 100 for dim, w in weights.items()},
        grades=grades,
        completeness=tuple(CompletenessRule(str(c["field"]), int(c["points"]), tuple(c["reads"]),
                                            tuple(c.get("not_read") or ()))
                           for c in raw["completeness"]),
        frequency_fields=tuple(tl["frequency_fields"]),
        timeliness_scores={k: float(v) for k, v in tl["scores"].items()},
        frequencies=tuple(_frequency(f) for f in tl["frequencies"]),
        otherwise=_frequency(tl["otherwise"]),
        unscannable_formats=_lower_set(raw["unscannable_formats"]),
        machine_readable_formats=_lower_set(raw["machine_readable_formats"]),
        validated_formats=_lower_set(val["validated_formats"]),
        downloadable_statuses=frozenset(int(s) for s in reading["downloadable_statuses"]),
        content_types={str(k).lower(): str(v).lower()
                       for k, v in reading["content_types"].items()},
        html_checked_formats=_lower_set(reading["html_checked_formats"]),
        workbook_formats=_lower_set(reading["workbook_formats"]),
        penalties=tuple(sorted((Penalty(p["above"], p["minus"])
                                for p in val["penalties"]), key=lambda p: -p.above)),
        no_validated_factor=float(val["no_validated_factor"]),
        decimals=int(raw["decimals"]),
    )


@functools.lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped rules (read and compiled once)."""
    with RULES_PATH.open(encoding="utf-8") as fh:
        return compile_rules(yaml.safe_load(fh))
