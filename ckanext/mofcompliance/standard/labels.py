"""How a field is named to a steward: its item number and Thai and English labels.

Shared by the form labels, the server's validation messages, the Excel import's
problem list and the KPI evidence, so that one field is called one thing.
"""
from __future__ import annotations

from . import definition as std


def field_title(field: std.Field) -> tuple[str, str]:
    """(Thai, English), e.g. ("ข้อ 5 อีเมลผู้ติดต่อ", "Item 5 Contact e-mail")."""
    if field.item and not field.companion_of:
        part = next(p for p in std.item(field.item).parts if p.field == field.name)
        return ("ข้อ %s %s" % (part.number, part.label_th),
                "Item %s %s" % (part.number, part.label_en))
    return field.label_th, field.label_en


def message(field: std.Field, problem_th: str, problem_en: str) -> str:
    """One bilingual message about one field: ``ข้อ 5 …: … / Item 5 …: …``."""
    title_th, title_en = field_title(field)
    return "%s: %s / %s: %s" % (title_th, problem_th, title_en, problem_en)


def split_message(field: std.Field, text: str) -> tuple[str, str] | None:
    """A message of ``message``'s form about ``field`` as (Thai, English); None when
    ``text`` is not of that form (a message of CKAN's own, say)."""
    title_th, title_en = field_title(field)
    marker = " / %s: " % title_en
    if not text.startswith(title_th + ":") or marker not in text:
        return None
    thai, english = text.split(marker, 1)
    return thai, "%s: %s" % (title_en, english)


def problem_alone(field: std.Field, text: str, lang: str) -> str | None:
    """The problem of a ``message``-form text about ``field`` in one language (``th``, else
    English) without the field's name, as a form shows it under the named field; None when
    ``text`` is not of that form."""
    halves = split_message(field, text)
    if halves is None:
        return None
    thai = lang == "th"
    title = field_title(field)[0 if thai else 1]
    return halves[0 if thai else 1][len(title) + len(": "):]


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= character <= "\u0e7f" for character in text)


def one_language(text: str, lang: str) -> str:
    """One half, in ``lang`` (``th``, else English), of a bilingual ``ไทย / English`` text as
    the API's messages are written; any other text unchanged."""
    thai, separator, english = text.partition(" / ")
    if not separator or not _has_thai(thai) or _has_thai(english):
        return text
    return thai if lang == "th" else english
