"""Serve the benchmark catalog on 127.0.0.1 the way production does: gunicorn with one
worker process per core, each with a few threads (CKAN's own ``ckan run`` is a
single-process development server and would measure itself, not the extension)."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

PORT = int(os.environ.get("BENCH_PORT", "5055"))  # as bench/setup.sh was given
BASE_URL = "http://127.0.0.1:%d" % PORT


@contextlib.contextmanager
def serving(ini: str, workers: int = os.cpu_count() or 1, threads: int = 4,
            port: int = PORT) -> Iterator[str]:
    """Start the server, wait until it answers, yield its base URL, stop it."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    base_url = "http://127.0.0.1:%d" % port
    server = subprocess.Popen(
        [gunicorn, "--bind", "127.0.0.1:%d" % port, "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120",
         "--keep-alive", "75",
         "--chdir", str(Path(__file__).parent), "wsgi:application"],
        env=dict(os.environ, CKAN_INI=str(Path(ini).resolve())),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(server, base_url)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(server: subprocess.Popen, base_url: str) -> None:
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit("the CKAN server stopped (exit %s)" % server.returncode)
        try:
            urllib.request.urlopen(base_url + "/api/3/action/status_show", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the CKAN server did not answer at %s" % base_url)
