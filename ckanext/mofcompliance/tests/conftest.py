"""Fixtures shared by the extension's tests."""
import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus this extension's own tables (its migrations)."""
    reset_db()
    migrate_db_for("mofcompliance")
    migrate_db_for("mofcompliance_pgsearch")
