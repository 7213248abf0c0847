"""Fixtures of the browser journeys."""
import pytest


@pytest.fixture
def site(served_catalog: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The served catalog, knowing its own address: CKAN's scripts fetch their
    translations from ``ckan.site_url`` before they start any module."""
    from ckan.common import config
    monkeypatch.setitem(config, "ckan.site_url", served_catalog)
    return served_catalog
