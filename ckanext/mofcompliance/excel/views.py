"""The NSO workbook on the web: an organisation's import page and the downloads.

``/organization/<id>/nso-import`` (organisation admins): upload a workbook, read the
dry run's report (every problem by sheet, row, column and field), then commit it; a
large workbook runs as a background job whose progress the page shows.
``/organization/<id>/nso-export`` and ``/nso-export``: the workbook of what the
requesting user may read.
"""
from __future__ import annotations

import tempfile
from typing import Any, Iterable

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ..common import csrf
from ..kpi import evaluation as kpi
from . import jobs, settings, writer
from .reader import read_workbook
from .settings import Limits
from .workbook import Rejected

excel = csrf.protect(Blueprint("mofcompliance_excel", __name__))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNNING = ("queued", "running")


def _user() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def _context() -> dict[str, Any]:
    return {"user": _user()}


def _organization(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(_context(), {"id": id,
                                                              "include_datasets": False})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised"))


def _admin_organization(id: str) -> dict[str, Any]:
    """The organisation, if the user administers it (importing replaces its datasets)."""
    organization = _organization(id)
    try:
        tk.check_access("organization_update", _context(), {"id": organization["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the organisation's admins may import"))
    return organization


def _upload(organization: dict[str, Any], token: str) -> dict[str, Any]:
    """An upload's record, only for the admin who made it, in its organisation."""
    data = jobs.record(token)
    if not data or data["organization"] != organization["id"] or data["user"] != _user():
        return tk.abort(404, tk._("No such upload"))
    return data


def _form_options() -> dict[str, Any]:
    unknown = tk.request.form.get("unknown_choices")
    return {"unknown_choices": unknown if unknown in settings.UNKNOWN_CHOICES
            else settings.unknown_choices(),
            "private": tk.request.form.get("visibility") != "public"}


@excel.route("/organization/<id>/nso-import", methods=["GET", "POST"])
def upload(id: str) -> Any:
    """The upload form; a posted workbook is staged and its dry run started at once."""
    organization = _admin_organization(id)
    if tk.request.method == "POST":
        try:
            token = _stage_and_dry_run(organization)
        except Rejected as rejected:
            return _upload_form(organization, rejected)
        return tk.redirect_to("mofcompliance_excel.status", id=organization["name"], token=token)
    return _upload_form(organization, None)


def _upload_form(organization: dict[str, Any], refusal: Rejected | None) -> str:
    """The form, with why the last file was refused in the page's language."""
    error = None
    if refusal is not None:
        error = tk.h.mofcompliance_label({"error_th": refusal.thai,
                                          "error_en": refusal.english}, "error")
    return tk.render("mofcompliance/excel/upload.html", {
        "organization": organization, "error": error, "limits": Limits.from_config(),
        "default_unknown": settings.unknown_choices()})


def _stage_and_dry_run(organization: dict[str, Any]) -> str:
    """Stage the posted workbook, read it (a refused file goes no further) and start the
    dry run, inline or as a job depending on its size; returns the upload's token."""
    posted = tk.request.files.get("workbook")
    if not posted or not posted.filename:
        raise Rejected("กรุณาเลือกไฟล์ .xlsx", "please choose an .xlsx file")
    options = _form_options()
    staged = jobs.stage(posted.stream, posted.filename, organization["id"], _user(), options)
    try:
        reading = read_workbook(staged["path"], posted.filename, Limits.from_config(),
                                options["unknown_choices"])
    except Rejected:
        jobs.remove_file(staged["token"])
        raise
    jobs.start(staged["token"], dry_run=True, rows=len(reading.datasets))
    return staged["token"]


@excel.route("/organization/<id>/nso-import/<token>")
def status(id: str, token: str) -> str:
    """The upload's progress while it runs, then its report."""
    organization = _admin_organization(id)
    data = _upload(organization, token)
    return tk.render("mofcompliance/excel/status.html", {
        "organization": organization, "upload": data, "running": data["state"] in RUNNING,
        "profiles": {p: kpi.load_profile(p) for p in kpi.profile_ids()}})


@excel.route("/organization/<id>/nso-import/<token>/commit", methods=["POST"])
def commit(id: str, token: str) -> Any:
    """Commit an upload whose dry run found no problem (the commit checks everything again)."""
    organization = _admin_organization(id)
    data = _upload(organization, token)
    outcome = data.get("outcome") or {}
    if data["state"] != "done" or not outcome.get("dry_run") or outcome.get("problems"):
        return tk.abort(409, tk._("The dry run must pass before the file is committed"))
    publish = tk.request.form.get("public_category") == "publish"
    jobs.update(token, options=dict(data["options"], publish_public_category=publish))
    jobs.start(token, dry_run=False, rows=int(data.get("total") or 0))
    return tk.redirect_to("mofcompliance_excel.status", id=organization["name"], token=token)


@excel.route("/organization/<id>/nso-export")
def export_organization(id: str) -> Response:
    """The organisation's datasets the user may read, as the NSO workbook."""
    organization = _organization(id)
    return _workbook_download(writer.readable_packages(_user(), organization["id"]),
                              "nso-%s.xlsx" % organization["name"])


@excel.route("/nso-export")
def export_site() -> Response:
    """The whole catalog the user may read, as the NSO workbook."""
    try:
        tk.check_access("package_search", _context())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised"))
    return _workbook_download(writer.readable_packages(_user()), "nso-catalog.xlsx")


def _workbook_download(packages: Iterable[dict[str, Any]], filename: str) -> Response:
    """Written to a temporary file (rows spooled, never all in memory) and streamed."""
    out = tempfile.TemporaryFile()
    writer.write_workbook(packages, out)
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=filename)


def blueprints() -> list[Blueprint]:
    return [excel]
