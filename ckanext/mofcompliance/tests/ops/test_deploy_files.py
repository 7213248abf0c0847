"""The production stack's files agree with each other and with the tests' configuration.

No Docker engine runs here: these tests read docker/compose.yaml, docker/Dockerfile,
docker/settings.ini, the start-up scripts and scripts/serve.sh as text and YAML, and check
what the image and the worker would be started with."""
from __future__ import annotations

import configparser
import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

from ckanext.mofcompliance.ops import doctor
from ckanext.mofcompliance.ops.queues import extension_queues

ROOT = Path(__file__).resolve().parents[4]
DOCKER = ROOT / "docker"
MIGRATIONS = ROOT / "ckanext" / "mofcompliance" / "migration"


def _ini(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return parser["app:main"]


@pytest.fixture(scope="module")
def settings() -> configparser.SectionProxy:
    return _ini(DOCKER / "settings.ini")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def _image_plugins() -> list[str]:
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    return re.search(r'^ENV CKAN__PLUGINS="([^"]*)"', dockerfile, re.M).group(1).split()


def test_the_settings_turn_on_the_dga_schema_and_its_presets(settings):
    assert settings["scheming.dataset_schemas"] == "ckanext.mofcompliance:schemas/dataset.yaml"
    assert settings["scheming.presets"].split() == [
        "ckanext.scheming:presets.json", "ckanext.mofcompliance:schemas/presets.yaml"]
    assert settings["scheming.dataset_fallback"] == "false"
    assert (ROOT / "ckanext/mofcompliance/schemas/dataset.yaml").is_file()
    assert (ROOT / "ckanext/mofcompliance/schemas/presets.yaml").is_file()


def test_every_plugin_of_the_settings_is_installed_and_the_extension_precedes_scheming(settings):
    plugins = settings["ckan.plugins"].split()
    installed = {e.name for e in entry_points(group="ckan.plugins")}
    assert set(plugins) <= installed
    assert plugins.index("mofcompliance") < plugins.index("scheming_datasets")
    assert "activity" in plugins


def test_the_image_loads_the_settings_plugins_with_envvars_last(settings):
    assert _image_plugins() == settings["ckan.plugins"].split() + ["envvars"]


def test_the_tests_run_the_production_plugins_and_schema(settings):
    """test.ini differs only in not loading the activity plugin for every test (the tests
    of the audit trail turn it on)."""
    tests = _ini(ROOT / "test.ini")
    production = settings["ckan.plugins"].split()
    assert tests["ckan.plugins"].split() == [p for p in production if p != "activity"]
    for key in ("scheming.dataset_schemas", "scheming.presets", "scheming.dataset_fallback"):
        assert tests[key] == settings[key]


def test_the_compose_environment_leaves_the_plugin_list_to_the_image(compose):
    for name in ("ckan", "worker"):
        assert "CKAN__PLUGINS" not in compose["services"][name]["environment"]
        assert "CKAN___SECRET_KEY" in compose["services"][name]["environment"]


def test_the_image_ships_the_settings_and_the_start_up_steps():
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    assert "docker/settings.ini ${APP_DIR}/mofcompliance-settings.ini" in dockerfile
    assert "docker/docker-entrypoint.d/ /docker-entrypoint.d/" in dockerfile
    assert "config-tool ${CKAN_INI} -f ${APP_DIR}/mofcompliance-settings.ini" in dockerfile
    steps = sorted(p.name for p in (DOCKER / "docker-entrypoint.d").iterdir())
    assert steps == ["10_mofcompliance_settings.sh", "20_mofcompliance_db_upgrade.sh"]
    upgrade = (DOCKER / "docker-entrypoint.d/20_mofcompliance_db_upgrade.sh").read_text()
    assert 'ckan -c "$CKAN_INI" db upgrade' in upgrade
    # CKAN 2.10 migrates only core unless each plugin with migrations is named
    plugins = [d.name for d in MIGRATIONS.iterdir() if (d / "alembic.ini").is_file()]
    assert plugins
    for plugin in plugins:
        assert 'ckan -c "$CKAN_INI" db upgrade -p %s' % plugin in upgrade


def test_the_worker_starts_through_the_settings_step_on_every_extension_queue(compose):
    worker = compose["services"]["worker"]
    assert worker["command"] == ["/srv/app/start_worker.sh"]
    assert worker["image"] == compose["services"]["ckan"]["image"]
    script = (DOCKER / "start_worker.sh").read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert ". /docker-entrypoint.d/10_mofcompliance_settings.sh" in lines
    assert lines[-1] == 'exec ckan -c "$CKAN_INI" mofcompliance worker'
    assert extension_queues() == ["default", "mofcompliance_quality"]


def test_the_demo_applies_the_same_settings_file():
    serve = (ROOT / "scripts/serve.sh").read_text(encoding="utf-8")
    assert '"$VENV/bin/ckan" config-tool "$INI" -f "$ROOT/docker/settings.ini"' in serve
    assert "ckan.plugins=" not in serve and "scheming.dataset_schemas=" not in serve


def test_every_variable_compose_reads_is_documented_in_the_env_example(compose):
    text = (DOCKER / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    example = (DOCKER / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in example.splitlines()
                  if line and not line.startswith("#")}
    assert used == documented
    assert all(not line.split("=", 1)[1] for line in example.splitlines()
               if re.match(r"[A-Z_]*(PASSWORD|SECRET)[A-Z_]*=", line)), "no secret in the example"



def test_doctor_advises_the_settings_plugin_list(settings):
    assert doctor.PRODUCTION_PLUGINS.split() == settings["ckan.plugins"].split()


def test_the_healthchecks_run_doctor_the_web_container_all_but_workers_the_worker_workers(
        compose):
    web = compose["services"]["ckan"]["healthcheck"]["test"]
    worker = compose["services"]["worker"]["healthcheck"]["test"]
    doctor_command = ["CMD", "ckan", "-c", "/srv/app/ckan.ini", "mofcompliance", "doctor"]
    assert web == doctor_command + ["--skip", "workers"]
    assert worker == doctor_command + ["--only", "workers"]
    assert "workers" in doctor.CHECKS
    assert compose["services"]["worker"]["depends_on"]["ckan"]["condition"] == "service_healthy"
