"""The shared outbound guard: what the checker tests (tests/quality) do not reach."""
import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.tests.limiting import Crowd


def test_the_host_limiter_lets_n_requests_into_one_host_at_once():
    limiter = outbound.HostLimiter(2)
    crowd = Crowd(limit=2)
    crowd.start([limiter], requests=6)
    assert crowd.full.wait(10)
    with limiter.slot("other.example.go.th"):  # another host is not held up
        assert crowd.inside == 2
    crowd.finish()
    assert crowd.most == 2 and crowd.inside == 0


@pytest.mark.parametrize("address", ["10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1",
                                     "169.254.169.254", "0.0.0.0", "::1", "fe80::1",
                                     "fc00::1", "::ffff:10.0.0.1", "224.0.0.1", "100.64.0.1"])
def test_every_kind_of_non_public_address_is_refused(address):
    policy = outbound.Policy(resolver=lambda host, port: [address])
    with pytest.raises(outbound.RefusedAddress, match="refusing non-public address"):
        outbound.checked_address("data.example.go.th", 80, policy)


def test_a_public_address_passes_and_an_allowed_host_may_be_private():
    public = outbound.Policy(resolver=lambda host, port: ["203.0.113.9", "8.8.8.8"])
    with pytest.raises(outbound.RefusedAddress):  # 203.0.113.0/24 is documentation space
        outbound.checked_address("data.example.go.th", 80, public)
    assert outbound.checked_address("data.example.go.th", 80, outbound.Policy(
        resolver=lambda host, port: ["8.8.8.8"])) == "8.8.8.8"
    intranet = outbound.Policy(allowed_hosts=frozenset({"files.intranet"}),
                               resolver=lambda host, port: ["10.0.0.5"])
    assert outbound.checked_address("files.intranet", 80, intranet) == "10.0.0.5"


def test_an_opted_out_domain_covers_its_subdomains():
    policy = outbound.Policy(opted_out_hosts=frozenset({"example.go.th"}),
                             resolver=lambda host, port: ["8.8.8.8"])
    with pytest.raises(outbound.OptedOut):
        outbound.checked_address("gis.example.go.th", 80, policy)
    assert outbound.checked_address("example.go.th.evil.net", 80, policy) == "8.8.8.8"


@pytest.mark.parametrize("url", ["ftp://example.go.th/x", "http://user:pw@example.go.th/",
                                 "http:///nohost", "http://example.go.th:99999/"])
def test_unusable_urls_are_refused(url):
    with pytest.raises(outbound.BadUrl):
        outbound.parse(url)


@pytest.mark.parametrize("address", [
    "::7f00:1",                                  # IPv4-compatible 127.0.0.1
    "::a00:1",                                   # IPv4-compatible 10.0.0.1
    "::ffff:0:7f00:1",                           # IPv4-translated 127.0.0.1
    "::ffff:0:a9fe:a9fe",                        # IPv4-translated 169.254.169.254
    "64:ff9b::7f00:1",                           # NAT64 127.0.0.1
    "64:ff9b::c0a8:101",                         # NAT64 192.168.1.1
    "2002:7f00:1::1",                            # 6to4 127.0.0.1
    "2002:a9fe:a9fe::1",                         # 6to4 169.254.169.254
    "2001:0:4136:e378:8000:63bf:80ff:fffe",      # Teredo, client 127.0.0.1
])
def test_an_ipv6_address_carrying_a_non_public_ipv4_is_refused(address):
    policy = outbound.Policy(resolver=lambda host, port: [address])
    with pytest.raises(outbound.RefusedAddress, match="refusing non-public address"):
        outbound.checked_address("data.example.go.th", 80, policy)


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"])
def test_an_ipv6_address_carrying_a_public_ipv4_passes(address):
    policy = outbound.Policy(resolver=lambda host, port: [address])
    assert outbound.checked_address("data.example.go.th", 80, policy) == address


class RecordingLimiter(outbound.HostLimiter):
    """The in-process limiter, noting each slot's key and how long it is held for."""

    def __init__(self) -> None:
        super().__init__(1)
        self.slots: list[tuple[str, float]] = []

    def slot(self, host, hold=0.0):
        self.slots.append((host, hold))
        return super().slot(host, hold)


def test_the_per_host_limit_is_keyed_by_the_host_name_whatever_the_port():
    assert outbound.limit_key(outbound.parse("http://Data.Example.go.th:8080/a.csv")) == \
        outbound.limit_key(outbound.parse("https://data.example.go.th/b.csv")) == \
        "data.example.go.th"


def test_a_slot_is_held_for_as_long_as_its_request_can_last():
    from ckanext.mofcompliance.tests.quality import servers
    sites = [servers.serve(), servers.serve()]
    limiter = RecordingLimiter()
    policy = outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}), total_timeout=900,
                             limiter=limiter)
    try:
        for site in sites:
            site.routes["/a.csv"] = (200, {"Content-Type": "text/csv"}, b"a\n1\n")
            assert outbound.request("GET", site.url("/a.csv"), policy).status == 200
    finally:
        for site in sites:
            servers.stop(site)
    assert [host for host, _ in limiter.slots] == ["127.0.0.1", "127.0.0.1"]
    assert all(hold >= 900 for _, hold in limiter.slots)
