"""The NSO QC grade is the letter and score NSO's own worker gives, where its reading of a
resource and the checker's differ (docs/nso-qc-grade.md, "Readings of a check"); the checker
still reports its better finding to the steward.

Each case is served by a real HTTP server on 127.0.0.1, checked by the checker and graded.
The expected figures are worked out by hand from NSO's rules: every dataset is complete with
NSO's ``update_frequency`` (monthly) and its resources are 10 days old, so completeness and
timeliness give 20 + 20; accessibility 15, machine-readable 20 and validity 25 follow.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check
from ckanext.mofcompliance.quality.checker.nso import count_table
from ckanext.mofcompliance.quality.grading import grade_dataset
from ckanext.mofcompliance.quality.messages import render
from ckanext.mofcompliance.quality import service

from . import servers

NOW = datetime.now(timezone.utc)
CSV = {"Content-Type": "text/csv"}
VALID_CSV = b"year,amount\n2566,10\n2567,20\n"
HTML = b"<!DOCTYPE html>\n<html>\n<head><title>Login</title></head>\n" \
       b"<body><p>Please log in</p></body>\n</html>\n"


@pytest.fixture
def site():
    server = servers.serve()
    yield server
    servers.stop(server)


def settings() -> Settings:
    return Settings(outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}), connect_timeout=2,
                                    read_timeout=5, max_bytes=1024 * 1024, max_redirects=5),
                    max_rows=1000)


def graded(site, *served: tuple[str, str, dict, bytes], status: int = 200):
    """Serve ``(path, declared format, headers, body)`` resources, check them, grade."""
    resources, checks = [], []
    for number, (path, fmt, headers, body) in enumerate(served):
        site.routes[path] = (status, headers, body)
        res = {"id": "r%d" % number, "name": path.lstrip("/"), "url": site.url(path),
               "format": fmt, "url_type": "",
               "metadata_modified": (NOW - timedelta(days=10)).replace(tzinfo=None).isoformat()}
        resources.append(res)
        checks.append(check(res, settings()))
    return grade_dataset(dataset(*resources), checks, NOW), checks


def dataset(*resources: dict) -> dict:
    """A dataset complete by NSO's fields (``update_frequency`` monthly)."""
    return {"id": "d", "name": "d", "title": "ชุดข้อมูล", "notes": "คำอธิบาย",
            "tags": [{"name": "การคลัง"}], "license_title": "Open Data Common",
            "organization": {"id": "o", "name": "mof"}, "update_frequency": "รายเดือน",
            "resources": list(resources)}


def test_a_server_refusing_head_is_not_downloadable_to_nso(site):
    site.head_status["/fiscal.csv"] = 405
    grade, [found] = graded(site, ("/fiscal.csv", "CSV", CSV, VALID_CSV))
    # the checker downloads the file: downloadable, a valid table
    assert found["downloadable"] is True and found["tabular"]["valid"] is True
    assert found["nso"]["head_status"] == 405
    # NSO: HEAD 405 is not 200/206: not downloadable, not machine-readable, nothing validated
    # (0.7 x 0); 20 + 20 + 0 + 0 + 0 = 40
    assert (grade.score, grade.letter) == (40.0, "D")
    assert {p.code for p in grade.lost} == {"nso-head-refused", "nothing-validated"}


def test_a_web_page_behind_a_pdf_link_is_downloadable_to_nso(site):
    grade, [found] = graded(site, ("/report.pdf", "PDF", {"Content-Type": "text/html"}, HTML))
    assert found["downloadable"] is False
    assert [p["code"] for p in found["problems"]] == ["html-instead-of-file"]
    # NSO looks for HTML in tabular, JSON and XML downloads only; text/html is not in its
    # map, so the format is the URL's: pdf, downloadable, not machine-readable, not
    # validated (0.7 x 100 = 70): 20 + 20 + 15 + 0 + 17.5 = 72.5
    assert (grade.score, grade.letter) == (72.5, "C")


def test_an_empty_csv_is_downloadable_and_invalid_with_one_error_to_nso(site):
    grade, [found] = graded(site, ("/empty.csv", "CSV", CSV, b""))
    assert found["downloadable"] is False
    assert [p["code"] for p in found["problems"]] == ["empty-file"]
    # NSO: HEAD 200, csv: downloadable and machine-readable; frictionless: "the source is
    # empty", 1 error: validity 0 / 1; 20 + 20 + 15 + 20 + 0 = 75
    assert found["nso"]["table"] == {"valid": False, "error_count": 1}
    assert (grade.score, grade.letter) == (75.0, "B")
    assert grade.resources[0].error_count == 1


def test_a_web_page_with_a_leading_newline_at_a_csv_link_is_an_invalid_csv_to_nso(site):
    grade, [found] = graded(site, ("/page.csv", "CSV", {"Content-Type": "text/html"},
                                   b"\n" + HTML))
    assert found["downloadable"] is False
    assert [p["code"] for p in found["problems"]] == ["html-instead-of-file"]
    # NSO's HTML test reads the first bytes as they are: the newline hides the page. Its
    # own pass takes the empty first line as a header of no column: each of the 5 lines
    # after it has extra values (frictionless, skipping the blank line, finds none): 5
    assert found["nso"]["html_start"] is False
    assert found["nso"]["table"] == {"valid": False, "error_count": 5}
    # 20 + 20 + 15 + 20 + 0 = 75
    assert (grade.score, grade.letter) == (75.0, "B")


def test_a_page_starting_like_html_stays_not_downloadable_to_nso(site):
    grade, _ = graded(site, ("/page.csv", "CSV", {"Content-Type": "text/html"}, HTML))
    # NSO sees the page: not downloadable, not machine-readable; 20 + 20 = 40
    assert (grade.score, grade.letter) == (40.0, "D")


WAF = {"Content-Type": "text/html", "Set-Cookie": "visid_incap_2615=x1; path=/; HttpOnly"}


@pytest.mark.parametrize("how", ["on the page", "on a redirect to it"])
def test_a_page_behind_a_firewalls_cookies_is_downloadable_to_nso(site, how):
    """NSO's WAF exception (resource_checker.py): a page starting like HTML while an
    Imperva cookie (``visid_incap_…``, ``incap_ses_…``) was set during its HEAD and GET is
    downloadable, machine-readable by its format, not validated."""
    if how == "on the page":
        grade, [found] = graded(site, ("/fiscal.csv", "CSV", WAF, HTML))
    else:
        site.routes["/challenge"] = (200, {"Content-Type": "text/html"}, HTML)
        grade, [found] = graded(site, ("/fiscal.csv", "CSV", {
            "Location": "/challenge", "Set-Cookie": "incap_ses_1227_2615=y2; path=/"}, b""),
            status=302)
    assert found["nso"]["html_start"] is True and found["nso"]["waf_cookie"] is True
    # the checker's better finding: a web page where a CSV was promised
    assert found["downloadable"] is False
    assert [p["code"] for p in found["problems"]] == ["html-instead-of-file"]
    # NSO: downloadable 15, machine-readable (csv by the link) 20, nothing validated
    # (0.7 x 100 x 25 % = 17.5): 20 + 20 + 15 + 20 + 17.5 = 92.5
    assert (grade.score, grade.letter) == (92.5, "A")
    assert [(p.code, p.points) for p in grade.lost] == [("nso-waf-page", 0.0),
                                                      ("nothing-validated", 7.5)]
    assert "a web firewall set its bot-check cookies" in render("nso-waf-page", {
        "resource": "fiscal.csv"}).found


def test_errors_after_row_1000_count_as_nso_reads_the_whole_file(site):
    rows = [b"%d,%d" % (i, i * 2) for i in range(1500)]
    rows[1200:1212] = [b"%d,%d,x" % (i, i) for i in range(12)]
    grade, [found] = graded(site, ("/long.csv", "CSV", CSV, b"id,amount\n" + b"\n".join(rows)))
    assert found["tabular"]["valid"] is True       # the checker's sample: the first 1,000
    # NSO: 12 extra cells (frictionless) and 12 rows with extra values (its own pass): the
    # larger, 12; invalid; a mean of 12 errors is above 10: minus 10, not below 0
    assert found["nso"]["table"] == {"valid": False, "error_count": 12}
    assert (grade.score, grade.letter) == (75.0, "B")
    assert {p.code for p in grade.lost} == {"invalid-table"}


def test_unquoted_thousands_count_twice_as_nso_counts_them(site):
    thousands = b"name,amount\n" + b"".join(b"r%d,1,234\n" % i for i in range(11))
    grade, [_, found] = graded(site, ("/good.csv", "CSV", CSV, VALID_CSV),
                               ("/thousands.csv", "CSV", CSV, thousands))
    # the checker: one extra cell per row, 11
    assert found["tabular"]["error_count"] == 11
    # NSO: 11 extra cells (frictionless, one per cell past the header) and 11 unquoted-number
    # rows (its own pass): 22. Validity: 1 valid of 2 = 50, mean errors (0 + 22) / 2 = 11,
    # above 10: minus 10 = 40. 20 + 20 + 15 + 20 + 10 = 85 (the checker's count: 87.5)
    assert found["nso"]["table"] == {"valid": False, "error_count": 22}
    assert (grade.score, grade.letter) == (85.0, "B")


@pytest.mark.parametrize("body,errors", [
    (b"name,amount\na,1,234\nb,2,345\nc,3,456\n", 6),     # 3 extra cells + 3 rows
    (b"name,amount\na,1,234,567\nb,2\n", 3),              # 2 extra cells + 1 row
    (b"id,amount\n1,10\n2,x\n\n3,20,\n4\n", 3),           # blank, extra, missing: 1 each
    (b"a,a,\n1,2,3\n", 2),                                # a repeated and a blank label
])
def test_table_errors_are_counted_as_nso_counts_them(body, errors):
    """Each count checked against NSO's worker (frictionless 5.17) on the same bytes."""
    assert count_table(body, "utf-8", "csv") == {"valid": False, "error_count": errors}


def test_types_are_inferred_from_the_first_hundred_rows_and_errors_counted_to_the_end():
    """One pass: the first 100 data rows give the types, every later row is judged by them,
    and an error far past the checker's 1,000 rows is counted, as NSO reads the whole file."""
    body = (b"id,amount\n" + b"".join(b"%d,10\n" % i for i in range(150)) + b"x,y\n"
            + b"".join(b"%d,10\n" % i for i in range(5000)) + b"1,2,3\n")
    # x and y are not integers (2); 1,2,3: one extra cell and one unquoted-number row (1)
    assert count_table(body, "utf-8", "csv") == {"valid": False, "error_count": 3}


def test_a_count_cut_by_the_checks_deadline_is_no_count():
    body = b"id,amount\n" + b"1,10\n" * 10
    assert count_table(body, "utf-8", "csv", due=time.monotonic() - 1) == {
        "valid": None, "error_count": 0}


@pytest.mark.parametrize("path,content_type,body", [
    ("/places.kml", "application/vnd.google-earth.kml+xml",
     b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'),
    ("/fiscal.txt", "text/plain", VALID_CSV),
])
def test_the_format_is_the_url_extension_when_the_content_type_does_not_say(
        site, path, content_type, body):
    grade, [found] = graded(site, (path, path.rsplit(".", 1)[1].upper(),
                                   {"Content-Type": content_type}, body))
    assert found["downloadable"] is True
    assert found["detected_format"] in ("XML", "CSV")     # the checker reads the content
    # NSO: kml / txt, downloadable, not machine-readable, not validated (0.7 x 100):
    # 20 + 20 + 15 + 0 + 17.5 = 72.5
    assert (grade.score, grade.letter) == (72.5, "C")
    assert "nso-format-from-url" in {p.code for p in grade.lost}


def test_the_head_follows_a_redirect_as_a_head(site):
    site.routes["/moved.csv"] = (301, {"Location": "/fiscal.csv"}, b"")
    site.head_status["/fiscal.csv"] = 405
    site.routes["/fiscal.csv"] = (200, CSV, VALID_CSV)
    res = {"id": "r", "url": site.url("/moved.csv"), "format": "CSV", "url_type": ""}
    found = check(res, settings())
    assert found["downloadable"] is True and found["nso"]["head_status"] == 405
    assert [(m, p) for m, p, _ in site.requests] == [
        ("GET", "/moved.csv"), ("GET", "/fiscal.csv"),
        ("HEAD", "/moved.csv"), ("HEAD", "/fiscal.csv")]


def test_a_refused_link_gets_no_head_and_is_not_downloadable_to_nso(site):
    site.routes["/fiscal.csv"] = (200, CSV, VALID_CSV)
    res = {"id": "r", "url": site.url("/fiscal.csv"), "format": "CSV", "url_type": ""}
    found = check(res, Settings(outbound.Policy(allowed_hosts=frozenset()), max_rows=10))
    # the guard refuses loopback here: neither the GET nor NSO's HEAD is sent
    assert found["outcome"] == "refused" and site.requests == []
    assert found["nso"] == {"head_status": None, "content_type": None}


def test_a_workbook_that_does_not_open_is_invalid_with_no_error_counted(site):
    xlsx = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    thousands = b"name,amount\n" + b"".join(b"r%d,1,234\n" % i for i in range(15))
    grade, [_, _, broken] = graded(site, ("/good.csv", "CSV", CSV, VALID_CSV),
                                   ("/thousands.csv", "CSV", CSV, thousands),
                                   ("/budget.xlsx", "XLSX", xlsx, b"PK\x03\x04not a workbook"))
    assert broken["tabular"]["error_count"] == 1       # the checker: it does not open
    # NSO: frictionless "could not be parsed", a type it does not count: 0 errors. Validity:
    # 1 valid of 3 = 33.33; mean errors (0 + 30 + 0) / 3 = 10, not above 10 (with the
    # checker's 1 it would be 10.33: minus 10). 20 + 20 + 15 + 20 + 8.33 = 83.33
    assert grade.resources[2].error_count == 0
    assert (grade.score, grade.letter) == (83.33, "B")


def test_an_empty_workbook_is_invalid_with_no_error_counted(site):
    xlsx = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    _, [found] = graded(site, ("/empty.xlsx", "XLSX", xlsx, b""))
    assert found["nso"]["table"] == {"valid": False, "error_count": 0}


def test_a_pdf_served_as_text_csv_is_a_csv_to_nso(site):
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    grade, [found] = graded(site, ("/report.csv", "CSV", CSV, pdf))
    assert found["detected_format"] == "PDF" and found["format_matches"] is False
    # NSO takes the content type: csv, machine-readable; its four one-column lines validate
    # (checked with NSO's validator): 20 + 20 + 15 + 20 + 25 = 100
    assert found["nso"]["table"] == {"valid": True, "error_count": 0}
    assert (grade.score, grade.letter) == (100.0, "A")
    # the steward is told: NSO credits it by its content type, and the file is a PDF
    [note] = grade.lost
    assert (note.code, note.points) == ("nso-credits-content-type", 0.0)
    found_words = render(note.code, note.params).found
    assert "credits report.csv as CSV by the server's content type" in found_words
    assert "the file is really PDF" in found_words
    assert found["problems"][0]["code"] == "format-mismatch"   # the better finding
    # a note costs nothing: the organisation's table counts no lost point for it
    assert service.dataset_row({"name": "report"}, grade)["lost"] == 0
