"""The mofcompliance-audit console script (click's CliRunner): files and standard input,
and ``--url`` against this catalog served on 127.0.0.1."""
import csv
import io
import json
import socket

import pytest
from click.testing import CliRunner

from ckan.tests import factories, helpers

from ckanext.mofcompliance.audit import cli as audit
from ckanext.mofcompliance.kpi.evaluation import assess_catalog, audit_catalog
from ckanext.mofcompliance.tests.factories import complete_dataset

from ..standard.builders import pkg, resource

DATASETS = [pkg("a", resources=[resource()]), pkg("b", drop=("notes",))]


def runner():
    """Standard error kept apart from standard output (click 8.1 needs asking, 8.2 does it)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def invoke(*args, input=None):
    return runner().invoke(audit.main, list(args), input=input)


@pytest.fixture
def catalog_file(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"catalog_url": "https://c.example.go.th",
                                "plan": {"focus_area": "9", "issue": "e-Service"},
                                "use_cases": [], "datasets": DATASETS}, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def test_json_output_has_the_stable_shape(catalog_file):
    result = invoke(catalog_file)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["profile"] == "fy2565"
    assert isinstance(report["score"], float) and 0 <= report["score"] <= 100
    assert report["level"] in (0, 50, 75, 100)
    for c in report["criteria"]:
        assert {"id", "met", "points", "max_points"} <= set(c)
    assert [d["name"] for d in report["datasets"]] == ["a", "b"]
    for d in report["datasets"]:
        assert {"name", "metadata_complete", "missing_items", "open_level", "open_indicators"} <= set(d)
    assert report["datasets"][1]["missing_items"] == ["notes"]


def test_json_output_is_the_audit_of_the_catalog_row_for_row(catalog_file):
    """The datasets' rows are made as the report is written; the report is the same."""
    with open(catalog_file, encoding="utf-8") as stream:
        source = json.load(stream)
    expected = audit_catalog(source["datasets"], "fy2565", plan=source["plan"],
                             catalog_url=source["catalog_url"])
    result = invoke(catalog_file)
    assert json.loads(result.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))


def test_dataset_rows_hold_the_results_not_their_rows():
    rows = audit.DatasetRows(assess_catalog(DATASETS, "fy2565"))
    assert list.__len__(rows) == 0 and len(rows) == 2
    assert [r["name"] for r in rows] == ["a", "b"]
    assert [r["name"] for r in rows] == ["a", "b"]   # read again, as the text writer does


@pytest.mark.parametrize("shape", [
    lambda ds: ds, lambda ds: {"results": ds}, lambda ds: {"success": True, "result": {"results": ds}},
])
def test_accepts_a_list_and_package_search_responses(shape):
    result = invoke("-", input=json.dumps(shape(DATASETS), ensure_ascii=False))
    assert result.exit_code == 0 and len(json.loads(result.stdout)["datasets"]) == 2


@pytest.mark.parametrize("profile", ["fy2564", "fy2565", "fy2567"])
def test_every_profile_runs(catalog_file, profile):
    result = invoke(catalog_file, "--profile", profile)
    assert result.exit_code == 0 and json.loads(result.stdout)["profile"] == profile


def test_text_output_is_bilingual(catalog_file):
    result = invoke(catalog_file, "--format", "text")
    assert result.exit_code == 0
    assert "คะแนน / score:" in result.output and "ขั้นต่อไป" in result.output
    assert "b: 14 รายการ/items ไม่ครบ/incomplete (ขาด/missing: notes)" in result.output


def test_csv_output_has_one_row_per_dataset(catalog_file):
    result = invoke(catalog_file, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and [r["name"] for r in rows] == ["a", "b"]
    assert rows[1]["missing_items"] == "notes" and rows[0]["access"] == "1"


@pytest.mark.parametrize("content,reason", [
    ("not json", "not valid JSON"),
    ('{"foo": 1}', "no datasets found"),
    ("[1, 2]", "item 1 is not a JSON object"),
    ('{"datasets": {}}', "not a list"),
    ('{"datasets": [], "plan": []}', "plan must be a JSON object"),
    ('"text"', "JSON list or object"),
])
def test_bad_input_exits_2_with_one_line(content, reason):
    result = runner().invoke(audit.main, ["-"], input=content)
    assert result.exit_code == 2
    assert reason in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_neither_file_nor_url_is_bad_input():
    result = runner().invoke(audit.main, [])
    assert result.exit_code == 2 and "either an input file or --url" in result.stderr


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_url_pages_through_package_search_of_a_served_catalog(served_catalog, monkeypatch):
    """A real catalog on 127.0.0.1, read a dataset a page; the API token shows the private."""
    member = factories.UserWithToken()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ds-a"))
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ds-b", notes=""))
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ds-c",
                                                             private=True))
    monkeypatch.setattr(audit, "PAGE_ROWS", 1)
    result = runner().invoke(audit.main, ["--url", served_catalog + "/",
                                          "--api-token", member["token"]])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(d["name"] for d in report["datasets"]) == ["ds-a", "ds-b", "ds-c"]
    assert next(d for d in report["datasets"] if d["name"] == "ds-b")["missing_items"] == ["notes"]
    assert criterion_url(report) == served_catalog + "/"
    anonymous = runner().invoke(audit.main, ["--url", served_catalog])
    assert sorted(d["name"] for d in json.loads(anonymous.stdout)["datasets"]) == ["ds-a", "ds-b"]


def criterion_url(report):
    return next(c for c in report["criteria"] if c["id"] == "agency_catalog_url")["evidence"]["catalog_url"]


def test_an_unreachable_url_exits_2():
    with socket.socket() as closed:  # a port bound then released: nothing listens there
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = runner().invoke(audit.main, ["--url", "http://127.0.0.1:%d" % port])
    assert result.exit_code == 2 and "ConnectionError" in result.stderr


def test_a_profile_file_scores_like_the_shipped_profile_it_copies(catalog_file, tmp_path):
    from ckanext.mofcompliance.kpi import profiles
    draft = tmp_path / "fy2565-draft.yaml"
    draft.write_text((profiles.PROFILES_DIR / "fy2565.yaml").read_text(encoding="utf-8")
                     .replace("id: fy2565", "id: fy2565_draft\nversion: draft-1"),
                     encoding="utf-8")
    by_file = json.loads(invoke(catalog_file, "--profile-file", str(draft)).stdout)
    shipped = json.loads(invoke(catalog_file, "--profile", "fy2565").stdout)
    assert (by_file["profile"], by_file["profile_version"]) == ("fy2565_draft", "draft-1")
    assert (by_file["score"], by_file["level"], by_file["criteria"]) == \
        (shipped["score"], shipped["level"], shipped["criteria"])


def test_an_invalid_profile_file_is_refused_naming_file_line_and_key(catalog_file, tmp_path):
    from ckanext.mofcompliance.kpi import profiles
    draft = tmp_path / "broken.yaml"
    draft.write_text((profiles.PROFILES_DIR / "fy2565.yaml").read_text(encoding="utf-8")
                     .replace("kind: catalog_url", "kind: catalogue_url"), encoding="utf-8")
    result = invoke(catalog_file, "--profile-file", str(draft))
    assert result.exit_code == audit.BAD_INPUT
    assert f"{draft}:" in result.stderr and "criteria[2].kind" in result.stderr
    assert result.stdout == ""
