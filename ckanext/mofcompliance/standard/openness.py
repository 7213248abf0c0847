"""คุณลักษณะแบบเปิด / Open-characteristics level of a dataset (0 none … 3 advanced).

The indicators and their thresholds are data in ``openness_rules.yaml`` (one ruleset per
fiscal-year table, compiled by ``openness_rules.py``); this module only reads package dicts
against a compiled ruleset.
Each indicator result says which resources gave its level, why (Thai, then English) and what
would reach the next level. A dataset's level is the lowest over the indicators that apply
(docs/kpi-rules.md R7); for unstructured documents the searchable-text indicator is a gate.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping, NamedTuple


from . import definition as std
from .fields import field_reader, is_false, is_true, resources_of
from .labels import name_title
from .openness_rules import DEFAULT_RULESET, Ruleset, level_key, ruleset

MAX_NAMES_IN_REASON = 3

NONE, BASIC, INTERMEDIATE, ADVANCED = 0, 1, 2, 3


@functools.lru_cache(maxsize=4096)
def _values_shown(values: str, lang: str) -> str:
    """``field=value, …`` (how the metadata that gave a level is kept) as the reader reads
    it: each field's label and its value's label, in one language."""
    index = 0 if lang == "th" else 1
    shown = []
    for pair in filter(None, values.split(", ")):
        name, _, value = pair.partition("=")
        label = {c.value: (c.value, c.label_en) for c in _choices_of(name)}.get(value, (value, value))
        shown.append("%s: %s" % (name_title(name)[index], label[index]))
    return ", ".join(shown)


def _choices_of(name: str) -> tuple[std.Choice, ...]:
    try:
        return std.choices(name)
    except (KeyError, std.DefinitionError):
        return ()


class IndicatorResult(NamedTuple):
    """One indicator's level; its sentences are rendered from the ruleset when read."""
    indicator: str
    level: int
    resources: tuple[str, ...]
    ruleset: str
    values: str = ""           # the metadata values that gave the level
    private: bool = False
    gate: bool = False

    def _fill(self, lang: str) -> dict[str, str]:
        return {"resources": _shown(self.resources), "values": _values_shown(self.values, lang),
                "private_th": " (ชุดข้อมูลเป็นแบบส่วนตัว)" if self.private else "",
                "private_en": " (the dataset is private)" if self.private else ""}

    @property
    def reason_th(self) -> str:
        return ruleset(self.ruleset).reasons[self.indicator][self.level]["th"].format(
            **self._fill("th"))

    @property
    def reason_en(self) -> str:
        return ruleset(self.ruleset).reasons[self.indicator][self.level]["en"].format(
            **self._fill("en"))

    def _next(self) -> tuple[str, str]:
        steps = ruleset(self.ruleset).next_steps[self.indicator]
        return next(((th, en) for lv, th, en in steps if lv > self.level), ("", ""))

    @property
    def next_th(self) -> str:
        """What reaches the next level; blank at the top."""
        return self._next()[0]

    @property
    def next_en(self) -> str:
        return self._next()[1]

    def to_dict(self) -> dict[str, Any]:
        next_th, next_en = self._next()
        return {
            "level": self.level, "level_key": level_key(self.level), "gate": self.gate,
            "reason_th": self.reason_th, "reason_en": self.reason_en,
            "resources": list(self.resources),
            "next_th": next_th, "next_en": next_en,
        }


class OpennessResult(NamedTuple):
    """A dataset's open level and its indicators (an immutable tuple, cheap to build)."""
    level: int
    structured: bool
    indicators: tuple[IndicatorResult, ...]
    ruleset: str

    def indicator(self, name: str) -> IndicatorResult:
        for ind in self.indicators:
            if ind.indicator == name:
                return ind
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level, "level_key": level_key(self.level),
            "structured": self.structured, "ruleset": self.ruleset,
            "indicators": {i.indicator: i.to_dict() for i in self.indicators},
        }


# ---------------------------------------------------------------- resource facts

def _url_extension(url: str) -> str:
    tail = url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[1] if "." in tail else ""


def _format_of(rs: Ruleset, raw_format: str, url: str) -> tuple[str, str | None]:
    """(normalised format, format class) of a resource, cached per distinct input."""
    key = (raw_format, "" if raw_format else url)
    hit = rs._class_cache.get(key)
    if hit is not None:
        return hit
    text = (raw_format or _url_extension(url)).strip().upper().lstrip(".")
    fmt = rs.format_aliases.get(text, text)
    result = (fmt, rs.format_class.get(fmt))
    if len(rs._class_cache) < 10_000:
        rs._class_cache[key] = result
    return result


class _Resource(NamedTuple):
    label: str
    fmt: str
    cls: str | None
    datastore: bool
    api: bool
    queryable: bool
    authoritative: bool
    searchable: bool


def _resource(rs: Ruleset, res: Mapping[str, Any], url: str) -> _Resource:
    fmt, cls = _format_of(rs, res.get("format") or "", url)
    datastore = is_true(res.get(rs.datastore_field))
    kind = res.get("resource_type")
    api = fmt in rs.api_formats or (bool(kind) and str(kind).lower() in rs.api_resource_types)
    return _Resource(
        str(res.get("name") or res.get("id") or url), fmt, cls, datastore, api,
        datastore or (api and _documented(rs, res)),
        is_true(res.get(rs.authoritative_field)),
        cls == "document" and _searchable_text(rs, res, fmt),
    )


def _documented(rs: Ruleset, res: Mapping[str, Any]) -> bool:
    if is_true(res.get(rs.api_documented_field)):
        return True
    text = res.get("description") or ""
    return any(p.search(text) for p in rs.api_patterns)


def _searchable_text(rs: Ruleset, res: Mapping[str, Any], fmt: str) -> bool:
    """Can a document resource's text be searched (not a scanned image)?"""
    declared = res.get(rs.searchable_field)
    if is_true(declared):
        return True
    if is_false(declared):
        return False
    return fmt in rs.text_by_nature or rs.assume_searchable


def _published(rs: Ruleset, raw: list[Mapping[str, Any]]) -> list[_Resource]:
    """Facts of the resources that link to something (a resource without a URL gives nothing)."""
    out = []
    for res in raw:
        url = res.get("url")
        if url and (url.__class__ is not str or url.strip()):
            out.append(_resource(rs, res, str(url)))
    return out


# ---------------------------------------------------------------- indicators

def _shown(names: tuple[str, ...]) -> str:
    head = ", ".join(names[:MAX_NAMES_IN_REASON])
    return head + (", …" if len(names) > MAX_NAMES_IN_REASON else "")


def _result(rs: Ruleset, indicator: str, level: int, resources: tuple[str, ...],
            values: str = "", private: bool = False, gate: bool = False) -> IndicatorResult:
    return IndicatorResult(indicator, level, resources, rs.name, values, private, gate)


def _access(rs: Ruleset, published: list[_Resource], private: bool) -> IndicatorResult:
    if private or not published:
        return _result(rs, "access", NONE, (), private=private)
    queryable, authoritative = [], []
    for r in published:
        if r.queryable:
            queryable.append(r.label)
        elif r.authoritative:
            authoritative.append(r.label)
    if queryable:
        return _result(rs, "access", ADVANCED, tuple(queryable))
    if authoritative:
        return _result(rs, "access", INTERMEDIATE, tuple(authoritative))
    return _result(rs, "access", BASIC, tuple(r.label for r in published))


def _granularity(rs: Ruleset, get: Any, raw: list[Mapping[str, Any]],
                 published: list[_Resource]) -> IndicatorResult:
    if not published:
        return _result(rs, "granularity", NONE, ())
    freq, found = get("update_frequency_unit"), []
    if freq in rs.fine_frequency:
        found.append(f"update_frequency_unit={freq}")
    if get("geo_coverage") in rs.fine_geo:
        found.append(f"geo_coverage={get('geo_coverage')}")
    collect = _fine_collect(rs, get, raw)
    if collect:
        found.append(f"data_collect={collect}")
    if not found:
        return _result(rs, "granularity", BASIC, ())
    live = tuple(r.label for r in published if r.datastore or r.api)
    level = ADVANCED if live or freq in rs.live_frequency else INTERMEDIATE
    return _result(rs, "granularity", level, live, values=", ".join(found))


def _fine_collect(rs: Ruleset, get: Any, raw: list[Mapping[str, Any]]) -> str:
    value = get("data_collect")
    if value in rs.fine_collect:
        return value
    for res in raw:
        if res.get("resource_data_collect") in rs.fine_collect:
            return res["resource_data_collect"]
    return ""


def _resource_format_level(rs: Ruleset, r: _Resource) -> int:
    if r.datastore:
        return rs.datastore_format_level
    if r.cls == "document" and not r.searchable:
        return NONE
    return rs.format_levels.get(r.cls, NONE) if r.cls else NONE


def _format(rs: Ruleset, published: list[_Resource]) -> IndicatorResult:
    best, best_names = NONE, []
    for r in published:
        level = _resource_format_level(rs, r)
        if level > best:
            best, best_names = level, [r.label]
        elif level == best and level > NONE:
            best_names.append(r.label)
    return _result(rs, "format", best, tuple(best_names))


def _searchable(rs: Ruleset, published: list[_Resource]) -> IndicatorResult:
    hits = tuple(r.label for r in published if r.searchable)
    return _result(rs, "searchable", BASIC if hits else NONE, hits, gate=True)


def _is_unstructured(rs: Ruleset, get: Any, published: list[_Resource]) -> bool:
    if not rs.unstructured_types or not published:
        return False
    if str(get("data_type") or "").strip() not in rs.unstructured_types:
        return False
    return all(r.cls in rs.unstructured_classes for r in published)


# ---------------------------------------------------------------- entry point

def open_level(pkg_dict: Mapping[str, Any], rules: str | Ruleset = DEFAULT_RULESET) -> OpennessResult:
    """The dataset's open-characteristics level and the result of each indicator."""
    rs = rules if isinstance(rules, Ruleset) else ruleset(rules)
    get = field_reader(pkg_dict)
    raw = [r for r in resources_of(pkg_dict) if not is_true(r.get(rs.private_resource_field))]
    published = _published(rs, raw)
    private = rs.private_is_closed and is_true(pkg_dict.get("private"))
    access = _access(rs, published, private)
    if _is_unstructured(rs, get, published):
        gate = _searchable(rs, published)
        level = access.level if gate.level else NONE
        return OpennessResult(level, False, (access, gate), rs.name)
    grain = _granularity(rs, get, raw, published)
    fmt = _format(rs, published)
    level = min(access.level, grain.level, fmt.level)
    return OpennessResult(level, True, (access, grain, fmt), rs.name)
