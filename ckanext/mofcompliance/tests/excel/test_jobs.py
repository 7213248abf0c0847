"""Staged uploads: bounded on disk, removed when refused, committed or expired."""
import io
import os
import time

import pytest

from ckanext.mofcompliance.excel import jobs
from ckanext.mofcompliance.excel.workbook import Rejected

OPTIONS = {"unknown_choices": "reject", "private": True}


@pytest.mark.ckan_config("ckanext.mofcompliance.excel.max_file_size_mb", 1)
def test_an_oversized_upload_is_refused_without_being_kept(ckan_config):
    before = set(os.listdir(jobs._staging_dir()))
    with pytest.raises(Rejected) as refused:
        jobs.stage(io.BytesIO(b"\0" * (3 * 1024 * 1024)), "big.xlsx", "org", "steward", OPTIONS)
    assert "the file is 3.0 MB, over the 1 MB limit" in str(refused.value)
    assert set(os.listdir(jobs._staging_dir())) == before


def test_an_upload_is_kept_with_its_record_until_removed():
    staged = jobs.stage(io.BytesIO(b"PK fake"), "catalog.xlsx", "org-id", "steward", OPTIONS)
    assert jobs.record(staged["token"])["path"] == staged["path"]
    assert open(staged["path"], "rb").read() == b"PK fake"
    jobs.remove_file(staged["token"])
    assert not os.path.exists(staged["path"])
    assert jobs.record(staged["token"])["filename"] == "catalog.xlsx"


def test_uploads_older_than_their_record_are_removed_at_the_next_upload():
    old = jobs.stage(io.BytesIO(b"old"), "old.xlsx", "org-id", "steward", OPTIONS)["path"]
    long_ago = time.time() - jobs.TTL_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    jobs.stage(io.BytesIO(b"new"), "new.xlsx", "org-id", "steward", OPTIONS)
    assert not os.path.exists(old)
