"""CSRF protection of this extension's forms, checked by the extension itself.

CKAN skips its own check for requests signed with an API token; CKAN 2.12.0 does so
with ``csrf.exempt(view)``, which lasts for the life of the process, so after one API
call to a view a browser's post to it would no longer be checked. Every POST to this
extension's blueprints is therefore checked here as well (``protect``).
"""
from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

import ckan.plugins.toolkit as tk


def check_form_token() -> None:
    if tk.request.method != "POST" or tk.g.get("login_via_auth_header"):
        return
    try:
        validate_csrf(tk.request.form.get(tk.config.get("WTF_CSRF_FIELD_NAME")))
    except ValidationError:
        tk.abort(400, tk._("The CSRF token is missing or invalid; reload the page."))


def protect(blueprint: Blueprint) -> Blueprint:
    blueprint.before_request(check_form_token)
    return blueprint
