"""The catalogue's trial record: identification, design, what taking part involves, sites,
contacts and the complete eligibility criteria, each criterion split into checks.

One YAML file per trial (``NCT01234567.yaml``) validates against :class:`Trial`.
The format is documented in ``trials/FORMAT.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator

from trials.rules import Rule

SECTIONS = ("registry", "inclusion", "exclusion")  # the parts of a trial's eligibility, in order
NctId = Annotated[str, Field(pattern=r"^NCT[0-9]{8}$")]  # ASCII digits only: no look-alike ids
Text = Annotated[StrictStr, Field(min_length=1)]

OverallStatus = Literal[
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ACTIVE_NOT_RECRUITING",
    "ENROLLING_BY_INVITATION",
    "COMPLETED",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
    "UNKNOWN",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # finite numbers only


class Source(_Model):
    """Where the record was encoded from, so anyone can go back to the words."""

    kind: Literal["clinicaltrials.gov-api", "clinicaltrials.gov-xml", "registry-web-page"]
    file: Text
    note: StrictStr | None = None


class Status(_Model):
    overall: OverallStatus
    last_update: dt.date | None = None  # None: the source shows no update date (none is invented)
    start_date: dt.date | None = None
    primary_completion_date: dt.date | None = None
    completion_date: dt.date | None = None
    verified: StrictStr | None = None


class Design(_Model):
    study_type: Literal["INTERVENTIONAL", "OBSERVATIONAL"]
    phases: list[StrictStr]
    allocation: StrictStr | None = None
    intervention_model: StrictStr | None = None
    masking: StrictStr | None = None
    primary_purpose: StrictStr | None = None
    description: StrictStr | None = None


class Enrollment(_Model):
    count: Annotated[int, Field(ge=0)]
    type: Literal["ESTIMATED", "ACTUAL"] = "ESTIMATED"


class Sponsor(_Model):
    lead: Text
    collaborators: list[Text] = Field(default_factory=list)
    # the lead sponsor's country: the country code of central contacts' phone numbers
    country: StrictStr | None = None


class Contact(_Model):
    name: Text
    role: StrictStr | None = None
    phone: StrictStr | None = None
    email: StrictStr | None = None


class Official(_Model):
    """A person the registry names as responsible for the study (``overallOfficials``): no phone or
    e-mail, so a patient's cancer doctor contacts them."""

    name: Text
    role: StrictStr | None = None  # PRINCIPAL_INVESTIGATOR, STUDY_CHAIR, STUDY_DIRECTOR
    affiliation: StrictStr | None = None


class GeoPoint(_Model):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Site(_Model):
    facility: Text
    city: StrictStr | None = None
    state: StrictStr | None = None
    zip: StrictStr | None = None
    country: Text
    status: StrictStr | None = None
    geo: GeoPoint | None = None
    contacts: list[Contact] = Field(default_factory=list)


class Dose(_Model):
    """One dosing line; ``when`` (a rule, usually on weight) says to whom it applies."""

    dose: Text
    when: Rule | None = None


class Intervention(_Model):
    name: Text
    type: StrictStr
    description: StrictStr | None = None
    plain: Text
    doses: list[Dose] = Field(default_factory=list)


class Arm(_Model):
    label: Text
    type: StrictStr
    description: StrictStr | None = None
    plain: Text
    interventions: list[Text] = Field(default_factory=list)


CheckStatus = Literal["reviewed", "draft", "to_encode"]


class Check(_Model):
    """One testable part of a criterion: a computable rule, or an item the study team judges.

    For an inclusion criterion the rule says what must hold; for an exclusion criterion it
    says what excludes.

    ``status`` says whether a person has reviewed the encoding. Only a ``reviewed`` rule is
    evaluated; a ``draft`` (a proposed rule or study-team item, from the importer or a changed
    registry text) and a ``to_encode`` check (neither yet) are listed as what the study team
    will check.
    """

    id: Text
    text: Text
    status: CheckStatus = "reviewed"
    rule: Rule | None = None
    plain: StrictStr | None = None
    study_team: StrictStr | None = None
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _rule_or_study_team(self) -> Check:
        if self.status == "to_encode":
            if self.rule is not None or self.study_team is not None:
                raise ValueError("a 'to_encode' check has neither 'rule' nor 'study_team' (make it 'draft' instead)")
            return self
        if (self.rule is None) == (self.study_team is None):
            raise ValueError("a check needs exactly one of 'rule' or 'study_team' (or status 'to_encode')")
        if self.rule is not None and not self.plain:
            raise ValueError("a check with a rule needs 'plain': the criterion in words a patient can follow")
        return self


class Criterion(_Model):
    """A numbered item of the registry text, quoted verbatim, and the checks it is made of."""

    number: Text
    text: Text
    checks: list[Check] = Field(min_length=1)


class Eligibility(_Model):
    sex: Literal["ALL", "FEMALE", "MALE"] = "ALL"
    minimum_age: StrictStr | None = None
    maximum_age: StrictStr | None = None
    healthy_volunteers: bool = False
    registry: list[Criterion] = Field(
        default_factory=list,
        description="limits stated in the registry's structured fields (age, sex) rather than the criteria text",
    )
    inclusion: list[Criterion] = Field(min_length=1)
    exclusion: list[Criterion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_check_ids(self) -> Eligibility:
        for section in ("registry", "inclusion", "exclusion"):
            seen: set[str] = set()
            for criterion in getattr(self, section):
                for check in criterion.checks:
                    if check.id in seen:
                        raise ValueError(f"{section} check id {check.id!r} is used twice")
                    seen.add(check.id)
        return self


class Trial(_Model):
    nct_id: NctId
    acronym: StrictStr | None = None
    brief_title: Text
    official_title: Text
    plain_summary: Text
    conditions: list[Text] = Field(min_length=1)
    source: Source
    status: Status
    design: Design
    enrollment: Enrollment
    sponsor: Sponsor
    arms: list[Arm] = Field(default_factory=list)
    interventions: list[Intervention] = Field(min_length=1)
    participation: list[Text] = Field(default_factory=list, description="what taking part involves, in plain words")
    contacts: list[Contact] = Field(default_factory=list)
    officials: list[Official] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    eligibility: Eligibility
