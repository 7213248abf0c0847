"""The verified open level: the openness rules evaluated on the package as the checker found it."""
from __future__ import annotations

from ckanext.mofcompliance.quality.verified_openness import (
    DEAD_LINK, FORMAT_MISMATCH, verified_open_level)

from ..standard.builders import pkg, resource


def check(rid: str, **fields) -> dict:
    base = {"resource_id": rid, "outcome": "ok", "downloadable": True, "detected_format": "CSV",
            "format_matches": True, "problems": []}
    return {**base, **fields}


def advanced() -> dict:
    """Advanced by its claims: a DataStore CSV, monthly, district level."""
    return pkg("adv", update_frequency_unit="เดือน", geo_coverage="อำเภอ",
               resources=[resource(id="r1", datastore_active=True)])


def test_a_dead_link_drops_the_advanced_level():
    dead = check("r1", outcome="problem", downloadable=False, http_status=404,
                 detected_format=None, format_matches=None,
                 problems=[{"code": "dead-link", "detail": "404"}])
    result = verified_open_level(advanced(), [dead])
    assert (result.declared.level, result.verified.level) == (3, 0)
    assert result.dropped
    assert [(d.resource_id, d.reason, d.problems) for d in result.demotions] == \
        [("r1", DEAD_LINK, ("dead-link",))]


def test_a_pdf_labelled_csv_is_judged_as_a_pdf():
    # intermediate by its claims: access 2 (authoritative source), granularity 2 (monthly),
    # format 3 (CSV); as a PDF the format indicator is 1 (report documents), so the level is 1
    dataset = pkg("pdf", update_frequency_unit="เดือน",
                  resources=[resource(id="r1", authoritative_source="True")])
    mismatch = check("r1", outcome="problem", detected_format="PDF", format_matches=False,
                     problems=[{"code": "format-mismatch", "detail": "PDF"}])
    result = verified_open_level(dataset, {"r1": mismatch})
    assert (result.declared.level, result.verified.level) == (2, 1)
    assert result.verified.indicator("format").level == 1
    assert result.demotions[0].reason == FORMAT_MISMATCH
    assert result.demotions[0].detected_format == "PDF"


def test_a_good_link_and_an_unchecked_one_keep_their_claims():
    dataset = pkg("kept", resources=[resource(id="r1"), resource(id="r2", name="later.csv")])
    result = verified_open_level(dataset, [check("r1")])
    assert result.verified.to_dict() == result.declared.to_dict()
    assert not result.dropped and result.demotions == ()


def test_a_checker_failure_does_not_demote():
    failed = check("r1", outcome="error", downloadable=False)
    result = verified_open_level(advanced(), [failed])
    assert result.verified.level == 3 and result.demotions == ()


def test_an_api_answering_json_is_not_a_format_contradiction():
    dataset = pkg("api", resources=[resource(id="r1", name="api", format="API",
                                             url="https://x/api", api_query_documented="True")])
    answer = check("r1", detected_format="JSON", format_matches=False)
    result = verified_open_level(dataset, [answer])
    assert result.verified.indicator("access").level == 3 and result.demotions == ()


def test_a_dead_link_beside_a_working_one_leaves_the_working_ones_level():
    dataset = pkg("two", resources=[resource(id="r1"),
                                    resource(id="r2", name="data.json", format="JSON")])
    dead = check("r1", downloadable=False, outcome="unreachable", detected_format=None)
    result = verified_open_level(dataset, [dead, check("r2", detected_format="JSON")])
    # the CSV (format 3) is gone; the JSON gives machine-readable, format level 2
    assert result.declared.indicator("format").level == 3
    assert result.verified.indicator("format").level == 2
    assert result.verified.indicator("format").resources == ("data.json",)
