"""A dataset dict → its ``DatasetResult`` under a profile's open rules, one or a catalog."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping

from ..standard import definition as d
from ..standard.completeness import CompletenessResult, metadata_complete
from ..standard.fields import field_reader, is_true, text
from ..standard.openness import open_level
from ..standard.openness_rules import Ruleset, ruleset
from . import profiles
from .inputs import DatasetResult, WorkProcess
from .profile import Profile


def assess_dataset(pkg_dict: Mapping[str, Any], profile: Profile | str = profiles.DEFAULT_PROFILE,
                   completeness: CompletenessResult | None = None) -> DatasetResult:
    """Completeness and open level of one package dict, under the profile's open rules.

    ``completeness`` (the same under every profile) may be passed when already known."""
    prof = profiles.resolve(profile)
    return _assessed(pkg_dict, ruleset(prof.openness_rules),
                     completeness or metadata_complete(pkg_dict))


def _assessed(pkg_dict: Mapping[str, Any], rules: Ruleset, completeness: CompletenessResult
              ) -> DatasetResult:
    get = field_reader(pkg_dict)
    return DatasetResult(                   # positional: this runs once per dataset
        text(pkg_dict.get("name") or pkg_dict.get("id") or pkg_dict.get("title")),
        text(pkg_dict.get("id")),
        text(pkg_dict.get("title")),
        completeness,
        open_level(pkg_dict, rules),
        text(get("data_category")) in d.public_categories(),
        is_true(pkg_dict.get("private")),
        text(get("allow_harvest")) != "False",
        WorkProcess(text(get("kpi_mission")), text(get("kpi_main_process")),
                    text(get("kpi_sub_process"))),
    )


def assess_under_rulesets(pkg_dict: Mapping[str, Any], rulesets: Iterable[str],
                          completeness: CompletenessResult | None = None
                          ) -> dict[str, DatasetResult]:
    """``assess_dataset`` under each open-characteristics ruleset: what does not depend on
    the ruleset (completeness, category, work process …) assessed once, the open level
    under each."""
    first, *others = rulesets
    assessed = _assessed(pkg_dict, ruleset(first), completeness or metadata_complete(pkg_dict))
    return {first: assessed} | {name: assessed._replace(openness=open_level(pkg_dict, ruleset(name)))
                                for name in others}


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
                   profile: Profile | str = profiles.DEFAULT_PROFILE) -> list[DatasetResult]:
    """``assess_dataset`` over a whole catalog.

    The cyclic garbage collector is paused meanwhile: its passes over the growing result list
    would cost more than the scoring itself.
    """
    prof = profiles.resolve(profile)
    with gc_paused():
        return [assess_dataset(p, prof) for p in pkg_dicts]
