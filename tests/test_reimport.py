"""Re-importing a newer record of a trial already in the catalogue: nothing a person reviewed is lost.

The hand-encoded NCT07493668 (every check reviewed) is the catalogue entry; the seed record,
changed the way registries change records, is the newer version.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from matcher.importing import describe_change, import_files
from matcher.verdicts import Matcher
from trials.loader import BUNDLED_CATALOGUE, load_catalogue, load_trial_file
from trials.rules import rule_key
from trials.schema import Check, Trial

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
SEED = FIXTURES / "NCT07493668.json"
TODAY = dt.date(2026, 6, 1)


def catalogue_with_the_hand_encoded_trial(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUNDLED_CATALOGUE / "NCT07493668.yaml", folder / "NCT07493668.yaml")
    return folder


def seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return data


def newer_record() -> dict[str, Any]:
    """The seed record as a later version: recruiting, a new site and contact, criteria edited."""
    study = copy.deepcopy(seed())
    protocol = study["protocolSection"]
    protocol["statusModule"]["overallStatus"] = "RECRUITING"
    protocol["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-05-20"
    study["derivedSection"]["miscInfoModule"]["versionHolder"] = "2026-05-20"
    protocol["contactsLocationsModule"]["centralContacts"].append(
        {"name": "Study Nurse", "role": "CONTACT", "phone": "82-31-780-0000"}
    )
    protocol["contactsLocationsModule"]["locations"].append(
        {
            "facility": "Seoul National University Hospital",
            "city": "Seoul",
            "country": "South Korea",
            "status": "RECRUITING",
            "geoPoint": {"lat": 37.5796, "lon": 126.9990},
        }
    )
    text = protocol["eligibilityModule"]["eligibilityCriteria"]
    edits = [
        ("Absolute neutrophil count (ANC) ≥1,500/μl", "Absolute neutrophil count (ANC) ≥1,000/μl"),  # a threshold
        ("6. Life expectancy of at least 3 months\n", "6. Life expectancy of at least 12 weeks\n"),  # a reworded item
        ("25. Enrolled in another clinical study with an investigational drug\n", ""),  # an item removed
        ("26. Are unable to swallow", "25. Are unable to swallow"),  # ... so the last two move up
        ("27. Any other condition", "26. Any other condition"),
    ]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    text += "\n27. Prior treatment with cabozantinib"  # a new item
    protocol["eligibilityModule"]["eligibilityCriteria"] = text
    return study


def write(folder: Path, name: str, study: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(study, ensure_ascii=False), encoding="utf-8")
    return path


def checks_of(trial: Trial) -> dict[tuple[str, str], Check]:
    return {
        (section, check.id): check
        for section in ("registry", "inclusion", "exclusion")
        for criterion in getattr(trial.eligibility, section)
        for check in criterion.checks
    }


@pytest.fixture()
def reimported(tmp_path: Path) -> tuple[Trial, Trial, Any]:
    """(the hand-encoded trial, the trial after re-importing the newer record, the report)."""
    folder = catalogue_with_the_hand_encoded_trial(tmp_path / "catalogue")
    before = load_trial_file(folder / "NCT07493668.yaml")
    report = import_files([write(tmp_path, "newer.json", newer_record())], folder, TODAY)
    assert report.errors == []
    return before, load_trial_file(folder / "NCT07493668.yaml"), report


# --- the same record again ---------------------------------------------------------------------------------


def test_reimporting_the_same_record_keeps_every_reviewed_check(tmp_path: Path) -> None:
    folder = catalogue_with_the_hand_encoded_trial(tmp_path / "catalogue")
    before = load_trial_file(folder / "NCT07493668.yaml")
    report = import_files([SEED], folder, TODAY)
    after = load_trial_file(folder / "NCT07493668.yaml")
    assert after.eligibility == before.eligibility  # every criterion and check, reviewed, as it was
    assert (after.plain_summary, after.participation, after.arms, after.interventions) == (
        before.plain_summary,
        before.participation,
        before.arms,
        before.interventions,
    )
    assert after.status == before.status and after.contacts == before.contacts and after.sites == before.sites
    item = report.trials[0]
    assert item.action == "updated"  # only the source file name differs
    assert item.counts["reviewed"] == 64 and item.counts["draft"] == 0
    assert "Inclusion: 16 criteria unchanged (their checks kept as they were)" in item.lines
    assert any(line.startswith("source.file: ") for line in item.lines)


def test_a_second_import_of_the_same_record_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    import_files([SEED], folder, TODAY)
    written = (folder / "NCT07493668.yaml").read_text(encoding="utf-8")
    report = import_files([SEED], folder, TODAY)
    assert report.trials[0].action == "unchanged"
    assert (folder / "NCT07493668.yaml").read_text(encoding="utf-8") == written
    assert not (folder / "NCT07493668.yaml.bak").exists()


# --- a newer record -------------------------------------------------------------------------------------


def test_registry_fields_are_updated(reimported: tuple[Trial, Trial, Any]) -> None:
    before, after, report = reimported
    assert after.status.overall == "RECRUITING" and after.status.last_update == dt.date(2026, 5, 20)
    assert [c.name for c in after.contacts] == ["Hong Jae Chon, MD, PhD", "Study Nurse"]
    assert [s.facility for s in after.sites] == ["CHA Bundang Medical Center", "Seoul National University Hospital"]
    lines = report.trials[0].lines
    assert "status.overall: NOT_YET_RECRUITING → RECRUITING" in lines
    assert any(line.startswith("sites: 1 → 2: +1 (Seoul National University Hospital)") for line in lines)
    assert any(line.startswith("contacts updated:") for line in lines)


def test_what_people_wrote_is_kept(reimported: tuple[Trial, Trial, Any]) -> None:
    before, after, _ = reimported
    assert after.plain_summary == before.plain_summary and after.participation == before.participation
    assert [a.plain for a in after.arms] == [a.plain for a in before.arms]
    assert [(i.plain, i.doses) for i in after.interventions] == [(i.plain, i.doses) for i in before.interventions]


def test_reviewed_checks_of_unchanged_criteria_are_kept_exactly(reimported: tuple[Trial, Trial, Any]) -> None:
    before, after, _ = reimported
    old, new = checks_of(before), checks_of(after)
    for key in [("inclusion", "1.1"), ("inclusion", "12.5"), ("exclusion", "13"), ("registry", "age")]:
        assert new[key] == old[key]
        assert new[key].rule is not None and old[key].rule is not None
        assert rule_key(new[key].rule) == rule_key(old[key].rule) and new[key].status == "reviewed"


def test_a_check_whose_text_changed_goes_back_to_draft_with_a_note_and_its_rule(
    reimported: tuple[Trial, Trial, Any],
) -> None:
    before, after, report = reimported
    old, new = checks_of(before)[("inclusion", "9.2")], checks_of(after)[("inclusion", "9.2")]
    assert new.status == "draft" and new.text == "Absolute neutrophil count (ANC) ≥1,000/μl"
    assert new.rule == old.rule  # the reviewed rule is kept for the reviewer to correct
    assert new.note is not None and "'≥1,500/μl' → '≥1,000/μl'" in new.note and "% similar" in new.note
    for sibling in ("9.0", "9.1", "9.3", "9.8"):  # the rest of criterion 9 did not change
        assert checks_of(after)[("inclusion", sibling)] == checks_of(before)[("inclusion", sibling)]
    assert any("Inclusion 9: text changed" in line for line in report.trials[0].lines)
    assert any("check 9.2: text changed" in line for line in report.trials[0].lines)


def test_a_reworded_study_team_item_keeps_its_reason_as_a_draft(reimported: tuple[Trial, Trial, Any]) -> None:
    _, after, _ = reimported
    check = checks_of(after)[("inclusion", "6")]
    assert check.status == "draft" and check.study_team == "life expectancy"
    assert check.note is not None and "'3 months' → '12 weeks'" in check.note


def test_new_criteria_come_in_as_drafts(reimported: tuple[Trial, Trial, Any]) -> None:
    _, after, report = reimported
    new = after.eligibility.exclusion[-2]
    assert new.number == "27" and new.text == "Prior treatment with cabozantinib"
    assert new.checks[0].status == "draft" and new.checks[0].rule is not None
    assert any(line.startswith("Exclusion 27: new criterion (1 draft, 0 to encode)") for line in report.trials[0].lines)


def test_a_removed_criterion_with_reviewed_checks_is_kept_as_a_draft_and_reported(
    reimported: tuple[Trial, Trial, Any],
) -> None:
    before, after, report = reimported
    removed = after.eligibility.exclusion[-1]
    assert (
        removed.number == "removed-25"
        and removed.text == "Enrolled in another clinical study with an investigational drug"
    )
    check = removed.checks[0]
    assert check.id == "removed-25" and check.status == "draft"
    assert check.rule == checks_of(before)[("exclusion", "25")].rule
    assert check.note is not None and "no longer in the registry record" in check.note
    assert any("Exclusion 25: GONE from the registry record" in line for line in report.trials[0].lines)


def test_criteria_that_moved_keep_their_reviewed_checks_under_their_new_numbers(
    reimported: tuple[Trial, Trial, Any],
) -> None:
    before, after, report = reimported
    old, new = checks_of(before), checks_of(after)
    assert [c.number for c in after.eligibility.exclusion] == [str(n) for n in range(1, 28)] + ["removed-25"]
    moved = new[("exclusion", "25.1")]
    assert moved.model_dump(exclude={"id"}) == old[("exclusion", "26.1")].model_dump(exclude={"id"})
    assert new[("exclusion", "26")].model_dump(exclude={"id"}) == old[("exclusion", "27")].model_dump(exclude={"id"})
    assert any("Exclusion 26: unchanged, now numbered 25" in line for line in report.trials[0].lines)


def test_no_reviewed_check_is_lost_silently(reimported: tuple[Trial, Trial, Any]) -> None:
    """Every reviewed check is still there: as it was, or as a draft with a note saying why."""
    before, after, _ = reimported
    kept = list(checks_of(after).values())
    for (section, check_id), check in checks_of(before).items():
        same = [c for c in kept if c.model_dump(exclude={"id"}) == check.model_dump(exclude={"id"})]
        flagged = [
            c
            for c in kept
            if c.status == "draft" and c.note and c.rule == check.rule and c.study_team == check.study_team
        ]
        assert same or flagged, f"{section} {check_id} lost"


def test_the_merged_file_loads_compiles_and_the_old_one_is_kept(tmp_path: Path) -> None:
    folder = catalogue_with_the_hand_encoded_trial(tmp_path / "catalogue")
    original = (folder / "NCT07493668.yaml").read_text(encoding="utf-8")
    report = import_files([write(tmp_path, "newer.json", newer_record())], folder, TODAY)
    assert report.trials[0].backup == folder / "NCT07493668.yaml.bak"
    assert (folder / "NCT07493668.yaml.bak").read_text(encoding="utf-8") == original
    matcher = Matcher(load_catalogue(folder))
    assert matcher.errors == [] and len(matcher.trials) == 1
    text = (folder / "NCT07493668.yaml").read_text(encoding="utf-8")
    assert text.startswith("# FLEX-HCC. Encoded from the ClinicalTrials.gov API v2 record")  # its header kept
    assert "# Re-imported from newer.json on 2026-06-01" in text


def test_a_broken_catalogue_file_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    (folder / "NCT07493668.yaml").write_text("nct_id: NCT07493668\nbrief_title: [unclosed\n", encoding="utf-8")
    report = import_files([SEED], folder, TODAY)
    assert report.trials == [] and "exists but does not load" in report.errors[0]
    assert (folder / "NCT07493668.yaml").read_text(encoding="utf-8").startswith("nct_id: NCT07493668\nbrief_title: [")


def test_describe_change_names_the_words() -> None:
    assert describe_change("ANC ≥1,500/μl", "ANC ≥1,000/μl") == "'≥1,500/μl' → '≥1,000/μl'"
    assert describe_change("a b", "a b c") == "added 'c'"
    assert describe_change("a b c", "a c") == "removed 'b'"
    assert describe_change("a  b", "a b") == "only spacing or list markers"
