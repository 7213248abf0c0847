"""The action of the ``mofcompliance_gdcatalog`` plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate  # not in the toolkit before CKAN 2.11

from ..dataset import evidence_activity
from ..logic import schema
from ..model import commit_unless_deferred
from . import registration


@validate(schema.registration_update_schema)
def mofcompliance_registration_update(context: dict[str, Any],
                                      data_dict: dict[str, Any]) -> dict[str, Any]:
    """Set a dataset's GD Catalog registration state.

    :param id: the dataset's name or id
    :param state: WAIT, VALIDATE, VALIDATE_MODIFIED, APPROVAL, REJECT, WAIT_REVOKE, REVOKE,
        DELETED or COMPLETED
    """
    dataset, state = data_dict["id"], data_dict["state"]
    tk.check_access("mofcompliance_registration_update", context, {"id": dataset})
    package_id = registration.resolve([dataset]).get(dataset)
    if package_id is None:
        raise tk.ObjectNotFound("ไม่พบชุดข้อมูล %s / no dataset %s" % (dataset, dataset))
    registration.store({package_id: state}, "action", evidence_activity.actor_id(context))
    commit_unless_deferred(context)
    return {"id": package_id, "state": state}
