# -*- coding: utf-8 -*-
"""Alembic environment of this plugin's migrations (run by ``ckan db upgrade``)."""
from ckanext.mofcompliance.migration.alembic_env import run_migrations

run_migrations(__file__)
