"""The resource checker against hostile servers on 127.0.0.1: it stops at its one
deadline whatever the server does, and stays small whatever the file holds."""
import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check

from . import servers

# Each drip (0.2 s) comes well within the read time-out (1 s): only the deadline over the
# whole answer (1.5 s) can end these checks before the server has sent everything
# (60 s and more).
DEADLINE = dict(connect_timeout=1, read_timeout=1, total_timeout=1.5)
STATUS = b"HTTP/1.1 200 OK\r\n"
CSV_HEAD = [STATUS, b"Content-Type: text/csv\r\n", b"Content-Length: 400\r\n", b"\r\n"]


def settings(**policy):
    return Settings(outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}),
                                    **{**DEADLINE, **policy}), max_rows=200)


def codes(result):
    return [p["code"] for p in result["problems"]]


@pytest.fixture
def drip():
    made = []

    def make(head, body):
        made.append(servers.Drip(head, body))
        return made[-1]
    yield make
    for server in made:
        server.stop()


@pytest.mark.parametrize("case", ["headers", "body"])
def test_a_dripping_server_is_given_up_at_the_deadline(drip, case):
    if case == "headers":   # a header line every 0.2 s, 300 of them
        server = drip([STATUS] + [b"X-Line-%d: 1\r\n" % n for n in range(300)], b"")
    else:                   # the headers at once, then the body a byte every 0.2 s
        server = drip([b"".join(CSV_HEAD)], b"a,b\n" + b"1,2\n" * 99)
    result = check({"id": "r1", "url": server.url("/slow.csv"), "format": "CSV"}, settings())
    assert result["outcome"] == "unreachable" and codes(result) == ["timeout"]
    assert result["downloadable"] is False and result["tabular"] is None
    assert server.gone.wait(10), "the checker hung up before the server was done"
    assert server.sent < server.total()
