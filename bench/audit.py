"""``mofcompliance-audit --url … --check-resources`` over a whole loopback catalog: its peak
memory and time for N resources (issue 25: ≤ 300 MB at 150,000 resources).

    .venv/ckan-2.11.6/bin/python bench/audit.py [--datasets 1000] [--per-dataset 3]

The catalog is a ``package_search`` API on 127.0.0.1 (a thread of this process), its
datasets made as each page is asked (thai_gdc fields filled, like the 50,000-dataset bench
catalog's), three resources each (CSV, XLSX, JSON, PDF, API, a dead link now and then)
on the loopback servers of ``bench/checker.py`` (20 addresses 127.0.0.2 …, answering in
``--answer-ms``), allow-listed with ``--allow-host``. The audit runs as its own process,
its output (the JSON report with every check) thrown away; its peak RSS is the kernel's
(``wait4``). Prints the figures, a per-resource slope from two sizes when ``--compare``
is given, and one TARGET line (the extrapolation to 150,000 resources).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from checker import FORMATS, serve

AUDIT = str(Path(sys.executable).with_name("mofcompliance-audit"))
TARGET_RESOURCES = 150_000


def dataset(number: int, per_dataset: int, hosts: list[str], ports: list[int]) -> dict[str, Any]:
    """One package dict as CKAN's package_search gives it, with its resources."""
    resources = []
    for index in range(per_dataset):
        serial = number * per_dataset + index
        fmt, ext = FORMATS[serial % len(FORMATS)]
        path = "/r/%d/missing" % serial if serial % 50 == 7 else "/r/%d.%s" % (serial, ext)
        host = serial % len(hosts)
        resources.append({
            "id": "res-%07d" % serial, "name": "ข้อมูล %d" % serial, "format": fmt,
            "url": "http://%s:%d%s" % (hosts[host], ports[host], path),
            "metadata_modified": "2026-11-01T00:00:00", "package_id": "ds-%06d" % number})
    return {
        "id": "ds-%06d" % number, "name": "dataset-%06d" % number, "type": "dataset",
        "title": "ชุดข้อมูลงบประมาณ %d" % number, "notes": "รายละเอียดชุดข้อมูล " * 10,
        "license_id": "License not specified", "license_title": "License not specified",
        "organization": {"id": "org-%03d" % (number % 200), "name": "org-%03d" % (number % 200)},
        "owner_org": "org-%03d" % (number % 200), "private": False, "state": "active",
        "tags": [{"name": "งบประมาณ"}, {"name": "การคลัง"}],
        "data_type": "ข้อมูลสถิติ", "objective": ["ยุทธศาสตร์ชาติ"], "update_frequency_unit": "ปี",
        "geo_visibility": "ประเทศ", "data_source": "กรมบัญชีกลาง", "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย",
        "license_condition": "", "accessible_condition": "", "created_date": "2026-01-01",
        "last_updated_date": "2026-11-01", "url": "https://example.go.th/data/%d" % number,
        "metadata_created": "2026-01-01T00:00:00", "metadata_modified": "2026-11-01T00:00:00",
        "num_resources": per_dataset, "resources": resources,
    }


def catalog_server(count: int, per_dataset: int, hosts: list[str], ports: list[int]
                   ) -> ThreadingHTTPServer:
    class Search(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            start, rows = int(query["start"][0]), int(query["rows"][0])
            page = [dataset(n, per_dataset, hosts, ports)
                    for n in range(start, min(count, start + rows))]
            body = json.dumps({"success": True, "result": {"count": count, "results": page}},
                              ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Search)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def audit(url: str, hosts: list[str], threads: int, per_host: int, check: bool = True
          ) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB) and output bytes of one audit run."""
    command = [AUDIT, "--url", url, *(["--check-resources"] if check else []),
               "--threads", str(threads), "--per-host", str(per_host), "--host-interval-ms",
               "0", "--timeout", "30", *(arg for host in hosts for arg in ("--allow-host", host))]
    started = time.monotonic()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        size = 0
        assert process.stdout is not None
        while chunk := process.stdout.read(1 << 20):
            size += len(chunk)
        _pid, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit("the audit failed: %s" % errors.read().decode()[-2000:])
    return time.monotonic() - started, usage.ru_maxrss / 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--per-dataset", type=int, default=3)
    parser.add_argument("--compare", type=int, default=0,
                        help="also run with this many datasets, for the slope per resource")
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--per-host", type=int, default=3)
    parser.add_argument("--answer-ms", type=int, default=10)
    args = parser.parse_args()

    hosts = ["127.0.0.%d" % (2 + i) for i in range(args.hosts)]
    ours, theirs = multiprocessing.Pipe()
    servers = multiprocessing.Process(target=serve, args=(hosts, args.answer_ms / 1000, theirs),
                                      daemon=True)
    servers.start()
    ports = ours.recv()
    runs = []
    for count in sorted({args.datasets, args.compare} - {0}):
        catalog = catalog_server(count, args.per_dataset, hosts, ports)
        url = "http://127.0.0.1:%d" % catalog.server_address[1]
        threads = min(64, args.hosts * args.per_host)
        seconds, rss, size = audit(url, hosts, threads, args.per_host)
        _seconds, kpi_rss, _size = audit(url, hosts, threads, args.per_host, check=False)
        catalog.shutdown()
        resources = count * args.per_dataset
        runs.append((resources, rss))
        print("audit --check-resources: %d datasets, %d resources in %.1f s (%.0f/s);"
              " peak RSS %.0f MB (the KPI audit alone: %.0f MB); report %.1f MB"
              % (count, resources, seconds, resources / seconds, rss, kpi_rss, size / 1e6),
              flush=True)
    ours.send("stop")
    servers.join(10)
    (small, small_rss), (large, large_rss) = runs[0], runs[-1]
    slope = (large_rss - small_rss) / (large - small) if large > small else 0.0
    at_target = large_rss + slope * max(0, TARGET_RESOURCES - large)
    how = "measured" if large >= TARGET_RESOURCES else "extrapolated"
    print("  %.2f KB per resource between %d and %d resources; at %d: %.0f MB (%s)"
          % (slope * 1024, small, large, TARGET_RESOURCES, at_target, how))
    print("TARGET audit --check-resources ≤ 300 MB at %d resources: %.0f MB (%s) %s"
          % (TARGET_RESOURCES, at_target, how, "✓" if at_target <= 300 else "✗"))


if __name__ == "__main__":
    main()
