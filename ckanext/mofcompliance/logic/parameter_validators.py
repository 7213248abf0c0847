"""The actions' parameters, checked by the navl schemas of ``logic.schema``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from .. import config
from ..kpi import evaluation as kpi
from ..standard import definition as std
from .validators import fail, is_blank_value

__all__ = [
    "mofcompliance_standard_scope", "mofcompliance_kpi_profile", "mofcompliance_focus_area",
    "mofcompliance_agency_list", "mofcompliance_web_url", "mofcompliance_use_case_required",
    "mofcompliance_registration_state",
]


def mofcompliance_standard_scope(value: str) -> str:
    if value not in ("dataset", "resource"):
        raise tk.Invalid("ต้องเป็น dataset หรือ resource / must be dataset or resource")
    return value


def mofcompliance_kpi_profile(value: Any) -> str:
    """A fiscal-year profile id; blank: the site's default profile."""
    if value is missing or is_blank_value(value):
        return config.default_profile()
    profile, known = str(value).strip(), ", ".join(kpi.profile_ids())
    if profile not in kpi.profile_ids():
        raise tk.Invalid("ไม่มีเกณฑ์ปีงบประมาณ %s (มี %s) / no profile %s (known: %s)"
                         % (profile, known, profile, known))
    return profile


def mofcompliance_focus_area(value: str) -> str:
    """A Focus Area number that a loaded profile lists (the plan serves every year), or blank."""
    known = {fa.key for p in kpi.profile_ids() for fa in kpi.load_profile(p).focus_areas}
    if value and value not in known:
        raise tk.Invalid("Focus Area ต้องเป็นหนึ่งในรายการของเกณฑ์ปีงบประมาณ / "
                         "the Focus Area must be one that a fiscal-year profile lists")
    return value


def mofcompliance_agency_list(value: Any) -> list[str]:
    """Expected user agencies: a list, or text with one per line or comma-separated."""
    if value is missing or not value:
        return []
    if isinstance(value, str):
        return [u.strip() for u in value.replace("\n", ",").split(",") if u.strip()]
    return list(value)


# Thai and English names of the action parameters named in messages.
_PARAMETER_TITLES = {
    "catalog_url": ("URL ของระบบบัญชีข้อมูล", "the catalog URL"),
    "link": ("ลิงก์", "the link"),
}
_USE_CASE_TITLES = {
    "dataset": ("ชุดข้อมูล", "dataset"), "link": ("ลิงก์รายงานหรือแดชบอร์ด", "link"),
    "change": ("สิ่งที่เปลี่ยนแปลง", "what changed"), "result": ("ผลลัพธ์ที่วัดได้", "measured result"),
}


def mofcompliance_web_url(key: Any, data: dict, errors: dict, context: dict) -> None:
    """An ``http(s)://`` address, or blank (no ``javascript:`` or file links)."""
    url = data.get(key)
    if url and not str(url).lower().startswith(("http://", "https://")):
        title_th, title_en = _PARAMETER_TITLES[key[-1]]
        fail(key, errors, "%sต้องขึ้นต้นด้วย http:// หรือ https:// / "
                           "%s must start with http:// or https://" % (title_th, title_en))


def mofcompliance_use_case_required(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A use case's dataset, link, change and result are all required."""
    if is_blank_value(data.get(key)):
        fail(key, errors, "%s: ต้องระบุ / %s: required" % _USE_CASE_TITLES[key[-1]])


def mofcompliance_registration_state(value: str) -> str:
    """A GD Catalog registration state, stored upper case."""
    state = std.registration_state(value)
    if not state:
        states = ", ".join(s.key for s in std.registration_states())
        raise tk.Invalid("สถานะต้องเป็นหนึ่งใน %s / the state must be one of %s" % (states, states))
    return state
