"""A criterion whose points a gate keeps from counting says which gate: its row reads 0
beside a note that computes points, and the reader must be told why."""
from ckanext.mofcompliance.kpi.evaluation import (assess_dataset, audit_catalog,
                                                  waits_for_work_process)

from ..standard.builders import pkg

PLAN = {"focus_area": "ด้านการบริหารจัดการภาครัฐ", "issue": "การขับเคลื่อน e-Service ในภาครัฐ"}


def _criterion(report, cid):
    return next(c for c in report["criteria"] if c["id"] == cid)


def test_a_criterion_zeroed_by_a_gate_names_the_gate():
    unmapped = [pkg("a", kpi_mission="", kpi_main_process=""),
                pkg("b", kpi_mission="", kpi_main_process="")]
    report = audit_catalog(unmapped, "fy2565", plan=PLAN)
    metadata = _criterion(report, "metadata_14_items")
    assert metadata["points"] == 0.0 and metadata["evidence"]["points_if_counted"] > 0
    gate = _criterion(report, "work_process_datasets")
    assert not gate["met"]
    assert metadata["gated_by"] == [{"id": gate["id"], "label_th": gate["label_th"],
                                     "label_en": gate["label_en"]}]


def test_a_counted_criterion_names_no_gate():
    report = audit_catalog([pkg("a")], "fy2565", plan=PLAN)
    metadata = _criterion(report, "metadata_14_items")
    assert metadata["points"] > 0 and metadata["gated_by"] == []


def test_the_metadata_count_says_when_it_covers_only_mapped_datasets():
    mapped, unmapped = pkg("a"), pkg("b", kpi_mission="", kpi_main_process="")
    report = audit_catalog([mapped, unmapped], "fy2565", plan=PLAN)
    metadata = _criterion(report, "metadata_14_items")
    assert metadata["evidence"]["datasets"] == 1
    assert "1 of 1 datasets tied to a work process (those the KPI counts)" in metadata["note_en"]
    assert "ที่ผูกกับกระบวนการทำงาน" in metadata["note_th"]


def test_a_dataset_waits_for_its_work_process_where_the_profile_counts_by_it():
    unmapped = assess_dataset(pkg("b", kpi_mission="", kpi_main_process=""), "fy2565")
    assert waits_for_work_process("fy2565", unmapped)
    assert not waits_for_work_process("fy2565", assess_dataset(pkg("a"), "fy2565"))
    # FY2567 counts every dataset and lists no work processes.
    assert not waits_for_work_process("fy2567", assess_dataset(
        pkg("b", kpi_mission="", kpi_main_process=""), "fy2567"))
