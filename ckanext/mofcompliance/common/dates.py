"""Dates and times as every page of the catalog shows them: one format per language.

Thai pages write the Buddhist Era year (``2569-12-06 (พ.ศ.)``, with the time
``2569-12-06 11:50 (พ.ศ.)``), English pages the Gregorian one (``2026-12-06 11:50``); a
moment is shown in the site's time zone (``ckan.display_timezone``), a calendar date as it
is. The ``mofcompliance_date`` helper and CKAN's own ``render_datetime`` (chained in
``helpers.py``) both answer from here, so a check time, a report's date, a dataset's dates
and CKAN's "last updated" agree on a page.
"""
from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from typing import Callable, Optional, Union

from ..standard import values

Moment = Union[str, date, datetime, None]


def _parsed(value: Moment) -> Optional[Union[date, datetime]]:
    """A date (a calendar day: no time given) or a datetime; None when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value
    text = value.strip()
    if len(text) > 10:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    try:
        return values.parse_date(text)  # a B.E. year is read as one
    except ValueError:
        return None


def _in_zone(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:  # CKAN and this extension store UTC without a zone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone)


def display(value: Moment, buddhist_era: bool, zone: tzinfo, era_label: str,
            with_time: bool = False) -> str:
    """``value`` as a page shows it (``era_label``: "พ.ศ." in Thai). A text that is no
    date is returned as it is; "" for nothing."""
    parsed = _parsed(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    time = ""
    if isinstance(parsed, datetime):
        local = _in_zone(parsed, zone)
        day, time = local.date(), local.strftime("%H:%M") if with_time else ""
    else:
        day = parsed
    text = values.buddhist_era(day) if buddhist_era else day.isoformat()
    text = "%s %s" % (text, time) if time else text
    return "%s (%s)" % (text, era_label) if buddhist_era else text


def year(value: Optional[str], buddhist_era: bool) -> str:
    """A year of data (typed in either era) in the page's era; other text as it is."""
    text = (value or "").strip()
    if not text.isdigit() or len(text) != 4:
        return text
    number = int(text)
    typed_buddhist = number >= values.FIRST_BUDDHIST_ERA_YEAR
    if typed_buddhist == buddhist_era:
        return text
    return str(number - values.BUDDHIST_ERA_OFFSET if typed_buddhist
               else number + values.BUDDHIST_ERA_OFFSET)


def today(zone: tzinfo, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
          ) -> date:
    """Today's date where the site is."""
    return now().astimezone(zone).date()
