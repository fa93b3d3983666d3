"""Derived facts: values computed from others (Child-Pugh, Cockcroft-Gault, age, treatment history).

A value given directly always wins. With some inputs unknown, a derived number becomes an
:class:`~matcher.values.Interval` when the known parts still bound it (a Child-Pugh score
with the INR missing is at least the sum of the known points plus one), so that a rule can
be decided without asking what cannot change the answer.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Any

from matcher.drugs import DrugVocabulary, load_drug_vocabulary
from matcher.evaluation import TRUE, Evaluator, compile_rule
from matcher.facts import Fact, Vocabulary, load_vocabulary
from matcher.interactions import MEDICATIONS, medication_facts
from matcher.profile import Profile, RecognisedTreatment, read_value
from matcher.values import AS_OF, NEVER, STILL_GOING, Interval, Lab, Members, OneOf

# ECOG grade -> the Karnofsky range it corresponds to (Oken 1982; Buccheri 1996).
ECOG_TO_KARNOFSKY: dict[int, tuple[int, int]] = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)}
CHILD_PUGH_CLASSES: tuple[tuple[str, int, int], ...] = (("A", 5, 6), ("B", 7, 9), ("C", 10, 15))
CHECKPOINT = "checkpoint_inhibitor"
CHECKPOINT_COMBINATION = "checkpoint_combination"


def derive_all(profile: Profile, drugs: DrugVocabulary | None = None) -> dict[str, Any]:
    """Every known fact of the profile: given values, plus derived ones that were not given."""
    drugs = drugs or load_drug_vocabulary()
    values = dict(profile.values)
    values[AS_OF] = profile.as_of
    _put(values, "age", age_on(values.get("date_of_birth"), profile.as_of))
    _put(values, "karnofsky", karnofsky_from_ecog(values.get("ecog")))
    _put(values, "child_pugh_score", child_pugh_score(values))
    _put(values, "child_pugh_class", child_pugh_class(values.get("child_pugh_score")))
    _put(values, "creatinine_clearance", cockcroft_gault(values))
    _put(values, "progressive_organ_count", organ_count(values.get("progressing_organs")))
    medicines = values.get(MEDICATIONS)
    thinners = values.get("blood_thinners")
    if isinstance(medicines, Members) or isinstance(thinners, Members):
        for key, flag in medication_facts(
            medicines if isinstance(medicines, Members) else None, thinners if isinstance(thinners, Members) else None
        ).items():
            _put(values, key, flag)
        _put(values, "systemic_steroids", either(values, "takes_systemic_corticosteroid", "takes_immunosuppressant"))
    if values.get("takes_cyp3a4_nti_substrate") is False:
        # Taking one is not a "no": the trial asks for it to be stopped 5 half-lives before the first
        # dose, which only the study team can arrange. So this is only ever known to be false.
        _put(values, "cyp3a4_nti_substrate_at_first_dose", False)
    if profile.treatments is not None:
        history = treatment_facts(profile.treatments, profile.as_of, drugs)
        if not profile.treatments_complete:
            history = _open_ended(history, len(profile.treatments))
        for key, value in history.items():
            _put(values, key, value)
    # Last, so that implied answers can read derived ones (none is an input of a derivation).
    apply_implications(values, load_vocabulary(), drugs)
    return values


@lru_cache(maxsize=4)
def _implications(vocabulary: Vocabulary, drugs: DrugVocabulary) -> tuple[tuple[Fact, Evaluator, Any], ...]:
    out = []
    for fact in vocabulary:
        for index, implication in enumerate(fact.implied):
            evaluate = compile_rule(implication.when, vocabulary, drugs, f"{fact.id}.implied.{index}.when")
            out.append((fact, evaluate, implied_value(fact, implication.value, implication.below, drugs)))
    return tuple(out)


def implied_value(fact: Fact, value: Any, below: float | None, drugs: DrugVocabulary) -> Any:
    """An implied answer in the shape a given one has (``below``: an interval up to just under it)."""
    if below is not None:
        low = fact.range[0] if fact.range else 0.0
        return Interval(low, math.nextafter(float(below), -math.inf))
    return read_value(fact, value, dt.date.today(), drugs, [])


def apply_implications(values: dict[str, Any], vocabulary: Vocabulary, drugs: DrugVocabulary) -> dict[str, Any]:
    """Fill in the answers other answers imply (declared in facts.yaml), until nothing changes.

    A value given (or derived) always wins: an implication only fills a fact still unknown.
    Returns the facts it filled in.
    """
    filled: dict[str, Any] = {}
    pending = [rule for rule in _implications(vocabulary, drugs) if rule[0].id not in values]
    changed = True
    while changed and pending:
        changed = False
        for fact, evaluate, value in pending:
            if fact.id not in values and evaluate(values) == TRUE:
                values[fact.id] = filled[fact.id] = value
                changed = True
        pending = [rule for rule in pending if rule[0].id not in values]
    return filled


def either(values: dict[str, Any], *keys: str) -> bool | None:
    """Yes when any of the facts is yes, no when all are no, else unknown."""
    flags = [values.get(k) for k in keys]
    if True in flags:
        return True
    return False if all(f is False for f in flags) else None


def organ_count(organs: Any) -> int | Interval | None:
    """How many organs the progressing lesions are in. Lymph nodes count at least once (each drainage
    area is an organ by the oligoprogression definitions) and "other" may be several organs, so with
    either the count is a range."""
    if not isinstance(organs, Members) or not organs.complete:
        return None
    count = len(organs.items)
    return Interval(count, 20) if organs.items & {"lymph_nodes", "other"} else count


def _put(values: dict[str, Any], key: str, value: Any) -> None:
    if key not in values and value is not None:
        values[key] = value


def age_on(born: Any, on: dt.date) -> int | None:
    """Age in whole years on a date (a birthday on that very day counts)."""
    if not isinstance(born, dt.date):
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def karnofsky_from_ecog(ecog: Any) -> float | Interval | None:
    """The Karnofsky range an ECOG grade corresponds to."""
    if not isinstance(ecog, int) or ecog not in ECOG_TO_KARNOFSKY:
        return None
    lo, hi = ECOG_TO_KARNOFSKY[ecog]
    return Interval(lo, hi)


def _points(value: float | None, cut_low: float, cut_high: float, higher_is_worse: bool) -> tuple[int, int]:
    """Child-Pugh points (1-3) for a lab value; (1, 3) when it is unknown."""
    if value is None:
        return (1, 3)
    if higher_is_worse:
        points = 1 if value < cut_low else 2 if value <= cut_high else 3
    else:
        points = 1 if value > cut_high else 2 if value >= cut_low else 3
    return (points, points)


def child_pugh_score(values: dict[str, Any]) -> int | Interval | None:
    """Child-Pugh score from bilirubin (mg/dL), albumin (g/dL), INR, ascites and encephalopathy.

    Points: bilirubin <2 / 2-3 / >3 mg/dL; albumin >3.5 / 2.8-3.5 / <2.8 g/dL; INR <1.7 /
    1.7-2.3 / >2.3; ascites none / mild / moderate-severe (seen only on a scan: 1 or 2, as
    conventions differ); encephalopathy none / grade 1-2 / grade 3-4. None if no part is known.
    """
    bilirubin = values.get("bilirubin")
    bili = bilirubin.value if isinstance(bilirubin, Lab) and isinstance(bilirubin.value, float) else None
    albumin = values.get("albumin")
    inr = values.get("inr")
    ascites = values.get("ascites")
    enceph = values.get("hepatic_encephalopathy")
    parts = [
        _points(bili, 2.0, 3.0, higher_is_worse=True),
        _points(albumin if isinstance(albumin, float) else None, 2.8, 3.5, higher_is_worse=False),
        _points(inr if isinstance(inr, float) else None, 1.7, 2.3, higher_is_worse=True),
        _choice_points(
            ascites, {"none": (1, 1), "radiological": (1, 2), "mild": (2, 2), "moderate": (3, 3), "severe": (3, 3)}
        ),
        _choice_points(enceph, {"none": (1, 1), "grade_1_2": (2, 2), "grade_3_4": (3, 3)}),
    ]
    if all(v is None for v in (bili, albumin, inr, ascites, enceph)):
        return None
    lo = sum(p[0] for p in parts)
    hi = sum(p[1] for p in parts)
    return lo if lo == hi else Interval(lo, hi)


def _choice_points(value: Any, points: dict[str, tuple[int, int]]) -> tuple[int, int]:
    # Ascites seen only on a scan is scored 1 or 2 depending on convention: a range, never a guess.
    if isinstance(value, str) and value in points:
        return points[value]
    return (1, 3)


def child_pugh_class(score: Any) -> str | OneOf | None:
    """Class A (5-6), B (7-9) or C (10-15); a set of classes when the score is a range."""
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        return next(name for name, lo, hi in CHILD_PUGH_CLASSES if lo <= score <= hi)
    if isinstance(score, Interval):
        options = frozenset(name for name, lo, hi in CHILD_PUGH_CLASSES if lo <= score.hi and score.lo <= hi)
        return next(iter(options)) if len(options) == 1 else OneOf(options)
    return None


def cockcroft_gault(values: dict[str, Any]) -> float | Interval | None:
    """Creatinine clearance (mL/min) = (140 - age) × weight kg / (72 × creatinine mg/dL), × 0.85 for women.

    With sex unknown, the range between the female and male values.
    """
    age = values.get("age")
    weight = values.get("weight")
    creatinine = values.get("creatinine")
    # a result at a detection limit ("<0.5 mg/dL") gives no single clearance: left unknown
    scr = creatinine.value if isinstance(creatinine, Lab) and isinstance(creatinine.value, float) else None
    if not isinstance(age, (int, float)) or not isinstance(weight, float) or not scr:
        return None
    male = (140 - age) * weight / (72 * scr)
    female = male * 0.85
    sex = values.get("sex")
    if sex == "male":
        return round(male, 1)
    if sex == "female":
        return round(female, 1)
    return Interval(round(female, 1), round(male, 1))


def first_line(treatments: list[RecognisedTreatment]) -> RecognisedTreatment | None:
    """The first-line regimen, or None when the history does not say which it was.

    The one marked ``line: 1`` (the earliest started if several are); else, when every regimen
    has a start date, the earliest; else, when none has a line or a date, the first listed.
    Anything else (line numbers or dates for some regimens only) is ambiguous: never guessed.
    """
    if not treatments:
        return None
    marked = [t for t in treatments if t.entry.line == 1]
    if len(marked) == 1:
        return marked[0]
    candidates = marked or treatments
    if all(t.entry.started is not None for t in candidates):
        earliest = min(t.entry.started for t in candidates if t.entry.started is not None)
        firsts = [t for t in candidates if t.entry.started == earliest]
        return firsts[0] if len(firsts) == 1 else None
    if not marked and all(t.entry.line is None and t.entry.started is None for t in treatments):
        return treatments[0]
    return None


def regimen_classes(drugs: Members) -> Members:
    """The classes of one regimen, with ``checkpoint_combination`` when it pairs a checkpoint inhibitor with another drug."""
    classes = set(drugs.classes)
    agents = len(drugs.items) + len(drugs.unnamed)
    if CHECKPOINT in classes and agents >= 2:
        classes.add(CHECKPOINT_COMBINATION)
    # Classes are complete only if every agent's classes are known: names recognised, or classes given.
    complete = all(bool(u) for u in drugs.unnamed)
    return Members(items=frozenset(classes), complete=complete)


def treatment_facts(treatments: list[RecognisedTreatment], as_of: dt.date, drugs: DrugVocabulary) -> dict[str, Any]:
    """The treatment-history facts: number of lines, drugs and classes, first-line details, dates."""
    facts: dict[str, Any] = {"prior_systemic_lines": len(treatments)}
    ordered = list(treatments)
    all_drugs = Members()
    all_classes = Members()
    for regimen in ordered:
        all_drugs = _union(all_drugs, regimen.drugs)
        all_classes = _union(all_classes, regimen_classes(regimen.drugs))
    facts["prior_drugs"] = all_drugs
    facts["prior_drug_classes"] = all_classes

    stops: list[dt.date] = []
    ongoing = False
    for regimen in ordered:
        if regimen.entry.ongoing:
            stops.append(as_of)  # still being taken
            ongoing = True
        elif regimen.entry.stopped is not None:
            stops.append(regimen.entry.stopped)
        else:
            break  # when it ended is not known: neither is the last dose
    if not ordered:
        facts["last_systemic_therapy_date"] = NEVER
    elif ongoing:
        facts["last_systemic_therapy_date"] = STILL_GOING  # a washout starts only when it stops
    elif len(stops) == len(ordered):
        facts["last_systemic_therapy_date"] = max(stops)

    if not ordered:
        facts.update(
            first_line_drugs=Members(),
            first_line_classes=Members(),
            first_line_cycles=0,
            first_line_progressed=False,
            first_line_start_date=NEVER,
            first_line_progression_date=NEVER,
        )
        return facts
    first = first_line(ordered)
    if first is None:
        return facts  # which regimen came first is not known
    facts["first_line_drugs"] = first.drugs
    facts["first_line_classes"] = regimen_classes(first.drugs)
    if first.entry.cycles is not None:
        facts["first_line_cycles"] = first.entry.cycles
    progressed = True if first.entry.progression_date is not None else first.entry.progressed
    if progressed is not None:
        facts["first_line_progressed"] = progressed
    if first.entry.started is not None:
        facts["first_line_start_date"] = first.entry.started
    if first.entry.progression_date is not None:
        facts["first_line_progression_date"] = first.entry.progression_date
    elif progressed is False:
        facts["first_line_progression_date"] = NEVER
    return facts


def _open_ended(history: dict[str, Any], listed: int) -> dict[str, Any]:
    """The history facts when more regimens than those listed may have followed: the first line is
    still known, but the count, the set of drugs and the last dose are not."""
    more = Members(complete=False, unnamed=(frozenset(),))
    history = dict(history)
    history["prior_systemic_lines"] = Interval(listed, 20)
    history["prior_drugs"] = _union(history["prior_drugs"], more)
    history["prior_drug_classes"] = _union(history["prior_drug_classes"], more)
    history.pop("last_systemic_therapy_date", None)
    if listed == 0:
        for key in [k for k in history if k.startswith("first_line_")]:
            del history[key]
    return history


def _union(a: Members, b: Members) -> Members:
    return Members(
        items=a.items | b.items,
        classes=a.classes | b.classes,
        complete=a.complete and b.complete,
        unnamed=a.unnamed + b.unnamed,
    )
