"""Per-host limits shared through Redis: two limiters (as two worker processes, on two
machines, would hold) never let more than N requests into one host together."""
import threading

import pytest

from ckan.lib.redis import connect_to_redis

from ckanext.mofcompliance.quality.limits import SharedHostLimiter


@pytest.fixture
def redis_client():
    client = connect_to_redis()
    for key in client.scan_iter("test:limits:*"):
        client.delete(key)
    return client


def test_two_processes_share_one_host_limit(redis_client):
    workers = [SharedHostLimiter(redis_client, 2, prefix="test:limits:") for _ in range(2)]
    inside, most, lock = [0], [0], threading.Lock()
    two_inside, release = threading.Event(), threading.Event()

    def request(limiter):
        with limiter.slot("data.example.go.th"):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                if inside[0] == 2:
                    two_inside.set()
            release.wait(10)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=request, args=(workers[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    assert two_inside.wait(10)
    with workers[1].slot("other.example.go.th"):  # another host is not held up
        assert inside[0] == 2
    release.set()
    for thread in threads:
        thread.join(10)
    assert most[0] == 2 and inside[0] == 0
    assert redis_client.zcard("test:limits:data.example.go.th") == 0  # every lease returned


def test_a_lease_of_a_killed_worker_lapses(redis_client):
    limiter = SharedHostLimiter(redis_client, 1, prefix="test:limits:", lease_seconds=60)
    redis_client.zadd("test:limits:data.example.go.th", {"killed-worker": 1})  # in 1970
    with limiter.slot("data.example.go.th"):
        assert redis_client.zscore("test:limits:data.example.go.th", "killed-worker") is None
