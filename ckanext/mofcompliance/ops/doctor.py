"""``ckan mofcompliance doctor``: the checks an operator runs on a site, each giving one
finding (ok, or the problem and what to do).

Each check reads, never writes, except the storage check's own temporary file. A check that
cannot reach what it checks reports that as its problem; none waits more than a few seconds
(Redis and ``site_url`` are asked with short time-outs).
"""
from __future__ import annotations

import inspect
import ipaddress
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import redis
import requests
import rq
import sqlalchemy as sa
import yaml
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import ckan.migration
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import jobs

from .. import config
from ..dataset import site_schema
from ..kpi.profile_format import ProfileError
from ..kpi.profiles import build_registry
from .queues import extension_queues

DGA_SCHEMA = "ckanext.mofcompliance:schemas/dataset.yaml"
DGA_SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "dataset.yaml"
SETTINGS_HINT = "docker/settings.ini"
# docker/settings.ini's list (tests/ops/test_deploy_files.py keeps the two the same).
PRODUCTION_PLUGINS = "activity mofcompliance scheming_datasets mofcompliance_pgsearch"
TIMEOUT = 5          # seconds, for Redis and site_url
# How long past a job's own time-out (or without a heartbeat) a busy worker counts as stuck.
STUCK_GRACE = timedelta(minutes=5)
METADATA_HOSTS = {"169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "100.100.100.200"}


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    found: str          # what was found, "ไทย / English"
    todo: str = ""      # what to do about a problem

    def line(self) -> str:
        status = "ok     " if self.ok else "PROBLEM"
        text = "%s %-10s %s" % (status, self.check, self.found)
        return text + ("  → " + self.todo if self.todo else "")


def _ok(check: str, found: str) -> Finding:
    return Finding(check, True, found)


def _problem(check: str, found: str, todo: str) -> Finding:
    return Finding(check, False, found, todo)


def _plugins() -> list[str]:
    return list(tk.aslist(tk.config.get("ckan.plugins")))


# ---------------------------------------------------------------- the standard's wiring

def _dga_field_names() -> set[str]:
    with DGA_SCHEMA_FILE.open(encoding="utf-8") as source:
        return {f["field_name"] for f in yaml.safe_load(source)["dataset_fields"]}


def check_schema() -> Finding:
    """The dataset form and validation are the DGA's: every field of this extension's schema
    is in the active ``dataset`` schema."""
    todo = "set scheming.dataset_schemas = %s (%s) / ตั้งค่าแบบข้อมูลของ สพร." % (
        DGA_SCHEMA, SETTINGS_HINT)
    if not p.plugin_loaded("scheming_datasets"):
        return _problem("schema", "ไม่มีแบบข้อมูลชุดข้อมูล / no dataset schema: "
                        "scheming_datasets is not loaded", "add scheming_datasets to "
                        "ckan.plugins and " + todo)
    from ckanext.scheming.helpers import scheming_get_dataset_schema
    schema = scheming_get_dataset_schema("dataset")
    if not schema:
        return _problem("schema", "ไม่มีแบบข้อมูลของประเภท dataset / no schema for the "
                        "dataset type", todo)
    if config.dataset_schema() == "site":
        return _site_schema(schema)
    missing = _dga_field_names() - {f["field_name"] for f in schema.get("dataset_fields", [])}
    if missing:
        return _problem("schema", "แบบข้อมูลที่ใช้อยู่ขาดรายการของ สพร. / the active dataset "
                        "schema lacks the DGA items: %s" % ", ".join(sorted(missing)), todo)
    return _ok("schema", "แบบข้อมูลของ สพร. ใช้งานอยู่ / the DGA dataset schema is active "
               "(%d fields)" % len(schema["dataset_fields"]))


def _site_schema(schema: dict) -> Finding:
    """``dataset_schema = site``: the site's own schema (thai_gdc's) is the form; an item it
    lacks cannot be filled in, one it does not require or restrict is scored, not enforced."""
    unowned = tk.asbool(tk.config.get("ckan.auth.create_unowned_dataset"))
    gaps = site_schema.not_enforced(schema, unowned_datasets_allowed=unowned)
    absent = [gap for gap in gaps if site_schema.ABSENT in gap.reasons]
    if absent:
        return _problem("schema", "แบบข้อมูลของเว็บไซต์ขาดรายการ / the site's dataset schema "
                        "lacks: %s" % "; ".join(site_schema.describe(gap) for gap in absent),
                        "add these fields to the site's schema, or set "
                        "ckanext.mofcompliance.dataset_schema = dga")
    found = "แบบข้อมูลของเว็บไซต์ใช้งานอยู่ / the site's own dataset schema is active " \
            "(dataset_schema = site)"
    if gaps:
        found += "; ไม่บังคับ / not enforced: " + "; ".join(
            site_schema.describe(gap) for gap in gaps)
    return _ok("schema", found)


def check_plugins() -> Finding:
    """mofcompliance before scheming_datasets (its templates win), activity for the audit
    trail, envvars (when used) last so that its variables override everything."""
    plugins = _plugins()
    faults = []
    if "mofcompliance" in plugins and "scheming_datasets" in plugins and \
            plugins.index("mofcompliance") > plugins.index("scheming_datasets"):
        faults.append("mofcompliance is after scheming_datasets (its form is not shown)")
    if "activity" not in plugins:
        faults.append("activity is not loaded (no audit trail of the KPI's evidence)")
    if "envvars" in plugins and plugins[-1] != "envvars":
        faults.append("envvars is not last (the plugins after it override CKAN__ variables)")
    if faults:
        return _problem("plugins", "ลำดับปลั๊กอิน / plugin order: " + "; ".join(faults),
                        "ckan.plugins = %s (%s)" % (PRODUCTION_PLUGINS, SETTINGS_HINT))
    return _ok("plugins", "ลำดับปลั๊กอินถูกต้อง / plugin order: " + " ".join(plugins))


def check_profiles() -> Finding:
    """The KPI profiles (shipped and the operator's folders) read now as start-up reads
    them, and the default profile among them."""
    todo = "fix the file, then `ckan mofcompliance profile check FILE` / แก้ไฟล์แล้วตรวจซ้ำ"
    try:
        registry = build_registry(config.profiles_path())
    except ProfileError as error:
        return _problem("profiles", "โปรไฟล์ไม่ถูกต้อง / invalid profile: %s"
                        % " ".join(str(error).split()), todo)
    if config.default_profile() not in registry.profiles:
        return _problem("profiles", "ไม่มีโปรไฟล์ %s / no profile %s is loaded"
                        % (config.default_profile(), config.default_profile()),
                        "set ckanext.mofcompliance.profile to one of: "
                        + ", ".join(sorted(registry.profiles)))
    return _ok("profiles", "โปรไฟล์ถูกต้อง / profiles valid: %s (default %s)"
               % (", ".join(sorted(registry.profiles)), config.default_profile()))


# ---------------------------------------------------------------- the services

def _migration_folders() -> list[tuple[str, Path]]:
    """CKAN's migrations, then those of each loaded plugin that has a folder of them (found
    the way ``ckan db upgrade`` finds them)."""
    folders = [("ckan", Path(ckan.migration.__file__).parent)]
    for name in _plugins():
        plugin = p.get_plugin(name)
        source = inspect.getsourcefile(type(plugin)) if plugin else None
        if not source:
            continue
        path = Path(source).parent
        while path.parent.name != "ckanext" and path.parent != path:
            path = path.parent
        if (path / "migration" / name / "alembic.ini").is_file():
            folders.append((name, path / "migration" / name))
    return folders


def _behind(connection: sa.engine.Connection, name: str, folder: Path) -> bool:
    table = "alembic_version" if name == "ckan" else "%s_alembic_version" % name
    current = set(MigrationContext.configure(
        connection, opts={"version_table": table}).get_current_heads())
    return current != set(ScriptDirectory(str(folder)).get_heads())


def check_migrations() -> Finding:
    """Every migration applied (CKAN's and the plugins'); ``pg_trgm`` present where the
    PostgreSQL search is on."""
    with model.meta.engine.connect() as connection:
        behind = [name for name, folder in _migration_folders()
                  if _behind(connection, name, folder)]
        trigram = connection.execute(sa.text(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if behind:
        # CKAN 2.10's `db upgrade` migrates core only: each plugin is named
        commands = ["`ckan db upgrade`" if name == "ckan" else "`ckan db upgrade -p %s`" % name
                    for name in behind]
        return _problem("migrations", "ฐานข้อมูลยังไม่ปรับรุ่น / migrations not applied: "
                        + ", ".join(behind), "run " + " then ".join(commands))
    if "mofcompliance_pgsearch" in _plugins() and not trigram:
        return _problem("migrations", "ไม่มี pg_trgm / the pg_trgm extension is missing "
                        "(mofcompliance_pgsearch needs it)",
                        "CREATE EXTENSION pg_trgm (as the database owner), then "
                        "`ckan db upgrade`")
    return _ok("migrations", "ปรับรุ่นครบ / migrations current"
               + (", pg_trgm present" if trigram else ""))


def _redis() -> redis.Redis:
    return redis.Redis.from_url(tk.config.get("ckan.redis.url"),
                                socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)


def check_redis() -> Finding:
    url = tk.config.get("ckan.redis.url")
    try:
        _redis().ping()
    except redis.exceptions.RedisError as error:
        return _problem("redis", "ติดต่อ Redis ไม่ได้ / Redis unreachable at %s (%s)"
                        % (url, error), "start Redis or correct ckan.redis.url")
    return _ok("redis", "ติดต่อ Redis ได้ / Redis answers at %s" % url)


def check_search() -> Finding:
    backend = ("PostgreSQL (mofcompliance_pgsearch)" if "mofcompliance_pgsearch" in _plugins()
               else "Solr at %s" % tk.config.get("solr_url"))
    try:
        found = tk.get_action("package_search")(
            {"ignore_auth": True}, {"rows": 0, "include_private": True})
    except Exception as error:  # noqa: BLE001 - any failure of the backend is the finding
        return _problem("search", "การค้นหาไม่ตอบ / search does not answer: %s (%s)"
                        % (backend, error), "start the search backend; then "
                        "`ckan search-index rebuild`")
    return _ok("search", "การค้นหาตอบ / search answers: %s, %d datasets"
               % (backend, found["count"]))


def _stuck(worker: rq.Worker, now: datetime) -> str:
    """Why ``worker`` looks stuck, or ''."""
    heartbeat = worker.last_heartbeat
    # RQ 1.16 (CKAN 2.11+) names it ``worker_ttl``; RQ 1.11 (CKAN 2.10) ``default_worker_ttl``
    ttl = getattr(worker, "worker_ttl", None) or worker.default_worker_ttl
    if heartbeat and now - heartbeat.replace(tzinfo=timezone.utc) > \
            timedelta(seconds=ttl) + STUCK_GRACE:
        return "%s: no heartbeat since %s" % (worker.name, heartbeat.isoformat(timespec="seconds"))
    job = worker.get_current_job() if worker.get_state() == "busy" else None
    if job and job.started_at and job.timeout:
        limit = timedelta(seconds=int(job.timeout)) + STUCK_GRACE
        if now - job.started_at.replace(tzinfo=timezone.utc) > limit:
            return "%s: job %s running since %s" % (worker.name, job.description or job.id,
                                                     job.started_at.isoformat(timespec="seconds"))
    return ""


def check_workers() -> Finding:
    """A worker registered (RQ's worker registry) on each queue the extension uses, none
    stuck."""
    connection = _redis()
    now = datetime.now(timezone.utc)
    idle, stuck, counts = [], [], []
    try:
        for name in extension_queues():
            queue = rq.Queue(jobs.add_queue_name_prefix(name), connection=connection)
            workers = rq.Worker.all(queue=queue)
            counts.append("%s: %d" % (name, len(workers)))
            idle += [] if workers else [name]
            stuck += [why for why in (_stuck(w, now) for w in workers) if why]
    except redis.exceptions.RedisError as error:
        return _problem("workers", "อ่านทะเบียน worker ไม่ได้ / cannot read the worker registry "
                        "(%s)" % error, "start Redis or correct ckan.redis.url")
    if idle:
        return _problem("workers", "ไม่มี worker ฟังคิว / no worker listens on: "
                        + ", ".join(idle), "start `ckan mofcompliance worker` (every queue) "
                        "or `ckan jobs worker %s`" % " ".join(idle))
    if stuck:
        return _problem("workers", "worker ค้าง / stuck: " + "; ".join(stuck),
                        "restart the worker (its job goes to the failed registry)")
    return _ok("workers", "มี worker ทุกคิว / workers per queue: " + ", ".join(counts))


def check_storage() -> Finding:
    path = tk.config.get("ckan.storage_path")
    if not path:
        return _problem("storage", "ไม่ได้ตั้งที่เก็บไฟล์ / ckan.storage_path is not set "
                        "(no uploads)", "set ckan.storage_path (%s)" % SETTINGS_HINT)
    try:
        with tempfile.TemporaryFile(dir=path, prefix=".mofcompliance-doctor-") as probe:
            probe.write(b"ok")
    except OSError as error:
        return _problem("storage", "เขียนที่เก็บไฟล์ไม่ได้ / storage not writable: %s (%s)"
                        % (path, error.strerror or error),
                        "create it, writable by the user CKAN runs as")
    return _ok("storage", "เขียนที่เก็บไฟล์ได้ / storage writable: %s" % path)


def check_site_url() -> Finding:
    """The server reaches its own ``site_url`` (links in mails, the checker's reading of
    the catalog's own files, the GD Catalog's harvest all use it)."""
    url = tk.config.get("ckan.site_url").rstrip("/") + "/api/3/action/status_show"
    try:
        response = requests.get(url, timeout=TIMEOUT)
        answered = response.status_code == 200 and response.json().get("success") is True
    except (requests.RequestException, ValueError) as error:
        return _problem("site_url", "เซิร์ฟเวอร์เข้า site_url ไม่ได้ / the server cannot reach "
                        "%s (%s)" % (url, type(error).__name__),
                        "correct ckan.site_url, or the DNS/proxy the server uses")
    if not answered:
        return _problem("site_url", "site_url ไม่ใช่ CKAN นี้ / %s answered HTTP %d, not CKAN's "
                        "status" % (url, response.status_code), "correct ckan.site_url")
    return _ok("site_url", "เข้าถึง site_url ได้ / site_url reachable: %s" % url)


def _risky_host(host: str) -> bool:
    """An allow-listed entry that opens the guard too wide: the cloud metadata address, a
    wildcard or an unspecified address."""
    if host in METADATA_HOSTS or "*" in host:
        return True
    try:
        return ipaddress.ip_address(host).is_unspecified or ipaddress.ip_address(host).is_link_local
    except ValueError:
        return False


def check_outbound() -> Finding:
    """The outbound guard's settings: the allow-lists (non-public addresses the checker and
    the GD Catalog refresh may reach) and the limits."""
    allowed = list(config.quality_allowed_hosts())
    if "mofcompliance_gdcatalog" in _plugins():
        allowed += config.gdcatalog_allowed_hosts()
    risky = sorted({h for h in allowed if _risky_host(h.lower())})
    if risky:
        return _problem("outbound", "รายการยกเว้นเปิดกว้างเกินไป / the outbound allow-list "
                        "opens: %s" % ", ".join(risky),
                        "remove them from ckanext.mofcompliance.quality.allowed_hosts "
                        "(and gdcatalog_allowed_hosts)")
    return _ok("outbound", "ตัวกั้นคำขอออก / outbound guard: non-public addresses refused%s; "
               "time-outs %d/%d s, %d MB, %d per host" % (
                   (" except " + ", ".join(sorted(set(allowed)))) if allowed else "",
                   config.quality_connect_timeout(), config.quality_read_timeout(),
                   config.quality_max_mb(), config.quality_connections_per_host()))


CHECKS: dict[str, Callable[[], Finding]] = {
    "schema": check_schema,
    "plugins": check_plugins,
    "profiles": check_profiles,
    "migrations": check_migrations,
    "redis": check_redis,
    "search": check_search,
    "workers": check_workers,
    "storage": check_storage,
    "site_url": check_site_url,
    "outbound": check_outbound,
}


def run(names: list[str]) -> list[Finding]:
    """The findings of the named checks, in the order of ``CHECKS``."""
    return [CHECKS[name]() for name in CHECKS if name in names]

