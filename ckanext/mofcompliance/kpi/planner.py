"""The next steps to the next level: the fewest fixes that reach it.

First the steps the agency takes without touching a dataset (gates first), then dataset
fixes, greedily: datasets are grouped by state (a fix's effect depends on the state
only), and the group whose next fix gains most (score, then datasets still short) is
taken, as few of its fixes as reach the target. What-if questions are answered by
adding tally differences, never by reading package dicts again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .criteria import Context, NextStep, State
from .kinds import Totals, add, judge_all, kind_of, score_level, tally
from .inputs import DatasetResult
from ..standard.labels import name_title, names_en, names_th
from ..standard.openness import IndicatorResult
from ..standard.openness_rules import hints, indicator_label
from .profile import CriterionSpec, Profile

Groups = dict[State, tuple[State, list[int]]]


def _relevant(prof: Profile, target: int) -> list[CriterionSpec]:
    if prof.scoring == "thresholds":
        return [c for c in prof.criteria if c.level <= target]
    return [c for c in prof.criteria if not c.gate or c.level <= target]


def _fixed(s: State, aim: int, relevant: list[CriterionSpec]) -> State:
    """The state after the fewest aspects of a fix that give the relevant tallies their best."""
    def tallies(state: State) -> list[tuple]:
        return [kind_of(c).tally(c, state) for c in relevant]

    new = s._replace(complete=True, level=max(s.level, aim), registered=True, mapped=True)
    best = tallies(new)
    for aspect in ("complete", "level", "registered", "mapped"):
        trial = new._replace(**{aspect: getattr(s, aspect)})
        if tallies(trial) == best:
            new = trial
    return new


def _effort(ds: DatasetResult, s: State, new: State) -> int:
    effort = len(ds.completeness.missing_items) if new.complete != s.complete else 0
    effort += sum(max(0, new.level - i.level) for i in ds.openness.indicators if not i.gate)
    return effort + int(new.registered != s.registered) + int(new.mapped != s.mapped)


@dataclass
class Planner:
    """Plans the steps from ``totals`` (the catalog's summed tallies) to ``target``."""
    prof: Profile
    results: Sequence[DatasetResult]
    states: Sequence[State]
    ctx: Context
    target: int
    relevant: list[CriterionSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.relevant = _relevant(self.prof, self.target)

    def plan(self, totals: Totals) -> tuple[NextStep, ...]:
        """The fewest dataset fixes (after agency steps) that reach the target."""
        steps = self._agency_steps(totals)
        groups = self._groups()
        deltas = {s: self._delta(s, new) for s, (new, _) in groups.items()}
        while not self._reached(totals):
            s = self._best_group(totals, groups, deltas)
            if s is None:
                break
            new, members = groups[s]
            count = self._take(totals, deltas[s], len(members))
            totals = add(totals, deltas[s], count)
            steps.extend(self._dataset_step(self.results[i], s, new) for i in members[:count])
            groups[s] = (new, members[count:])
        return tuple(steps)

    def _reached(self, totals: Totals) -> bool:
        return score_level(self.prof, judge_all(self.prof, totals, self.ctx))[1] >= self.target

    def _gain(self, before: Totals, after: Totals) -> tuple[float, int]:
        """(score gained, datasets of deficit removed) — compared in that order."""
        jb, ja = judge_all(self.prof, before, self.ctx), judge_all(self.prof, after, self.ctx)
        score_gain = score_level(self.prof, ja)[0] - score_level(self.prof, jb)[0]
        deficit_gain = sum(jb[c.id].deficit - ja[c.id].deficit for c in self.relevant)
        return score_gain, deficit_gain

    def _agency_steps(self, totals: Totals) -> list[NextStep]:
        """Steps that need no dataset fix, gates first, taken until the target is reached."""
        steps = []
        for spec in sorted(self.relevant, key=lambda c: (not c.gate, -c.max_points)):
            if self._reached(totals):
                break
            step = kind_of(spec).agency_step(spec, self.ctx)
            if step is not None:
                steps.append(step)
                self.ctx.agency_done.add(spec.id)
        return steps

    def _groups(self) -> Groups:
        """Datasets grouped by state, each group's members easiest first."""
        aim = max((kind_of(c).aim_level(c) for c in self.relevant), default=0)
        fixes: dict[State, State] = {}
        groups: Groups = {}
        for i, s in enumerate(self.states):
            new = fixes.get(s)
            if new is None:
                new = fixes[s] = _fixed(s, aim, self.relevant)
            if new != s:
                groups.setdefault(s, (new, []))[1].append(i)
        for s, (new, members) in groups.items():
            members.sort(key=lambda i: (_effort(self.results[i], s, new), self.results[i].name))
        return groups

    def _delta(self, s: State, new: State) -> Totals:
        before = tally(self.prof, s)
        return {k: tuple(b - a for a, b in zip(before[k], v))
                for k, v in tally(self.prof, new).items()}

    def _take(self, totals: Totals, delta: Totals, size: int) -> int:
        """How many fixes of one group to take: the fewest that reach the target, else all."""
        if not self._reached(add(totals, delta, size)):
            return size
        low, high = 1, size
        while low < high:
            mid = (low + high) // 2
            if self._reached(add(totals, delta, mid)):
                high = mid
            else:
                low = mid + 1
        return low

    def _best_group(self, totals: Totals, groups: Groups,
                    deltas: dict[State, Totals]) -> State | None:
        """The group whose next fix gains most (score, then deficit), then per fix over the
        group."""
        best, best_key = None, None
        for s, (new, members) in groups.items():
            if not members:
                continue
            one = self._gain(totals, add(totals, deltas[s]))
            whole = self._gain(totals, add(totals, deltas[s], len(members)))
            effort = -_effort(self.results[members[0]], s, new)
            key = (one > (0, 0), one, whole[0] / len(members), whole[1] / len(members), effort)
            if (one > (0, 0) or whole > (0, 0)) and (best_key is None or key > best_key):
                best, best_key = s, key
        return best

    def _dataset_step(self, ds: DatasetResult, s: State, new: State) -> NextStep:
        items = ds.completeness.missing_items if new.complete != s.complete else ()
        indicators = tuple(
            _indicator_step(ds, i, 1 if i.gate else new.level)
            for i in ds.openness.indicators
            if new.level != s.level and i.level < (1 if i.gate else new.level)
        )
        register, mapped = new.registered != s.registered, new.mapped != s.mapped
        th, en = _step_text(ds, items, indicators, register, mapped)
        served = tuple(c.id for c in self.relevant
                       if kind_of(c).tally(c, new) != kind_of(c).tally(c, s))
        return NextStep("dataset", served, th, en, ds.name, tuple(items), indicators,
                        register, mapped)


def _indicator_step(ds: DatasetResult, ind: IndicatorResult, target: int) -> dict[str, Any]:
    steps = hints(ind.indicator, ind.level, target, ds.openness.ruleset)
    return {"indicator": ind.indicator, "level": ind.level, "target": target,
            "next_th": " แล้ว ".join(h[1] for h in steps),
            "next_en": "; then ".join(h[2] for h in steps)}


# The fields that tie a dataset to a work process (Template 1).
WORK_PROCESS_FIELDS = ("kpi_mission", "kpi_main_process")


def _step_text(ds: DatasetResult, items: Sequence[str],
               indicators: Sequence[dict[str, Any]], register: bool,
               mapped: bool) -> tuple[str, str]:
    """What to do to one dataset, in Thai and in English."""
    named = f"“{ds.title}” ({ds.name})" if ds.title and ds.title != ds.name else ds.name
    th, en = [f"ชุดข้อมูล {named}:"], [f"Dataset {named}:"]
    if items:
        th.append("กรอก " + names_th(items))
        en.append("fill " + names_en(items))
    for ind in indicators:
        label_th, label_en = indicator_label(ind["indicator"])
        th.append(f"{label_th} — {ind['next_th']}")
        en.append(f"{label_en} — {ind['next_en']}")
    if register:
        harvest_th, harvest_en = name_title("allow_harvest")
        th.append((f"ตอบ \"ใช่\" ที่ \"{harvest_th}\" แล้ว" if not ds.harvest_allowed else "")
                  + "ลงทะเบียนใน GD Catalog")
        en.append((f"answer \"yes\" to \"{harvest_en}\", then " if not ds.harvest_allowed else "")
                  + "register it in the GD Catalog")
    if mapped:
        th.append("ระบุ " + names_th(WORK_PROCESS_FIELDS))
        en.append("fill " + names_en(WORK_PROCESS_FIELDS))
    return " ".join(th[:1]) + " " + "; ".join(th[1:]), " ".join(en[:1]) + " " + "; ".join(en[1:])
