"""The ``trialmatch`` command line: match a profile, list the facts, check the catalogue.

The non-interactive commands never import Textual, so they start fast and run anywhere
(a script, a plain ssh session, a screen reader).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from matcher.catalogue_filters import arrange
from matcher.facts import load_vocabulary
from matcher.profile import Profile, ProfileError, load_profile
from matcher.record import check_record
from matcher.verdicts import Matcher, TrialResult
from questionnaires.summary import Format, render_results, where_words
from questionnaires.texts import t as qt
from trials.i18n import DEFAULT_LOCALE, LANG_ENV, LOCALE_NAMES, LOCALES, LocaleError, resolve_locale
from trials.loader import (
    CACHE_ENV,
    CATALOGUE_ENV,
    Catalogue,
    catalogue_directory,
    default_cache_dir,
    load_catalogue,
)
from trials.schema import Trial

EXIT_OK, EXIT_CATALOGUE_ERROR, EXIT_BAD_INPUT = 0, 1, 2


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
        "--lang",
        metavar="LANG",
        help=f"language: {', '.join(f'{code} ({name})' for code, name in LOCALE_NAMES.items())} "
        f"(default: ${LANG_ENV}, else en; the app also asks on its first screen)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"do not read or write the parsed-catalogue cache (${CACHE_ENV}, default ~/.cache/trialmatch)",
    )
    app = parser.add_argument_group("the app (trialmatch with no command)")
    app.add_argument(
        "--mode",
        dest="app_mode",
        choices=["patient", "nurse", "kiosk"],
        default="patient",
        help="patient: plain words (default); nurse: clinical wording and criterion numbers; "
        "kiosk: writes nothing, wipes answers when idle, only staff can quit",
    )
    app.add_argument(
        "--country",
        dest="app_country",
        metavar="NAME",
        help="the clinic's country (a kiosk's): trials with a site there first; the first screen then does not ask it",
    )
    app.add_argument("--pin", help="kiosk: the staff PIN that closes the app (default $TRIALMATCH_PIN)")
    app.add_argument(
        "--idle-seconds",
        type=_idle_seconds,
        default=180.0,
        metavar="S",
        help="kiosk: wipe the answers after S seconds without a key press or click (default 180; warns 30 s before)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    match = commands.add_parser(
        "match",
        help="match a patient profile against every trial",
        description="Match a patient profile (YAML, see examples/) against every trial of the catalogue: eligible first, then possibly eligible, then not eligible, each with its reasons, what to confirm, contacts and sites.",
    )
    match.add_argument("profile", type=Path, help="the patient profile (YAML)")
    match.add_argument("--json", action="store_true", help="print the result as JSON (compact; see --indent)")
    match.add_argument(
        "--indent",
        type=int,
        metavar="N",
        help="with --json: pretty-print, indented by N spaces (slower on large catalogues)",
    )
    match.add_argument(
        "--met",
        action="store_true",
        help="also list every criterion that is met, and everything about trials ruled out",
    )
    match.add_argument(
        "--all-reasons",
        action="store_true",
        help="explain trials ruled out in full (default: by the criteria they fail, the decisive reasons)",
    )
    match.add_argument(
        "--all-statuses",
        action="store_true",
        help="also show completed, terminated, withdrawn and suspended trials (left out by default)",
    )
    match.add_argument(
        "--country", metavar="NAME", help="the patient's country: trials with a site there come first, and say so"
    )
    match.add_argument(
        "--near",
        metavar="LAT,LON",
        type=_lat_lon,
        help="the patient's position (decimal degrees): each trial's nearest site is named",
    )

    facts = commands.add_parser(
        "facts",
        help="list every fact a profile can give",
        description="List every fact id of the vocabulary with its type, unit, plausible range and whether it is derived.",
    )
    facts.add_argument("--json", action="store_true", help="print the facts as JSON")

    interview = commands.add_parser(
        "interview",
        help="the interview, one question at a time, in the terminal",
        description="Ask the questions that matter, one at a time, in plain prompts (works with a screen reader and over ssh); "
        "then show the results. With --answers, replay the interview from a profile instead of asking.",
    )
    interview.add_argument(
        "--mode", choices=["patient", "nurse"], default="patient", help="wording: plain (patient) or clinical (nurse)"
    )
    interview.add_argument(
        "--answers",
        type=Path,
        metavar="PROFILE",
        help='answer every question from this profile ("don\'t know" where it is silent)',
    )
    interview.add_argument("--json", action="store_true", help="print the questions asked and the results as JSON")
    interview.add_argument(
        "--country",
        metavar="NAME",
        help="the patient's country (else asked once, optional): trials with a site there come first; each result says where",
    )
    interview.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also save a summary (Markdown if FILE ends in .md, else plain text)",
    )
    interview.add_argument(
        "--fhir", type=Path, metavar="FILE", help="also save the answers as a FHIR R4 QuestionnaireResponse (JSON)"
    )
    interview.add_argument(
        "--force",
        action="store_true",
        help="let --summary and --fhir replace a file that exists (never the --answers file)",
    )

    questionnaire = commands.add_parser(
        "questionnaire",
        help="print the question bank as a FHIR R4 Questionnaire",
        description="Print the whole question bank as a FHIR R4 Questionnaire (JSON), for a clinic's record system.",
    )
    questionnaire.add_argument(
        "--mode", choices=["patient", "nurse"], default="patient", help="which wording to export"
    )

    check = commands.add_parser(
        "check",
        help="validate the catalogue and count its criteria",
        description="Validate every trial file and every rule against the fact vocabulary. Prints, per trial, how many checks are reviewed rules, drafts (not yet reviewed), to encode, and judged by the study team. Exits 1 on any error.",
    )
    check.add_argument("--json", action="store_true", help="print the counts as JSON")

    importer = commands.add_parser(
        "import",
        help="import ClinicalTrials.gov records (API v2 JSON, classic XML) into the catalogue",
        description="Write one trial file per study of each ClinicalTrials.gov record: API v2 JSON (a study, or a search page with 'studies') "
        "or the classic XML of the registry's bulk archive (<clinical_study>); a folder imports every *.json and *.xml in it. "
        "Criteria are split into numbered items with drafted rules (status: draft) or marked to_encode; nothing is evaluated until a person reviews it. "
        "A trial already in the catalogue is merged: reviewed rules whose text is unchanged are kept, changed ones go back to draft with a note, "
        "and every change is reported. Exits 2 if a file or study could not be imported (the others still are).",
    )
    importer.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE_OR_FOLDER",
        help="ClinicalTrials.gov records (API v2 JSON, classic XML), or folders of them",
    )
    importer.add_argument(
        "--out", type=Path, metavar="DIR", help="write the trial files here (default: the catalogue folder)"
    )

    serve = commands.add_parser(
        "serve",
        help="serve the app to a browser on this machine (kiosks with a browser; needs the 'serve' extra)",
        description="Serve the app with textual-serve at http://HOST:PORT for a browser on this machine: each browser tab "
        "gets its own app (kiosk mode by default, with the staff PIN from --pin or $TRIALMATCH_PIN and the --idle-seconds, "
        "--catalogue and --no-cache options given before 'serve'). Listens on this machine only (textual-serve has no login); "
        "the page loads nothing from the internet. Install with: pip install -e '.[serve]'.",
    )
    serve.add_argument("--host", default="localhost", help="localhost (default), 127.0.0.1 or ::1")
    serve.add_argument("--port", type=_port, default=8000, help="port, 1 to 65535 (default 8000)")
    serve.add_argument(
        "--mode",
        dest="serve_mode",
        choices=["patient", "nurse", "kiosk"],
        default="kiosk",
        help="the app's mode in the browser (default kiosk)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trialmatch`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.locale = resolve_locale(args.lang or os.environ.get(LANG_ENV) or DEFAULT_LOCALE)
    except LocaleError as exc:
        print(f"trialmatch: --lang: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.locale_chosen = bool(args.lang or os.environ.get(LANG_ENV))
    try:
        if args.command == "match":
            return command_match(args, sys.stdout)
        if args.command == "facts":
            return command_facts(args, sys.stdout)
        if args.command == "check":
            return command_check(args, sys.stdout)
        if args.command == "import":
            return command_import(args, sys.stdout)
        if args.command == "interview":
            return command_interview(args, sys.stdout)
        if args.command == "questionnaire":
            return command_questionnaire(args, sys.stdout)
        if args.command == "serve":
            return command_serve(args)
    except BrokenPipeError:  # `trialmatch match ... | head`
        return EXIT_OK
    if args.command is None:
        return command_app(args)
    parser.print_help()
    return EXIT_OK


MIN_PIN_DIGITS = 4


def _idle_seconds(text: str) -> float:
    """--idle-seconds: a finite number of seconds above 0 (nan or inf would turn the kiosk's wipe off)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0, e.g. 180")
    return seconds


def _port(text: str) -> int:
    """--port: a TCP port, 1 to 65535."""
    if not text.strip().isdecimal() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: give a port number from 1 to 65535, e.g. 8000")
    return int(text)


def pin_problem(pin: str | None) -> str | None:
    """Why a staff PIN is refused: it must be at least 4 digits (0-9)."""
    if pin is None or (pin.isascii() and pin.isdigit() and len(pin) >= MIN_PIN_DIGITS):
        return None
    return f"the staff PIN (--pin or $TRIALMATCH_PIN) must be at least {MIN_PIN_DIGITS} digits (0-9)"


def command_app(args: argparse.Namespace) -> int:
    """The full-screen app; Textual is imported only here, so the other commands start fast."""
    from tui.app import run_app

    problem = pin_problem(args.pin or os.environ.get("TRIALMATCH_PIN") or None)
    if problem:
        print(f"trialmatch: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT

    return run_app(
        args.catalogue,
        mode=args.app_mode,
        pin=args.pin,
        idle_seconds=args.idle_seconds,
        no_cache=args.no_cache,
        country=args.app_country,
        locale=args.locale if args.locale_chosen else None,
    )


def command_serve(args: argparse.Namespace) -> int:
    """The app in a browser on this machine (textual-serve); each connection runs ``python -m tui``."""
    from tui.serve import ServeError, make_server

    pin = args.pin or os.environ.get("TRIALMATCH_PIN")
    if args.serve_mode == "kiosk" and not pin:
        print(
            "trialmatch: kiosk mode needs a staff PIN (--pin or $TRIALMATCH_PIN) so staff can close it", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    problem = pin_problem(pin)
    if problem:
        print(f"trialmatch: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    app_args = ["--mode", args.serve_mode, "--idle-seconds", str(args.idle_seconds)]
    if args.catalogue:
        app_args += ["--catalogue", str(Path(args.catalogue).resolve())]
    if args.no_cache:
        app_args.append("--no-cache")
    if args.app_country:
        app_args += ["--country", args.app_country]
    if args.locale_chosen:
        app_args += ["--lang", args.locale]
    if pin:
        os.environ["TRIALMATCH_PIN"] = pin  # to the app processes through the environment, not their command line
    try:
        server = make_server(app_args, host=args.host, port=args.port)
    except ServeError as exc:
        print(f"trialmatch: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    busy = port_problem(args.host, args.port)
    if busy:
        print(f"trialmatch: --port {args.port}: {busy}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Trial Matcher: open http://{args.host}:{args.port} in the kiosk's browser; Ctrl+C stops serving.")
    try:
        server.serve()
    except OSError as exc:  # taken between the check and the start
        print(f"trialmatch: --port {args.port}: cannot listen there: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on HOST:PORT (in use, not allowed), if it could not."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot listen on {host}: {exc}"
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    return f"cannot listen on {address[0]}:{port} ({exc.strerror}); give another port with --port"
    return None


def _load(args: argparse.Namespace, cache: bool = True) -> tuple[Catalogue, Matcher]:
    catalogue = load_catalogue(args.catalogue, cache_dir=default_cache_dir() if cache and not args.no_cache else None)
    return catalogue, Matcher(catalogue)


def _profile_or_report(path: Path) -> Profile | None:
    """The profile, or None after listing on stderr every field that is wrong and what is accepted."""
    try:
        return load_profile(path)
    except ProfileError as exc:
        print(f"trialmatch: the profile {path} cannot be used:", file=sys.stderr)
        for where, what in exc.problems:
            print(f"  {where}: {what}", file=sys.stderr)
        return None


def command_match(args: argparse.Namespace, out: TextIO) -> int:
    profile = _profile_or_report(args.profile)
    if profile is None:
        return EXIT_BAD_INPUT
    catalogue, matcher = _load(args)
    for error in matcher.errors:
        print(f"trialmatch: warning: left out of matching: {error}", file=sys.stderr)
    if not matcher.trials:
        print("trialmatch: no trial could be loaded; run 'trialmatch check'", file=sys.stderr)
        return EXIT_CATALOGUE_ERROR
    trials = {t.nct_id: t for t in catalogue.trials}
    matched = matcher.match(profile, args.locale, all_reasons=args.all_reasons or args.met)
    arranged = arrange(matched, trials, args.country, args.near, args.all_statuses, profile.as_of)
    results, left_out = arranged.results, arranged.left_out
    where = {r.nct_id: where_words(arranged.sites.get(r.nct_id), args.country, args.locale) for r in results}
    if args.json:
        payload = {
            "as_of": profile.as_of.isoformat(),
            "notes": profile.notes,
            "trials": [
                {
                    **_result_json(r),
                    "site": where[r.nct_id],
                    "status": trials[r.nct_id].status.overall,
                    **_next_step_json(
                        r, trials[r.nct_id], profile.as_of, args.locale, matcher, args.country, args.near
                    ),
                }
                for r in results
            ],
            "left_out_closed": left_out,
        }
        indent = args.indent if args.indent is not None and args.indent >= 0 else None
        # one write of one string: json.dump would write each of ~500,000 pieces in turn at 1,000 trials
        out.write(json.dumps(payload, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":")))
        out.write("\n")
        return EXIT_OK
    texts = {r.nct_id: matcher.texts(trials[r.nct_id], args.locale) for r in results}
    shown_where = where if args.country or args.near else None
    out.write(
        render_results(
            results,
            trials,
            profile.as_of,
            profile.notes,
            "text",
            show_all=args.met,
            where=shown_where,
            locale=args.locale,
            texts=texts,
            vocabulary=matcher.vocabulary,
            country=args.country,
            near=args.near,
        )
    )
    if left_out:
        out.write(
            f"\nLeft out (completed, terminated, withdrawn or suspended): {', '.join(left_out)}; --all-statuses shows them.\n"
        )
    return EXIT_OK


def _lat_lon(text: str) -> tuple[float, float]:
    """'48.85,2.35' as (latitude, longitude)."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("give the position as LAT,LON in decimal degrees, e.g. 48.85,2.35") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError("latitude must be within -90..90 and longitude within -180..180")
    return lat, lon


def _result_json(result: TrialResult) -> dict[str, Any]:
    keep: tuple[str, ...] = ("criterion", "section", "check", "text", "plain", "study_team", "note", "yours")
    keep += ("missing", "ask", "reason", "met_from", "met_until")
    data = result.model_dump(include={"nct_id", "acronym", "title", "verdict", "doses"})
    # a window counted to a future event (first dose...): the verdict holds from / until these dates
    data["from"] = result.eligible_from.isoformat() if result.eligible_from else None
    data["until"] = result.eligible_until.isoformat() if result.eligible_until else None
    if result.not_explained:
        data["not_explained"] = result.not_explained  # a trial ruled out: its other open checks (--all-reasons)
    for group in ("failed", "unknown", "met", "study_team"):
        # the outcomes' own fields, read directly: model_dump of ~60,000 outcomes cost seconds at 1,000 trials
        data[group] = [
            {k: _json_value(o.__dict__[k]) for k in keep if o.__dict__.get(k) not in (None, [])}
            for o in getattr(result, group)
        ]
    return data


def _next_step_json(
    result: TrialResult,
    trial: Trial,
    as_of: dt.date,
    locale: str,
    matcher: Matcher,
    country: str | None,
    near: tuple[float, float] | None,
) -> dict[str, Any]:
    """``record`` (status, last update, whether it is probably out of date and why) and ``next_step``
    (null for a trial ruled out): whom to contact and how, what to bring or ask, and the same in words."""
    from questionnaires.next_step import next_step_words, record_words

    check = check_record(trial, as_of)
    words = record_words(check, locale)
    record = {
        "status": check.status,
        "last_update": check.last_update.isoformat() if check.last_update else None,
        "last_verified": check.last_verified.isoformat()[:7] if check.last_verified else None,
        "stale": check.stale,
        "why": check.why,
        "why_text": words.why,
        "address": check.address,
    }
    step = next_step_words(result, trial, locale, matcher.vocabulary, country, near)
    if step is None:
        return {"record": record, "next_step": None}
    people = [
        {
            "name": p.name,
            "role": p.role,
            "site": p.site.facility if p.site else None,
            "affiliation": p.affiliation,
            "phones": [{"international": ph.international, "as_listed": ph.listed} for ph in p.phones],
            "emails": p.emails,
        }
        for p in step.step.people
    ]
    return {
        "record": record,
        "next_step": {
            "kind": step.step.kind,
            "people": people,
            "sponsor": step.step.sponsor,
            "text": step.lines(),
        },
    }


def _json_value(value: Any) -> Any:
    """A date as ISO text; lists and texts as they are."""
    return value.isoformat() if isinstance(value, dt.date) else value


def command_interview(args: argparse.Namespace, out: TextIO) -> int:
    from questionnaires.prompt import run_prompt
    from questionnaires.replay import replay
    from questionnaires.session import Session

    problem = _export_problem(args)
    if problem:  # said before the interview, so no answer is typed in vain
        print(f"trialmatch: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    catalogue, matcher = _load(args)
    for error in matcher.errors:
        print(f"trialmatch: warning: left out of matching: {error}", file=sys.stderr)
    if args.answers is not None:
        profile = _profile_or_report(args.answers)
        if profile is None:
            return EXIT_BAD_INPUT
        session = replay(matcher, profile, args.mode)
        session.set_country(args.country)
        session.set_locale(args.locale)
    else:
        session = Session(matcher, args.mode, preset_country=args.country, locale=args.locale)
        finished = run_prompt(session, input, lambda text: print(text, file=out, flush=True))
        if not finished:
            out.write("\n" + qt("prompt.stopped", args.locale) + "\n")
            return EXIT_OK
    arranged = session.arranged_results()
    trials = {t.nct_id: t for t in catalogue.trials}
    locale = session.locale
    where = {r.nct_id: where_words(arranged.sites.get(r.nct_id), session.country, locale) for r in arranged.results}
    texts = {r.nct_id: matcher.texts(trials[r.nct_id], locale) for r in arranged.results}
    if args.json:
        payload = {
            "as_of": session.as_of.isoformat(),
            "country": session.country,
            "questions": [
                {"fact": session.bank[t.link_id].fact, "text": t.question, "answer": t.answer}
                for t in session.transcript()
                if t.applies
            ],
            "trials": [
                _result_json(r)
                | {"where": where[r.nct_id]}
                | _next_step_json(r, trials[r.nct_id], session.as_of, locale, matcher, session.country, None)
                for r in arranged.results
            ],
            "left_out": arranged.left_out,
        }
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        text = render_results(
            arranged.results,
            trials,
            session.as_of,
            session.profile.notes,
            "text",
            where=where,
            locale=locale,
            texts=texts,
            vocabulary=matcher.vocabulary,
            country=session.country,
        )
        out.write("\n" + text)
        if arranged.left_out:
            out.write("\n" + qt("prompt.left_out", locale, trials=", ".join(arranged.left_out)) + "\n")
    return _save_exports(args, session, arranged.results, trials, where, texts)


def _export_problem(args: argparse.Namespace) -> str | None:
    """Why --summary or --fhir cannot be written there, if it cannot (checked before anything is asked)."""
    for option, path in (("--summary", args.summary), ("--fhir", args.fhir)):
        if path is None:
            continue
        if args.answers is not None and path.resolve() == args.answers.resolve():
            return f"{option} {path}: is the --answers profile itself; give another file name"
        if path.is_dir():
            return f"{option} {path}: is a folder; give a file name in it"
        if not path.resolve().parent.is_dir():
            return f"{option} {path}: the folder {path.resolve().parent} does not exist; create it or give another file"
        if path.exists() and not args.force:
            return f"{option} {path}: the file exists; give another name, or add --force to replace it"
        if not os.access(path.resolve().parent, os.W_OK):
            return f"{option} {path}: the folder {path.resolve().parent} cannot be written; give another file"
    return None


def write_private(path: Path, text: str, force: bool) -> None:
    """Write an export readable by its owner only (0600); an existing file is replaced only with ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)  # a replaced file keeps no wider mode
        handle.write(text)


def _save_exports(
    args: argparse.Namespace,
    session: Any,
    results: list[TrialResult],
    trials: dict[str, Trial],
    where: dict[str, str],
    texts: dict[str, Any],
) -> int:
    """Write the exports the person asked for, and say where; exit 2 if one could not be written."""
    from questionnaires.fhir import questionnaire_response
    from questionnaires.summary import answered_lines

    code = EXIT_OK
    if args.summary is not None:
        fmt: Format = "markdown" if args.summary.suffix.lower() in (".md", ".markdown") else "text"
        text = render_results(
            results,
            trials,
            session.as_of,
            session.profile.notes,
            fmt,
            answers=answered_lines(session.transcript()),
            vocabulary=session.matcher.vocabulary,
            where=where,
            locale=session.locale,
            texts=texts,
            country=session.country,
        )
        try:
            write_private(args.summary, text, args.force)
            print(f"Summary saved to {args.summary.resolve()}", file=sys.stderr)
        except OSError as exc:
            print(f"trialmatch: --summary {args.summary}: not saved: {exc.strerror or exc}", file=sys.stderr)
            code = EXIT_BAD_INPUT
    if args.fhir is not None:
        try:
            write_private(
                args.fhir, json.dumps(questionnaire_response(session), ensure_ascii=False, indent=2) + "\n", args.force
            )
            print(f"FHIR QuestionnaireResponse saved to {args.fhir.resolve()}", file=sys.stderr)
        except OSError as exc:
            print(f"trialmatch: --fhir {args.fhir}: not saved: {exc.strerror or exc}", file=sys.stderr)
            code = EXIT_BAD_INPUT
    return code


def command_questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    from questionnaires.bank import load_bank
    from questionnaires.fhir import questionnaire

    json.dump(questionnaire(load_bank(), load_vocabulary(), args.mode), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_OK


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


def _bank_problems(matcher: Matcher) -> list[str]:
    """The question bank's fit with the catalogue (and its own validity)."""
    from questionnaires.bank import load_bank
    from questionnaires.coverage import coverage_problems, never_meaning_problems

    try:
        bank = load_bank()
    except (OSError, ValueError) as exc:
        return [f"questionnaires/data/questions.yaml cannot be loaded: {exc}"]
    return coverage_problems(matcher, bank) + never_meaning_problems(matcher.vocabulary, bank)


def translation_problems(catalogue: Catalogue, matcher: Matcher) -> tuple[list[str], int]:
    """Every patient-facing text that lacks a translation in a locale, or whose translation's
    placeholders, figures or glossary terms differ from the English; and how many English texts
    each locale translates."""
    import matcher.locale as matcher_texts
    import questionnaires.texts as interview_texts
    import tui.texts as app_texts
    from questionnaires.bank import english_question_texts, load_bank, question_translation_problems
    from trials.i18n import catalog_problems
    from trials.translations import english_texts, trial_translation_problems

    english = matcher_texts.english_texts(matcher.vocabulary, matcher.drugs)
    count = len(english_question_texts(load_bank())) + len(english)
    count += len(interview_texts.TEXTS.texts("en")) + len(app_texts.TEXTS.texts("en"))
    count += sum(len(english_texts(c.trial)) for c in matcher.trials)
    problems = question_translation_problems()
    problems += catalog_problems(matcher_texts.TEXTS, english)
    problems += catalog_problems(interview_texts.TEXTS)
    problems += catalog_problems(app_texts.TEXTS)
    for compiled in matcher.trials:
        problems += trial_translation_problems(compiled.trial, catalogue.directory)
    return problems, count


def command_check(args: argparse.Namespace, out: TextIO) -> int:
    catalogue, matcher = _load(args, cache=False)  # check reads every file itself: it never trusts the cache
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
                "drafts": sum(c.check.status == "draft" for c in checks),
                "to_encode": sum(c.check.status == "to_encode" for c in checks),
                "study_team": sum(c.evaluate is None and c.check.status == "reviewed" for c in checks),
            }
        )
    errors = [str(e) for e in matcher.errors]
    bank_problems = _bank_problems(matcher)
    errors += [f"question bank: {problem}" for problem in bank_problems]
    untranslated, texts = translation_problems(catalogue, matcher)
    errors += [f"translation: {problem}" for problem in untranslated]
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
                + f"), {row['checks']} checks: {row['rules']} reviewed rules, {row['drafts']} drafts, "
                f"{row['to_encode']} to encode, {row['study_team']} judged by the study team\n"
            )
        total = sum(r["checks"] for r in rows)
        out.write(
            f"Total: {len(rows)} trials, {total} checks: {sum(r['rules'] for r in rows)} reviewed rules, "
            f"{sum(r['drafts'] for r in rows)} drafts, {sum(r['to_encode'] for r in rows)} to encode, "
            f"{sum(r['study_team'] for r in rows)} judged by the study team; every criterion accounted for.\n"
        )
        out.write(
            f"Translations: {texts} patient-facing texts, each in {', '.join(LOCALES[1:])}: "
            f"{len(untranslated)} missing or inconsistent (placeholders, figures, glossary terms).\n"
        )
        from questionnaires.coverage import SWITCHED_OFF

        switched_off = sum(SWITCHED_OFF in problem for problem in bank_problems)
        out.write(
            f"Question bank: {switched_off} question(s) the interview can switch off while a rule still waits "
            "for their answer and nothing implies it.\n"
        )
        for error in errors:
            out.write(f"ERROR {error}\n")
        if errors:
            out.write(f"{len(errors)} error(s); the trials with errors are left out of matching.\n")
    return EXIT_CATALOGUE_ERROR if errors else EXIT_OK


def command_import(args: argparse.Namespace, out: TextIO) -> int:
    from matcher.importing import import_files

    out_dir = args.out if args.out is not None else catalogue_directory(args.catalogue)
    if out_dir.exists() and not out_dir.is_dir():
        print(f"trialmatch: --out {out_dir}: is a file; give a folder (it is created if missing)", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = import_files(args.files, out_dir)
    out.write(report.text())
    return EXIT_BAD_INPUT if report.errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
