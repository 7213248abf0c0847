"""How a field is named to a steward: its item number and Thai and English labels.

Shared by the form labels, the server's validation messages, the Excel import's
problem list and the KPI evidence, so that one field is called one thing.
"""
from __future__ import annotations

import re
from typing import Iterable

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


# Names the KPI engine uses that are not fields of the standard: the agency plan and the
# evidence behind a criterion.
_NAMES: dict[str, tuple[str, str]] = {
    "focus_area": ("Focus Area", "Focus Area"),
    "issue": ("ประเด็นการดำเนินงาน", "issue"),
    "intended_use": ("การนำไปใช้ประโยชน์", "intended use"),
    "expected_user_agencies": ("หน่วยงานที่คาดว่าจะใช้ข้อมูล", "expected user agencies"),
    "catalog_url": ("URL ของระบบบัญชีข้อมูล", "catalog URL"),
    "mapped_datasets": ("ชุดข้อมูลที่ผูกกับกระบวนการทำงาน", "datasets tied to a work process"),
    "min_datasets": ("จำนวนชุดข้อมูลขั้นต่ำ", "datasets needed"),
    "plan_missing": ("ส่วนของแผนที่ยังขาด", "parts of the plan missing"),
    "datasets": ("ชุดข้อมูล", "datasets"),
    "complete": ("ชุดข้อมูลที่ครบ 14 รายการ", "datasets with all 14 items"),
    "mean_percent": ("ความครบถ้วนเฉลี่ย (ร้อยละ)", "mean completeness (%)"),
    "public_datasets": ("ชุดข้อมูลสาธารณะ", "public datasets"),
    "mean_points": ("คะแนนเฉลี่ย", "mean points"),
    "share_percent": ("ร้อยละที่กำหนด", "share required (%)"),
    "level_reached": ("ระดับที่ถึง", "level reached"),
    "use_cases": ("หลักฐานการใช้ประโยชน์", "use cases"),
    "min_use_cases": ("จำนวนหลักฐานขั้นต่ำ", "use cases needed"),
    "size_group": ("กลุ่มขนาดหน่วยงาน", "size group"),
    "meeting": ("ชุดข้อมูลที่ผ่าน", "datasets meeting it"),
    "percent": ("ร้อยละ", "percent"),
    "threshold_percent": ("เกณฑ์ (ร้อยละ)", "threshold (%)"),
    "points_if_counted": ("คะแนนหากนับ", "points if counted"),
    "mode": ("วิธีคิดคะแนน", "scoring"),
    # the metadata criterion's modes (a value of "mode")
    "mean": ("คะแนนตามค่าเฉลี่ยความครบถ้วน", "by the mean completeness"),
    "all": ("ต้องครบทุกชุดข้อมูล", "all datasets complete"),
}
_LEVEL = re.compile(r"(at_least_)?level_(\d+)")


def name_title(name: str) -> tuple[str, str]:
    """(Thai, English) of any name the engine shows: a field of the standard ("ข้อ 5
    อีเมลผู้ติดต่อ"), a part of the plan, an evidence key ("level_2" → "ระดับ 2"); an
    unknown name as it is."""
    if name in _NAMES:
        return _NAMES[name]
    level = _LEVEL.fullmatch(name)
    if level:
        number = level[2]
        return ((f"ถึงระดับ {number} ขึ้นไป", f"level {number} or above") if level[1]
                else (f"ระดับ {number}", f"level {number}"))
    for scope in ("dataset", "resource"):
        try:
            return field_title(std.field(name, scope))
        except std.DefinitionError:
            continue
    return name, name


def names_th(names: Iterable[str]) -> str:
    return ", ".join(name_title(n)[0] for n in names)


def names_en(names: Iterable[str]) -> str:
    return ", ".join(name_title(n)[1] for n in names)
