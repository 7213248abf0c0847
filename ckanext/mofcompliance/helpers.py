"""Template helpers of the ``mofcompliance`` plugin."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from flask import current_app
from markupsafe import Markup
from ckanext.scheming.helpers import scheming_get_dataset_schema

from . import config
from .access.scope import allowed, dashboard_scope, organization_of, user_context
from .common import dates
from .dataset import evidence_activity, field_layout, site_schema
from .scoring import store as score_store
from .quality import service
from .standard import definition as std
from .kpi import profiles as kpi_profiles
from .standard import values
from .standard.labels import name_title, one_language, problem_alone

__all__ = ["mofcompliance_choices", "mofcompliance_choice_values", "mofcompliance_date",
           "mofcompliance_dataset_report", "mofcompliance_badge",
           "mofcompliance_badge_html",
           "mofcompliance_data_type_codes", "mofcompliance_data_type_labels",
           "mofcompliance_form_sections", "mofcompliance_page_rows",
           "mofcompliance_dataset_quality", "mofcompliance_site_profile",
           "mofcompliance_label", "mofcompliance_evidence_activity",
           "mofcompliance_web_link", "mofcompliance_linkable_resource",
           "mofcompliance_year", "mofcompliance_today", "render_datetime",
           "mofcompliance_not_enforced", "mofcompliance_absent_extension_fields",
           "mofcompliance_form_errors", "mofcompliance_name_label",
           "mofcompliance_evidence_value", "mofcompliance_kpi_organization",
           "mofcompliance_dataset_url", "mofcompliance_allowed"]
# A dataset name no real one ends a URL with, marking where ``mofcompliance_dataset_url``
# puts each dataset's.
_NAME_MARK = "mofcompliance-dataset-name"


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


def mofcompliance_dataset_url(endpoint: str = "dataset.read") -> Callable[[str], str]:
    """The URL of ``endpoint`` for a dataset by its name, for a table's hundreds of links:
    one ``url_for`` (a dozen helpers and Flask's router, 10 µs and more) for them all. A
    dataset's name (a-z, 0-9, ``-`` and ``_``) needs no quoting in a URL."""
    head, _mark, tail = tk.h.url_for(endpoint, id=_NAME_MARK).rpartition(_NAME_MARK)
    return lambda name: head + name + tail


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


def _thai_page() -> bool:
    return tk.h.lang() == "th"


def mofcompliance_date(value: dates.Moment, buddhist_era: bool | None = None,
                       with_time: bool = False) -> str:
    """A date (or a moment, ``with_time`` showing its time) in the page's format: the
    Buddhist Era year in the Thai interface (``buddhist_era=True``: always, as evaluation
    reports are dated), in the site's time zone (``common/dates.py``)."""
    era = _thai_page() if buddhist_era is None else buddhist_era
    return dates.display(value, era, tk.h.get_display_timezone(), tk._("B.E."), with_time)


def mofcompliance_year(value: str | None) -> str:
    """A year of data in the page's era (2560 in Thai is 2017 in English)."""
    return dates.year(value, _thai_page())


def mofcompliance_today() -> str:
    """Today where the site is (``ckan.display_timezone``), as an ISO date."""
    return dates.today(tk.h.get_display_timezone()).isoformat()


@tk.chained_helper
def render_datetime(next_helper: Callable[..., str], datetime_: Any,
                    date_format: str | None = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """CKAN's dates (a dataset's "last updated", an activity's time) in the same format
    as the extension's; an explicit ``date_format`` is CKAN's to apply."""
    if date_format or with_seconds:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    return mofcompliance_date(datetime_, with_time=with_hours)


def mofcompliance_dataset_report(package_id: str) -> dict[str, Any]:
    """The dataset's compliance report for the current user (who may edit it)."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return tk.get_action("mofcompliance_dataset_report")({"user": user}, {"id": package_id})


def mofcompliance_dataset_quality(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's NSO QC grade and each resource's last check, for its editors."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    checks = tk.get_action("mofcompliance_resource_checks")(context, {"id": pkg_dict["id"]})
    return {"grade": tk.get_action("mofcompliance_quality_show")(context, {"id": pkg_dict["id"]}),
            "resources": service.resource_rows(pkg_dict, checks["resources"], tk._,
                                               english=tk.h.lang().startswith("en"))}


def mofcompliance_web_link(value: Any) -> bool:
    """Whether a stored link may be shown as a link: http(s) or a path on this catalog."""
    return bool(value) and values.is_web_link(str(value))


def mofcompliance_linkable_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as pages may link it: its ``url`` blank unless it is a web link."""
    if not resource or mofcompliance_web_link(resource.get("url")):
        return resource
    return dict(resource, url="")


def mofcompliance_badge(package_id: str) -> dict[str, Any] | None:
    """The dataset's compact verdict (shown to everyone who may see the dataset)."""
    return score_store.badges([package_id]).get(package_id)


def mofcompliance_badge_html(badge: dict[str, Any]) -> Markup:
    """The badge as ``mofcompliance/snippets/badge.html`` renders it, rendered once a request
    for each verdict: a list of datasets shows a badge on each row, and rows share
    verdicts. The template is rendered as it is, not as a snippet (which would add
    CKAN's template context to each: 80 against 50 µs)."""
    key = (bool(badge.get("complete")), badge.get("missing"), badge.get("open_level"))
    rendered = tk.g.setdefault("mofcompliance_badges", {})
    if key not in rendered:
        template = current_app.jinja_env.get_template("mofcompliance/snippets/badge.html")
        rendered[key] = Markup(template.render(badge=badge))
    return rendered[key]


def mofcompliance_kpi_organization(reference: str | None) -> str | None:
    """The name of the organisation whose KPI page the current user may open, or None.

    Only an active organisation has one. A dataset's ``owner_org`` may still name a deleted
    organisation (CKAN 2.11 keeps it when the organisation is deleted; 2.12 clears it), and
    its members may still open a deleted organisation's page: there ``check_access`` would
    meet the auth function's "organisation not found", which it does not catch (a 500).

    A reader who is not logged in and whose scope allows no page (``dashboard_scope``: the
    dashboard is not public) is answered without reading the organisation, on every
    dataset page such a reader opens."""
    if not tk.current_user.is_authenticated and not dashboard_scope({"user": ""}).allowed:
        return None
    try:
        org = organization_of(reference or "")
    except tk.ObjectNotFound:
        return None
    return org["name"] if allowed("mofcompliance_org_kpi", {"id": org["id"]}) else None


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
# ``h.check_access`` with the current user's record (the header asks it on every page)
mofcompliance_allowed = allowed


def mofcompliance_evidence_activity(org_id: str) -> list[dict[str, Any]]:
    """The organisation's latest records of changes to its plan, use cases and registration
    states (``evidence_activity``), for its compliance page."""
    context = user_context()
    return evidence_activity.latest(org_id, context["user"],
                                    user_obj=context.get("auth_user_obj"))


def _reason_text(gap: site_schema.NotEnforced, reason: str) -> str:
    if reason == site_schema.OTHER_VALUES:
        return tk._("offers values the standard does not have: %(values)s") % {
            "values": ", ".join(gap.other_values)}
    return {site_schema.ABSENT: tk._("not in the form"),
            site_schema.NOT_REQUIRED: tk._("may be left empty"),
            site_schema.ANY_VALUE: tk._("any value is accepted, not only the standard's choices"),
            }[reason]


def site_schema_gaps() -> list[site_schema.NotEnforced]:
    """The 14 items the site's own dataset schema does not enforce (``dataset_schema =
    site``), read from the schema scheming serves; empty in the DGA mode."""
    if config.dataset_schema() != "site":
        return []
    schema = scheming_get_dataset_schema("dataset")  # None when scheming is not loaded
    unowned = tk.asbool(tk.config.get("ckan.auth.create_unowned_dataset"))
    return site_schema.not_enforced(schema, unowned_datasets_allowed=unowned)


def mofcompliance_not_enforced() -> list[dict[str, Any]]:
    """``site_schema_gaps``, each with its label and reasons in the page's language."""
    return [{"item": gap.item, "label": mofcompliance_label(std.item(gap.item), "label"),
             "reasons": [_reason_text(gap, reason) for reason in gap.reasons]}
            for gap in site_schema_gaps()]


def mofcompliance_absent_extension_fields() -> list[str]:
    """Labels, in the page's language, of this extension's fields the site's own dataset
    schema does not carry (``dataset_schema = site``); empty in the DGA mode."""
    if config.dataset_schema() != "site":
        return []
    schema = scheming_get_dataset_schema("dataset")
    return [mofcompliance_label(f, "label") for f in site_schema.absent_extension_fields(schema)]
