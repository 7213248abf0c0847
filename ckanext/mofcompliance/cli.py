"""The ``ckan mofcompliance`` command group."""
from __future__ import annotations

import mimetypes
import os
from contextlib import ExitStack
from typing import Any

import click
import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from .dashboard import reminders
from .scoring import rebuild
from .scoring import reads
from .scoring.cli import profile
from .excel import cli as excel_commands
from .common.progress import progress
from .quality import jobs as quality_jobs
from .quality.cli import check_resources
from .ops import cli as ops_cli

DEMO_CATALOG = os.path.join(os.path.dirname(__file__), "demo", "catalog.yaml")
DEMO_FILES = os.path.join(os.path.dirname(__file__), "public", "mofcompliance-demo")


@click.group(short_help="DGA metadata compliance and the Data Catalog KPI")
def mofcompliance() -> None:
    """DGA metadata compliance and the Data Catalog KPI."""


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _upsert(kind: str, data: dict[str, Any]) -> str:
    """Create ``kind`` (package or organization) by name, or update it in place."""
    try:
        existing = tk.get_action(kind + "_show")(_site_context(), {"id": data["name"]})
    except tk.ObjectNotFound:
        tk.get_action(kind + "_create")(_site_context(), data)
        return "created"
    tk.get_action(kind + "_update")(_site_context(), dict(data, id=existing["id"]))
    return "updated"


def _demo_dataset(entry: dict[str, Any], organization: str) -> dict[str, Any]:
    dataset = {k: v for k, v in entry.items() if k != "resources"}
    dataset.update(owner_org=organization, tags=[{"name": tag} for tag in entry.get("tags", [])])
    return dataset


def _uploads(entry: dict[str, Any], ids: dict[str, str], files: ExitStack
             ) -> list[dict[str, Any]]:
    """The dataset's resources as uploads of the demo's files (a resource already there,
    by name, keeps its id: its checks stay with it)."""
    resources = []
    for resource in entry.get("resources", []):
        path = os.path.join(DEMO_FILES, resource["file"])
        stream = files.enter_context(open(path, "rb"))
        upload = FileStorage(stream=stream, filename=resource["file"],
                             content_type=mimetypes.guess_type(path)[0])
        fields = {k: v for k, v in resource.items() if k != "file"}
        resources.append(dict(fields, url=resource["file"], url_type="upload", upload=upload,
                              **({"id": ids[fields["name"]]} if fields["name"] in ids else {})))
    return resources


def _load_dataset(entry: dict[str, Any], organization: str) -> str:
    """Create or update a demo dataset, its files uploaded to CKAN's storage as a steward's
    form uploads them (``package_create`` takes no upload: the resources follow in an
    update)."""
    dataset = _demo_dataset(entry, organization)
    try:
        existing = tk.get_action("package_show")(_site_context(), {"id": dataset["name"]})
        outcome = "updated"
    except tk.ObjectNotFound:
        existing = tk.get_action("package_create")(_site_context(), dataset)
        outcome = "created"
    ids = {r["name"]: r["id"] for r in existing.get("resources", [])}
    with ExitStack() as files:
        tk.get_action("package_update")(_site_context(), dict(
            dataset, id=existing["id"], resources=_uploads(entry, ids, files)))
    return outcome


@mofcompliance.command("load-demo")
def load_demo() -> None:
    """Create or update the demo organisation and its datasets, their files uploaded to
    CKAN's storage (idempotent)."""
    with open(DEMO_CATALOG, encoding="utf-8") as source:
        catalog = yaml.safe_load(source)
    organization = catalog["organization"]
    click.echo("organisation %s: %s" % (organization["name"], _upsert("organization", organization)))
    site_url = tk.config.get("ckan.site_url").rstrip("/")
    for entry in catalog["datasets"]:
        try:
            outcome = _load_dataset(entry, organization["name"])
        except tk.ValidationError as error:
            raise click.ClickException(
                "dataset %s: %s" % (entry["name"], error.error_summary)) from error
        click.echo("dataset %s: %s" % (entry["name"], outcome))
    plan = dict(catalog["plan"], owner=organization["name"],
                catalog_url=catalog["plan"]["catalog_url"].format(site_url=site_url))
    tk.get_action("mofcompliance_plan_update")(_site_context(), plan)
    click.echo("plan of %s: saved" % organization["name"])


def _org_id(org: str | None) -> str | None:
    if not org:
        return None
    return tk.get_action("organization_show")(
        _site_context(), {"id": org, "include_datasets": False})["id"]


@mofcompliance.command()
@click.option("--org", help="Only this organisation (name or id).")
def rescore(org: str | None) -> None:
    """Rebuild the score store from the database (set-based reads), then take snapshots."""
    org_id = _org_id(org)
    with progress("rescoring / คำนวณใหม่") as report:
        count = rebuild.rescore(org_id, report)
    click.echo("%d datasets scored / ให้คะแนน %d ชุดข้อมูล" % (count, count))
    click.echo("%d snapshots / สแนปช็อต" % reads.take_snapshots())


@mofcompliance.command()
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
def worker(burst: bool) -> None:
    """Run the background jobs of every queue the extension uses (checks, rescore, Excel
    imports, summaries): CKAN's ``jobs worker`` on those queues."""
    from ckan.lib import jobs
    jobs.Worker(quality_jobs.worker_queues()).work(burst=burst)


@mofcompliance.command()
def snapshot() -> None:
    """Record today's score and level of every organisation (run daily from cron)."""
    click.echo("%d snapshots / สแนปช็อต" % reads.take_snapshots())


@mofcompliance.command()
@click.option("--org", help="Only this organisation (name or id).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
def remind(org: str | None, dry_run: bool) -> None:
    """Mail each maintainer the items missing in their datasets, once per problem
    (cron-friendly: a problem already mailed is not mailed again until it recurs)."""
    org_id = _org_id(org)
    # the mails are templates (templates/emails/), rendered as pages are
    with click.get_current_context().meta["flask_app"].test_request_context():
        if dry_run:
            for recipient, (_problems, body) in sorted(reminders.digests(org_id).items()):
                click.echo("To: %s\n%s" % (recipient, body))
            return
        sent = reminders.send_digests(org_id)
    click.echo("%d digests sent / ส่งแล้ว %d ฉบับ" % (len(sent), len(sent)))


mofcompliance.add_command(excel_commands.import_workbook)
mofcompliance.add_command(excel_commands.export_workbook)
mofcompliance.add_command(check_resources)
mofcompliance.add_command(profile)
mofcompliance.add_command(ops_cli.worker)
mofcompliance.add_command(ops_cli.doctor_command)
