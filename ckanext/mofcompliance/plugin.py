"""Wiring of the ``mofcompliance`` plugin: interfaces only, no business logic."""
from __future__ import annotations

from types import ModuleType
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from . import cli
from . import config as mofconfig
from .access import private_resources
from .dashboard import views
from .excel import views as excel_views
from .kpi import profiles as kpi_profiles
from .logic import action, auth, name_validators, parameter_validators, validators
from .quality import action as quality_action
from .quality import auth as quality_auth
from .quality import jobs as quality_jobs
from .quality import store as quality_store
from .scoring import facets
from .scoring import store as score_store


def _exported(*modules: ModuleType) -> dict[str, Any]:
    """What each module exports (its ``__all__``), as a blanket registers one module's."""
    return {name: getattr(module, name) for module in modules for name in module.__all__}


@tk.blanket.config_declarations
@tk.blanket.actions(lambda: {**action.registered(), **_exported(quality_action)})
@tk.blanket.auth_functions(lambda: _exported(auth, quality_auth))
@tk.blanket.validators(lambda: _exported(validators, name_validators, parameter_validators))
@tk.blanket.helpers
class MofcompliancePlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IBlueprint)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        if mofconfig.dataset_schema() == "dga":
            # The DGA form and dataset-page layout; a site keeping its own schema keeps its form.
            tk.add_template_directory(config, "templates/dga_form")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "mofcompliance")
        quality_jobs.listen()

    # IConfigurable

    def configure(self, ckan_config: tk.CKANConfig) -> None:
        kpi_profiles.load_at_start_up(mofconfig.profiles_path(), mofconfig.default_profile())

    # IClick

    def get_commands(self) -> list[Any]:
        return [cli.mofcompliance]

    # IBlueprint

    def get_blueprint(self) -> list[Any]:
        return views.blueprints() + excel_views.blueprints()

    # IPackageController: the score store follows every dataset change

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return score_store.on_dataset_index(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        private_resources.withhold(context, pkg_dict)

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        quality_jobs.on_dataset_saved(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        # resource_delete updates the dataset too: its check goes here
        quality_store.forget_removed_resources(pkg_dict["id"])
        quality_jobs.on_dataset_saved(pkg_dict["id"])

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        score_store.remove_score(pkg_dict["id"])

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return facets.after_search(search_results)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return facets.add_facets(facets_dict)

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: str) -> dict[str, Any]:
        return facets.add_facets(facets_dict)

    # ISignal

    def get_signal_subscriptions(self) -> dict[Any, Any]:
        return {tk.signals.action_succeeded: [
            {"sender": "dataset_purge", "receiver": score_store.on_dataset_purged},
            {"sender": "dataset_purge", "receiver": quality_store.on_dataset_purged}],
            quality_jobs.not_indexed: [score_store.on_checked_not_indexed]}
