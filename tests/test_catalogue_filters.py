"""Catalogue filters: closed trials left out unless asked, the patient's country first, the site to mention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.catalogue_filters import choose_site, distance_km, filter_results, is_closed, same_country
from matcher.verdicts import TrialResult
from questionnaires.summary import where_words
from trials.loader import BUNDLED_CATALOGUE, load_catalogue
from trials.schema import Trial
from tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def trials() -> dict[str, Trial]:
    return {t.nct_id: t for t in load_catalogue(BUNDLED_CATALOGUE).trials}


def with_status(trial: Trial, status: str) -> Trial:
    return trial.model_copy(update={"status": trial.status.model_copy(update={"overall": status})})


def result(nct_id: str, verdict: str = "possibly_eligible") -> TrialResult:
    return TrialResult(
        nct_id=nct_id,
        acronym=None,
        title="t",
        verdict=verdict,
        failed=[],
        unknown=[],
        met=[],
        study_team=[],
    )


@pytest.mark.parametrize("status", ["COMPLETED", "TERMINATED", "WITHDRAWN", "SUSPENDED"])
def test_closed_trials_are_left_out_unless_asked(status: str) -> None:
    catalogue = trials()
    catalogue["NCT07493668"] = with_status(catalogue["NCT07493668"], status)
    results = [result(n) for n in catalogue]
    shown, left_out = filter_results(results, catalogue)
    assert left_out == ["NCT07493668"] and "NCT07493668" not in [r.nct_id for r in shown]
    shown, left_out = filter_results(results, catalogue, include_closed=True)
    assert left_out == [] and len(shown) == len(results)


@pytest.mark.parametrize(
    "status", ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "ENROLLING_BY_INVITATION"]
)
def test_open_or_unclear_statuses_are_shown(status: str) -> None:
    assert not is_closed(with_status(trials()["NCT07493668"], status))


def test_the_patients_country_comes_first_within_each_verdict() -> None:
    catalogue = trials()
    results = [result("NCT07151326"), result("NCT07493668"), result("NCT06762782", "not_eligible")]
    shown, _ = filter_results(results, catalogue, country="South Korea")
    assert [r.nct_id for r in shown] == ["NCT07493668", "NCT07151326", "NCT06762782"]
    shown, _ = filter_results(results, catalogue, country="Taiwan")
    assert [r.nct_id for r in shown] == ["NCT07151326", "NCT07493668", "NCT06762782"]


@pytest.mark.parametrize("name", ["South Korea", "south korea", "Korea", "Republic of Korea", " SOUTH  KOREA "])
def test_country_names_match_their_common_forms(name: str) -> None:
    assert same_country("South Korea", name)
    assert not same_country("Taiwan", name) and not same_country(None, name)


def test_the_site_to_mention() -> None:
    trial = trials()["NCT07493668"]
    in_country = choose_site(trial, "Korea", near=(37.5665, 126.9780))
    assert in_country.in_country and in_country.site is not None and in_country.distance_km is not None
    assert 20 < in_country.distance_km < 30  # Seoul to Seongnam
    assert "a site in South Korea (about 2" in where_words(in_country, "Korea")
    elsewhere = choose_site(trial, "France")
    assert not elsewhere.in_country and where_words(elsewhere, "France").startswith("no site in France")
    assert where_words(elsewhere, "France", "ko").startswith("France")  # in Korean, names the country first
    nothing = choose_site(trials()["NCT06592612"], "China")
    assert nothing.site is None and where_words(nothing, "China") == "no site is listed yet"


def test_distances() -> None:
    assert distance_km((0, 0), (0, 0)) == 0
    assert 340 < distance_km((48.8566, 2.3522), (51.5074, -0.1278)) < 350  # Paris to London


def test_match_with_a_country_says_where_to_take_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "match", str(EXAMPLES / "patient_at_home.yaml"), "--country", "Taiwan"]) == 0
    out = capsys.readouterr().out
    card = out[out.index("NCT07151326") :].split("\n\n")[0]  # the trial's block of the results
    assert "   Where: a site in Taiwan: Chang-Gung Memorial Hospital" in card


def test_match_json_has_each_trials_site_and_the_trials_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", str(EXAMPLES / "patient_at_home.yaml"), "--json", "--near", "25.0,121.5"])
    payload = json.loads(capsys.readouterr().out)
    assert payload["left_out_closed"] == []
    assert all("site" in t and "status" in t for t in payload["trials"])


def test_a_position_that_is_not_lat_lon_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-cache", "match", str(EXAMPLES / "patient_at_home.yaml"), "--near", "Paris"])
    assert exit_info.value.code == 2 and "LAT,LON" in capsys.readouterr().err
