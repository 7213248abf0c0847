"""ความครบถ้วนของคำอธิบายข้อมูล 14 รายการ / Are the 14 mandatory items filled?

Rules (docs/kpi-rules.md §2, readings R1-R4 marked):

1. A dataset counts only when all 14 items are filled ("หากจัดทำรายละเอียดไม่ครบ 14 รายการ ...
   จะไม่นับผลการดำเนินงาน"); its KPI score is then 100, otherwise 0.
2. Item 9 has two parts; only 9.1 ``update_frequency_unit`` counts, 9.2
   ``update_frequency_interval`` may be blank. A missing item 9 is reported as
   ``update_frequency_unit``.
3. Blank means: absent, ``None``, a string of white space, an empty list, or a list whose values
   are all blank. Any other value is "filled"; whether it is a valid choice is validation's
   business, not completeness's (``ไม่ทราบ``, "unknown", is a value on every list and counts).
4. Item 3 is filled by ``owner_org`` or by the ``organization`` object of an API package dict.
5. Item 6 is filled by ``tags`` (``[{"name": ...}]`` or plain strings) or by ``tag_string``.
6. Items 8 and 12 (multi-selects) may arrive as a list, as a JSON list in a string, or as a
   comma-separated string.
7. **[reading R3]** Choosing "other" (อื่นๆ; for item 1 ``ข้อมูลประเภทอื่นๆ``) without writing the
   ``<field>_other`` text leaves the item missing: the choice alone says nothing. A multi-select
   that also holds a listed value is filled. ``definition.yaml`` (``completeness.other_needs_text``)
   turns this off.
8. Fields may sit at the top level (ckanext-scheming) or in CKAN ``extras``; the top level wins.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, NamedTuple

from . import definition as d
from .fields import as_list, field_reader, is_blank, tag_names


class CompletenessResult(NamedTuple):
    """Which items a dataset fills (an immutable tuple: results are built by the ten thousand)."""
    complete: bool
    missing_items: tuple[str, ...]   # reported field names, in item order
    filled: int
    total: int

    @property
    def percent(self) -> int:
        """The dataset's KPI score: 100 when all items are filled, else 0 (docs/kpi-rules.md §2)."""
        return 100 if self.complete else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "missing_items": list(self.missing_items),
            "filled": self.filled,
            "total": self.total,
        }


# ---------------------------------------------------------------- per-item rules

class ItemRule(NamedTuple):
    """How one counted field of an item is judged, precomputed from the definition."""
    item_field: str            # the name reported when the item is missing
    form: str                  # text, select, multi, organization or tags
    field: str
    other_value: str | None    # the "other" choice that needs its text (None: no such need)
    other_field: str           # its text field ("" with no such need)


@functools.lru_cache(maxsize=2)
def item_rules(other_needs_text: bool | None = None) -> tuple[ItemRule, ...]:
    """The rules for the 14 items in item order (item 9: its counted part only)."""
    rule = d.definition().other_needs_text if other_needs_text is None else other_needs_text
    rules = []
    for it in d.items():
        for name in it.counted_fields:
            f = d.field(name)
            needs_text = rule and f.other_field is not None
            form = f.form if f.form in ("select", "multi", "organization", "tags") else "text"
            rules.append(ItemRule(it.field, form, name, f.other_value if needs_text else None,
                                  (f.other_field or "") if needs_text else ""))
    return tuple(rules)


def _other_ok(rule: ItemRule, get: Callable[[str], Any], values: list[str]) -> bool:
    """Filled unless every choice is "other" and its text is blank."""
    if rule.other_value is None or values.count(rule.other_value) != len(values):
        return True
    return not is_blank(get(rule.other_field))


def _owner_org_filled(get: Callable[[str], Any]) -> bool:
    if not is_blank(get("owner_org")):
        return True
    org = get("organization")
    return isinstance(org, dict) and not (is_blank(org.get("id")) and is_blank(org.get("name")))


def _filled(rule: ItemRule, get: Callable[[str], Any]) -> bool:
    """Multi-selects, the organisation and the tags (text and selects are judged inline)."""
    form = rule.form
    if form == "multi":
        values = as_list(get(rule.field))
        return bool(values) and _other_ok(rule, get, values)
    if form == "organization":
        return _owner_org_filled(get)
    return bool(tag_names(get("tags"), get("tag_string")))


# ---------------------------------------------------------------- entry point

def metadata_complete(pkg_dict: Mapping[str, Any],
                      other_needs_text: bool | None = None) -> CompletenessResult:
    """Which of the 14 items does this package dict fill? (see the module docstring).

    ``other_needs_text`` overrides the definition's reading for rule 7.
    """
    rules = item_rules(other_needs_text)
    get = field_reader(pkg_dict)
    missing: list[str] = []
    for rule in rules:
        item_field, form, name, other_value, other_field = rule
        if form == "text" or form == "select":   # the common case, inlined: the hot loop
            value = get(name)
            if value.__class__ is str:
                text = value.strip()
                ok = bool(text) and (other_value is None or text != other_value
                                     or not is_blank(get(other_field)))
            else:
                ok = not is_blank(value)
        else:
            ok = _filled(rule, get)
        if not ok and item_field not in missing:
            missing.append(item_field)
    total = len(d.items())
    return CompletenessResult(not missing, tuple(missing), total - len(missing), total)
