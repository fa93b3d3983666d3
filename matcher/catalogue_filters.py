"""Catalogue filters: which trials a patient is shown, in what order, and where they could take part.

- Recruiting and not-yet-recruiting trials are shown; completed, terminated, withdrawn and
  suspended ones are left out unless asked for (other statuses, such as active but not
  recruiting, are shown: the registry does not say they are closed to everyone).
- Within each verdict, trials whose record is probably out of date (``matcher.record``) come after
  the current ones; then, with the patient's country, trials with a site there come first.
- Each trial's site to mention: one in the patient's country if there is one, else, with the
  patient's position (latitude, longitude), the nearest site with a geo-point, else the first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from matcher.record import is_stale
from matcher.verdicts import VERDICT_ORDER, TrialResult
from trials.schema import Site, Trial

CLOSED_STATUSES = frozenset({"COMPLETED", "TERMINATED", "WITHDRAWN", "SUSPENDED"})
COUNTRY_ALIASES = {
    "usa": "united states",
    "us": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "great britain": "united kingdom",
    "korea": "south korea",
    "republic of korea": "south korea",
    "korea, republic of": "south korea",
    "prc": "china",
    "people's republic of china": "china",
    "taiwan, province of china": "taiwan",
    "the netherlands": "netherlands",
}
EARTH_RADIUS_KM = 6371.0


class SiteChoice(BaseModel):
    """The site to mention for one trial, and why it was chosen."""

    model_config = ConfigDict(frozen=True)

    nct_id: str
    site: Site | None
    in_country: bool
    distance_km: float | None = None  # (in words: questionnaires.summary.where_words)


def same_country(site_country: str | None, country: str) -> bool:
    """Whether a site's country is the patient's (case, spacing and common short names aside)."""
    if not site_country:
        return False

    def norm(name: str) -> str:
        text = " ".join(name.casefold().replace(".", "").split())
        return COUNTRY_ALIASES.get(text, text)

    return norm(site_country) == norm(country)


def is_closed(trial: Trial) -> bool:
    """Completed, terminated, withdrawn or suspended: left out unless asked for."""
    return trial.status.overall in CLOSED_STATUSES


def has_site_in(trial: Trial, country: str) -> bool:
    return any(same_country(site.country, country) for site in trial.sites)


def filter_results(
    results: Sequence[TrialResult],
    trials: dict[str, Trial],
    include_closed: bool = False,
    country: str | None = None,
    as_of: dt.date | None = None,
) -> tuple[list[TrialResult], list[str]]:
    """The results to show (closed trials left out unless ``include_closed``), within each verdict
    trials whose record is current on ``as_of`` first, then those with a site in ``country``; and the
    NCT ids left out. The order within (``matcher.verdicts.rank``) is kept otherwise."""
    shown: list[TrialResult] = []
    left_out: list[str] = []
    for result in results:
        trial = trials.get(result.nct_id)
        if trial is not None and is_closed(trial) and not include_closed:
            left_out.append(result.nct_id)
        else:
            shown.append(result)
    if country or as_of:
        order = {id(r): i for i, r in enumerate(shown)}
        shown.sort(
            key=lambda r: (
                VERDICT_ORDER[r.verdict],
                bool(as_of and r.nct_id in trials and is_stale(trials[r.nct_id], as_of)),
                not (country and r.nct_id in trials and has_site_in(trials[r.nct_id], country)),
                order[id(r)],
            )
        )
    return shown, left_out


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def choose_site(trial: Trial, country: str | None = None, near: tuple[float, float] | None = None) -> SiteChoice:
    """The site to mention: in the patient's country (nearest first when the position is known),
    else the nearest with a geo-point, else the first listed."""
    candidates = [s for s in trial.sites if country and same_country(s.country, country)]
    in_country = bool(candidates)
    pool = candidates or list(trial.sites)
    if not pool:
        return SiteChoice(nct_id=trial.nct_id, site=None, in_country=False)
    if near is not None:
        located = [(distance_km(near, (s.geo.lat, s.geo.lon)), s) for s in pool if s.geo is not None]
        if located:
            distance, site = min(located, key=lambda item: item[0])
            return SiteChoice(nct_id=trial.nct_id, site=site, in_country=in_country, distance_km=distance)
    return SiteChoice(nct_id=trial.nct_id, site=pool[0], in_country=in_country)


def site_countries(trials: Iterable[Trial]) -> list[str]:
    """The countries the trials have sites in, as the registry names them (for "which country?")."""
    return sorted({site.country for trial in trials for site in trial.sites if site.country})


def match_country(text: str, known: Sequence[str]) -> str | None:
    """The country of ``known`` a typed name means ("korea" -> "South Korea"), or None."""
    return next((name for name in known if same_country(name, text)), None)


@dataclass(frozen=True)
class ArrangedResults:
    """The results a patient is shown, in order, with the trials left out and the site to mention per trial."""

    results: list[TrialResult]
    left_out: list[str]
    sites: dict[str, SiteChoice]
    country: str | None
    near: tuple[float, float] | None = None


def arrange(
    results: Sequence[TrialResult],
    trials: dict[str, Trial],
    country: str | None = None,
    near: tuple[float, float] | None = None,
    include_closed: bool = False,
    as_of: dt.date | None = None,
) -> ArrangedResults:
    """Closed trials left out (unless asked), current records then trials with a site in the country
    first, and each trial's site."""
    shown, left_out = filter_results(results, trials, include_closed, country, as_of)
    sites = {r.nct_id: choose_site(trials[r.nct_id], country, near) for r in shown if r.nct_id in trials}
    return ArrangedResults(shown, left_out, sites, country, near)
