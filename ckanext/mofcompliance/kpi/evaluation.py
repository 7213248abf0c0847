"""ตัวชี้วัด Data Catalog / The Data Catalog KPI: results + plan + profile → score and level.

A fiscal year is a *profile* (``profiles.py``, ``profiles/fy*.yaml``): its criteria, points,
thresholds and readings are data. Each criterion names a *kind* (``kinds.py``), the only
rule code; no code branches on the year. The next steps are planned by ``planner.py``; the
datasets are read into results by ``inputs.py``. The rules and every reading made are in
docs/kpi-rules.md.

How a profile scores (``scoring:``):

* ``points`` — criteria worth 0 points are gates. Score = ``base_points`` once the gates of the
  lowest level hold, plus the points of every criterion whose level's gates (and the lower
  levels' gates) hold; rounded to 2 decimals. Level = the highest target the score reaches.
* ``thresholds`` — a level is reached when its criteria and every lower level's are met; the
  score shown is that level.

Per-dataset facts are summed into additive tallies, so what-if questions ("which fixes reach the
next level?") are answered by adding tally differences instead of re-reading package dicts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from .criteria import Context, Judgement, NextStep, State, round2
from .kinds import gates_hold, judge_all, score_level, sum_tallies
from ..standard.fields import text
from .assess import assess_catalog, assess_dataset, assess_under_rulesets, gc_paused
from .inputs import AgencyPlan, DatasetResult, UseCase, WorkProcess, dataset_result_from_json
from .planner import Planner
from .profile import Profile, profile_from_dict
from .profiles import DEFAULT_PROFILE, load_profile, profile_ids, resolve

__all__ = [
    "AgencyPlan", "UseCase", "WorkProcess", "DatasetResult", "assess_dataset", "assess_catalog",
    "assess_under_rulesets",
    "dataset_result_from_json", "gc_paused", "Profile", "load_profile", "profile_from_dict",
    "profile_ids", "round2", "CriterionResult", "NextStep", "KpiResult", "evaluate",
    "audit_catalog",
]


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class CriterionResult:
    id: str
    level: int
    met: bool
    points: float
    max_points: float
    label_th: str
    label_en: str
    evidence: Mapping[str, Any]
    note_th: str
    note_en: str
    # The gates (criteria worth 0 points) not met that keep this criterion's points from
    # counting, as {"id", "label_th", "label_en"}: why a row reads 0 beside its note's points.
    gated_by: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "met": self.met, "points": self.points,
                "max_points": self.max_points, "label_th": self.label_th,
                "label_en": self.label_en, "evidence": dict(self.evidence),
                "note_th": self.note_th, "note_en": self.note_en,
                "gated_by": [dict(g) for g in self.gated_by]}


@dataclass(frozen=True)
class KpiResult:
    profile: str
    score: float
    level: int
    next_level: int | None
    size_group: int | None
    criteria: tuple[CriterionResult, ...]
    next_steps: tuple[NextStep, ...]

    def criterion(self, criterion_id: str) -> CriterionResult:
        return next(c for c in self.criteria if c.id == criterion_id)

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "score": self.score, "level": self.level,
                "next_level": self.next_level, "size_group": self.size_group,
                "criteria": [c.to_dict() for c in self.criteria],
                "next_steps": [s.to_dict() for s in self.next_steps]}


def _criterion_results(profile: Profile, judged: Mapping[str, Judgement]) -> tuple[CriterionResult, ...]:
    out = []
    for c in profile.criteria:
        j = judged[c.id]
        counted = gates_hold(profile, judged, c.level)
        evidence = dict(j.evidence)
        gated_by: tuple[dict[str, str], ...] = ()
        if not counted and j.points:
            evidence["points_if_counted"] = j.points
            gated_by = tuple({"id": g.id, "label_th": g.label_th, "label_en": g.label_en}
                             for g in profile.criteria
                             if g.gate and g.level <= c.level and not judged[g.id].met)
        out.append(CriterionResult(
            c.id, c.level, j.met, j.points if counted else 0.0, c.max_points,
            c.label_th, c.label_en, evidence, j.note_th, j.note_en, gated_by,
        ))
    return tuple(out)


def waits_for_work_process(profile: Profile | str, result: DatasetResult) -> bool:
    """Whether the profile's score may ignore this dataset until it is tied to a work
    process: the profile counts the mapped datasets first (``mapped_or_all``) or gates its
    basic level on a list of them (``work_process_list``), and this one is not mapped."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    uses_mapping = prof.dataset_scope == "mapped_or_all" or any(
        c.kind == "work_process_list" for c in prof.criteria)
    return uses_mapping and not result.work_process.mapped


# ---------------------------------------------------------------- evaluation

def _registered(ds: DatasetResult, registrations: Mapping[str, str], states: frozenset[str]) -> bool:
    state = registrations.get(ds.name) or registrations.get(ds.id)
    return text(state).upper() in states


def _states(profile: Profile, results: Sequence[DatasetResult],
            registrations: Mapping[str, str]) -> list[State]:
    mapped = [r.work_process.mapped for r in results]
    scope_mapped = profile.dataset_scope == "mapped_or_all" and any(mapped)
    registered = ([_registered(r, registrations, profile.registered_states) for r in results]
                  if registrations else [False] * len(results))
    return [
        State(r.completeness.complete, r.openness.level, r.public, m, reg, m or not scope_mapped)
        for r, m, reg in zip(results, mapped, registered)
    ]


def _context(profile: Profile, results: Sequence[DatasetResult], plan: AgencyPlan,
             use_cases: Sequence[UseCase], catalog_url: str | None) -> Context:
    return Context(profile, plan, tuple(use_cases), text(catalog_url),
                   profile.size_group(len(results)), results)


def evaluate(
    profile: Profile | str,
    datasets_results: Sequence[DatasetResult],
    plan: AgencyPlan | Mapping[str, Any] | None = None,
    use_cases: Iterable[UseCase | Mapping[str, Any]] = (),
    catalog_url: str | None = None,
    registrations: Mapping[str, str] | None = None,
    next_steps: bool = True,
) -> KpiResult:
    """Score a catalog under a fiscal-year profile and say what reaches the next level
    (``next_steps=False`` skips that search, for summaries that do not show it)."""
    with gc_paused():
        return _evaluate(resolve(profile), datasets_results, plan, use_cases, catalog_url,
                         registrations, next_steps)


def _evaluate(prof: Profile, datasets_results: Sequence[DatasetResult],
              plan: AgencyPlan | Mapping[str, Any] | None, use_cases: Iterable[Any],
              catalog_url: str | None, registrations: Mapping[str, str] | None,
              next_steps: bool) -> KpiResult:
    plan = plan if isinstance(plan, AgencyPlan) else AgencyPlan.from_dict(plan)
    cases = [u if isinstance(u, UseCase) else UseCase.from_dict(u) for u in use_cases]
    ctx = _context(prof, datasets_results, plan, cases, catalog_url)
    states = _states(prof, datasets_results, registrations or {})
    totals = sum_tallies(prof, states)
    judged = judge_all(prof, totals, ctx)
    score, level = score_level(prof, judged)
    target = next((lv for lv in sorted(prof.level_values()) if lv > level), None)
    steps = () if target is None or not next_steps else Planner(
        prof, datasets_results, states, ctx, target).plan(totals)
    return KpiResult(prof.id, score, level, target,
                     ctx.size_group.group if ctx.size_group else None,
                     _criterion_results(prof, judged), steps)


# ---------------------------------------------------------------- the audit's answer

def _rows_of(results: list[DatasetResult]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in results]


def audit_catalog(
    pkg_dicts: Iterable[Mapping[str, Any]],
    profile: Profile | str = DEFAULT_PROFILE,
    plan: AgencyPlan | Mapping[str, Any] | None = None,
    use_cases: Iterable[UseCase | Mapping[str, Any]] = (),
    catalog_url: str | None = None,
    registrations: Mapping[str, str] | None = None,
    rows: Callable[[list[DatasetResult]], Sequence[Any]] = _rows_of,
) -> dict[str, Any]:
    """Assess every package dict and score the catalog; returns the audit's stable JSON shape.

    Top level: ``profile``, ``score`` (0-100, 2 decimals), ``level`` (0/50/75/100), ``criteria``
    (each with ``id``, ``met``, ``points``, ``max_points``, …) and ``datasets`` (each with
    ``name``, ``metadata_complete``, ``missing_items``, ``open_level``, ``open_indicators``, …).
    ``rows`` gives ``datasets`` from the results: a list of their rows by default; a writer of
    a large catalog passes one that makes each row as it is written (the rows take about
    twice the memory of the results).
    """
    prof = resolve(profile)
    results = assess_catalog(pkg_dicts, prof)
    kpi = evaluate(prof, results, plan, use_cases, catalog_url, registrations)
    return {
        **kpi.to_dict(),
        "profile_version": prof.version,
        "profile_title_th": prof.title_th,
        "profile_title_en": prof.title_en,
        "readings": list(prof.readings),
        "datasets": rows(results),
    }
