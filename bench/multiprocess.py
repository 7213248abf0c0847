"""More than one process: the catalog served by gunicorn with several web workers and
checked by two job workers, on one PostgreSQL and one Redis, while stewards edit, admins
click "check now" and rescore, and evaluators read the dashboards, all at once.

    bash bench/setup.sh 2000 10            # a small bench catalog is enough
    .venv/ckan-2.11.6/bin/python bench/multiprocess.py [--orgs 4] [--web-workers 3]

The resources of the organisations exercised are pointed at loopback file servers
(127.0.0.2 …, allow-listed in a copy of the bench config) that count the connections they
have open at once and the requests per resource. When the queues have drained it prints:

- score rows lost: each exercised dataset's stored score row against a fresh rescore of
  the same rows (run in a transaction that is rolled back): a row missing or different is
  an edit or a check whose score was lost between processes (target 0);
- checks done twice: resources fetched more than once although each was asked for by one
  sweep (a second "check now" while the first is pending queues nothing);
- the per-host concurrency the servers saw against the configured limit;
- the dashboards' p95 while all of this ran.

Everything runs on 127.0.0.0/8.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from checker import serve
from run import percentile
from server import BASE_URL, serving

ROOT = Path(__file__).resolve().parents[1]
QUEUE = "mofcompliance_quality"
REQUESTS_PER_CHECK = 2


def configured(ini: str, hosts: list[str], per_host: int, directory: str) -> str:
    """A copy of the bench config in which the loopback servers may be checked."""
    copy = str(Path(directory) / "multiprocess.ini")
    shutil.copy(ini, copy)
    ckan = str(Path(sys.executable).with_name("ckan"))
    subprocess.run([ckan, "config-tool", copy,
                    "ckanext.mofcompliance.quality.allowed_hosts=%s" % " ".join(hosts),
                    "ckanext.mofcompliance.quality.connections_per_host=%d" % per_host,
                    "ckanext.mofcompliance.quality.host_interval_ms=0",
                    "ckanext.mofcompliance.quality.check_on_edit=true"],
                   check=True, stdout=subprocess.DEVNULL)
    return copy


def point_resources_at(model: Any, sa: Any, orgs: list[str], hosts: list[str],
                       ports: list[int]) -> int:
    """Every resource of these organisations served by a loopback server (spread over the
    hosts by resource id); the format's extension kept, so each server answers in kind."""
    rows = model.Session.execute(sa.text(
        "SELECT r.id, r.format FROM resource r JOIN package p ON p.id = r.package_id "
        "WHERE p.owner_org = ANY(:orgs) AND r.state = 'active' AND p.state = 'active'"),
        {"orgs": orgs}).all()
    for number, (resource_id, fmt) in enumerate(rows):
        host = number % len(hosts)
        extension = {"CSV": "csv", "XLSX": "xlsx", "JSON": "json", "PDF": "pdf"}.get(fmt, "api")
        model.Session.execute(sa.text("UPDATE resource SET url = :url WHERE id = :id"), {
            "id": resource_id,
            "url": "http://%s:%d/r/%s.%s" % (hosts[host], ports[host], resource_id, extension)})
    model.Session.commit()
    return len(rows)


def call(action: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        "%s/api/3/action/%s" % (BASE_URL, action), data=json.dumps(payload).encode(),
        headers={"Authorization": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["result"]


def timed_get(path: str, token: str) -> float:
    request = urllib.request.Request(BASE_URL + path, headers={"Authorization": token})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def job_workers(ini: str, count: int) -> list[subprocess.Popen]:
    ckan = str(Path(sys.executable).with_name("ckan"))
    return [subprocess.Popen([ckan, "-c", ini, "jobs", "worker", "default", QUEUE],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def drained(redis_url: str, site_id: str, timeout: float) -> float:
    """Seconds until no job is queued or running on this site's queues (CKAN names them
    ``ckan:<site_id>:<queue>``)."""
    import redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    connection = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        busy = 0
        for queue in Queue.all(connection=connection):
            if queue.name.startswith("ckan:%s:" % site_id):
                busy += queue.count + len(StartedJobRegistry(queue.name, connection=connection))
        if not busy:
            return time.monotonic() - started
        time.sleep(1)
    raise SystemExit("the job queues did not drain in %.0f s" % timeout)


def load(args: argparse.Namespace, token: str, evaluator: str, orgs: list[str],
         datasets: list[str]) -> dict[str, list[float]]:
    """Edits, check-now clicks (each twice), rescores and dashboard reads at once."""
    reads: dict[str, list[float]] = {"/compliance": [], "/compliance/<org>": []}
    errors: list[str] = []
    stop = threading.Event()
    rng = random.Random(2567)

    def edit(names: list[str]) -> None:
        for number, name in enumerate(names):
            # advisory mode: an item emptied and filled again moves the dataset's score
            value = "" if number % 2 else "steward%d@agency.go.th" % number
            try:
                call("package_patch", token, {"id": name, "maintainer_email": value})
            except urllib.error.HTTPError as error:
                errors.append("package_patch %s: %s" % (name, error.code))

    def click() -> None:
        for org in orgs:
            for _ in range(2):
                call("mofcompliance_resource_check_now", token, {"id": org})
        for org in orgs:
            call("mofcompliance_rescore", token, {"org": org, "background": True})

    def read() -> None:
        while not stop.is_set():
            org = rng.choice(orgs)
            reads["/compliance"].append(timed_get("/compliance/", evaluator))
            reads["/compliance/<org>"].append(timed_get("/compliance/%s" % org, evaluator))

    share = max(1, len(datasets) // args.editors)
    workers = [threading.Thread(target=edit, args=(datasets[i * share:(i + 1) * share],))
               for i in range(args.editors)]
    workers.append(threading.Thread(target=click))
    readers = [threading.Thread(target=read) for _ in range(args.readers)]
    for thread in workers + readers:
        thread.start()
    for thread in workers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    if errors:
        print("  %d edits refused, first: %s" % (len(errors), errors[0]))
    return reads


def lost_rows(model: Any, sa: Any, rebuild: Any, orgs: list[str]) -> tuple[int, int]:
    """(rows missing or different from a fresh rescore, rows compared); the rescore is
    rolled back."""
    query = sa.text("SELECT s.* FROM mofcompliance_dataset_score s JOIN package p "
                    "ON p.id = s.package_id WHERE p.owner_org = ANY(:orgs) "
                    "ORDER BY s.package_id")

    def rows() -> dict[str, dict[str, Any]]:
        found = model.Session.execute(query, {"orgs": orgs}).mappings().all()
        return {row["package_id"]: {k: v for k, v in row.items() if k != "scored_at"}
                for row in found}

    stored = rows()
    for org in orgs:
        rebuild.rescore(org)
    fresh = rows()
    model.Session.rollback()
    differing = sum(1 for key, row in fresh.items() if stored.get(key) != row)
    return differing, len(fresh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / ".local" / "bench.ini"))
    parser.add_argument("--orgs", type=int, default=4, help="organisations exercised")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--editors", type=int, default=4, help="threads editing at once")
    parser.add_argument("--readers", type=int, default=2, help="threads reading dashboards")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--hosts", type=int, default=2)
    args = parser.parse_args()
    token = (ROOT / ".local" / "bench-token").read_text().strip()
    evaluator = (ROOT / ".local" / "bench-evaluator-token").read_text().strip()

    hosts = ["127.0.0.%d" % (2 + i) for i in range(args.hosts)]
    ours, theirs = multiprocessing.Pipe()
    servers = multiprocessing.Process(target=serve, args=(hosts, 0.05, theirs), daemon=True)
    servers.start()
    ports = ours.recv()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    with tempfile.TemporaryDirectory() as directory:
        ini = configured(args.ini, hosts, args.per_host, directory)
        config = load_config(ini)
        app = make_app(config)
        with app._wsgi_app.test_request_context():
            import sqlalchemy as sa

            import ckan.model as model
            from ckanext.mofcompliance.scoring import rebuild
            orgs = [r[0] for r in model.Session.execute(sa.text(
                "SELECT id FROM \"group\" WHERE is_organization AND state = 'active' "
                "ORDER BY name LIMIT :n"), {"n": args.orgs})]
            datasets = [r[0] for r in model.Session.execute(sa.text(
                "SELECT name FROM package WHERE owner_org = ANY(:orgs) AND state = 'active' "
                "ORDER BY name"), {"orgs": orgs})]
            resources = point_resources_at(model, sa, orgs, hosts, ports)
            model.Session.execute(sa.text(
                "DELETE FROM mofcompliance_resource_check WHERE resource_id IN (SELECT r.id "
                "FROM resource r JOIN package p ON p.id = r.package_id "
                "WHERE p.owner_org = ANY(:orgs))"), {"orgs": orgs})
            model.Session.commit()
        print("multi-process: %d web workers, %d job workers; %d organisations, %d datasets, "
              "%d resources on %d loopback hosts (limit %d per host)"
              % (args.web_workers, args.job_workers, len(orgs), len(datasets), resources,
                 len(hosts), args.per_host))
        workers = job_workers(ini, args.job_workers)
        try:
            with serving(ini, workers=args.web_workers):
                started = time.monotonic()
                reads = load(args, token, evaluator, orgs, datasets)
                print("  load phase: %.1f s" % (time.monotonic() - started))
                waited = drained(config["ckan.redis.url"], config["ckan.site_id"], timeout=1800)
                print("  queues drained %.1f s after the load" % waited)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=60)
        ours.send("stop")
        counts, _server_rss = ours.recv(), ours.recv()
        servers.join(10)
        with app._wsgi_app.test_request_context():
            differing, compared = lost_rows(model, sa, rebuild, orgs)

    # a check is a GET and, for NSO's reading of "downloadable", a HEAD after it
    fetched = sum(counts["requests"]) // REQUESTS_PER_CHECK
    twice = max(0, fetched - resources)
    most = max(counts["max"])
    print("  score rows lost or stale: %d of %d" % (differing, compared))
    print("  resources checked: %d checks for %d resources (%d more than once)"
          % (fetched, resources, twice))
    print("  most connections open at once, per host: %s (limit %d)"
          % (counts["max"], args.per_host))
    for name, samples in reads.items():
        if samples:
            print("  %s under load: %d reads, median %.0f ms, p95 %.0f ms" % (
                name, len(samples), statistics.median(samples) * 1000,
                percentile(samples, .95) * 1000))
    print("TARGET score rows lost = 0: %d %s" % (differing, "met" if not differing else "NOT MET"))
    print("TARGET checks done twice = 0: %d %s" % (twice, "met" if not twice else "NOT MET"))
    print("TARGET ≤ %d connections per host: %d %s"
          % (args.per_host, most, "met" if most <= args.per_host else "NOT MET"))


if __name__ == "__main__":
    main()
