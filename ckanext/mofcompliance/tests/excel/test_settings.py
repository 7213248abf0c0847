"""The Excel limits follow the configuration."""
import pytest

from ckanext.mofcompliance.excel.settings import Limits


@pytest.mark.ckan_config("ckanext.mofcompliance.excel.max_file_size_mb", 2)
@pytest.mark.ckan_config("ckanext.mofcompliance.excel.max_rows", 7)
def test_limits_follow_the_config(ckan_config):
    limits = Limits.from_config()
    assert (limits.max_file_bytes, limits.max_rows) == (2 * 1024 * 1024, 7)
