"""Wiring of the ``mofcompliance`` plugin: interfaces only, no business logic."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import cli
from .logic import validators


class MofcompliancePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IValidators)
    p.implements(p.IClick)

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "mofcompliance")

    # IValidators

    def get_validators(self) -> dict[str, object]:
        return {"tag_name_validator": validators.tag_name_validator}

    # IClick

    def get_commands(self) -> list[object]:
        return [cli.mofcompliance]
