"""The resource checker against hostile servers on 127.0.0.1: it stops at its one
deadline whatever the server does, and stays small whatever the file holds."""
import multiprocessing
import tracemalloc
import zipfile

import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check, containers, formats

from . import corpus, servers

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


@pytest.mark.parametrize("case", ["headers", "body", "body until close"])
def test_a_dripping_server_is_given_up_at_the_deadline(drip, case):
    if case == "headers":   # a header line every 0.2 s, 300 of them
        server = drip([STATUS] + [b"X-Line-%d: 1\r\n" % n for n in range(300)], b"")
    elif case == "body":    # the headers at once, then the body a byte every 0.2 s
        server = drip([b"".join(CSV_HEAD)], b"a,b\n" + b"1,2\n" * 99)
    else:                   # the same without a length: the body ends with the connection
        server = drip([STATUS + b"Content-Type: text/csv\r\n\r\n"], b"a,b\n" + b"1,2\n" * 99)
    result = check({"id": "r1", "url": server.url("/slow.csv"), "format": "CSV"}, settings())
    assert result["outcome"] == "unreachable" and codes(result) == ["timeout"]
    assert result["downloadable"] is False and result["tabular"] is None
    assert server.gone.wait(10), "the checker hung up before the server was done"
    assert server.sent < server.total()


MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_with_one_cell(path, cell_chars):
    """An XLSX whose one cell holds ``cell_chars`` letters: small packed, big unpacked."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" '
                         't="inlineStr"><is><t>' % MAIN).encode())
            for _ in range(cell_chars // MB):
                sheet.write(b"A" * MB)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return path.read_bytes()


def workbook_of_cells(path, cells):
    """An XLSX whose first sheet's one row has ``cells`` empty cells."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(('<worksheet xmlns="%s"><sheetData><row r="1">' % MAIN).encode())
            for _ in range(cells // 10000):
                sheet.write(b"<c/>" * 10000)
            sheet.write(b"</row></sheetData></worksheet>")
    return path.read_bytes()


@pytest.fixture
def site():
    server = servers.serve()
    yield server
    servers.stop(server)


def served(site, path, body, declared, content_type="application/octet-stream", **policy):
    site.routes[path] = (200, {"Content-Type": content_type}, body)
    return check({"id": "r1", "url": site.url(path), "format": declared},
                 settings(max_bytes=10 * MB, **policy))



def checked_with_peak(site, path, fmt, **policy):
    """The check of ``path`` on ``site`` (10 MB read at most) and the peak of the memory
    Python allocated meanwhile."""
    tracemalloc.start()
    try:
        result = check({"id": "r1", "url": site.url(path), "format": fmt},
                       settings(max_bytes=10 * MB, **policy))
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

def test_a_workbook_that_unpacks_to_800_mb_is_not_opened(site, tmp_path):
    body = workbook_with_one_cell(tmp_path / "bomb.xlsx", 800 * MB)
    assert len(body) < 2 * MB
    result = served(site, "/bomb.xlsx", body, "XLSX")
    assert result["detected_format"] == "XLSX" and result["tabular"]["validated"] is False
    assert codes(result) == ["too-large"]
    assert "unpacks to 800 MB" in result["problems"][0]["detail"]


def test_a_cell_longer_than_a_spreadsheet_cell_can_hold_stops_the_reading(site, tmp_path):
    body = workbook_with_one_cell(tmp_path / "long-cell.xlsx", 16 * MB)
    result = served(site, "/long-cell.xlsx", body, "XLSX")
    assert result["tabular"]["valid"] is False and codes(result) == ["unparsable"]
    assert "more than 32767 characters" in result["tabular"]["errors"][0]["message"]


def test_errors_past_the_kept_twenty_are_counted_not_built(site):
    """One header column and 200 rows of 4,000 cells: 799,800 extra cells, of which
    20 are kept, and the check's memory does not grow with them."""
    body = b"year\n" + (b"2566," * 3999 + b"2566\n") * 200
    site.routes["/wide.csv"] = (200, {"Content-Type": "text/csv"}, body)
    result, peak = checked_with_peak(site, "/wide.csv", "CSV", total_timeout=600)
    table = result["tabular"]
    assert table["error_count"] == 200 * 3999 and len(table["errors"]) == 20
    assert [e["code"] for e in table["errors"]] == ["extra-cell"] * 20
    assert peak < 32 * MB, "%d MB allocated at the peak" % (peak // MB)


def test_the_rows_that_tell_the_types_are_not_held(site):
    """2,048 columns of 100 rows: the rows the columns' types are read from (by the
    checker and by NSO's count) were held as 200,000 strings twice (22 MB); now as a
    byte a cell for NSO's count, none for the checker's own."""
    header = b",".join(b"c%d" % n for n in range(2048)) + b"\n"
    body = header + (b",".join([b"17"] * 2047 + [b"xy"]) + b"\n") * 100 + b"18," * 2047 + b"yz\n"
    site.routes["/wide-rows.csv"] = (200, {"Content-Type": "text/csv"}, body)
    result, peak = checked_with_peak(site, "/wide-rows.csv", "CSV", total_timeout=600)
    assert result["tabular"]["valid"] is True and result["nso"]["table"]["valid"] is True
    assert peak < 6 * MB, "%d MB allocated at the peak" % (peak // MB)


def test_a_json_of_half_a_million_strings_is_parsed_for_its_shape(site):
    """3 MB of JSON strings: judged as json.loads would, without building half a million
    values (the plain parse takes about 30 MB here), shaped in the body's own buffer.
    Traced, the parse is slow: the deadline is one no parse reaches."""
    body = b"[" + b'"ab", ' * (MB // 2 - 1) + b'"ab"]'
    site.routes["/strings.json"] = (200, {"Content-Type": "application/json"}, body)
    site.routes["/broken.json"] = (200, {"Content-Type": "application/json"},
                                   body[:-1] + b",]")
    result, peak = checked_with_peak(site, "/strings.json", "JSON", total_timeout=600)
    assert result["tabular"]["valid"] is True and result["tabular"]["rows_checked"] == MB // 2
    assert peak < 4 * MB, "%d KB allocated at the peak" % (peak // 1024)
    broken = check({"id": "r2", "url": site.url("/broken.json"), "format": "JSON"},
                   settings(max_bytes=10 * MB, total_timeout=600))
    assert broken["tabular"]["valid"] is False and codes(broken) == ["unparsable"]


def uploaded(tmp_path, name, body, declared, total_timeout=0.2, **limits):
    """The check of an upload of ``body``, read from storage within a deadline of
    ``total_timeout`` (no network: the whole deadline goes to reading the file)."""
    path = tmp_path / name
    path.write_bytes(body)
    policy = outbound.Policy(total_timeout=total_timeout, max_bytes=32 * MB)
    return check({"id": "r1", "url": name, "format": declared, "url_type": "upload"},
                 Settings(policy, **limits), upload_path=lambda _resource: str(path))


def assert_cut_by_the_deadline(result, fmt):
    assert result["downloadable"] is True and result["detected_format"] == fmt
    assert result["tabular"]["validated"] is False
    assert result["outcome"] == "problem" and codes(result) == ["check-timeout"]


def test_parsing_a_json_stops_at_the_checks_deadline(tmp_path):
    """20 MB of JSON strings are read at once, but shaping four million values takes
    seconds more than the check's 0.2 s: the parse after the read is cut by the same
    deadline and recorded, never run on past it."""
    body = b"[" + b'"ab",' * (4 * MB - 1) + b'"ab"]'
    assert_cut_by_the_deadline(uploaded(tmp_path, "strings.json", body, "JSON"), "JSON")


def test_streaming_a_workbook_stops_at_the_checks_deadline(tmp_path):
    """A first sheet of 8 million empty cells in one row: 80 KB packed, 32 MB of XML
    for expat, seconds of reading, cut by the check's 0.2 s deadline (the row limit
    does not bound a row's cells)."""
    body = workbook_of_cells(tmp_path / "cells.xlsx", 8_000_000)
    assert len(body) < MB
    result = uploaded(tmp_path, "cells.xlsx", body, "XLSX")
    assert_cut_by_the_deadline(result, "XLSX")


def test_validating_rows_stops_at_the_checks_deadline(tmp_path):
    """NSO's count over a wide CSV is cut by the deadline, and the checker's own rows
    are not validated past it either: one check-timeout, no table read late."""
    body = b"year\n" + (b"2566," * 3999 + b"2566\n") * 500
    assert_cut_by_the_deadline(uploaded(tmp_path, "wide.csv", body, "CSV"), "CSV")


def test_an_archive_of_many_parts_is_judged_by_its_first_without_its_directory():
    """zipfile reads every entry of a directory (120,000 parts in 10 MB took 68 MB and
    1.3 s): past 4,096 parts the checker reads the parts at the start instead."""
    body = corpus.archive_of_parts(40000)
    tracemalloc.start()
    try:
        assert containers.zip_kind(body) is None        # no telling part at its start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB, "%d KB allocated at the peak" % (peak // 1024)
    assert formats.matches("ZIP", formats.detect(body, "application/zip", "ZIP")) is True


def test_a_workbook_of_more_parts_than_are_opened_is_not_validated(site):
    body = corpus.archive_of_parts(5000, ["[Content_Types].xml", "xl/workbook.xml",
                                   "xl/worksheets/sheet1.xml"])
    result = served(site, "/parts.xlsx", body, "XLSX")
    assert result["detected_format"] == "XLSX" and result["format_matches"] is True
    assert result["tabular"]["validated"] is False and codes(result) == ["too-large"]
    assert "more than 4096 parts" in result["problems"][0]["detail"]


def _check_in_child(url, answers):
    answers.put(check({"id": "r1", "url": url, "format": "CSV"}, settings())["outcome"])


def test_the_deadline_holds_in_a_forked_job_worker(drip, site):
    """A job worker forks a work horse per job: the deadline's watchdog runs there too,
    though the parent's started before the fork."""
    site.routes["/a.csv"] = (200, {"Content-Type": "text/csv"}, b"a\n1\n")
    assert check({"id": "r0", "url": site.url("/a.csv"), "format": "CSV"},
                 settings())["outcome"] == "ok"  # the parent's watchdog is running
    server = drip([b"".join(CSV_HEAD)], b"a,b\n" + b"1,2\n" * 99)
    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    child = fork.Process(target=_check_in_child, args=(server.url("/slow.csv"), answers))
    child.start()
    try:
        assert answers.get(timeout=30) == "unreachable"
    finally:
        child.join(5)
        child.kill()
    assert server.sent < server.total()
