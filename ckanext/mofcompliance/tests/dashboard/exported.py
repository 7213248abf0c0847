"""Reading the dashboard's exports back as a spreadsheet user sees them: the headline
lines, a blank line, then the table (its header first)."""
import csv
import io
from typing import Any

from openpyxl import load_workbook


def lines(response: Any) -> list[list[Any]]:
    """Every line of a CSV or XLSX export (XLSX cells keep their types)."""
    if response.headers["Content-Type"].startswith("text/csv"):
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return list(csv.reader(io.StringIO(text, newline="")))
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    found = [list(row) for row in sheet.iter_rows(values_only=True)]
    for line in found:  # rows are as wide as the widest: drop the padding
        while line and line[-1] is None:
            line.pop()
    return found


def split(found: list[list[Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    """(headline, table): the lines before the first blank one, and those after it."""
    blank = next(i for i, line in enumerate(found) if not any(v not in (None, "") for v in line))
    return found[:blank], found[blank + 1:]


def headline(found: list[list[Any]]) -> dict[str, list[Any]]:
    """The headline by its first cell: {"คะแนน / Score": [70.0], ...}."""
    return {line[0]: list(line[1:]) for line in split(found)[0]}


def table(response: Any) -> list[list[Any]]:
    """The export's table: its header line, then its rows."""
    return split(lines(response))[1]
