"""``ckan mofcompliance worker`` (one job worker on every queue the extension uses) and
``ckan mofcompliance doctor``."""
from __future__ import annotations

import sys

import click

from ckan.lib import jobs

from . import doctor
from .queues import extension_queues

PROBLEM = 1


@click.command(short_help="Start a job worker on every queue the extension uses")
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
def worker(burst: bool) -> None:
    """Start CKAN's job worker on the default queue and the resource checker's queue
    (``ckanext.mofcompliance.quality.queue``): what the production stack's worker runs."""
    jobs.Worker(extension_queues()).work(burst=burst)


@click.command("doctor", short_help="Check a running site: one line per check, ok or what to do")
@click.option("--only", "only", multiple=True, type=click.Choice(list(doctor.CHECKS)),
              help="Run only this check (repeatable).")
@click.option("--skip", "skip", multiple=True, type=click.Choice(list(doctor.CHECKS)),
              help="Leave this check out (repeatable).")
def doctor_command(only: tuple[str, ...], skip: tuple[str, ...]) -> None:
    """Check the site this configuration runs: the DGA schema, plugin order, KPI profiles,
    migrations, Redis, search, a worker on each queue, storage, site_url and the outbound
    guard. Exit status 1 when any check finds a problem (the compose healthcheck)."""
    names = [name for name in (only or doctor.CHECKS) if name not in skip]
    findings = doctor.run(names)
    for finding in findings:
        click.echo(finding.line())
    if not all(finding.ok for finding in findings):
        sys.exit(PROBLEM)
