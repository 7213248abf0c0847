"""The Solr query forms CKAN and its clients send, parsed (no database needed)."""
import pytest

from ckanext.mofcompliance.search import lucene
from ckanext.mofcompliance.search.lucene import And, Boost, MatchAll, Not, Or, Range, Term


@pytest.mark.parametrize("text", ["", "*:*", "  "])
def test_empty_and_match_all(text):
    assert lucene.parse(text) == MatchAll()


def test_field_value_forms():
    assert lucene.parse('capacity:"public"') == Term("capacity", "public", phrase=True)
    assert lucene.parse("+dataset_type:dataset") == Term("dataset_type", "dataset")
    assert lucene.parse("-tags:economy") == Not(Term("tags", "economy"))


def test_juxtaposed_clauses_are_all_required():
    assert lucene.parse(' +capacity:public  tags:"ภาษี" +state:(active OR draft)') == And((
        Term("capacity", "public"),
        Term("tags", "ภาษี", phrase=True),
        Or((Term("state", "active"), Term("state", "draft"))),
    ))


def test_harvester_organization_or_list_and_exclusion():
    assert lucene.parse("organization:a OR organization:b -organization:c") == Or((
        Term("organization", "a"),
        And((Term("organization", "b"), Not(Term("organization", "c")))),
    ))


def test_harvester_modified_since_range():
    node = lucene.parse("metadata_modified:[2026-11-23T08:00:00.000000Z TO *]")
    assert node == Range("metadata_modified", "2026-11-23T08:00:00.000000Z", None, True, True)


def test_autocomplete_query():
    node = lucene.parse('name_ngram:"ภาษี" OR title_ngram:"ภาษี" OR name:"ภาษี" OR title:"ภาษี"')
    assert isinstance(node, Or) and len(node.nodes) == 4


def test_free_text_words_and_escapes():
    assert lucene.parse(r"ดุลการคลัง fiscal\:balance") == And((
        Term(None, "ดุลการคลัง"), Term(None, "fiscal:balance")))


def test_wildcards():
    assert lucene.parse("res_format:*").is_wildcard
    assert lucene.parse("name:abc*") == Term("name", "abc*")


@pytest.mark.parametrize("bad", ['title:"unterminated', "tags:(a OR b", "[a TO b]", "a:b:c"])
def test_syntax_errors_are_reported(bad):
    with pytest.raises(lucene.QuerySyntaxError):
        lucene.parse(bad)


def test_boost_fuzzy_and_proximity_are_operators_never_text():
    assert lucene.parse('title:"x"^2') == Boost(Term("title", "x", phrase=True), 2.0)
    assert lucene.parse("(a OR b)^0.5") == Boost(Or((Term(None, "a"), Term(None, "b"))), 0.5)
    assert lucene.parse("water~") == Term(None, "water", fuzzy=2.0)
    assert lucene.parse("title:water~1") == Term("title", "water", fuzzy=1.0)
    assert lucene.parse('"fiscal balance"~3') == Term(None, "fiscal balance", phrase=True,
                                                      slop=3)
    assert lucene.parse(r"a\~b c\^2") == And((Term(None, "a~b"), Term(None, "c^2")))


@pytest.mark.parametrize("bad", ["water^", "water^x", "(a OR b)~2", "water~~", '"a b"~1.5'])
def test_misplaced_boost_and_tilde_are_syntax_errors(bad):
    with pytest.raises(lucene.QuerySyntaxError):
        lucene.parse(bad)
