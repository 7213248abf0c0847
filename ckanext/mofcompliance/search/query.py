"""Answering CKAN's package queries from the PostgreSQL search index.

``PgPackageSearchQuery.run`` takes the Solr-style query dict that
``package_search`` (and core code calling the query object directly) builds,
and fills ``count``, ``results`` and ``facets`` exactly as
``ckan.lib.search.query.PackageSearchQuery`` does.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
from ckan.common import _, config
from ckan.lib.search.common import SearchError, SearchQueryError
from ckan.lib.search.query import (
    MAGIC_FIELD_RE, QUERY_PARSER_RE, VALID_SOLR_PARAMETERS, SearchQuery,
)

from . import counts, lucene
from .model import search_facet_table, search_index_table
from .sql import Compiler, like_pattern, wide_field

TABLE = search_index_table.name
FACET_TABLE = search_facet_table.name
COLUMN_RESULTS = ("id", "name", "title", "state", "capacity", "site_id")
MULTI_VALUED = re.compile(r"^(tags|groups|permission_labels|urls|res_.*|vocab_.*)$")
SORT_COLUMNS = {
    "title_string": 'title COLLATE "C"',
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "name": "name",
    "id": "id",
}


# the columns a page can be sorted by from the pass that counts the matches (SORT_COLUMNS')
PAGE_SORTS = ("title", "name", "metadata_modified", "metadata_created")
# From this many matches (known from the kept counts) a page of a search filtered by a
# value is listed by walking the newest-first index: it reads about (start + rows) x
# readable / matches rows, fewer than gathering and sorting every match.
WALK_NEWEST_FROM = 1000


def _sort_columns(order_by: str) -> list[str]:
    """The columns of ``PAGE_SORTS`` an ORDER BY reads: only they are kept with each
    match (at 24,000 matches, every column more is a megabyte the matches spill over
    ``work_mem`` with)."""
    return [c for c in PAGE_SORTS if re.search(r"\b%s\b" % c, order_by)]


def _fl_fields(fl: Any) -> list[str]:
    if isinstance(fl, (list, tuple)):
        fl = " ".join(fl)
    return [f for f in re.split(r"[\s,]+", fl or "") if f]


def _check_no_local_params(query: dict[str, Any]) -> None:
    """Solr's local parameters and magic fields have no meaning here: refuse them."""
    for key, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and (MAGIC_FIELD_RE.search(item)
                                          or QUERY_PARSER_RE.search(item)):
                raise SearchError("Local parameters are not supported in param '%s'." % key)


def _parse(text: str, what: str) -> lucene.Node:
    try:
        return lucene.parse(text)
    except lucene.QuerySyntaxError as error:
        raise SearchQueryError("Invalid %s: %s" % (what, error)) from error


def _compile(compiler: Compiler, node: lucene.Node, collect_terms: bool = False) -> str:
    try:
        return compiler.compile(node, collect_terms)
    except lucene.UnsupportedOperator as error:
        raise SearchQueryError(_unsupported(error)) from error


def _unsupported(error: lucene.UnsupportedOperator) -> str:
    """The refusal in the user's language, naming the operator as it was written."""
    if error.operator == "proximity search":
        return _('Proximity search (%(example)s) is not supported: search the phrase '
                 'without "~" and a number, or its words one by one.') % {
                     "example": error.example}
    return _('Fuzzy search (%(example)s) is supported in the full text and in text fields '
             '(title, notes …), not in the field "%(field)s".') % {
                 "example": error.example, "field": error.field}


def _unwrap(key: str, values: list[str]) -> Any:
    if MULTI_VALUED.match(key) or len(values) > 1:
        return values
    return values[0] if values else None


def _iso(value: Any) -> Optional[str]:
    return value.isoformat() + "Z" if value is not None else None


def row_document(row: Any) -> dict[str, Any]:
    """The full stored document of an index row, as Solr would return it."""
    doc = {key: _unwrap(key, values) for key, values in row.fields.items()}
    doc.update({c: getattr(row, c) for c in COLUMN_RESULTS})
    doc["metadata_created"] = _iso(row.metadata_created)
    doc["metadata_modified"] = _iso(row.metadata_modified)
    doc["permission_labels"] = list(row.permission_labels)
    doc["data_dict"] = row.data_dict
    doc["validated_data_dict"] = row.validated_data_dict
    return doc


class PgPackageSearchQuery(SearchQuery):
    """CKAN's ``PackageSearchQuery``, answered by PostgreSQL."""

    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        rows = model.Session.execute(sa.text(
            "SELECT id FROM %s WHERE site_id = :site AND state = 'active' "
            "ORDER BY id LIMIT :limit" % TABLE),
            {"site": config.get("ckan.site_id"), "limit": max_results})
        return [r.id for r in rows]

    def get_index(self, reference: str) -> dict[str, Any]:
        if not isinstance(reference, str):
            # CKAN 2.12's bulk private/public updates pass a one-column result row.
            reference = str(reference[0])
        row = model.Session.execute(sa.text(
            "SELECT * FROM %s WHERE site_id = :site AND (id = :ref OR name = :ref) "
            "LIMIT 1" % TABLE), {"site": config.get("ckan.site_id"), "ref": reference}).first()
        if row is None:
            raise SearchError("Dataset not found in the search index: %s" % reference)
        return row_document(row)

    def run(self, query: dict[str, Any], permission_labels: Optional[list[str]] = None,
            **kwargs: Any) -> dict[str, Any]:
        invalid = set(query.keys()) - VALID_SOLR_PARAMETERS
        if invalid:
            raise SearchQueryError("Invalid search parameters: %s" % sorted(invalid))
        _check_no_local_params(dict(query))

        where, params, rank, keys = self._where(query, permission_labels)
        rows = int(query.get("rows", 10))
        start = int(query.get("start", 0) or 0)
        fl = _fl_fields(query.get("fl") or "name")

        page: Optional[dict[str, Any]] = None
        if rank != "0" and rows > 0:
            # With text, the page is ranked from the same pass over the matches as the count
            # and the facets (the text's matches read from the table once, not twice),
            # unless it is sorted by a field the pass does not keep.
            merged: dict[str, Any] = {"_limit": rows, "_offset": start}
            order_by = self._order_by(query.get("sort"), "score", merged)
            if len(merged) == 2 and "fields" not in order_by:
                page = dict(merged, _order_by=order_by, _rank=rank)
        kept = None if rank != "0" else counts.read(
            query.get("q"), self._filters(query), permission_labels, self._facet_fields(query))
        if kept is not None:
            self.count, self.facets, ranked = kept[0], self._facets(kept[1], query), None
            if self.count >= WALK_NEWEST_FROM:
                where, params, rank, keys = self._where(query, permission_labels, True)
        else:
            table = TABLE if keys is None or page is not None else self._table(query, keys)
            self.count, self.facets, ranked = self._count_and_facets(
                where, params, query, page, table)
        if ranked is None:
            ranked = self._ranked(where, params, rank, query.get("sort"), rows, start)
        self.results = self._page(ranked, fl)
        return {"results": self.results, "count": self.count}

    def _table(self, query: dict[str, Any], keys: set[str]) -> str:
        """The narrow facet rows when the conditions and the facets read only what they
        hold (no text, no text field), else the index rows."""
        if any(wide_field(key) for key in keys | set(self._facet_fields(query))):
            return TABLE
        return FACET_TABLE

    def _where(self, query: dict[str, Any], labels: Optional[list[str]],
               walk_newest: bool = False
               ) -> tuple[str, dict[str, Any], str, Optional[set[str]]]:
        """The condition, its parameters, the relevance expression and the ``fields`` keys
        the condition reads (None when it reads the text or a text field); with
        ``walk_newest``, exact values matched without the GIN index (``sql.Compiler``)."""
        compiler = Compiler(walk_newest=walk_newest)
        q = query.get("q")
        if not q or q in ('""', "''"):
            q = "*:*"
        conditions = [_compile(compiler, _parse(q, "query"), collect_terms=True)]
        filters = self._filters(query)
        conditions.extend(_compile(compiler, _parse(f, "filter query")) for f in filters if f)
        conditions.append("site_id = %s" % compiler.param(config.get("ckan.site_id")))
        if not any("+state:" in f for f in filters):
            conditions.append("state = 'active'")
        if labels is not None:
            conditions.append("permission_labels && CAST(%s AS text[])" % compiler.param(list(labels)))
        keys = None if compiler.reads_text else compiler.keys
        return " AND ".join(conditions), compiler.params, self._rank(compiler), keys

    @staticmethod
    def _filters(query: dict[str, Any]) -> list[str]:
        filters = [query["fq"]] if isinstance(query.get("fq"), str) else list(query.get("fq") or [])
        return filters + list(query.get("fq_list") or [])

    @staticmethod
    def _rank(compiler: Compiler) -> str:
        """Relevance: a hit in the name or title weighs 4, in the tags 2, elsewhere 1, times
        the term's boost; a boosted field clause adds its boost when it matches."""
        parts = []
        for term, boost in compiler.text_terms:
            pattern = compiler.param(like_pattern(term))
            # lower(...) LIKE rather than ILIKE, the same match: in a UTF-8 database ILIKE
            # lower-cases the value and the pattern on every row (EXPLAIN ANALYZE,
            # 6,000 matches: the score took 25-30 ms with ILIKE, 8 ms with lower()).
            parts.append(
                "(CASE WHEN lower(title) LIKE {p} THEN 4 ELSE 0 END"
                " + CASE WHEN lower(name) LIKE {p} THEN 4 ELSE 0 END"
                " + CASE WHEN lower(fields ->> 'tags') LIKE {p} THEN 2 ELSE 0 END"
                " + 1)".format(p=pattern) + ("" if boost == 1 else " * %s" % compiler.param(boost)))
        parts.extend("CASE WHEN %s THEN %s ELSE 0 END" % (condition, compiler.param(boost))
                     for condition, boost in compiler.boosted)
        return " + ".join(parts) or "0"

    def _order_by(self, sort: Optional[str], rank: str, params: dict[str, Any]) -> str:
        clauses = []
        for part in (sort or "score desc, metadata_modified desc").split(","):
            words = part.split()
            if not words:
                continue
            if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
                raise SearchQueryError('Invalid "sort" parameter')
            field, direction = words[0], words[1].upper()
            if field == "score":
                if rank == "0":
                    continue  # no free-text terms: every row scores the same
                expression = "(%s)" % rank
            elif field in SORT_COLUMNS:
                expression = SORT_COLUMNS[field]
            elif re.match(r"^[A-Za-z0-9_\-]+$", field):
                key = "sort_%d" % len(params)
                params[key] = field
                expression = "(fields -> :%s ->> 0)" % key
            else:
                raise SearchQueryError('Invalid "sort" parameter')
            clauses.append("%s %s NULLS LAST" % (expression, direction))
        clauses.append("id ASC")
        return ", ".join(clauses)

    def _ranked(self, where: str, params: dict[str, Any], rank: str, sort: Optional[str],
                rows: int, start: int) -> list[Any]:
        """The page's ids and scores, in order."""
        if rows <= 0:
            return []
        params = dict(params, _limit=rows, _offset=start)
        order_by = self._order_by(sort, rank, params)
        # The page's ids first, then its rows: sorting whole rows would carry (and
        # de-TOAST) every match's serialised dataset dicts through the sort.
        return model.Session.execute(sa.text(
            "SELECT id, (%s) AS score FROM %s WHERE %s ORDER BY %s LIMIT :_limit OFFSET :_offset"
            % (rank, TABLE, where, order_by)), params).all()

    def _page(self, ranked: list[Any], fl: list[str]) -> list[Any]:
        if not ranked:
            return []
        rows_by_id = {row.id: row for row in model.Session.execute(sa.text(
            "SELECT * FROM %s WHERE id = ANY(:ids)" % TABLE), {"ids": [r.id for r in ranked]})}
        docs = [self._result(rows_by_id[r.id], r.score, fl) for r in ranked]
        if fl in (["id"], ["name"]):
            return [doc.get(fl[0]) for doc in docs]
        return docs

    @staticmethod
    def _result(row: Any, score: Any, fl: list[str]) -> dict[str, Any]:
        doc = row_document(row)
        doc["score"] = float(score)
        if "*" not in fl:
            doc = {key: doc[key] for key in fl if key in doc}
        extras = {key[len("extras_"):]: doc.pop(key) for key in list(doc)
                  if key.startswith("extras_")}
        if extras:
            doc["extras"] = extras
        return doc

    @staticmethod
    def _facet_fields(query: dict[str, Any]) -> list[str]:
        fields = query.get("facet.field") or []
        if isinstance(fields, str):
            fields = json.loads(fields) if fields.startswith("[") else [fields]
        if str(query.get("facet", "true")).lower() == "false":
            return []
        return list(dict.fromkeys(fields))

    def _count_and_facets(self, where: str, params: dict[str, Any], query: dict[str, Any],
                          page: Optional[dict[str, Any]], table: str
                          ) -> tuple[int, dict[str, dict[str, int]], Optional[list[Any]]]:
        """The number of matches and the facet counts, in one pass over the matches of
        ``table`` (the index or its narrow facet rows), and with ``page`` (its parameters,
        ``_rank`` and ``_order_by``) the page's ids and scores in order (else None).

        Each facet is grouped by the whole stored value (a dataset's list of formats, of
        tags …): a catalog has few distinct lists, so PostgreSQL hashes a few hundred
        groups instead of expanding every match's list, and each group's count goes to
        each distinct value of its list (a dataset counts once per value, as in Solr)."""
        fields = self._facet_fields(query)
        if not fields and page is None:
            count = model.Session.execute(
                sa.text("SELECT count(*) FROM %s WHERE %s" % (table, where)), params).scalar()
            return count, {}, None
        params = dict(params, **(page or {}))
        columns, groups = ["id"], [
            "SELECT CAST(NULL AS text) AS field, CAST(NULL AS jsonb) AS list, count(*) AS n, "
            "CAST(NULL AS text) AS id, CAST(NULL AS float8) AS score, "
            "CAST(NULL AS bigint) AS position FROM matches"]
        for number, field in enumerate(fields):
            key = "facet_%d" % number
            params[key] = field
            columns.append("fields -> :%s AS %s" % (key, key))
            groups.append("SELECT CAST(:{k} AS text), {k}, count(*), NULL, NULL, NULL "
                          "FROM matches WHERE {k} IS NOT NULL GROUP BY {k}".format(k=key))
        if page is not None:
            columns.append("(%s) AS score" % params.pop("_rank"))
            columns.extend(_sort_columns(page["_order_by"]))
            # numbered after a top-N sort of the matches (a bounded heap, not a sort of
            # them all: 24,000 matches at 200,000 datasets)
            groups.append("SELECT NULL, NULL, NULL, id, CAST(score AS float8), position "
                          "FROM (SELECT id, score, row_number() OVER (ORDER BY {o}) AS position "
                          "FROM (SELECT * FROM matches ORDER BY {o} LIMIT :_offset + :_limit) "
                          "AS top) AS ranked WHERE position > :_offset"
                          .format(o=params.pop("_order_by")))
        rows = model.Session.execute(sa.text(
            "WITH matches AS MATERIALIZED (SELECT %s FROM %s WHERE %s) %s"
            % (", ".join(columns), table, where, " UNION ALL ".join(groups))), params).all()
        counts: dict[str, Counter] = {field: Counter() for field in fields}
        for row in rows:
            if row.field is not None:
                values = row.list if isinstance(row.list, list) else [row.list]
                for value in set(values):
                    counts[row.field][value] += row.n
        total = next(r.n for r in rows if r.field is None and r.id is None)
        ranked = None
        if page is not None:
            ranked = sorted((r for r in rows if r.id is not None), key=lambda r: r.position)
        return total, self._facets(counts, query), ranked

    @staticmethod
    def _facets(counts: dict[str, Counter], query: dict[str, Any]
                ) -> dict[str, dict[str, int]]:
        """Solr's facet answer: per field, values by count, ``facet.limit`` and
        ``facet.mincount`` applied."""
        limit = int(query.get("facet.limit", config.get("search.facets.limit")) or -1)
        mincount = int(query.get("facet.mincount", 1))
        facets: dict[str, dict[str, int]] = {}
        for field, values in counts.items():
            ordered = sorted((item for item in values.items() if item[1] >= mincount),
                             key=lambda item: (-item[1], item[0]))
            facets[field] = dict(ordered if limit < 0 else ordered[:limit])
        return facets
