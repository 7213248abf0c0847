"""``mofcompliance-audit --check-resources`` over a large catalog keeps only what is under
way: each dataset is passed on (to the KPI) as soon as its checks are in, and every check
and dataset row goes to disk, read back one at a time when the report is written."""
import json
from datetime import datetime, timezone

import pytest

from ckanext.mofcompliance.audit import remote
from ckanext.mofcompliance.audit import cli as audit

from ..quality import servers

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
OPTIONS = remote.CheckOptions(threads=1, host_interval_ms=0,
                              allowed_hosts=frozenset({"127.0.0.1"}))


@pytest.fixture
def site():
    site = servers.serve()
    site.routes["/good.csv"] = (200, {"Content-Type": "text/csv"}, servers.GOOD_CSV)
    yield site
    servers.stop(site)


def catalog(site, count, read):
    """``count`` datasets, made as they are read; ``read`` counts them."""
    for number in range(count):
        read.append(number)
        links = [] if number % 3 == 2 else [
            {"id": "r%d-%d" % (number, i), "url": site.url("/good.csv"), "format": "CSV"}
            for i in range(2)]
        yield {"id": "d%d" % number, "name": "d%d" % number, "resources": links}


def test_a_dataset_is_passed_on_when_its_checks_are_in_not_after_the_catalog(site):
    read, spools = [], remote.Spools()
    stream = remote.graded(catalog(site, 30, read), OPTIONS, spools, NOW)
    first = next(stream)
    assert first["name"] == "d0"
    assert len(read) <= 4           # one thread: two checks waiting, one under way
    rest = list(stream)
    names = [d["name"] for d in [first, *rest]]
    assert len(names) == 30 and set(names) == {"d%d" % n for n in range(30)}
    assert len(spools.grades) == len(spools.datasets) == 30
    assert {g["name"] for g in spools.datasets if g["ungraded_reason"] == "no-linked-resources"
            } == {"d%d" % n for n in range(2, 30, 3)}
    checks = spools.checks
    assert len(checks) == 40 and list.__len__(checks) == 0   # on disk, not in the list
    assert {c["outcome"] for c in checks} == {"ok"}
    spools.close()


def test_the_json_report_reads_its_spooled_rows_back(site, capsys):
    spools = remote.Spools()
    datasets = list(remote.graded(catalog(site, 3, []), OPTIONS, spools, NOW))
    report = {"datasets": [d["name"] for d in datasets], "nso_qc": remote.grade_report(spools)}
    audit.echo_json(report, piece=64)
    written = json.loads(capsys.readouterr().out)["nso_qc"]
    assert [c["resource_id"] for c in written["checks"]] == [
        c["resource_id"] for c in spools.checks] and len(written["checks"]) == 4
    assert [d["name"] for d in written["datasets"]] == [d["name"] for d in datasets]
    assert written["checked_resources"] == 4
    assert written["catalog"]["distribution"]["ungraded"] == 1   # d2: no link
    assert written["catalog"]["graded"] == 2
    spools.close()
