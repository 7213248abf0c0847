"""Load: concurrent clients against the dashboard, the dataset search page and the search
API of the benchmark catalog (``bench/setup.sh`` builds it); prints requests/s,
p50/p95/p99 and errors, per page and overall.

    .venv/ckan-2.11.6/bin/python bench/load.py [--clients 20] [--seconds 60] [--think 0]

Each client is the logged-in evaluator (``bench/setup.sh`` creates it) on its own
keep-alive connection, asking for the next page as soon as the last one arrived
(``--think`` adds a pause between requests, on average that many seconds, as a person
reading the page would).
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from server import PORT, serving

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["ภาษี", "revenue", "หนี้สาธารณะ", "budget", "การคลัง", "tourism"]


def pages(rng: random.Random, orgs: int) -> list[tuple[str, str]]:
    """One round of a client: (the page's name, its path)."""
    org = "bench-org-%03d" % rng.randrange(orgs)
    q = quote(rng.choice(QUERIES))
    return [("/compliance", "/compliance/"),
            ("/compliance/<org>", "/compliance/%s" % org),
            ("/dataset/", "/dataset/?q=%s&page=%d" % (q, rng.randint(1, 5))),
            ("package_search", "/api/3/action/package_search?q=%s&rows=20"
             "&facet.field=[\"organization\",\"tags\",\"res_format\",\"license_id\","
             "\"mofcompliance_complete\"]" % q)]


class Client(threading.Thread):
    def __init__(self, number: int, token: str, until: float, think: float, orgs: int):
        super().__init__(daemon=True)
        self.rng, self.token, self.until, self.think, self.orgs = (
            random.Random(number), token, until, think, orgs)
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.think))  # arrive one by one, as readers do
        connection = self._connect()
        while time.monotonic() < self.until:
            for name, path in pages(self.rng, self.orgs):
                if time.monotonic() >= self.until:
                    break
                try:
                    seconds, status = self._get(connection, path)
                except (OSError, http.client.HTTPException):
                    # An idle keep-alive connection the server has closed: a browser opens
                    # a new one, and so does this client, once.
                    connection.close()
                    connection = self._connect()
                    try:
                        seconds, status = self._get(connection, path)
                    except (OSError, http.client.HTTPException) as error:
                        self.errors.append("%s: %s" % (path, error))
                        connection.close()
                        connection = self._connect()
                        continue
                if status != 200:
                    self.errors.append("%s: HTTP %d" % (path, status))
                self.samples[name].append(seconds)
                # Readers pause at random around the think time, so that clients do not
                # march in step.
                time.sleep(self.rng.uniform(0, 2 * self.think))

    @staticmethod
    def _connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)

    def _get(self, connection: http.client.HTTPConnection, path: str) -> tuple[float, int]:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": self.token})
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started, response.status


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(name: str, samples: list[float], seconds: float) -> None:
    if not samples:
        print("%-20s no answers" % name)
        return
    p50, p95, p99 = (percentile(samples, s) * 1000 for s in (.5, .95, .99))
    print("%-20s %7d requests %7.1f req/s   p50 %5.0f ms   p95 %5.0f ms   p99 %5.0f ms"
          % (name, len(samples), len(samples) / seconds, p50, p95, p99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / ".local" / "bench.ini"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0, help="seconds between requests")
    parser.add_argument("--orgs", type=int, default=200)
    args = parser.parse_args()
    token = (ROOT / ".local" / "bench-evaluator-token").read_text().strip()
    with serving(args.ini):
        warm_up = Client(-1, token, 0, 0, args.orgs)
        connection = warm_up._connect()
        for _round in range(2 * (os.cpu_count() or 1)):  # every worker process, every page
            for _name, path in pages(warm_up.rng, args.orgs):
                warm_up._get(connection, path)
        started = time.monotonic()
        clients = [Client(n, token, started + args.seconds, args.think, args.orgs)
                   for n in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        seconds = time.monotonic() - started
    print("%d clients for %.0f s (think time %.1f s)" % (args.clients, seconds, args.think))
    everything = []
    for name, _path in pages(random.Random(0), args.orgs):
        samples = [s for c in clients for s in c.samples[name]]
        everything.extend(samples)
        report(name, samples, seconds)
    report("all", everything, seconds)
    errors = [e for c in clients for e in c.errors]
    print("errors: %d%s" % (len(errors), "".join("\n  " + e for e in errors[:10])))


if __name__ == "__main__":
    main()
