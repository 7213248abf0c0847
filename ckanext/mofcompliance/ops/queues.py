"""The background-job queues the extension uses: one list for the worker that serves them
and for ``doctor``, which checks that a worker listens on each."""
from __future__ import annotations

from ckan.lib import jobs

from .. import config


def extension_queues() -> list[str]:
    """CKAN's default queue (rescores, NSO workbook imports, GD Catalog registration
    states) and the resource checker's own queue."""
    names = [jobs.DEFAULT_QUEUE_NAME, config.quality_queue()]
    return list(dict.fromkeys(names))
