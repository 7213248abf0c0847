"""``ckan mofcompliance check-resources``: the bulk sweep."""
from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from typing import Optional

import click


from ..access.scope import organization_of
from .. import config
from . import claims, jobs, store


def _line_progress(every: int):
    """One log line per ``every`` resources (and the last), for cron and log files."""
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            rate = done / max(time.monotonic() - started, 1e-6)
            click.echo("checked %d/%d resources (%.1f/s) / ตรวจแล้ว %d จาก %d"
                       % (done, total, rate, done, total))
    return progress


@click.command("check-resources")
@click.option("--org", help="Only this organisation (name or id).")
@click.option("--stale-days", type=int, default=None,
              help="Check again what was checked this many days ago or more "
                   "(default: ckanext.mofcompliance.quality.stale_days).")
@click.option("--background", is_flag=True,
              help="Queue the checks for `ckan jobs worker` instead of running them here.")
@click.option("--every", type=int, default=100, show_default=True,
              help="Without a terminal: one progress line per this many resources.")
def check_resources(org: Optional[str], stale_days: Optional[int], background: bool,
                    every: int) -> None:
    """Check the resources never checked, whose URL changed, or whose check is stale."""
    org_id = organization_of(org)["id"] if org else None
    refs = claims.asked_at(store.due(org_id, config.quality_stale_days()
                                     if stale_days is None else stale_days),
                           datetime.now(timezone.utc))
    if background:
        job_ids = jobs.enqueue(refs)
        click.echo("%d resources queued in %d jobs on %s / เข้าคิว %d รายการ"
                   % (len(refs), len(job_ids), config.quality_queue(), len(refs)))
        return
    if sys.stdout.isatty():
        with click.progressbar(length=max(len(refs), 1),
                               label="checking resources / ตรวจทรัพยากร") as bar:
            outcomes = jobs.check_many(refs, lambda done, total: bar.update(1))
    else:
        outcomes = jobs.check_many(refs, _line_progress(max(every, 1)))
    summary = ", ".join("%s %d" % item for item in sorted(outcomes.items())) or "none"
    checked = sum(outcomes.values())
    click.echo("%d resources checked: %s / ตรวจแล้ว %d รายการ" % (checked, summary, checked))
