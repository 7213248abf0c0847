"""``ckan mofcompliance gdcatalog …``: registration states from the GD Catalog."""
from __future__ import annotations

from typing import TextIO

import click

from . import registration, status_api


@click.group(short_help="GD Catalog registration states")
def gdcatalog() -> None:
    """สถานะการลงทะเบียนใน GD Catalog / GD Catalog registration states."""


@gdcatalog.command("import-states")
@click.argument("listing", type=click.File("r", encoding="utf-8-sig"))
def import_states(listing: TextIO) -> None:
    """Import a CSV listing from the GD Catalog (a dataset name or id column and a state
    column). Every line is checked first; one bad line and nothing is imported."""
    report = registration.import_listing(listing)
    for problem in report.problems:
        click.echo(problem, err=True)
    if not report.ok:
        raise click.ClickException("ไม่ได้นำเข้า: พบปัญหา %d รายการ / nothing imported: "
                                   "%d problems" % (len(report.problems), len(report.problems)))
    click.echo("นำเข้าสถานะ %d ชุดข้อมูล / %d dataset states imported"
               % (report.imported, report.imported))


@gdcatalog.command("refresh-states")
def refresh_states() -> None:
    """Queue a background job that asks the GD Catalog's status API for every public
    dataset's state (run it from cron; ``ckan jobs worker`` does the work)."""
    if not status_api.status_url():
        raise click.ClickException("ยังไม่ได้ตั้งค่า ckanext.mofcompliance.gdcatalog_status_url"
                                   " / ckanext.mofcompliance.gdcatalog_status_url is not set")
    job = status_api.enqueue_refresh()
    click.echo("งาน %s เข้าคิวแล้ว / job %s queued" % (job.id, job.id))
