"""What a kind of criterion is and what it works on (the kinds themselves: ``kinds``).

Each criterion of a profile names a *kind*. A kind *tallies* one dataset's state into a
tuple that adds up over datasets, then *judges* the sum (met or not, points, evidence,
how many datasets are still short) and may propose a step the agency takes without
fixing any dataset. No code branches on the fiscal year: the years differ in their
profiles only (docs/kpi-rules.md).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Mapping, NamedTuple, Sequence

from .inputs import AgencyPlan, DatasetResult, UseCase
from .profile import CriterionSpec, Profile, SizeGroup

ADVANCED = 3


def round2(value: float | Fraction | Decimal) -> float:
    """Round half up to 2 decimals (the KPI's points and score)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class NextStep:
    kind: str                     # "agency" or "dataset"
    criteria: tuple[str, ...]     # the criteria it serves
    text_th: str
    text_en: str
    dataset: str | None = None
    items: tuple[str, ...] = ()   # missing items to fill (technical names)
    indicators: tuple[Mapping[str, Any], ...] = ()
    register: bool = False
    map_work_process: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "criteria": list(self.criteria), "dataset": self.dataset,
                "items": list(self.items), "indicators": [dict(i) for i in self.indicators],
                "register": self.register, "map_work_process": self.map_work_process,
                "text_th": self.text_th, "text_en": self.text_en}


# ---------------------------------------------------------------- per-dataset state

class State(NamedTuple):
    """What the criteria read from one dataset; fixes produce a new State."""
    complete: bool
    level: int
    public: bool
    mapped: bool
    registered: bool
    in_scope: bool


@dataclass(frozen=True)
class Judgement:
    met: bool
    points: float
    evidence: Mapping[str, Any]
    note_th: str
    note_en: str
    deficit: int = 0   # datasets still to fix for the criterion to be fully met


@dataclass
class Context:
    profile: Profile
    plan: AgencyPlan
    use_cases: tuple[UseCase, ...]
    catalog_url: str
    size_group: SizeGroup | None
    results: Sequence[DatasetResult]
    agency_done: set[str] = field(default_factory=set)   # what-if: agency steps taken

    @functools.cached_property
    def catalog_names(self) -> frozenset[str]:
        return frozenset(key for r in self.results for key in (r.name, r.id) if key)

    @functools.cached_property
    def public_names(self) -> frozenset[str]:
        return frozenset(key for r in self.results if r.public for key in (r.name, r.id) if key)


class Kind:
    """A rule. ``tally`` is additive over datasets; ``judge`` reads the sum.

    ``params`` describes the criterion's ``params:`` as JSON Schema properties (the published
    profile format is built from it); ``required`` names those without a default.
    """
    width = 0
    params: dict[str, dict[str, Any]] = {}
    required: tuple[str, ...] = ()

    def tally(self, spec: CriterionSpec, s: State) -> tuple[int | float, ...]:
        return ()

    def judge(self, spec: CriterionSpec, t: Sequence[float], ctx: Context) -> Judgement:
        raise NotImplementedError

    def aim_level(self, spec: CriterionSpec) -> int:
        return 0

    def agency_step(self, spec: CriterionSpec, ctx: Context) -> NextStep | None:
        return None
