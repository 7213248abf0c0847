"""Current KPI summaries without recomputing the whole catalog on every page view.

A summary is cached per owner (an organisation, or "" for the site), profile version
(``profile_key``: an edited profile file with a new ``version`` is never answered with the
old one's numbers) and view (all datasets, or public ones only). Every change that can
alter a summary marks it stale in the change's own transaction (``invalidate``), so a
summary is either current or recomputed when read: never stale on screen. A read never
writes: what it had to compute is stored by a background job (``summaries.refresh_job``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from .. import config
from ..model import kpi_cache_table
from ..kpi import profiles

SITE = ""
VERIFIED = "+verified"


def invalidate(owners: Iterable[str]) -> None:
    """Mark the summaries of these owners, and the site's, stale (in the caller's
    transaction). Rows already stale are not touched, so concurrent saves do not queue
    on the site's row."""
    table = kpi_cache_table
    model.Session.execute(table.update().where(
        table.c.owner.in_(set(owners) | {SITE}), table.c.stale.is_(False)).values(stale=True))


def invalidate_all() -> None:
    """Mark every summary stale (a rescore, a purge)."""
    model.Session.execute(kpi_cache_table.update().values(stale=True))


def profile_key(profile_id: str) -> str:
    """The cache's key of a profile: its id and the version loaded now ("fy2568@draft-2"),
    marked when the summaries count the verified open level (``verify_openness``), so
    switching the option never serves the other's."""
    key = "%s@%s" % (profile_id, profiles.load_profile(profile_id).version)
    return key + VERIFIED if config.verify_openness() else key


def fresh(owners: Iterable[str], profile_id: str, public_only: bool) -> dict[str, Any]:
    table = kpi_cache_table
    rows = model.Session.execute(sa.select(table.c.owner, table.c.payload).where(
        table.c.owner.in_(list(owners)), table.c.profile == profile_key(profile_id),
        table.c.public_only.is_(public_only), table.c.stale.is_(False)))
    return {owner: payload for owner, payload in rows}


def store(payloads: dict[str, Any], profile_id: str, public_only: bool) -> None:
    """Store computed summaries (in the caller's transaction: a job's or a write's)."""
    if not payloads:
        return
    rows = [{"owner": owner, "profile": profile_key(profile_id), "public_only": public_only,
             "stale": False, "payload": payload, "computed_at": datetime.utcnow()}
            for owner, payload in payloads.items()]
    statement = insert(kpi_cache_table)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["owner", "profile", "public_only"],
        set_={k: statement.excluded[k] for k in ("stale", "payload", "computed_at")}), rows)
