"""Registration states from the GD Catalog's status API: a real HTTP server on 127.0.0.1
plays the API; nothing is sent anywhere else."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from ckan.lib import jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.harvest import status_api
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
        self.location = None  # sent with a 3xx status

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
            if self.server.location:
                self.send_header("Location", self.server.location)
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
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.gdcatalog_status_timeout", 1)
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
    assert reads.registrations_for(["ds-0", "ds-1"]) == {"ds-0": "COMPLETED"}
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


# ---------------------------------------------------------------- a failing API breaks no page

def closed_port_url():
    """A local URL nothing listens on (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return "http://127.0.0.1:%d/api/3/action/registration_state" % port


def answers_500(api, config):
    api.status = 500
    return "status API answered HTTP 500"


def hangs(api, config):
    api.delay = 2  # twice the time-out
    return "status API unreachable"


def is_unreachable(api, config):
    config["ckanext.mofcompliance.gdcatalog_status_url"] = closed_port_url()
    return "status API unreachable"


PAGES = ["/compliance/?profile=fy2567", "/compliance/mof-ops?profile=fy2567", "/dataset/fiscal"]


@pytest.mark.ckan_config("ckanext.mofcompliance.gdcatalog_allowed_hosts", "127.0.0.1")
@pytest.mark.parametrize("failure", [answers_500, hangs, is_unreachable],
                         ids=lambda f: f.__name__)
def test_a_failing_api_keeps_the_stored_states_and_every_page_answers(
        api, app, make_dataset, ckan_config, monkeypatch, failure):
    fiscal, revenue = make_dataset(name="fiscal"), make_dataset(name="revenue")
    api.states = {fiscal["id"]: "COMPLETED", revenue["id"]: "APPROVAL"}
    assert status_api.refresh().updated == 2  # an earlier refresh, when the API was well

    expected = failure(api, ckan_config)
    report = status_api.refresh()
    assert report.updated == 0 and expected in report.problems[0]
    stored = {"fiscal": "COMPLETED", "revenue": "APPROVAL"}
    assert reads.registrations_for(["fiscal", "revenue"]) == stored

    def no_page_asks_the_api(*args):
        raise AssertionError("a page asked the status API")

    monkeypatch.setattr(status_api, "post_json", no_page_asks_the_api)
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    pages = {url: app.get(url, headers=sysadmin) for url in PAGES}
    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(PAGES, 200)
    assert "Open datasets registered in the GD Catalog: 1 of 2" in \
        pages["/compliance/mof-ops?profile=fy2567"].get_data(as_text=True)


class Elsewhere(ThreadingHTTPServer):
    """Another local server: a redirect's target, recording whatever reaches it."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Recorder)
        self.requests = []


class Recorder(BaseHTTPRequestHandler):
    def record(self):
        self.server.requests.append((self.command, self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = record

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    server = Elsewhere()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.ckan_config("ckanext.mofcompliance.gdcatalog_allowed_hosts", "127.0.0.1")
@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_is_reported_and_not_followed(api, elsewhere, make_dataset, status):
    make_dataset(name="fiscal")
    api.status = status
    api.location = "http://127.0.0.1:%d/internal/admin" % elsewhere.server_port
    report = status_api.refresh()
    assert report.updated == 0
    assert report.problems == ["status API ตอบ HTTP %d / status API answered HTTP %d"
                               % (status, status)]
    assert len(api.requests) == 1 and elsewhere.requests == []


@pytest.mark.ckan_config("ckanext.mofcompliance.gdcatalog_allowed_hosts", "127.0.0.1")
def test_an_oversized_answer_is_refused(api, make_dataset, monkeypatch):
    dataset = make_dataset(name="fiscal")
    api.states = {dataset["id"]: "COMPLETED"}  # an answer of about 80 bytes
    monkeypatch.setattr(status_api, "MAX_RESPONSE_BYTES", 32)
    report = status_api.refresh()
    assert report.updated == 0
    assert report.problems == ["คำตอบของ status API ใหญ่เกินไป / the status API's answer is "
                               "too large"]
    assert reads.registrations_for(["fiscal"]) == {}
