"""Measure the extension on the benchmark catalog (``bench/setup.sh`` builds it) and print
each figure, then one line per target: the figure, the target, met or not.

    .venv/ckan-2.11.6/bin/python bench/run.py [--ini .local/bench.ini]

Everything runs on 127.0.0.1: the catalog is served on port 5055 (``server.py``) for the
HTTP figures.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

from server import BASE_URL, serving

ROOT = Path(__file__).resolve().parents[1]
targets: list[tuple[str, str, str, bool]] = []


def target(name: str, figure: str, wanted: str, met: bool) -> None:
    targets.append((name, figure, wanted, met))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def measure_rescore(model, score_store, helpers) -> None:
    score_store.rescore()
    model.Session.commit()
    seconds = timed(lambda: (score_store.rescore(), model.Session.commit()))
    count = model.Session.execute(
        score_store.sa.select(score_store.sa.func.count()).select_from(
            score_store._active_packages(None).subquery())).scalar()
    bare = timed(lambda: [None for _batch in score_store.package_dicts()])
    ids = [r[0] for r in model.Session.execute(score_store.sa.text(
        "SELECT id FROM package WHERE state = 'active' AND type = 'dataset'"))]
    sample = random.Random(1).sample(ids, min(300, len(ids)))
    context = {"user": "bench", "ignore_auth": True, "use_cache": False}
    per_show = timed(lambda: [score_store.score_row(helpers.call_action(
        "package_show", context=dict(context), id=i)) for i in sample]) / len(sample)
    show_path = per_show * count
    print("full rescore: %d datasets in %.1f s (%.0f datasets/s)" % (count, seconds, count / seconds))
    print("  package_show path (sample of %d, extrapolated): %.1f s = %.1f× the rescore"
          % (len(sample), show_path, show_path / seconds))
    print("  bare SELECT of the same rows: %.1f s; rescore = %.2f× of it" % (bare, seconds / bare))
    target("full rescore", "%.1f s" % seconds, "≤ 30 s", seconds <= 30)
    target("rescore vs package_show path", "%.1f×" % (show_path / seconds), "≥ 20×",
           show_path / seconds >= 20)
    target("rescore vs bare SELECT", "%.2f×" % (seconds / bare), "≤ 3×", seconds / bare <= 3)


def measure_update_overhead(model, score_store, helpers) -> None:
    names = [r[0] for r in model.Session.execute(score_store.sa.text(
        "SELECT name FROM package WHERE state = 'active' AND type = 'dataset' "
        "ORDER BY name LIMIT 200"))]
    context = {"user": "bench", "ignore_auth": True}

    def update(name: str) -> float:
        return timed(lambda: helpers.call_action(
            "package_patch", context=dict(context), id=name, version=str(time.time())))

    original = score_store.on_dataset_index
    with_scoring, without = [], []
    for name in names:  # alternate, so that warming up favours neither side
        with_scoring.append(update(name))
        score_store.on_dataset_index = lambda index_dict: index_dict
        try:
            without.append(update(name))
        finally:
            score_store.on_dataset_index = original
    extra = (statistics.median(with_scoring) - statistics.median(without)) * 1000
    print("package_update: median %.1f ms with score_store, %.1f ms without: +%.1f ms"
          % (statistics.median(with_scoring) * 1000, statistics.median(without) * 1000, extra))
    target("scoring added to package_update", "%.1f ms" % extra, "≤ 10 ms", extra <= 10)


def measure_search(helpers) -> None:
    facets = ["organization", "tags", "res_format", "license_id", "mofcompliance_complete"]
    samples = []
    for q in ["ภาษี", "revenue", "หนี้สาธารณะ", "budget fiscal", "การคลัง"] * 10:
        samples.append(timed(lambda q=q: helpers.call_action(
            "package_search", q=q, rows=20, **{"facet.field": facets})))
    p50, p95 = percentile(samples, .5) * 1000, percentile(samples, .95) * 1000
    print("package_search q + 5 facets: p50 %.0f ms, p95 %.0f ms" % (p50, p95))
    target("package_search p95", "%.0f ms" % p95, "≤ 100 ms", p95 <= 100)


def _get(path: str, token: str) -> float:
    request = urllib.request.Request(BASE_URL + path,
                                     headers={"Authorization": token})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def _run_queued_jobs(ini: str) -> None:
    """What production's background worker does: run the queued jobs (the KPI cache refresh
    that the first reads queued), then stop."""
    ckan = str(Path(sys.executable).with_name("ckan"))
    subprocess.run([ckan, "-c", ini, "jobs", "worker", "--burst"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure_http(ini: str, token: str, evaluator: str, org: str) -> None:
    """The dashboards as the evaluator reads them; the audit as the sysadmin (it reads
    private datasets through the API)."""
    with serving(ini):
        for path, name in (("/compliance/", "/compliance"), ("/compliance/%s" % org,
                                                             "/compliance/<org>")):
            for _ in range(5):
                _get(path, evaluator)
            _run_queued_jobs(ini)  # a read never writes: the worker stores what it computed
            samples = [_get(path, evaluator) for _ in range(50)]
            p50, p95 = percentile(samples, .5) * 1000, percentile(samples, .95) * 1000
            print("%s over HTTP (warm): p50 %.0f ms, p95 %.0f ms" % (name, p50, p95))
            target("%s p95" % name, "%.0f ms" % p95, "≤ 150 ms", p95 <= 150)
        audit = str(Path(sys.executable).with_name("mofcompliance-audit"))
        seconds = timed(lambda: subprocess.run(
            [audit, "--url", BASE_URL, "--api-token", token, "--format", "json"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        print("mofcompliance-audit over the API: %.1f s" % seconds)
        target("audit of the catalog over the API", "%.1f s" % seconds, "≤ 120 s",
               seconds <= 120)


def measure_xlsx_export(ini: str) -> None:
    """The NSO workbook of the whole catalog, written by its command in its own process:
    wall time and that process's peak resident memory."""
    ckan = str(Path(sys.executable).with_name("ckan"))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "catalog.xlsx"
        started = time.perf_counter()
        process = subprocess.Popen([ckan, "-c", ini, "mofcompliance", "export", str(path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status:
            raise SystemExit("the export failed: %s" % process.stderr.read().decode()[-2000:])
        size = path.stat().st_size
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    print("XLSX export of the whole catalog: %.1f s, peak RSS %.0f MB, %.1f MB file"
          % (seconds, peak_mb, size / 1e6))
    target("XLSX export time", "%.1f s" % seconds, "≤ 60 s", seconds <= 60)
    target("XLSX export peak RSS", "%.0f MB" % peak_mb, "≤ 500 MB", peak_mb <= 500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / ".local" / "bench.ini"))
    args = parser.parse_args()
    token = (ROOT / ".local" / "bench-token").read_text().strip()
    evaluator = (ROOT / ".local" / "bench-evaluator-token").read_text().strip()
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        import ckan.model as model
        from ckan.tests import helpers
        from ckanext.mofcompliance import score_store
        measure_rescore(model, score_store, helpers)
        measure_search(helpers)
        measure_update_overhead(model, score_store, helpers)
        org = model.Session.execute(score_store.sa.text(
            "SELECT name FROM \"group\" WHERE is_organization AND name LIKE 'bench-org-%' "
            "ORDER BY name LIMIT 1")).scalar()
    measure_http(args.ini, token, evaluator, org)
    measure_xlsx_export(args.ini)
    print()
    for name, figure, wanted, met in targets:
        print("TARGET %-38s %12s  target %-9s %s" % (name, figure, wanted,
                                                     "met" if met else "NOT MET"))


if __name__ == "__main__":
    main()
