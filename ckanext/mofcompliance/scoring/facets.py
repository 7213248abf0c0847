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
