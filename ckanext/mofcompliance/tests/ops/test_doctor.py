"""``ckan mofcompliance doctor`` on the real PostgreSQL and Redis here, healthy and with
configurations broken on purpose; a worker is a real RQ worker registered in Redis.

The command itself runs as operators run it, in its own process with a config file made
from test.ini and the production settings (docker/settings.ini); the broken configurations
are checked in this process, the option changed for the one test."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from rq.utils import utcformat

import ckan.model as model
from ckan.lib import jobs

from ckanext.mofcompliance.ops import doctor
from ckanext.mofcompliance.ops.queues import extension_queues
from ckanext.mofcompliance.tests.configs import resolved_ini

ROOT = Path(__file__).resolve().parents[4]
CKAN = Path(sys.executable).parent / "ckan"
PRODUCTION = doctor.PRODUCTION_PLUGINS
UNUSED_PORT = 5107          # nothing listens there while the tests run
pytestmark = pytest.mark.usefixtures("clean_db")
production_plugins = pytest.mark.ckan_config("ckan.plugins", PRODUCTION)


@pytest.fixture
def production_ini(tmp_path) -> Path:
    """test.ini with the production settings merged in, as the image and serve.sh merge them."""
    ini = tmp_path / "ckan.ini"
    ini.write_text(resolved_ini(ROOT / "test.ini"), encoding="utf-8")
    subprocess.run([str(CKAN), "config-tool", str(ini), "-f", str(ROOT / "docker/settings.ini")],
                   check=True, capture_output=True)
    return ini


@pytest.fixture
def site_env(served_catalog, tmp_path) -> dict[str, str]:
    """The site served over HTTP at its site_url, with its own writable storage folder."""
    storage = tmp_path / "storage"
    storage.mkdir()
    return dict(os.environ, CKAN_SITE_URL=served_catalog, CKAN_STORAGE_PATH=str(storage))


@pytest.fixture
def worker():
    """A worker on every queue the extension uses, registered in RQ's worker registry (as
    `ckan mofcompliance worker` registers itself when it starts)."""
    registered = jobs.Worker(extension_queues())
    registered.register_birth()
    yield registered
    registered.register_death()


def _doctor(ini: Path, env: dict[str, str], *args: str) -> tuple[int, dict[str, str]]:
    result = subprocess.run([str(CKAN), "-c", str(ini), "mofcompliance", "doctor", *args],
                            env=env, capture_output=True, text=True, timeout=120)
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    return result.returncode, lines


def _finding(name: str) -> doctor.Finding:
    [finding] = doctor.run([name])
    return finding


@production_plugins
@pytest.mark.usefixtures("activity_tables", "worker")
def test_a_healthy_site_passes_every_check_with_exit_status_0(production_ini, site_env):
    status, lines = _doctor(production_ini, site_env)
    assert list(lines) == list(doctor.CHECKS)
    assert [line for line in lines.values() if not line.startswith("ok ")] == []
    assert status == 0
    assert "default: 1, mofcompliance_quality: 1" in lines["workers"]
    assert "pg_trgm present" in lines["migrations"]
    assert site_env["CKAN_SITE_URL"] in lines["site_url"]


@production_plugins
@pytest.mark.usefixtures("activity_tables")
def test_no_worker_is_a_problem_naming_each_queue_and_the_command(production_ini, site_env):
    status, lines = _doctor(production_ini, site_env, "--only", "workers")
    assert status == 1
    assert list(lines) == ["workers"]
    assert lines["workers"].startswith("PROBLEM workers")
    assert "no worker listens on: default, mofcompliance_quality" in lines["workers"]
    assert "ckan mofcompliance worker" in lines["workers"]


@production_plugins
@pytest.mark.usefixtures("activity_tables", "worker")
def test_skip_leaves_checks_out(production_ini, site_env):
    status, lines = _doctor(production_ini, site_env, "--skip", "workers", "--skip", "site_url")
    assert status == 0
    assert list(lines) == [name for name in doctor.CHECKS if name not in ("workers", "site_url")]


def test_a_worker_without_a_heartbeat_is_stuck(worker):
    silent_since = datetime.now(timezone.utc) - timedelta(hours=1)
    worker.connection.hset(worker.key, "last_heartbeat", utcformat(silent_since))
    finding = _finding("workers")
    assert not finding.ok
    assert "stuck: %s: no heartbeat since" % worker.name in finding.found
    assert "restart the worker" in finding.todo


@pytest.mark.usefixtures("worker")
def test_redis_down_fails_redis_and_workers(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:%d/0" % UNUSED_PORT)
    redis_finding, workers = doctor.run(["redis", "workers"])
    assert not redis_finding.ok and not workers.ok
    assert "Redis unreachable at redis://127.0.0.1:5107/0" in redis_finding.found
    assert "cannot read the worker registry" in workers.found


@pytest.mark.ckan_config("ckan.plugins", "activity mofcompliance mofcompliance_pgsearch")
def test_without_scheming_there_is_no_dataset_schema():
    finding = _finding("schema")
    assert not finding.ok
    assert "no dataset schema: scheming_datasets is not loaded" in finding.found
    assert "scheming.dataset_schemas = ckanext.mofcompliance:schemas/dataset.yaml" in finding.todo


@pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.scheming:ckan_dataset.yaml")
def test_scheming_s_own_schema_lacks_the_dga_items():
    finding = _finding("schema")
    assert not finding.ok
    assert "the active dataset schema lacks the DGA items:" in finding.found
    assert "data_type" in finding.found


@pytest.mark.ckan_config("ckanext.mofcompliance.dataset_schema", "site")
@pytest.mark.ckan_config("scheming.dataset_schemas",
                         "ckanext.mofcompliance.tests:fixtures/thai_gdc_dataset.yaml")
@pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json")
def test_beside_thai_gdc_the_sites_schema_is_ok_and_what_it_does_not_enforce_is_said():
    finding = _finding("schema")
    assert finding.ok
    assert "the site's own dataset schema is active (dataset_schema = site)" in finding.found
    assert "not enforced: " in finding.found
    assert "Item 6 Keywords: may be left empty" in finding.found


@pytest.mark.ckan_config("ckanext.mofcompliance.dataset_schema", "site")
@pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.scheming:ckan_dataset.yaml")
def test_beside_a_site_schema_without_the_items_they_are_a_problem():
    finding = _finding("schema")
    assert not finding.ok
    assert "the site's dataset schema lacks: " in finding.found
    assert "dataset_schema = dga" in finding.todo


@pytest.mark.ckan_config("ckan.plugins", "scheming_datasets mofcompliance mofcompliance_pgsearch")
def test_the_extension_after_scheming_and_no_activity_are_plugin_order_problems():
    finding = _finding("plugins")
    assert not finding.ok
    assert "mofcompliance is after scheming_datasets" in finding.found
    assert "activity is not loaded" in finding.found
    assert PRODUCTION in finding.todo


def bad_profiles(monkeypatch):
    """A config that start-up would refuse, undone before the plugins are unloaded (CKAN
    2.10 configures the plugins again at each unload)."""
    return monkeypatch.context()


def test_a_bad_profile_in_the_operator_s_folder_names_its_file(ckan_config, monkeypatch,
                                                               tmp_path):
    """A file edited since start-up: the next start would refuse it, doctor says so now."""
    (tmp_path / "fy2570.yaml").write_text("id: fy2570\nversion: [\n", encoding="utf-8")
    with bad_profiles(monkeypatch) as patch:
        patch.setitem(ckan_config, "ckanext.mofcompliance.profiles_path", [str(tmp_path)])
        [finding] = doctor.run(["profiles"])
    assert not finding.ok
    assert "invalid profile" in finding.found and "fy2570.yaml" in finding.found
    assert "ckan mofcompliance profile check" in finding.todo


def test_an_unknown_default_profile_is_a_problem(ckan_config, monkeypatch):
    with bad_profiles(monkeypatch) as patch:
        patch.setitem(ckan_config, "ckanext.mofcompliance.profile", "fy2599")
        [finding] = doctor.run(["profiles"])
    assert not finding.ok and "no profile fy2599 is loaded" in finding.found


def test_a_migration_not_applied_is_named():
    """The database as the first migration left it (the version row only: the tables stay,
    and the row is put back for the next test)."""
    version = sa.text("UPDATE mofcompliance_alembic_version SET version_num = :version")
    with model.meta.engine.begin() as connection:
        head = connection.execute(sa.text(
            "SELECT version_num FROM mofcompliance_alembic_version")).scalar_one()
        connection.execute(version, {"version": "5d3e1c2a9b07"})
    try:
        finding = _finding("migrations")
    finally:
        with model.meta.engine.begin() as connection:
            connection.execute(version, {"version": head})
    assert not finding.ok
    assert finding.found.endswith("migrations not applied: mofcompliance")
    assert "`ckan db upgrade -p mofcompliance`" in finding.todo  # CKAN 2.10 needs the name


def test_storage_that_is_not_a_folder_is_not_writable(ckan_config, monkeypatch, tmp_path):
    a_file = tmp_path / "storage"
    a_file.write_text("")
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(a_file))
    finding = _finding("storage")
    assert not finding.ok and "storage not writable: %s" % a_file in finding.found


def test_a_site_url_the_server_cannot_reach(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.site_url", "http://127.0.0.1:%d" % UNUSED_PORT)
    finding = _finding("site_url")
    assert not finding.ok
    assert "the server cannot reach http://127.0.0.1:5107/api/3/action/status_show" \
        in finding.found


@pytest.mark.ckan_config("ckanext.mofcompliance.quality.allowed_hosts",
                         "data.example.go.th 169.254.169.254")
def test_the_metadata_address_in_the_allow_list_is_a_problem():
    finding = _finding("outbound")
    assert not finding.ok and "the outbound allow-list opens: 169.254.169.254" in finding.found


def test_the_outbound_guard_s_settings_are_reported():
    finding = _finding("outbound")
    assert finding.ok
    assert "non-public addresses refused; time-outs 10/30 s" in finding.found
