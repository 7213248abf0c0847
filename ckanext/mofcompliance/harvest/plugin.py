"""The ``mofcompliance_gdcatalog`` plugin: wiring only (see ``offer`` and ``registration``)."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import action, auth
from .offer import OfferLabels


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
class GDCatalogPlugin(OfferLabels, p.SingletonPlugin):
    p.implements(p.IPermissionLabels)

    # IPermissionLabels: get_dataset_labels / get_user_dataset_labels from OfferLabels
