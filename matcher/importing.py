"""``trialmatch import``: ClinicalTrials.gov records (API v2 JSON, classic XML) into catalogue trial files, and re-import.

A new trial is written with everything the record holds that the catalogue uses; its criteria
are the registry's numbered items, verbatim, each split into checks (the item's own words and
each sub-item), and every check is drafted (:mod:`matcher.drafting`): ``status: draft`` with a
proposed rule, or ``status: to_encode``. Neither is evaluated until a person reviews it. Texts a
person should rewrite (the plain summary, the plain words of arms and interventions, copied from
the registry) carry a ``# to review`` comment.

A newer record of a trial already in the catalogue is merged, never written over: what the
registry owns (titles, status, dates, design, contacts, sites) is updated; what people wrote
(plain words, participation, doses) is kept; a criterion whose text is unchanged keeps every
check as reviewed; a changed criterion keeps its checks but those whose text changed go back
to ``draft`` with a note saying what changed (rapidfuzz similarity and the words); new criteria
come in as drafts; a criterion gone from the registry is kept, as drafts, if a person had
reviewed any of it. The previous file is saved as ``NCT....yaml.bak`` and every change is
reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from matcher.drafting import Drafter, default_drafter
from matcher.verdicts import compile_trial
from trials.criteria_text import CriterionItem, fold, split_criteria, unescape
from trials.ctgov import RecordError, Study, StudyRecord, read_study_file
from trials.loader import SECTION_NAMES, TrialFileError, load_trial_file
from trials.schema import SECTIONS, Check, Criterion, OverallStatus, Trial
from trials.yaml_text import load_yaml
from trials.yaml_writer import Path_, dump_yaml

OVERALL_STATUSES = frozenset(get_args(OverallStatus))
CRITERION_MATCH = 75  # rapidfuzz ratio (0-100): a criterion this similar is the same one, reworded
CHECK_MATCH = 60  # a check's old text this similar to a new sub-item is that sub-item, reworded
TO_REVIEW = "to review: copied from the registry; write it in plain words for a patient"
EMPTY_LIST_FIELDS = {"collaborators", "contacts", "officials", "doses", "registry", "exclusion", "sites", "arms"}
_TYPE_PREFIX = re.compile(r"^\s*[A-Za-z][A-Za-z /-]{1,40}:\s*")
_BULLET = re.compile(r"^\s*(?:[*+\-•]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])\s+", re.MULTILINE)


class ImportProblem(ValueError):
    """A study that cannot become a catalogue trial (no NCT id, an expanded-access record...)."""


@dataclass
class TrialImport:
    """What happened to one study: the file written, and what changed or needs a person."""

    nct_id: str
    path: Path
    action: Literal["created", "updated", "unchanged"]
    source: str
    lines: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # reviewed, draft, to_encode, study_team
    backup: Path | None = None


@dataclass
class ImportReport:
    """Every study imported, and every file or study that could not be."""

    trials: list[TrialImport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The report for a person: per trial what was written, what changed, what to review."""
        out: list[str] = []
        for item in self.trials:
            verb = {"created": "created", "updated": "updated", "unchanged": "unchanged"}[item.action]
            counts = item.counts
            out.append(
                f"{item.nct_id}: {verb} {item.path} (from {item.source}): "
                f"{counts['reviewed']} reviewed rules, {counts['draft']} drafts, {counts['to_encode']} to encode, "
                f"{counts['study_team']} judged by the study team"
            )
            if item.backup is not None:
                out.append(f"  previous version kept as {item.backup}")
            out.extend(f"  {line}" for line in item.lines)
        for error in self.errors:
            out.append(f"error: {error}")
        imported = len(self.trials)
        out.append(
            f"{imported} {'study' if imported == 1 else 'studies'} imported"
            + (f", {len(self.errors)} could not be" if self.errors else "")
            + "."
        )
        return "\n".join(out) + "\n"


# --- one study to trial data -----------------------------------------------------------------------


@dataclass
class Converted:
    """A study as trial data (the fields of :class:`~trials.schema.Trial`), with its comments."""

    nct_id: str
    data: dict[str, Any]
    comments: dict[Path_, str]
    header: list[str]
    notes: list[str]


def convert_study(record: StudyRecord, drafter: Drafter, today: dt.date) -> Converted:
    """The trial data for one study record: registry fields, and criteria split into drafted checks."""
    study = record.study
    section = study.protocolSection
    ident = section.identificationModule
    nct_id = ident.nctId.strip()
    if not re.fullmatch(r"NCT[0-9]{8}", nct_id):
        raise ImportProblem(f"'{nct_id}' is not an NCT id (NCT and 8 digits)")
    comments: dict[Path_, str] = {}
    notes: list[str] = []
    brief = _text(ident.briefTitle) or _text(ident.officialTitle)
    if not brief:
        brief = nct_id
        comments[("brief_title",)] = "the record has no title"
        notes.append("the record has no title: the NCT id stands in for it")
    official = _text(ident.officialTitle)
    if not official:
        official = brief
        comments[("official_title",)] = "the record has one title only"
    data: dict[str, Any] = {"nct_id": nct_id}
    if ident.acronym:
        data["acronym"] = ident.acronym.strip()
    data["brief_title"] = brief
    data["official_title"] = official
    summary = _first_sentence(_text(section.descriptionModule.briefSummary) if section.descriptionModule else None)
    data["plain_summary"] = summary or brief
    comments[("plain_summary",)] = (
        "to review: the registry summary's first sentence; say in one sentence, for a patient, who the study is for and what it compares"
    )
    conditions = [
        c.strip() for c in (section.conditionsModule.conditions if section.conditionsModule else []) if c.strip()
    ]
    if not conditions:
        conditions = [brief]
        comments[("conditions",)] = "the record names no condition: the title stands in"
        notes.append("no conditions in the record")
    data["conditions"] = conditions
    version = (
        study.derivedSection.miscInfoModule.versionHolder
        if study.derivedSection and study.derivedSection.miscInfoModule
        else None
    )
    if record.format == "classic-xml":
        described = "classic ClinicalTrials.gov XML record"
        when = (
            study.protocolSection.statusModule.lastUpdatePostDateStruct if study.protocolSection.statusModule else None
        )
        note = f"{described}, last update posted {when.date if when and when.date else 'not given'}"
        data["source"] = {"kind": "clinicaltrials.gov-xml", "file": record.file.name, "note": note}
    else:
        described = "ClinicalTrials.gov API v2 record"
        note = f"{described}, version {version or 'not given'}"
        if record.position:
            note += f" (study {record.position} of a search page)"
        data["source"] = {"kind": "clinicaltrials.gov-api", "file": record.file.name, "note": note}
    data["status"] = _status(study, today, comments, notes)
    data["design"] = _design(study, comments, notes)
    enrollment = section.designModule.enrollmentInfo if section.designModule else None
    count = enrollment.count if enrollment and enrollment.count is not None and enrollment.count >= 0 else None
    data["enrollment"] = {
        "count": count if count is not None else 0,
        "type": enrollment.type if enrollment and enrollment.type in ("ESTIMATED", "ACTUAL") else "ESTIMATED",
    }
    if count is None:
        comments[("enrollment", "count")] = "not in the registry record"
    sponsors = section.sponsorCollaboratorsModule
    lead = _text(sponsors.leadSponsor.name) if sponsors and sponsors.leadSponsor else None
    lead = lead or (_text(ident.organization.fullName) if ident.organization else None)
    data["sponsor"] = {
        "lead": lead or "not given in the registry record",
        "collaborators": [
            c.name.strip() for c in (sponsors.collaborators if sponsors else []) if c.name and c.name.strip()
        ],
    }
    arms, interventions = _arms_and_interventions(study, comments, notes)
    data["arms"] = arms
    data["interventions"] = interventions
    data["participation"] = []
    comments[("participation",)] = (
        "to write: what taking part involves (randomisation and its odds, visits, scans, where medicines are taken)"
    )
    data["contacts"], data["sites"] = _contacts_and_sites(study)
    data["officials"] = _officials(study)
    countries = {site["country"] for site in data["sites"]} - {"not given in the record"}
    if len(countries) == 1:  # the country code of central contacts' phone numbers
        data["sponsor"]["country"] = countries.pop()
    data["eligibility"] = _eligibility(study, drafter, notes)
    _drop_empty(data)
    header = [
        (f"{data['acronym']}. " if "acronym" in data else "")
        + f"Imported from the {described} {record.file.name} ({note.split(', ', 1)[1]})",
        f"by `trialmatch import` on {today.isoformat()}. Criterion texts are verbatim, with markdown escapes",
        "shown as the characters they stand for. Checks marked `status: draft` carry a proposed rule that is",
        "not evaluated until a person reviews it (then delete the status line); `status: to_encode` checks",
        "still need a rule, or a study_team reason. Also to review: the lines marked below.",
    ]
    return Converted(nct_id, data, comments, header, notes)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = unescape(value).strip()
    return text or None


def _first_sentence(text: str | None) -> str | None:
    if not text:
        return None
    paragraph = text.strip().split("\n")[0].strip()
    match = re.match(r"(.{20,400}?[.!?])(?:\s|$)", paragraph)
    if match:
        return match.group(1)
    if len(paragraph) <= 400:
        return paragraph
    return paragraph[:400].rsplit(" ", 1)[0] + " ..."


def _date(value: str | None) -> tuple[dt.date | None, bool]:
    """A registry date ('2026-04-27', '2026-04' or '2026') and whether it was given to the day."""
    if not value:
        return None, True
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 3:
            return dt.date(*numbers), True
        if len(numbers) == 2:
            return dt.date(numbers[0], numbers[1], 1), False
        if len(numbers) == 1:
            return dt.date(numbers[0], 1, 1), False
    except ValueError:
        pass
    return None, True


def _status(study: Study, today: dt.date, comments: dict[Path_, str], notes: list[str]) -> dict[str, Any]:
    module = study.protocolSection.statusModule
    overall = module.overallStatus if module and module.overallStatus in OVERALL_STATUSES else "UNKNOWN"
    if module is None or module.overallStatus != overall:
        comments[("status", "overall")] = f"the record's status is {module.overallStatus if module else 'missing'}"
    status: dict[str, Any] = {"overall": overall}
    updated, _ = _date(module.lastUpdatePostDateStruct.date if module and module.lastUpdatePostDateStruct else None)
    if updated is None:
        updated, _ = _date(module.lastUpdateSubmitDate if module else None)
    if updated is None:
        updated = today
        given = (module.lastUpdatePostDateStruct.date if module and module.lastUpdatePostDateStruct else None) or (
            module.lastUpdateSubmitDate if module else None
        )
        if given:  # said as it is: a stale record must not pass for one updated today unnoticed
            comments[("status", "last_update")] = (
                f"the record's update date {given[:40]!r} is not a date: the import date stands in"
            )
            notes.append(f"the record's last-update date {given[:40]!r} is not a date")
        else:
            comments[("status", "last_update")] = "the record gives no update date: the import date stands in"
            notes.append("no last-update date in the record")
    status["last_update"] = updated
    for key, struct in (
        ("start_date", module.startDateStruct if module else None),
        ("primary_completion_date", module.primaryCompletionDateStruct if module else None),
        ("completion_date", module.completionDateStruct if module else None),
    ):
        day, exact = _date(struct.date if struct else None)
        if day is not None:
            status[key] = day
            if not exact and struct is not None:
                comments[("status", key)] = f"the registry gives {struct.date} only"
    if module and module.statusVerifiedDate:
        status["verified"] = module.statusVerifiedDate
    return status


def _design(study: Study, comments: dict[Path_, str], notes: list[str]) -> dict[str, Any]:
    module = study.protocolSection.designModule
    study_type = module.studyType if module else None
    if study_type not in ("INTERVENTIONAL", "OBSERVATIONAL"):
        if study_type:
            raise ImportProblem(f"study type {study_type} is not a trial the catalogue lists")
        study_type = "INTERVENTIONAL"
        comments[("design", "study_type")] = "the record has no design: assumed interventional"
        notes.append("no design module in the record")
    design: dict[str, Any] = {"study_type": study_type, "phases": list(module.phases) if module else []}
    info = module.designInfo if module else None
    if info is not None:
        if info.allocation:
            design["allocation"] = info.allocation
        if info.interventionModel:
            design["intervention_model"] = info.interventionModel
        if info.maskingInfo and info.maskingInfo.masking:
            masking = info.maskingInfo.masking
            if masking == "NONE":
                masking = "NONE (open label)"
            elif info.maskingInfo.whoMasked:
                masking += f" ({', '.join(info.maskingInfo.whoMasked)})"
            design["masking"] = masking
        if info.primaryPurpose:
            design["primary_purpose"] = info.primaryPurpose
        description = _text(info.interventionModelDescription)
        if description:
            design["description"] = description
    return design


def _arms_and_interventions(
    study: Study, comments: dict[Path_, str], notes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    module = study.protocolSection.armsInterventionsModule
    arms: list[dict[str, Any]] = []
    for arm in module.armGroups if module else []:
        label = _text(arm.label)
        if not label:
            continue
        description = _text(arm.description)
        entry: dict[str, Any] = {"label": label, "type": arm.type or "OTHER"}
        if description:
            entry["description"] = description
        entry["plain"] = description or label
        entry["interventions"] = [_TYPE_PREFIX.sub("", n).strip() for n in arm.interventionNames if n.strip()]
        comments[("arms", len(arms), "plain")] = TO_REVIEW
        arms.append(entry)
    interventions: list[dict[str, Any]] = []
    for intervention in module.interventions if module else []:
        name = _text(intervention.name)
        if not name:
            continue
        description = _text(intervention.description)
        entry = {"name": name, "type": intervention.type or "OTHER"}
        if description:
            entry["description"] = description
        entry["plain"] = description or name
        comments[("interventions", len(interventions), "plain")] = TO_REVIEW
        interventions.append(entry)
    if not interventions:
        named = dict.fromkeys(n for arm in (module.armGroups if module else []) for n in arm.interventionNames)
        for raw in named:
            prefix = raw.split(":", 1)[0].strip().upper() if ":" in raw else "OTHER"
            name = _TYPE_PREFIX.sub("", raw).strip()
            if name:
                comments[("interventions", len(interventions), "plain")] = TO_REVIEW
                interventions.append({"name": name, "type": prefix.replace(" ", "_"), "plain": name})
    if not interventions:
        interventions.append(
            {
                "name": "Not named in the registry record",
                "type": "OTHER",
                "plain": "The registry record names no intervention: ask the study team what taking part involves.",
            }
        )
        comments[("interventions", 0, "name")] = "the record names no intervention (the catalogue needs one)"
        notes.append("no interventions in the record")
    return arms, interventions


def _contact(raw: Any) -> dict[str, Any] | None:
    name = _text(raw.name)
    phone = _text(raw.phone)
    if phone and getattr(raw, "phoneExt", None):
        phone += f" ext. {raw.phoneExt.strip()}"
    email = _text(raw.email)
    if not name and not phone and not email:
        return None
    contact: dict[str, Any] = {"name": name or "Study contact"}
    for key, value in (("role", raw.role), ("phone", phone), ("email", email)):
        if value:
            contact[key] = value
    return contact


def _contacts_and_sites(study: Study) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    module = study.protocolSection.contactsLocationsModule
    if module is None:
        return [], []
    contacts = [c for c in (_contact(raw) for raw in module.centralContacts) if c]
    sites: list[dict[str, Any]] = []
    for location in module.locations:
        site: dict[str, Any] = {
            "facility": _text(location.facility) or _text(location.city) or "facility not named in the record"
        }
        for key in ("city", "state", "zip"):
            value = _text(getattr(location, key))
            if value:
                site[key] = value
        site["country"] = _text(location.country) or "not given in the record"
        if location.status:
            site["status"] = location.status
        if (
            location.geoPoint is not None
            and -90 <= location.geoPoint.lat <= 90
            and -180 <= location.geoPoint.lon <= 180
        ):
            site["geo"] = {"lat": location.geoPoint.lat, "lon": location.geoPoint.lon}
        site_contacts = [c for c in (_contact(raw) for raw in location.contacts) if c]
        if site_contacts:
            site["contacts"] = site_contacts
        sites.append(site)
    return contacts, sites


def _officials(study: Study) -> list[dict[str, Any]]:
    """The record's ``overallOfficials`` (name, role, affiliation); an official without a name is left out."""
    module = study.protocolSection.contactsLocationsModule
    out: list[dict[str, Any]] = []
    for raw in module.overallOfficials if module else []:
        name = _text(raw.name)
        if name:
            out.append(
                {"name": name} | {k: v for k, v in (("role", raw.role), ("affiliation", _text(raw.affiliation))) if v}
            )
    return out


def _eligibility(study: Study, drafter: Drafter, notes: list[str]) -> dict[str, Any]:
    module = study.protocolSection.eligibilityModule
    eligibility: dict[str, Any] = {"sex": "ALL"}
    if module is not None and module.sex in ("ALL", "FEMALE", "MALE"):
        eligibility["sex"] = module.sex
    if module is not None and module.minimumAge:
        eligibility["minimum_age"] = module.minimumAge
    if module is not None and module.maximumAge:
        eligibility["maximum_age"] = module.maximumAge
    eligibility["healthy_volunteers"] = bool(module.healthyVolunteers) if module else False
    registry = []
    age_text = registry_age_text(module.minimumAge if module else None, module.maximumAge if module else None)
    if age_text:
        registry.append(_criterion("age", age_text, [("age", age_text)], "registry", drafter))
    if eligibility["sex"] != "ALL":
        text = f"Sex: {eligibility['sex']}"
        registry.append(_criterion("sex", text, [("sex", text)], "registry", drafter))
    eligibility["registry"] = registry
    split = split_criteria(module.eligibilityCriteria if module else None)
    for section_name, items in (("inclusion", split.inclusion), ("exclusion", split.exclusion)):
        eligibility[section_name] = [
            _criterion(item.number, item.text, check_parts(item), section_name, drafter) for item in items
        ]
    if not eligibility["inclusion"]:
        text = "The registry record gives no inclusion criteria."
        eligibility["inclusion"] = [_criterion("none", text, [("none", text)], "inclusion", drafter)]
        notes.append("no inclusion criteria in the record (a placeholder criterion stands in)")
    return eligibility


def registry_age_text(minimum: str | None, maximum: str | None) -> str | None:
    """The registry criterion text for the structured age limits, as the hand-encoded catalogue writes it."""
    if minimum and maximum:
        return f"Minimum age: {minimum.strip()} / Maximum age: {maximum.strip()}"
    if minimum:
        return f"Minimum age: {minimum.strip()} (no maximum age)"
    if maximum:
        return f"Maximum age: {maximum.strip()} (no minimum age)"
    return None


def check_parts(item: CriterionItem) -> list[tuple[str, str]]:
    """(check id, verbatim text) for each check of a criterion: the item alone, or its own words
    (``N.0``, unless they only introduce the sub-items) and each sub-item (``N.1``, ``N.2``...)."""
    parts = item.parts
    if len(parts) <= 1:
        return [(item.number, parts[0] if parts else item.text)]
    out: list[tuple[str, str]] = []
    if not item.head_is_lead_in:
        out.append((f"{item.number}.0", parts[0]))
    out.extend((f"{item.number}.{index}", text) for index, text in enumerate(parts[1:], start=1))
    return out


def _criterion(number: str, text: str, parts: list[tuple[str, str]], section: str, drafter: Drafter) -> dict[str, Any]:
    return {
        "number": number,
        "text": text,
        "checks": [_drafted_check(check_id, check_text, section, drafter) for check_id, check_text in parts],
    }


def _drafted_check(check_id: str, text: str, section: str, drafter: Drafter) -> dict[str, Any]:
    draft = drafter.draft(text, section)  # type: ignore[arg-type]
    if draft.rule is None:
        return {"id": check_id, "text": text, "status": "to_encode"}
    return {
        "id": check_id,
        "text": text,
        "status": "draft",
        "rule": draft.rule.model_dump(exclude_defaults=True),
        "plain": draft.plain,
    }


def _drop_empty(data: dict[str, Any]) -> None:
    """Leave out empty lists whose field has a default (collaborators, site contacts...)."""
    for key in list(data):
        value = data[key]
        if isinstance(value, dict):
            _drop_empty(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _drop_empty(item)
            if not value and key in EMPTY_LIST_FIELDS:
                del data[key]


# --- a trial back to data (for merging and writing) ---------------------------------------------------------


def trial_data(trial: Trial) -> dict[str, Any]:
    """A validated trial as the data its file holds (no defaults spelled out, rules as written)."""
    data = trial.model_dump(exclude_none=True, by_alias=True)
    for index, intervention in enumerate(trial.interventions):
        for dose_index, dose in enumerate(intervention.doses):
            if dose.when is not None:
                data["interventions"][index]["doses"][dose_index]["when"] = dose.when.model_dump(exclude_defaults=True)
    for section in SECTIONS:
        data["eligibility"][section] = [criterion_data(c) for c in getattr(trial.eligibility, section)]
    _drop_empty(data)
    return data


def criterion_data(criterion: Criterion) -> dict[str, Any]:
    return {"number": criterion.number, "text": criterion.text, "checks": [check_data(c) for c in criterion.checks]}


def check_data(check: Check) -> dict[str, Any]:
    """A check as its file writes it: status only when not reviewed, the rule without defaults."""
    out: dict[str, Any] = {"id": check.id, "text": check.text}
    if check.status != "reviewed":
        out["status"] = check.status
    if check.rule is not None:
        out["rule"] = check.rule.model_dump(exclude_defaults=True)
    for key in ("plain", "study_team", "note"):
        value = getattr(check, key)
        if value is not None:
            out[key] = value
    return out


# --- re-import -------------------------------------------------------------------------------------------


def bare(text: str) -> str:
    """A criterion text for comparison: list markers dropped, whitespace folded."""
    return fold(_BULLET.sub("", text))


def describe_change(old: str, new: str, limit: int = 4) -> str:
    """The words that changed: "'≥1,500/μl' → '≥1,000/μl'; added 'within 7 days'"."""
    before, after = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        was, now = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        parts.append(f"'{was}' → '{now}'" if was and now else f"removed '{was}'" if was else f"added '{now}'")
    text = "; ".join(parts[:limit])
    return text + ("; ..." if len(parts) > limit else "") if text else "only spacing or list markers"


def merge_trial(existing: Trial, fresh: Trial, today: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The fresh record's data with everything people did on the existing trial kept; and what changed."""
    data = trial_data(fresh)
    old = trial_data(existing)
    lines: list[str] = []
    data["plain_summary"] = existing.plain_summary
    data["participation"] = list(existing.participation)
    for key in ("acronym",):
        if key not in data and key in old:
            data[key] = old[key]
    for path in (
        ("source", "file"),
        ("source", "note"),
        ("brief_title",),
        ("official_title",),
        ("status", "overall"),
        ("status", "last_update"),
        ("status", "start_date"),
        ("status", "primary_completion_date"),
        ("status", "completion_date"),
        ("enrollment", "count"),
        ("sponsor", "lead"),
    ):
        before, after = _get(old, path), _get(data, path)
        if before != after:
            lines.append(f"{'.'.join(path)}: {_shown(before)} → {_shown(after)}")
    lines.extend(_merge_people(old, data))
    lines.extend(_merge_arms(existing, data))
    for section in SECTIONS:
        merged, section_lines = _merge_section(
            section, list(getattr(existing.eligibility, section)), list(getattr(fresh.eligibility, section)), today
        )
        data["eligibility"][section] = merged
        lines.extend(section_lines)
    _drop_empty(data)
    return data, lines


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "none" if value is None else str(value)


def _merge_people(old: dict[str, Any], data: dict[str, Any]) -> list[str]:
    lines = []
    if old.get("contacts", []) != data.get("contacts", []):
        before = ", ".join(c["name"] for c in old.get("contacts", [])) or "none"
        after = ", ".join(c["name"] for c in data.get("contacts", [])) or "none"
        lines.append(f"contacts updated: {before} → {after}")
    old_sites = {s["facility"]: s for s in old.get("sites", [])}
    new_sites = {s["facility"]: s for s in data.get("sites", [])}
    added = [f for f in new_sites if f not in old_sites]
    gone = [f for f in old_sites if f not in new_sites]
    changed = [f for f in new_sites if f in old_sites and new_sites[f] != old_sites[f]]
    if added or gone or changed:
        parts = []
        if added:
            parts.append(f"+{len(added)} ({'; '.join(added)})")
        if gone:
            parts.append(f"-{len(gone)} ({'; '.join(gone)})")
        if changed:
            parts.append(f"{len(changed)} changed ({'; '.join(changed)})")
        lines.append(f"sites: {len(old_sites)} → {len(new_sites)}: " + ", ".join(parts))
    return lines


def _merge_arms(existing: Trial, data: dict[str, Any]) -> list[str]:
    """Keep the plain words people wrote for arms and interventions (and doses); say where the registry changed."""
    lines = []
    old_arms = {a.label.casefold(): a for a in existing.arms}
    for arm in data.get("arms", []):
        before = old_arms.pop(arm["label"].casefold(), None)
        if before is None:
            lines.append(f"arm added: {arm['label']} (its plain words are the registry's: to review)")
            continue
        arm["plain"] = before.plain
        if (before.description or None) != arm.get("description"):
            lines.append(f"arm {arm['label']}: the registry description changed; check its plain words")
    lines.extend(
        f"arm gone from the registry: {a.label} (its plain words are in the .bak file)" for a in old_arms.values()
    )
    old_interventions = {i.name.casefold(): i for i in existing.interventions}
    for intervention in data["interventions"]:
        before_i = old_interventions.pop(intervention["name"].casefold(), None)
        if before_i is None:
            lines.append(f"intervention added: {intervention['name']} (its plain words are the registry's: to review)")
            continue
        intervention["plain"] = before_i.plain
        if before_i.doses:
            intervention["doses"] = [
                {"dose": d.dose, **({"when": d.when.model_dump(exclude_defaults=True)} if d.when else {})}
                for d in before_i.doses
            ]
        if (before_i.description or None) != intervention.get("description"):
            lines.append(
                f"intervention {intervention['name']}: the registry description changed; check its plain words and doses"
            )
    lines.extend(
        f"intervention gone from the registry: {i.name} (its plain words and doses are in the .bak file)"
        for i in old_interventions.values()
    )
    return lines


def _merge_section(
    section: str, old: list[Criterion], new: list[Criterion], today: dt.date
) -> tuple[list[dict[str, Any]], list[str]]:
    label = SECTION_NAMES[section]
    lines: list[str] = []
    pairs: dict[int, tuple[int, float]] = {}  # new index -> (old index, similarity)
    free_old = list(range(len(old)))
    by_text: dict[str, list[int]] = {}
    for index, criterion in enumerate(old):
        by_text.setdefault(bare(criterion.text), []).append(index)
    for index, criterion in enumerate(new):
        same = by_text.get(bare(criterion.text))
        if same:
            old_index = same.pop(0)
            pairs[index] = (old_index, 100.0)
            free_old.remove(old_index)
    scored = sorted(
        (
            (fuzz.ratio(bare(new[j].text), bare(old[i].text)), new[j].number == old[i].number, j, i)
            for j in range(len(new))
            if j not in pairs
            for i in free_old
        ),
        reverse=True,
    )
    for score, _, j, i in scored:
        if score < CRITERION_MATCH or j in pairs or i not in free_old:
            continue
        pairs[j] = (i, score)
        free_old.remove(i)
    out: list[dict[str, Any]] = []
    unchanged = 0
    for j, criterion in enumerate(new):
        if j not in pairs:
            out.append(criterion_data(criterion))
            drafts = sum(c.status == "draft" for c in criterion.checks)
            lines.append(
                f"{label} {criterion.number}: new criterion ({drafts} draft, {len(criterion.checks) - drafts} to encode): "
                f"{_clip(criterion.text)}"
            )
            continue
        i, score = pairs[j]
        before = old[i]
        if score == 100.0:
            kept = criterion_data(before)
            kept["number"] = criterion.number
            _renumber(kept, before.number, criterion.number)
            out.append(kept)
            unchanged += 1
            if before.number != criterion.number:
                lines.append(f"{label} {before.number}: unchanged, now numbered {criterion.number}")
            continue
        merged, changed_lines = _changed_criterion(label, before, criterion, score, today)
        out.append(merged)
        lines.extend(changed_lines)
    for i in free_old:
        before = old[i]
        reviewed = [c for c in before.checks if c.status == "reviewed"]
        if not reviewed:
            lines.append(
                f"{label} {before.number}: gone from the registry record; dropped (nothing in it was reviewed)"
            )
            continue
        kept = criterion_data(before)
        kept["number"] = f"removed-{before.number}"
        for check in kept["checks"]:
            check["id"] = f"removed-{check['id']}"
            _back_to_draft(
                check,
                f"this criterion is no longer in the registry record (re-import {today.isoformat()}); delete it once checked",
            )
        out.append(kept)
        lines.append(
            f"{label} {before.number}: GONE from the registry record; kept as 'removed-{before.number}' with its "
            f"{len(reviewed)} reviewed check(s) back to draft, for a person to delete: {_clip(before.text)}"
        )
    _unique_ids(out)
    if unchanged:
        lines.insert(0, f"{label}: {unchanged} criteria unchanged (their checks kept as they were)")
    return out, lines


def _changed_criterion(
    label: str, before: Criterion, after: Criterion, score: float, today: dt.date
) -> tuple[dict[str, Any], list[str]]:
    lines = [
        f"{label} {after.number}: text changed ({score:.0f}% similar to {label.lower()} {before.number}): "
        f"{describe_change(bare(before.text), bare(after.text))}"
    ]
    new_text = bare(after.text)
    checks: list[dict[str, Any]] = []
    kept_pieces: list[str] = []
    used: set[int] = set()
    for check in before.checks:
        pieces = [bare(line) for line in check.text.split("\n") if bare(line)]
        if pieces and all(piece in new_text for piece in pieces):
            checks.append(check_data(check))
            kept_pieces.extend(pieces)
            continue
        scored = [
            (fuzz.ratio(bare(check.text), bare(fresh.text)), k) for k, fresh in enumerate(after.checks) if k not in used
        ]
        best = max(scored, default=None)
        if best is not None and best[0] >= CHECK_MATCH:
            similarity, k = best
            used.add(k)
            fresh = after.checks[k]
            if check.status == "to_encode":
                replacement = check_data(fresh)
                replacement["id"] = check.id
                checks.append(replacement)
                continue
            change = describe_change(bare(check.text), bare(fresh.text))
            entry = check_data(check)
            entry["text"] = fresh.text
            _back_to_draft(
                entry,
                f"registry text changed on re-import {today.isoformat()} ({similarity:.0f}% similar): {change}; was: “{check.text}”",
            )
            checks.append(entry)
            lines.append(f"  check {check.id}: text changed ({change}); back to draft, its encoding kept for review")
            continue
        if check.status == "to_encode":
            lines.append(f"  check {check.id}: no longer in the text; dropped (it was not encoded)")
            continue
        entry = check_data(check)
        _back_to_draft(
            entry,
            f"its text is no longer in the registry's criterion (re-import {today.isoformat()}); review or delete",
        )
        checks.append(entry)
        lines.append(
            f"  check {check.id}: its text is no longer in the criterion; kept as a draft for a person to review"
        )
    for k, fresh in enumerate(after.checks):
        if k in used:
            continue
        remaining = bare(fresh.text)
        for piece in kept_pieces:
            remaining = remaining.replace(piece, " ")
        if len(re.sub(r"\W", "", remaining)) < 12:
            continue  # already covered by the checks kept
        checks.append(check_data(fresh))
        lines.append(f"  check {fresh.id}: new in the text, {fresh.status.replace('_', ' ')}: {_clip(fresh.text)}")
    return {"number": after.number, "text": after.text, "checks": checks}, lines


def _back_to_draft(check: dict[str, Any], why: str) -> None:
    """A reviewed check whose text changed: kept, with its rule or study-team reason, but not evaluated."""
    if check.get("status") == "to_encode":
        check["note"] = why
        return
    check["status"] = "draft"
    earlier = check.get("note")
    check["note"] = why + (f" Earlier note: {earlier}" if earlier else "")
    # keep the key order of the file format: id, text, status, rule, plain, study_team, note
    order = ("id", "text", "status", "rule", "plain", "study_team", "note")
    reordered = {k: check[k] for k in order if k in check}
    check.clear()
    check.update(reordered)


def _renumber(criterion: dict[str, Any], old_number: str, new_number: str) -> None:
    if old_number == new_number:
        return
    for check in criterion["checks"]:
        if check["id"] == old_number:
            check["id"] = new_number
        elif check["id"].startswith(old_number + "."):
            check["id"] = new_number + check["id"][len(old_number) :]


def _unique_ids(criteria: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for criterion in criteria:
        for check in criterion["checks"]:
            base, suffix = check["id"], 1
            while check["id"] in seen:
                suffix += 1
                check["id"] = f"{base}-{suffix}"
            seen.add(check["id"])


def _clip(text: str, width: int = 90) -> str:
    flat = fold(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --- files -------------------------------------------------------------------------------------------------


def check_counts(trial: Trial) -> Counter[str]:
    """Reviewed rules, drafts, to-encode items and study-team items of a trial."""
    counts: Counter[str] = Counter({"reviewed": 0, "draft": 0, "to_encode": 0, "study_team": 0})
    for section in SECTIONS:
        for criterion in getattr(trial.eligibility, section):
            for check in criterion.checks:
                if check.status != "reviewed":
                    counts[check.status] += 1
                elif check.rule is not None:
                    counts["reviewed"] += 1
                else:
                    counts["study_team"] += 1
    return counts


def import_files(
    paths: Iterable[Path],
    out_dir: Path,
    today: dt.date | None = None,
    drafter: Drafter | None = None,
    check_written: bool = True,
) -> ImportReport:
    """Import every study of every file into ``out_dir`` (one ``NCT....yaml`` per study).

    A file or study that cannot be read is reported and the others still import. With
    ``check_written``, every file written is read back with the catalogue loader and compiled.
    """
    today = today or dt.date.today()
    drafter = drafter or default_drafter()
    report = ImportReport()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.errors.append(
            f"{out_dir}: cannot be used as the output folder (give a folder that can be written): {exc}"
        )
        return report
    for path in record_files(paths):
        records, errors = read_study_file(path)
        report.errors.extend(str(e) for e in errors)
        for record in records:
            try:
                report.trials.append(import_study(record, out_dir, today, drafter, check_written))
            except ImportProblem as exc:
                report.errors.append(str(RecordError(record.file, str(exc), record.position)))
            except OSError as exc:  # a folder where a file goes, no permission: this study only
                report.errors.append(str(RecordError(record.file, f"was not written: {exc}", record.position)))
    return report


def record_files(paths: Iterable[Path]) -> list[Path]:
    """The files to import: each file named, and the records (``*.json``, ``*.xml``) of each folder named."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".xml")))
        else:
            out.append(path)
    return out


def import_study(
    record: StudyRecord, out_dir: Path, today: dt.date, drafter: Drafter, check_written: bool = True
) -> TrialImport:
    """Write (or merge into) the catalogue file of one study."""
    converted = convert_study(record, drafter, today)
    fresh = _validated(converted.data, record)
    target = out_dir / f"{converted.nct_id}.yaml"
    source = record.file.name + (f" study {record.position}" if record.position else "")
    if not target.exists():
        text = dump_yaml(converted.data, converted.header, converted.comments)
        _write(target, text, drafter, check_written)
        result = TrialImport(converted.nct_id, target, "created", source, counts=check_counts(fresh))
        result.lines.extend(f"note: {n}" for n in converted.notes)
        result.lines.extend(_to_review(converted.data))
        return result
    try:
        existing = load_trial_file(target)
    except TrialFileError as exc:
        raise ImportProblem(
            f"{target} exists but does not load, so it was left as it is; fix it (or move it away) and import again:\n"
            + str(exc)
        ) from exc
    previous_text = target.read_text(encoding="utf-8")
    data, lines = merge_trial(existing, fresh, today)
    merged = _validated(data, record)
    if trial_data(merged) == trial_data(existing):
        return TrialImport(converted.nct_id, target, "unchanged", source, ["no change"], check_counts(merged))
    header = [line[2:] if line.startswith("# ") else line[1:] for line in _leading_comments(previous_text)]
    header = [line for line in header if not line.startswith("Re-imported from")]
    header.append(
        f"Re-imported from {record.file.name} on {today.isoformat()}; the previous file is {target.name}.bak."
    )
    comments = _comments_for_merged(converted.comments, data)
    backup = target.with_name(target.name + ".bak")
    backup.write_text(previous_text, encoding="utf-8")
    _write(target, dump_yaml(data, header, comments), drafter, check_written)
    result = TrialImport(converted.nct_id, target, "updated", source, lines, check_counts(merged), backup)
    return result


def _validated(data: dict[str, Any], record: StudyRecord) -> Trial:
    try:
        return Trial.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ImportProblem(f"the record does not make a valid trial: {problems}") from exc


def _write(target: Path, text: str, drafter: Drafter, check_written: bool) -> None:
    """Write a trial file atomically; with ``check_written``, only once its text reads back as a trial whose
    reviewed rules compile (a file that would be left out of matching is never written)."""
    if check_written:
        try:
            trial = Trial.model_validate(load_yaml(text))
        except (ValidationError, yaml.YAMLError) as exc:  # pragma: no cover - the writer's output always loads
            raise ImportProblem(f"the text written for {target.name} does not read back as a trial: {exc}") from exc
        _, errors = compile_trial(trial, drafter.vocabulary, drafter.drugs, target)
        if errors:
            raise ImportProblem(
                f"{target.name} was not written: its reviewed rules do not compile: "
                + "; ".join(str(e) for e in errors)
            )
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)


def _leading_comments(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _comments_for_merged(fresh_comments: dict[Path_, str], data: dict[str, Any]) -> dict[Path_, str]:
    """Keep the importer's comments that still apply (not 'to review' on texts a person already wrote)."""
    keep: dict[Path_, str] = {}
    for path, text in fresh_comments.items():
        if path[0] in ("plain_summary", "participation"):
            continue
        if path[0] in ("arms", "interventions") and path[-1] == "plain":
            items = data.get(path[0], [])
            index = path[1]
            if (
                isinstance(index, int)
                and index < len(items)
                and items[index].get("plain") != items[index].get("description")
            ):
                continue  # a person's words, not the registry's
        keep[path] = text
    return keep


def _to_review(data: dict[str, Any]) -> list[str]:
    return [
        "to review: plain_summary, participation, the plain words of "
        f"{len(data.get('arms', []))} arm(s) and {len(data['interventions'])} intervention(s), doses, and every draft"
    ]
