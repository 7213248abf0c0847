"""API actions of the ``mofcompliance`` plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ..standard import definition as std
from ..standard.json_schema import package_json_schema
from ..standard.labels import field_title
from . import validators


def _item_summary(item: std.Item) -> dict[str, Any]:
    return {
        "number": item.number,
        "label_th": item.label_th,
        "label_en": item.label_en,
        "fields": [{"number": p.number, "field": p.field, "counts": p.counts}
                   for p in item.parts],
    }


@tk.side_effect_free
def mofcompliance_standard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The DGA standard this catalog enforces: the 14 items, the enforcement mode and the
    JSON Schema of a dataset (as ``package_show`` returns it) and of a resource.

    :param scope: ``dataset`` (default) or ``resource`` for the JSON Schema
    """
    tk.check_access("mofcompliance_standard_show", context, data_dict)
    scope = data_dict.get("scope", "dataset")
    if scope not in ("dataset", "resource"):
        raise tk.ValidationError({"scope": ["ต้องเป็น dataset หรือ resource / "
                                            "must be dataset or resource"]})
    return {
        "enforcement": "strict" if validators.is_strict() else "advisory",
        "licence_rule": validators.licence_rule(),
        "items": [_item_summary(item) for item in std.items()],
        "field_titles": {f.name: dict(zip(("th", "en"), field_title(f)))
                         for f in std.dataset_fields()},
        "json_schema": package_json_schema(scope, validators.licence_rule()),
    }


def all_actions() -> dict[str, Any]:
    return {"mofcompliance_standard_show": mofcompliance_standard_show}
