"""The next step and the record's freshness, in `match` text and JSON for every example; phone
numbers in international form; the importer keeps overallOfficials."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from matcher.contacts import international_phone, next_step
from matcher.record import check_record
from trials.loader import load_catalogue
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPECTED = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 22)
TRIALS = {t.nct_id: t for t in load_catalogue(cache_dir=None).trials}


def _match(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--no-cache", "match", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_every_eligible_or_possibly_eligible_result_of_an_example_names_a_next_step(
    example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _match(capsys, str(EXAMPLES / example))
    blocks = out.split("\n\n")
    open_ones = [b for b in blocks if "ELIGIBLE" in b.split("\n")[0] and "NOT ELIGIBLE" not in b.split("\n")[0]]
    assert open_ones and [b.split("\n")[0] for b in open_ones if "   Next step: " not in b] == []


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_match_json_gives_record_and_next_step_for_every_trial(
    example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    trials = json.loads(_match(capsys, "--json", str(EXAMPLES / example)))["trials"]
    shapes = {
        (
            tuple(sorted(t["record"])),
            t["verdict"] == "not_eligible",
            t["next_step"] is None or tuple(sorted(t["next_step"])),
        )
        for t in trials
    }
    record = ("address", "last_update", "last_verified", "stale", "status", "why", "why_text")
    assert shapes <= {(record, True, True), (record, False, ("kind", "people", "sponsor", "text"))}


def test_json_flags_nct05831969_and_nct06592612_as_out_of_date_with_why(capsys: pytest.CaptureFixture[str]) -> None:
    trials = json.loads(_match(capsys, "--json", str(EXAMPLES / "patient_at_home.yaml")))["trials"]
    records = {t["nct_id"]: (t["record"]["stale"], t["record"]["why"]) for t in trials}
    assert records["NCT05831969"] == (True, ["completion_passed", "start_passed", "update_old", "verified_old"])
    assert records["NCT06592612"] == (True, ["completion_passed", "start_passed", "update_old"])


def test_a_trial_without_any_contact_asks_the_cancer_doctor_to_contact_the_sponsor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _match(capsys, str(EXAMPLES / "patient_at_home.yaml"))
    assert (
        "   Next step: No contact is listed: ask your cancer doctor to contact:\n      - Sun Yat-sen University, the sponsor"
        in out
    )


def test_an_eligible_trial_with_only_a_site_investigator_names_them_for_the_doctor() -> None:
    step = next_step(TRIALS["NCT07151326"], "Taiwan")
    assert (step.kind, [p.name for p in step.people]) == ("ask_doctor", ["Yen-Yang Chen, MD"])


def test_the_same_contact_listed_centrally_and_at_a_site_appears_once_with_both_emails() -> None:
    step = next_step(TRIALS["NCT07493668"])
    assert [(p.name, [ph.text() for ph in p.phones], p.emails) for p in step.people] == [
        ("Hong Jae Chon, MD, PhD", ["+82 31-780-3928"], ["hongjaechon@gmail.com", "minidoctor@cha.ac.kr"])
    ]


@pytest.mark.parametrize(
    ("listed", "country", "shown"),
    [
        ("18900917100", "China", "+86 189 0091 7100"),
        ("82-31-780-3928", "South Korea", "+82 31-780-3928"),
        ("(02) 2312-3456", "Taiwan", "+886 2 2312 3456"),
        ("12345", "China", "12345"),  # not a number of China: kept as listed
        ("18900917100", None, "18900917100"),  # no country to read it by
    ],
)
def test_phone_numbers_are_put_in_international_form_when_sure(listed: str, country: str | None, shown: str) -> None:
    assert international_phone(listed, country).text() == shown


def test_the_record_is_current_when_no_date_says_otherwise() -> None:
    assert check_record(TRIALS["NCT07493668"], dt.date(2026, 4, 1)).why == []


def test_the_importer_keeps_overall_officials(tmp_path: Path) -> None:
    from matcher.importing import import_files

    record = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "briefTitle": "A study"},
            "statusModule": {"overallStatus": "RECRUITING", "lastUpdatePostDateStruct": {"date": "2026-01-02"}},
            "conditionsModule": {"conditions": ["HCC"]},
            "armsInterventionsModule": {"interventions": [{"type": "DRUG", "name": "X"}]},
            "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Adults\n"},
            "contactsLocationsModule": {
                "overallOfficials": [
                    {"name": "Ann Lee, MD", "affiliation": "A Hospital", "role": "PRINCIPAL_INVESTIGATOR"},
                ]
            },
        }
    }
    source = tmp_path / "record.json"
    source.write_text(json.dumps(record), encoding="utf-8")
    import_files([source], tmp_path / "out")
    data = yaml.safe_load((tmp_path / "out" / "NCT09999999.yaml").read_text(encoding="utf-8"))
    assert data["officials"] == [{"name": "Ann Lee, MD", "role": "PRINCIPAL_INVESTIGATOR", "affiliation": "A Hospital"}]


def test_within_a_verdict_a_trial_whose_record_may_be_out_of_date_comes_after_a_current_one() -> None:
    from matcher.catalogue_filters import arrange
    from matcher.profile import load_profile
    from matcher.verdicts import Matcher

    matcher = Matcher(load_catalogue(cache_dir=None))
    results = matcher.match(load_profile(EXAMPLES / "second_line_after_atezo_bev.yaml"))
    eligible = [r.nct_id for r in results if r.verdict == "eligible"]
    # on 2026-04-01 NCT07493668 is current (updated 2026-03-25, to start 2026-04-27); NCT07151326 is not
    arranged = arrange(results, TRIALS, as_of=dt.date(2026, 4, 1))
    assert eligible == ["NCT07151326", "NCT07493668"]
    assert [r.nct_id for r in arranged.results if r.verdict == "eligible"] == ["NCT07493668", "NCT07151326"]


def test_the_interview_replayed_from_a_profile_names_the_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "interview", "--answers", str(EXAMPLES / "patient_at_home.yaml")]) == 0
    assert "Next step: Contact Jianhui Jia, M.B, the study's contact person:" in capsys.readouterr().out
