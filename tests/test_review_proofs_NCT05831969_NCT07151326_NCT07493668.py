"""The proof profiles of the independent rule reviews of NCT05831969, NCT07151326 and NCT07493668
(shared/reviews/rule-review-NCT05831969-NCT07151326.md and rule-review-NCT07493668.md), each giving
the verdict its criterion text supports, with the reason citing that criterion. Controls keep the
verdict the review found right.

The profiles predate the questions these fixes added (a measurable tumour in the liver, a tumour
biopsy, treated ascites, ...). Where a finding needs one of them, the case adds the answer the
reviewer's patient gives (``answers``); a profile that leaves a new question open is never turned
away for it. The proofs of findings left to others are not here: the washout windows counted to the
first dose or randomisation (NCT07493668 U3: f_washout, f2_antiviral_7days, f3_ongoing and
g_hbv_no_antiviral) and the 24-hour urine follow-up (Q7: e_dipstick_negative, e2_dipstick_3plus).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled_matcher

from matcher.profile import read_profile
from matcher.verdicts import TrialResult, explain
from questionnaires.bank import load_bank
from questionnaires.summary import render_results
from trials.loader import load_catalogue
from trials.yaml_text import load_yaml

PROOFS = Path(__file__).resolve().parents[2] / "shared" / "reviews" / "proofs"

pytestmark = pytest.mark.skipif(
    not PROOFS.is_dir(), reason="the review proofs (shared/reviews/proofs) are not beside this checkout"
)

LENA, CABO, FLEX = "NCT05831969", "NCT07151326", "NCT07493668"
# The example patient's answers to the questions added since the NCT07493668 proofs were made
# (examples/second_line_after_atezo_bev.yaml now gives them).
# What a complete chart also says to questions added since the proofs were written (current
# medicines, willing to keep taking hepatitis B medicine, ...)
CHART_NEW = {"current_medications": "none", "willing_continue_hbv_antiviral": True}
EXAMPLE_NEW = {"measurable_liver_lesion": True, "willing_tumour_biopsy": True, **CHART_NEW}
BASE_326_NEW = {"willing_tumour_biopsy": True, **CHART_NEW}


@dataclass(frozen=True)
class Case:
    proof: str
    trial: str
    verdict: str
    # (group, criterion label, check id): the outcome the finding is about, where it must be found
    cites: list[tuple[str, str, str]] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    id: str = ""


def result(case: Case) -> TrialResult:
    data = load_yaml((PROOFS / case.proof).read_text(encoding="utf-8"))
    data["facts"] = {**(data.get("facts") or {}), **case.answers}
    profile = read_profile(data)
    matcher = bundled_matcher()
    compiled = next(c for c in matcher.trials if c.trial.nct_id == case.trial)
    return explain(compiled, matcher.values_for(profile), profile, matcher.vocabulary, matcher.drugs)


CASES = [
    # --- NCT05831969: controls -------------------------------------------------------------------
    Case("base_969.yaml", LENA, "eligible", [("study_team", "Inclusion 7", "7.2")]),
    Case("c969_bounds2.yaml", LENA, "eligible", [("met", "Inclusion 9", "9.8"), ("met", "Inclusion 9", "9.6")]),
    Case("c969_bounds.yaml", LENA, "not_eligible", [("failed", "Inclusion 6", "6")]),
    Case(
        "c969_over.yaml",
        LENA,
        "not_eligible",
        [("failed", "Inclusion 9", c) for c in ("9.1", "9.2", "9.3", "9.4", "9.6", "9.8", "9.9")]
        + [("failed", "Inclusion 2", "2.2"), ("failed", "Registry age", "age")],
    ),
    Case("c969_female_unknowns.yaml", LENA, "possibly_eligible", [("unknown", "Inclusion 12", "12.1")]),
    Case("blank.yaml", LENA, "possibly_eligible", [("unknown", "Inclusion 4", "4.2")]),
    # 1 (UNSAFE): antivirals "should be started 1 week before treatment" prepare the treatment
    Case("d969_hbv_never.yaml", LENA, "eligible", [("study_team", "Inclusion 7", "7.2")]),
    Case("d969_hbv_recent.yaml", LENA, "eligible", [("study_team", "Inclusion 7", "7.2")]),
    # 2: lenvatinib + PD-1 in a later line: the study team is asked whether it must be the first
    Case(
        "d969_second_line.yaml",
        LENA,
        "eligible",
        [("met", "Inclusion 4", "4.2"), ("study_team", "Inclusion 4", "4.5")],
    ),
    # 3: approval in China stays with the study team
    Case("d969_lenva_nivo.yaml", LENA, "eligible", [("study_team", "Inclusion 4", "4.4")]),
    # 4: a hepatitis C treatment that did not clear the virus is neither untreated nor cured
    Case("d969_hcv_failed.yaml", LENA, "not_eligible", [("failed", "Inclusion 8", "8.2")]),
    # 5: carcinoma in situ is not an "aggressive" (invasive) tumour (kept, with the reason in the note)
    Case("d969_dcis.yaml", LENA, "eligible", [("met", "Exclusion 10", "10"), ("met", "Inclusion 11", "11")]),
    Case("d969_melanoma_insitu.yaml", LENA, "eligible", [("met", "Exclusion 10", "10")]),
    # 6: adjuvant tamoxifen after a cancer free of disease since 2021 is not an active cancer
    Case(
        "d969_breast_tamoxifen.yaml",
        LENA,
        "possibly_eligible",
        [("unknown", "Inclusion 11", "11"), ("unknown", "Exclusion 10", "10")],
        id="d969_breast_tamoxifen-new-questions-open",
    ),
    Case(
        "d969_breast_tamoxifen.yaml",
        LENA,
        "eligible",
        [("met", "Inclusion 11", "11"), ("met", "Exclusion 10", "10")],
        {"other_cancer_adjuvant_only": True, "other_cancer_diagnosis_date": "2021-03-01"},
    ),
    Case(
        "d969_colon.yaml",
        LENA,
        "not_eligible",
        [("failed", "Inclusion 11", "11"), ("failed", "Exclusion 10", "10")],
        {"other_cancer_adjuvant_only": False, "other_cancer_diagnosis_date": "2026-01-01"},
    ),
    # 7 and 8: kept, with the reason in the note
    Case("d969_autoimmune_past.yaml", LENA, "eligible", [("met", "Exclusion 11", "11")]),
    Case("d969_mi.yaml", LENA, "eligible", [("study_team", "Exclusion 18", "18.2")]),
    # --- NCT07151326: controls -------------------------------------------------------------------
    Case("base_326.yaml", CABO, "eligible", [("met", "Exclusion 9", "9")], BASE_326_NEW),
    Case("base_326.yaml", CABO, "possibly_eligible", [("unknown", "Exclusion 9", "9")], id="base_326-biopsy-open"),
    Case("c326_alb.yaml", CABO, "not_eligible", [("failed", "Inclusion 10", "10.8")], BASE_326_NEW),
    Case("c326_brain.yaml", CABO, "possibly_eligible", [("unknown", "Exclusion 6", "6")], BASE_326_NEW),
    Case("c326_classes.yaml", CABO, "possibly_eligible", [("unknown", "Inclusion 5", "5.1")], BASE_326_NEW),
    Case("c326_female_unknowns.yaml", CABO, "possibly_eligible", [("unknown", "Exclusion 18", "18")], BASE_326_NEW),
    Case("c326_prot.yaml", CABO, "possibly_eligible", [("unknown", "Inclusion 10", "10.9")], BASE_326_NEW),
    Case("c326_stride.yaml", CABO, "eligible", [("met", "Inclusion 5", "5.1")], BASE_326_NEW),
    Case("blank.yaml", CABO, "possibly_eligible", [("unknown", "Exclusion 9", "9")]),
    # 1 (UNSAFE): ascites on diuretics is not the allowed "without any diuretics"
    Case(
        "d326_ascites_diuretic.yaml",
        CABO,
        "possibly_eligible",
        [("unknown", "Exclusion 14", "14")],
        BASE_326_NEW,
        id="d326_ascites_diuretic-treatment-open",
    ),
    Case(
        "d326_ascites_diuretic.yaml",
        CABO,
        "not_eligible",
        [("failed", "Exclusion 14", "14")],
        {**BASE_326_NEW, "ascites_treated": True},
    ),
    Case(
        "d326_ascites_mild.yaml",
        CABO,
        "eligible",
        [("met", "Exclusion 14", "14")],
        {**BASE_326_NEW, "ascites_treated": False},
    ),
    # 2 (UNSAFE): a localised, low-grade cancer cured without systemic therapy is an exception
    Case(
        "d326_endometrial.yaml",
        CABO,
        "possibly_eligible",
        [("unknown", "Exclusion 19", "19")],
        BASE_326_NEW,
        id="d326_endometrial-new-questions-open",
    ),
    Case(
        "d326_endometrial.yaml",
        CABO,
        "eligible",
        [("met", "Exclusion 19", "19")],
        {**BASE_326_NEW, "other_cancer_localized_cured": True, "other_cancer_diagnosis_date": "2025-08-15"},
    ),
    # 3 (UNSAFE): "Diagnosis of another malignancy within 2 years" is timed from the diagnosis
    Case(
        "d326_breast_tamoxifen.yaml",
        CABO,
        "eligible",
        [("met", "Exclusion 19", "19")],
        {**BASE_326_NEW, "other_cancer_diagnosis_date": "2021-03-01"},
    ),
    # 4 (UNSAFE): refusing the biopsy excludes
    Case(
        "d326_biopsy_refuser.yaml",
        CABO,
        "not_eligible",
        [("failed", "Exclusion 9", "9")],
        {"willing_tumour_biopsy": False},
    ),
    # 5: low-risk prostate cancer on surveillance is not "deemed cured"
    Case(
        "d326_prostate_surveillance.yaml",
        CABO,
        "possibly_eligible",
        [("unknown", "Exclusion 19", "19")],
        BASE_326_NEW,
        id="d326_prostate_surveillance-new-questions-open",
    ),
    Case(
        "d326_prostate_surveillance.yaml",
        CABO,
        "eligible",  # from 2028-03-02: the 2 years count to registration, a date and never a "no"
        [("met", "Exclusion 19", "19")],
        {**BASE_326_NEW, "other_cancer_localized_cured": False, "other_cancer_diagnosis_date": "2026-03-01"},
    ),
    # 6: one QTcF above 500 ms is not final; the mean of 3 ECGs decides
    Case(
        "d326_qtcf.yaml",
        CABO,
        "possibly_eligible",
        [("unknown", "Exclusion 15", "15")],
        BASE_326_NEW,
        id="d326_qtcf-single-reading",
    ),
    Case(
        "d326_qtcf.yaml",
        CABO,
        "eligible",
        [("met", "Exclusion 15", "15")],
        {**BASE_326_NEW, "qtcf_mean_of_three": "492 ms"},
    ),
    # 7: the contraception requirement is for sexually active fertile subjects
    Case(
        "d326_nosex_unwilling.yaml",
        CABO,
        "possibly_eligible",
        [("unknown", "Inclusion 13", "13")],
        BASE_326_NEW,
        id="d326_nosex_unwilling-sexual-activity-open",
    ),
    Case(
        "d326_nosex_unwilling.yaml",
        CABO,
        "eligible",
        [("met", "Inclusion 13", "13")],
        {**BASE_326_NEW, "sexually_active": False},
    ),
    # 8: occult hepatitis B is left to the study team's screening (kept, with the reason in the note)
    Case("d326_occult_hbv.yaml", CABO, "eligible", [("met", "Exclusion 8", "8.1")], BASE_326_NEW),
    # --- NCT07493668 -----------------------------------------------------------------------------
    # U1 (UNSAFE): hepatitis B with cured hepatitis C is not a concurrent infection
    Case("a_hbv_past_hcv.yaml", FLEX, "eligible", [("met", "Inclusion 12", "12.5")], EXAMPLE_NEW),
    Case("a2_past_hcv_only.yaml", FLEX, "eligible", [("met", "Inclusion 12", "12.5")], EXAMPLE_NEW),
    Case(
        "y_hbv_hcv_active.yaml",
        FLEX,
        "not_eligible",
        [("failed", "Inclusion 12", "12.4"), ("failed", "Inclusion 12", "12.5")],
        EXAMPLE_NEW,
    ),
    # U2 (UNSAFE): intramucosal carcinoma is an exception, and the question now names it
    Case(
        "d_intramucosal_gastric.yaml",
        FLEX,
        "eligible",
        [("met", "Exclusion 13", "13")],
        {**EXAMPLE_NEW, "other_cancer_minor": True, "other_cancer_minor_kinds": ["intramucosal"]},
    ),
    Case("d2_intramucosal_as_in_situ.yaml", FLEX, "eligible", [("met", "Exclusion 13", "13")], EXAMPLE_NEW),
    # W1: the pregnancy test applies to women of childbearing potential only
    Case("b_postmeno_woman.yaml", FLEX, "eligible", [("met", "Inclusion 15", "15.2")], EXAMPLE_NEW),
    Case("o_female_wocbp_unwilling.yaml", FLEX, "not_eligible", [("failed", "Inclusion 15", "15.1")], EXAMPLE_NEW),
    # W2 and Q8: the measurable lesion must be in the liver
    Case(
        "c_extrahepatic_only.yaml",
        FLEX,
        "not_eligible",
        [("failed", "Inclusion 3", "3.1")],
        {"measurable_liver_lesion": False},
    ),
    Case(
        "c_extrahepatic_only.yaml",
        FLEX,
        "possibly_eligible",
        [("unknown", "Inclusion 3", "3.1")],
        id="c_extrahepatic_only-liver-lesion-open",
    ),
    # Q1: the listed IO combinations are read as the whole list (kept, with the reason in the note)
    Case("i_sinti_ibi305.yaml", FLEX, "not_eligible", [("failed", "Inclusion 2", "2.1")], EXAMPLE_NEW),
    Case("h_triplet.yaml", FLEX, "possibly_eligible", [("unknown", "Inclusion 2", "2.1")], EXAMPLE_NEW),
    # Q2: the windows before the first dose and randomisation are noted for the study team (kept)
    Case("z3_infection_last_week.yaml", FLEX, "eligible", [("met", "Exclusion 11", "11")], EXAMPLE_NEW),
    Case("n_recent_banding.yaml", FLEX, "eligible", [("met", "Exclusion 14", "14")], EXAMPLE_NEW),
    # Q3: only an arrhythmia with haemodynamic instability excludes; the study team checks it
    Case("r_arrhythmia.yaml", FLEX, "eligible", [("study_team", "Exclusion 8", "8.4")], EXAMPLE_NEW),
    # Q4: only acute, clinically significant side effects must have resolved
    Case("q_toxicity.yaml", FLEX, "eligible", [("met", "Inclusion 13", "13")], EXAMPLE_NEW),
    # Q5 and Q6: kept, with the reason in the note
    Case("s_bp_untreated.yaml", FLEX, "not_eligible", [("failed", "Exclusion 16", "16.1")], EXAMPLE_NEW),
    Case("p_male_partner_only.yaml", FLEX, "eligible", [("met", "Inclusion 16", "16.1")], EXAMPLE_NEW),
    # controls
    Case("second_line_after_atezo_bev.yaml", FLEX, "eligible", [("met", "Inclusion 3", "3.1")], EXAMPLE_NEW),
    Case("empty.yaml", FLEX, "possibly_eligible", [("unknown", "Inclusion 3", "3.1")]),
    Case(
        "x_age18.yaml",
        FLEX,
        "not_eligible",
        [("failed", "Registry age", "age"), ("failed", "Inclusion 7", "7")],
        EXAMPLE_NEW,
    ),
    Case("k_boundaries.yaml", FLEX, "eligible", [("met", "Inclusion 9", "9.1")], EXAMPLE_NEW),
    Case("k2_over.yaml", FLEX, "not_eligible", [("failed", "Inclusion 9", "9.1")], EXAMPLE_NEW),
    Case("k3_creat.yaml", FLEX, "eligible", [("met", "Inclusion 9", "9.4")], EXAMPLE_NEW),
    Case("k4_creat_bad.yaml", FLEX, "not_eligible", [("failed", "Inclusion 9", "9.4")], EXAMPLE_NEW),
    Case("u_hbv_copies.yaml", FLEX, "not_eligible", [("failed", "Inclusion 12", "12.1")], EXAMPLE_NEW),
    Case("t_cp_b.yaml", FLEX, "not_eligible", [("failed", "Inclusion 10", "10")], EXAMPLE_NEW),
    Case("l_radiological_ascites.yaml", FLEX, "eligible", [("met", "Exclusion 17", "17.1")], EXAMPLE_NEW),
    Case("l2_mild_ascites.yaml", FLEX, "not_eligible", [("failed", "Exclusion 17", "17.1")], EXAMPLE_NEW),
    Case("w_variceal_bleed.yaml", FLEX, "not_eligible", [("failed", "Inclusion 14", "14.2")], EXAMPLE_NEW),
    Case("w2_variceal_bleed_old.yaml", FLEX, "eligible", [("met", "Inclusion 14", "14.2")], EXAMPLE_NEW),
    Case("j_stride.yaml", FLEX, "eligible", [("met", "Inclusion 2", "2.1")], EXAMPLE_NEW),
    Case("j2_ipinivo.yaml", FLEX, "eligible", [("met", "Inclusion 2", "2.1")], EXAMPLE_NEW),
    Case("j3_one_cycle.yaml", FLEX, "not_eligible", [("failed", "Inclusion 2", "2.2")], EXAMPLE_NEW),
    Case(
        "j4_pembro_lenva.yaml",
        FLEX,
        "not_eligible",
        [("failed", "Inclusion 2", "2.1"), ("failed", "Exclusion 3", "3")],
        EXAMPLE_NEW,
    ),
    Case("j5_two_lines.yaml", FLEX, "not_eligible", [("failed", "Exclusion 1", "1")], EXAMPLE_NEW),
    Case("j6_no_progression.yaml", FLEX, "not_eligible", [("failed", "Inclusion 2", "2.3")], EXAMPLE_NEW),
    Case("j7_classes_only.yaml", FLEX, "possibly_eligible", [("unknown", "Inclusion 2", "2.1")], EXAMPLE_NEW),
    Case("z_warfarin.yaml", FLEX, "not_eligible", [("failed", "Exclusion 15", "15.2")], EXAMPLE_NEW),
    Case("z2_doac.yaml", FLEX, "eligible", [("met", "Exclusion 15", "15.2")], EXAMPLE_NEW),
    # counted to randomisation: a recent heart attack gives the date the trial opens, never a "no"
    Case("v_mi_recent.yaml", FLEX, "eligible", [("met", "Exclusion 8", "8.3")], EXAMPLE_NEW),
    Case("m_weight59.yaml", FLEX, "eligible", [], EXAMPLE_NEW),
    Case("m2_weight_unknown.yaml", FLEX, "eligible", [], EXAMPLE_NEW),
    Case("tv1_other_cancer_partial.yaml", FLEX, "possibly_eligible", [("unknown", "Exclusion 13", "13")], EXAMPLE_NEW),
    Case("tv2_variceal_partial.yaml", FLEX, "possibly_eligible", [("unknown", "Inclusion 14", "14.1")], EXAMPLE_NEW),
    Case(
        "tv3_cp_range.yaml",
        FLEX,
        "possibly_eligible",
        [("unknown", "Inclusion 10", "10"), ("unknown", "Exclusion 17", "17.2")],
        EXAMPLE_NEW,
    ),
    Case("tv4_hcv_rna_unknown.yaml", FLEX, "possibly_eligible", [("unknown", "Inclusion 12", "12.4")], EXAMPLE_NEW),
]


def case_id(case: Case) -> str:
    return case.id or f"{case.proof.removesuffix('.yaml')}-{case.trial}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_proof_gives_the_verdict_its_text_supports(case: Case) -> None:
    assert result(case).verdict == case.verdict


@pytest.mark.parametrize("case", [c for c in CASES if c.cites], ids=case_id)
def test_proof_reason_cites_the_criterion_of_the_finding(case: Case) -> None:
    found = result(case)
    groups = {"met": found.met, "failed": found.failed, "unknown": found.unknown, "study_team": found.study_team}
    cited = {
        (group, outcome.criterion, outcome.check)
        for group, outcomes in groups.items()
        for outcome in outcomes
        if outcome.reason.startswith(f"{outcome.criterion}: ")
    }
    assert set(case.cites) <= cited


def test_a_profile_turned_away_only_fails_the_checks_its_finding_names() -> None:
    # a sample: the hepatitis C treatment failure is the only reason NCT05831969 turns this patient away
    found = result(Case("d969_hcv_failed.yaml", LENA, "not_eligible"))
    assert [(o.criterion, o.check) for o in found.failed] == [("Inclusion 8", "8.2")]


def test_the_intramucosal_exception_is_asked_by_name() -> None:
    question = load_bank()["other_cancer_minor_kinds"]
    assert "intramucosal" in {o.code for o in question.answerOption}
    assert "intramucosal" in load_bank()["other_cancer_minor"].nurse.text


def test_the_record_without_dates_shows_no_invented_update_date() -> None:
    trial = next(t for t in load_catalogue().trials if t.nct_id == CABO)
    found = result(Case("base_326.yaml", CABO, "eligible", answers=BASE_326_NEW))
    text = render_results([found], {CABO: trial}, dt.date(2026, 11, 22))
    assert (trial.status.last_update, "2025-01-01" in text, "the record shows no update date" in text) == (
        None,
        False,
        True,
    )


def test_fostrox_is_described_as_taken_by_mouth_not_as_tablets() -> None:
    trial = next(t for t in load_catalogue().trials if t.nct_id == FLEX)
    words = " ".join(
        [trial.plain_summary, *(a.plain for a in trial.arms), *(i.plain for i in trial.interventions)]
    ).lower()
    assert ("tablet" in words, "usual treatment" in words, "by mouth" in words) == (False, False, True)
