"""Every option is read through ``config``, declared, and arrives typed as declared."""
import inspect
import typing
from pathlib import Path

import pytest
import yaml

from ckanext.mofcompliance import config

from .harvest.conftest import GDCATALOG_PLUGINS

# The package's and each plugin's declarations (the harvest offer's, the search's)
DECLARATIONS = sorted(Path(config.__file__).parent.glob("**/config_declaration.yaml"))
GETTERS = {name: f for name, f in inspect.getmembers(config, inspect.isfunction)
           if not name.startswith("_") and f.__module__ == config.__name__}


def declared():
    options = {}
    for path in DECLARATIONS:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            options.update({o["key"]: o for o in group["options"]})
    return options


def test_every_declared_option_has_a_getter():
    options = {key[len(config.PREFIX):].replace(".", "_") for key in declared()}
    assert options == (set(GETTERS) - {"default_profile"}) | {"profile"}


@pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS)
@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("name", sorted(GETTERS))
def test_each_getter_gives_its_declared_type(name):
    expected = typing.get_type_hints(GETTERS[name])["return"]
    assert isinstance(GETTERS[name](), typing.get_origin(expected) or expected)
