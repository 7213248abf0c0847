"""Facet counts kept, not counted (issue 25).

A search without text whose filters are only what the counts are keyed by (site, dataset
type, state, capacity; the reader's permission labels; and at most one value of a kept
field, ``organization:x`` or ``tags:y``) reads its count and facets from
``mofcompliance_search_facet_counts`` instead of counting every readable dataset: the
/dataset page as it opens and after a facet click, an organisation's page, and CKAN's
organisation and group counts. Each dataset counts in every pair of its counted values
(the filter's, the facet's): about 13 x 13 count rows a dataset.

The index keeps the counts current. Each index write notes, for the narrow rows it
replaces or deletes, the row as it was (read ``FOR UPDATE``: a concurrent write of the
same dataset waits, then reads what it committed) and the row as it is now (``note``); the
session adds the changes up, and just before its transaction commits (``apply``, after
CKAN's own ``before_commit`` has indexed the datasets the transaction changed) writes
them in one statement, rows in key order: two transactions lock the count rows they
share in the same order and never deadlock. A write that changes no counted value
changes no count and locks none. ``recount`` counts afresh from the narrow rows
(``search-index rebuild``, and migration ``d8c3a5f1e927``).
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Mapping, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
from ckan.common import config

from .. import config as settings
from . import lucene
from .model import COUNT_KEY, facet_count_table, kept_field_table, search_facet_table
from .sql import exact_field

TOTAL = ""  # the field (and value) of the rows that count the datasets themselves
KEYED = ("site_id", "dataset_type", "state", "capacity")
BY = "by"  # in ``Constraints``: the (field, value) a search is filtered by
DELTAS = "mofcompliance_facet_count_deltas"  # the session's changes, in ``Session.info``
COUNTS, KEPT = facet_count_table.name, kept_field_table.name
Key = tuple[Any, ...]
Constraints = dict[str, frozenset[Any]]


def kept_fields() -> list[str]:
    """The fields the index keeps counts of: those of ``search.kept_facets`` whose values
    a filter matches exactly (free text, columns and dates are left out)."""
    return [field for field in settings.search_kept_facets() if exact_field(field)]


def counted_values(row: Mapping[str, Any], fields: Iterable[str]) -> list[tuple[str, str]]:
    """A narrow row's counted values: ("", "") and each distinct value of each kept field
    (a dataset counts once per value, as in Solr)."""
    found = [(TOTAL, TOTAL)]
    for field in fields:
        values = row["fields"].get(field)
        if values is not None:
            listed = values if isinstance(values, list) else [values]
            found.extend((field, value) for value in sorted({str(v) for v in listed}))
    return found


def contributions(row: Mapping[str, Any], fields: Iterable[str]) -> list[Key]:
    """The count rows a narrow row counts once in: one per pair of its counted values."""
    labels = tuple(sorted(set(row["permission_labels"] or [])))
    scope = (row["dataset_type"] or "", row["state"] or "", row["capacity"] or "")
    values = counted_values(row, fields)
    return [(row["site_id"], *by, field, labels, *scope, value)
            for by in values for field, value in values]


def locked_rows(condition: Any) -> Sequence[Mapping[str, Any]]:
    """The narrow rows ``condition`` selects, as they are now, locked until commit."""
    table = search_facet_table
    return model.Session.execute(
        sa.select(table.c.id, *[table.c[name] for name in KEYED[1:]], table.c.site_id,
                  table.c.permission_labels, table.c.fields)
        .where(condition).order_by(table.c.id).with_for_update()).mappings().all()


def note(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> None:
    """Count the change from the ``old`` narrow rows to the ``new`` ones at commit."""
    fields = kept_fields()
    deltas = model.Session().info.setdefault(DELTAS, Counter())
    deltas.subtract(key for row in old for key in contributions(row, fields))
    deltas.update(key for row in new for key in contributions(row, fields))


def apply(session: Any) -> None:
    """Write the session's count changes: one statement, rows in key order (the
    ``before_commit`` listener the search plugin registers)."""
    deltas = session.info.pop(DELTAS, None) or {}
    rows = [dict(zip(COUNT_KEY, [list(v) if isinstance(v, tuple) else v for v in key]),
                 count=change) for key, change in sorted(deltas.items()) if change]
    if not rows:
        return
    statement = insert(facet_count_table).values(rows)
    table = facet_count_table
    statement = statement.on_conflict_do_update(
        index_elements=list(COUNT_KEY),
        set_={"count": table.c["count"] + statement.excluded["count"]})
    written = session.execute(statement.returning(*table.c)).mappings().all()
    emptied = [{name: row[name] for name in COUNT_KEY} for row in written if row["count"] == 0]
    if emptied:  # rows this transaction holds locked: deleting them locks nothing more
        session.execute(sa.text(DELETE_EMPTIED), {"rows": json.dumps(emptied)})


# The rows a transaction's changes brought to 0, each found by its key (one statement
# however many: a purged organisation empties thousands).
DELETE_EMPTIED = "DELETE FROM %s AS c USING jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(%s) " \
    "WHERE c.count = 0 AND %s" % (
        COUNTS, ", ".join("%s %s" % (name, "text[]" if name == "permission_labels" else "text")
                          for name in COUNT_KEY),
        " AND ".join("c.%s = r.%s" % (name, name) for name in COUNT_KEY))


def forget(session: Any, transaction: Any) -> None:
    """Drop changes left when the transaction ends without a commit (a rollback)."""
    if transaction.parent is None:
        session.info.pop(DELTAS, None)


def recount() -> None:
    """Count the site's kept fields afresh from the narrow rows, in the caller's
    transaction. Writers of the counts wait meanwhile (a share lock on the table): each
    then adds its change to the counts of the rows as they were before it."""
    site, fields = config.get("ckan.site_id"), kept_fields()
    model.Session.execute(sa.text("LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE" % COUNTS))
    model.Session.execute(sa.text("SET LOCAL work_mem = '256MB'"))  # one grouping
    for table in (facet_count_table, kept_field_table):
        model.Session.execute(table.delete().where(table.c.site_id == site))
    model.Session.execute(sa.text(RECOUNT.format(counts=COUNTS, facets=search_facet_table.name)),
                          {"site": site, "fields": list(fields)})
    model.Session.execute(kept_field_table.insert(), [
        {"site_id": site, "field": field} for field in dict.fromkeys([TOTAL, *fields])])


def clear() -> None:
    """The site's counts, emptied with its index (an empty catalog's counts are kept)."""
    model.Session().info.pop(DELTAS, None)
    model.Session.execute(facet_count_table.delete().where(
        facet_count_table.c.site_id == config.get("ckan.site_id")))


# The narrow rows counted: each dataset once per pair of its counted values (``VALUES``,
# as ``counted_values`` lists them); labels sorted by code point (COLLATE "C"), as
# ``contributions`` sorts them.
VALUES = """
    SELECT '' AS field, '' AS value
    UNION
    SELECT e.key, v.value
    FROM unnest(CAST(:fields AS text[])) AS e(key)
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(f.fields -> e.key)
        WHEN 'array' THEN f.fields -> e.key ELSE jsonb_build_array(f.fields -> e.key)
        END) AS v(value)
    WHERE f.fields ? e.key"""
RECOUNT = """
INSERT INTO {counts} (site_id, filter_field, filter_value, dataset_type, state, capacity,
                      permission_labels, field, value, count)
SELECT f.site_id, a.field, a.value, COALESCE(f.dataset_type, ''), COALESCE(f.state, ''),
       COALESCE(f.capacity, ''),
       ARRAY(SELECT DISTINCT l COLLATE "C" FROM unnest(f.permission_labels) AS l ORDER BY 1),
       b.field, b.value, count(*)
FROM {facets} AS f CROSS JOIN LATERAL (%s) AS a CROSS JOIN LATERAL (%s) AS b
WHERE f.site_id = :site
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
""" % (VALUES, VALUES)


# ---------------------------------------------------------------- reading the counts

def read(q: Optional[str], filters: list[str], labels: Optional[list[str]],
         fields: list[str]) -> Optional[tuple[int, dict[str, Counter]]]:
    """The number of matches and the facet counts of a search, read from the kept
    counts; None when they cannot answer it (text, another filter, a facet not kept)."""
    constraints = _search_constraints(q, filters)
    if constraints is None:
        return None
    (by,) = constraints.pop(BY, {(TOTAL, TOTAL)})
    if not set(fields) | {by[0]} <= _complete_fields():
        return None
    params: dict[str, Any] = {"fields": [TOTAL, *fields], "by_field": by[0], "by_value": by[1]}
    conditions = ["filter_field = :by_field", "filter_value = :by_value", "field = ANY(:fields)"]
    for column, values in constraints.items():
        params[column] = sorted(values)
        conditions.append("%s = ANY(:%s)" % (column, column))
    if labels is not None:
        # the label sets the reader holds a label of, each read as a prefix of the key
        params["labels"] = list(labels)
        conditions.append(
            "permission_labels IN (SELECT permission_labels FROM %s WHERE site_id = "
            "ANY(:site_id) AND filter_field = '' AND filter_value = '' AND field = '' "
            "AND permission_labels && CAST(:labels AS text[]))" % COUNTS)
    found: dict[str, Counter] = {field: Counter() for field in [TOTAL, *fields]}
    for row in model.Session.execute(sa.text(
            "SELECT field, value, sum(count) AS n FROM %s WHERE %s GROUP BY field, value "
            "HAVING sum(count) > 0" % (COUNTS, " AND ".join(conditions))), params):
        found[row.field][row.value] = int(row.n)
    return found.pop(TOTAL)[TOTAL], found


def _complete_fields() -> set[str]:
    """The fields the index keeps and whose counts are complete."""
    complete = model.Session.execute(sa.select(kept_field_table.c.field).where(
        kept_field_table.c.site_id == config.get("ckan.site_id"))).scalars().all()
    if TOTAL not in complete:
        return set()
    return set(complete) & {TOTAL, *kept_fields()}


def _search_constraints(q: Optional[str], filters: list[str]) -> Optional[Constraints]:
    """The values each keyed column may take in a search without text whose filters
    read only keyed columns, with the conditions ``query.py`` adds (the site, and the
    active state unless a filter asks for ``+state:``); else None."""
    if q and q not in ('""', "''") and not isinstance(lucene.parse(q), lucene.MatchAll):
        return None
    constraints = _all([{"site_id": frozenset([config.get("ckan.site_id")])}]
                       + [_constraints(lucene.parse(text)) for text in filters])
    if constraints is not None and not any("+state:" in text for text in filters):
        constraints = _both(constraints, {"state": frozenset(["active"])})
    return constraints


def _all(parts: Iterable[Optional[Constraints]]) -> Optional[Constraints]:
    """The constraints of all ``parts`` together; None when one is None or they clash."""
    merged: Optional[Constraints] = {}
    for part in parts:
        merged = None if part is None or merged is None else _both(merged, part)
    return merged


def _both(one: Constraints, other: Constraints) -> Optional[Constraints]:
    """Both filters' constraints; None when both filter by a counted value (the counts
    are kept for one at a time)."""
    if BY in one and BY in other:
        return None
    return {column: one.get(column, values) & other.get(column, values)
            for column, values in {**one, **other}.items()}


def _constraints(node: lucene.Node) -> Optional[Constraints]:
    """A filter as the values of keyed columns it allows and the counted value it asks
    for, when it is only that: ``a:x``, ``a:(x OR y)`` for a keyed column, ``field:x``,
    and conjunctions of them."""
    if isinstance(node, lucene.MatchAll):
        return {}
    if isinstance(node, lucene.Term):
        if node.field is None or node.is_wildcard or node.fuzzy or node.slop:
            return None
        if node.field in KEYED:
            return {node.field: frozenset([node.value])}
        return {BY: frozenset([(node.field, node.value)])}
    if isinstance(node, lucene.And):
        return _all(_constraints(child) for child in node.nodes)
    if isinstance(node, lucene.Or):
        parts = [_constraints(child) for child in node.nodes]
        columns = {column for part in parts if part is not None for column in part}
        if any(part is None or len(part) != 1 for part in parts) or columns - set(KEYED) \
                or len(columns) != 1:
            return None
        (column,) = columns
        return {column: frozenset().union(*(part[column] for part in parts if part))}
    return None
