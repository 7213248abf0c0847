"""Turn a parsed Solr query (:mod:`.lucene`) into a parameterised SQL condition.

Values never enter the SQL text: every value, and every field name used as a
JSON key, is a bound parameter.  How a field is matched follows the field
types of CKAN's Solr schema:

- ``text`` and bare words: a case-insensitive substring of the dataset's
  search text (title, name, notes, tags, groups, organisation title, extras,
  resource names and descriptions).  Substring, not token, matching is what
  lets a Thai word be found inside a sentence written without spaces;
- the ``text``-typed fields (``title``, ``notes``, ``res_name`` …) and the
  autocomplete fields ``name_ngram`` / ``title_ngram``: a substring of that field;
- ``metadata_modified`` / ``metadata_created``: timestamps, ranges allowed;
- ``permission_labels`` and the columns ``id``, ``name``, ``state``,
  ``capacity``, ``site_id``, ``dataset_type``: exact values;
- every other field (``tags``, ``groups``, ``res_format``, ``owner_org``,
  ``organization``, ``license_id``, extras …): exact string
  values, as Solr's ``string`` fields, through a JSONB containment test that
  the GIN index answers.

Scoring and matching operators: a boost ``clause^N`` matches as the clause and counts its
relevance N times (a free-text term's weight, or N for a field clause that matches);
fuzzy ``word~`` matches a word spelled alike in the full text or a text field (pg_trgm's
word similarity, ``<%``, at its threshold, 0.6 by default; the trigram indexes answer it),
``word~0`` the word as written. Proximity ``"a b"~N`` (N > 0), and fuzzy on a field of exact
values, raise :class:`lucene.UnsupportedOperator`: Thai is written without spaces, so
the index has no word positions to measure a distance with.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

from . import lucene

TEXT_COLUMN = "search_text"
EXACT_COLUMNS = {"id", "name", "state", "capacity", "site_id", "dataset_type"}
DATE_COLUMNS = {"metadata_modified", "metadata_created"}
SUBSTRING_FIELDS = {
    "title": "lower(title)",
    "title_ngram": "lower(title)",
    "name_ngram": "lower(name)",
}
SUBSTRING_JSON_FIELDS = {
    "notes", "res_name", "res_description", "maintainer", "author", "url",
    "urls", "res_url", "organization_title",
}
# Left out of the narrow facet rows: free text (matched as substrings, never counted) and
# the flattened extras' ``extras_`` copies. Any other field is kept whole, so a search that
# reads none of these gives the same answer from either table (``query.py`` checks).
WIDE_FIELDS = SUBSTRING_JSON_FIELDS | {
    "title_string", "accessible_condition", "calculation_method", "description"}
WIDE_PREFIXES = ("extras_", "res_extras_")
_NOW_RE = re.compile(r"^NOW(?:/DAY)?(?:([+-])(\d+)(DAYS?|HOURS?|MINUTES?))?(?:/DAY)?$")
_UNITS = {"DAY": "days", "HOUR": "hours", "MINUTE": "minutes"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def wide_field(key: str) -> bool:
    """Whether an index field is left out of the narrow facet rows."""
    return key in WIDE_FIELDS or key.startswith(WIDE_PREFIXES)


def exact_field(key: str) -> bool:
    """Whether a field is held whole in the narrow facet rows and a filter matches its
    values exactly (``field:value``, as a Solr string field): a field whose counts can
    be kept."""
    special = EXACT_COLUMNS | DATE_COLUMNS | set(SUBSTRING_FIELDS) | {"text", "permission_labels"}
    return not wide_field(key) and key not in special


def normalise_text(value: str) -> str:
    """Lower-case and drop zero-width characters, for indexing and querying alike."""
    return value.translate(_INVISIBLE).lower()


def like_pattern(value: str, prefix_only: bool = False) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if prefix_only else "%" + escaped + "%"


def parse_solr_date(value: str, now: Optional[datetime] = None) -> datetime:
    """An ISO date/time or Solr's ``NOW[-nUNIT]`` as a naive UTC datetime."""
    match = _NOW_RE.match(value.upper())
    if match:
        moment = now or datetime.now(timezone.utc).replace(tzinfo=None)
        if match.group(1):
            amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
            unit = _UNITS[match.group(3).rstrip("S")]
            moment += timedelta(**{unit: amount})
        return moment
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise lucene.QuerySyntaxError("not a date: %r" % value) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class Compiler:
    """Compile one query tree; collects bound parameters and free-text terms."""

    def __init__(self, prefix: str = "p", walk_newest: bool = False) -> None:
        self.prefix = prefix
        # Exact values matched without the GIN index, so that PostgreSQL lists a page of
        # a common value by walking the newest-first index (it estimates every value
        # rare, gathers all matches through the GIN index and sorts them).
        self.walk_newest = walk_newest
        self.params: dict[str, Any] = {}
        self.text_terms: list[tuple[str, float]] = []   # (term, boost)
        self.boosted: list[tuple[str, float]] = []      # (a field clause's SQL, boost)
        self.keys: set[str] = set()  # the ``fields`` keys the conditions read
        self.reads_text = False      # whether they read the text or a text field
        self._boost = 1.0

    def param(self, value: Any) -> str:
        name = "%s%d" % (self.prefix, len(self.params))
        self.params[name] = value
        return ":" + name

    def key(self, field: str) -> str:
        """A ``fields`` key as a bound parameter, noted as read."""
        self.keys.add(field)
        return self.param(field)

    def compile(self, node: lucene.Node, collect_terms: bool = False) -> str:
        self._collect = collect_terms
        return self._node(node, negated=False)

    def _node(self, node: lucene.Node, negated: bool) -> str:
        if isinstance(node, lucene.MatchAll):
            return "TRUE"
        if isinstance(node, lucene.Not):
            return "NOT (%s)" % self._node(node.node, not negated)
        if isinstance(node, lucene.And):
            return "(%s)" % " AND ".join(self._node(n, negated) for n in node.nodes)
        if isinstance(node, lucene.Or):
            return "(%s)" % " OR ".join(self._node(n, negated) for n in node.nodes)
        if isinstance(node, lucene.Range):
            return self._range(node)
        if isinstance(node, lucene.Boost):
            return self._boosted(node, negated)
        return self._term(node, negated)

    def _boosted(self, node: lucene.Boost, negated: bool) -> str:
        """The clause as it matches; its free-text terms weigh ``factor`` times more, and
        a clause without any counts ``factor`` when it matches."""
        outer, terms = self._boost, len(self.text_terms)
        self._boost *= node.factor
        condition = self._node(node.node, negated)
        self._boost = outer
        if self._collect and not negated and len(self.text_terms) == terms:
            self.boosted.append((condition, node.factor * outer))
        return condition

    def _fuzzy(self, term: lucene.Term, column: str) -> str:
        self.reads_text = True
        return "CAST(%s AS text) <%% %s" % (self.param(normalise_text(term.value)), column)

    def _term(self, term: lucene.Term, negated: bool) -> str:
        field = term.field
        if term.slop:
            raise lucene.UnsupportedOperator(
                "proximity search", '"%s"~%d' % (term.value, term.slop), field)
        fuzzy = bool(term.fuzzy)  # word~0 is the word as written
        if field is None or field == "text":
            value = normalise_text(term.value.rstrip("*") if term.is_wildcard else term.value)
            if self._collect and not negated and value:
                self.text_terms.append((value, self._boost))
            if fuzzy:
                return self._fuzzy(term, TEXT_COLUMN)
            self.reads_text = True
            return "%s LIKE %s" % (TEXT_COLUMN, self.param(like_pattern(value)))
        if fuzzy and field not in SUBSTRING_FIELDS and field not in SUBSTRING_JSON_FIELDS:
            raise lucene.UnsupportedOperator("fuzzy search", "%s~" % term.value, field)
        if term.is_wildcard and term.value == "*":
            return self._exists(field)
        if field in SUBSTRING_FIELDS:
            if fuzzy:
                return self._fuzzy(term, SUBSTRING_FIELDS[field])
            self.reads_text = True
            pattern = like_pattern(normalise_text(term.value.rstrip("*")))
            return "%s LIKE %s" % (SUBSTRING_FIELDS[field], self.param(pattern))
        if field in SUBSTRING_JSON_FIELDS:
            self.reads_text = True
            column = "lower((fields -> %s)::text)" % self.key(field)
            if fuzzy:
                return self._fuzzy(term, column)
            pattern = like_pattern(normalise_text(term.value.rstrip("*")))
            return "%s LIKE %s" % (column, self.param(pattern))
        if field in DATE_COLUMNS:
            return "%s = %s" % (field, self.param(parse_solr_date(term.value)))
        if field == "permission_labels":
            return "permission_labels @> ARRAY[CAST(%s AS text)]" % self.param(term.value)
        if field in EXACT_COLUMNS:
            if term.is_wildcard:
                return "%s LIKE %s" % (field, self.param(like_pattern(term.value[:-1], True)))
            return "%s = %s" % (field, self.param(term.value))
        if term.is_wildcard:
            return ("EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields -> %s) v "
                    "WHERE v LIKE %s)" % (self.key(field),
                                          self.param(like_pattern(term.value[:-1], True))))
        self.keys.add(field)
        if self.walk_newest:
            return "COALESCE((fields -> %s) @> CAST(%s AS jsonb), false)" % (
                self.param(field), self.param(json.dumps([term.value])))
        return "fields @> CAST(%s AS jsonb)" % self.param(json.dumps({field: [term.value]}))

    def _exists(self, field: str) -> str:
        if field in EXACT_COLUMNS | DATE_COLUMNS or field in SUBSTRING_FIELDS:
            self.reads_text = self.reads_text or field in SUBSTRING_FIELDS
            column = SUBSTRING_FIELDS.get(field, field)
            return "%s IS NOT NULL" % column
        return "fields ? %s" % self.key(field)

    def _range(self, node: lucene.Range) -> str:
        if node.field in DATE_COLUMNS:
            column = node.field
            convert: Callable[[str], Any] = parse_solr_date
        else:
            column = "v"
            convert = str
        conditions = []
        if node.low is not None:
            operator = ">=" if node.include_low else ">"
            conditions.append("%s %s %s" % (column, operator, self.param(convert(node.low))))
        if node.high is not None:
            operator = "<=" if node.include_high else "<"
            conditions.append("%s %s %s" % (column, operator, self.param(convert(node.high))))
        condition = " AND ".join(conditions) or "TRUE"
        if column == "v":
            return ("EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields -> %s) v WHERE %s)"
                    % (self.key(node.field), condition))
        return "(%s IS NOT NULL AND %s)" % (column, condition)
