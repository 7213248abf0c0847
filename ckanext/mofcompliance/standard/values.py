"""Rules for single values of the standard, shared by CKAN's validators and the JSON Schema.

Pure Python: imported by ``logic/validators.py`` (the server) and
``standard/json_schema.py`` (offline validation), so both accept the same values.
"""
from __future__ import annotations

import re
from datetime import date

# A pragmatic e-mail address: one @, no spaces, a dot in the domain.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
# Item 9.2: a positive whole number, or blank.
INTERVAL_PATTERN = r"^[1-9][0-9]*$"
# Dates are stored Gregorian; a year this large or larger was typed in the Buddhist Era.
BUDDHIST_ERA_OFFSET = 543
FIRST_BUDDHIST_ERA_YEAR = 2400
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")

# A link a page may show (``url``, ``reference_url_catalog``): an http(s) address, or a
# path on the catalog itself (an upload's file name, "/dataset/x"). Anything else with a
# scheme (javascript:, data:, vbscript:, file: …), a protocol-relative "//host" and any
# control character are refused: browsers drop tabs and newlines inside a URL, so
# "java\tscript:" would run as javascript:. Shared with the JSON Schema.
LINK_PATTERN = (r"^ *(?:[hH][tT][tT][pP][sS]?://[^\x00-\x1f\x7f]*"
                r"|(?![/\\]{2})[^\x00-\x1f\x7f:/?#\\]*(?:[/?#\\][^\x00-\x1f\x7f]*)?)$")

_email_re = re.compile(EMAIL_PATTERN)
_link_re = re.compile(LINK_PATTERN)
_interval_re = re.compile(INTERVAL_PATTERN)


def is_email(value: str) -> bool:
    return bool(_email_re.match(value))


def is_web_link(value: str) -> bool:
    """Whether ``value`` may be shown as a link (``LINK_PATTERN``)."""
    return _link_re.fullmatch(value) is not None


def is_interval(value: str) -> bool:
    return bool(_interval_re.match(value))


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` with a Gregorian or a Buddhist Era (พ.ศ.) year, as a Gregorian date.

    Raises ValueError for anything else, including days that do not exist
    (2565-02-30).
    """
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day = (int(g) for g in match.groups())
    if year >= FIRST_BUDDHIST_ERA_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    return date(year, month, day)


def buddhist_era(value: date) -> str:
    """A date written with its Buddhist Era year, as the Thai UI and NSO templates show it."""
    return "%04d-%02d-%02d" % (value.year + BUDDHIST_ERA_OFFSET, value.month, value.day)
