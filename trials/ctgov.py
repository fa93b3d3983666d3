"""ClinicalTrials.gov API v2 study records: the parts the catalogue uses, as pydantic models.

A file holds one study object (``{"protocolSection": ...}``) or a search page
(``{"studies": [...], "nextPageToken": ...}``); a bare list of studies is read too. A file in the
classic XML of the registry's bulk archive (``<clinical_study>``, one study per file) is read into
the same models (:mod:`trials.ctgov_xml`), so the importer has one path for both. Every module
is optional (a record without contacts or arms is still a record), unknown fields are ignored
(the API has many the catalogue does not use), and a file that is not JSON, or JSON that is not
a study, gives a :class:`RecordError` that names the file and says what is wrong, without
stopping the other files or the other studies of the same page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class DateStruct(_Part):
    date: str | None = None  # "2026-04-27" or "2026-04"
    type: str | None = None  # ACTUAL | ESTIMATED


class Organization(_Part):
    fullName: str | None = None
    class_: str | None = Field(default=None, alias="class")


class OrgStudyIdInfo(_Part):
    id: str | None = None


class IdentificationModule(_Part):
    nctId: str
    briefTitle: str | None = None
    officialTitle: str | None = None
    acronym: str | None = None
    organization: Organization | None = None
    orgStudyIdInfo: OrgStudyIdInfo | None = None


class StatusModule(_Part):
    overallStatus: str | None = None
    statusVerifiedDate: str | None = None
    startDateStruct: DateStruct | None = None
    primaryCompletionDateStruct: DateStruct | None = None
    completionDateStruct: DateStruct | None = None
    lastUpdatePostDateStruct: DateStruct | None = None
    lastUpdateSubmitDate: str | None = None
    studyFirstPostDateStruct: DateStruct | None = None


class Sponsor(_Part):
    name: str | None = None
    class_: str | None = Field(default=None, alias="class")


class SponsorCollaboratorsModule(_Part):
    leadSponsor: Sponsor | None = None
    collaborators: list[Sponsor] = Field(default_factory=list)


class DescriptionModule(_Part):
    briefSummary: str | None = None
    detailedDescription: str | None = None


class ConditionsModule(_Part):
    conditions: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class MaskingInfo(_Part):
    masking: str | None = None
    whoMasked: list[str] = Field(default_factory=list)


class DesignInfo(_Part):
    allocation: str | None = None
    interventionModel: str | None = None
    interventionModelDescription: str | None = None
    primaryPurpose: str | None = None
    maskingInfo: MaskingInfo | None = None


class EnrollmentInfo(_Part):
    count: int | None = None
    type: str | None = None


class DesignModule(_Part):
    studyType: str | None = None
    phases: list[str] = Field(default_factory=list)
    designInfo: DesignInfo | None = None
    enrollmentInfo: EnrollmentInfo | None = None


class ArmGroup(_Part):
    label: str | None = None
    type: str | None = None
    description: str | None = None
    interventionNames: list[str] = Field(default_factory=list)


class Intervention(_Part):
    type: str | None = None
    name: str | None = None
    description: str | None = None
    armGroupLabels: list[str] = Field(default_factory=list)
    otherNames: list[str] = Field(default_factory=list)


class ArmsInterventionsModule(_Part):
    armGroups: list[ArmGroup] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)


class EligibilityModule(_Part):
    eligibilityCriteria: str | None = None
    healthyVolunteers: bool | None = None
    sex: str | None = None  # ALL | FEMALE | MALE
    genderBased: bool | None = None
    genderDescription: str | None = None
    minimumAge: str | None = None  # "19 Years"; absent = no limit
    maximumAge: str | None = None
    stdAges: list[str] = Field(default_factory=list)


class Contact(_Part):
    name: str | None = None
    role: str | None = None
    phone: str | None = None
    phoneExt: str | None = None
    email: str | None = None


class Official(_Part):
    name: str | None = None
    affiliation: str | None = None
    role: str | None = None


class GeoPoint(_Part):
    lat: float
    lon: float


class Location(_Part):
    facility: str | None = None
    status: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    geoPoint: GeoPoint | None = None
    contacts: list[Contact] = Field(default_factory=list)


class ContactsLocationsModule(_Part):
    centralContacts: list[Contact] = Field(default_factory=list)
    overallOfficials: list[Official] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)


class ProtocolSection(_Part):
    identificationModule: IdentificationModule
    statusModule: StatusModule | None = None
    sponsorCollaboratorsModule: SponsorCollaboratorsModule | None = None
    descriptionModule: DescriptionModule | None = None
    conditionsModule: ConditionsModule | None = None
    designModule: DesignModule | None = None
    armsInterventionsModule: ArmsInterventionsModule | None = None
    eligibilityModule: EligibilityModule | None = None
    contactsLocationsModule: ContactsLocationsModule | None = None


class MiscInfoModule(_Part):
    versionHolder: str | None = None


class DerivedSection(_Part):
    miscInfoModule: MiscInfoModule | None = None


class Study(_Part):
    """One study record of the API (``protocolSection`` is the only part it must have)."""

    protocolSection: ProtocolSection
    derivedSection: DerivedSection | None = None
    hasResults: bool | None = None

    @property
    def nct_id(self) -> str:
        return self.protocolSection.identificationModule.nctId


@dataclass(frozen=True)
class StudyRecord:
    """A study read from a file; ``position`` is its place in a search page (1-based), None for a lone study."""

    study: Study
    file: Path
    position: int | None = None
    format: Literal["api-v2", "classic-xml"] = "api-v2"


@dataclass(frozen=True)
class RecordError:
    """A file, or one study of a file, that could not be read as a ClinicalTrials.gov study."""

    file: Path
    message: str
    position: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}: study {self.position}" if self.position else str(self.file)
        return f"{where}: {self.message}"


def read_study_file(path: Path) -> tuple[list[StudyRecord], list[RecordError]]:
    """The studies of one file, and what could not be read (a broken study does not stop the others)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [RecordError(path, f"cannot be read: {exc}")]
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        from trials.ctgov_xml import parse_classic_xml

        return parse_classic_xml(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [RecordError(path, f"cannot be read: {exc}")]
    return parse_studies(text, path)


def parse_studies(text: str, path: Path) -> tuple[list[StudyRecord], list[RecordError]]:
    """The studies of a JSON text (one study, a search page, or a list of studies)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if text.lstrip().startswith(("{'", "[{'")) or "': False" in text or "': True" in text:
            hint = " (it looks like a Python literal, with single quotes and True/False: convert it to JSON first)"
        return [], [RecordError(path, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}")]
    except RecursionError:
        return [], [RecordError(path, "is nested too deeply to be a ClinicalTrials.gov record")]
    except ValueError as exc:  # a whole number of thousands of digits
        return [], [RecordError(path, f"is not usable JSON: {str(exc)[:120]}")]
    items: Iterable[tuple[int | None, Any]]
    if isinstance(data, dict) and "studies" in data and "protocolSection" not in data:
        studies = data["studies"]
        if not isinstance(studies, list):
            return [], [RecordError(path, "has a 'studies' field that is not a list of studies")]
        items = enumerate(studies, start=1)
    elif isinstance(data, list):
        items = enumerate(data, start=1)
    else:
        items = [(None, data)]
    records: list[StudyRecord] = []
    errors: list[RecordError] = []
    for position, item in items:
        if not isinstance(item, dict) or "protocolSection" not in item:
            errors.append(
                RecordError(
                    path,
                    "is not a ClinicalTrials.gov study: a study (API v2) is an object with a 'protocolSection'; "
                    "a search page is an object with a 'studies' list",
                    position,
                )
            )
            continue
        try:
            records.append(StudyRecord(Study.model_validate(item), path, position))
        except ValidationError as exc:
            errors.append(RecordError(path, _problems(exc), position))
    if not records and not errors:
        errors.append(RecordError(path, "holds no studies"))
    return records, errors


def _problems(exc: ValidationError) -> str:
    """Pydantic's errors as 'field.path: message' pairs, the way a person reads a JSON record."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"])
        what = "is required but missing" if error["type"] == "missing" else error["msg"]
        parts.append(f"{where}: {what}")
    return "is not a usable ClinicalTrials.gov study: " + "; ".join(parts)
