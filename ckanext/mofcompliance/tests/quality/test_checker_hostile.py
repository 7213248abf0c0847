"""The resource checker against hostile servers on 127.0.0.1: it stops at its one
deadline whatever the server does, and stays small whatever the file holds."""
import multiprocessing
import time
import tracemalloc
import zipfile

import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check, tabular

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
    result, peak = checked_with_peak(site, "/wide.csv", "CSV")
    table = result["tabular"]
    assert table["error_count"] == 200 * 3999 and len(table["errors"]) == 20
    assert [e["code"] for e in table["errors"]] == ["extra-cell"] * 20
    assert peak < 32 * MB, "%d MB allocated at the peak" % (peak // MB)


def test_a_json_of_a_million_strings_is_parsed_for_its_shape(site):
    """5 MB of JSON strings: judged as json.loads would, without building a million
    values (the plain parse takes about 60 MB here). Traced, the parse is slow: the
    deadline is one no parse reaches."""
    body = b"[" + b'"ab", ' * (MB - 1) + b'"ab"]'
    site.routes["/strings.json"] = (200, {"Content-Type": "application/json"}, body)
    site.routes["/broken.json"] = (200, {"Content-Type": "application/json"},
                                   body[:-1] + b",]")
    result, peak = checked_with_peak(site, "/strings.json", "JSON", total_timeout=600)
    assert result["tabular"]["valid"] is True and result["tabular"]["rows_checked"] == MB
    assert peak < 24 * MB, "%d MB allocated at the peak" % (peak // MB)
    broken = check({"id": "r2", "url": site.url("/broken.json"), "format": "JSON"},
                   settings(max_bytes=10 * MB, total_timeout=600))
    assert broken["tabular"]["valid"] is False and codes(broken) == ["unparsable"]


def test_shaping_a_json_looks_at_the_deadline_as_it_goes():
    """A large JSON is shaped (``tabular._shape``) with a look at the deadline every few
    thousand values: one that has passed stops it."""
    body = b"[" + b'"ab",' * (MB - 1) + b'"ab"]'
    with pytest.raises(tabular.Late):
        tabular.validate_json(body, None, due=time.monotonic())


def test_parsing_a_downloaded_json_stops_at_the_checks_deadline(site, monkeypatch):
    """The parse after the download is cut by the check's one deadline and recorded, never
    run on past it. The clock here says the deadline has passed once the download is done
    (a parse that outlasts it, whatever the machine's speed)."""
    def late(due):
        raise tabular.Late()
    monkeypatch.setattr(tabular, "on_time", late)
    body = b"[" + b'"ab",' * (MB - 1) + b'"ab"]'
    site.routes["/strings.json"] = (200, {"Content-Type": "application/json"}, body)
    result = check({"id": "r1", "url": site.url("/strings.json"), "format": "JSON"},
                   settings(max_bytes=32 * MB))
    assert result["downloadable"] is True and result["detected_format"] == "JSON"
    assert result["tabular"]["validated"] is False
    assert result["outcome"] == "problem" and codes(result) == ["check-timeout"]


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
