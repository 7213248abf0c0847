"""A new year's draft written from each shipped profile loads, with the source's rules."""
import dataclasses

import pytest

from ckanext.mofcompliance.kpi import profiles
from ckanext.mofcompliance.kpi.profile import Profile
from ckanext.mofcompliance.kpi.profile_draft import draft_text
from ckanext.mofcompliance.kpi.profile_format import read_profile_text


@pytest.mark.parametrize("source_id", ["fy2564", "fy2565", "fy2567"])
def test_a_draft_keeps_every_rule_of_its_source(source_id):
    source = profiles.load_profile(source_id)
    draft = read_profile_text(draft_text(source, "fy2570"), "fy2570.yaml")
    assert (draft.id, draft.version, draft.fiscal_year) == ("fy2570", "1", 2570)
    assert "2570" in draft.title_th and str(source.fiscal_year) not in draft.title_en
    renamed = {"id", "version", "fiscal_year", "title_th", "title_en"}
    for field in dataclasses.fields(Profile):
        if field.name not in renamed:
            assert getattr(draft, field.name) == getattr(source, field.name), field.name


def test_the_year_comes_from_the_id_or_is_given():
    fy2567 = profiles.load_profile("fy2567")
    assert read_profile_text(draft_text(fy2567, "next_year"), "x.yaml").fiscal_year == 2568
    assert read_profile_text(draft_text(fy2567, "fy2568", 2569), "x.yaml").fiscal_year == 2569
