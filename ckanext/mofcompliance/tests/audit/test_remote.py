"""``mofcompliance-audit --url ... --check-resources`` against this catalog served over real
HTTP, its resources on a loopback server allow-listed for this test only.

Expected grades, worked out from the rules (weights 20/20/15/20/25), all datasets complete
and just created, but complete in thai_gdc's fields: NSO reads ``update_frequency``, which
they lack, so completeness is 85 (17 of its 20 points): a good CSV scores 97 (A); a 404
keeps completeness and timeliness: 17 + 20 = 37 (F); a PDF labelled CSV downloads
(accessibility 100) but is not machine-readable and not a table (validity 0.7 x 100 = 70):
17 + 20 + 15 + 0 + 17.5 = 69.5 (C). The catalog's mean: (97 + 37 + 69.5) / 3 = 67.83 (C).
"""
import json

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.audit.remote import USER_AGENT
from ckanext.mofcompliance.audit import cli as audit
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.audit.test_cli import runner

from ..quality import servers

GOOD_CSV = b"year,amount\n2566,10\n2567,20\n"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def files():
    site = servers.serve()
    site.routes["/good.csv"] = (200, {"Content-Type": "text/csv"}, GOOD_CSV)
    site.routes["/report.csv"] = (200, {"Content-Type": "application/pdf"}, PDF)
    yield site
    servers.stop(site)


@pytest.fixture
def catalog(served_catalog, files):
    org = factories.Organization(name="mof-remote")
    for name, path in (("good", "/good.csv"), ("gone", "/gone.csv"), ("pdf", "/report.csv")):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name=name, resources=[{"url": files.url(path), "format": "CSV",
                                              "name": name}]))
    return served_catalog


def audit_of(url, *options):
    result = runner().invoke(audit.main, ["--url", url, "--check-resources",
                                             "--host-interval-ms", "0", *options])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_grade_beside_the_kpi_in_json(catalog, files):
    report = json.loads(audit_of(catalog, "--allow-host", "127.0.0.1"))
    nso_qc = report["nso_qc"]
    letters = {d["name"]: (d["score"], d["letter"]) for d in nso_qc["datasets"]}
    assert letters == {"good": (97.0, "A"), "gone": (37.0, "F"), "pdf": (69.5, "C")}
    catalog_grade = nso_qc["catalog"]
    assert (catalog_grade["score"], catalog_grade["letter"]) == (67.83, "C")
    assert catalog_grade["distribution"] == {"A": 1, "B": 0, "C": 1, "D": 0, "F": 1,
                                             "ungraded": 0}
    assert nso_qc["checked_resources"] == 3
    gone = next(d for d in nso_qc["datasets"] if d["name"] == "gone")
    assert "gone could not be downloaded (the link answers with an error)." in [
        p["found"] for p in gone["lost"]]
    assert "score" in report and "criteria" in report  # the KPI is still there
    assert {path for _method, path, _headers in files.requests} == {
        "/good.csv", "/gone.csv", "/report.csv"}
    assert {h["User-Agent"] for _m, _p, h in files.requests} == {USER_AGENT}


def test_the_grade_beside_the_kpi_in_text(catalog):
    text = audit_of(catalog, "--allow-host", "127.0.0.1", "--format", "text")
    lines = text.splitlines()
    score_line = next(i for i, line in enumerate(lines) if line.startswith("คะแนน / score:"))
    assert lines[score_line + 1].startswith("เกรด สสช. / NSO QC grade: C (67.83)   (3/3 graded;"
                                            " A=1 B=0 C=1 D=0 F=1 ungraded=0; 3 resources")
    assert "  - No file that opens as a table — datasets: 2" in lines
    good = next(line for line in lines if line.startswith("  good:"))
    assert good.endswith("; NSO QC A (97.00)")


def test_without_the_allow_list_the_guard_refuses_loopback(catalog, files):
    report = json.loads(audit_of(catalog))
    assert {c["outcome"] for c in report["nso_qc"]["checks"]} == {"refused"}
    assert {d["letter"] for d in report["nso_qc"]["datasets"]} == {"F"}  # 37, as gone
    assert files.requests == []
