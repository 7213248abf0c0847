"""What a reader of a dataset may see of its resources' checks.

A check's details quote what the checker met: a cell's value ("'…' is not integer"), a
header's text, the resolver's answer ("refusing non-public address localhost
(127.0.0.1)"). Those are for the dataset's editors, who can fix them; anyone else reads
each finding by its code (and a table error by its row) without the quoted text.
"""
from __future__ import annotations

from typing import Any, Mapping


def for_readers(check: Mapping[str, Any]) -> dict[str, Any]:
    """``check`` without the checker's details: problems keep their code, table errors
    their code and row; ``details_withheld`` says so."""
    shown = dict(check)
    shown["problems"] = [{"code": p["code"]} for p in check.get("problems") or ()]
    table = check.get("tabular")
    if table:
        shown["tabular"] = dict(table, errors=[{"code": e.get("code"), "row": e.get("row")}
                                               for e in table.get("errors") or ()])
    shown["details_withheld"] = True
    return shown
