# -*- coding: utf-8 -*-
from setuptools import setup

# Metadata and options live in setup.cfg; this shim keeps `pip install -e .`
# working with older setuptools and declares the CKAN entry points.
setup(
    entry_points="""
        [ckan.plugins]
        mofcompliance = ckanext.mofcompliance.plugin:MofcompliancePlugin
        mofcompliance_pgsearch = ckanext.mofcompliance.search.plugin:PgSearchPlugin
        mofcompliance_gdcatalog = ckanext.mofcompliance.harvest.plugin:GDCatalogPlugin

        [ckan.rdf.profiles]
        mofcompliance_dga = ckanext.mofcompliance.harvest.dcat_profile:DGAProfile

        [console_scripts]
        mofcompliance-audit = ckanext.mofcompliance.standard.audit:main
    """,
)
