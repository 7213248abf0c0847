"""Fixtures shared by the extension's tests."""
import importlib.util
import os
import threading

import pytest
from hypothesis import settings
from werkzeug.serving import make_server

import ckan.model as model
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
    """CKAN's ``with_plugins``: the plugins ``ckan.plugins`` names (as the test's
    ``ckan_config`` marks leave it) are the ones loaded, configured by the test's config.

    CKAN's fixture unloads them after every test and loads them again for the next, one
    ``update_config`` per load and unload (per plugin on CKAN 2.10): each plugin's
    ``update_config`` and ``configure``, CKAN's config declarations and scheming's schemas
    read again, about a third of this suite's time. Here plugins that are already the ones
    wanted stay loaded and the config is updated once; another set is loaded as CKAN loads
    it. The test's database session is closed after it, as the end of a request closes it,
    so that no transaction of one test is open when the next one empties the tables."""
    _load_plugins(ckan_config)
    yield
    model.Session.remove()


@pytest.fixture
def make_app(make_app, ckan_config, monkeypatch):
    """CKAN's ``make_app``, whose environment loads the plugins as ``with_plugins`` does
    (CKAN's unloads and reloads them, twice the config update, for every app made)."""
    def make():
        with monkeypatch.context() as patch:
            patch.setattr(plugins, "load_all", lambda **_: _load_plugins(ckan_config))
            return make_app()
    return make


def _load_plugins(ckan_config) -> None:
    """The plugins ``ckan.plugins`` names loaded, or, when they are the ones loaded, the
    config updated as a load updates it."""
    wanted = tk.aslist(ckan_config.get("ckan.plugins")) + _system_plugins()
    if list(plugin_core._PLUGINS) == wanted:
        plugin_core.plugins_update()
    else:
        plugin_core.load_all()


def _system_plugins() -> list[str]:
    """The plugins CKAN loads whatever ``ckan.plugins`` says (2.10, 2.11; 2.12 has none)."""
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
