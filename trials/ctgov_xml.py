"""Classic ClinicalTrials.gov XML records (``<clinical_study>``) read into the API v2 models.

The registry's retired bulk archive (AllPublicXML), its old ``?displayxml=true`` view and
research corpora (TREC) hold studies in this layout: one study per file, words instead of the
API's codes ("Recruiting", "Phase 1/Phase 2", "September 1, 2022"), and text blocks with the
registry's hard line wrapping and indentation. Each field is mapped to the API v2 field it
became, so the importer reads both the same way; the criteria text block keeps its lines
(dedented), because the criteria splitter reads the line structure.

Parsed with the standard library's ``xml.etree``: it never fetches external entities, and
Python's expat (2.4.1 and later) refuses exponential entity expansion. A record has no reason
to declare entities at all, so a file that does is refused before parsing, which closes what
remains (quadratic blow-up by one large entity) without a new dependency.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trials.ctgov import RecordError, Study, StudyRecord, _problems

_CODES = {  # the XML's words whose API v2 code is not simply the words in capitals with underscores
    "Unknown status": "UNKNOWN",
    "Active, not recruiting": "ACTIVE_NOT_RECRUITING",
    "Non-Randomized": "NON_RANDOMIZED",
    "N/A": "NA",
    "Parallel Assignment": "PARALLEL",
    "Single Group Assignment": "SINGLE_GROUP",
    "Crossover Assignment": "CROSSOVER",
    "Factorial Assignment": "FACTORIAL",
    "Sequential Assignment": "SEQUENTIAL",
    "Anticipated": "ESTIMATED",
    "Accepts Healthy Volunteers": "YES",
    "Care Provider": "CARE_PROVIDER",
    "Outcomes Assessor": "OUTCOMES_ASSESSOR",
}
_PHASES = {"Early Phase 1": "EARLY_PHASE1", "Phase 1": "PHASE1", "Phase 2": "PHASE2", "Phase 3": "PHASE3"}
_PHASES |= {"Phase 4": "PHASE4", "N/A": "NA"}


def code(words: str | None) -> str | None:
    """'Active, not recruiting' -> 'ACTIVE_NOT_RECRUITING', 'Drug' -> 'DRUG'; None stays None."""
    if words is None:
        return None
    words = words.strip()
    return _CODES.get(words) or re.sub(r"[^A-Z0-9]+", "_", words.upper()).strip("_")


def iso_date(words: str | None) -> str | None:
    """'September 1, 2022' -> '2022-09-01', 'September 1996' -> '1996-09'; other text is kept as it is."""
    if not words:
        return None
    words = words.strip()
    for pattern, shape in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y-%m-%d", "%Y-%m-%d")):
        try:
            return dt.datetime.strptime(words, pattern).strftime(shape)
        except ValueError:
            continue
    return words


def block(element: ET.Element | None, lines: bool = False) -> str | None:
    """A text block's words: dedented with its line breaks (``lines``), else unwrapped into paragraphs."""
    if element is None:
        return None
    inner = element.find("textblock")
    raw = (inner if inner is not None else element).text or ""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = textwrap.dedent(raw.strip("\n")).strip()
    if lines or not text:
        return text or None
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _text(parent: ET.Element, path: str) -> str | None:
    found = parent.find(path)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def _all(parent: ET.Element, path: str) -> list[str]:
    return [" ".join(e.text.split()) for e in parent.findall(path) if e.text and e.text.strip()]


def _struct(root: ET.Element, tag: str) -> dict[str, Any] | None:
    element = root.find(tag)
    if element is None or not (element.text or "").strip():
        return None
    return {"date": iso_date(element.text), "type": code(element.get("type"))}


def _contact(element: ET.Element, role: str | None = None) -> dict[str, Any]:
    return {
        "name": _text(element, "last_name"),
        "role": role,
        "phone": _text(element, "phone"),
        "phoneExt": _text(element, "phone_ext"),
        "email": _text(element, "email"),
    }


def _masking(design: ET.Element) -> dict[str, Any] | None:
    words = _text(design, "masking")
    if not words:
        return None
    kind, _, who = words.partition("(")
    if kind.strip().startswith("None"):
        return {"masking": "NONE"}
    return {"masking": code(kind), "whoMasked": [code(w) for w in who.rstrip(")").split(",") if w.strip()]}


def study_dict(root: ET.Element) -> dict[str, Any]:
    """The API v2 shape of a ``<clinical_study>`` element (only the fields the importer reads)."""
    arms_of: dict[str, list[str]] = {}
    interventions = []
    for element in root.findall("intervention"):
        kind, name = _text(element, "intervention_type"), _text(element, "intervention_name")
        for label in _all(element, "arm_group_label"):
            arms_of.setdefault(label, []).append(f"{kind}: {name}" if kind else str(name))
        interventions.append(
            {
                "type": code(kind),
                "name": name,
                "description": block(element.find("description")),
                "otherNames": _all(element, "other_name"),
                "armGroupLabels": _all(element, "arm_group_label"),
            }
        )
    arms = [
        {
            "label": _text(arm, "arm_group_label"),
            "type": code(_text(arm, "arm_group_type")),
            "description": block(arm.find("description")),
            "interventionNames": arms_of.get(_text(arm, "arm_group_label") or "", []),
        }
        for arm in root.findall("arm_group")
    ]
    design = root.find("study_design_info")
    design_info = None
    if design is not None:
        design_info = {
            "allocation": code(_text(design, "allocation")),
            "interventionModel": code(_text(design, "intervention_model")),
            "interventionModelDescription": _text(design, "intervention_model_description"),
            "primaryPurpose": code(_text(design, "primary_purpose")),
            "maskingInfo": _masking(design),
        }
    phases = [_PHASES.get(p.strip(), code(p)) for p in (_text(root, "phase") or "").split("/") if p.strip()]
    enrollment = root.find("enrollment")
    count = None
    if enrollment is not None and (enrollment.text or "").strip().isdigit():
        count = int((enrollment.text or "").strip())
    eligibility = root.find("eligibility")
    locations = []
    for location in root.findall("location"):
        address = "facility/address/"
        locations.append(
            {
                "facility": _text(location, "facility/name"),
                "status": code(_text(location, "status")),
                "city": _text(location, address + "city"),
                "state": _text(location, address + "state"),
                "zip": _text(location, address + "zip"),
                "country": _text(location, address + "country"),
                "contacts": [_contact(c, "CONTACT") for c in location.findall("contact")]
                + [_contact(c, "CONTACT") for c in location.findall("contact_backup")],
            }
        )
    contacts = [_contact(c, "CONTACT") for c in root.findall("overall_contact")]
    contacts += [_contact(c, "CONTACT") for c in root.findall("overall_contact_backup")]
    officials = [
        {
            "name": _text(o, "last_name"),
            "affiliation": _text(o, "affiliation"),
            "role": code(_text(o, "role")),
        }
        for o in root.findall("overall_official")
    ]
    age = {key: _text(eligibility, key) if eligibility is not None else None for key in ("minimum_age", "maximum_age")}
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": _text(root, "id_info/nct_id") or "",
                "briefTitle": _text(root, "brief_title"),
                "officialTitle": _text(root, "official_title"),
                "acronym": _text(root, "acronym"),
                "orgStudyIdInfo": {"id": _text(root, "id_info/org_study_id")},
            },
            "statusModule": {
                "overallStatus": code(_text(root, "overall_status")),
                "statusVerifiedDate": iso_date(_text(root, "verification_date")),
                "startDateStruct": _struct(root, "start_date"),
                "primaryCompletionDateStruct": _struct(root, "primary_completion_date"),
                "completionDateStruct": _struct(root, "completion_date"),
                "lastUpdatePostDateStruct": _struct(root, "last_update_posted"),
                "lastUpdateSubmitDate": iso_date(_text(root, "last_update_submitted")),
                "studyFirstPostDateStruct": _struct(root, "study_first_posted"),
            },
            "sponsorCollaboratorsModule": {
                "leadSponsor": {"name": _text(root, "sponsors/lead_sponsor/agency")},
                "collaborators": [{"name": n} for n in _all(root, "sponsors/collaborator/agency")],
            },
            "descriptionModule": {
                "briefSummary": block(root.find("brief_summary")),
                "detailedDescription": block(root.find("detailed_description")),
            },
            "conditionsModule": {"conditions": _all(root, "condition"), "keywords": _all(root, "keyword")},
            "designModule": {
                "studyType": code(_text(root, "study_type")),
                "phases": phases,
                "designInfo": design_info,
                "enrollmentInfo": {
                    "count": count,
                    "type": code(enrollment.get("type")) if enrollment is not None else None,
                },
            },
            "armsInterventionsModule": {"armGroups": arms, "interventions": interventions},
            "eligibilityModule": {
                "eligibilityCriteria": block(eligibility.find("criteria"), lines=True)
                if eligibility is not None
                else None,
                "healthyVolunteers": (_text(eligibility, "healthy_volunteers") or "").startswith(("Accepts", "Yes"))
                if eligibility is not None
                else None,
                "sex": code(_text(eligibility, "gender")) if eligibility is not None else None,
                "minimumAge": None if age["minimum_age"] in (None, "N/A") else age["minimum_age"],
                "maximumAge": None if age["maximum_age"] in (None, "N/A") else age["maximum_age"],
            },
            "contactsLocationsModule": {
                "centralContacts": contacts,
                "overallOfficials": officials,
                "locations": locations,
            },
        }
    }


def parse_classic_xml(raw: bytes, path: Path) -> tuple[list[StudyRecord], list[RecordError]]:
    """The study of one classic XML file (one ``<clinical_study>``), or what is wrong with it."""
    if b"<!ENTITY" in raw:
        return [], [RecordError(path, "declares XML entities, which no registry record does: not read")]
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        return [], [RecordError(path, f"is not well-formed XML: {exc}")]
    if root.tag != "clinical_study":
        return [], [
            RecordError(
                path,
                f"is XML but not a ClinicalTrials.gov study: the root element is <{root.tag}>, "
                "a classic record's is <clinical_study>",
            )
        ]
    if not _text(root, "id_info/nct_id"):
        return [], [RecordError(path, "is a <clinical_study> without an NCT id (id_info/nct_id)")]
    try:
        study = Study.model_validate(study_dict(root))
    except ValidationError as exc:
        return [], [RecordError(path, _problems(exc))]
    return [StudyRecord(study, path, format="classic-xml")], []
