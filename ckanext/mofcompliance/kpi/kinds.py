"""The kinds of criterion a profile may use (the only rule code of the KPI), and the
tallies and judging of a profile's criteria over an agency's datasets.

Each kind is a ``criteria.Kind``: it tallies one dataset's state, judges the sum and may
propose a step of the agency's own (docs/kpi-rules.md).
"""
from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlparse

from ..standard.labels import names_en, names_th
from ..standard.openness_rules import level_label
from .criteria import ADVANCED, Context, Judgement, Kind, NextStep, State, round2
from .inputs import UseCase
from .profile import CriterionSpec, Profile


def _percent(part: int, whole: int) -> float:
    return round2(Fraction(100 * part, whole)) if whole else 0.0


def _reaches(part: int, whole: int, threshold: Any) -> bool:
    return whole > 0 and 100 * part >= Fraction(str(threshold)) * whole


def _needed(whole: int, threshold: Any) -> int:
    return math.ceil(Fraction(str(threshold)) * whole / 100)


# ---------------------------------------------------------------- kinds

def _level_table(description: str, every_level: bool) -> dict[str, Any]:
    levels = [str(lv) for lv in range(ADVANCED + 1)]
    return {"type": "object", "description": description,
            "propertyNames": {"enum": levels}, "additionalProperties": {"type": "number"},
            **({"required": levels} if every_level else {"minProperties": 1})}


_THRESHOLDS = {"type": "object", "propertyNames": {"pattern": "^[1-9][0-9]*$"},
               "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100},
               "minProperties": 1,
               "description": "Per size group (its number): the percentage of public datasets "
                              "that must qualify."}


class WorkProcessList(Kind):
    """Basic: a plan header and at least ``min_datasets`` datasets tied to work processes."""
    width = 1
    params = {
        "require_plan": {"type": "array", "uniqueItems": True,
                         "items": {"enum": ["focus_area", "issue", "intended_use",
                                            "expected_user_agencies"]},
                         "description": "The parts of the agency plan that must be stated."},
        "min_datasets": {"type": "integer", "minimum": 0, "default": 1,
                         "description": "Datasets tied to a work process (mission and main "
                                        "process) needed."},
    }

    def tally(self, spec, s):
        return (int(s.mapped),)

    def _plan_missing(self, spec, ctx) -> list[str]:
        if spec.id in ctx.agency_done:
            return []
        plan, missing = ctx.plan, []
        for name in spec.params.get("require_plan") or ():
            ok = (ctx.profile.focus_area(plan.focus_area) is not None if name == "focus_area"
                  else bool(getattr(plan, name)))
            if not ok:
                missing.append(name)
        return missing

    def judge(self, spec, t, ctx):
        mapped, need = int(t[0]), int(spec.params.get("min_datasets", 1))
        missing = self._plan_missing(spec, ctx)
        met = not missing and mapped >= need
        fa = ctx.profile.focus_area(ctx.plan.focus_area)
        evidence = {"mapped_datasets": mapped, "min_datasets": need, "plan_missing": missing,
                    "focus_area": ({"th": fa.label_th, "en": fa.label_en} if fa
                                   else ctx.plan.focus_area),
                    "issue": ctx.plan.issue}
        return Judgement(
            met, 0.0, evidence,
            f"ชุดข้อมูลที่ผูกกับกระบวนการทำงาน {mapped} ชุด (ต้องการอย่างน้อย {need})"
            + (f"; แผนยังขาด {names_th(missing)}" if missing else ""),
            f"{mapped} dataset(s) tied to work processes (at least {need} needed)"
            + (f"; the plan lacks {names_en(missing)}" if missing else ""),
            deficit=max(0, need - mapped),
        )

    def agency_step(self, spec, ctx):
        missing = self._plan_missing(spec, ctx)
        if not missing:
            return None
        areas = len(ctx.profile.focus_areas)
        return NextStep(
            "agency", (spec.id,),
            "ระบุแผนของหน่วยงาน: " + names_th(missing)
            + (f" (Focus Area 1 ใน {areas} ด้าน และประเด็นการดำเนินงาน)" if areas else ""),
            "State the agency plan: " + names_en(missing)
            + (f" (one of the {areas} Focus Areas and the issue)" if areas else ""),
        )


class MetadataCompleteness(Kind):
    """Standard: the 14 items on every dataset in scope; ``mode`` mean (points pro rata) or all."""
    width = 2
    params = {"mode": {"enum": ["mean", "all"], "default": "mean",
                       "description": "mean: points in proportion to the share of complete "
                                      "datasets; all: full points only when every one is."}}

    def tally(self, spec, s):
        return (int(s.in_scope), int(s.in_scope and s.complete))

    def judge(self, spec, t, ctx):
        n, c = int(t[0]), int(t[1])
        mean = _percent(c, n)
        if spec.params.get("mode", "mean") == "all":
            points = spec.max_points if n and c == n else 0.0
        else:
            points = round2(Decimal(str(mean)) * Decimal(str(spec.max_points)) / 100)
        evidence = {"datasets": n, "complete": c, "mean_percent": mean,
                    "mode": spec.params.get("mode", "mean")}
        # The catalog's own "complete" count covers every dataset; this one may not.
        scoped = n < len(ctx.results)
        scope_th = " ที่ผูกกับกระบวนการทำงาน (ที่ตัวชี้วัดนับ)" if scoped else ""
        scope_en = " tied to a work process (those the KPI counts)" if scoped else ""
        return Judgement(
            n > 0 and c == n, points, evidence,
            f"ครบ 14 รายการ {c} จาก {n} ชุดข้อมูล{scope_th} คะแนนเฉลี่ย {mean} → {points} คะแนน",
            f"{c} of {n} datasets{scope_en} have all 14 items; mean {mean} → {points} points",
            deficit=n - c,
        )


class CatalogUrl(Kind):
    """An agency data catalog exists and its URL is reported."""

    def _ok(self, spec, ctx) -> bool:
        if spec.id in ctx.agency_done:
            return True
        parts = urlparse(ctx.catalog_url)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    def judge(self, spec, t, ctx):
        ok = self._ok(spec, ctx)
        return Judgement(
            ok, spec.max_points if ok else 0.0, {"catalog_url": ctx.catalog_url},
            f"URL ระบบบัญชีข้อมูลหน่วยงาน: {ctx.catalog_url or 'ยังไม่ได้แจ้ง'}",
            f"Agency catalog URL: {ctx.catalog_url or 'not reported'}",
        )

    def agency_step(self, spec, ctx):
        if self._ok(spec, ctx):
            return None
        return NextStep("agency", (spec.id,),
                        "แจ้ง URL ของระบบบัญชีข้อมูลหน่วยงาน (http:// หรือ https://)",
                        "Report the agency data catalog's URL (http:// or https://)")


def _level_counts(t: Sequence[float], start: int) -> dict[str, int]:
    return {f"level_{lv}": int(t[start + lv]) for lv in range(ADVANCED + 1)}


class OpenLevelMean(Kind):
    """Advanced: the mean over public datasets of the points for each dataset's open level."""
    width = 2 + ADVANCED + 1
    params = {"level_points": _level_table("Points for each open level (0-3) of a public "
                                           "dataset; the criterion scores their mean.", True)}
    required = ("level_points",)

    def _points(self, spec) -> dict[int, float]:
        return {int(k): float(v) for k, v in spec.params["level_points"].items()}

    def tally(self, spec, s):
        if not s.public:
            return (0, 0.0) + (0,) * (ADVANCED + 1)
        counts = tuple(int(s.level == lv) for lv in range(ADVANCED + 1))
        return (1, self._points(spec)[s.level]) + counts

    def judge(self, spec, t, ctx):
        n = int(t[0])
        points = round2(Fraction(str(t[1])) / n) if n else 0.0
        evidence = {"public_datasets": n, "mean_points": points, **_level_counts(t, 2)}
        return Judgement(
            n > 0 and points >= spec.max_points, points, evidence,
            f"ชุดข้อมูลสาธารณะ {n} ชุด คะแนนเฉลี่ยตามระดับคุณลักษณะแบบเปิด {points}",
            f"{n} public datasets; mean open-characteristics points {points}",
            deficit=n - int(t[2 + ADVANCED]),
        )

    def aim_level(self, spec):
        return ADVANCED


class OpenLevelShare(Kind):
    """Advanced: points for the highest level reached by at least ``share_percent`` of public datasets."""
    width = 1 + ADVANCED
    params = {
        "share_percent": {"type": "number", "minimum": 0, "maximum": 100,
                          "description": "The percentage of public datasets that must reach a "
                                         "level for it to count."},
        "level_points": _level_table("Points for each open level reached; the highest listed "
                                     "level is the aim.", False),
    }
    required = ("share_percent", "level_points")

    def tally(self, spec, s):
        if not s.public:
            return (0,) * (1 + ADVANCED)
        return (1,) + tuple(int(s.level >= lv) for lv in range(1, ADVANCED + 1))

    def judge(self, spec, t, ctx):
        n, share = int(t[0]), spec.params["share_percent"]
        table = {int(k): float(v) for k, v in spec.params["level_points"].items()}
        reached = max((lv for lv in table if _reaches(int(t[lv]), n, share)), default=0)
        top = max(table)
        evidence = {"public_datasets": n, "share_percent": share, "level_reached": reached,
                    **{f"at_least_level_{lv}": int(t[lv]) for lv in range(1, ADVANCED + 1)}}
        th, en = level_label(reached)
        return Judgement(
            reached == top, table.get(reached, 0.0), evidence,
            f"ชุดข้อมูลสาธารณะอย่างน้อยร้อยละ {share} ถึงระดับ{th}",
            f"At least {share}% of the public datasets reach {en}",
            deficit=max(0, _needed(n, share) - int(t[top])) if n else 0,
        )

    def aim_level(self, spec):
        return ADVANCED


class UseCaseKind(Kind):
    """Advanced: at least ``min_use_cases`` complete use cases of (public) catalog datasets."""
    params = {
        "min_use_cases": {"type": "integer", "minimum": 0, "default": 1,
                          "description": "Complete use cases (link, improvement, result) needed."},
        "require_public_dataset": {"type": "boolean", "default": True,
                                   "description": "Only use cases of public datasets count."},
    }

    def _valid(self, spec, ctx) -> list[UseCase]:
        names = ctx.public_names if spec.params.get("require_public_dataset", True) else ctx.catalog_names
        return [u for u in ctx.use_cases if u.is_complete() and u.dataset in names]

    def judge(self, spec, t, ctx):
        need = int(spec.params.get("min_use_cases", 1))
        valid = self._valid(spec, ctx)
        ok = len(valid) >= need or spec.id in ctx.agency_done
        evidence = {"use_cases": [u.to_dict() for u in valid], "min_use_cases": need}
        return Judgement(ok, spec.max_points if ok else 0.0, evidence,
                         f"หลักฐานการนำข้อมูลเปิดไปใช้ประโยชน์ {len(valid)} รายการ",
                         f"{len(valid)} documented use(s) of open data")

    def agency_step(self, spec, ctx):
        if self.judge(spec, (), ctx).met:
            return None
        return NextStep(
            "agency", (spec.id,),
            "บันทึกการนำชุดข้อมูลสาธารณะไปใช้ประโยชน์: ลิงก์รายงานวิเคราะห์หรือ dashboard, "
            "การปรับปรุงคือ …, ส่งผลให้ … (ผลที่วัดได้เป็นข้อมูลและตัวเลข)",
            "Record a use of a public dataset: the report or dashboard link, what was improved, "
            "and the measured result in data and numbers",
        )


class ThresholdShare(Kind):
    """A share of public datasets that must reach the size group's threshold."""
    width = 2
    params = {"thresholds": _THRESHOLDS}
    required = ("thresholds",)

    def _ok(self, spec, s: State) -> bool:
        raise NotImplementedError

    def tally(self, spec, s):
        return (int(s.public), int(s.public and self._ok(spec, s)))

    def judge(self, spec, t, ctx):
        n, ok = int(t[0]), int(t[1])
        group = ctx.size_group
        threshold = spec.params["thresholds"].get(group.group) if group else None
        met = threshold is not None and _reaches(ok, n, threshold)
        evidence = {"size_group": group.group if group else None, "public_datasets": n,
                    "meeting": ok, "percent": _percent(ok, n), "threshold_percent": threshold}
        deficit = max(0, _needed(n, threshold) - ok) if threshold is not None else 0
        return Judgement(met, 0.0, evidence,
                         f"{self.noun_th} {ok} จาก {n} ชุด (ร้อยละ {_percent(ok, n)}; เกณฑ์ร้อยละ {threshold})",
                         f"{self.noun_en}: {ok} of {n} ({_percent(ok, n)}%; threshold {threshold}%)",
                         deficit=deficit)

    noun_th = ""
    noun_en = ""


class OpenStandardShare(ThresholdShare):
    """Public datasets at ``min_level`` or above (and complete, if required) reach the size
    group's threshold percentage."""
    noun_th = "ชุดข้อมูลสาธารณะที่เป็นไปตามมาตรฐานคุณลักษณะแบบเปิด"
    noun_en = "Public datasets meeting the open-characteristics standard"
    params = {
        **ThresholdShare.params,
        "min_level": {"type": "integer", "minimum": 0, "maximum": ADVANCED, "default": 1,
                      "description": "The open level a public dataset must reach."},
        "require_complete": {"type": "boolean", "default": False,
                             "description": "The dataset must also have all 14 items."},
    }

    def _ok(self, spec, s):
        complete = s.complete or not spec.params.get("require_complete", False)
        return complete and s.level >= int(spec.params.get("min_level", 1))

    def aim_level(self, spec):
        return int(spec.params.get("min_level", 1))


class RegistrationShare(ThresholdShare):
    """Public datasets registered in the GD Catalog (a state the profile counts) reach the size
    group's threshold percentage."""
    noun_th = "ชุดข้อมูลเปิดที่ลงทะเบียนใน GD Catalog แล้ว"
    noun_en = "Open datasets registered in the GD Catalog"

    def _ok(self, spec, s):
        return s.registered


KINDS: dict[str, Kind] = {
    "work_process_list": WorkProcessList(),
    "metadata_completeness": MetadataCompleteness(),
    "catalog_url": CatalogUrl(),
    "open_level_mean": OpenLevelMean(),
    "open_level_share": OpenLevelShare(),
    "use_case": UseCaseKind(),
    "open_standard_share": OpenStandardShare(),
    "registration_share": RegistrationShare(),
}


# ---------------------------------------------------------------- tallies and judging

Totals = dict[str, tuple[float, ...]]


def kind_of(spec: CriterionSpec) -> Kind:
    """The rule a profile's criterion names."""
    try:
        return KINDS[spec.kind]
    except KeyError:
        raise KeyError(f"criterion {spec.id!r}: unknown kind {spec.kind!r}") from None


def tally(profile: Profile, s: State) -> Totals:
    return {c.id: kind_of(c).tally(c, s) for c in profile.criteria}


def add(totals: Totals, delta: Totals, times: int = 1) -> Totals:
    return {k: tuple(a + times * b for a, b in zip(v, delta[k])) for k, v in totals.items()}


def sum_tallies(profile: Profile, states: Iterable[State]) -> Totals:
    """Sum of every dataset's tallies; datasets share few distinct states, so count those."""
    totals: Totals = {c.id: (0,) * kind_of(c).width for c in profile.criteria}
    for s, count in Counter(states).items():
        totals = add(totals, tally(profile, s), count)
    return totals


def judge_all(profile: Profile, totals: Totals, ctx: Context) -> dict[str, Judgement]:
    return {c.id: kind_of(c).judge(c, totals[c.id], ctx) for c in profile.criteria}


def gates_hold(profile: Profile, judged: Mapping[str, Judgement], level: int) -> bool:
    return all(judged[c.id].met for c in profile.criteria if c.gate and c.level <= level)


def score_level(profile: Profile, judged: Mapping[str, Judgement]) -> tuple[float, int]:
    lowest = min(profile.level_values())
    if profile.scoring == "thresholds":
        level = 0
        for lv in sorted(profile.level_values()):
            if not all(judged[c.id].met for c in profile.criteria if c.level <= lv):
                break
            level = lv
        return float(level), level
    if not gates_hold(profile, judged, lowest):
        return 0.0, 0
    points = sum(judged[c.id].points for c in profile.criteria
                 if gates_hold(profile, judged, c.level))
    score = round2(Decimal(str(profile.base_points)) + Decimal(str(points)))
    level = max((lv for lv in profile.level_values() if score >= lv), default=0)
    return score, level
