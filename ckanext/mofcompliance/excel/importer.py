"""The dry run and the all-or-nothing commit of a read workbook, through CKAN's actions.

Both are one path: every dataset of the workbook is created or updated (by its name)
with ``package_create`` / ``package_update`` — the dataset form's own validators, auth
and plugins — inside one database transaction. The dry run always rolls it back; the
commit commits it once, and only when no row was refused. So the dry run lists exactly
what the commit would refuse, and a refused commit writes nothing. A clean dry run also
says what the commit would do to the organisation's KPI (``kpi_effect``), and names the
datasets it would create private in the public category, which the commit may publish.
"""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import sqlalchemy as sa

import ckan.logic as logic
import ckan.model as model
import ckan.plugins.toolkit as tk

from ..standard import definition as std
from . import kpi_effect
from .reader import DatasetRow, Problem, Reading, ResourceRow, read_workbook
from .settings import Limits
from .workbook import Rejected

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# CKAN reports tag errors under ``tags``; the sheet shows them in the tag_string column.
ERROR_FIELDS = {"tags": "tag_string"}


@dataclass
class Target:
    """Where and as whom the workbook is imported."""
    organization: dict[str, Any]   # organization_show of the target
    user: str                      # the user whose rights the actions check
    private: bool = True           # new datasets are private until published (as thai_gdc)
    # ... except those of the public category, when the steward chose to publish them
    publish_public_category: bool = False


@dataclass
class Outcome:
    dry_run: bool
    private: bool = True           # the visibility of the datasets it creates
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    publishable: list[str] = field(default_factory=list)  # created private, public category
    kpi: list[dict[str, Any]] = field(default_factory=list)  # kpi_effect.effect's answer

    @property
    def committed(self) -> bool:
        return not self.dry_run and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "committed": self.committed, "private": self.private,
                "created": self.created, "updated": self.updated,
                "problems": [p.as_dict() for p in self.problems],
                "notices": [p.as_dict() for p in self.notices],
                "publishable": self.publishable, "kpi": self.kpi}


def import_file(path: str, filename: str, target: Target, unknown: str, dry_run: bool,
                progress: Optional[Progress] = None) -> Outcome:
    """Read the workbook at ``path`` and run it; a refused file is the outcome's one problem."""
    try:
        reading = read_workbook(path, filename, Limits.from_config(), unknown)
    except Rejected as error:
        return Outcome(dry_run=dry_run, private=target.private,
                       problems=[Problem.pair(None, None, None, None, error.thai, error.english)])
    return run(reading, target, dry_run, progress)


def run(reading: Reading, target: Target, dry_run: bool,
        progress: Optional[Progress] = None) -> Outcome:
    """Apply every dataset of ``reading`` in one transaction; commit only a clean commit run."""
    outcome = Outcome(dry_run=dry_run, private=target.private, problems=list(reading.problems),
                      notices=list(reading.notices))
    try:
        with _held_commits() as session:
            try:
                org_id = target.organization["id"]
                before = kpi_effect.stored(org_id) if dry_run else {}
                ids = _apply_all(reading, target, outcome, session, progress)
                if dry_run and not outcome.problems:
                    outcome.kpi = kpi_effect.effect(org_id, before, ids, outcome.publishable)
                if outcome.committed:
                    _index(ids)
            except BaseException:
                session.rollback()
                raise
            if not outcome.committed:
                session.rollback()
        if outcome.committed:
            _commit()
    except Exception as error:
        if not _database_lost(error):
            raise
        log.warning("NSO import of %s stopped: the database connection was lost",
                    target.organization.get("name"), exc_info=True)
        outcome.problems.append(Problem.pair(None, None, None, None, *DATABASE_LOST))
    outcome.problems.sort(key=lambda p: p.place)
    outcome.notices.sort(key=lambda p: p.place)
    return outcome


DATABASE_LOST = (
    "การเชื่อมต่อฐานข้อมูลขาดหายระหว่างนำเข้า การนำเข้าจึงไม่สำเร็จ กรุณานำเข้าอีกครั้ง "
    "(ชุดข้อมูลจับคู่ด้วยชื่อ จึงไม่ถูกสร้างซ้ำ)",
    "the connection to the database was lost during the import, so it was not completed; "
    "run it again (datasets are matched by name, none is created twice)")


def _database_lost(error: BaseException | None) -> bool:
    """A database gone mid-import (restarted, its connection cut): psycopg2's
    OperationalError, also wrapped by the search index, or SQLAlchemy's refusal to go on
    with the connection it invalidated (error 8s2b), which is what is left when CKAN 2.11
    logs and swallows the OperationalError of an indexing hook at the commit.

    PostgreSQL rolls back the transaction of a lost connection, so nothing is half
    written; a loss during the COMMIT itself is settled by running the import again."""
    while error is not None:
        if isinstance(error, sa.exc.OperationalError) or (
                isinstance(error, sa.exc.PendingRollbackError) and error.code == "8s2b"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _apply_all(reading: Reading, target: Target, outcome: Outcome, session: Any,
               progress: Optional[Progress]) -> list[str]:
    """Every dataset in turn, refused or not, so that all problems are listed at once."""
    ids = []
    for done, row in enumerate(reading.datasets, 1):
        package_id = _apply(row, target, outcome, session)
        if package_id:
            ids.append(package_id)
        if progress:
            progress(done, len(reading.datasets))
    return ids


@contextlib.contextmanager
def _held_commits() -> Iterator[Any]:
    """This thread's session, flushing where it would commit, until the import decides.

    ``defer_commit`` is honoured by package_create and package_update themselves but not
    by everything they call: CKAN 2.11's package_create creates the default resource
    views with a fresh context, which commits. Only this thread's session is affected,
    only while the import runs.
    """
    session = model.Session()
    session.commit = session.flush
    try:
        yield session
    finally:
        del session.commit


def _commit() -> None:
    try:
        model.Session.commit()
    except BaseException:
        model.Session.rollback()
        raise


def _index(ids: list[str]) -> None:
    """CKAN 2.12 leaves the search index to whoever defers a commit (2.11 indexes every
    changed dataset when the session commits): index now, inside the transaction."""
    index_update_package = getattr(logic, "index_update_package", None)
    if index_update_package:
        for package_id in ids:
            index_update_package({"ignore_auth": True}, package_id, True)


# ---------------------------------------------------------------- one dataset

def _apply(row: DatasetRow, target: Target, outcome: Outcome, session: Any) -> str | None:
    """Create or update one dataset; its problems, located in the sheet, go to ``outcome``."""
    existing = model.Package.get(row.name)
    refused = _ownership_problems(row, existing, target)
    if refused:
        outcome.problems.extend(refused)
        return None
    action = "package_update" if existing else "package_create"
    data = _update_dict(existing, row, target) if existing else _create_dict(row, target)
    try:
        package_id = tk.get_action(action)(_context(target), data)
    except tk.ValidationError as error:
        outcome.problems.extend(_located(row, error.error_dict))
        return None
    except tk.NotAuthorized:
        outcome.problems.append(_problem_at(
            row, "name", "ไม่มีสิทธิ์สร้างหรือแก้ไขชุดข้อมูลนี้ในองค์กร",
            "not authorised to create or update this dataset in the organisation"))
        return None
    _release_savepoints(session)
    (outcome.updated if existing else outcome.created).append(row.name)
    if not existing and kpi_effect.publishable(data):
        outcome.publishable.append(row.name)
    return package_id


def _context(target: Target) -> dict[str, Any]:
    # Actions change the context they are given: a fresh one for every call.
    return {"user": target.user, "defer_commit": True, "return_id_only": True}


def _release_savepoints(session: Any) -> None:
    """CKAN 2.12's package_update discards its changes when it is asked to defer the commit
    (it rolls its SAVEPOINT back) unless it returns early with ``return_id_only``, which
    leaves the SAVEPOINT open: release it into the import's transaction."""
    nested = session.get_nested_transaction()
    while nested is not None:
        nested.commit()
        nested = session.get_nested_transaction()


def _create_dict(row: DatasetRow, target: Target) -> dict[str, Any]:
    published = (target.publish_public_category
                 and std.is_public_category(row.data.get("data_category")))
    return dict(row.data, owner_org=target.organization["id"],
                private=target.private and not published,
                resources=[dict(r.data) for r in row.resources])


def _update_dict(existing: Any, row: DatasetRow, target: Target) -> dict[str, Any]:
    """The dataset as it is, with the sheet's columns written over it.

    Fields the template does not carry (the data classification, the openness facts,
    groups, extras, privacy) are kept; resources are matched by name and those the
    workbook does not list are kept: an import never deletes. A deleted dataset of the
    same name is restored (CKAN would not let a new one take its name).
    """
    shown = tk.get_action("package_show")(
        {"user": target.user, "ignore_auth": True, "use_cache": False}, {"id": existing.id})
    kept = {k: v for k, v in shown.items() if k in _kept_fields()}
    return dict(kept, **row.data, id=existing.id, owner_org=target.organization["id"],
                state="active", resources=_merge_resources(shown["resources"], row.resources))


def _kept_fields() -> set[str]:
    return {f.name for f in std.dataset_fields()} | {"private", "groups", "extras"}


def _merge_resources(existing: list[dict[str, Any]],
                     rows: list[ResourceRow]) -> list[dict[str, Any]]:
    """The n-th row named X updates the n-th resource named X (names may repeat)."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for resource in existing:
        by_name.setdefault(resource.get("name") or "", []).append(resource)
    merged = []
    for row in rows:
        same_name = by_name.get(row.data.get("name") or "", [])
        merged.append(dict(same_name.pop(0) if same_name else {}, **row.data))
    return merged + [r for resources in by_name.values() for r in resources]


def _ownership_problems(row: DatasetRow, existing: Any, target: Target) -> list[Problem]:
    """A row may not take over another organisation's dataset or belong to another one."""
    org = target.organization
    problems: list[Problem] = []
    if existing is not None and existing.owner_org != org["id"]:
        problems.append(_problem_at(
            row, "name", 'ชื่อ "%s" เป็นของชุดข้อมูลขององค์กรอื่น' % row.name,
            'the name "%s" belongs to a dataset of another organisation' % row.name))
    named = _organisation_named(row.organisation)
    if named is not None and named.id != org["id"]:
        problems.append(_problem_at(
            row, "owner_org",
            'แถวนี้ระบุองค์กร "%s" ไม่ใช่ "%s" ที่กำลังนำเข้า' % (row.organisation, org["title"]),
            'this row names the organisation "%s", not "%s" being imported into'
            % (row.organisation, org["title"])))
    return problems


def _organisation_named(text: str) -> Any:
    """The organisation whose name or title the owner_org cell gives, if any: the cell is
    free text in the NSO template, so an unknown text is not an error."""
    if not text:
        return None
    return (model.Session.query(model.Group)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .filter((model.Group.name == text) | (model.Group.title == text))
            .first())


# ---------------------------------------------------------------- locating CKAN's errors

def _problem_at(row: DatasetRow, field_name: str, text: str,
                english: str | None = None) -> Problem:
    """A problem at the row's cell of ``field_name``: CKAN's ``text`` (split by language
    when of the standard's form), or the importer's own Thai ``text`` and ``english``."""
    column = row.sheet.column_of(field_name)
    letter = column.letter if column else None
    if english is None:
        return Problem(row.sheet.name, row.row, letter, field_name, text)
    return Problem.pair(row.sheet.name, row.row, letter, field_name, text, english)


def _located(row: DatasetRow, errors: dict[str, Any]) -> list[Problem]:
    """CKAN's error dict as problems at the cells that caused them."""
    problems: list[Problem] = []
    for key, messages in errors.items():
        if key == "resources":
            problems.extend(_resource_problems(row, messages))
            continue
        name = ERROR_FIELDS.get(key, key)
        problems.extend(_problem_at(row, name, text) for text in _texts(messages))
    return problems


def _resource_problems(row: DatasetRow, errors: list[Any]) -> list[Problem]:
    problems: list[Problem] = []
    for index, resource_errors in enumerate(errors):
        if not resource_errors:
            continue
        if index >= len(row.resources):  # a kept resource the workbook does not list
            problems.extend(_problem_at(row, "name", text) for text in _texts(resource_errors))
            continue
        for key, messages in resource_errors.items():
            column = row.resource_sheet.column_of(key)
            problems.extend(Problem(row.resource_sheet.name, row.resources[index].row,
                                    column.letter if column else None, key, text)
                            for text in _texts(messages))
    return problems


def _texts(messages: Any) -> list[str]:
    """The message strings of an error value, however CKAN nested them."""
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        return [t for value in messages.values() for t in _texts(value)]
    return [t for value in messages for t in _texts(value)]
