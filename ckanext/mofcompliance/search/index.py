"""Writing datasets into the PostgreSQL search index.

The document is built the way CKAN's Solr indexer builds its own
(``ckan.lib.search.index.PackageSearchIndex.index_package``): extras flattened
into the main namespace, tags, groups, organisation name, resource fields as
``res_*`` lists, ``capacity`` from ``private``, ``dataset_type``, the
``before_dataset_index`` hook and the permission labels, so that every ``fq``
and facet a CKAN client knows finds the same field here.

Rows are written with the caller's SQLAlchemy session: called from CKAN's
``IDomainObjectModification`` notification (before commit), the index row
commits or rolls back with the dataset itself.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins as p
from ckan.common import config
from ckan.lib.navl.dictization_functions import MissingNullEncoder
from ckan.lib.search.common import SearchIndexError
from ckan.lib.search.index import SearchIndex

from . import counts
from .model import search_facet_table, search_index_table
from .sql import normalise_text, wide_field

log = logging.getLogger(__name__)

# Kept in their own columns (``row_document`` puts them back): left out of ``fields`` so
# that a row stays under the table's 4 kB tuple target and nothing PostgreSQL reads per
# match (``fields``, ``search_text``, ``title``) is moved out of line.
COLUMN_FIELDS = {"id", "name", "title", "site_id", "metadata_created", "metadata_modified"}

RESOURCE_FIELDS = {
    "name": "res_name",
    "description": "res_description",
    "format": "res_format",
    "url": "res_url",
    "resource_type": "res_type",
}
# Values of these fields are read by full-text queries (Solr's copyField to ``text``).
TEXT_SOURCES = (
    "name", "title", "notes", "tags", "groups", "organization", "organization_title",
    "res_name", "res_description", "maintainer", "author", "url", "license_id",
)

FACET_COLUMNS = [c.name for c in search_facet_table.columns if c.name != "fields"]


def _as_strings(value: Any) -> list[str]:
    """Index values as lists of strings (Solr's field values, all of them)."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in _as_strings(v)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, sort_keys=True, ensure_ascii=False)]
    return [str(value)]


def _parse_timestamp(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).rstrip("Z"))


def _flatten(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The searchable document: extras, tags, groups and resources flattened."""
    doc = {k: v for k, v in pkg_dict.items()
           if k not in ("extras", "tags", "groups", "resources", "organization",
                        "relationships_as_subject", "relationships_as_object")}
    for extra in pkg_dict.get("extras") or []:
        key = "".join(c for c in extra["key"] if c.isalnum() or c in "_-")
        doc["extras_" + key] = extra["value"]
        doc.setdefault(key, extra["value"])
    tags = pkg_dict.get("tags") or []
    doc["tags"] = [t["name"] for t in tags if not t.get("vocabulary_id")]
    for tag in tags:
        if tag.get("vocabulary_id"):
            vocabulary = model.Vocabulary.get(tag["vocabulary_id"])
            if vocabulary:
                doc.setdefault("vocab_" + vocabulary.name, []).append(tag["name"])
    doc["groups"] = [g["name"] for g in pkg_dict.get("groups") or []]
    organization = pkg_dict.get("organization") or {}
    doc["organization"] = organization.get("name")
    doc["organization_title"] = organization.get("title")
    for resource in pkg_dict.get("resources") or []:
        for source, target in RESOURCE_FIELDS.items():
            doc.setdefault(target, []).append(resource.get(source) or "")
        for key in model.Resource.get_extra_columns():
            doc.setdefault("res_extras_" + key, []).append(resource.get(key) or "")
    doc["capacity"] = "private" if pkg_dict.get("private") else "public"
    doc["dataset_type"] = pkg_dict.get("type")
    doc["entity_type"] = "package"
    doc["site_id"] = config.get("ckan.site_id")
    if pkg_dict.get("title"):
        doc["title_string"] = pkg_dict["title"]
    return doc


def _search_text(doc: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in TEXT_SOURCES:
        parts.extend(_as_strings(doc.get(key)))
    for key, value in doc.items():
        if key.startswith("extras_"):
            parts.extend(_as_strings(value))
    return normalise_text("\n".join(parts))


def _validated_dict(pkg_dict: dict[str, Any]) -> str:
    package_plugin = lib_plugins.lookup_package_plugin(pkg_dict.get("type"))
    validated, _errors = lib_plugins.plugin_validate(
        package_plugin, {"model": model, "session": model.Session},
        pkg_dict, package_plugin.show_package_schema(), "package_show")
    return json.dumps(validated, cls=MissingNullEncoder)


def build_row(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The index row of one dataset, as CKAN's ``package_show`` returns it."""
    validated_data_dict = _validated_dict(pkg_dict)
    data_dict = json.dumps(pkg_dict)
    doc = _flatten(pkg_dict)
    # Index hooks see the serialised dicts too, as they do with CKAN's Solr indexer.
    doc.update(data_dict=data_dict, validated_data_dict=validated_data_dict)
    for plugin in p.PluginImplementations(p.IPackageController):
        doc = plugin.before_dataset_index(doc)
    data_dict = doc.pop("data_dict", data_dict)
    validated_data_dict = doc.pop("validated_data_dict", validated_data_dict)
    dataset = model.Package.get(pkg_dict["id"])
    labels = lib_plugins.get_permission_labels().get_dataset_labels(dataset) if dataset else []
    fields = {key: _as_strings(value) for key, value in doc.items()
              if key not in COLUMN_FIELDS}
    return {
        "id": pkg_dict["id"],
        "site_id": config.get("ckan.site_id"),
        "name": pkg_dict["name"],
        "title": (pkg_dict.get("title") or "").lstrip(),
        "state": pkg_dict.get("state"),
        "capacity": doc["capacity"],
        "dataset_type": doc.get("dataset_type"),
        "metadata_created": _parse_timestamp(pkg_dict.get("metadata_created")),
        "metadata_modified": _parse_timestamp(pkg_dict.get("metadata_modified")),
        "permission_labels": list(labels),
        "fields": {k: v for k, v in fields.items() if v},
        "search_text": _search_text(doc),
        "data_dict": data_dict,
        "validated_data_dict": validated_data_dict,
    }


def facet_row(row: dict[str, Any]) -> dict[str, Any]:
    """The narrow copy of an index row that searches without text count facets over."""
    narrow = {column: row[column] for column in FACET_COLUMNS}
    narrow["fields"] = {k: v for k, v in row["fields"].items() if not wide_field(k)}
    return narrow


def _upsert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    statement = insert(table).values(rows)
    columns = {c.name: statement.excluded[c.name] for c in table.columns if c.name != "id"}
    model.Session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=columns))


def upsert_rows(rows: Iterable[dict[str, Any]]) -> None:
    """Write index rows and their narrow facet rows, in the caller's transaction, and
    note the change of the facet counts (written at commit)."""
    rows = list(rows)
    if not rows:
        return
    narrow = [facet_row(row) for row in rows]
    replaced = counts.locked_rows(search_facet_table.c.id.in_([row["id"] for row in rows]))
    _upsert(search_index_table, rows)
    _upsert(search_facet_table, narrow)
    counts.note(replaced, narrow)


class PgPackageSearchIndex(SearchIndex):
    """CKAN's ``SearchIndex`` for packages, stored in PostgreSQL."""

    def update_dict(self, pkg_dict: dict[str, Any], defer_commit: bool = False) -> None:
        self.index_package(pkg_dict, defer_commit)

    def remove_dict(self, pkg_dict: dict[str, Any]) -> None:
        self.delete_package(pkg_dict)

    def index_package(self, pkg_dict: dict[str, Any] | None, defer_commit: bool = False) -> None:
        if pkg_dict is None:
            return
        if (config.get("ckan.search.remove_deleted_packages")
                and pkg_dict.get("state") in (None, "deleted")):
            self.delete_package(pkg_dict)
            return
        try:
            upsert_rows([build_row(pkg_dict)])
        except sa.exc.SQLAlchemyError as error:
            raise SearchIndexError("Could not index dataset %s: %s"
                                   % (pkg_dict.get("id"), error)) from error

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        reference = pkg_dict.get("id")
        facets = search_facet_table.c
        counts.note(counts.locked_rows(sa.or_(facets.id == reference,
                                              facets.name == reference)), [])
        for table in (search_facet_table, search_index_table):
            model.Session.execute(table.delete().where(
                sa.or_(table.c.id == reference, table.c.name == reference)))

    def clear(self) -> None:
        for table in (search_facet_table, search_index_table):
            model.Session.execute(table.delete().where(
                table.c.site_id == config.get("ckan.site_id")))
        counts.clear()
        model.Session.commit()

    def commit(self) -> None:
        """Commit rows written outside a dataset change (CKAN's bulk private/public
        updates re-index after their own commit, then call this)."""
        model.Session.commit()
