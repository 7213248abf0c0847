"""A JSON longer than the checker reads (``max_mb``) is validated as NSO validates it, up to
NSO's 100 MB: read on within the check's one deadline, chunk by chunk, kept nowhere.

The grade's figures follow test_nso_readings.py's dataset (completeness and timeliness
20 + 20): a valid JSON earns accessibility 15, machine-readable 20 and validity 25 (100);
an invalid one validity 0 (75); not validated, validity is 0.7 x accessibility (92.5)."""
from __future__ import annotations

import codecs
import json
import tracemalloc
from datetime import timedelta

import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check, jsonscan
from ckanext.mofcompliance.quality.checker.nso import count_json
from ckanext.mofcompliance.quality.grading import grade_dataset

from . import servers
from .test_nso_readings import NOW, dataset, graded

JSON = {"Content-Type": "application/json"}
ROWS = [{"year": 2566 + n % 3, "region": "ภาคกลาง %d" % n, "amount": n * 12.5}
        for n in range(40000)]
BIG = json.dumps(ROWS, ensure_ascii=False).encode()     # about 2.6 MB; the checker reads 1


@pytest.fixture
def site():
    server = servers.serve()
    yield server
    servers.stop(server)


def test_a_json_past_max_mb_is_valid_to_nso_as_nso_reads_it_whole(site):
    assert len(BIG) > 2 * 1024 * 1024
    grade, [found] = graded(site, ("/budget.json", "JSON", JSON, BIG))
    # the checker's own finding: too large to open, not validated (the steward's problem)
    assert found["truncated"] is True and "too-large" in [p["code"] for p in found["problems"]]
    assert found["nso"]["table"] == {"valid": True, "error_count": 0}
    assert (grade.score, grade.letter) == (100.0, "A")


def test_a_json_broken_past_max_mb_is_invalid_with_one_error_to_nso(site):
    broken = BIG[:-1] + b",]"                   # a trailing comma at the very end
    grade, [found] = graded(site, ("/budget.json", "JSON", JSON, broken))
    assert found["nso"]["table"] == {"valid": False, "error_count": 1}
    assert (grade.score, grade.letter) == (75.0, "B")


def test_a_file_nso_does_not_read_as_json_is_not_read_past_max_mb(site):
    _grade, [found] = graded(site, ("/budget.txt", "TXT", {"Content-Type": "text/plain"},
                                    BIG))
    assert found["truncated"] is True and "table" not in found["nso"]


def graded_upload(tmp_path, name, fmt, body, max_bytes=1024 * 1024):
    """An uploaded resource read from storage (not over HTTP), checked and graded as
    test_nso_readings.py's ``graded`` grades a link."""
    (tmp_path / "stored").write_bytes(body)   # storage names a file without its extension
    res = {"id": "r0", "name": name, "url": name, "format": fmt, "url_type": "upload",
           "metadata_modified": (NOW - timedelta(days=10)).replace(tzinfo=None).isoformat()}
    found = check(res, Settings(outbound.Policy(max_bytes=max_bytes)),
                  upload_path=lambda _resource: str(tmp_path / "stored"))
    return grade_dataset(dataset(res), [found], NOW), found


@pytest.mark.parametrize("body,valid,letter", [(BIG, True, (100.0, "A")),
                                                (BIG[:-1] + b",]", False, (75.0, "B"))])
def test_an_uploaded_json_past_max_mb_is_judged_as_nso_reads_it_whole(tmp_path, body, valid,
                                                                        letter):
    grade, found = graded_upload(tmp_path, "budget.json", "JSON", body)
    assert found["truncated"] is True and "too-large" in [p["code"] for p in found["problems"]]
    assert found["nso"]["table"] == {"valid": valid, "error_count": 0 if valid else 1}
    assert (grade.score, grade.letter) == letter


STRINGS = b"[" + b'"x",' * 1023 + b'"x"]'   # byte 1,024 is a comma between two strings


@pytest.mark.parametrize("how", ["link", "upload"])
def test_the_byte_at_max_mb_is_read_on_not_dropped(site, tmp_path, how):
    """The byte that tells the body goes on past ``max_bytes`` is the first the reading
    past them needs: dropped, ``"x""x"`` would be invalid JSON."""
    assert STRINGS[1024:1025] == b","
    if how == "upload":
        _grade, found = graded_upload(tmp_path, "strings.json", "JSON", STRINGS, 1024)
    else:
        site.routes["/strings.json"] = (200, JSON, STRINGS)
        found = check({"id": "r1", "url": site.url("/strings.json"), "format": "JSON"},
                      Settings(outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}),
                                               max_bytes=1024)))
    assert found["truncated"] is True
    assert found["nso"]["table"] == {"valid": True, "error_count": 0}


def chunked(text: bytes, size: int):
    return (text[i:i + size] for i in range(0, len(text), size))


@pytest.mark.parametrize("text,valid", [
    (b'{"a": [1, 2.5, -3e2, true, false, null, "x"]}', True),
    (b"[NaN, Infinity, -Infinity]", True),              # Python's json reads them
    (b"\xef\xbb\xbf[1]", False),                        # NSO opens UTF-8 with its mark kept
    ("[\"ภาษาไทย\"]".encode("utf-16"), True),          # Excel's "Unicode text"
    (b'["a\x01b"]', False),                             # a control character in a string
    (b"[" + b"1" * 4301 + b"]", False),                 # past int_max_str_digits
    (b"[" * 2000 + b"]" * 2000, False),                 # deeper than Python recurses
    (b'{"a": 1} {"b": 2}', False),                      # JSON lines: extra data
    (b"[1, 2", False),                                  # cut
    (b"", False),
])
def test_json_validity_is_python_json_load_validity(text, valid):
    for size in (1, 3, 65536):
        assert count_json(text[:8], chunked(text[8:], size)) == {
            "valid": valid, "error_count": 0 if valid else 1}, size


def test_a_huge_string_or_nesting_costs_a_chunk_not_the_file():
    piece = b"x" * 65536
    text = [b'["'] + [piece] * 480 + [b'", ' + b"[" * 900 + b"]" * 900 + b"]"]  # 30 MB
    tracemalloc.start()
    try:
        assert count_json(b"", iter(text)) == {"valid": True, "error_count": 0}
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_the_scanner_agrees_with_json_loads_on_every_cut():
    text = json.dumps({"features": [{"type": "Feature", "properties": {"n": n, "s": "é\\\""},
                                     "geometry": [[1.5e3, -0.25]] * 3} for n in range(50)]})
    for size in (1, 2, 5, 17, 4096):
        scan = jsonscan.JsonScan()
        decoder = codecs.getincrementaldecoder("utf-8")()
        for piece in chunked(text.encode(), size):
            scan.feed(decoder.decode(piece))
        assert scan.valid(), size


def test_the_deadline_holds_while_reading_on_and_the_answer_stands():
    """The first KB at once, then a byte every 0.2 s: the read past ``max_bytes`` is cut
    at the check's deadline (1.5 s), the file is still downloadable to the checker, and
    NSO's reading is left out rather than guessed."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
    server = servers.Drip([head + BIG[:2048]], BIG[2048:4096])
    try:
        result = check({"id": "r1", "url": server.url("/slow.json"), "format": "JSON"},
                       Settings(outbound.Policy(
                           allowed_hosts=frozenset({"127.0.0.1"}), connect_timeout=1,
                           read_timeout=1, total_timeout=1.5, max_bytes=1024)))
        assert result["outcome"] == "problem" and result["downloadable"] is True
        assert [p["code"] for p in result["problems"]] == ["too-large"]
        assert "table" not in result["nso"]
        assert server.gone.wait(10), "the checker hung up before the server was done"
    finally:
        server.stop()
