"""Fixtures shared by the extension's tests."""
import threading

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's ``clean_db``, plus this extension's own tables (its migrations)."""
    reset_db()
    migrate_db_for("mofcompliance")
    migrate_db_for("mofcompliance_pgsearch")


@pytest.fixture
def served_catalog(make_app, clean_db):
    """This catalog served over real HTTP on 127.0.0.1 (a WSGI server in a thread), for
    browsers and harvesters; yields its base URL."""
    server = make_server("127.0.0.1", 0, make_app().app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_port
    server.shutdown()
