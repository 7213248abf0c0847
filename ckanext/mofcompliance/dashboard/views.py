"""The compliance dashboard: ``/compliance`` and ``/compliance/<org>`` with their exports.

Every page reads through the API actions (``mofcompliance_site_kpi``,
``mofcompliance_org_kpi``), so what a page, an export and the API show is one result,
filtered for the user where the data is read.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs

from .. import config
from ..common import csrf
from ..scoring import reads
from ..access import scope
from ..quality import jobs as quality_jobs
from ..quality.messages import N_
from . import compare, exports, todo
from ..standard import definition as std
from ..kpi import evaluation as kpi
from ..standard.labels import one_language

compliance = csrf.protect(Blueprint("mofcompliance", __name__, url_prefix="/compliance"))
steward = Blueprint("mofcompliance_steward", __name__, url_prefix="/dashboard")
PAGE_SIZE = 25
DATASET_SORTS = {
    "title": lambda d: d["title"],
    "missing": lambda d: (-len(d["missing_items"]), d["title"]),
    "open_level": lambda d: (d["open_level"], d["title"]),
}
# A background job's state (RQ's) as the page says it.
JOB_STATUS = {"queued": N_("queued"), "started": N_("running"), "deferred": N_("queued"),
              "scheduled": N_("queued"), "finished": N_("finished"), "failed": N_("failed"),
              "stopped": N_("stopped"), "canceled": N_("stopped")}
NO_WORKER = N_("No worker has picked this up for over a minute. An administrator of the "
               "server starts one with: %(command)s")
MIME = {"csv": "text/csv; charset=utf-8",  # a content type, not a mimetype: no charset added
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _call(action: str, data_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        return tk.get_action(action)(scope.user_context(), data_dict)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))


def _flash_errors(error: tk.ValidationError) -> None:
    """A form's refusal, each message once in the page's language (the API's are
    bilingual)."""
    tk.h.flash_error(" ".join(one_language(str(m), tk.h.lang())
                              for messages in error.error_dict.values() for m in messages))


def _existing_organisation(org: str) -> model.Group:
    """The organisation ``/compliance/<org>/...`` names, or 404: a form posted to no
    organisation is refused before its action runs."""
    try:
        return scope.organization_record(org)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))


def _whole_number(name: str, default: int, minimum: int = 0) -> int:
    """A query parameter that must be a whole number, refused (400) by its name."""
    text = tk.request.args.get(name)
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        tk.abort(400, tk._('"%(name)s" must be a whole number of at least %(minimum)d') % {
            "name": name, "minimum": minimum})
    return number


def _profile() -> str:
    return tk.request.args.get("profile") or config.default_profile()


def _download(content: bytes, filename: str, fmt: str) -> Response:
    return Response(content, content_type=MIME[fmt],
                    headers={"Content-Disposition": 'attachment; filename="%s"' % filename})


def _profiles() -> list[kpi.Profile]:
    return [kpi.load_profile(p) for p in kpi.profile_ids()]


def _compared(action: str, data_dict: dict[str, Any], answer: dict[str, Any],
              kpi_key: str) -> dict[str, Any] | None:
    """The page's KPI beside the same KPI under ``?compare=`` (another profile), or None."""
    other_id = tk.request.args.get("compare")
    if not other_id or other_id == answer["profile"]:
        return None
    other = _call(action, dict(data_dict, profile=other_id))
    return compare.side_by_side(answer, answer[kpi_key], other, other[kpi_key])


def _level_distribution(result: dict[str, Any]) -> list[tuple[str, int]]:
    """Organisations per level of the result's profile (0: none reached)."""
    counts = Counter(o["level"] for o in result["organizations"])
    levels = (0, *kpi.load_profile(result["profile"]).level_values())
    return [(str(level), counts.get(level, 0)) for level in levels]


def _missing_items(datasets: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts = Counter(item for d in datasets for item in d["missing_items"])
    return [(tk.h.mofcompliance_name_label(f), n) for f, n in counts.most_common(14)]


def _is_empty(plan: dict[str, Any]) -> bool:
    return not any(plan.get(key) for key in reads.EMPTY_PLAN)


@compliance.route("/")
def site() -> str:
    result = _call("mofcompliance_site_kpi", {"profile": _profile()})
    plan = reads.plan_of("")
    return tk.render("mofcompliance/site.html", {
        "result": result, "profiles": _profiles(),
        "compare": _compared("mofcompliance_site_kpi", {}, result, "site"),
        "levels": _level_distribution(result),
        "trend": reads.snapshots_of("", result["profile"]),
        "plan": plan, "plan_empty": _is_empty(plan),
        "focus_areas": kpi.load_profile(result["profile"]).focus_areas,
        "can_manage": scope.allowed("mofcompliance_rescore"),
        # graded on request: the whole catalog is read and graded (seconds at 50,000 datasets)
        "quality": (_call("mofcompliance_quality_show", {})
                    if tk.request.args.get("quality") else None)})


@compliance.route("/export.<fmt>")
def site_export(fmt: str) -> Response:
    if fmt not in MIME:
        return tk.abort(404)
    result = _call("mofcompliance_site_kpi", {"profile": _profile()})
    rows = exports.site_rows(result, _call("mofcompliance_quality_show", {}))
    header = exports.PROFILE_HEADER + exports.SITE_HEADER + exports.GRADE_HEADER
    headline = exports.site_headline(result)
    content = (exports.to_csv(header, rows, headline) if fmt == "csv"
               else exports.to_xlsx("KPI", header, rows, headline))
    return _download(content, "compliance-%s.%s" % (result["profile"], fmt), fmt)


def _filtered(datasets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    args = tk.request.args
    if args.get("complete") in ("yes", "no"):
        datasets = [d for d in datasets if d["metadata_complete"] == (args["complete"] == "yes")]
    if args.get("q"):
        needle = args["q"].lower()
        datasets = [d for d in datasets if needle in d["title"].lower() or needle in d["name"]]
    sort = DATASET_SORTS.get(args.get("sort", "missing"), DATASET_SORTS["missing"])
    return sorted(datasets, key=sort)


@compliance.route("/<org>")
def organization(org: str) -> str:
    """The organisation's page, built with the cyclic garbage collector paused. The page
    holds its datasets' results and grades (thousands of objects at ~250 datasets) while it
    renders; each collection that ran meanwhile moved them towards the oldest generation,
    whose full pass over the whole process (~45 ms CPU) then fell on one request in seven.
    Paused until the page's objects are freed, none is moved; what cycles the request left
    are collected by the first pass after it."""
    with kpi.gc_paused():
        return _organization_page(org)


def _organization_page(org: str) -> str:
    # Held while the page is built: its actions and checks find the record by id in the
    # session, without a statement each (``scope.organization_record``).
    record = _existing_organisation(org)
    org_id = record.id
    result = _call("mofcompliance_org_kpi", {"id": org_id, "profile": _profile()})
    datasets = _filtered(result["datasets"])
    page = _whole_number("page", 1, minimum=1)
    can_edit_plan = scope.allowed("mofcompliance_plan_update", {"owner": org_id})
    # One check for the page, not one package_update check (and its queries) per row.
    can_edit_datasets = authz.has_user_permission_for_group_or_org(
        org_id, scope.user_context()["user"], "update_dataset")
    return tk.render("mofcompliance/organization.html", {
        "result": result, "profiles": _profiles(),
        "compare": _compared("mofcompliance_org_kpi", {"id": org_id}, result, "kpi"),
        "datasets": datasets[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        "matching": len(datasets), "page": page, "pages": max(1, -(-len(datasets) // PAGE_SIZE)),
        "missing": _missing_items(result["datasets"]),
        "trend": reads.snapshots_of(org_id, result["profile"]),
        "focus_areas": kpi.load_profile(result["profile"]).focus_areas,
        "can_edit_plan": can_edit_plan,
        "can_edit_datasets": can_edit_datasets,
        "checklist": [p for i in std.items() for p in i.parts if p.counts],
        **_quality_of(org_id)})


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _quality_of(org_id: str) -> dict[str, Any]:
    """The organisation's NSO QC grade, whether its admin may check now, and how far the
    checks queued at ``checks_since`` have come."""
    args = tk.request.args
    progress = None
    if args.get("checks_since"):
        progress = {"queued": _whole_number("checks_queued", 0),
                    "checked": _call("mofcompliance_resource_checks", {
                        "id": org_id, "since": args["checks_since"]})["checked_since"]}
        progress["unattended"] = progress["checked"] < progress["queued"] and \
            quality_jobs.unattended(_instant(args["checks_since"]), config.quality_queue())
        progress["command"] = quality_jobs.WORKER_COMMAND
    return {"quality": _call("mofcompliance_quality_show", {"id": org_id}),
            "can_check_resources": scope.allowed("mofcompliance_resource_check_now",
                                                 {"id": org_id}),
            "check_progress": progress}


@compliance.route("/<org>/check-resources", methods=["POST"])
def check_resources(org: str) -> Response:
    """Queue checks of every resource of the organisation; the page shows their progress."""
    _existing_organisation(org)
    back = tk.url_for("mofcompliance.organization", org=org)
    try:
        outcome = tk.get_action("mofcompliance_resource_check_now")(scope.user_context(), {"id": org})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        _flash_errors(error)
        return tk.redirect_to(back)
    if outcome["already_queued"]:
        tk.h.flash_notice(tk._("The checks of this organisation's resources are already "
                               "queued: nothing more was queued. Their progress is below."))
    return tk.redirect_to(tk.url_for("mofcompliance.organization", org=org,
                                     checks_since=outcome["since"],
                                     checks_queued=outcome["queued"], _anchor="quality"))


@compliance.route("/<org>/export.<fmt>")
def organization_export(org: str, fmt: str) -> Response:
    if fmt not in MIME:
        return tk.abort(404)
    record = _existing_organisation(org)  # held: the actions find it by id, no statement
    result = _call("mofcompliance_org_kpi", {"id": record.id, "profile": _profile()})
    labelled = dict(result, datasets=[  # the file names the missing items as the page does
        dict(d, missing_items=[tk.h.mofcompliance_name_label(f) for f in d["missing_items"]])
        for d in result["datasets"]])
    rows = exports.org_rows(labelled, _call("mofcompliance_quality_show",
                                          {"id": result["organization"]["id"]}))
    header = exports.PROFILE_HEADER + exports.ORG_HEADER + exports.GRADE_HEADER
    headline = exports.org_headline(result)
    content = (exports.to_csv(header, rows, headline) if fmt == "csv"
               else exports.to_xlsx(result["organization"]["name"], header, rows, headline))
    name = "compliance-%s-%s.%s" % (result["organization"]["name"], result["profile"], fmt)
    return _download(content, name, fmt)


@compliance.route("/<org>/report")
def organization_report(org: str) -> str:
    record = _existing_organisation(org)  # held: the actions find it by id, no statement
    result = _call("mofcompliance_org_kpi", {"id": record.id, "profile": _profile()})
    quality = _call("mofcompliance_quality_show", {"id": result["organization"]["id"]})
    return tk.render("mofcompliance/report.html", {
        "result": result, "profile": kpi.load_profile(result["profile"]),
        "grade": quality["grade"], "grades": {d["name"]: d for d in quality["datasets"]}})


def _form_action(action: str, data_dict: dict[str, Any], back: str) -> Response:
    try:
        tk.get_action(action)(scope.user_context(), data_dict)
        tk.h.flash_success(tk._("Saved"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:  # the organisation was checked before: the record is gone
        return tk.abort(404, tk._("This record no longer exists; reload the page."))
    except tk.ValidationError as error:
        _flash_errors(error)
    return tk.redirect_to(back)


@compliance.route("/plan", methods=["POST"])
def site_plan() -> Response:
    data = dict(tk.request.form, owner="")
    return _form_action("mofcompliance_plan_update", data, tk.url_for("mofcompliance.site"))


@compliance.route("/<org>/plan", methods=["POST"])
def organization_plan(org: str) -> Response:
    _existing_organisation(org)
    data = dict(tk.request.form, owner=org)
    return _form_action("mofcompliance_plan_update", data,
                        tk.url_for("mofcompliance.organization", org=org))


@compliance.route("/<org>/use-cases", methods=["POST"])
def use_case_create(org: str) -> Response:
    _existing_organisation(org)
    data = dict(tk.request.form, owner=org)
    return _form_action("mofcompliance_use_case_create", data,
                        tk.url_for("mofcompliance.organization", org=org))


@compliance.route("/<org>/use-cases/<use_case_id>/delete", methods=["POST"])
def use_case_delete(org: str, use_case_id: str) -> Response:
    _existing_organisation(org)
    return _form_action("mofcompliance_use_case_delete", {"id": use_case_id},
                        tk.url_for("mofcompliance.organization", org=org))


@compliance.route("/rescore", methods=["POST"])
def rescore() -> Response:
    try:
        outcome = tk.get_action("mofcompliance_rescore")(scope.user_context(), {"background": True})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    if "job_id" not in outcome:  # no job queue: done already
        tk.h.flash_success(tk.ungettext("%(num)d dataset rescored", "%(num)d datasets rescored",
                                        outcome["datasets"]) % {"num": outcome["datasets"]})
        return tk.redirect_to(tk.url_for("mofcompliance.site"))
    return tk.redirect_to(tk.url_for("mofcompliance.site", job=outcome["job_id"]))


@compliance.route("/rescore/<job_id>")
def rescore_status(job_id: str) -> Response:
    if not scope.allowed("mofcompliance_rescore"):
        return tk.abort(403)
    try:
        job = jobs.job_from_id(job_id)
    except KeyError:
        return jsonify({"status": "finished"})
    status = str(getattr(job.get_status(), "value", job.get_status()))  # RQ's enum or text
    answer = {"status": status, "done": job.meta.get("done", 0), "total": job.meta.get("total"),
              "text": tk._(JOB_STATUS.get(status, "queued"))}
    if status == "queued" and quality_jobs.unattended(
            job.enqueued_at, jobs.remove_queue_name_prefix(job.origin)):
        answer["text"] = tk._(NO_WORKER) % {"command": quality_jobs.WORKER_COMMAND}
    return jsonify(answer)


@steward.route("/compliance")
def todo_list() -> str:
    """The logged-in steward's to-do list (under the user dashboard)."""
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Please log in"))
    profile = _profile()
    user_dict = tk.get_action("user_show")({"ignore_auth": True},
                                           {"id": tk.current_user.name})
    return tk.render("mofcompliance/todo.html", {
        "rows": todo.todo_for(tk.current_user.name, profile), "profile": profile,
        "broken_links": todo.broken_links_for(tk.current_user.name),
        "organizations": _my_organizations(tk.current_user.name),
        "user_dict": user_dict})


def _my_organizations(user_name: str) -> list[dict[str, Any]]:
    """The organisations the user belongs to, each marked when they administer it (the
    links to each one's KPI page and, for admins, its Excel import)."""
    administered = {o["id"] for o in scope.member_organizations(user_name, "admin")}
    return [dict(o, admin=o["id"] in administered)
            for o in scope.member_organizations(user_name, "read")]


def blueprints() -> list[Blueprint]:
    return [compliance, steward]
