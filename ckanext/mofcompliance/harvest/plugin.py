"""The ``mofcompliance_gdcatalog`` plugin: wiring only (see ``offer`` and ``registration``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .. import cli as main_cli
from . import action, auth
from .cli import gdcatalog
from .offer import OfferLabels


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
class GDCatalogPlugin(OfferLabels, p.SingletonPlugin):
    p.implements(p.IPermissionLabels)
    p.implements(p.IClick)

    # IPermissionLabels: get_dataset_labels / get_user_dataset_labels from OfferLabels

    # IClick: ``ckan mofcompliance gdcatalog …`` joins the main plugin's command group
    # (which knows nothing of this package)

    def get_commands(self) -> list[Any]:
        main_cli.mofcompliance.add_command(gdcatalog)
        return []
