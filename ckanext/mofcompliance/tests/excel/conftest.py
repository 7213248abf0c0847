"""Fixtures of the Excel tests."""
import pytest


@pytest.fixture(autouse=True)
def staging_in_tmp(ckan_config, monkeypatch, tmp_path):
    """Uploads are staged under the test's own storage path, removed with it."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
