"""Uploads waiting for their dry run or commit, their background runs and progress.

An upload is staged under CKAN's storage path with a random token; its record (who
uploaded it, for which organisation, the options, the progress of a running job and
the last outcome) lives in Redis for a day. The page, the worker and the page's
auto-refresh all read that one record. A workbook of more than
``ckanext.mofcompliance.excel.background_rows`` datasets runs as a CKAN background job.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from typing import Any, BinaryIO, Optional

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from . import importer, settings
from .settings import Limits
from .workbook import too_large

KEY = "mofcompliance:excel-import:%s"
TTL_SECONDS = 24 * 3600
STAGING_DIR = "mofcompliance-excel-imports"
CHUNK = 1024 * 1024
JOB_TIMEOUT_SECONDS = 3600


def _staging_dir() -> str:
    path = os.path.join(tk.config.get("ckan.storage_path") or tempfile.gettempdir(),
                        STAGING_DIR)
    os.makedirs(path, exist_ok=True)
    return path


def _remove_expired(directory: str) -> None:
    """Uploads never committed are removed once their record has expired."""
    oldest = time.time() - TTL_SECONDS
    for entry in os.scandir(directory):
        if entry.is_file() and entry.stat().st_mtime < oldest:
            os.remove(entry.path)


def stage(stream: BinaryIO, filename: str, organization_id: str, user: str,
          options: dict[str, Any]) -> dict[str, Any]:
    """Keep an upload for its dry run and commit; returns its record. The copy stops at
    the size limit, so an oversized upload never fills the disk."""
    directory = _staging_dir()
    _remove_expired(directory)
    token = secrets.token_hex(16)
    path = os.path.join(directory, token + ".xlsx")
    limits = Limits.from_config()
    written = _copy_limited(stream, path, limits.max_file_bytes)
    if written > limits.max_file_bytes:
        os.remove(path)
        raise too_large(written, limits)
    staged = {"token": token, "organization": organization_id, "user": user,
              "filename": filename, "path": path, "options": options, "state": "staged"}
    _save(token, staged)
    return staged


def _copy_limited(stream: BinaryIO, path: str, limit: int) -> int:
    """Copy at most ``limit + 1`` bytes; returns how many the stream held."""
    total = 0
    with open(path, "wb") as out:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            if total <= limit:
                out.write(chunk[:limit + 1 - total])
            total += len(chunk)
    return total


def record(token: str) -> Optional[dict[str, Any]]:
    raw = connect_to_redis().get(KEY % token)
    return json.loads(raw) if raw else None


def _save(token: str, data: dict[str, Any]) -> None:
    connect_to_redis().set(KEY % token, json.dumps(data, ensure_ascii=False), ex=TTL_SECONDS)


def update(token: str, **changes: Any) -> dict[str, Any]:
    data = dict(record(token) or {}, **changes)
    _save(token, data)
    return data


def remove_file(token: str) -> None:
    """Remove an upload's file (committed or refused); its record stays until it expires,
    for the report."""
    data = record(token)
    if data and os.path.exists(data["path"]):
        os.remove(data["path"])


def target(data: dict[str, Any]) -> importer.Target:
    organization = tk.get_action("organization_show")(
        {"ignore_auth": True}, {"id": data["organization"], "include_datasets": False})
    options = data["options"]
    return importer.Target(organization=organization, user=data["user"],
                           private=bool(options["private"]),
                           publish_public_category=bool(options.get("publish_public_category")))


def start(token: str, dry_run: bool, rows: int) -> dict[str, Any]:
    """Run the upload now, or queue it when it has many ``rows`` (datasets); returns the
    updated record. Both read the file afresh: the database may have changed since."""
    if rows > int(settings.option("background_rows")):
        job = tk.enqueue_job(run_job, [token, dry_run],
                             title="NSO Excel import %s" % (record(token) or {}).get("filename"),
                             rq_kwargs={"timeout": JOB_TIMEOUT_SECONDS})
        return update(token, state="queued", job=job.id, done=0, total=rows,
                      dry_run=dry_run, outcome=None)
    update(token, done=0, total=rows, dry_run=dry_run, outcome=None)
    run_job(token, dry_run)
    return record(token) or {}


def run_job(token: str, dry_run: bool) -> None:
    """The run (a background job, or inline for a small workbook): its progress and its
    outcome go to the upload's record, and so does a failure."""
    update(token, state="running")
    try:
        outcome = _run(token, dry_run)
    except Exception as error:
        update(token, state="failed", error=str(error))
        raise
    if outcome.committed:
        remove_file(token)
    update(token, state="done", outcome=outcome.as_dict())


def _run(token: str, dry_run: bool) -> importer.Outcome:
    data = record(token) or {}

    def progress(done: int, total: int) -> None:
        update(token, done=done, total=total)

    return importer.import_file(data["path"], data["filename"], target(data),
                                data["options"]["unknown_choices"], dry_run, progress)
