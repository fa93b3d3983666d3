"""The drafter on real registry records (tests/fixtures/drafting_gold.yaml): a wrong draft is worse
than none, so at least 95% of what it drafts is what a careful reviewer writes; and a negation or
an exception is never drafted as its opposite."""

from __future__ import annotations

import pytest

from matcher.drafting import default_drafter, score_gold
from matcher.evaluation import compile_rule


def test_gold_set_covers_at_least_100_checks_of_10_records() -> None:
    results = score_gold(default_drafter())
    assert len(results) >= 100 and len({r.entry["record"] for r in results}) >= 10


def test_at_least_95_percent_of_the_drafts_on_the_gold_set_are_right() -> None:
    drafted = [r for r in score_gold(default_drafter()) if r.draft.rule is not None]
    wrong = [f"{r.entry['record']} {r.entry['check']}: {r.entry['text'][:80]}" for r in drafted if not r.right]
    assert len(drafted) - len(wrong) >= 0.95 * len(drafted), wrong


@pytest.mark.parametrize(
    ("text", "section"),
    [
        (
            "Child-Pugh class A with a WHO/ECOG PS of 2 at enrolment, without main trunk portal vein thrombosis",
            "inclusion",
        ),
        ("Any prior systemic therapy except sorafenib", "exclusion"),
        ("Active inflammatory conditions. Including but not limited to active infection", "exclusion"),
        ("Dose-escalation part: patients do not need to have measurable disease", "inclusion"),
        ("HIV infection unless well controlled on antiretroviral therapy", "exclusion"),
        ("Prior treatment other than sorafenib", "exclusion"),
    ],
)
def test_a_negation_or_exception_the_draft_cannot_carry_is_left_to_a_person(text: str, section: str) -> None:
    assert default_drafter().draft(text, section).rule is None


def test_no_prior_therapy_is_drafted_as_not_having_had_it() -> None:
    rule = default_drafter().draft("No prior doxorubicin", "inclusion").rule
    assert rule is not None and rule.model_dump(exclude_defaults=True) == {
        "op": "not",
        "rule": {"op": "includes", "fact": "prior_drugs", "values": ["doxorubicin"]},
    }


def test_body_weight_is_drafted() -> None:
    rule = default_drafter().draft("Body weight >30 kg", "inclusion").rule
    assert rule is not None and rule.model_dump(exclude_defaults=True) == {
        "op": "gt",
        "fact": "weight",
        "value": 30,
        "unit": "kg",
    }


def test_every_rule_of_the_gold_set_fits_the_vocabulary() -> None:
    drafter = default_drafter()
    for result in score_gold(drafter):
        if result.expected is not None:
            compile_rule(result.expected, drafter.vocabulary, drafter.drugs)
