"""Fixtures of the GD Catalog tests."""
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

GDCATALOG_PLUGINS = "mofcompliance scheming_datasets mofcompliance_pgsearch mofcompliance_gdcatalog"
HARVESTER = "gdcatalog-harvester"

# Until setup.py declares the ``mofcompliance_gdcatalog`` plugin and the ``mofcompliance_dga``
# RDF profile, their entry points come from this test-only distribution.
if not entry_points(group="ckan.plugins", name="mofcompliance_gdcatalog"):
    sys.path.append(str(Path(__file__).resolve().parent / "wiring"))


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง")


@pytest.fixture
def harvester_token(clean_db):
    """The GD Catalog harvester's account (named in ``harvester_users``) and its API token."""
    user = factories.User(name=HARVESTER)
    return helpers.call_action("api_token_create", context={"user": user["name"]},
                               user=user["name"], name="gdcatalog")["token"]


@pytest.fixture
def make_dataset(org):
    def make(**overrides):
        return helpers.call_action("package_create", **complete_dataset(org["id"], **overrides))
    return make
