"""The labelled corpus (``corpus.py``: containers, CSV dialects and encodings, made here),
served on 127.0.0.1: the checker finds what each case is, with no false mismatch."""
import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check
from ckanext.mofcompliance.quality.checker import containers as cfb

from . import corpus, servers

CAP = 32 * 1024  # the byte cap: the cut cases are bigger
CASES = corpus.corpus(CAP)


@pytest.fixture(scope="module")
def site():
    server = servers.serve()
    for case in CASES:
        server.routes[case.path] = (200, {"Content-Type": case.content_type}, case.body)
    yield server
    servers.stop(server)


def found(result):
    """The result in the corpus's labels."""
    table = result["tabular"] or {}
    return {**result, "valid": table.get("valid")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_checker_finds_what_each_file_is(site, case):
    settings = Settings(outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}),
                                        max_bytes=CAP), max_rows=200)
    result = found(check({"id": case.name, "url": site.url(case.path),
                          "format": case.declared}, settings))
    assert {key: result[key] for key in case.expect} == case.expect
    if case.expect["format_matches"]:
        assert "format-mismatch" not in [p["code"] for p in result["problems"]]


def test_a_compound_files_root_storage_is_read_not_its_embedded_objects():
    word_with_sheet = corpus.compound_file(corpus.WORD + [("ObjectPool", [("_1", corpus.EXCEL)])])
    assert sorted(cfb.root_names(word_with_sheet)) == sorted(corpus.WORD + ["ObjectPool"])


def test_a_compound_file_cut_before_its_directory_is_not_guessed():
    cut = corpus.compound_file(corpus.WORD, filler_sectors=40)[:8 * 1024]
    assert cfb.root_names(cut) is None and cfb.compound_kind(cut) is None
