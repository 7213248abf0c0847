"""Asking CKAN's authorisation layer whether a user may call an action, as the API does
before the action runs (shared by the packages' test_auth.py)."""
from typing import Any, Optional

import ckan.model as model
from ckan.logic import NotAuthorized
from ckan.tests import factories, helpers

ROLES = ("member", "editor", "admin")


def allowed(action: str, user: Optional[dict[str, Any]], **data: Any) -> bool:
    """Whether ``user`` (None: an anonymous visitor) may call ``action`` with ``data``."""
    context = {"user": user["name"] if user else "", "model": model}
    try:
        helpers.call_auth(action, context, **data)
    except NotAuthorized:
        return False
    return True


def agency_people() -> dict[str, Any]:
    """A member, an editor and an admin of ``mof-ops``, an admin of another organisation
    (the outsider) and a sysadmin; ``org`` is ``mof-ops``."""
    people: dict[str, Any] = {role: factories.User() for role in ROLES + ("outsider",)}
    people["sysadmin"] = factories.Sysadmin()
    people["org"] = factories.Organization(name="mof-ops", users=[
        {"name": people[role]["name"], "capacity": role} for role in ROLES])
    factories.Organization(name="other-agency", users=[
        {"name": people["outsider"]["name"], "capacity": "admin"}])
    return people
