"""Template helpers of the ``mofcompliance`` plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import field_layout, score_store
from .quality import service
from .standard import definition as std
from .standard import profiles as kpi_profiles
from .standard import values
from .standard.labels import name_title, one_language, problem_alone

__all__ = ["mofcompliance_choices", "mofcompliance_choice_values", "mofcompliance_date",
           "mofcompliance_dataset_report", "mofcompliance_badge",
           "mofcompliance_data_type_codes", "mofcompliance_data_type_labels",
           "mofcompliance_form_sections", "mofcompliance_page_rows",
           "mofcompliance_dataset_quality", "mofcompliance_site_profile",
           "mofcompliance_label", "mofcompliance_form_errors", "mofcompliance_name_label",
           "mofcompliance_evidence_value"]


def mofcompliance_label(obj: Any, key: str) -> str:
    """One text of a bilingual pair in the page's language: ``obj[key + "_th"]`` in Thai,
    ``obj[key + "_en"]`` otherwise, the other one when it is empty.

    The pure engine (``standard/``) and the profile files cannot call ``_()``, so they give
    both texts (``label_th``/``label_en``, ``note_th``/``note_en``, ...); ``obj`` is a dict
    or an object with those attributes.
    """
    first, second = ("th", "en") if tk.h.lang() == "th" else ("en", "th")
    texts = [obj.get(key + "_" + lang) if isinstance(obj, dict)
             else getattr(obj, key + "_" + lang, None) for lang in (first, second)]
    return next((text for text in texts if text), "")


def mofcompliance_name_label(names: str | list[str] | tuple[str, ...]) -> str:
    """What the reader is shown for an internal name (a field, a part of the plan, an
    evidence key) or a list of them: the label in the page's language, never the name."""
    index = 0 if tk.h.lang() == "th" else 1
    if isinstance(names, str):
        return name_title(names)[index]
    return ", ".join(name_title(name)[index] for name in names)


def mofcompliance_evidence_value(value: Any) -> str:
    """A criterion's evidence value as the reader reads it: names labelled, a text given in
    both languages in the page's, lists of records counted, nothing as "—"."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, dict) and set(value) == {"th", "en"}:  # a text in both languages
        return mofcompliance_label({"text_th": value["th"], "text_en": value["en"]}, "text")
    if isinstance(value, bool):
        return tk._("yes") if value else tk._("no")
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return mofcompliance_name_label(list(value))
        return str(len(value))
    return mofcompliance_name_label(value) if isinstance(value, str) else str(value)


def _said_once(text: str, lang: str) -> str:
    for field in std.dataset_fields() + std.resource_fields():
        problem = problem_alone(field, text, lang)
        if problem is not None:
            return problem
    return one_language(text, lang)


def mofcompliance_form_errors(errors: dict[str, Any] | None) -> dict[str, Any] | None:
    """A form's errors as the form shows them: each field's problem once, in the page's
    language, without the field's name (its label or the error list names it).

    The validators' messages are bilingual and name their field (``ข้อ 5 …: … / Item 5
    …: …``) for API clients; CKAN's own messages pass unchanged."""
    if not errors:
        return errors
    lang = tk.h.lang()
    return {key: [_said_once(m, lang) if isinstance(m, str) else m for m in messages]
            if isinstance(messages, list) else messages
            for key, messages in errors.items()}


def mofcompliance_site_profile(profile_id: str) -> bool:
    """Whether the operator's profiles folder supplied (or overrode) this profile."""
    return kpi_profiles.is_site_profile(profile_id)


def mofcompliance_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the field's list from the standard's definition.

    Values kept only for thai_gdc 2.1 compatibility stay selectable (so that
    editing an old dataset does not lose its value) and say so.
    """
    scope = field.get("mofcompliance_scope", "dataset")
    definition = std.field(field["field_name"], scope)
    return [{"value": c.value,
             "label": {"th": c.label_th + (" (thai_gdc 2.1)" if c.compat else ""),
                       "en": c.label_en + (" (thai_gdc 2.1)" if c.compat else "")}}
            for c in std.choices(definition.choices)]


def mofcompliance_date(value: str | None, buddhist_era: bool | None = None) -> str:
    """A stored Gregorian date shown with its Buddhist Era year in the Thai interface
    (``buddhist_era=True``: always, as evaluation reports are dated)."""
    if not value:
        return ""
    try:
        day = values.parse_date(value)
    except ValueError:
        return value
    if buddhist_era or (buddhist_era is None and tk.h.lang() == "th"):
        return "%s (%s)" % (values.buddhist_era(day), tk._("B.E."))
    return day.isoformat()


def mofcompliance_dataset_report(package_id: str) -> dict[str, Any]:
    """The dataset's compliance report for the current user (who may edit it)."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return tk.get_action("mofcompliance_dataset_report")({"user": user}, {"id": package_id})


def mofcompliance_dataset_quality(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's NSO QC grade and each resource's last check, for its editors."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    checks = tk.get_action("mofcompliance_resource_checks")(context, {"id": pkg_dict["id"]})
    return {"grade": tk.get_action("mofcompliance_quality_show")(context, {"id": pkg_dict["id"]}),
            "resources": service.resource_rows(pkg_dict, checks["resources"], tk._)}


def mofcompliance_badge(package_id: str) -> dict[str, Any] | None:
    """The dataset's compact verdict (shown to everyone who may see the dataset)."""
    return score_store.badges([package_id]).get(package_id)


def mofcompliance_choice_values(field: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """A choice field's value(s) in the reader's language, อื่นๆ with its own text."""
    return field_layout.choice_values(field, data, tk.h.lang())


def mofcompliance_data_type_labels(codes: list[str]) -> str:
    """"ข้อมูลสถิติ, ข้อมูลภูมิสารสนเทศเชิงพื้นที่" (in English: "Statistical data, …")."""
    thai = tk.h.lang() == "th"
    return ", ".join(std.data_type(code).value if thai else std.data_type(code).label_en
                     for code in codes)


# The dataset form's and page's layout (``field_layout``), under the names templates use.
mofcompliance_form_sections = field_layout.form_sections
mofcompliance_data_type_codes = field_layout.data_type_codes
mofcompliance_page_rows = field_layout.page_rows
