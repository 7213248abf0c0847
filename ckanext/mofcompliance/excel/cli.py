"""``ckan mofcompliance import|export``: the NSO workbook from the command line.

Registered in the ``ckan mofcompliance`` group (``cli.py``). Both run as the site user
unless ``--user`` names another, whose rights CKAN's actions then check.
"""
from __future__ import annotations

import os
import tempfile
from typing import Optional

import click

import ckan.plugins.toolkit as tk

from ..common.progress import progress
from . import importer, settings, writer
from .reader import Problem


def _user(name: Optional[str]) -> str:
    return name or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _organization(name: str) -> dict:
    try:
        return tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": name, "include_datasets": False})
    except tk.ObjectNotFound:
        raise click.BadParameter("ไม่พบองค์กร %s / no organisation %s" % (name, name),
                                 param_hint="--org") from None


@click.command("import", short_help="Import an NSO Template 2/3 workbook (dry run or commit)")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--org", "organization", required=True,
              help="The organisation (name or id) the datasets belong to.")
@click.option("--dry-run", is_flag=True,
              help="Validate every row and list the problems; write nothing.")
@click.option("--unknown-choices", type=click.Choice(settings.UNKNOWN_CHOICES),
              help="A value not on its list: reject it, or keep it as อื่นๆ with the text "
                   "in <field>_other. Default: ckanext.mofcompliance.excel.unknown_choices.")
@click.option("--public/--private", default=False,
              help="Visibility of the datasets the import creates. Default: private (as "
                   "thai_gdc does) until published; --public publishes them at once. "
                   "Datasets that already exist keep theirs.")
@click.option("--publish-public-category", is_flag=True,
              help="Publish the new datasets of the public data category even when the "
                   "others stay private (a private one counts as open level 0).")
@click.option("--user", help="Import with this user's rights (default: the site user).")
def import_workbook(path: str, organization: str, dry_run: bool,
                    unknown_choices: Optional[str], public: bool,
                    publish_public_category: bool, user: Optional[str]) -> None:
    """Import PATH: create or update (by dataset code) every dataset of the workbook in one
    transaction, all or nothing. New datasets are private unless --public is given.
    Exits with status 1 when anything was refused."""
    target = importer.Target(organization=_organization(organization), user=_user(user),
                             private=not public,
                             publish_public_category=publish_public_category)
    with progress("importing / นำเข้า") as report:
        outcome = importer.import_file(path, os.path.basename(path), target,
                                       unknown_choices or settings.unknown_choices(), dry_run,
                                       progress=report)
    for notice in outcome.notices:
        click.echo("หมายเหตุ / note  %s" % _located(notice))
    for problem in outcome.problems:
        click.echo("ปัญหา / problem  %s" % _located(problem))
    click.echo(_summary(outcome))
    for effect in outcome.kpi:
        click.echo(_kpi_effect(effect))
    if outcome.publishable:
        click.echo("ชุดข้อมูลหมวดหมู่ข้อมูลสาธารณะที่จะเป็นแบบส่วนตัว (--publish-public-category "
                   "เพื่อเผยแพร่) / new private datasets of the public category "
                   "(--publish-public-category publishes them): %s"
                   % ", ".join(outcome.publishable))
    click.echo(_visibility(outcome))
    if outcome.problems:
        raise click.exceptions.Exit(1)


def _kpi_effect(effect: dict) -> str:
    """``ตัวชี้วัด / KPI fy2567 คะแนน (ระดับ) / score (level): 70.0 (50) → 75.0 (75)``, and
    the figures if the public category's new datasets were published."""
    def shown(figures: dict) -> str:
        return "%s (%s)" % (figures["score"], figures["level"])
    line = "ตัวชี้วัด / KPI %s คะแนน (ระดับ) / score (level): %s → %s" % (
        effect["profile"], shown(effect["before"]), shown(effect["after"]))
    if "published" in effect:
        line += "; เมื่อเผยแพร่ / if published: %s" % shown(effect["published"])
    return line


def _visibility(outcome: importer.Outcome) -> str:
    if outcome.private:
        return ("ชุดข้อมูลใหม่เป็นแบบส่วนตัว (ใช้ --public เพื่อเผยแพร่ทันที) "
                "ชุดข้อมูลเดิมคงสถานะเดิม / new datasets are private (--public publishes them "
                "at once); existing datasets keep their visibility")
    return ("ชุดข้อมูลใหม่เป็นแบบสาธารณะ ชุดข้อมูลเดิมคงสถานะเดิม / new datasets are public; "
            "existing datasets keep their visibility")


def _located(problem: Problem) -> str:
    """``Temp2_Meta_Stat!F7 maintainer_email: message``, as a spreadsheet names a cell."""
    place = problem.sheet or ""
    if problem.column or problem.row:
        place += "!%s%s" % (problem.column or "", problem.row or "")
    field = " %s" % problem.field if problem.field else ""
    return "%s%s: %s" % (place, field, problem.message) if place else problem.message


def _summary(outcome: importer.Outcome) -> str:
    created, updated = len(outcome.created), len(outcome.updated)
    if outcome.problems:
        return ("ไม่ได้บันทึกข้อมูลใด ๆ: พบปัญหา %d รายการ / nothing was written: %d problems"
                % (len(outcome.problems), len(outcome.problems)))
    if outcome.dry_run:
        return ("ตรวจสอบผ่าน: จะสร้าง %d ปรับปรุง %d ชุดข้อมูล / dry run passed: would create "
                "%d and update %d datasets" % (created, updated, created, updated))
    return ("บันทึกแล้ว: สร้าง %d ปรับปรุง %d ชุดข้อมูล / committed: created %d and updated %d "
            "datasets" % (created, updated, created, updated))


@click.command("export", short_help="Export the catalog as the NSO Template 2/3 workbook")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--org", "organization", help="Only this organisation (name or id).")
@click.option("--user", help="Export what this user may read (default: the site user, "
                             "who reads everything).")
def export_workbook(path: str, organization: Optional[str], user: Optional[str]) -> None:
    """Write the datasets to PATH (.xlsx), B.E. dates, one sheet pair per data type."""
    organization_id = _organization(organization)["id"] if organization else None
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".xlsx", delete=False) as out, \
            progress("exporting / ส่งออก") as report:
        count = writer.write_workbook(
            writer.readable_packages(_user(user), organization_id, report), out)
    os.replace(out.name, path)
    click.echo("ส่งออก %d ชุดข้อมูลไปที่ %s / exported %d datasets to %s"
               % (count, path, count, path))
