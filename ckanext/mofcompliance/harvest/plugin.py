"""The ``mofcompliance_gdcatalog`` plugin: wiring only (see ``offer`` and ``registration``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import registration
from .offer import OfferLabels


@tk.blanket.config_declarations
class GDCatalogPlugin(OfferLabels, p.SingletonPlugin):
    p.implements(p.IPermissionLabels)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)

    # IPermissionLabels: get_dataset_labels / get_user_dataset_labels from OfferLabels

    # IActions

    def get_actions(self) -> dict[str, Any]:
        return registration.all_actions()

    # IAuthFunctions

    def get_auth_functions(self) -> dict[str, Any]:
        return registration.all_auth_functions()
