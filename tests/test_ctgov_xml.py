"""Classic ClinicalTrials.gov XML records (``<clinical_study>``): read, split into items as a person
numbers them, imported like API v2 records. The real records are ../shared/real-ctgov (38 XML, 2 JSON)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from matcher.importing import import_files
from trials.criteria_text import split_criteria
from trials.ctgov import read_study_file
from trials.loader import load_trial_file

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-ctgov"
TODAY = dt.date(2026, 5, 1)
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason="the real records (shared/real-ctgov) are not beside this checkout"
)

RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<clinical_study>
  <id_info><org_study_id>X-1</org_study_id><nct_id>NCT09100001</nct_id></id_info>
  <brief_title>A Classic Record</brief_title>
  <sponsors><lead_sponsor><agency>Some Hospital</agency></lead_sponsor></sponsors>
  <brief_summary><textblock>
      The study compares two&#xD;
      treatments.&#xD;
  </textblock></brief_summary>
  <overall_status>Active, not recruiting</overall_status>
  <start_date type="Actual">September 1, 2022</start_date>
  <phase>Phase 1/Phase 2</phase>
  <study_type>Interventional</study_type>
  <study_design_info><allocation>Randomized</allocation><masking>Double (Participant, Investigator)</masking></study_design_info>
  <enrollment type="Anticipated">55</enrollment>
  <condition>Hepatocellular Carcinoma</condition>
  <arm_group><arm_group_label>Arm A</arm_group_label><arm_group_type>Active Comparator</arm_group_type></arm_group>
  <intervention><intervention_type>Drug</intervention_type><intervention_name>Sorafenib</intervention_name>
    <arm_group_label>Arm A</arm_group_label></intervention>
  <eligibility>
    <criteria><textblock>
        DISEASE CHARACTERISTICS: Histologically proven unresectable primary hepatocellular&#xD;
        carcinoma No major vessel involvement Disease must be confined to the liver (no&#xD;
        extrahepatic disease)&#xD;
&#xD;
        PATIENT CHARACTERISTICS: Age: 18 and over Performance status: ECOG 0-2 Hematopoietic:&#xD;
        Platelet count at least 75,000/mm3 Hepatic: Bilirubin no greater than 2.0 mg/dL Renal:&#xD;
        Creatinine no greater than 1.3 times ULN Other: Not pregnant or nursing&#xD;
    </textblock></criteria>
    <gender>All</gender><minimum_age>18 Years</minimum_age><maximum_age>N/A</maximum_age>
    <healthy_volunteers>No</healthy_volunteers>
  </eligibility>
  <overall_contact><last_name>Jane Doe, MD</last_name><phone>555-0100</phone></overall_contact>
  <location><facility><name>Clinic One</name><address><city>Seoul</city><country>Korea, Republic of</country></address></facility>
    <status>Recruiting</status></location>
  <last_update_posted type="Actual">March 2, 2023</last_update_posted>
</clinical_study>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_classic_record_reads_into_the_registry_fields(tmp_path: Path) -> None:
    records, errors = read_study_file(write(tmp_path, "NCT09100001.xml", RECORD))
    section = records[0].study.protocolSection
    assert errors == [] and records[0].format == "classic-xml"
    assert section.statusModule is not None and section.statusModule.overallStatus == "ACTIVE_NOT_RECRUITING"
    assert (
        section.statusModule.startDateStruct is not None and section.statusModule.startDateStruct.date == "2022-09-01"
    )
    assert section.designModule is not None and section.designModule.phases == ["PHASE1", "PHASE2"]
    assert section.eligibilityModule is not None and section.eligibilityModule.maximumAge is None


def test_a_classic_record_imports_as_a_trial(tmp_path: Path) -> None:
    report = import_files([write(tmp_path, "NCT09100001.xml", RECORD)], tmp_path / "out", TODAY)
    trial = load_trial_file(tmp_path / "out" / "NCT09100001.yaml")
    assert report.errors == [] and trial.source.kind == "clinicaltrials.gov-xml"
    assert trial.enrollment.type == "ESTIMATED" and trial.design.masking == "DOUBLE (PARTICIPANT, INVESTIGATOR)"
    assert trial.arms[0].interventions == ["Sorafenib"] and trial.sites[0].status == "RECRUITING"
    assert trial.plain_summary == "The study compares two treatments."


def test_the_nci_layout_is_split_one_requirement_an_item(tmp_path: Path) -> None:
    report = import_files([write(tmp_path, "NCT09100001.xml", RECORD)], tmp_path / "out", TODAY)
    trial = load_trial_file(tmp_path / "out" / "NCT09100001.yaml")
    assert report.errors == []
    assert [" ".join(c.text.split()) for c in trial.eligibility.inclusion] == [
        "DISEASE CHARACTERISTICS: Histologically proven unresectable primary hepatocellular carcinoma",
        "No major vessel involvement",
        "Disease must be confined to the liver (no extrahepatic disease)",
        "PATIENT CHARACTERISTICS: Age: 18 and over",
        "Performance status: ECOG 0-2",
        "Hematopoietic: Platelet count at least 75,000/mm3",
        "Hepatic: Bilirubin no greater than 2.0 mg/dL",
        "Renal: Creatinine no greater than 1.3 times ULN",
        "Other: Not pregnant or nursing",
    ]


def test_labels_on_their_own_line_name_the_item_after_them() -> None:
    text = "PATIENT CHARACTERISTICS:\n\nAge:\n\n  -  18 and over\n\nHepatic:\n\n  -  Bilirubin less than 3 mg/dL\n\n  -  No hepatic failure"
    assert [" ".join(c.text.split()) for c in split_criteria(text).inclusion] == [
        "PATIENT CHARACTERISTICS: Age: 18 and over",
        "Hepatic: Bilirubin less than 3 mg/dL",
        "No hepatic failure",
    ]


def test_hard_wrapped_paragraphs_without_headings_are_one_item_a_paragraph() -> None:
    text = (
        "Histologically or cytologically proven measurable primary or metastatic non-colorectal\n"
        "cancer limited to the parenchyma of the liver.\n\n"
        "Patients must have an ECOG performance standard of 0, 1 or 2 on the day prior to treatment."
    )
    items = split_criteria(text).inclusion
    assert [c.number for c in items] == ["1", "2"] and items[0].text.endswith("parenchyma of the liver.")


def test_a_file_declaring_entities_is_refused(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><clinical_study>&a;</clinical_study>'
    records, errors = read_study_file(write(tmp_path, "bomb.xml", bomb))
    assert records == [] and "declares XML entities" in str(errors[0])


def test_xml_that_is_not_a_study_names_its_root(tmp_path: Path) -> None:
    records, errors = read_study_file(write(tmp_path, "other.xml", "<rss><channel/></rss>"))
    assert records == [] and "<rss>" in str(errors[0])


@needs_real
def test_every_real_record_imports_from_its_folder(tmp_path: Path) -> None:
    report = import_files([REAL], tmp_path, TODAY)
    assert report.errors == []
    assert len(report.trials) == len(list(REAL.glob("*.xml"))) + len(list(REAL.glob("*.json"))) == 40
