"""Per-host limits shared through Redis: two limiters (as two worker processes, on two
machines, would hold) never let more than N requests into one host together."""
import pytest

from ckan.lib.redis import connect_to_redis

from ckanext.mofcompliance.quality.limits import SharedHostLimiter
from ckanext.mofcompliance.tests.limiting import HOST, Crowd


@pytest.fixture
def redis_client():
    client = connect_to_redis()
    for key in client.scan_iter("test:limits:*"):
        client.delete(key)
    return client


def test_two_processes_share_one_host_limit(redis_client):
    workers = [SharedHostLimiter(redis_client, 2, prefix="test:limits:") for _ in range(2)]
    crowd = Crowd(limit=2)
    crowd.start(workers, requests=6)
    assert crowd.full.wait(10)
    with workers[1].slot("other.example.go.th"):  # another host is not held up
        assert crowd.inside == 2
    crowd.finish()
    assert crowd.most == 2 and crowd.inside == 0
    assert redis_client.zcard("test:limits:" + HOST) == 0  # every lease returned


def test_a_lease_of_a_killed_worker_lapses(redis_client):
    limiter = SharedHostLimiter(redis_client, 1, prefix="test:limits:")
    redis_client.zadd("test:limits:data.example.go.th", {"killed-worker": 1})  # in 1970
    with limiter.slot("data.example.go.th"):
        assert redis_client.zscore("test:limits:data.example.go.th", "killed-worker") is None


def test_a_lease_lives_as_long_as_its_request_can(redis_client):
    """A request that may run 15 minutes (its deadline) keeps its lease that long: the
    lease never lapses under a running request and lets another one in."""
    limiter = SharedHostLimiter(redis_client, 1, prefix="test:limits:")
    with limiter.slot(HOST, hold=900):
        seconds, micros = redis_client.time()
        (lease, lapses_at), = redis_client.zrange("test:limits:" + HOST, 0, -1, withscores=True)
        assert lapses_at - (seconds + micros / 1e6) > 890
        assert redis_client.ttl("test:limits:" + HOST) > 890
    assert redis_client.zcard("test:limits:" + HOST) == 0
