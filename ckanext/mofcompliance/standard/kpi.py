"""ตัวชี้วัด Data Catalog / The Data Catalog KPI: results + plan + profile → score and level.

A fiscal year is a *profile* (``profiles/fy*.yaml``): its criteria, points, thresholds and
readings are data. Each criterion names a *kind*; the kinds below are the only rule code, and
no code branches on the year.

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

import functools
import gc
import math
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence
from urllib.parse import urlparse

import yaml

from . import definition as d
from .completeness import CompletenessResult, field_reader, metadata_complete
from .openness import (IndicatorResult, OpennessResult, hints, indicator_label, is_true,
                       level_label, open_level, ruleset)

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
ADVANCED = 3


def round2(value: float | Fraction | Decimal) -> float:
    """Round half up to 2 decimals (the KPI's points and score)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ================================================================ profiles

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


def _profile(profile: Profile | str) -> Profile:
    return profile if profile.__class__ is Profile else load_profile(profile)


# ================================================================ inputs

def _text(value: Any) -> str:
    if value.__class__ is str:
        return value.strip()
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class AgencyPlan:
    """The agency's plan header (Template 1, 001:213-256)."""
    focus_area: str = ""                      # 1-10, or its Thai/English label
    issue: str = ""                           # ประเด็นการดำเนินงานภายใต้ Focus Area
    intended_use: str = ""                    # เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์
    expected_user_agencies: tuple[str, ...] = ()  # หน่วยงานที่คาดว่าจะนำไปใช้ประโยชน์

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> AgencyPlan:
        data = data or {}
        users = data.get("expected_user_agencies") or ()
        if isinstance(users, str):
            users = [u for u in (p.strip() for p in users.split(",")) if u]
        elif not isinstance(users, (list, tuple)):
            users = [users]
        return cls(_text(data.get("focus_area")), _text(data.get("issue")),
                   _text(data.get("intended_use")), tuple(_text(u) for u in users))

    def focus_area_entry(self) -> d.Labelled | None:
        try:
            return d.focus_area(self.focus_area) if self.focus_area else None
        except d.DefinitionError:
            return None

    def to_dict(self) -> dict[str, Any]:
        return {"focus_area": self.focus_area, "issue": self.issue,
                "intended_use": self.intended_use,
                "expected_user_agencies": list(self.expected_user_agencies)}


@dataclass(frozen=True)
class UseCase:
    """Evidence of concrete use (001:380-387): a report or dashboard built from a dataset."""
    dataset: str
    link: str = ""       # the analysis report or dashboard
    change: str = ""     # การปรับปรุงคือ … (what was improved)
    result: str = ""     # ส่งผลให้ … (the measured result, as data and numbers)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UseCase:
        return cls(_text(data.get("dataset")), _text(data.get("link")),
                   _text(data.get("change")), _text(data.get("result")))

    def is_complete(self) -> bool:
        return all((self.dataset, self.link, self.change, self.result))

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "link": self.link, "change": self.change,
                "result": self.result}


class WorkProcess(NamedTuple):
    """The dataset's row in Template 1: mission → main process → sub-process (optional)."""
    mission: str = ""
    main_process: str = ""
    sub_process: str = ""

    @property
    def mapped(self) -> bool:
        return bool(self.mission and self.main_process)


class DatasetResult(NamedTuple):
    """Everything the KPI reads from one dataset (an immutable tuple, cheap to build)."""
    name: str
    id: str
    title: str
    completeness: CompletenessResult
    openness: OpennessResult
    public: bool
    private: bool
    harvest_allowed: bool
    work_process: WorkProcess

    @property
    def open_level(self) -> int:
        return self.openness.level

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "id": self.id, "title": self.title,
            "metadata_complete": self.completeness.complete,
            "missing_items": list(self.completeness.missing_items),
            "open_level": self.openness.level,
            "open_indicators": {i.indicator: i.to_dict() for i in self.openness.indicators},
            "public": self.public, "private": self.private,
            "work_process": {"mission": self.work_process.mission,
                             "main_process": self.work_process.main_process,
                             "sub_process": self.work_process.sub_process},
        }


def assess_dataset(pkg_dict: Mapping[str, Any], profile: Profile | str = "fy2565",
                   completeness: CompletenessResult | None = None) -> DatasetResult:
    """Completeness and open level of one package dict, under the profile's open rules.

    ``completeness`` (the same under every profile) may be passed when already known."""
    prof = _profile(profile)
    get = field_reader(pkg_dict)
    return DatasetResult(                   # positional: this runs once per dataset
        _text(pkg_dict.get("name") or pkg_dict.get("id") or pkg_dict.get("title")),
        _text(pkg_dict.get("id")),
        _text(pkg_dict.get("title")),
        completeness or metadata_complete(pkg_dict),
        open_level(pkg_dict, ruleset(prof.openness_rules)),
        _text(get("data_category")) in d.public_categories(),
        is_true(pkg_dict.get("private")),
        _text(get("allow_harvest")) != "False",
        WorkProcess(_text(get("kpi_mission")), _text(get("kpi_main_process")),
                    _text(get("kpi_sub_process"))),
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while bulk results are built (they hold no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assess_catalog(pkg_dicts: Iterable[Mapping[str, Any]],
                   profile: Profile | str = "fy2565") -> list[DatasetResult]:
    """``assess_dataset`` over a whole catalog.

    The cyclic garbage collector is paused meanwhile: its passes over the growing result list
    would cost more than the scoring itself.
    """
    prof = _profile(profile)
    with gc_paused():
        return [assess_dataset(p, prof) for p in pkg_dicts]


def dataset_result_from_json(data: Sequence[Any]) -> DatasetResult:
    """Rebuild a result stored as JSON: ``json.dumps`` writes these NamedTuples as nested
    lists, which is how the CKAN side keeps them in its score store."""
    name, id_, title, comp, opn, public, private, harvest, work = data
    indicators = tuple(IndicatorResult(i[0], i[1], tuple(i[2]), *i[3:]) for i in opn[2])
    return DatasetResult(
        name, id_, title,
        CompletenessResult(comp[0], tuple(comp[1]), comp[2], comp[3]),
        OpennessResult(opn[0], opn[1], indicators, opn[3]),
        public, private, harvest, WorkProcess(*work))


# ================================================================ results

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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "met": self.met, "points": self.points,
                "max_points": self.max_points, "label_th": self.label_th,
                "label_en": self.label_en, "evidence": dict(self.evidence),
                "note_th": self.note_th, "note_en": self.note_en}


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


# ================================================================ per-dataset state

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


def _percent(part: int, whole: int) -> float:
    return round2(Fraction(100 * part, whole)) if whole else 0.0


def _reaches(part: int, whole: int, threshold: Any) -> bool:
    return whole > 0 and 100 * part >= Fraction(str(threshold)) * whole


def _needed(whole: int, threshold: Any) -> int:
    return math.ceil(Fraction(str(threshold)) * whole / 100)


# ================================================================ criterion kinds

class Kind:
    """A rule. ``tally`` is additive over datasets; ``judge`` reads the sum."""
    width = 0

    def tally(self, spec: CriterionSpec, s: State) -> tuple[int | float, ...]:
        return ()

    def judge(self, spec: CriterionSpec, t: Sequence[float], ctx: Context) -> Judgement:
        raise NotImplementedError

    def aim_level(self, spec: CriterionSpec) -> int:
        return 0

    def agency_step(self, spec: CriterionSpec, ctx: Context) -> NextStep | None:
        return None


class WorkProcessList(Kind):
    """Basic: a plan header and at least ``min_datasets`` datasets tied to work processes."""
    width = 1

    def tally(self, spec, s):
        return (int(s.mapped),)

    def _plan_missing(self, spec, ctx) -> list[str]:
        if spec.id in ctx.agency_done:
            return []
        plan, missing = ctx.plan, []
        for name in spec.params.get("require_plan") or ():
            ok = plan.focus_area_entry() is not None if name == "focus_area" else bool(getattr(plan, name))
            if not ok:
                missing.append(name)
        return missing

    def judge(self, spec, t, ctx):
        mapped, need = int(t[0]), int(spec.params.get("min_datasets", 1))
        missing = self._plan_missing(spec, ctx)
        met = not missing and mapped >= need
        fa = ctx.plan.focus_area_entry()
        evidence = {"mapped_datasets": mapped, "min_datasets": need, "plan_missing": missing,
                    "focus_area": fa.label_th if fa else ctx.plan.focus_area,
                    "issue": ctx.plan.issue}
        return Judgement(
            met, 0.0, evidence,
            f"ชุดข้อมูลที่ผูกกับกระบวนการทำงาน {mapped} ชุด (ต้องการอย่างน้อย {need})"
            + (f"; แผนยังขาด {', '.join(missing)}" if missing else ""),
            f"{mapped} dataset(s) tied to work processes (at least {need} needed)"
            + (f"; the plan lacks {', '.join(missing)}" if missing else ""),
            deficit=max(0, need - mapped),
        )

    def agency_step(self, spec, ctx):
        missing = self._plan_missing(spec, ctx)
        if not missing:
            return None
        return NextStep(
            "agency", (spec.id,),
            "ระบุแผนของหน่วยงาน: " + ", ".join(missing)
            + " (Focus Area 1 ใน 10 ด้าน และประเด็นการดำเนินงาน)",
            "State the agency plan: " + ", ".join(missing)
            + " (one of the 10 Focus Areas and the issue)",
        )


class MetadataCompleteness(Kind):
    """Standard: the 14 items on every dataset in scope; ``mode`` mean (points pro rata) or all."""
    width = 2

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
        return Judgement(
            n > 0 and c == n, points, evidence,
            f"ครบ 14 รายการ {c} จาก {n} ชุดข้อมูล คะแนนเฉลี่ย {mean} → {points} คะแนน",
            f"{c} of {n} datasets have all 14 items; mean {mean} → {points} points",
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
    noun_th = "ชุดข้อมูลสาธารณะที่เป็นไปตามมาตรฐานคุณลักษณะแบบเปิด"
    noun_en = "Public datasets meeting the open-characteristics standard"

    def _ok(self, spec, s):
        complete = s.complete or not spec.params.get("require_complete", False)
        return complete and s.level >= int(spec.params.get("min_level", 1))

    def aim_level(self, spec):
        return int(spec.params.get("min_level", 1))


class RegistrationShare(ThresholdShare):
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


# ================================================================ tallies and judging

Totals = dict[str, tuple[float, ...]]


def _kind(spec: CriterionSpec) -> Kind:
    try:
        return KINDS[spec.kind]
    except KeyError:
        raise KeyError(f"criterion {spec.id!r}: unknown kind {spec.kind!r}") from None


def _tally(profile: Profile, s: State) -> Totals:
    return {c.id: _kind(c).tally(c, s) for c in profile.criteria}


def _add(totals: Totals, delta: Totals, times: int = 1) -> Totals:
    return {k: tuple(a + times * b for a, b in zip(v, delta[k])) for k, v in totals.items()}


def _sum_tallies(profile: Profile, states: Iterable[State]) -> Totals:
    """Sum of every dataset's tallies; datasets share few distinct states, so count those."""
    totals = {c.id: (0,) * _kind(c).width for c in profile.criteria}
    for s, count in Counter(states).items():
        totals = _add(totals, _tally(profile, s), count)
    return totals


def _judge_all(profile: Profile, totals: Totals, ctx: Context) -> dict[str, Judgement]:
    return {c.id: _kind(c).judge(c, totals[c.id], ctx) for c in profile.criteria}


def _gates_hold(profile: Profile, judged: Mapping[str, Judgement], level: int) -> bool:
    return all(judged[c.id].met for c in profile.criteria if c.gate and c.level <= level)


def _score_level(profile: Profile, judged: Mapping[str, Judgement]) -> tuple[float, int]:
    lowest = min(profile.level_values())
    if profile.scoring == "thresholds":
        level = 0
        for lv in sorted(profile.level_values()):
            if not all(judged[c.id].met for c in profile.criteria if c.level <= lv):
                break
            level = lv
        return float(level), level
    if not _gates_hold(profile, judged, lowest):
        return 0.0, 0
    points = sum(judged[c.id].points for c in profile.criteria
                 if _gates_hold(profile, judged, c.level))
    score = round2(Decimal(str(profile.base_points)) + Decimal(str(points)))
    level = max((lv for lv in profile.level_values() if score >= lv), default=0)
    return score, level


def _criterion_results(profile: Profile, judged: Mapping[str, Judgement]) -> tuple[CriterionResult, ...]:
    out = []
    for c in profile.criteria:
        j = judged[c.id]
        counted = _gates_hold(profile, judged, c.level)
        evidence = dict(j.evidence)
        if not counted and j.points:
            evidence["points_if_counted"] = j.points
        out.append(CriterionResult(
            c.id, c.level, j.met, j.points if counted else 0.0, c.max_points,
            c.label_th, c.label_en, evidence, j.note_th, j.note_en,
        ))
    return tuple(out)


# ================================================================ evaluation

def _registered(ds: DatasetResult, registrations: Mapping[str, str], states: frozenset[str]) -> bool:
    state = registrations.get(ds.name) or registrations.get(ds.id)
    return _text(state).upper() in states


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
    return Context(profile, plan, tuple(use_cases), _text(catalog_url),
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
        return _evaluate(_profile(profile), datasets_results, plan, use_cases, catalog_url,
                         registrations, next_steps)


def _evaluate(prof: Profile, datasets_results: Sequence[DatasetResult],
              plan: AgencyPlan | Mapping[str, Any] | None, use_cases: Iterable[Any],
              catalog_url: str | None, registrations: Mapping[str, str] | None,
              next_steps: bool) -> KpiResult:
    plan = plan if isinstance(plan, AgencyPlan) else AgencyPlan.from_dict(plan)
    cases = [u if isinstance(u, UseCase) else UseCase.from_dict(u) for u in use_cases]
    ctx = _context(prof, datasets_results, plan, cases, catalog_url)
    states = _states(prof, datasets_results, registrations or {})
    totals = _sum_tallies(prof, states)
    judged = _judge_all(prof, totals, ctx)
    score, level = _score_level(prof, judged)
    target = next((lv for lv in sorted(prof.level_values()) if lv > level), None)
    steps = () if target is None or not next_steps else _plan_steps(
        prof, datasets_results, states, totals, ctx, target)
    return KpiResult(prof.id, score, level, target,
                     ctx.size_group.group if ctx.size_group else None,
                     _criterion_results(prof, judged), steps)


# ================================================================ next steps

def _reached(prof: Profile, totals: Totals, ctx: Context, target: int) -> bool:
    return _score_level(prof, _judge_all(prof, totals, ctx))[1] >= target


def _relevant(prof: Profile, target: int) -> list[CriterionSpec]:
    if prof.scoring == "thresholds":
        return [c for c in prof.criteria if c.level <= target]
    return [c for c in prof.criteria if not c.gate or c.level <= target]


def _gain(prof: Profile, before: Totals, after: Totals, ctx: Context,
          relevant: list[CriterionSpec]) -> tuple[float, int]:
    """(score gained, datasets of deficit removed) — compared in that order."""
    jb, ja = _judge_all(prof, before, ctx), _judge_all(prof, after, ctx)
    score_gain = _score_level(prof, ja)[0] - _score_level(prof, jb)[0]
    deficit_gain = sum(jb[c.id].deficit - ja[c.id].deficit for c in relevant)
    return score_gain, deficit_gain


def _agency_steps(prof: Profile, totals: Totals, ctx: Context, target: int,
                  relevant: list[CriterionSpec]) -> list[NextStep]:
    """Steps that need no dataset fix, gates first, taken until the target is reached."""
    steps = []
    for spec in sorted(relevant, key=lambda c: (not c.gate, -c.max_points)):
        if _reached(prof, totals, ctx, target):
            break
        step = _kind(spec).agency_step(spec, ctx)
        if step is not None:
            steps.append(step)
            ctx.agency_done.add(spec.id)
    return steps


def _fixed(s: State, aim: int, relevant: list[CriterionSpec]) -> State:
    """The state after the fewest aspects of a fix that give the relevant tallies their best."""
    def tallies(state: State) -> list[tuple]:
        return [_kind(c).tally(c, state) for c in relevant]

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


def _groups(prof: Profile, results: Sequence[DatasetResult], states: Sequence[State],
            relevant: list[CriterionSpec]) -> dict[State, tuple[State, list[int]]]:
    """Datasets grouped by state (a fix's effect depends on the state only), easiest first."""
    aim = max((_kind(c).aim_level(c) for c in relevant), default=0)
    fixes: dict[State, State] = {}
    groups: dict[State, tuple[State, list[int]]] = {}
    for i, s in enumerate(states):
        new = fixes.get(s)
        if new is None:
            new = fixes[s] = _fixed(s, aim, relevant)
        if new != s:
            groups.setdefault(s, (new, []))[1].append(i)
    for s, (new, members) in groups.items():
        members.sort(key=lambda i: (_effort(results[i], s, new), results[i].name))
    return groups


def _take(prof: Profile, totals: Totals, delta: Totals, size: int, ctx: Context,
          target: int) -> int:
    """How many fixes of one group to take: the fewest that reach the target, else all."""
    if not _reached(prof, _add(totals, delta, size), ctx, target):
        return size
    low, high = 1, size
    while low < high:
        mid = (low + high) // 2
        if _reached(prof, _add(totals, delta, mid), ctx, target):
            high = mid
        else:
            low = mid + 1
    return low


def _best_group(prof: Profile, results: Sequence[DatasetResult], totals: Totals,
                groups: dict[State, tuple[State, list[int]]], deltas: dict[State, Totals],
                ctx: Context, relevant: list[CriterionSpec]) -> State | None:
    """The group whose next fix gains most (score, then deficit), then per fix over the group."""
    best, best_key = None, None
    for s, (new, members) in groups.items():
        if not members:
            continue
        one = _gain(prof, totals, _add(totals, deltas[s]), ctx, relevant)
        whole = _gain(prof, totals, _add(totals, deltas[s], len(members)), ctx, relevant)
        effort = -_effort(results[members[0]], s, new)
        key = (one > (0, 0), one, whole[0] / len(members), whole[1] / len(members), effort)
        if (one > (0, 0) or whole > (0, 0)) and (best_key is None or key > best_key):
            best, best_key = s, key
    return best


def _plan_steps(prof: Profile, results: Sequence[DatasetResult], states: Sequence[State],
                totals: Totals, ctx: Context, target: int) -> tuple[NextStep, ...]:
    """The fewest dataset fixes (after agency steps) that reach ``target`` — greedy by gain."""
    relevant = _relevant(prof, target)
    steps = _agency_steps(prof, totals, ctx, target, relevant)
    groups = _groups(prof, results, states, relevant)
    deltas = {s: {k: tuple(b - a for a, b in zip(_tally(prof, s)[k], v))
                  for k, v in _tally(prof, new).items()}
              for s, (new, _) in groups.items()}
    while not _reached(prof, totals, ctx, target):
        s = _best_group(prof, results, totals, groups, deltas, ctx, relevant)
        if s is None:
            break
        new, members = groups[s]
        count = _take(prof, totals, deltas[s], len(members), ctx, target)
        totals = _add(totals, deltas[s], count)
        steps.extend(_dataset_step(results[i], s, new, relevant) for i in members[:count])
        groups[s] = (new, members[count:])
    return tuple(steps)


def _indicator_step(ds: DatasetResult, ind: IndicatorResult, target: int) -> dict[str, Any]:
    steps = hints(ind.indicator, ind.level, target, ds.openness.ruleset)
    return {"indicator": ind.indicator, "level": ind.level, "target": target,
            "next_th": " แล้ว ".join(h[1] for h in steps),
            "next_en": "; then ".join(h[2] for h in steps)}


def _dataset_step(ds: DatasetResult, s: State, new: State,
                  relevant: list[CriterionSpec]) -> NextStep:
    items = ds.completeness.missing_items if new.complete != s.complete else ()
    indicators = tuple(
        _indicator_step(ds, i, 1 if i.gate else new.level)
        for i in ds.openness.indicators
        if new.level != s.level and i.level < (1 if i.gate else new.level)
    )
    register, mapped = new.registered != s.registered, new.mapped != s.mapped
    th, en = [f"ชุดข้อมูล {ds.name}:"], [f"Dataset {ds.name}:"]
    if items:
        th.append("กรอก " + ", ".join(items))
        en.append("fill " + ", ".join(items))
    for ind in indicators:
        label_th, label_en = indicator_label(ind["indicator"])
        th.append(f"{label_th} — {ind['next_th']}")
        en.append(f"{label_en} — {ind['next_en']}")
    if register:
        th.append(("ตั้ง allow_harvest เป็น True แล้ว" if not ds.harvest_allowed else "")
                  + "ลงทะเบียนใน GD Catalog")
        en.append(("set allow_harvest to True, then " if not ds.harvest_allowed else "")
                  + "register it in the GD Catalog")
    if mapped:
        th.append("ระบุภารกิจและกระบวนการทำงานหลัก (kpi_mission, kpi_main_process)")
        en.append("name its mission and main work process (kpi_mission, kpi_main_process)")
    served = tuple(c.id for c in relevant
                   if _kind(c).tally(c, new) != _kind(c).tally(c, s))
    return NextStep("dataset", served, " ".join(th[:1]) + " " + "; ".join(th[1:]),
                    " ".join(en[:1]) + " " + "; ".join(en[1:]), ds.name, tuple(items),
                    indicators, register, mapped)


# ================================================================ convenience

def audit_catalog(
    pkg_dicts: Iterable[Mapping[str, Any]],
    profile_id: str = "fy2565",
    plan: AgencyPlan | Mapping[str, Any] | None = None,
    use_cases: Iterable[UseCase | Mapping[str, Any]] = (),
    catalog_url: str | None = None,
    registrations: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Assess every package dict and score the catalog; returns the audit's stable JSON shape.

    Top level: ``profile``, ``score`` (0-100, 2 decimals), ``level`` (0/50/75/100), ``criteria``
    (each with ``id``, ``met``, ``points``, ``max_points``, …) and ``datasets`` (each with
    ``name``, ``metadata_complete``, ``missing_items``, ``open_level``, ``open_indicators``, …).
    """
    prof = load_profile(profile_id)
    results = assess_catalog(pkg_dicts, prof)
    kpi = evaluate(prof, results, plan, use_cases, catalog_url, registrations)
    return {
        **kpi.to_dict(),
        "profile_title_th": prof.title_th,
        "profile_title_en": prof.title_en,
        "readings": list(prof.readings),
        "datasets": [r.to_dict() for r in results],
    }
