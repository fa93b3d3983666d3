"""Rule drafting: the patterns file proposes rules for common criteria, everything else is left to a person.

Every example of matcher/data/draft_patterns.yaml is a test; the others cover the forms the issue
names (≥ ≤ > <, "at least", "more than", "≥1,500/μl", "1.5 x ULN", "×10^9/L"...), what the drafter
must refuse, and its measured accuracy against the hand-encoded catalogue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from matcher.drafting import (
    RULE_ADAPTER,
    Drafter,
    DraftPatterns,
    default_drafter,
    draft_outcome,
    load_draft_patterns,
    pattern_examples,
    same_verdicts,
)
from trials.loader import load_catalogue
from trials.rules import rule_key


def drafted(text: str, section: str = "inclusion") -> dict[str, Any] | None:
    draft = default_drafter().draft(text, section)  # type: ignore[arg-type]
    return draft.rule.model_dump(exclude_defaults=True) if draft.rule is not None else None


@pytest.mark.parametrize(("pattern", "example"), pattern_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_example_of_the_patterns_file(pattern: str, example: Any) -> None:
    draft = default_drafter().draft(example.text, example.section)
    if example.rule is None:
        assert draft.rule is None, f"{pattern}: expected no draft for {example.text!r}"
        return
    assert draft.rule is not None, f"{pattern}: no draft for {example.text!r} ({draft.reason})"
    assert rule_key(draft.rule) == rule_key(RULE_ADAPTER.validate_python(example.rule)), pattern


def test_every_pattern_has_an_id_and_most_have_examples() -> None:
    patterns = [p for p in load_draft_patterns().patterns if p.use is None]
    assert all(p.id for p in patterns)
    assert sum(bool(p.examples) for p in patterns) >= len(patterns) // 2


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Hemoglobin (Hb) ≥9.0 g/dL", {"op": "ge", "fact": "hemoglobin", "value": 9.0, "unit": "g/dL"}),
        ("Absolute neutrophil count (ANC) ≥1,500/μl", {"op": "ge", "fact": "anc", "value": 1500, "unit": "/µL"}),
        ("ANC ≥ 1.5 × 10^9/L", {"op": "ge", "fact": "anc", "value": 1.5, "unit": "×10⁹/L"}),
        ("Platelets at least 100 x 10⁹/L", {"op": "ge", "fact": "platelets", "value": 100, "unit": "×10⁹/L"}),
        ("Platelet count of 100,000/mm3 or more", {"op": "ge", "fact": "platelets", "value": 100000, "unit": "/µL"}),
        ("White blood cells ≥ 3.0 × 10^9/L", {"op": "ge", "fact": "wbc", "value": 3.0, "unit": "×10⁹/L"}),
        ("Total bilirubin ≤ 1.5 x ULN", {"op": "le", "fact": "bilirubin", "value": 1.5, "unit": "xULN"}),
        ("Bilirubin no more than 3 mg/dL", {"op": "le", "fact": "bilirubin", "value": 3, "unit": "mg/dL"}),
        ("Serum total bilirubin ≤ ULN", {"op": "le", "fact": "bilirubin", "value": 1, "unit": "xULN"}),
        (
            "Creatinine clearance > 50 mL/min",
            {"op": "gt", "fact": "creatinine_clearance", "value": 50, "unit": "mL/min"},
        ),
        (
            "Serum creatinine < 1.5 times the upper limit of normal",
            {"op": "lt", "fact": "creatinine", "value": 1.5, "unit": "xULN"},
        ),
        ("Albumin ≥ 28 g/L", {"op": "ge", "fact": "albumin", "value": 28, "unit": "g/L"}),
        ("INR ≤ 1.5", {"op": "le", "fact": "inr", "value": 1.5}),
        ("INR ≤ 1.5 × ULN", {"op": "le", "fact": "inr", "value": 1.5}),
        ("aPTT ≤ 1.5 × ULN", {"op": "le", "fact": "aptt", "value": 1.5, "unit": "xULN"}),
        ("QTcF > 470 msec", {"op": "gt", "fact": "qtcf", "value": 470, "unit": "ms"}),
        ("Karnofsky performance status ≥ 70%", {"op": "ge", "fact": "karnofsky", "value": 70}),
        ("Child-Pugh score ≤ 7", {"op": "le", "fact": "child_pugh_score", "value": 7}),
        ("Child-Pugh A or B", {"op": "in", "fact": "child_pugh_class", "values": ["A", "B"]}),
        ("ECOG ≤ 1", {"op": "le", "fact": "ecog", "value": 1}),
        ("ECOG performance status 0, 1 or 2", {"op": "in", "fact": "ecog", "values": [0, 1, 2]}),
        (
            "Age between 18 and 75 years",
            {
                "op": "all",
                "rules": [{"op": "ge", "fact": "age", "value": 18}, {"op": "le", "fact": "age", "value": 75}],
            },
        ),
        ("Age more than 20 years", {"op": "gt", "fact": "age", "value": 20}),
        ("at least 18 years old", {"op": "ge", "fact": "age", "value": 18}),
        ("Urine protein < 1 g/24 hours", {"op": "lt", "fact": "urine_protein_24h", "value": 1, "unit": "g/24h"}),
        ("No more than 2 prior lines of systemic therapy", {"op": "le", "fact": "prior_systemic_lines", "value": 2}),
        ("No prior systemic therapy for HCC", {"op": "eq", "fact": "prior_systemic_lines", "value": 0}),
        (
            "Prior treatment with sorafenib or lenvatinib",
            {"op": "includes", "fact": "prior_drugs", "values": ["sorafenib", "lenvatinib"]},
        ),
        ("Negative HIV test", {"op": "eq", "fact": "hiv_positive", "value": False}),
        ("HIV-negative", {"op": "eq", "fact": "hiv_positive", "value": False}),
        (
            "Major surgery within 4 weeks before the first dose",
            {
                "op": "elapsed",
                "fact": "major_surgery_date",
                "cmp": "le",
                "value": 4,
                "unit": "weeks",
                "before": "first_dose",
            },
        ),
    ],
)
def test_common_criterion_forms(text: str, rule: dict[str, Any]) -> None:
    assert drafted(text) == rule


@pytest.mark.parametrize(
    ("text", "section", "rule"),
    [
        ("Known HIV infection", "exclusion", {"op": "eq", "fact": "hiv_positive", "value": True}),
        ("Active hepatitis B", "exclusion", {"op": "eq", "fact": "hbv_infection", "value": True}),
        ("Hepatitis C virus infection", "exclusion", {"op": "eq", "fact": "hcv_infection", "value": True}),
        (
            "HBV DNA > 2000 IU/mL",
            "exclusion",
            {
                "op": "all",
                "rules": [
                    {"op": "eq", "fact": "hbv_infection", "value": True},
                    {"op": "gt", "fact": "hbv_dna", "value": 2000, "unit": "IU/mL"},
                ],
            },
        ),
        (
            "HBV DNA < 500 IU/mL",
            "inclusion",
            {
                "op": "any",
                "rules": [
                    {"op": "eq", "fact": "hbv_infection", "value": False},
                    {"op": "lt", "fact": "hbv_dna", "value": 500, "unit": "IU/mL"},
                ],
            },
        ),
        (
            "Systolic blood pressure > 150 mmHg or diastolic > 100 mmHg",
            "exclusion",
            {
                "op": "any",
                "rules": [
                    {"op": "gt", "fact": "systolic_bp", "value": 150, "unit": "mmHg"},
                    {"op": "gt", "fact": "diastolic_bp", "value": 100, "unit": "mmHg"},
                ],
            },
        ),
        (
            "Pregnant or breastfeeding women",
            "exclusion",
            {
                "op": "all",
                "rules": [
                    {"op": "eq", "fact": "sex", "value": "female"},
                    {
                        "op": "any",
                        "rules": [
                            {"op": "eq", "fact": "pregnant", "value": True},
                            {"op": "eq", "fact": "breastfeeding", "value": True},
                        ],
                    },
                ],
            },
        ),
        ("Without brain metastases", "inclusion", {"op": "eq", "fact": "brain_metastases", "value": False}),
        ("Prior liver transplantation", "exclusion", {"op": "eq", "fact": "solid_organ_transplant", "value": True}),
        (
            "Prior allogeneic bone marrow transplantation",
            "exclusion",
            {"op": "eq", "fact": "allogeneic_stem_cell_transplant", "value": True},
        ),
        (
            "Prior treatment with a PD-1 inhibitor",
            "exclusion",
            {"op": "includes", "fact": "prior_drug_classes", "values": ["pd1_inhibitor"]},
        ),
        (
            "No major surgery within 28 days",
            "inclusion",
            {"op": "elapsed", "fact": "major_surgery_date", "cmp": "gt", "value": 28, "unit": "days"},
        ),
    ],
)
def test_conditions_and_their_sense_in_each_section(text: str, section: str, rule: dict[str, Any]) -> None:
    assert drafted(text, section) == rule


@pytest.mark.parametrize(
    "text",
    [
        "Life expectancy of at least 3 months",  # nothing the vocabulary knows
        "Signed informed consent",
        "Age = 18",  # a garbled '≥': equality on a measurement is not a threshold
        "hemoglobin =90g/L",
        "Known HIV infection, except with an undetectable viral load",  # an exception
        "HIV infection is allowed if CD4 count > 350",  # a permission
        "Platelets ≥ 75",  # no unit: 75 per µL is not a plausible threshold
        "AST ≤ 3 × ULN (≤ 5 × ULN with liver metastases)",  # a second threshold the draft cannot place
        "For patients with hepatitis B, antiviral drugs should be started 1 week before treatment",
        "Hepatitis B surface antigen detection is required before enrollment.",
        "Received targeted drug therapy such as sorafenib or lenvatinib in the first-line setting",
    ],
)
def test_criteria_the_drafter_leaves_to_a_person(text: str) -> None:
    draft = default_drafter().draft(text, "inclusion")
    assert draft.rule is None and draft.reason, text


def test_a_leading_condition_is_carried_by_a_guard() -> None:
    assert drafted("For patients with active HBV: HBV DNA <500 IU/mL during screening") == {
        "op": "any",
        "rules": [
            {"op": "eq", "fact": "hbv_infection", "value": False},
            {"op": "lt", "fact": "hbv_dna", "value": 500, "unit": "IU/mL"},
        ],
    }
    assert drafted("For patients with concurrent HBV and HCV infection: not eligible") == {
        "op": "not",
        "rule": {
            "op": "all",
            "rules": [
                {"op": "eq", "fact": "hbv_infection", "value": True},
                {"op": "eq", "fact": "hcv_infection", "value": True},
            ],
        },
    }


def test_lists_join_with_or_in_exclusions_and_and_in_inclusions() -> None:
    assert drafted("Hemoglobin ≥ 9 g/dL, platelets ≥ 100 x 10^9/L", "inclusion") == {
        "op": "all",
        "rules": [
            {"op": "ge", "fact": "hemoglobin", "value": 9, "unit": "g/dL"},
            {"op": "ge", "fact": "platelets", "value": 100, "unit": "×10⁹/L"},
        ],
    }
    rule = drafted("Systolic blood pressure > 140 mmHg, diastolic blood pressure > 90 mmHg", "exclusion")
    assert rule is not None and rule["op"] == "any"
    assert drafted("Fibrolamellar, sarcomatoid, or mixed HCC and cholangiocarcinoma", "exclusion") == {
        "op": "in",
        "fact": "hcc_subtype",
        "values": ["fibrolamellar", "sarcomatoid", "combined_hcc_cholangiocarcinoma"],
    }


def test_a_draft_has_plain_words_and_names_its_patterns() -> None:
    draft = default_drafter().draft("Platelet count ≥75,000/μl")
    assert draft.plain == "platelet count ≥ 75000 /µL" and draft.patterns == ("measures",)
    assert draft.status == "draft" and default_drafter().draft("Signed consent").status == "to_encode"


def test_a_pattern_naming_an_unknown_fact_never_gives_a_draft() -> None:
    spec = load_draft_patterns().model_dump(by_alias=True)
    spec["patterns"].insert(
        0, {"id": "bogus", "regex": "widget", "rule": {"op": "eq", "fact": "widget_count", "value": True}}
    )
    drafter = Drafter(spec=DraftPatterns.model_validate(spec))
    draft = drafter.draft("Patients with a widget")
    assert draft.rule is None and draft.reason is not None and "widget_count" in draft.reason


def test_a_measure_naming_an_unknown_fact_is_refused_when_the_patterns_load() -> None:
    spec = load_draft_patterns().model_dump(by_alias=True)
    spec["measures"]["widget_level"] = {"names": ["widget level"]}
    with pytest.raises(ValueError, match="unknown fact 'widget_level'"):
        Drafter(spec=DraftPatterns.model_validate(spec))


def test_a_regex_that_does_not_compile_is_refused_with_its_pattern_id() -> None:
    spec = load_draft_patterns().model_dump(by_alias=True)
    spec["patterns"].append(
        {"id": "broken", "regex": "(unclosed", "rule": {"op": "eq", "fact": "sex", "value": "male"}}
    )
    with pytest.raises(ValueError, match="pattern broken"):
        Drafter(spec=DraftPatterns.model_validate(spec))


def test_the_cache_gives_the_same_drafts() -> None:
    uncached = Drafter(cache=False)
    for text in ("ECOG 0 or 1", "Hb ≥ 9 g/dL", "Signed consent"):
        assert uncached.draft(text) == default_drafter().draft(text)


# --- comparing rules -------------------------------------------------------------------------------------


def rule(data: dict[str, Any]) -> Any:
    return RULE_ADAPTER.validate_python(data)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ({"op": "le", "fact": "ecog", "value": 1}, {"op": "in", "fact": "ecog", "values": [0, 1]}, True),
        ({"op": "le", "fact": "ecog", "value": 1}, {"op": "in", "fact": "ecog", "values": [0, 1, 2]}, False),
        (
            {"op": "ge", "fact": "hemoglobin", "value": 90, "unit": "g/L"},
            {"op": "ge", "fact": "hemoglobin", "value": 9.0, "unit": "g/dL"},
            True,
        ),
        (
            {"op": "ge", "fact": "hemoglobin", "value": 90, "unit": "g/L"},
            {"op": "gt", "fact": "hemoglobin", "value": 9.0, "unit": "g/dL"},
            False,
        ),
        (
            {
                "op": "not",
                "rule": {"op": "elapsed", "fact": "major_surgery_date", "cmp": "le", "value": 4, "unit": "weeks"},
            },
            {"op": "elapsed", "fact": "major_surgery_date", "cmp": "gt", "value": 4, "unit": "weeks"},
            True,
        ),
        ({"op": "eq", "fact": "sex", "value": "male"}, {"op": "ne", "fact": "sex", "value": "female"}, True),
        (
            {"op": "le", "fact": "bilirubin", "value": 1.5, "unit": "xULN"},
            {"op": "le", "fact": "bilirubin", "value": 2, "unit": "xULN"},
            False,
        ),
    ],
)
def test_same_verdicts_on_boundary_profiles(first: dict[str, Any], second: dict[str, Any], same: bool) -> None:
    drafter = default_drafter()
    assert same_verdicts(rule(first), rule(second), drafter.vocabulary, drafter.drugs) is same


def test_the_drafter_gets_most_of_the_hand_encoded_catalogue_right() -> None:
    """The measured hit rate (benchmarks/drafting_accuracy.py) must not fall: a floor, not the figure."""
    drafter = default_drafter()
    counts: Counter[str] = Counter()
    for trial in load_catalogue().trials:
        for section in ("registry", "inclusion", "exclusion"):
            for criterion in getattr(trial.eligibility, section):
                for check in criterion.checks:
                    proposal = drafter.draft(check.text, section).rule
                    counts[draft_outcome(proposal, check, drafter.vocabulary, drafter.drugs)] += 1
    right = counts["exact"] + counts["equivalent"]
    drafted = right + counts["wrong"] + counts["drafted_for_study_team"]
    rules = right + counts["wrong"] + counts["to_encode_rule"]
    # 0.53 measured after the negation guard (a wrong draft is worse than none: unsure means to_encode)
    # and the review fixes (hand rules more complete than a draft of the same words)
    assert right / rules >= 0.5, counts
    # 0.88 measured after the independent review: its fixes made 13 hand encodings more complete than
    # a draft of the same words (HIV read for immunodeficiency, a second fact beside the first); none
    # of the 15 "wrong" drafts is the opposite of its criterion
    assert right / drafted >= 0.85, counts
