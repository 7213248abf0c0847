"""The open-characteristics level verified against the resource checks.

The declared level trusts what the steward typed. The verified level is the same rules
(``standard/openness.py`` and ``openness_rules.yaml``, not a copy) evaluated on the package as the
checker found it: a resource whose link is dead (reached nothing downloadable) is left out, and a
resource whose real format contradicts the declared one is judged by the format it really has.
A resource not checked yet keeps its claim. Readings: docs/nso-qc-grade.md ("Verified open level").
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, NamedTuple

from ..standard.fields import resources_of
from ..standard.openness import OpennessResult, open_level
from ..standard.openness_rules import DEFAULT_RULESET, Ruleset, ruleset
from .check_inputs import CHECKER_FAILED, checks_by_resource

DEAD_LINK = "dead-link"
FORMAT_MISMATCH = "format-mismatch"


class Demotion(NamedTuple):
    """A resource that no longer earns what it claims, and why."""
    resource_id: str
    name: str
    reason: str                      # DEAD_LINK or FORMAT_MISMATCH
    declared_format: str
    detected_format: str | None
    problems: tuple[str, ...]        # the checker's problem codes

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "problems": list(self.problems)}


class VerifiedOpenness(NamedTuple):
    declared: OpennessResult
    verified: OpennessResult
    demotions: tuple[Demotion, ...]

    @property
    def dropped(self) -> bool:
        """Does the verified level fall below the declared one?"""
        return self.verified.level < self.declared.level

    def to_dict(self) -> dict[str, Any]:
        return {"declared": self.declared.to_dict(), "verified": self.verified.to_dict(),
                "dropped": self.dropped, "demotions": [d.to_dict() for d in self.demotions]}


def _rs(rules: str | Ruleset) -> Ruleset:
    return rules if isinstance(rules, Ruleset) else ruleset(rules)


def _claims_a_service(rs: Ruleset, res: Mapping[str, Any]) -> bool:
    """An API/WMS/... link promises a service, not a file: its content type contradicts nothing."""
    kind = str(res.get("resource_type") or "").lower()
    return (str(res.get("format") or "").strip().upper() in rs.api_formats
            or kind in rs.api_resource_types)


def _demotion(rs: Ruleset, res: Mapping[str, Any], check: Mapping[str, Any] | None
              ) -> Demotion | None:
    if not check or check.get("outcome") == CHECKER_FAILED:
        return None
    detected = check.get("detected_format") or None
    problems = tuple(str(p.get("code")) for p in check.get("problems") or ()
                     if isinstance(p, dict))
    reason = None
    if check.get("downloadable") is False:
        reason = DEAD_LINK
    elif check.get("format_matches") is False and detected and not _claims_a_service(rs, res):
        reason = FORMAT_MISMATCH
    if reason is None:
        return None
    return Demotion(str(res.get("id") or ""), str(res.get("name") or res.get("id") or ""),
                    reason, str(res.get("format") or ""), detected, problems)


def verified_package(pkg: Mapping[str, Any], checks: Mapping[str, Mapping[str, Any]],
                     rules: str | Ruleset = DEFAULT_RULESET
                     ) -> tuple[dict[str, Any], tuple[Demotion, ...]]:
    """The package as checked: dead links left out, contradicted formats replaced by the real."""
    rs = _rs(rules)
    kept, demotions = [], []
    for res in resources_of(pkg):
        demotion = _demotion(rs, res, checks.get(str(res.get("id"))))
        if demotion is None:
            kept.append(res)
            continue
        demotions.append(demotion)
        if demotion.reason == FORMAT_MISMATCH:
            kept.append({**res, "format": demotion.detected_format})
    return {**pkg, "resources": kept}, tuple(demotions)


def verified_open_level(pkg: Mapping[str, Any],
                        checks: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
                        rules: str | Ruleset = DEFAULT_RULESET) -> VerifiedOpenness:
    """The declared and the verified open level of a dataset, and the resources that lost theirs."""
    rs = _rs(rules)
    checked, demotions = verified_package(pkg, checks_by_resource(checks), rs)
    return VerifiedOpenness(open_level(pkg, rs), open_level(checked, rs), demotions)
