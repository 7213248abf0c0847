"""Datasets read in bulk, shaped as ``package_show`` returns them (extras at the top level,
tags, resources with their extras), a batch at a time: for the rescore and the grades."""
from __future__ import annotations

import json
from typing import Any, Iterator, Optional

import sqlalchemy as sa

import ckan.model as model

BATCH_SIZE = 1000


_CHILDREN = {
    "extras": """
        SELECT e.package_id, json_object_agg(e.key, e.value) AS children
        FROM package_extra e JOIN chosen ON chosen.id = e.package_id
        WHERE e.state = 'active' GROUP BY e.package_id""",
    "tags": """
        SELECT pt.package_id, json_agg(json_build_object('name', t.name)) AS children
        FROM package_tag pt JOIN tag t ON t.id = pt.tag_id JOIN chosen ON chosen.id = pt.package_id
        WHERE pt.state = 'active' AND t.vocabulary_id IS NULL GROUP BY pt.package_id""",
    "resources": """
        SELECT r.package_id, json_agg(r ORDER BY r.position) AS children
        FROM resource r JOIN chosen ON chosen.id = r.package_id
        WHERE r.state = 'active' GROUP BY r.package_id""",
}


def _package_rows(org_id: Optional[str], extras_column: bool,
                  package_ids: Optional[list[str]] = None) -> sa.sql.expression.TextClause:
    """The datasets ``_active_packages`` selects (of them, ``package_ids`` when given),
    each as its id and one JSON text: the package row with its extras, tags and resources
    gathered by PostgreSQL (one row per dataset, one pass over each table). CKAN 2.12
    keeps extras in a column of ``package``."""
    children = [c for c in _CHILDREN if not (c == "extras" and extras_column)]
    with_clauses = ",\n".join("%s AS (%s)" % (c, _CHILDREN[c]) for c in children)
    members = ", ".join("'%s', %s.children" % (c, c) for c in children)
    joins = " ".join("LEFT JOIN %s ON %s.package_id = package.id" % (c, c) for c in children)
    return sa.text("""
        WITH chosen AS (
            SELECT id FROM package WHERE state = 'active' AND type = 'dataset'
            AND (CAST(:org_id AS text) IS NULL OR owner_org = :org_id)
            AND (CAST(:ids AS text[]) IS NULL OR id = ANY(CAST(:ids AS text[])))),
        %s
        SELECT package.id, CAST(json_build_object('package', row_to_json(package), %s)
                                AS text) AS dataset
        FROM package JOIN chosen ON chosen.id = package.id %s
        ORDER BY package.id""" % (with_clauses, members, joins)).bindparams(
        org_id=org_id, ids=package_ids)


def _resource_dict(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource row as package_show shows it: its extras at the top level."""
    extras = resource.pop("extras", None)
    resource.update(json.loads(extras) if isinstance(extras, str) else extras or {})
    return resource


def package_dict(dataset: str) -> dict[str, Any]:
    """One dataset's JSON text (``package_rows``) as ``package_show`` shapes it: extras at
    the top level, tags, resources with their extras, times as ISO text."""
    parts = json.loads(dataset)
    package = parts["package"]
    package.update(package.pop("extras", None) or parts.get("extras") or {})
    package["tags"] = parts["tags"] or []
    package["resources"] = [_resource_dict(r) for r in parts["resources"] or []]
    return package


def package_rows(org_id: Optional[str] = None, batch_size: int = BATCH_SIZE,
                 package_ids: Optional[list[str]] = None) -> Iterator[list[tuple[str, str]]]:
    """Each dataset's id and JSON text, a batch at a time, from one query: unparsed, so
    that the rescore parses them in the processes that score them (``package_dict``).
    (Looking up each batch's child rows by id instead made PostgreSQL scan ``resource``,
    which has no index on ``package_id``, once per batch.)"""
    extras_column = "extras" in model.package_table.c
    rows = model.Session.execute(
        _package_rows(org_id, extras_column, package_ids),
        execution_options={"stream_results": True, "yield_per": batch_size})
    for partition in rows.partitions(batch_size):
        yield [(row.id, row.dataset) for row in partition]


def package_dicts(org_id: Optional[str] = None, batch_size: int = BATCH_SIZE,
                  package_ids: Optional[list[str]] = None) -> Iterator[list[dict[str, Any]]]:
    """Package dicts shaped as ``package_show`` returns them, a batch at a time."""
    for batch in package_rows(org_id, batch_size, package_ids):
        yield [package_dict(dataset) for _id, dataset in batch]
