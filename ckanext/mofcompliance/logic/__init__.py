"""The extension's actions, their input schemas, validators and authorisation."""
from __future__ import annotations

from typing import Any

import ckan.model as model


def commit_unless_deferred(context: dict[str, Any]) -> None:
    """End a write action: commit, unless the caller defers it (``defer_commit``) to
    commit several actions' writes at once."""
    if not context.get("defer_commit"):
        model.Session.commit()
