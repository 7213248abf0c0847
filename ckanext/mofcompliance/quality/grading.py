"""เกรดคุณภาพแบบ สสช. / The NSO QC grade of a dataset, and every point it loses.

Computed as NSO's GD Catalog quality-control system does (nso-gdcatalog-quality-control-system:
apps/worker/scoring.py, resource_checker.py, apps/web/src/app/api/sync/route.ts), from the package
dict and the resource checks of the checker (the contract: one JSON dict per resource). The rules
are data in ``nso_qc_rules.yaml``; the readings are in docs/nso-qc-grade.md. Pure Python: no CKAN
import, so ``mofcompliance-audit`` grades a remote catalog with the same code.

Which resources count: those with a link. A resource declaring a format NSO never fetches (API,
WMS, HTML, ...) is assessed without a check; any other needs a check that did not fail inside the
checker. With no resource assessed the dataset is ungraded (NSO leaves its grade empty).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..standard.completeness import field_reader, is_blank, tag_names
from ..standard.fields import resources_of
from .check_inputs import CHECKER_FAILED, checks_by_resource, nso_format, parse_time, url_extension
from .rules import DIMENSIONS, Frequency, Rules, default_rules

MAX_ERRORS_SHOWN = 3
# NSO's readings that explain a lost machine-readable point (docs/nso-qc-grade.md)
MACHINE_READINGS = ("nso-head-refused", "nso-format-from-url")
# NSO's reading that credits a file by its content type or extension, not its content
CREDITED = "nso-credits-content-type"
WAF_PAGE = "nso-waf-page"   # NSO counts a web firewall's challenge page as the file


class LostPoint(NamedTuple):
    """Points of the overall score (0-100) lost for one reason (see ``messages.render``)."""
    dimension: str
    code: str
    points: float
    params: Mapping[str, Any]
    resource_id: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "code": self.code, "points": round(self.points, 2),
                "params": dict(self.params), "resource_id": self.resource_id,
                "field": self.field}


class ResourceAssessment(NamedTuple):
    """What the grade took from one resource."""
    resource_id: str
    name: str
    format: str                 # the format judged (detected, else URL extension, else declared)
    fetched: bool               # False for a link NSO never fetches (API, WMS, HTML, ...)
    downloadable: bool
    machine_readable: bool
    validated: bool
    valid: bool
    error_count: int
    timeliness: str             # up_to_date, warning, outdated, unknown
    days: int | None            # whole days since the last modification
    problems: tuple[str, ...]   # the checker's problem codes
    table_errors: tuple[str, ...] = ()   # the first distinct error codes of its table
    readings: tuple[str, ...] = ()       # where NSO's reading parts from the checker's
    detected: str = ""                   # the format the checker found in the content

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "problems": list(self.problems),
                "table_errors": list(self.table_errors), "readings": list(self.readings)}


@dataclass(frozen=True)
class DatasetGrade:
    """A dataset's NSO QC grade: dimension scores (0-100), overall score, letter, lost points."""
    dataset_id: str
    name: str
    organisation: str | None
    dimensions: Mapping[str, float | None]
    score: float | None
    letter: str | None
    lost: tuple[LostPoint, ...]
    resources: tuple[ResourceAssessment, ...] = ()
    not_checked: tuple[str, ...] = ()       # resource ids waiting for their first check
    ungraded_reason: str | None = None      # a code of ``messages.UNGRADED``
    frequency: str = ""                     # NSO's frequency the timeliness was judged by

    @property
    def graded(self) -> bool:
        return self.score is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_id": self.dataset_id, "name": self.name, "organisation": self.organisation,
            "score": self.score, "letter": self.letter, "dimensions": dict(self.dimensions),
            "frequency": self.frequency, "ungraded_reason": self.ungraded_reason,
            "not_checked": list(self.not_checked),
            "lost": [p.to_dict() for p in self.lost],
            "resources": [r.to_dict() for r in self.resources],
        }


# ---------------------------------------------------------------- inputs

def _organisation(get: Any) -> str | None:
    org = get("organization")
    if isinstance(org, dict) and not is_blank(org.get("name") or org.get("id")):
        return str(org.get("name") or org.get("id"))
    owner = get("owner_org")
    return None if is_blank(owner) else str(owner)


def _filled(get: Any, name: str) -> bool:
    value = get(name)
    if name == "tags":
        return bool(tag_names(value, get("tag_string")))
    if isinstance(value, dict):
        return not (is_blank(value.get("id")) and is_blank(value.get("name")))
    return not is_blank(value)


def first_filled(get: Any, names: Iterable[str]) -> Any:
    """The first of the fields ``names`` that is filled."""
    for name in names:
        value = get(name)
        if not is_blank(value):
            return value
    return None


# ---------------------------------------------------------------- per resource

def _timeliness(res: Mapping[str, Any], freq: Frequency, now: datetime
                ) -> tuple[str, int | None]:
    modified = parse_time(res.get("metadata_modified"))
    if modified is None:
        return "unknown", None
    days = (now - modified).days
    if days <= freq.warning:
        return "up_to_date", days
    return ("warning" if days <= freq.outdated else "outdated"), days


def _assess(res: Mapping[str, Any], check: Mapping[str, Any] | None, freq: Frequency,
            now: datetime, rules: Rules) -> ResourceAssessment | None:
    """One resource's part of the grade; None when it waits for its first check."""
    declared = str(res.get("format") or "").strip().lower()
    fetched = declared not in rules.unscannable_formats
    if fetched and (check is None or check.get("outcome") == CHECKER_FAILED):
        return None
    check = check or {}
    url = str(res.get("url") or "")
    tab = check.get("tabular") if isinstance(check.get("tabular"), dict) else {}
    if not fetched:
        fmt, downloadable, table, readings = declared, False, {}, ()
    elif isinstance(check.get("nso"), dict):
        fmt, downloadable, table, readings = _nso_reading(check, check["nso"], url, declared,
                                                          tab, rules)
    else:   # a check stored before the checker recorded NSO's reading
        fmt = str(check.get("detected_format") or "").lower() or url_extension(url) or declared
        downloadable, table, readings = check.get("downloadable") is True, tab, ()
    validated = (downloadable and table.get("validated") is True
                 and table.get("valid") is not None and fmt in rules.validated_formats)
    status, days = _timeliness(res, freq, now)
    return ResourceAssessment(
        str(res.get("id") or ""), str(res.get("name") or res.get("id") or url), fmt, fetched,
        downloadable, downloadable and fmt in rules.machine_readable_formats,
        validated, validated and table.get("valid") is True,
        int(table.get("error_count") or 0) if validated else 0, status, days,
        tuple(str(p.get("code")) for p in check.get("problems") or () if isinstance(p, dict)),
        _table_errors(tab) if validated else (), readings,
        str(check.get("detected_format") or ""),
    )


def _nso_reading(check: Mapping[str, Any], nso: Mapping[str, Any], url: str, declared: str,
                 tab: Mapping[str, Any], rules: Rules
                 ) -> tuple[str, bool, Mapping[str, Any], tuple[str, ...]]:
    """The format, downloadability and table NSO's worker finds, from what the checker
    recorded of NSO's reading, and where it parts from the checker's own finding (a code
    of ``messages.READINGS``): docs/nso-qc-grade.md, "Readings of a check"."""
    fmt = nso_format(nso.get("content_type"), url, declared, rules)
    readings = []
    downloadable = nso.get("head_status") in rules.downloadable_statuses
    if not downloadable and check.get("downloadable") is True:
        readings.append("nso-head-refused")
    if downloadable and fmt in rules.html_checked_formats and nso.get("html_start") is True:
        if nso.get("waf_cookie") is True:   # downloadable, machine-readable by its format,
            return fmt, True, {}, (WAF_PAGE,)   # not validated
        downloadable = False
    detected = str(check.get("detected_format") or "").lower()
    if downloadable and detected and detected != fmt and (
            fmt in rules.machine_readable_formats) != (
            detected in rules.machine_readable_formats):
        readings.append(CREDITED if fmt in rules.machine_readable_formats
                        else "nso-format-from-url")
    table: Mapping[str, Any] = tab
    if isinstance(nso.get("table"), dict):
        table = {"validated": nso["table"].get("valid") is not None, **nso["table"]}
    elif fmt in rules.workbook_formats and tab.get("valid") is False:
        table = {**tab, "error_count": 0}
    return fmt, downloadable, table, tuple(readings)


def _table_errors(tab: Mapping[str, Any]) -> tuple[str, ...]:
    codes: list[str] = []
    for err in tab.get("errors") or ():
        code = err.get("code") if isinstance(err, dict) else None
        if code and str(code) not in codes:
            codes.append(str(code))
    return tuple(codes[:MAX_ERRORS_SHOWN])


# ---------------------------------------------------------------- dimensions

def _completeness(get: Any, rules: Rules) -> tuple[float, list[LostPoint]]:
    score, lost = 0.0, []
    weight = rules.weights["completeness"]
    for rule in rules.completeness:
        if any(_filled(get, name) for name in rule.reads):
            score += rule.points
            continue
        unread = next((name for name in rule.not_read if _filled(get, name)), None)
        code = "missing-" + rule.field.replace("_", "-")
        if unread:   # filled where NSO does not look (docs/nso-qc-grade.md, reading 1)
            code = "nso-does-not-read-" + rule.field.replace("_", "-")
        lost.append(LostPoint("completeness", code, rule.points * weight,
                              {"points": rule.points} if unread else {}, field=rule.field))
    return score, lost


def _share(assessed: list[ResourceAssessment], attr: str) -> float:
    return (sum(1 for r in assessed if getattr(r, attr)) / len(assessed)) * 100


def _timeliness_dimension(assessed: list[ResourceAssessment], freq: Frequency,
                          rules: Rules) -> tuple[float, list[LostPoint]]:
    scores = rules.timeliness_scores
    values = [scores[r.timeliness] for r in assessed]
    unit = rules.weights["timeliness"] / len(assessed)
    lost = [LostPoint("timeliness", "timeliness-" + r.timeliness.replace("_", "-"),
                      (scores["up_to_date"] - scores[r.timeliness]) * unit,
                      {"resource": r.name, "days": r.days, "frequency": freq.name,
                       "warning": freq.warning, "outdated": freq.outdated}, r.resource_id)
            for r in assessed if r.timeliness != "up_to_date"]
    return sum(values) / len(values), lost


def _accessibility(assessed: list[ResourceAssessment], rules: Rules
                   ) -> tuple[float, list[LostPoint]]:
    unit = 100 * rules.weights["accessibility"] / len(assessed)
    lost = []
    for r in assessed:
        if r.downloadable:
            if WAF_PAGE in r.readings:   # no point lost, but the steward is told
                lost.append(LostPoint("accessibility", WAF_PAGE, 0.0, {"resource": r.name},
                                      r.resource_id))
            continue
        if "nso-head-refused" in r.readings:
            lost.append(LostPoint("accessibility", "nso-head-refused", unit,
                                  {"resource": r.name}, r.resource_id))
        elif r.fetched:
            lost.append(LostPoint("accessibility", "not-downloadable", unit,
                                  {"resource": r.name, "problems": r.problems},
                                  r.resource_id))
        else:
            lost.append(LostPoint("accessibility", "link-not-fetched", unit,
                                  {"resource": r.name, "format": r.format.upper()},
                                  r.resource_id))
    return _share(assessed, "downloadable"), lost


def _machine_readable(assessed: list[ResourceAssessment], rules: Rules
                      ) -> tuple[float, list[LostPoint]]:
    unit = 100 * rules.weights["machine_readable"] / len(assessed)
    lost = []
    for r in assessed:
        if r.machine_readable:
            if CREDITED in r.readings:   # no point lost, but the steward is told
                lost.append(LostPoint("machine_readable", CREDITED, 0.0, {
                    "resource": r.name, "format": r.format.upper(), "real": r.detected},
                    r.resource_id))
            continue
        code = ("link-not-fetched" if not r.fetched else
                next((c for c in r.readings if c in MACHINE_READINGS), None) or
                ("not-machine-readable" if r.downloadable
                 else "unreachable-not-machine-readable"))
        lost.append(LostPoint("machine_readable", code, unit,
                              {"resource": r.name, "format": r.format.upper()}, r.resource_id))
    return _share(assessed, "machine_readable"), lost


def _shown(value: float, decimals: int) -> float | int:
    """A number for a sentence: rounded, and without ".0" when whole."""
    rounded = round(value, decimals)
    return int(rounded) if rounded == int(rounded) else rounded


def _validity(assessed: list[ResourceAssessment], accessibility: float, rules: Rules
              ) -> tuple[float, list[LostPoint]]:
    weight = rules.weights["validity"]
    validated = [r for r in assessed if r.validated]
    if not validated:
        score = accessibility * rules.no_validated_factor
        return score, [LostPoint("validity", "nothing-validated", (100 - score) * weight,
                                 {"factor": rules.no_validated_factor,
                                  "accessibility": round(accessibility, rules.decimals)})]
    unit = 100 * weight / len(validated)
    lost = [LostPoint("validity", "invalid-table", unit,
                      {"resource": r.name, "error_count": r.error_count,
                       "errors": r.table_errors}, r.resource_id)
            for r in validated if not r.valid]
    score = (sum(1 for r in validated if r.valid) / len(validated)) * 100
    mean_errors = sum(r.error_count for r in validated) / len(validated)
    penalty = next((p for p in rules.penalties if mean_errors > p.above), None)
    if penalty is not None:
        taken = min(penalty.minus, score)
        score = max(0.0, score - penalty.minus)
        if taken:
            lost.append(LostPoint("validity", "many-errors", taken * weight,
                                  {"mean_errors": _shown(mean_errors, rules.decimals),
                                   "above": penalty.above, "minus": penalty.minus}))
    return score, lost


# ---------------------------------------------------------------- entry points

def grade_dataset(pkg: Mapping[str, Any],
                  checks: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
                  now: datetime, rules: Rules | None = None) -> DatasetGrade:
    """The dataset's NSO QC grade from its package dict and its resources' latest checks.

    ``checks``: the checker's result dicts, as a list or keyed by resource id. ``now`` (aware)
    is the moment timeliness is judged at.
    """
    rules = rules or default_rules()
    now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    get = field_reader(pkg)
    by_id = checks_by_resource(checks)
    freq = rules.frequency(first_filled(get, rules.frequency_fields))
    linked = [r for r in resources_of(pkg) if not is_blank(r.get("url"))]
    assessed, waiting = [], []
    for res in linked:
        one = _assess(res, by_id.get(str(res.get("id"))), freq, now, rules)
        if one is None:
            waiting.append(str(res.get("id") or ""))
        else:
            assessed.append(one)
    completeness, lost = _completeness(get, rules)
    base = dict(dataset_id=str(pkg.get("id") or ""), name=str(pkg.get("name") or ""),
                organisation=_organisation(get), not_checked=tuple(waiting),
                frequency=freq.name)
    if not assessed:
        dims = {dim: None for dim in DIMENSIONS} | {
            "completeness": round(completeness, rules.decimals)}
        reason = "not-checked-yet" if linked else "no-linked-resources"
        return DatasetGrade(dimensions=dims, score=None, letter=None, lost=tuple(lost),
                            ungraded_reason=reason, **base)
    return _graded(base, completeness, lost, assessed, freq, rules)


def _graded(base: dict[str, Any], completeness: float, lost: list[LostPoint],
            assessed: list[ResourceAssessment], freq: Frequency, rules: Rules) -> DatasetGrade:
    timeliness, t_lost = _timeliness_dimension(assessed, freq, rules)
    accessibility, a_lost = _accessibility(assessed, rules)
    machine, m_lost = _machine_readable(assessed, rules)
    validity, v_lost = _validity(assessed, accessibility, rules)
    raw = {"completeness": completeness, "timeliness": timeliness,
           "accessibility": accessibility, "machine_readable": machine, "validity": validity}
    overall = round(sum(raw[dim] * rules.weights[dim] for dim in DIMENSIONS), rules.decimals)
    every = tuple(lost + t_lost + a_lost + m_lost + v_lost)
    return DatasetGrade(
        dimensions={dim: round(raw[dim], rules.decimals) for dim in DIMENSIONS},
        score=overall, letter=rules.letter(overall), lost=every, resources=tuple(assessed),
        **base)
