"""Files refused before openpyxl parses them: size, type, macros, damage, zip bombs."""
import os
import zipfile

import pytest

from ckanext.mofcompliance.excel.reader import read_workbook
from ckanext.mofcompliance.excel.settings import Limits
from ckanext.mofcompliance.excel.workbook import Rejected

from . import builders

MB = 1024 * 1024
LIMITS = Limits(max_file_bytes=10 * MB, max_uncompressed_bytes=100 * MB, max_ratio=100,
                max_rows=5000)


def refusal(path, filename=None, limits=LIMITS):
    with pytest.raises(Rejected) as refused:
        read_workbook(str(path), filename or os.path.basename(path), limits, "reject")
    return str(refused.value)


@pytest.fixture
def valid(tmp_path):
    return builders.workbook(tmp_path, [builders.package("ds-one")])


def test_a_valid_export_is_read(valid):
    assert [d.name for d in read_workbook(str(valid), "catalog.xlsx", LIMITS,
                                          "reject").datasets] == ["ds-one"]


def test_a_20_mb_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(os.urandom(20 * MB))
    message = refusal(big)
    assert "เกินขนาดที่รับได้ 10 MB" in message and "over the 10 MB limit" in message


def test_a_renamed_xlsm_is_refused_for_its_macros(valid):
    message = refusal(builders.with_macros(valid))
    assert "แมโคร" in message and "macros" in message


def test_an_xlsm_name_is_refused_for_its_macros(valid):
    assert "macros" in refusal(valid, "catalog.xlsm")


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    message = refusal(builders.zip_bomb(tmp_path / "bomb.xlsx"))
    assert "zip bomb" in message and "xl/worksheets/sheet1.xml" in message


def test_a_file_unpacking_past_the_limit_is_refused(valid):
    tight = Limits(max_file_bytes=10 * MB, max_uncompressed_bytes=1024, max_ratio=100,
                   max_rows=5000)
    assert "unpacks to" in refusal(valid, limits=tight)


@pytest.mark.parametrize("content, filename", [
    (b"name,title\nds-one,x\n", "catalog.csv"),
    (b"name,title\nds-one,x\n", "catalog.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "catalog.xls"),
])
def test_files_that_are_not_xlsx_are_refused(tmp_path, content, filename):
    path = tmp_path / filename
    path.write_bytes(content)
    assert "not an Excel .xlsx file" in refusal(path)


def test_a_truncated_file_is_refused(valid):
    valid.write_bytes(valid.read_bytes()[:3000])
    assert "not an Excel .xlsx file, or it is damaged" in refusal(valid)


def test_a_damaged_sheet_is_refused(tmp_path, valid):
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert "damaged" in refusal(damaged)


def test_too_many_rows_are_refused_with_the_limit(tmp_path):
    path = builders.workbook(tmp_path, [builders.package("ds-%d" % i) for i in range(3)])
    few = Limits(max_file_bytes=10 * MB, max_uncompressed_bytes=100 * MB, max_ratio=100,
                 max_rows=4)
    message = refusal(path, limits=few)
    assert "เกิน 4 แถว" in message and "more than 4 data rows" in message
