"""สถานะจาก GD Catalog / Registration states refreshed from the GD Catalog's status API.

Only in a background job (``enqueue_refresh``), never while a page renders: the GD Catalog
may be slow or down. The request (thai_gdc's, one dataset at a time, batched here):

    POST <ckanext.mofcompliance.gdcatalog_status_url>
    {"site_url": "<this catalog's host name>", "packages": ["<package id>", …]}

answered, CKAN-action style, with ``{"success": true, "result": {"<package id>": "<STATE>"}}``.
Up to ``BATCH_SIZE`` ids per request; unknown states are reported and skipped.

The URL comes from configuration, so a mistaken or malicious value must not turn the job
into a probe of the internal network: requests go through the shared guard
(``ckanext.mofcompliance.outbound``): the host name is resolved once, every address must
be public unless listed in ``ckanext.mofcompliance.gdcatalog_allowed_hosts``, and the
connection goes to the checked address (no second resolution, no redirects).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from .. import config, outbound
from . import registration

log = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_RESPONSE_BYTES = 5 * 1024 * 1024


class StatusApiError(Exception):
    """The status API could not be asked, or answered something unusable."""


@dataclass
class RefreshReport:
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def status_url() -> str:
    return config.gdcatalog_status_url()


def policy() -> outbound.Policy:
    """The shared guard's policy for this API: no redirects, a 5 MB answer at most."""
    seconds = config.gdcatalog_status_timeout()
    return outbound.Policy(
        allowed_hosts=frozenset(config.gdcatalog_allowed_hosts()),
        connect_timeout=seconds, read_timeout=seconds, total_timeout=seconds,
        max_bytes=MAX_RESPONSE_BYTES, max_redirects=0)


def post_json(url: str, payload: dict[str, Any]) -> Any:
    """POST ``payload`` to ``url`` through the shared outbound guard."""
    try:
        answer = outbound.request(
            "POST", url, policy(), body=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"})
    except outbound.BadUrl:
        raise StatusApiError("URL ของ status API ไม่ถูกต้อง: %s / not a usable status API "
                             "URL: %s" % (url, url)) from None
    except outbound.RefusedAddress as error:
        raise StatusApiError(str(error)) from None
    except outbound.OutboundError as error:
        raise StatusApiError("ติดต่อ status API ไม่ได้ / status API unreachable: %s"
                             % error) from None
    if answer.status != 200:
        raise StatusApiError("status API ตอบ HTTP %d / status API answered HTTP %d"
                             % (answer.status, answer.status))
    if answer.truncated:
        raise StatusApiError("คำตอบของ status API ใหญ่เกินไป / the status API's answer is "
                             "too large")
    try:
        return json.loads(answer.body)
    except ValueError:
        raise StatusApiError("status API ไม่ได้ตอบเป็น JSON / status API did not answer "
                             "JSON") from None


def _site_host() -> str:
    return urlsplit(tk.config.get("ckan.site_url") or "").hostname or ""


def ask(package_ids: Sequence[str]) -> dict[str, Any]:
    """One request: the states the GD Catalog reports for these package ids."""
    answer = post_json(status_url(), {"site_url": _site_host(), "packages": list(package_ids)})
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, dict) or answer.get("success") is False:
        raise StatusApiError("คำตอบของ status API ไม่มี result / the status API's answer has "
                             "no result mapping")
    return {pid: result[pid] for pid in package_ids if pid in result}


def public_package_ids() -> list[str]:
    """The datasets the GD Catalog may know: active, public datasets."""
    package = model.package_table
    return list(model.Session.execute(
        sa.select(package.c.id).where(package.c.state == "active", package.c.type == "dataset",
                                      package.c.private.is_(False))
        .order_by(package.c.id)).scalars())


def _batches(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start:start + BATCH_SIZE]


def _known(answered: dict[str, Any], report: RefreshReport) -> dict[str, str]:
    states = {}
    for package_id, value in answered.items():
        state = registration.known_state(value)
        if not state:
            report.problems.append("ชุดข้อมูล %s: ไม่รู้จักสถานะ %r / dataset %s: unknown "
                                   "state %r" % (package_id, value, package_id, value))
        else:
            states[package_id] = state
    return states


def refresh() -> RefreshReport:
    """Ask for every public dataset's state, a batch at a time; a batch that fails is
    reported and the others are still stored."""
    report = RefreshReport()
    if not status_url():
        report.problems.append("ยังไม่ได้ตั้งค่า gdcatalog_status_url / "
                               "ckanext.mofcompliance.gdcatalog_status_url is not set")
        return report
    for batch in _batches(public_package_ids()):
        try:
            states = _known(ask(batch), report)
        except StatusApiError as error:
            report.problems.append(str(error))
            continue
        registration.store(states, "status_api")
        model.Session.commit()
        report.updated += len(states)
    return report


def refresh_job() -> int:
    """``refresh`` as a CKAN background job (``ckan jobs worker`` runs it)."""
    report = refresh()
    for problem in report.problems:
        log.warning("GD Catalog status: %s", problem)
    return report.updated


def enqueue_refresh() -> Any:
    return tk.enqueue_job(refresh_job, title="mofcompliance GD Catalog registration states")
