"""สถานะการลงทะเบียนใน GD Catalog / Each dataset's GD Catalog registration state.

FY2567 scores the share of open datasets registered in the GD Catalog, so the catalog keeps
the state NSO reports for each dataset (``standard.definition.registration_states()``).
States arrive three ways, all through ``store``: the action
``mofcompliance_registration_update`` (``action``, one dataset), a CSV listing exported from the GD
Catalog (``import_listing``: all lines or none) and the GD Catalog's status API
(``status_api``, in a background job). The score store's ``registrations_for`` reads them
back for the KPI.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, NamedTuple, TextIO

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from ..dataset import evidence_activity
from ..scoring import kpi_cache
from ..model import registration_table
from ..standard import definition as std

DATASET_COLUMNS = ("dataset", "name", "id", "package_id", "package")
STATE_COLUMNS = ("state", "status")


known_state = std.registration_state


def resolve(keys: Iterable[str]) -> dict[str, str]:
    """Dataset name or id → package id, for the keys naming an active dataset."""
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    package = model.package_table
    rows = model.Session.execute(
        sa.select(package.c.id, package.c.name)
        .where(sa.or_(package.c.id.in_(wanted), package.c.name.in_(wanted)),
               package.c.state == "active", package.c.type == "dataset"))
    return {key: row.id for row in rows for key in (row.id, row.name) if key in wanted}


def store(package_states: Mapping[str, str], source: str, user_id: str | None = None) -> None:
    """Upsert states by package id, in the caller's transaction, with an activity record
    for each change (``user_id`` made it; default: the site user), and mark the KPI
    summaries of their organisations stale in it (FY2567 counts registrations)."""
    if not package_states:
        return
    table = registration_table
    previous = dict(model.Session.execute(sa.select(table.c.package_id, table.c.state).where(
        table.c.package_id.in_(list(package_states)))).all())
    now = datetime.utcnow()
    rows = [{"package_id": pid, "state": state, "source": source, "updated": now}
            for pid, state in package_states.items()]
    statement = insert(registration_table).values(rows)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["package_id"],
        set_={c: statement.excluded[c] for c in ("state", "source", "updated")}))
    evidence_activity.registrations_changed(user_id or evidence_activity.actor_id({}),
                                            previous, package_states, source)
    package = model.package_table
    owners = model.Session.execute(sa.select(package.c.owner_org).distinct().where(
        package.c.id.in_(list(package_states)), package.c.owner_org.isnot(None))).scalars()
    kpi_cache.invalidate(owners)


# ---------------------------------------------------------------- the CSV listing

class Line(NamedTuple):
    number: int
    dataset: str
    state: str


@dataclass(frozen=True)
class ImportReport:
    imported: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def read_listing(stream: TextIO) -> tuple[list[Line], list[str]]:
    """The lines of a listing: a header naming a dataset column (dataset, name, id,
    package_id or package) and a state column (state or status); other columns are
    ignored."""
    rows = csv.reader(stream)
    header = next(rows, [])
    dataset_col, state_col = _column(header, DATASET_COLUMNS), _column(header, STATE_COLUMNS)
    if dataset_col is None or state_col is None:
        return [], ["บรรทัด 1: หัวตารางต้องมีคอลัมน์ dataset และ state / "
                    "line 1: the header needs a dataset column and a state column"]
    lines = []
    for number, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row):
            cells = row + [""] * (max(dataset_col, state_col) + 1 - len(row))
            lines.append(Line(number, cells[dataset_col].strip(), cells[state_col].strip()))
    return lines, []


def _line_problems(line: Line, package_ids: Mapping[str, str],
                   seen: Mapping[str, Line]) -> list[str]:
    where = ("บรรทัด %d" % line.number, "line %d" % line.number)
    problems = []
    if line.dataset not in package_ids:
        problems.append("%s: ไม่พบชุดข้อมูล %r / %s: no dataset %r"
                        % (where[0], line.dataset, where[1], line.dataset))
    if not known_state(line.state):
        problems.append("%s: ไม่รู้จักสถานะ %r / %s: unknown state %r"
                        % (where[0], line.state, where[1], line.state))
    first = seen.get(package_ids.get(line.dataset, ""))
    if first is not None and known_state(first.state) != known_state(line.state):
        problems.append("%s: ชุดข้อมูล %s ระบุสถานะไว้แล้วที่บรรทัด %d / "
                        "%s: dataset %s already has a state on line %d"
                        % (where[0], line.dataset, first.number,
                           where[1], line.dataset, first.number))
    return problems


def import_listing(stream: TextIO) -> ImportReport:
    """Import a GD Catalog listing: every line is checked first, and nothing is written
    unless all are good, so a listing is never half applied."""
    lines, problems = read_listing(stream)
    package_ids = resolve(line.dataset for line in lines)
    seen: dict[str, Line] = {}
    for line in lines:
        problems.extend(_line_problems(line, package_ids, seen))
        if line.dataset in package_ids:
            seen.setdefault(package_ids[line.dataset], line)
    if problems:
        return ImportReport(0, tuple(problems))
    store({package_ids[line.dataset]: known_state(line.state) for line in lines}, "csv")
    model.Session.commit()
    return ImportReport(len(lines), ())
