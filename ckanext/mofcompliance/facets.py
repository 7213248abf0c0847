"""Search facets and badges on the compliance verdict (``/dataset/`` and organisation pages)."""
from __future__ import annotations

from typing import Any

from . import score_store

FACET_TITLES = {
    score_store.COMPLETE_FIELD: "ครบ 14 รายการ / 14 items complete",
    score_store.OPEN_LEVEL_FIELD: "ระดับคุณลักษณะแบบเปิด / Open level",
}
VALUE_NAMES = {
    score_store.COMPLETE_FIELD: {"true": "ครบ / complete", "false": "ไม่ครบ / incomplete"},
    score_store.OPEN_LEVEL_FIELD: {"0": "0 ไม่ผ่าน / none", "1": "1 ขั้นต้น / basic",
                               "2": "2 ขั้นกลาง / intermediate", "3": "3 ขั้นสูง / advanced"},
}


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    facets_dict.update(FACET_TITLES)
    return facets_dict


def after_search(search_results: dict[str, Any]) -> dict[str, Any]:
    """Name the facet values, and give each result its badge (read in one query)."""
    for field, names in VALUE_NAMES.items():
        for item in search_results.get("search_facets", {}).get(field, {}).get("items", []):
            item["display_name"] = names.get(item["name"], item["name"])
    results = search_results.get("results", [])
    found = score_store.badges(r["id"] for r in results if isinstance(r, dict) and "id" in r)
    for result in results:
        if isinstance(result, dict) and result.get("id") in found:
            result["mofcompliance"] = found[result["id"]]
    return search_results
