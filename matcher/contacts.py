"""Contacts a person can use, and whom to contact first for a trial (the next step).

- Phone numbers in international form (``phonenumbers``), the country code taken from the
  site's country, else the sponsor's, else the only country the trial's sites are in; when the
  number cannot be read for sure, the registry's own writing is kept beside it (or alone).
- The same person listed twice (centrally and at a site, or at two sites) appears once, with
  every phone number and e-mail address of theirs.
- Whom to contact, in order: the central contact; a site contact in the patient's country
  (nearest first when the patient's position is known); else nobody to call, and the principal
  investigators and the sponsor are named for the patient's cancer doctor to contact.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers

from matcher.catalogue_filters import distance_km, same_country
from trials.schema import Contact, Site, Trial

NextStepKind = Literal["contact", "site_contact", "ask_doctor"]
_NAME_END = re.compile(r",.*$")  # "Hong Jae Chon, MD, PhD": the name before the degrees


@dataclass(frozen=True)
class Phone:
    """A phone number: ``international`` when it could be read for sure; ``listed`` as the registry wrote it."""

    listed: str
    international: str | None = None

    @property
    def sure(self) -> bool:
        return self.international is not None

    def text(self) -> str:
        """The number to dial, else the registry's writing."""
        return self.international or self.listed


@dataclass
class Person:
    """Someone to contact (or to be contacted by the patient's doctor), with every way to reach them."""

    name: str
    role: str  # "central", "site", "principal_investigator", "official"
    site: Site | None = None  # where a site contact works
    affiliation: str | None = None  # an official's
    country: str | None = None
    phones: list[Phone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return bool(self.phones or self.emails)


@dataclass(frozen=True)
class NextStep:
    """Whom to contact first for a trial, and how; or whom to ask one's cancer doctor to contact."""

    kind: NextStepKind
    people: list[Person]  # to contact (kind contact / site_contact), or for the doctor (ask_doctor)
    sponsor: str
    sponsor_country: str | None = None


@functools.lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Country names (English, as phonenumbers writes them) to region codes ("South Korea" -> "KR")."""
    from phonenumbers import geocoder  # its geographic data takes a while to load: only when a number is shown

    names: dict[str, str] = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        example = phonenumbers.example_number(region)
        if example is not None:
            names.setdefault(geocoder.country_name_for_number(example, "en"), region)
    return names


def region_code(country: str | None) -> str | None:
    """The phone region of a country as the registry names it ("South Korea" -> "KR"), or None."""
    if not country:
        return None
    return next((code for name, code in _regions().items() if same_country(name, country)), None)


def international_phone(listed: str, country: str | None) -> Phone:
    """``listed`` in international form when it is a valid number of ``country`` (with or without its
    country code), or of whatever country a leading "+" names; else as listed."""
    region = region_code(country)
    candidates = [listed] if listed.strip().startswith("+") else [listed, "+" + listed.strip()]
    for text in candidates:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        if region is not None and phonenumbers.region_code_for_number(number) != region and text is not listed:
            continue  # a guessed "+": only if it lands in the expected country
        if region is None and text is not listed:
            continue  # no country to check a guessed "+" against
        return Phone(listed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return Phone(listed)


def trial_country(trial: Trial) -> str | None:
    """The country a trial's central contacts are in: the sponsor's, else the sites' when they are all in one."""
    if trial.sponsor.country:
        return trial.sponsor.country
    countries = {site.country for site in trial.sites if site.country}
    return countries.pop() if len(countries) == 1 else None


def _key(name: str) -> str:
    return " ".join(_NAME_END.sub("", name).casefold().replace(".", " ").split())


def people(contacts: list[tuple[Contact, str, Site | None, str | None]]) -> list[Person]:
    """The contacts as people, each once: the same name (degrees aside) is one person."""
    out: dict[str, Person] = {}
    for contact, role, site, country in contacts:
        key = _key(contact.name)
        person = out.setdefault(key, Person(contact.name, role, site, None, country))
        if contact.phone:
            phone = international_phone(contact.phone, country)
            if phone.text() not in {p.text() for p in person.phones}:
                person.phones.append(phone)
        if contact.email and contact.email.casefold() not in {e.casefold() for e in person.emails}:
            person.emails.append(contact.email)
    return list(out.values())


def trial_people(trial: Trial) -> list[Person]:
    """Every person a trial's record names, each once, central contacts first, then site contacts, then officials."""
    country = trial_country(trial)
    listed: list[tuple[Contact, str, Site | None, str | None]] = [(c, "central", None, country) for c in trial.contacts]
    for site in trial.sites:
        for contact in site.contacts:
            role = "principal_investigator" if contact.role == "PRINCIPAL_INVESTIGATOR" else "site"
            listed.append((contact, role, site, site.country or country))
    found = people(listed)
    for official in trial.officials:
        if _key(official.name) not in {_key(p.name) for p in found}:
            role = "principal_investigator" if official.role == "PRINCIPAL_INVESTIGATOR" else "official"
            found.append(Person(official.name, role, None, official.affiliation, country))
    return found


def sites_in_order(trial: Trial, country: str | None = None, near: tuple[float, float] | None = None) -> list[Site]:
    """The trial's sites in the patient's country (every site when it is not known), nearest first when
    the position is known (else as listed)."""
    sites = [s for s in trial.sites if not country or same_country(s.country, country)]
    if near is not None:
        far = float("inf")
        sites.sort(key=lambda s: distance_km(near, (s.geo.lat, s.geo.lon)) if s.geo is not None else far)
    return sites


def next_step(trial: Trial, country: str | None = None, near: tuple[float, float] | None = None) -> NextStep:
    """Whom to contact first: the central contact; a site contact in the patient's country (nearest
    first); else the principal investigators and the sponsor, for the patient's cancer doctor."""
    everyone = trial_people(trial)
    central = [p for p in everyone if p.role == "central" and p.reachable]
    if central:
        return NextStep("contact", central, trial.sponsor.lead, trial.sponsor.country)
    for site in sites_in_order(trial, country, near):
        here = [p for p in everyone if p.site == site and p.reachable]
        if here:
            return NextStep("site_contact", here, trial.sponsor.lead, trial.sponsor.country)
    named = [p for p in everyone if p.role in ("principal_investigator", "official")]
    return NextStep("ask_doctor", named, trial.sponsor.lead, trial.sponsor.country)
