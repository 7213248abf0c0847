"""``ckan mofcompliance worker``: one job worker on every queue the extension uses."""
from __future__ import annotations

import click

from ckan.lib import jobs

from .queues import extension_queues


@click.command(short_help="Start a job worker on every queue the extension uses")
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
def worker(burst: bool) -> None:
    """Start CKAN's job worker on the default queue and the resource checker's queue
    (``ckanext.mofcompliance.quality.queue``): what the production stack's worker runs."""
    jobs.Worker(extension_queues()).work(burst=burst)
