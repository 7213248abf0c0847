"""Search facets and badges on the compliance verdict (``/dataset/`` and organisation pages).

The NSO QC grade facet counts the letter indexed when the dataset or a check of one of its
resources was last stored (``score_store.grade_letter``, from the score row)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import store as score_store


FACET_FIELDS = (score_store.COMPLETE_FIELD, score_store.OPEN_LEVEL_FIELD, score_store.GRADE_FIELD)


def facet_titles() -> dict[str, str]:
    """The facets' titles in the user's language (asked for on each request)."""
    return {score_store.COMPLETE_FIELD: tk._("All 14 items"),
            score_store.OPEN_LEVEL_FIELD: tk._("Open level"),
            score_store.GRADE_FIELD: tk._("Quality grade (NSO QC)")}


def value_names() -> dict[str, dict[str, str]]:
    return {score_store.COMPLETE_FIELD: {"true": tk._("complete"), "false": tk._("incomplete")},
            score_store.OPEN_LEVEL_FIELD: {"0": tk._("0 none"), "1": tk._("1 basic"),
                                           "2": tk._("2 intermediate"), "3": tk._("3 advanced")},
            score_store.GRADE_FIELD: {score_store.UNGRADED: tk._("not graded yet")}}


class BadgeWords:
    """A badge's words in one language (``templates/mofcompliance/snippets/badge.html``).

    A list of datasets shows a badge on each row, and each ``_()`` looks the request's
    locale and catalog up afresh: four translations a badge were 0.9 ms of the 2 ms of CPU
    the badges cost a ``/dataset/`` page of 20. A page translates them once
    (``helpers.mofcompliance_badge_words``), each count and level once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.complete = tk._("all 14 items")
        self.complete_title = tk._("All 14 DGA items are filled")
        self.incomplete_title = tk._("DGA metadata incomplete")
        self.open_level_title = tk._("Open-characteristics level")
        self._missing: dict[int, str] = {}
        self._open_level: dict[int, str] = {}

    def missing(self, count: int) -> str:
        if count not in self._missing:
            self._missing[count] = tk.ungettext("%(num)d item missing",
                                                "%(num)d items missing", count)
        return self._missing[count]

    def open_level(self, level: int) -> str:
        if level not in self._open_level:
            self._open_level[level] = tk._("open %(level)s/3") % {"level": level}
        return self._open_level[level]


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    facets_dict.update(facet_titles())
    return facets_dict


def after_search(search_results: dict[str, Any]) -> dict[str, Any]:
    """Name the facet values, and give each result its badge (read in one query). The
    values are named only when the search counted one of these facets: most searches a
    page makes (an organisation's dataset count, for one) count none."""
    facets = search_results.get("search_facets") or {}
    if any(field in facets for field in FACET_FIELDS):
        for field, names in value_names().items():
            for item in facets.get(field, {}).get("items", []):
                item["display_name"] = names.get(item["name"], item["name"])
    results = search_results.get("results", [])
    found = score_store.badges(r["id"] for r in results if isinstance(r, dict) and "id" in r)
    for result in results:
        if isinstance(result, dict) and result.get("id") in found:
            result["mofcompliance"] = found[result["id"]]
    return search_results
