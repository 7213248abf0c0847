"""Validators of the ``mofcompliance`` plugin (registered through IValidators)."""
from __future__ import annotations

import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

_TAG_PUNCTUATION = set(" -_.")


def _tag_character_allowed(character: str) -> bool:
    # Thai vowel and tone marks are combining marks (Mn), which CKAN's own
    # ``\w`` test rejects: a tag such as "การคลัง" could not be saved.
    return (character.isalnum() or character in _TAG_PUNCTUATION
            or unicodedata.category(character).startswith("M"))


def tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag character rule, extended to the combining marks of Thai script."""
    if not all(_tag_character_allowed(c) for c in value):
        raise tk.Invalid(tk._(
            'คำสำคัญ "%s" ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง ขีด (-) ขีดล่าง (_) และจุด (.) / '
            'Tag "%s" can only contain letters, digits, spaces, hyphens, underscores or dots'
        ) % (value, value))
    return value
