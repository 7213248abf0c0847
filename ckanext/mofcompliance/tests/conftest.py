"""Fixtures shared by the extension's tests."""
import importlib.util
import os
import threading

import pytest
from hypothesis import settings
from werkzeug.serving import make_server

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.plugins import core as plugin_core
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
def with_plugins(ckan_config):
    """CKAN's ``with_plugins`` (the plugins ``ckan.plugins`` names, as the test's
    ``ckan_config`` marks leave it), loaded only when they are not the ones loaded already.

    CKAN's fixture unloads every plugin after each test and loads them again before the
    next, and every load and unload re-runs CKAN's whole ``update_config``: each plugin's
    ``update_config`` and ``configure``, CKAN's config declarations read from their YAML,
    scheming's schemas. That was 40 % of this suite's time, per test, for the same plugins.
    Here the plugins stay loaded from test to test while they are the ones wanted, and the
    config, which ``ckan_config`` puts back after every test, is updated once, as a load
    updates it; another set of plugins is loaded as CKAN's fixture loads it."""
    wanted = tk.aslist(ckan_config.get("ckan.plugins")) + _system_plugins()
    if list(plugin_core._PLUGINS) == wanted:
        plugin_core.plugins_update()
    else:
        plugins.load_all()
    yield


def _system_plugins() -> list:
    """The plugins CKAN loads whatever ``ckan.plugins`` says (2.10, 2.11; none in 2.12)."""
    return getattr(plugin_core, "find_system_plugins", list)()


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
