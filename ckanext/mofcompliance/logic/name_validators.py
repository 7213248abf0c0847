"""A dataset's names: its tags (CKAN's rule, extended to the combining marks of Thai script)
and its URL name when none is sent (from the title)."""
from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from .validators import is_blank_value

__all__ = ["tag_name_validator", "tag_string_convert", "mofcompliance_name_from_title"]

_TAG_PUNCTUATION = set(" -_.")


def _tag_character_allowed(character: str) -> bool:
    # Thai vowel and tone marks are combining marks (Mn), which CKAN's own
    # ``\w`` test rejects: a tag such as "การคลัง" could not be saved.
    return (character.isalnum() or character in _TAG_PUNCTUATION
            or unicodedata.category(character).startswith("M"))


def tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag character rule, extended to the combining marks of Thai script."""
    if not all(_tag_character_allowed(c) for c in value):
        raise tk.Invalid(
            'ข้อ 6 คำสำคัญ: "%s" ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง ขีด (-) ขีดล่าง (_) และจุด (.) / '
            'Item 6 Tags: "%s" can only contain letters, digits, spaces, hyphens, underscores '
            'or dots' % (value, value))
    return value


def tag_string_convert(key: Any, data: dict, errors: dict, context: dict) -> None:
    """CKAN's comma-separated tag parsing (forms send ``tag_string``), with the Thai-aware
    tag rule: core's own converter calls core's tag rule directly, not through the
    validator registry."""
    value = data[key]
    tags = [t.strip() for t in value.split(",")] if isinstance(value, str) else list(value)
    tags = [t for t in tags if t]
    first = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1]) + 1
    for number, tag in enumerate(tags, first):
        data[("tags", number, "name")] = tag
    for tag in tags:
        tk.get_validator("tag_length_validator")(tag, context)
        tag_name_validator(tag, context)


_LATIN_WORD = re.compile(r"[a-z0-9]+")


def name_for_title(title: str) -> str:
    """A valid, readable URL name for a new dataset: the title's Latin words and digits
    ("GFS 2014 ดุลการคลัง" → ``gfs-2014``), else a short unique ``dataset-1a2b3c4d`` (Thai
    is not transliterated); a taken name gets a short unique ending."""
    name = "-".join(_LATIN_WORD.findall(title.lower()))[:80].strip("-")
    if len(name) < 2:
        return "dataset-" + uuid.uuid4().hex[:8]
    if model.Package.get(name) is not None:
        name += "-" + uuid.uuid4().hex[:6]
    return name


def mofcompliance_name_from_title(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A new dataset sent without a URL name gets one from its title (CKAN's form leaves
    the name empty for a title with no Latin letters); an existing dataset keeps CKAN's
    "missing value"."""
    if not is_blank_value(data.get(key)) or context.get("package") is not None:
        return
    title = data.get(("title",))
    if not is_blank_value(title):
        data[key] = name_for_title(str(title))
