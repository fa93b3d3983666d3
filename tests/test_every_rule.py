"""Every rule of the catalogue tests itself: one profile that meets each check, one that fails it.

The profiles are built from the rule tree (``rule_examples``), so a new or edited rule is covered
without anyone writing a test for it. Each profile is read as a profile file is and judged by the
matcher; the check's reason must name its own criterion (section and number): met for the profile
that meets it, failed (and the trial not eligible) for the one that fails it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import AS_OF, bundled_matcher
from rule_examples import DERIVED_FROM_ANSWERS, RuleExamples

from matcher.profile import read_profile
from matcher.verdicts import CheckOutcome, CompiledCheck, CompiledTrial, criterion_label, explain
from trials.rules import All, Compare, facts_in


@dataclass(frozen=True)
class CatalogueCheck:
    trial: CompiledTrial
    item: CompiledCheck

    @property
    def name(self) -> str:
        return f"{self.trial.trial.nct_id}-{self.item.section}-{self.item.criterion.number}-{self.item.check.id}"


def catalogue_checks() -> list[CatalogueCheck]:
    return [CatalogueCheck(trial, item) for trial in bundled_matcher().trials for item in trial.checks]


CHECKS = catalogue_checks()
RULES = [c for c in CHECKS if c.item.evaluate is not None]
STUDY_TEAM = [c for c in CHECKS if c.item.check.rule is None and c.item.check.status == "reviewed"]
NOT_REVIEWED = [c for c in CHECKS if c.item.check.status != "reviewed"]

# Checks whose meeting or failing profile the generator cannot build, with why. Empty: every rule
# of the catalogue can be met and can be failed. A rule added here must say why it cannot.
CANNOT_GENERATE: dict[str, str] = {}


@pytest.fixture(scope="module")
def examples() -> RuleExamples:
    return RuleExamples(bundled_matcher())


def outcome_for(check: CatalogueCheck, examples: RuleExamples, holds: bool) -> tuple[str, CheckOutcome]:
    """The trial's verdict and the check's outcome for the generated profile that makes its rule hold or not."""
    rule = check.item.check.rule
    assert rule is not None
    example = examples.example(rule, holds)
    assert example is not None, f"no profile found under which the rule of {check.name} is {holds}"
    profile = read_profile(examples.profile_data(example))
    matcher = bundled_matcher()
    result = explain(check.trial, matcher.values_for(profile), profile, matcher.vocabulary, matcher.drugs)
    found = [
        o
        for o in (*result.met, *result.failed, *result.unknown, *result.study_team)
        if o.section == check.item.section and o.check == check.item.check.id
    ]
    assert len(found) == 1, f"{check.name}: found {len(found)} times in the result"
    return result.verdict, found[0]


def cites_its_criterion(check: CatalogueCheck, outcome: CheckOutcome) -> bool:
    """The reason names the check's own criterion (section and number) and shows the patient's values."""
    label = criterion_label(check.item.section, check.item.criterion.number)
    return (
        outcome.section == check.item.section
        and outcome.number == check.item.criterion.number
        and outcome.criterion == label
        and outcome.reason.startswith(label)
        and bool(outcome.yours)  # and the patient's values that decided it
        and reads_as_its_section(check, outcome)
    )


def reads_as_its_section(check: CatalogueCheck, outcome: CheckOutcome) -> bool:
    """An exclusion reads "must not have: ..." (and "does not apply" when it does not), never "met"."""
    if check.item.section != "exclusion":
        return "must not have:" not in outcome.reason
    label = criterion_label(check.item.section, check.item.criterion.number)
    lead = f"{label}: does not apply — must not have: " if outcome.status == "met" else f"{label}: must not have: "
    return outcome.reason.startswith(lead)


def profile_for(check: CatalogueCheck, met: bool) -> bool:
    """The rule says what must hold (inclusion) or what excludes (exclusion): met is the rule's truth, mirrored."""
    return met != (check.item.section == "exclusion")


@pytest.mark.parametrize("check", [c for c in RULES if c.name not in CANNOT_GENERATE], ids=lambda c: c.name)
def test_a_profile_that_meets_the_check_is_told_it_is_met(check: CatalogueCheck, examples: RuleExamples) -> None:
    _verdict, outcome = outcome_for(check, examples, profile_for(check, met=True))
    assert (outcome.status, cites_its_criterion(check, outcome)) == ("met", True), outcome.reason


@pytest.mark.parametrize("check", [c for c in RULES if c.name not in CANNOT_GENERATE], ids=lambda c: c.name)
def test_a_profile_that_fails_the_check_is_not_eligible_and_told_why(
    check: CatalogueCheck, examples: RuleExamples
) -> None:
    verdict, outcome = outcome_for(check, examples, profile_for(check, met=False))
    if check.item.windows and outcome.status != "failed":
        # counted to a future event (first dose...): the window closes by itself, so a date on the
        # failing side makes the trial wait until a later date, never a "no"
        assert (outcome.met_from is not None and outcome.met_from > AS_OF, cites_its_criterion(check, outcome)) == (
            True,
            True,
        ), outcome.reason
        return
    assert (verdict, outcome.status, cites_its_criterion(check, outcome)) == ("not_eligible", "failed", True), (
        outcome.reason
    )


def test_every_rule_of_the_catalogue_is_covered(capsys: pytest.CaptureFixture[str], examples: RuleExamples) -> None:
    """Every rule gets its two generated profiles, but those named in CANNOT_GENERATE (which really cannot)."""
    names = {c.name for c in RULES}
    covered = [c for c in RULES if c.name not in CANNOT_GENERATE]
    not_generated = [c for c in RULES if c.name in CANNOT_GENERATE]
    with capsys.disabled():
        print(
            f"\nper-check generated tests: {len(covered)} of {len(RULES)} rules covered"
            f" ({len(not_generated)} named as not generated); {len(STUDY_TEAM)} study-team checks"
            f" and {len(NOT_REVIEWED)} not-reviewed checks have no rule ({len(CHECKS)} checks in all)"
        )
    generated_after_all = [
        c.name
        for c in not_generated
        if c.item.check.rule is not None
        and None not in (examples.example(c.item.check.rule, True), examples.example(c.item.check.rule, False))
    ]
    stale = sorted(set(CANNOT_GENERATE) - names)
    assert (len(covered), generated_after_all, stale) == (len(RULES) - len(CANNOT_GENERATE), [], [])


ON_DERIVED = [
    c for c in RULES if c.item.check.rule is not None and set(facts_in(c.item.check.rule)) & set(DERIVED_FROM_ANSWERS)
]
# Checks on age or Child-Pugh that also read one of its inputs: their profiles give the derived fact directly.
DIRECT_ONLY = {"NCT07493668-exclusion-17-17.2": "ascites seen only on scans, unless Child-Pugh A: reads ascites too"}


@pytest.mark.parametrize("met", [True, False], ids=["meets", "fails"])
@pytest.mark.parametrize("check", [c for c in ON_DERIVED if c.name not in DIRECT_ONLY], ids=lambda c: c.name)
def test_a_check_on_age_or_child_pugh_is_decided_from_the_answers_they_come_from(
    check: CatalogueCheck, met: bool, examples: RuleExamples
) -> None:
    """The same generated profile with a date of birth for the age and lab values for Child-Pugh."""
    rule = check.item.check.rule
    assert rule is not None
    example = examples.example(rule, profile_for(check, met))
    assert example is not None
    answered = examples.through_inputs(example)
    assert answered is not None, "the rule reads an input of its derived fact: list it in DIRECT_ONLY"
    profile = read_profile(examples.profile_data(answered))
    matcher = bundled_matcher()
    result = explain(check.trial, matcher.values_for(profile), profile, matcher.vocabulary, matcher.drugs)
    outcome = next(
        o
        for o in (*result.met, *result.failed, *result.unknown)
        if o.check == check.item.check.id and o.section == check.item.section
    )
    assert outcome.status == ("met" if met else "failed"), outcome.reason


def test_the_checks_on_age_or_child_pugh_given_directly_only_are_those_named(examples: RuleExamples) -> None:
    direct = []
    for check in ON_DERIVED:
        rule = check.item.check.rule
        built = [examples.example(rule, holds) for holds in (True, False)] if rule is not None else []
        if any(e is not None and examples.through_inputs(e) is None for e in built):
            direct.append(check.name)
    assert sorted(direct) == sorted(DIRECT_ONLY)


def test_a_rule_that_can_never_be_met_gets_no_meeting_profile(examples: RuleExamples) -> None:
    never = All(op="all", rules=[Compare(op="ge", fact="age", value=18), Compare(op="lt", fact="age", value=18)])
    assert (examples.example(never, True), examples.example(never, False) is not None) == (None, True)


def test_every_check_quotes_its_own_criterion() -> None:
    """A reason cites the criterion its check sits under: each line of a check's text is that criterion's words."""

    def words(text: str) -> str:
        return " ".join(text.split()).casefold()

    misplaced = [
        c.name
        for c in CHECKS
        if any(words(line) not in words(c.item.criterion.text) for line in c.item.check.text.splitlines())
    ]
    assert misplaced == []
