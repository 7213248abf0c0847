"""The SQL statements a call sends, with their parameters (shared by the tests that count
what a page or an action reads)."""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa

import ckan.model as model


def statements_during(call: Callable[[], Any]) -> tuple[Any, list[tuple[str, Any]]]:
    """What ``call`` returns, and each statement it sent with its parameters, in order."""
    sent: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, *args):
        sent.append((statement, parameters))

    sa.event.listen(model.meta.engine, "before_cursor_execute", record)
    try:
        return call(), sent
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", record)
