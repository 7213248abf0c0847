"""Reading a field out of a package dict, as CKAN, thai_gdc or a spreadsheet shape it.

The one place that says where a value sits (top level or CKAN ``extras``), what counts as
blank, how a multi-select, a tag list or a yes/no arrives, and how text is read.
Completeness, openness, the KPI, the validators, the Excel cells and the DCAT profile
all read through it, so they agree on every shape.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Mapping

TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "ใช่", "ยินยอม"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "ไม่ใช่", "ไม่ยินยอม"})


def field_reader(pkg: Mapping[str, Any]) -> Callable[[str], Any]:
    """``get(name)``: top-level value, else the CKAN ``extras`` value."""
    extras = pkg.get("extras")
    if not extras or not isinstance(extras, (list, tuple)):
        return pkg.get
    flat = {e.get("key"): e.get("value") for e in extras if isinstance(e, dict)}

    def get(name: str) -> Any:
        value = pkg.get(name)
        return flat.get(name) if value is None else value

    return get


def text(value: Any) -> str:
    """A value as stripped text ("" for None)."""
    if value.__class__ is str:
        return value.strip()
    return "" if value is None else str(value).strip()


def is_blank(value: Any) -> bool:
    cls = value.__class__
    if cls is str:
        return not value.strip()
    if value is None:
        return True
    if cls is list or cls is tuple or cls is set or cls is frozenset:
        return all(map(is_blank, value))
    if cls is dict:
        return not value
    return False


def as_list(value: Any) -> list[str]:
    """A multi-select value as a list of non-blank strings, whatever shape it came in."""
    if value.__class__ is list and all(v.__class__ is str for v in value):
        return [t for t in (v.strip() for v in value) if t]
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                return as_list(json.loads(stripped))
            except ValueError:
                stripped = stripped.strip("[]")
        return [p.strip().strip('"') for p in stripped.split(",") if p.strip().strip('"')]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if not is_blank(v)]
    return [str(value)]


def tag_names(tags: Any, tag_string: Any) -> list[str]:
    """The dataset's keywords from ``tags`` (dicts or strings), else from ``tag_string``."""
    names = []
    for tag in tags if tags.__class__ is list or tags.__class__ is tuple else ():
        name = tag.get("name") if tag.__class__ is dict else tag
        if not is_blank(name):
            names.append(str(name).strip())
    return names or as_list(tag_string)


def is_true(value: Any) -> bool:
    """A yes/no value as thai_gdc and CKAN store it ("True", true, "yes", "ใช่", …)."""
    if value is None or value.__class__ is bool:
        return bool(value)
    return value.__class__ is str and value.strip().lower() in TRUE_WORDS


def is_false(value: Any) -> bool:
    """An explicit no (absent is neither yes nor no)."""
    if value is None:
        return False
    if value.__class__ is bool:
        return not value
    return value.__class__ is str and value.strip().lower() in FALSE_WORDS


def resources_of(pkg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The package's resource dicts, ignoring anything that is not one."""
    res: Any = pkg.get("resources")
    if res.__class__ is not list and res.__class__ is not tuple:
        return []
    return [r for r in res if r.__class__ is dict]
