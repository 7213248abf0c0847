"""A second CKAN on 127.0.0.1 playing NSO's GD Catalog, for the end-to-end harvest test.

It has its own database, Redis database, site id and port, and runs in processes of its
own, as the real one would: a web server and ckanext-harvest's gather and fetch consumers
(``ckan harvester gather-consumer|fetch-consumer`` on its real Redis queues); its
administrator drives harvests through its Action API. Like the agency catalogs NSO harvests,
it runs a dataset schema of thai_gdc's shape (``fixtures/thai_gdc_dataset.yaml``), not this
extension's, with this extension beside it in the ``site`` mode: the harvest is proven against
the receiving side's shape, and every thai_gdc field it receives is kept.
Every process it starts is stopped, with its process group, by ``stop``.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
import requests
import sqlalchemy as sa

PLUGINS = "mofcompliance scheming_datasets mofcompliance_pgsearch harvest ckan_harvester"
CKAN = str(Path(sys.executable).with_name("ckan"))

INI = """\
[app:main]
use = egg:ckan
ckan.site_url = http://127.0.0.1:{port}
ckan.site_id = {site_id}
ckan.site_title = GD Catalog (test)
sqlalchemy.url = {db_url}
# redis-py 8 (CKAN 2.12) gives up on a socket idle for 5 s by default; ckanext-harvest's
# consumers wait on the queue (BLPOP) without a time-out of their own.
ckan.redis.url = {redis_url}?socket_timeout=86400
solr_url = http://127.0.0.1:8983/solr/ckan
SECRET_KEY = gdcatalog-test-only-not-a-secret-padded-to-32-bytes
# CKAN 2.10 signs sessions and API tokens with this one, not with SECRET_KEY
beaker.session.secret = gdcatalog-test-only-not-a-secret-padded-to-32-bytes
ckan.plugins = {plugins}
ckanext.mofcompliance.dataset_schema = site
scheming.dataset_schemas = ckanext.mofcompliance.tests:fixtures/thai_gdc_dataset.yaml
scheming.presets = ckanext.scheming:presets.json
scheming.dataset_fallback = false
ckan.auth.create_unowned_dataset = true
ckan.storage_path = {workdir}/storage
ckan.harvest.mq.type = redis

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def database_url(agency_url: str) -> str:
    """``MOFCOMPLIANCE_GDCATALOG_DB_URL``, else the agency's database name + ``_gdcatalog``."""
    parts = urlsplit(agency_url)
    derived = urlunsplit(parts._replace(path=parts.path + "_gdcatalog"))
    return os.environ.get("MOFCOMPLIANCE_GDCATALOG_DB_URL", derived)


def redis_url(agency_url: str) -> str:
    """``MOFCOMPLIANCE_GDCATALOG_REDIS_URL``, else the agency's Redis database number + 8."""
    parts = urlsplit(agency_url)
    number = (int(parts.path.strip("/") or 0) + 8) % 16
    derived = urlunsplit(parts._replace(path="/%d" % number))
    return os.environ.get("MOFCOMPLIANCE_GDCATALOG_REDIS_URL", derived)


def _environment() -> dict[str, str]:
    """This process's environment without its CKAN_* variables, which CKAN would read as
    configuration (the agency's database and Redis) over the GD Catalog's own file."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GDCatalog:
    def __init__(self, workdir: Path, db_url: str, redis_url: str) -> None:
        self.workdir, self.db_url, self.redis_url = workdir, db_url, redis_url
        self.site_id = "gdcatalog-" + uuid.uuid4().hex[:8]
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.ini = workdir / "gdcatalog.ini"
        self.processes: list[subprocess.Popen] = []
        self.token = ""

    # ------------------------------------------------------------ processes

    def ckan(self, *args: str, answer: str = "") -> str:
        done = subprocess.run([CKAN, "-c", str(self.ini), *args], capture_output=True,
                              text=True, timeout=180, cwd=self.workdir, env=_environment(),
                              input=answer)
        if done.returncode:
            raise AssertionError("ckan %s failed:\n%s\n%s" % (" ".join(args), done.stdout,
                                                              done.stderr))
        return done.stdout

    def _spawn(self, name: str, *args: str) -> None:
        """Start a long-running ``ckan`` command in a process group of its own."""
        with open(self.workdir / (name + ".log"), "w") as log:
            self.processes.append(subprocess.Popen(
                [CKAN, "-c", str(self.ini), *args], stdout=log, stderr=subprocess.STDOUT,
                cwd=self.workdir, env=_environment(), start_new_session=True))

    def logs(self) -> str:
        return "\n".join("--- %s\n%s" % (p.name, p.read_text()[-3000:])
                         for p in sorted(self.workdir.glob("*.log")))

    def start(self) -> None:
        self.ini.write_text(INI.format(port=self.port, site_id=self.site_id, db_url=self.db_url,
                                       redis_url=self.redis_url, plugins=PLUGINS,
                                       workdir=self.workdir), encoding="utf-8")
        self._empty_database()
        self.ckan("db", "upgrade")
        for plugin in ("mofcompliance", "mofcompliance_pgsearch", "harvest"):
            self.ckan("db", "upgrade", "-p", plugin)  # CKAN 2.10 migrates only core above
        self.ckan("sysadmin", "add", "nso-admin", "email=nso-admin@example.org",
                  "password=" + uuid.uuid4().hex, answer="y\n")
        self.token = self.ckan("user", "token", "add", "nso-admin", "e2e").split()[-1]
        self._spawn("web", "run", "-H", "127.0.0.1", "-p", str(self.port),
                    "--disable-reloader", "--threaded")
        self._spawn("gather", "harvester", "gather-consumer")
        self._spawn("fetch", "harvester", "fetch-consumer")
        self._wait_for_web()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        queues = redis.Redis.from_url(self.redis_url)
        for key in queues.scan_iter("ckanext-harvest:%s:*" % self.site_id):
            queues.delete(key)

    def _empty_database(self) -> None:
        """Start from an empty database (another CKAN version may have migrated it)."""
        engine = sa.create_engine(self.db_url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()

    def _wait_for_web(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/3/action/status_show", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise AssertionError("the GD Catalog did not start:\n" + self.logs())

    # ------------------------------------------------------------ its API

    def action(self, name: str, **params: Any) -> Any:
        """An anonymous GET, as anyone reading the GD Catalog; None when refused."""
        response = requests.get("%s/api/3/action/%s" % (self.url, name), params=params,
                                timeout=30)
        return response.json().get("result") if response.ok else None

    def admin_action(self, action: str, **data: Any) -> Any:
        """A POST by the GD Catalog's sysadmin (NSO's administrator)."""
        response = requests.post("%s/api/3/action/%s" % (self.url, action), json=data,
                                 headers={"Authorization": self.token}, timeout=60)
        assert response.ok, response.text + "\n" + self.logs()
        return response.json()["result"]

    # ------------------------------------------------------------ harvesting

    def harvest(self, source: str, url: str, config: dict[str, Any]) -> dict[str, Any]:
        """Create a CKAN harvest source and a job (which goes on the gather queue), and
        return the job once every harvest object is imported or has failed.

        Through the API: on CKAN 2.12, ``ckan harvester source create`` (ckanext-harvest
        1.6.3) creates the source, then fails printing it. The job is not then marked
        "Finished" (``ckan harvester run``): that re-indexes the source through
        ``ckan.lib.search.index.PackageSearchIndex``, which ckanext-harvest imports by
        name, past ``mofcompliance_pgsearch``, so it needs Solr.
        """
        created = self.admin_action("harvest_source_create", name=source, title=source,
                                    url=url, source_type="ckan", frequency="MANUAL",
                                    config=json.dumps(config))
        self.admin_action("harvest_job_create", source_id=created["id"], run=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = self.action("harvest_source_show_status", id=created["id"]) or {}
            job = status.get("last_job")
            if job and job["gather_finished"] and "null" not in job["stats"]:
                return job
            time.sleep(0.5)
        raise AssertionError("the harvest did not finish:\n" + self.logs())
