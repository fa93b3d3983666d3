"""How many criteria of the hand-encoded catalogue the rule drafter gets right.

For every check of every trial of a catalogue (the bundled five seeds by default), the drafter
is given the check's verbatim text and its section (registry, inclusion or exclusion), as the
importer would, and its proposal is compared with the reviewed encoding:

- exact:       the same rule, written the same way (equal ``rule_key``);
- equivalent:  written differently, but the same result (met, failed, unknown) on every boundary
               profile (values just below, at and above each threshold, each choice, unknown);
- wrong:       a different rule, or a rule where the reviewer chose a study-team item;
- to_encode:   no proposal (left to a person); split into checks the reviewer encoded as a rule
               (missed) and checks the reviewer left to the study team (rightly left alone).

Hit rate = (exact + equivalent) / checks reviewed as rules; precision = (exact + equivalent) / drafted.
These figures are in-sample: the patterns were written from these seeds.

Out of sample, beside them: the gold set of real registry records (tests/fixtures/drafting_gold.yaml,
checks of 14 records nobody on the team wrote, each with the rule a careful reviewer would write or
no rule): coverage = right drafts / checks the reviewer wrote a rule for; precision = right drafts /
drafts (a rule drafted where the reviewer wrote none is wrong). Target: precision >= 95%.

Run: .venv/bin/python benchmarks/drafting_accuracy.py [--catalogue DIR] [--show wrong|missed|all]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.drafting import default_drafter, draft_outcome, score_gold  # noqa: E402
from trials.loader import load_catalogue  # noqa: E402

SECTIONS = ("registry", "inclusion", "exclusion")
KINDS = ("exact", "equivalent", "wrong", "to_encode_rule", "to_encode_study_team", "drafted_for_study_team")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", help="catalogue folder (default: the bundled one)")
    parser.add_argument("--show", choices=["wrong", "missed", "all"], help="also list these checks")
    args = parser.parse_args()
    catalogue = load_catalogue(args.catalogue)
    drafter = default_drafter()
    totals: Counter[str] = Counter()
    print(
        f"{'trial':12} {'checks':>6} {'rules':>5} {'drafted':>7} {'exact':>5} {'equiv':>5} {'wrong':>5} {'to_encode':>9}"
    )
    for trial in catalogue.trials:
        counts: Counter[str] = Counter()
        for section in SECTIONS:
            for criterion in getattr(trial.eligibility, section):
                for check in criterion.checks:
                    draft = drafter.draft(check.text, section)
                    kind = draft_outcome(draft.rule, check, drafter.vocabulary, drafter.drugs)
                    counts[kind] += 1
                    counts["checks"] += 1
                    counts["rules"] += check.rule is not None and check.status == "reviewed"
                    show = (
                        args.show == "all"
                        or (args.show == "wrong" and kind in ("wrong", "drafted_for_study_team"))
                        or (args.show == "missed" and kind == "to_encode_rule")
                    )
                    if show:
                        proposal = draft.rule.model_dump(exclude_defaults=True) if draft.rule else draft.reason
                        reviewed = check.rule.model_dump(exclude_defaults=True) if check.rule else check.study_team
                        print(f"  {trial.nct_id} {section} {check.id} [{kind}] {check.text[:90]!r}")
                        print(f"      draft:    {proposal}")
                        print(f"      reviewed: {reviewed}")
        drafted = counts["exact"] + counts["equivalent"] + counts["wrong"] + counts["drafted_for_study_team"]
        to_encode = counts["to_encode_rule"] + counts["to_encode_study_team"]
        print(
            f"{trial.nct_id:12} {counts['checks']:6} {counts['rules']:5} {drafted:7} {counts['exact']:5} "
            f"{counts['equivalent']:5} {counts['wrong'] + counts['drafted_for_study_team']:5} {to_encode:9}"
        )
        totals.update(counts)
    drafted = totals["exact"] + totals["equivalent"] + totals["wrong"] + totals["drafted_for_study_team"]
    right = totals["exact"] + totals["equivalent"]
    print()
    print(
        f"checks: {totals['checks']} ({totals['rules']} reviewed as rules, {totals['checks'] - totals['rules']} study team)"
    )
    print(f"drafted: {drafted}")
    print(f"  exact: {totals['exact']}")
    print(f"  equivalent: {totals['equivalent']}")
    print(
        f"  wrong: {totals['wrong'] + totals['drafted_for_study_team']} "
        f"({totals['wrong']} a different rule, {totals['drafted_for_study_team']} a rule where the reviewer chose the study team)"
    )
    print(
        f"to_encode: {totals['to_encode_rule'] + totals['to_encode_study_team']} "
        f"({totals['to_encode_rule']} the reviewer encoded as rules, {totals['to_encode_study_team']} left to the study team)"
    )
    if totals["rules"]:
        print(
            f"hit rate: {right}/{totals['rules']} = {right / totals['rules']:.0%} of the reviewed rules drafted right"
        )
    if drafted:
        print(f"precision: {right}/{drafted} = {right / drafted:.0%} of the drafts right")
    gold(drafter, args.show)
    return 0


def gold(drafter: object, show: str | None) -> None:
    """Coverage and precision on the gold set of real registry records."""
    results = score_gold(drafter)  # type: ignore[arg-type]
    drafted = [r for r in results if r.draft.rule is not None]
    right = [r for r in drafted if r.right]
    rules = [r for r in results if r.expected is not None]
    records = len({r.entry["record"] for r in results})
    print()
    print(f"gold set (real registry records, out of sample): {len(results)} checks of {records} records")
    print(
        f"  the reviewer wrote a rule for {len(rules)}, none for {len(results) - len(rules)} (study team or to encode)"
    )
    print(f"  drafted: {len(drafted)}, right: {len(right)}, wrong: {len(drafted) - len(right)}")
    print(
        f"  coverage: {len(right)}/{len(rules)} = {len(right) / len(rules):.0%} of the reviewer's rules drafted right"
    )
    print(
        f"  precision: {len(right)}/{len(drafted)} = {len(right) / max(1, len(drafted)):.1%} of the drafts right (target >= 95%)"
    )
    for r in results:
        missed = r.expected is not None and r.draft.rule is None
        if (show in ("wrong", "all") and r.draft.rule is not None and not r.right) or (
            show in ("missed", "all") and missed
        ):
            proposal = r.draft.rule.model_dump(exclude_defaults=True) if r.draft.rule else r.draft.reason
            print(f"  {r.entry['record']} {r.entry['section']} {r.entry['check']} {r.entry['text'][:90]!r}")
            print(f"      draft:    {proposal}")
            print(f"      reviewer: {r.entry.get('rule') or r.entry.get('expect')}")


if __name__ == "__main__":
    sys.exit(main())
