"""What a site's own dataset schema leaves unenforced of the 14 items.

In the ``site`` mode (``ckanext.mofcompliance.dataset_schema``) the catalog keeps its own
ckanext-scheming schema and form (ckanext-thai_gdc's, for one): the KPI still scores every
dataset, but only the site's validators decide what a dataset may be saved without.
``not_enforced`` reads such a schema, as scheming serves it (presets expanded,
``scheming_get_dataset_schema``), and names, per item, what its validators let through: the
field is not in the form, it may be left empty, or it takes values outside the standard's
choice list; ``describe`` words one such gap for the command line (``doctor``), Thai then
English. Pure: no CKAN import, so the dashboard and ``doctor`` both call it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..standard import definition as std
from ..standard import labels

ABSENT = "absent"                  # the schema has no such field
NOT_REQUIRED = "not_required"      # it may be saved empty
ANY_VALUE = "any_value"            # a choice item whose value is not checked against a list
OTHER_VALUES = "other_values"      # its list offers values the standard does not have

# Validators that refuse an empty value whatever the field says.
_ALWAYS_FILLING = frozenset({"not_empty", "if_empty_same_as", "mofcompliance_item_required",
                             "mofcompliance_tags_required"})
# Validators that refuse an empty value when the field says ``required: true``.
_FILLING_WHEN_REQUIRED = frozenset({"scheming_required", "scheming_multiple_choice",
                                    "mofcompliance_choice", "mofcompliance_multi_choice"})
# Validators that accept only the field's listed choices.
_RESTRICTING = frozenset({"scheming_choices", "scheming_multiple_choice", "mofcompliance_choice",
                          "mofcompliance_multi_choice"})
# The standard's own lists, read at run time (schemas/dataset.yaml).
_STANDARD_CHOICES_HELPER = "mofcompliance_choices"


# Thai / English, as the CLI speaks (``doctor``); the dashboard says them through _().
_REASON_TEXTS = {
    ABSENT: ("ไม่มีในแบบฟอร์ม", "not in the form"),
    NOT_REQUIRED: ("เว้นว่างได้", "may be left empty"),
    ANY_VALUE: ("รับค่าใดก็ได้ ไม่จำกัดเฉพาะตัวเลือกตามมาตรฐาน",
                "any value is accepted, not only the standard's choices"),
    OTHER_VALUES: ("มีตัวเลือกที่มาตรฐานไม่มี: %s", "offers values the standard does not have: %s"),
}


@dataclass(frozen=True)
class NotEnforced:
    """One of the 14 items the schema does not enforce, and why (one or more reasons)."""
    item: int
    field: str
    reasons: tuple[str, ...]
    other_values: tuple[str, ...] = ()


def _validator_names(field: Mapping[str, Any]) -> set[str] | None:
    """The validators' names (``if_empty_same_as(name)`` → ``if_empty_same_as``), or None
    when the field names none (scheming then applies ``not_empty`` if it is required)."""
    if "validators" not in field:
        return None
    return {token.split("(", 1)[0] for token in str(field["validators"]).split()}


def _required(field: Mapping[str, Any], unowned_datasets_allowed: bool) -> bool:
    names = _validator_names(field)
    if names is None:
        return bool(field.get("required"))
    if names & _ALWAYS_FILLING or (field.get("required") and names & _FILLING_WHEN_REQUIRED):
        return True
    # CKAN requires an organisation unless ckan.auth.create_unowned_dataset is on.
    return "owner_org_validator" in names and not unowned_datasets_allowed


def _choice_gaps(field: Mapping[str, Any], name: str) -> tuple[list[str], tuple[str, ...]]:
    """The choice reasons of a field the standard gives a list, and its foreign values."""
    names = _validator_names(field) or set()
    if not names & _RESTRICTING:
        return [ANY_VALUE], ()
    if field.get("choices_helper") == _STANDARD_CHOICES_HELPER:
        return [], ()
    accepted = std.choice_values(name)
    foreign = tuple(str(c.get("value")) for c in field.get("choices") or ()
                    if str(c.get("value")) not in accepted)
    return ([OTHER_VALUES], foreign) if foreign else ([], ())


def not_enforced(schema: Mapping[str, Any] | None, *,
                 unowned_datasets_allowed: bool = False) -> list[NotEnforced]:
    """The 14 items (by their counted field; item 9 by its unit) that ``schema``, a
    ckanext-scheming dataset schema with its presets expanded, lets a dataset be saved
    without, or with a value outside the standard's choices; in item order, empty when
    the schema enforces all 14. ``None`` (no schema) enforces none of them."""
    fields = {f.get("field_name"): f for f in (schema or {}).get("dataset_fields", ())}
    gaps = []
    for item in std.items():
        name = item.field
        field = fields.get(name)
        if field is None:
            gaps.append(NotEnforced(item.number, name, (ABSENT,)))
            continue
        reasons = [] if _required(field, unowned_datasets_allowed) else [NOT_REQUIRED]
        foreign: tuple[str, ...] = ()
        if std.field(name).choices:
            choice_reasons, foreign = _choice_gaps(field, name)
            reasons += choice_reasons
        if reasons:
            gaps.append(NotEnforced(item.number, name, tuple(reasons), foreign))
    return gaps


def absent_extension_fields(schema: Mapping[str, Any] | None) -> list[std.Field]:
    """This extension's own fields (a dataset's work process, a resource's open-data
    indicators) that ``schema`` does not carry: nobody can fill them in, so the KPI counts
    no dataset as tied to a work process and no resource as, say, the authoritative source."""
    present = {(scope, f.get("field_name")) for scope in ("dataset", "resource")
               for f in (schema or {}).get(scope + "_fields", ())}
    return [f for f in std.dataset_fields() + std.resource_fields()
            if f.extension and (f.scope, f.name) not in present]


def describe(gap: NotEnforced) -> str:
    """One line, Thai then English, e.g. "ข้อ 6 คำสำคัญ: เว้นว่างได้ / Item 6 Keywords: may
    be left empty"."""
    title_th, title_en = labels.field_title(std.field(gap.field))
    texts = [tuple(text % ", ".join(gap.other_values) if reason == OTHER_VALUES else text
                   for text in _REASON_TEXTS[reason]) for reason in gap.reasons]
    return "%s: %s / %s: %s" % (title_th, "; ".join(t[0] for t in texts),
                                title_en, "; ".join(t[1] for t in texts))
