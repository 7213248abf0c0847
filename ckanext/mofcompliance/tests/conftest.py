"""Fixtures shared by the extension's tests."""
import importlib.util
import os
import threading

import pytest
from hypothesis import settings
from werkzeug.serving import make_server

from ckan.lib import jobs
from ckan.tests.pytest_ckan import fixtures as ckan_fixtures

# In CI (the CI variable set, as .ci/run and CI services do) hypothesis draws the same examples
# on every run and keeps no example database: a red build is reproducible, never a fluke.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


if not hasattr(ckan_fixtures, "clean_queues"):
    # CKAN 2.10 has no ``clean_queues`` (2.11 added it): the same, emptying every queue.
    @pytest.fixture
    def clean_queues():
        """Every job queue emptied and deleted, as CKAN 2.11's fixture does."""
        for queue in jobs.get_all_queues():
            queue.delete()


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus this extension's own tables (its migrations)."""
    reset_db()
    migrate_db_for("mofcompliance")
    migrate_db_for("mofcompliance_pgsearch")


@pytest.fixture
def activity_tables(clean_db, migrate_db_for):
    """The activity plugin's tables: its own migrations from CKAN 2.11; in CKAN 2.10 they
    are core's (``clean_db`` made them) and the plugin has none."""
    if importlib.util.find_spec("ckanext.activity.migration") is not None:
        migrate_db_for("activity")


@pytest.fixture
def served_catalog(make_app, clean_db):
    """This catalog served over real HTTP on 127.0.0.1 (a WSGI server in a thread), for
    browsers and harvesters; yields its base URL."""
    server = make_server("127.0.0.1", 0, make_app().app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_port
    server.shutdown()
