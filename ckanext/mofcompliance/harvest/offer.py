"""ชุดข้อมูลที่เสนอให้ GD Catalog / Which datasets the GD Catalog's harvester is offered.

thai_gdc's rule: a dataset is offered to the GD Catalog unless it is private or its
``allow_harvest`` is "False" (absent or "True" means offered). With
``ckanext.mofcompliance.harvest_only_compliant`` on, a dataset must also have all 14 items.

**How a harvest is recognised.** The GD Catalog's harvester signs in as a dedicated CKAN
user named in ``ckanext.mofcompliance.harvester_users``: ckanext-harvest's CKAN harvester
sends that user's API token with every request (``{"api_key": "<token>"}`` in the harvest
source's configuration). The identity is authenticated, unlike a User-Agent, which any
script can send or leave out. A harvester account must not be a sysadmin (sysadmins skip
permission checks) and sees only what is offered, whatever organisations it belongs to.

**Where the rule is enforced.** As CKAN permission labels, not as a filter added to some
requests: an offered dataset carries the label ``gdcatalog`` besides CKAN's own labels,
and a harvester account holds that label only. CKAN checks labels in every search
(Solr or ``mofcompliance_pgsearch``: paging and counts stay right) and in ``package_show``'s
authorisation, so every door built on those — the Action API, dataset pages, resource
downloads, ckanext-dcat's ``/catalog.ttl`` — hides the same datasets. Labels are indexed:
after changing ``harvest_only_compliant``, run ``ckan search-index rebuild``.
"""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
from ckan.lib.plugins import DefaultPermissionLabels

from .. import config
from ..model import dataset_score_table

OFFER_LABEL = "gdcatalog"


def is_harvester(user_obj: Optional[model.User]) -> bool:
    """Is this the GD Catalog's harvester account (signed in with its API token)?"""
    if user_obj is None or getattr(user_obj, "is_anonymous", False):
        return False
    return user_obj.name in config.harvester_users()


def harvest_allowed(package: model.Package) -> bool:
    """thai_gdc's ``allow_harvest``: only the exact value "False" withholds consent."""
    return (package.extras or {}).get("allow_harvest") != "False"


def is_compliant(package_id: str) -> bool:
    """All 14 items, as the score store holds them (written when the dataset is indexed,
    before its labels are computed)."""
    score = dataset_score_table
    return bool(model.Session.execute(
        sa.select(score.c.metadata_complete).where(score.c.package_id == package_id)).scalar())


def is_offered(package: model.Package) -> bool:
    return (package.state == "active" and not package.private
            and package.type == "dataset" and harvest_allowed(package)
            and (not config.harvest_only_compliant() or is_compliant(package.id)))


class OfferLabels(DefaultPermissionLabels):
    """CKAN's labels, plus ``gdcatalog`` on offered datasets; harvester accounts hold
    ``gdcatalog`` alone."""

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        labels = super().get_dataset_labels(dataset_obj)
        return labels + [OFFER_LABEL] if is_offered(dataset_obj) else labels

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        if is_harvester(user_obj):
            return [OFFER_LABEL]
        return super().get_user_dataset_labels(user_obj)
