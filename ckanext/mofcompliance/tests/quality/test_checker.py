"""The resource checker against real HTTP servers on 127.0.0.1 (allow-listed here only):
each case asserts the result the checker records."""
import io

import openpyxl
import pytest

from ckanext.mofcompliance import outbound
from ckanext.mofcompliance.quality.checker import Settings, check

from . import servers

MB = 1024 * 1024
THAI_HEADER = "ปีงบประมาณ,รายได้"
GOOD_CSV = ("year,region,amount\n" + "".join(
    "2566,r%d,%d.5\n" % (i, i * 10) for i in range(50))).encode("utf-8")
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def settings(**policy):
    defaults = dict(allowed_hosts=frozenset({"127.0.0.1"}), connect_timeout=2,
                    read_timeout=5, max_bytes=MB, max_redirects=5,
                    user_agent="mofcompliance-checker (Test catalog; http://test.ckan.net)")
    return Settings(outbound.Policy(**{**defaults, **policy}), max_rows=200)


@pytest.fixture
def site():
    server = servers.serve()
    yield server
    servers.stop(server)


def resource(url, fmt="CSV"):
    return {"id": "r1", "url": url, "format": fmt, "url_type": ""}


def run(site, path, body, headers=CSV, status=200, fmt="CSV", **policy):
    site.routes[path] = (status, headers, body)
    return check(resource(site.url(path), fmt), settings(**policy))


def codes(result):
    return [p["code"] for p in result["problems"]]


def test_a_good_csv(site):
    result = run(site, "/fiscal.csv", GOOD_CSV)
    assert result["outcome"] == "ok" and result["problems"] == []
    assert result["http_status"] == 200 and result["downloadable"] is True
    assert result["final_url"] == site.url("/fiscal.csv")
    assert result["size_bytes"] == len(GOOD_CSV) and result["truncated"] is False
    assert result["ttfb_ms"] >= 0
    assert (result["declared_format"], result["detected_format"]) == ("CSV", "CSV")
    assert result["format_matches"] is True and result["encoding"] == "utf-8"
    assert result["tabular"] == {"validated": True, "valid": True, "error_count": 0,
                                 "rows_checked": 50, "errors": []}
    assert site.requests[0][2]["User-Agent"] == \
        "mofcompliance-checker (Test catalog; http://test.ckan.net)"


def test_a_tis620_csv_is_read_and_reported_not_utf8(site):
    body = (THAI_HEADER + "\n2566,100\n2567,200\n").encode("cp874")
    result = run(site, "/thai.csv", body, {"Content-Type": "text/csv"})
    assert result["encoding"] == "tis-620"
    assert codes(result) == ["not-utf8"] and result["outcome"] == "problem"
    assert result["tabular"]["valid"] is True and result["tabular"]["rows_checked"] == 2
    assert result["downloadable"] is True


def test_a_utf8_bom_csv_is_utf8(site):
    body = b"\xef\xbb\xbf" + (THAI_HEADER + "\n2566,100\n").encode("utf-8")
    result = run(site, "/bom.csv", body)
    assert result["encoding"] == "utf-8-sig" and result["outcome"] == "ok"


def test_a_duplicate_header_and_ragged_rows(site):
    body = b"year,amount,amount\n2566,1,2\n2567,1\n2568,1,2,3\n"
    result = run(site, "/ragged.csv", body)
    table = result["tabular"]
    assert table["validated"] is True and table["valid"] is False
    found = {(e["code"], e["row"]) for e in table["errors"]}
    assert found == {("duplicate-label", None), ("missing-cell", 3), ("extra-cell", 4)}
    assert table["error_count"] == 3
    assert codes(result) == ["tabular-errors"] and result["outcome"] == "problem"


def test_a_type_error_in_a_number_column(site):
    body = ("id,amount\n" + "".join("%d,%d\n" % (i, i) for i in range(150))
            + "150,not a number\n").encode()
    result = run(site, "/typed.csv", body)
    assert [(e["code"], e["row"]) for e in result["tabular"]["errors"]] == [("type-error", 152)]


def test_a_pdf_labelled_csv(site):
    result = run(site, "/report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
                 {"Content-Type": "text/csv"})
    assert result["detected_format"] == "PDF" and result["format_matches"] is False
    assert codes(result) == ["format-mismatch"] and result["tabular"] is None
    assert result["downloadable"] is True


def test_an_html_error_page_with_status_200_is_not_downloadable(site):
    page = b"<!DOCTYPE html><html><body><h1>Session expired</h1></body></html>"
    result = run(site, "/data.csv", page, {"Content-Type": "text/html"})
    assert result["http_status"] == 200 and result["detected_format"] == "HTML"
    assert result["downloadable"] is False and codes(result) == ["html-instead-of-file"]
    assert result["outcome"] == "problem"


def test_a_404(site):
    result = check(resource(site.url("/gone.csv")), settings())
    assert (result["outcome"], result["http_status"], result["downloadable"]) == \
        ("unreachable", 404, False)
    assert codes(result) == ["dead-link"]


def test_a_server_that_never_answers_times_out():
    listener, port = servers.silent_port()
    try:
        result = check(resource("http://127.0.0.1:%d/slow.csv" % port),
                       settings(read_timeout=0.2))
    finally:
        listener.close()
    assert result["outcome"] == "unreachable" and codes(result) == ["timeout"]
    assert result["http_status"] is None and result["downloadable"] is False


@pytest.mark.parametrize("target", ["http://10.0.0.1/internal.csv",
                                    "http://169.254.169.254/latest/meta-data/",
                                    "http://localhost:{port}/fiscal.csv"])
def test_a_redirect_to_a_private_address_is_refused_before_connecting(site, target):
    site.routes["/fiscal.csv"] = (200, CSV, GOOD_CSV)
    site.routes["/moved.csv"] = (302, {"Location": target.format(port=site.server_port)}, b"")
    resolved = []

    def resolver(host, port):
        resolved.append(host)
        return outbound.system_resolver(host, port)

    result = check(resource(site.url("/moved.csv")), settings(resolver=resolver))
    assert result["outcome"] == "refused" and codes(result) == ["refused-address"]
    assert result["downloadable"] is False
    assert [path for _, path, _ in site.requests] == ["/moved.csv"]  # the hop never sent
    assert len(resolved) == 2


def test_a_redirect_to_an_allowed_address_is_followed(site):
    site.routes["/fiscal.csv"] = (200, CSV, GOOD_CSV)
    site.routes["/moved.csv"] = (301, {"Location": "/fiscal.csv"}, b"")
    result = check(resource(site.url("/moved.csv")), settings())
    assert result["outcome"] == "ok" and result["final_url"] == site.url("/fiscal.csv")


def test_a_redirect_loop_stops(site):
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    result = check(resource(site.url("/loop")), settings(max_redirects=3))
    assert codes(result) == ["too-many-redirects"] and len(site.requests) == 4


def test_a_50_mb_body_is_capped(site):
    row = b"2566,region,1234567.89\n" * 4096  # about 94 KB per chunk
    chunks = 50 * MB // len(row)

    def fifty_mb():
        yield b"year,region,amount\n"
        for _ in range(chunks):
            yield row

    size = len(b"year,region,amount\n") + chunks * len(row)
    site.routes["/big.csv"] = lambda: (200, dict(CSV, **{"Content-Length": str(size)}),
                                       fifty_mb())
    result = check(resource(site.url("/big.csv")), settings())
    assert result["truncated"] is True and result["size_bytes"] == size
    assert result["outcome"] == "ok" and result["tabular"]["rows_checked"] == 200


def test_a_206_partial_answer(site):
    part = GOOD_CSV[:100]
    part = part[:part.rindex(b"\n") + 1]
    headers = dict(CSV, **{"Content-Range": "bytes 0-%d/%d" % (len(part) - 1, len(GOOD_CSV))})
    result = run(site, "/part.csv", part, headers, status=206)
    assert result["http_status"] == 206 and result["downloadable"] is True
    assert result["size_bytes"] == len(GOOD_CSV) and result["outcome"] == "ok"


def test_a_name_resolving_to_loopback_is_refused_unless_allow_listed(site):
    site.routes["/fiscal.csv"] = (200, CSV, GOOD_CSV)
    result = check(resource(site.url("/fiscal.csv", host="localhost")), settings())
    assert result["outcome"] == "refused" and codes(result) == ["refused-address"]
    assert site.requests == []


def test_an_opted_out_host_is_never_asked(site):
    site.routes["/fiscal.csv"] = (200, CSV, GOOD_CSV)
    result = check(resource(site.url("/fiscal.csv")),
                   settings(opted_out_hosts=frozenset({"127.0.0.1"})))
    assert result["outcome"] == "refused" and codes(result) == ["opted-out"]
    assert site.requests == []


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active.append(["year", "amount"])
    workbook.active.append([2566, 10])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_opens_and_a_broken_json_does_not_parse(site):
    xlsx = run(site, "/book.xlsx", xlsx_bytes(), {"Content-Type": "application/octet-stream"},
               fmt="XLSX")
    assert xlsx["detected_format"] == "XLSX" and xlsx["outcome"] == "ok"
    assert xlsx["tabular"]["valid"] is True and xlsx["tabular"]["rows_checked"] == 2
    broken = run(site, "/data.json", b'{"year": 2566,', {"Content-Type": "application/json"},
                 fmt="JSON")
    assert broken["tabular"]["valid"] is False and codes(broken) == ["unparsable"]
