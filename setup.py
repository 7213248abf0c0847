# -*- coding: utf-8 -*-
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalog(build_py):
    """Compile the translations (``.po`` → ``.mo``, what CKAN reads) into the build.

    The ``.mo`` is not kept in git: a wheel or sdist build compiles it here, an editable
    install through ``scripts/lib.sh`` (``ensure_venv``).
    """

    def run(self) -> None:
        self.run_command("compile_catalog")
        super().run()


# Metadata and options live in setup.cfg; this shim keeps `pip install -e .`
# working with older setuptools and declares the CKAN entry points and the message
# extraction (Python, and the Jinja templates with CKAN's own tags).
setup(
    cmdclass={"build_py": BuildWithCatalog},
    message_extractors={
        "ckanext": [
            ("**/tests/**", "ignore", None),
            ("**.py", "python", None),
            ("**/templates/**.html", "ckan.lib.extract:extract_ckan", None),
        ],
    },
    entry_points="""
        [ckan.plugins]
        mofcompliance = ckanext.mofcompliance.plugin:MofcompliancePlugin
        mofcompliance_pgsearch = ckanext.mofcompliance.search.plugin:PgSearchPlugin
        mofcompliance_gdcatalog = ckanext.mofcompliance.harvest.plugin:GDCatalogPlugin

        [ckan.rdf.profiles]
        mofcompliance_dga = ckanext.mofcompliance.harvest.dcat_profile:DGAProfile

        [console_scripts]
        mofcompliance-audit = ckanext.mofcompliance.audit.cli:main
    """,
)
