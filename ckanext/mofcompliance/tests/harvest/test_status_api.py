"""Registration states from the GD Catalog's status API: a real HTTP server on 127.0.0.1
plays the API; nothing is sent anywhere else."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from ckan.lib import jobs
from ckan.tests import helpers

from ckanext.mofcompliance.harvest import registration, status_api
from ckanext.mofcompliance.harvest.cli import gdcatalog

from .conftest import GDCATALOG_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]


class StatusApi(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests, self.states, self.status, self.delay = [], {}, 200, 0

    @property
    def url(self):
        return "http://127.0.0.1:%d/api/3/action/registration_state" % self.server_port


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, self.headers["Host"], body))
        time.sleep(self.server.delay)
        answer = {"success": True, "result": {p: self.server.states[p]
                                              for p in body["packages"]
                                              if p in self.server.states}}
        data = json.dumps(answer).encode()
        try:
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the time-out test)

    def log_message(self, *args):
        pass


@pytest.fixture
def api(ckan_config, monkeypatch):
    server = StatusApi()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.gdcatalog_status_url", server.url)
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.gdcatalog_status_timeout", "1")
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.ckan_config("ckanext.mofcompliance.gdcatalog_allowed_hosts", "127.0.0.1")
def test_states_are_stored_and_unknown_ones_reported(api, make_dataset, monkeypatch):
    monkeypatch.setattr(status_api, "BATCH_SIZE", 2)
    datasets = [make_dataset(name="ds-%d" % i) for i in range(3)]
    make_dataset(name="private", private=True)
    api.states = {datasets[0]["id"]: "COMPLETED", datasets[1]["id"]: "FINISHED"}
    report = status_api.refresh()
    assert report.updated == 1
    assert report.problems == ["ชุดข้อมูล %s: ไม่รู้จักสถานะ 'FINISHED' / dataset %s: unknown "
                               "state 'FINISHED'" % (datasets[1]["id"], datasets[1]["id"])]
    assert registration.registrations_for(["ds-0", "ds-1"]) == {"ds-0": "COMPLETED"}
    asked = [pid for _, _, body in api.requests for pid in body["packages"]]
    assert sorted(asked) == sorted(d["id"] for d in datasets)
    path, host, body = api.requests[0]
    assert path == "/api/3/action/registration_state" and host.startswith("127.0.0.1:")
    assert body["site_url"] == "test.ckan.net" and len(body["packages"]) == 2


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/x", "http://localhost:{port}/x",
                                 "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]:{port}/x", "http://10.0.0.1/x"])
def test_internal_addresses_are_refused_before_any_request(api, make_dataset, ckan_config,
                                                           monkeypatch, url):
    make_dataset(name="fiscal")
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.gdcatalog_status_url",
                        url.format(port=api.server_port))
    report = status_api.refresh()
    assert report.updated == 0 and "refusing non-public address" in report.problems[0]
    assert api.requests == []


@pytest.mark.ckan_config("ckanext.mofcompliance.gdcatalog_allowed_hosts", "127.0.0.1")
def test_a_slow_or_failing_api_is_reported_not_raised(api, make_dataset):
    make_dataset(name="fiscal")
    api.delay = 2
    started = time.monotonic()
    report = status_api.refresh()
    assert time.monotonic() - started < 2
    assert "status API unreachable" in report.problems[0]
    api.delay, api.status = 0, 500
    assert "answered HTTP 500" in status_api.refresh().problems[0]


@pytest.fixture
def queues(clean_queues, monkeypatch):
    """Empty queues, and CKAN's cache of queue connections left as it was for later tests
    (some point ``ckan.redis.url`` at a dead Redis)."""
    monkeypatch.setattr(jobs, "_queues", {})


@pytest.mark.usefixtures("queues")
def test_the_command_queues_a_background_job(api):
    result = CliRunner().invoke(gdcatalog, ["refresh-states"])
    assert result.exit_code == 0, result.output
    queued = helpers.call_action("job_list")
    assert [j["title"] for j in queued] == ["mofcompliance GD Catalog registration states"]


def test_the_command_needs_the_url():
    result = CliRunner().invoke(gdcatalog, ["refresh-states"])
    assert result.exit_code == 1 and "is not set" in result.output
