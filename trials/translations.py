"""A trial's patient-facing texts in another language: ``<catalogue>/locales/<locale>/<NCT id>.yaml``.

What is translated: the title, the plain summary, each arm's and intervention's plain words,
the intervention names and dose lines, what taking part involves, and each check's plain words
(or what the study team checks). What is not: criterion quotes, official titles, descriptions,
names of places and people, phone numbers. A trial without a translation (just imported) is
shown in English, and ``trialmatch check`` lists what is missing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from trials.i18n import DEFAULT_LOCALE, LOCALES, LocaleFileError, compare, load_locale_file, validation_message
from trials.schema import SECTIONS, Trial


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InterventionText(_Model):
    name: StrictStr
    plain: StrictStr
    doses: list[StrictStr] = Field(default_factory=list)


class TrialTranslation(_Model):
    """One trial's texts in one locale, keyed by what they translate."""

    locale: StrictStr
    nct_id: StrictStr
    title: StrictStr
    plain_summary: StrictStr
    arms: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    interventions: dict[StrictStr, InterventionText] = Field(default_factory=dict)
    participation: list[StrictStr] = Field(default_factory=list)
    checks: dict[StrictStr, StrictStr] = Field(default_factory=dict)


def check_key(section: str, check_id: str) -> str:
    """How a check is named in translation files: ``inclusion.2.1``."""
    return f"{section}.{check_id}"


def english_texts(trial: Trial) -> dict[str, str]:
    """Every patient-facing text of a trial, by translation key."""
    out = {"title": trial.brief_title, "plain_summary": trial.plain_summary}
    for arm in trial.arms:
        out[f"arms.{arm.label}"] = arm.plain
    for intervention in trial.interventions:
        out[f"interventions.{intervention.name}.name"] = intervention.name
        out[f"interventions.{intervention.name}.plain"] = intervention.plain
        for n, dose in enumerate(intervention.doses):
            out[f"interventions.{intervention.name}.doses.{n}"] = dose.dose
    for n, line in enumerate(trial.participation):
        out[f"participation.{n}"] = line
    for section in SECTIONS:
        for criterion in getattr(trial.eligibility, section):
            for check in criterion.checks:
                text = check.plain if check.rule is not None else check.study_team
                if text:
                    out[f"checks.{check_key(section, check.id)}"] = text
    return out


def translated_texts(translation: TrialTranslation) -> dict[str, str]:
    """The same keys as ``english_texts``, from a translation."""
    out = {"title": translation.title, "plain_summary": translation.plain_summary}
    out.update({f"arms.{label}": text for label, text in translation.arms.items()})
    for name, intervention in translation.interventions.items():
        out[f"interventions.{name}.name"] = intervention.name
        out[f"interventions.{name}.plain"] = intervention.plain
        out.update({f"interventions.{name}.doses.{n}": dose for n, dose in enumerate(intervention.doses)})
    out.update({f"participation.{n}": line for n, line in enumerate(translation.participation)})
    out.update({f"checks.{key}": text for key, text in translation.checks.items()})
    return out


def translation_path(catalogue_dir: Path, locale: str, nct_id: str) -> Path:
    return catalogue_dir / "locales" / locale / f"{nct_id}.yaml"


@lru_cache(maxsize=4096)
def _read(path: Path, stamp: float) -> TrialTranslation | None:
    data = load_locale_file(path)
    if not data:
        return None
    try:
        return TrialTranslation.model_validate(data)
    except ValidationError as exc:
        raise LocaleFileError(validation_message(path, exc)) from exc


def load_translation(catalogue_dir: Path, locale: str, nct_id: str) -> TrialTranslation | None:
    """A trial's translation, or None (English, or not translated yet). Raises LocaleFileError."""
    if locale == DEFAULT_LOCALE:
        return None
    path = translation_path(catalogue_dir, locale, nct_id)
    if not path.exists():
        return None
    return _read(path, path.stat().st_mtime)


class TrialTexts:
    """A trial's texts in one locale, falling back to English where a translation is missing or broken."""

    def __init__(self, trial: Trial, catalogue_dir: Path | None, locale: str) -> None:
        self.trial = trial
        self.locale = locale
        self.translated: dict[str, str] = {}
        self.error: str | None = None
        if catalogue_dir is not None and locale != DEFAULT_LOCALE:
            try:
                translation = load_translation(catalogue_dir, locale, trial.nct_id)
            except LocaleFileError as exc:
                translation, self.error = None, str(exc)
            if translation is not None:
                english = english_texts(trial)
                # Only texts whose English key still exists, and no check awaiting review: a criterion a
                # re-import changed (back to draft) shows its new English, never an older translation.
                unreviewed = {
                    f"checks.{check_key(section, check.id)}"
                    for section in SECTIONS
                    for criterion in getattr(trial.eligibility, section)
                    for check in criterion.checks
                    if check.status != "reviewed"
                }
                self.translated = {
                    k: v for k, v in translated_texts(translation).items() if k in english and k not in unreviewed
                }

    def get(self, key: str, english: str) -> str:
        """The translated text for a key, or the English given."""
        return self.translated.get(key, english)

    def check(self, section: str, check_id: str, english: str) -> str:
        return self.get(f"checks.{check_key(section, check_id)}", english)


def trial_translation_problems(trial: Trial, catalogue_dir: Path) -> list[str]:
    """Every locale's translation of a trial against its English (missing files and texts included)."""
    out: list[str] = []
    english = english_texts(trial)
    for locale in LOCALES[1:]:
        path = translation_path(catalogue_dir, locale, trial.nct_id)
        if not path.exists():
            out.append(f"{path}: missing ({len(english)} texts to translate)")
            continue
        try:
            translation = load_translation(catalogue_dir, locale, trial.nct_id)
        except LocaleFileError as exc:
            out.append(str(exc))
            continue
        assert translation is not None
        if translation.nct_id != trial.nct_id or translation.locale != locale:
            out.append(f"{path}: nct_id/locale say {translation.nct_id}/{translation.locale}")
        out += compare(english, translated_texts(translation), locale, str(path))
    return out
