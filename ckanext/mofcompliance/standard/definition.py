"""นิยามมาตรฐาน / The DGA standard, read once from ``definition.yaml``.

Typed, immutable views of the single definition: the 14 items, every thai_gdc field, the choice
lists (byte-identical Thai values), the data types with their NSO workbook sheets
and the GD Catalog registration states. Loading is cached: the YAML is parsed once per process.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

HERE = Path(__file__).resolve().parent
DEFINITION_PATH = HERE / "definition.yaml"


class DefinitionError(KeyError):
    """A name asked for is not in the definition."""


@dataclass(frozen=True)
class Choice:
    value: str
    label_th: str
    label_en: str
    since: str | None = None
    compat: bool = False      # accepted on input only (thai_gdc 2.1 / early-2021 values)
    open: bool | None = None  # licences: is it an open licence?
    public: bool = False      # data categories: the public category


@dataclass(frozen=True)
class Field:
    name: str
    label_th: str
    label_en: str
    form: str
    required: bool
    data_types: tuple[str, ...]
    scope: str                       # "dataset" or "resource"
    item: int | None = None
    choices: str | None = None       # name of a choice list
    other_field: str | None = None   # free-text companion
    other_value: str | None = None   # the choice that opens the companion
    companion_of: str | None = None  # set on a `<field>_other` companion
    since: str | None = None
    extension: bool = False          # added by this extension, not a thai_gdc field
    group: str | None = None


@dataclass(frozen=True)
class ItemPart:
    number: str
    field: str
    counts: bool
    label_th: str
    label_en: str
    description_th: str
    description_en: str


@dataclass(frozen=True)
class Item:
    number: int
    label_th: str
    label_en: str
    description_th: str
    description_en: str
    example_record: str
    example_statistical: str
    parts: tuple[ItemPart, ...]

    @property
    def field(self) -> str:
        """The field reported when the item is missing (9 → ``update_frequency_unit``)."""
        return self.counted_fields[0]

    @property
    def counted_fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.parts if p.counts)


@dataclass(frozen=True)
class DataType:
    code: str
    value: str
    label_en: str
    aliases: tuple[str, ...]
    description_th: str
    description_en: str
    dataset_sheet: str
    resource_sheet: str
    dataset_columns: tuple[str, ...]
    resource_columns: tuple[str, ...]


@dataclass(frozen=True)
class Labelled:
    """A numbered or coded entry with Thai and English labels (registration states)."""
    key: str
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Definition:
    raw: Mapping[str, Any]
    other_value: str
    other_needs_text: bool
    items: tuple[Item, ...]
    dataset_fields: Mapping[str, Field]
    resource_fields: Mapping[str, Field]
    choices: Mapping[str, tuple[Choice, ...]]
    data_types: tuple[DataType, ...]
    registration_states: tuple[Labelled, ...]
    nso_workbook: Mapping[str, Any]


# ---------------------------------------------------------------- building

def _choice(entry: Mapping[str, Any]) -> Choice:
    value = str(entry["value"])
    return Choice(
        value=value,
        label_th=str(entry.get("label_th", value)),
        label_en=str(entry.get("label_en", value)),
        since=entry.get("since"),
        compat=bool(entry.get("compat", False)),
        open=entry.get("open"),
        public=bool(entry.get("public", False)),
    )


def _fields(entries: list[Mapping[str, Any]], scope: str) -> dict[str, Field]:
    """Fields in definition order, each `other` companion right after its field."""
    out: dict[str, Field] = {}
    for e in entries:
        other = e.get("other") or {}
        f = Field(
            name=e["name"], label_th=e["label_th"], label_en=e["label_en"], form=e["form"],
            required=bool(e["required"]), data_types=tuple(e["data_types"]), scope=scope,
            item=e.get("item"), choices=e.get("choices"), other_field=other.get("field"),
            other_value=other.get("when"), since=e.get("since"),
            extension=bool(e.get("extension", False)), group=e.get("group"),
        )
        out[f.name] = f
        if f.other_field:
            out[f.other_field] = _companion(f)
    return out


def _companion(f: Field) -> Field:
    return Field(
        name=f.other_field or "", label_th=f"{f.label_th} (อื่นๆ โปรดระบุ)",
        label_en=f"{f.label_en} (other, please specify)", form="text", required=False,
        data_types=f.data_types, scope=f.scope, item=f.item, companion_of=f.name,
        since=f.since, extension=f.extension,
    )


def _item(entry: Mapping[str, Any]) -> Item:
    parts = tuple(
        ItemPart(
            number=str(p["number"]), field=p["field"], counts=bool(p["counts"]),
            label_th=p.get("label_th", entry["label_th"]),
            label_en=p.get("label_en", entry["label_en"]),
            description_th=p.get("description_th", entry["description_th"]),
            description_en=p.get("description_en", entry["description_en"]),
        )
        for p in entry["parts"]
    )
    return Item(
        number=int(entry["number"]), label_th=entry["label_th"], label_en=entry["label_en"],
        description_th=entry["description_th"], description_en=entry["description_en"],
        example_record=str(entry.get("example_record", "")),
        example_statistical=str(entry.get("example_statistical", "")), parts=parts,
    )


def _data_type(e: Mapping[str, Any]) -> DataType:
    return DataType(
        code=e["code"], value=e["value"], label_en=e["label_en"], aliases=tuple(e["aliases"]),
        description_th=e["description_th"], description_en=e["description_en"],
        dataset_sheet=e["dataset_sheet"], resource_sheet=e["resource_sheet"],
        dataset_columns=tuple(e["dataset_columns"]),
        resource_columns=tuple(e["resource_columns"]),
    )


def build(raw: Mapping[str, Any]) -> Definition:
    """Turn the parsed YAML into typed objects (exposed for tests of edited copies)."""
    return Definition(
        raw=raw,
        other_value=raw["other_value"],
        other_needs_text=bool(raw["completeness"]["other_needs_text"]),
        items=tuple(_item(e) for e in raw["items"]),
        dataset_fields=_fields(raw["dataset_fields"], "dataset"),
        resource_fields=_fields(raw["resource_fields"], "resource"),
        choices={k: tuple(_choice(c) for c in v) for k, v in raw["choices"].items()},
        data_types=tuple(_data_type(e) for e in raw["data_types"]),
        registration_states=tuple(
            Labelled(e["value"], e["label_th"], e["label_en"])
            for e in raw["registration_states"]
        ),
        nso_workbook=raw["nso_workbook"],
    )


@functools.lru_cache(maxsize=1)
def definition() -> Definition:
    """The standard, parsed once."""
    with DEFINITION_PATH.open(encoding="utf-8") as fh:
        return build(yaml.safe_load(fh))


# ---------------------------------------------------------------- accessors

def items() -> tuple[Item, ...]:
    """The 14 mandatory items, in item order."""
    return definition().items


def item(number: int) -> Item:
    for it in items():
        if it.number == number:
            return it
    raise DefinitionError(f"no item {number}")


def field(name: str, scope: str = "dataset") -> Field:
    """A dataset field (``scope="resource"`` for a resource field), companions included."""
    table = definition().dataset_fields if scope == "dataset" else definition().resource_fields
    try:
        return table[name]
    except KeyError:
        raise DefinitionError(f"no {scope} field {name!r}") from None


def dataset_fields() -> tuple[Field, ...]:
    return tuple(definition().dataset_fields.values())


def resource_fields() -> tuple[Field, ...]:
    return tuple(definition().resource_fields.values())


def choices(name: str, *, include_compat: bool = True) -> tuple[Choice, ...]:
    """A choice list by list name or by the name of a field that uses one."""
    d = definition()
    key = name if name in d.choices else _choice_list_of(name)
    values = d.choices[key]
    return values if include_compat else tuple(c for c in values if not c.compat)


def _choice_list_of(field_name: str) -> str:
    for table in (definition().dataset_fields, definition().resource_fields):
        f = table.get(field_name)
        if f is not None and f.choices:
            return f.choices
    raise DefinitionError(f"no choice list for {field_name!r}")


def nearest_choices(name: str, typed: str, count: int = 3) -> tuple[Choice, ...]:
    """The ``count`` offered choices of a list closest to ``typed`` by any of their
    spellings (value, Thai or English label), closest first: what an error suggests."""
    by_spelling: dict[str, Choice] = {}
    for choice in choices(name, include_compat=False):
        for spelling in (choice.value, choice.label_th, choice.label_en):
            by_spelling.setdefault(spelling.casefold(), choice)
    ranked = difflib.get_close_matches(typed.strip().casefold(), list(by_spelling),
                                       n=len(by_spelling), cutoff=0)
    return tuple(dict.fromkeys(by_spelling[s] for s in ranked))[:count]


@functools.lru_cache(maxsize=None)
def choice_values(name: str) -> frozenset[str]:
    """Every accepted value (current and compat) of a list, as a set for fast checks."""
    return frozenset(c.value for c in choices(name))


def data_types() -> tuple[DataType, ...]:
    return definition().data_types


@functools.lru_cache(maxsize=None)
def data_type(value_or_code: str) -> DataType:
    """The data type for a code (R, S, G, M, O), its stored value, or an accepted alias."""
    for dt in data_types():
        if value_or_code in (dt.code, dt.value) or value_or_code in dt.aliases:
            return dt
    raise DefinitionError(f"unknown data type {value_or_code!r}")


def fields_for_data_type(value_or_code: str, scope: str = "dataset") -> tuple[Field, ...]:
    """The fields a dataset (or resource) of this data type carries, in definition order."""
    code = data_type(value_or_code).code
    table = dataset_fields() if scope == "dataset" else resource_fields()
    return tuple(f for f in table if code in f.data_types)


def sheet_columns(value_or_code: str, sheet: str = "dataset") -> tuple[str, ...]:
    """The NSO workbook's column order (Template 2 ``dataset`` or Template 3 ``resource``)."""
    dt = data_type(value_or_code)
    return dt.dataset_columns if sheet == "dataset" else dt.resource_columns


def sheet_name(value_or_code: str, sheet: str = "dataset") -> str:
    dt = data_type(value_or_code)
    return dt.dataset_sheet if sheet == "dataset" else dt.resource_sheet


@functools.lru_cache(maxsize=None)
def open_licences() -> frozenset[str]:
    return frozenset(c.value for c in choices("license_id") if c.open)


def is_open_licence(value: str | None) -> bool:
    """Does this stored licence value let anyone use, change and share the data?"""
    return value in open_licences()


@functools.lru_cache(maxsize=None)
def public_categories() -> frozenset[str]:
    return frozenset(c.value for c in choices("data_category") if c.public)


def is_public_category(value: str | None) -> bool:
    return value in public_categories()


def registration_states() -> tuple[Labelled, ...]:
    return definition().registration_states


def registration_state(value: Any) -> str:
    """A GD Catalog registration state as stored (upper case), or "" when there is none
    such."""
    text = str(value or "").strip().upper()
    return text if text in {s.key for s in registration_states()} else ""
