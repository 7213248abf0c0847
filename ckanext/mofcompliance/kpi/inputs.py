"""What the KPI reads: each dataset's result and the agency's plan and use cases (``assess``
makes a dataset's result).

A dataset is read once into a ``DatasetResult`` (its completeness, its open level and the
few facts the criteria need); the KPI then works on those results only, so they can be
stored (the score store keeps them as JSON) and evaluated again under any profile.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Sequence

from ..standard.completeness import CompletenessResult
from ..standard.fields import text
from ..standard.openness import IndicatorResult, OpennessResult


@dataclass(frozen=True)
class AgencyPlan:
    """The agency's plan header (Template 1, docs/kpi-rules.md §4)."""
    focus_area: str = ""                      # a number of the profile's focus_areas, or its label
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
        return cls(text(data.get("focus_area")), text(data.get("issue")),
                   text(data.get("intended_use")), tuple(text(u) for u in users))

    def to_dict(self) -> dict[str, Any]:
        return {"focus_area": self.focus_area, "issue": self.issue,
                "intended_use": self.intended_use,
                "expected_user_agencies": list(self.expected_user_agencies)}


@dataclass(frozen=True)
class UseCase:
    """Evidence of concrete use (docs/kpi-rules.md R18): a report or dashboard built from a dataset."""
    dataset: str
    link: str = ""       # the analysis report or dashboard
    change: str = ""     # การปรับปรุงคือ … (what was improved)
    result: str = ""     # ส่งผลให้ … (the measured result, as data and numbers)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UseCase:
        return cls(text(data.get("dataset")), text(data.get("link")),
                   text(data.get("change")), text(data.get("result")))

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


def dataset_result_from_json(data: Sequence[Any]) -> DatasetResult:
    """Rebuild a result stored as JSON: ``json.dumps`` writes these NamedTuples as nested
    lists, which is how the CKAN side keeps them in its score store."""
    name, id_, title, comp, opn, public, private, harvest, work = data
    return DatasetResult(
        name, id_, title,
        CompletenessResult(comp[0], tuple(comp[1]), comp[2], comp[3]),
        openness_result_from_json(opn),
        public, private, harvest, WorkProcess(*work))


def openness_result_from_json(opn: Sequence[Any]) -> OpennessResult:
    """Rebuild an ``OpennessResult`` stored as JSON (nested lists)."""
    indicators = tuple(IndicatorResult(i[0], i[1], tuple(i[2]), *i[3:]) for i in opn[2])
    return OpennessResult(opn[0], opn[1], indicators, opn[3])
