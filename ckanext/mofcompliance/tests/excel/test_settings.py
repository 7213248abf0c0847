"""The Excel options: declared in config_declaration.yaml with the defaults the code uses."""
from pathlib import Path

import pytest
import yaml

from ckanext.mofcompliance.excel import settings
from ckanext.mofcompliance.excel.settings import Limits

DECLARATION = Path(settings.__file__).parents[1] / "config_declaration.yaml"


def declared():
    options = {}
    for group in yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))["groups"]:
        options.update({o["key"]: o for o in group["options"]})
    return options


def test_every_option_is_declared_with_the_codes_default():
    options = declared()
    missing = [settings.PREFIX + n for n in settings.DEFAULTS if settings.PREFIX + n not in options]
    assert not missing, "declare in config_declaration.yaml: %s" % ", ".join(missing)
    assert {n: str(options[settings.PREFIX + n]["default"]) for n in settings.DEFAULTS} == {
        n: str(default) for n, default in settings.DEFAULTS.items()}


@pytest.mark.ckan_config("ckanext.mofcompliance.excel.max_file_size_mb", "2")
@pytest.mark.ckan_config("ckanext.mofcompliance.excel.max_rows", "7")
def test_limits_follow_the_config(ckan_config):
    limits = Limits.from_config()
    assert (limits.max_file_bytes, limits.max_rows) == (2 * 1024 * 1024, 7)
