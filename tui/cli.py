"""The ``trialmatch`` command line: match a profile, list the facts, check the catalogue.

The non-interactive commands never import Textual, so they start fast and run anywhere
(a script, a plain ssh session, a screen reader).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from matcher.facts import load_vocabulary
from matcher.profile import ProfileError, load_profile
from matcher.verdicts import VERDICT_WORDS, Matcher, TrialResult
from trials.loader import CACHE_ENV, CATALOGUE_ENV, Catalogue, default_cache_dir, load_catalogue
from trials.schema import Trial

EXIT_OK, EXIT_CATALOGUE_ERROR, EXIT_BAD_INPUT = 0, 1, 2
STALE_AFTER_DAYS = 365
STATUS_WORDS = {
    "RECRUITING": "recruiting",
    "NOT_YET_RECRUITING": "not yet recruiting",
    "ACTIVE_NOT_RECRUITING": "active, not recruiting",
    "ENROLLING_BY_INVITATION": "enrolling by invitation",
    "COMPLETED": "completed",
    "SUSPENDED": "suspended",
    "TERMINATED": "terminated",
    "WITHDRAWN": "withdrawn",
    "UNKNOWN": "status unknown",
}
SYMBOLS = {"met": "✓", "failed": "✗", "unknown": "?", "study_team": "•"}
VERDICT_MARKS = {"eligible": "✓ ELIGIBLE", "possibly_eligible": "? POSSIBLY ELIGIBLE", "not_eligible": "✗ NOT ELIGIBLE"}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; its help is the command-line reference."""
    parser = argparse.ArgumentParser(
        prog="trialmatch",
        description="Offline clinical-trial matcher for people with liver cancer (hepatocellular carcinoma, HCC).",
        epilog=f"The catalogue folder is the bundled one unless --catalogue or ${CATALOGUE_ENV} names another.",
    )
    parser.add_argument(
        "--catalogue",
        metavar="DIR",
        help=f"folder of trial YAML files (default: ${CATALOGUE_ENV} or the bundled catalogue)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"do not read or write the parsed-catalogue cache (${CACHE_ENV}, default ~/.cache/trialmatch)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    match = commands.add_parser(
        "match",
        help="match a patient profile against every trial",
        description="Match a patient profile (YAML, see examples/) against every trial of the catalogue: eligible first, then possibly eligible, then not eligible, each with its reasons, what to confirm, contacts and sites.",
    )
    match.add_argument("profile", type=Path, help="the patient profile (YAML)")
    match.add_argument("--json", action="store_true", help="print the result as JSON")
    match.add_argument(
        "--met",
        action="store_true",
        help="also list every criterion that is met, and everything about trials ruled out",
    )

    facts = commands.add_parser(
        "facts",
        help="list every fact a profile can give",
        description="List every fact id of the vocabulary with its type, unit, plausible range and whether it is derived.",
    )
    facts.add_argument("--json", action="store_true", help="print the facts as JSON")

    check = commands.add_parser(
        "check",
        help="validate the catalogue and count its criteria",
        description="Validate every trial file and every rule against the fact vocabulary. Prints, per trial, how many checks are rules and how many are judged by the study team. Exits 1 on any error.",
    )
    check.add_argument("--json", action="store_true", help="print the counts as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trialmatch`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "match":
            return command_match(args, sys.stdout)
        if args.command == "facts":
            return command_facts(args, sys.stdout)
        if args.command == "check":
            return command_check(args, sys.stdout)
    except BrokenPipeError:  # `trialmatch match ... | head`
        return EXIT_OK
    parser.print_help()
    print("\nThe interactive interview is not built yet; use 'trialmatch match PROFILE.yaml'.")
    return EXIT_OK


def _load(args: argparse.Namespace) -> tuple[Catalogue, Matcher]:
    catalogue = load_catalogue(args.catalogue, cache_dir=None if args.no_cache else default_cache_dir())
    return catalogue, Matcher(catalogue)


def command_match(args: argparse.Namespace, out: TextIO) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(f"trialmatch: the profile {args.profile} cannot be used:", file=sys.stderr)
        for where, what in exc.problems:
            print(f"  {where}: {what}", file=sys.stderr)
        return EXIT_BAD_INPUT
    catalogue, matcher = _load(args)
    for error in matcher.errors:
        print(f"trialmatch: warning: left out of matching: {error}", file=sys.stderr)
    if not matcher.trials:
        print("trialmatch: no trial could be loaded; run 'trialmatch check'", file=sys.stderr)
        return EXIT_CATALOGUE_ERROR
    results = matcher.match(profile)
    trials = {t.nct_id: t for t in catalogue.trials}
    if args.json:
        payload = {
            "as_of": profile.as_of.isoformat(),
            "notes": profile.notes,
            "trials": [_result_json(r) for r in results],
        }
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    _print_results(results, trials, profile.as_of, profile.notes, args.met, out)
    return EXIT_OK


def _result_json(result: TrialResult) -> dict[str, Any]:
    keep = ("criterion", "check", "text", "plain", "study_team", "yours", "missing", "ask", "reason", "note")
    data = result.model_dump(include={"nct_id", "acronym", "title", "verdict", "doses"})
    for group in ("failed", "unknown", "met", "study_team"):
        data[group] = [
            {k: v for k, v in o.model_dump().items() if k in keep and v not in (None, [])}
            for o in getattr(result, group)
        ]
    return data


def _print_results(
    results: list[TrialResult], trials: dict[str, Trial], as_of: dt.date, notes: list[str], show_met: bool, out: TextIO
) -> None:
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICT_WORDS}
    out.write(
        f"Trial Matcher — {len(results)} trials checked on {as_of.isoformat()}: "
        f"{counts['eligible']} eligible, {counts['possibly_eligible']} possibly eligible, {counts['not_eligible']} not eligible\n"
        "This is a screening aid, not a medical decision: the study team decides who can take part.\n"
    )
    for note in notes:
        out.write(f"Note: {note}\n")
    for position, result in enumerate(results, 1):
        trial = trials[result.nct_id]
        name = f"{trial.nct_id}" + (f" ({trial.acronym})" if trial.acronym else "")
        out.write(f"\n{position}. {name} — {VERDICT_MARKS[result.verdict]}\n")
        out.write(f"   {trial.brief_title}\n")
        out.write(f"   In plain words: {trial.plain_summary}\n")
        age = (as_of - trial.status.last_update).days
        stale = (
            " — this record is more than a year old; ask the study team if it is still current"
            if age > STALE_AFTER_DAYS
            else ""
        )
        out.write(
            f"   Status: {STATUS_WORDS[trial.status.overall]}; record last updated {trial.status.last_update.isoformat()}{stale}\n"
        )
        _section(out, "Why not eligible", result.failed)
        ruled_out = result.verdict == "not_eligible" and not show_met
        if ruled_out:
            # A nurse scanning a ruled-out trial needs the reasons, not every open question.
            other = len(result.unknown) + len(result.study_team)
            if other:
                out.write(
                    f"   ({other} other checks not needed now that this trial is ruled out; add --met to list them)\n"
                )
        else:
            _section(out, "To confirm with the care team", result.unknown)
        if show_met:
            _section(out, "Met", result.met)
        elif result.met and not ruled_out:
            out.write(f"   Met: {len(result.met)} checks (add --met to list them)\n")
        if not ruled_out:
            _section(out, "The study team will also check", result.study_team, quote=False)
        doses = [d for d in result.doses if d.applies != "no"]
        if doses:
            out.write("   Treatment:\n")
            for dose in doses:
                which = " (depends on your weight)" if dose.applies == "unknown" else ""
                out.write(f"     - {dose.intervention}: {dose.dose}{which}\n")
        contacts = list(trial.contacts) + [c for site in trial.sites for c in site.contacts if c.phone or c.email]
        if contacts:
            out.write("   Contacts:\n")
            for contact in contacts:
                details = ", ".join(x for x in (contact.phone, contact.email) if x)
                out.write(f"     - {contact.name}" + (f": {details}" if details else "") + "\n")
        if trial.sites:
            out.write("   Sites:\n")
            for site in trial.sites:
                place = ", ".join(x for x in (site.city, site.country) if x)
                out.write(f"     - {site.facility}, {place}\n")


def _section(out: TextIO, title: str, outcomes: list[Any], quote: bool = True) -> None:
    if not outcomes:
        return
    out.write(f"   {title}:\n")
    for outcome in outcomes:
        out.write(f"     {SYMBOLS[outcome.status]} {outcome.reason}\n")
        if quote:
            text = " ".join(outcome.text.split())
            out.write(f"       “{text}”\n")


def command_facts(args: argparse.Namespace, out: TextIO) -> int:
    vocabulary = load_vocabulary()
    rows: list[dict[str, Any]] = []
    for fact in vocabulary:
        rows.append(
            {
                "id": fact.id,
                "type": fact.type,
                "unit": fact.unit,
                "other_units": (fact.units.accepted()[1:] if fact.units else []) + (["xULN"] if fact.uln else []),
                "range": list(fact.range) if fact.range else None,
                "choices": fact.choices or None,
                "derived": fact.derived is not None,
                "derived_from": fact.derived.from_ if fact.derived else None,
                "label": fact.label,
            }
        )
    if args.json:
        json.dump({"facts": rows}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    out.write(f"{len(rows)} facts. A profile gives facts by id; derived ones are computed when not given.\n\n")
    out.write(f"{'id':36} {'type':8} {'unit':8} {'range':16} derived  label\n")
    for row in rows:
        unit = row["unit"] or ""
        if row["range"]:
            lo, hi = row["range"]
            span = f"{lo:g}–{hi:g}"
        elif row["choices"]:
            span = "/".join(row["choices"])
        else:
            span = ""
        span = span if len(span) <= 16 else span[:15] + "…"
        out.write(
            f"{row['id']:36} {row['type']:8} {unit:8} {span:16} {'yes' if row['derived'] else 'no':8} {row['label']}\n"
        )
    return EXIT_OK


def command_check(args: argparse.Namespace, out: TextIO) -> int:
    catalogue, matcher = _load(args)
    rows: list[dict[str, Any]] = []
    for compiled in matcher.trials:
        trial = compiled.trial
        checks = compiled.checks
        rows.append(
            {
                "nct_id": trial.nct_id,
                "file": str(catalogue.files[trial.nct_id]),
                "inclusion_criteria": len(trial.eligibility.inclusion),
                "exclusion_criteria": len(trial.eligibility.exclusion),
                "registry_criteria": len(trial.eligibility.registry),
                "checks": len(checks),
                "rules": sum(c.evaluate is not None for c in checks),
                "study_team": sum(c.evaluate is None for c in checks),
            }
        )
    errors = [str(e) for e in matcher.errors]
    if args.json:
        json.dump(
            {"catalogue": str(catalogue.directory), "trials": rows, "errors": errors}, out, ensure_ascii=False, indent=2
        )
        out.write("\n")
    else:
        out.write(f"Catalogue: {catalogue.directory}\n")
        for row in rows:
            criteria = row["inclusion_criteria"] + row["exclusion_criteria"]
            out.write(
                f"{row['nct_id']}: {criteria} criteria ({row['inclusion_criteria']} inclusion, {row['exclusion_criteria']} exclusion"
                + (f", +{row['registry_criteria']} registry" if row["registry_criteria"] else "")
                + f"), {row['checks']} checks: {row['rules']} rules, {row['study_team']} judged by the study team\n"
            )
        total = sum(r["checks"] for r in rows)
        out.write(
            f"Total: {len(rows)} trials, {total} checks: {sum(r['rules'] for r in rows)} rules, "
            f"{sum(r['study_team'] for r in rows)} judged by the study team; every criterion accounted for.\n"
        )
        for error in errors:
            out.write(f"ERROR {error}\n")
        if errors:
            out.write(f"{len(errors)} error(s); the trials with errors are left out of matching.\n")
    return EXIT_CATALOGUE_ERROR if errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
