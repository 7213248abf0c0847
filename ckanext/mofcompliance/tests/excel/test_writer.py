"""The export: the template's layout, B.E. dates, no formulas, only what the user may read."""
import zipfile

import openpyxl
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.excel import layout, writer
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.tests.factories import complete_dataset

from . import builders
from .builders import STAT, STAT_RESOURCES


def rows(path, sheet, last=6):
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(min_row=1, max_row=last,
                                                               values_only=True))


def test_ten_sheets_each_with_titles_thai_headers_hints_and_data_from_row_6(tmp_path):
    path = builders.workbook(tmp_path, [builders.package("ds-one")])
    assert openpyxl.load_workbook(path).sheetnames == [s.name for s in layout.sheets()] + [
        layout.list_sheet()]
    stat = layout.sheet("S", layout.DATASET)
    titles_1_to_3, header, hints, data = (lambda r: (r[:3], r[3], r[4], r[5]))(rows(path, STAT))
    assert titles_1_to_3[0][0].startswith("Template 2 ") and "ข้อมูลสถิติ" in titles_1_to_3[1][0]
    assert header == tuple(c.header for c in stat.columns)
    assert header[:6] == ("รหัสชุดข้อมูล", "ข้อ 1 ประเภทข้อมูล", "ข้อ 2 ชื่อชุดข้อมูล",
                          "ข้อ 3 องค์กร", "ข้อ 4 ชื่อผู้ติดต่อ", "ข้อ 5 อีเมลผู้ติดต่อ")
    assert hints[1] == "(เลือกจากตัวเลือก) / one value from the list"
    assert data[:4] == ("ds-one", "ข้อมูลสถิติ", "ดุลการคลังตามกระแสเงินสด", builders.ORG_TITLE)
    assert data[stat.column_of("last_updated_date").index] == "2567-01-31"
    resource = rows(path, STAT_RESOURCES)
    assert resource[0][0].startswith("Template 3 ")
    assert resource[5][:3] == ("ds-one", "ข้อมูลรายเดือน", "https://data.mof.go.th/ds-one.csv")


def _list_of(book, formula):
    """The values a validation's range of the list sheet holds."""
    sheet_name, cells = formula.split("!")
    assert sheet_name == "'%s'" % layout.list_sheet()
    return [c.value for row in book[layout.list_sheet()][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize("sheet", layout.sheets(), ids=lambda s: s.name)
def test_every_choice_column_offers_its_list_from_the_standard(tmp_path, sheet):
    path = builders.workbook(tmp_path, [])
    book = openpyxl.load_workbook(path)
    validations = {str(v.sqref): v for v in book[sheet.name].data_validations.dataValidation}
    choice_columns = [c for c in sheet.columns if c.field.form in ("select", "multi", "yesno")]
    assert choice_columns and len(validations) == len(choice_columns)
    for column in choice_columns:
        validation = validations["%s6:%s1048576" % (column.letter, column.letter)]
        assert validation.type == "list" and validation.allow_blank
        offered = [c.label_th if column.field.form == "yesno" else c.value
                   for c in std.choices(column.field.choices, include_compat=False)]
        assert _list_of(book, validation.formula1) == offered, column.key
        # a closed list refuses; one with an "other" text or several values warns only
        closed = column.field.form == "select" and not column.field.other_field
        assert validation.errorStyle == ("stop" if closed else "warning"), column.key


def test_the_list_sheet_names_each_list_by_its_field(tmp_path):
    book = openpyxl.load_workbook(builders.workbook(tmp_path, []))
    header = [c.value for c in book[layout.list_sheet()][1]]
    assert "ข้อ 13 หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ / Item 13 Data category" in header


def test_a_dataset_without_a_valid_data_type_goes_to_the_other_sheet(tmp_path):
    path = builders.workbook(tmp_path, [builders.package("odd", data_type="")])
    assert rows(path, "Temp2_Meta_Other")[5][0] == "odd"


def test_would_be_formulas_are_written_as_text(tmp_path):
    path = builders.workbook(tmp_path, [builders.package(
        "ds-one", title="=HYPERLINK(\"http://evil.example\",\"คลิก\")", notes="@SUM(A1)",
        maintainer="+66 2 273 9021")])
    sheet = openpyxl.load_workbook(path)[STAT]
    cells = {c.value: c.data_type for c in sheet[6]}
    assert cells["'=HYPERLINK(\"http://evil.example\",\"คลิก\")"] == "s"
    assert "'@SUM(A1)" in cells and "'+66 2 273 9021" in cells
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


@pytest.fixture
def catalog(clean_db):
    member, outsider = factories.User(), factories.User()
    org = factories.Organization(name="mof-ops",
                                 users=[{"name": member["name"], "capacity": "member"}])
    other = factories.Organization(name="other-agency")
    for name, owner, private in [("a-public", org, False), ("b-private", org, True),
                                 ("c-elsewhere", other, False)]:
        helpers.call_action("package_create", **complete_dataset(owner["id"], name=name,
                                                                 private=private))
    return {"member": member["name"], "outsider": outsider["name"], "org": org["id"]}


def names(user, organization_id=None):
    return [p["name"] for p in writer.readable_packages(user, organization_id)]


def test_private_datasets_are_exported_only_to_members(catalog):
    assert names(catalog["member"], catalog["org"]) == ["a-public", "b-private"]
    assert names(catalog["outsider"], catalog["org"]) == ["a-public"]
    assert names("", catalog["org"]) == ["a-public"]
    assert names(catalog["outsider"]) == ["a-public", "c-elsewhere"]
    assert names(helpers.call_action("get_site_user")["name"]) == [
        "a-public", "b-private", "c-elsewhere"]


def test_datasets_are_read_a_page_at_a_time(catalog, monkeypatch):
    monkeypatch.setattr(writer, "PAGE_SIZE", 1)
    calls = []
    search = writer.tk.get_action("package_search")

    def spy(context, data_dict):
        calls.append(data_dict["rows"])
        return search(context, data_dict)

    monkeypatch.setattr(writer.tk, "get_action", lambda name: spy)
    assert names(catalog["member"]) == ["a-public", "b-private", "c-elsewhere"]
    assert calls == [1, 1, 1]


@pytest.mark.ckan_config("ckan.search.rows_max", "2")
def test_a_site_that_caps_search_rows_still_gets_every_dataset(catalog):
    assert names(catalog["member"]) == ["a-public", "b-private", "c-elsewhere"]
