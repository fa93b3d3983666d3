"""The interaction table: which current medicines a trial cares about, and what they say about a patient.

The table is data (``matcher/data/interactions.yaml``): categories (strong CYP3A4 inhibitors,
anticoagulants, ...) of drug ids from ``matcher/data/drugs.yaml``, each entry with its public
source and the date it was taken. Each category gives one derived yes/no fact, computed from the
``current_medications`` list: yes when a listed medicine is taken, no when every medicine was
recognised and none is listed, unknown otherwise (an unrecognised name is never guessed).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from matcher.drugs import DrugVocabulary
from matcher.values import Members
from trials.yaml_text import load_yaml

INTERACTIONS_FILE = Path(__file__).parent / "data" / "interactions.yaml"
MEDICATIONS = "current_medications"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A public list an entry was taken from."""

    title: str = Field(min_length=1)
    url: HttpUrl


class Entry(_Model):
    """One drug of a category, with where and when it was taken from."""

    drug: str
    source: str
    taken: dt.date
    certain: bool = True  # False: the source does not settle the category's wording (the study team decides)
    why: str | None = None

    @model_validator(mode="after")
    def _uncertain_says_why(self) -> Entry:
        if not self.certain and not self.why:
            raise ValueError(f"entry {self.drug!r} is not certain: say why")
        return self


class Category(_Model):
    """Drugs that share an interaction (or an effect) a trial excludes."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fact: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    blood_thinners: list[str] = Field(default_factory=list)  # answers of the blood_thinners question in the category
    drugs: list[Entry] = Field(min_length=1)


class InteractionTable(_Model):
    sources: dict[str, Source]
    categories: list[Category] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> InteractionTable:
        for category in self.categories:
            seen: set[str] = set()
            for entry in category.drugs:
                if entry.source not in self.sources:
                    raise ValueError(f"{category.id}: {entry.drug} names unknown source {entry.source!r}")
                if entry.drug in seen:
                    raise ValueError(f"{category.id}: {entry.drug} is listed twice")
                seen.add(entry.drug)
        facts = [c.fact for c in self.categories]
        if len(facts) != len(set(facts)):
            raise ValueError("two categories give the same fact")
        return self

    def problems(self, drugs: DrugVocabulary) -> list[str]:
        """Entries naming a drug the vocabulary does not know."""
        return [
            f"interactions: {category.id} lists unknown drug {entry.drug!r} (see matcher/data/drugs.yaml)"
            for category in self.categories
            for entry in category.drugs
            if entry.drug not in drugs.drugs
        ]


@lru_cache(maxsize=4)
def load_interactions(path: Path = INTERACTIONS_FILE) -> InteractionTable:
    """The interaction table, read and checked once."""
    return InteractionTable.model_validate(load_yaml(path.read_text(encoding="utf-8")))


def category_state(category: Category, medications: Members) -> bool | None:
    """True, False or None (unknown) for one category and a list of current medicines."""
    listed = {entry.drug: entry.certain for entry in category.drugs}
    taken = [listed[d] for d in medications.items if d in listed]
    if any(taken):
        return True
    if taken or not medications.complete:
        return None
    return False


def medication_facts(
    medications: Members | None, blood_thinners: Members | None = None, table: InteractionTable | None = None
) -> dict[str, bool]:
    """The derived facts the table gives for a list of current medicines and the blood_thinners answer
    (either may be None: not known). A "yes" from either wins; unknown facts are left out."""
    table = table or load_interactions()
    out: dict[str, bool] = {}
    for category in table.categories:
        states = [] if medications is None else [category_state(category, medications)]
        if blood_thinners is not None and category.blood_thinners:
            states.append(
                bool(blood_thinners.items & set(category.blood_thinners))
                or (None if not blood_thinners.complete else False)
            )
        if True in states:
            out[category.fact] = True
        elif False in states:
            out[category.fact] = False
    return out
