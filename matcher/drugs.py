"""Recognise the drug names a person types ("Tecentriq + Avastin", "lenvatanib 8 mg").

The vocabulary (generic names, brands, aliases, regimens such as FOLFOX, drug classes,
dose words to strip, score cut-offs) lives in ``matcher/data/drugs.yaml``.

Recognition splits the text into pieces on ``+ / , ; &`` (and brackets, ``|``, new
lines), the words *and, plus, with, then* and their Chinese and Korean forms (和, 及, 與, 跟, 加, 、;
과/와/하고/이랑/랑 ending a word, 및); strips dose and form words; then, per piece:

1. an exact lookup of the whole piece (score 100);
2. for a piece of several words, an exact lookup of its words and word runs
   ("Tecentriq infusion", "atezolizumab-bevacizumab"); the words left over are recognised on their
   own, so a name is never dropped: what is still not a drug is returned unrecognised (asked about);
3. fuzzy matching with QRatio against every name and alias. A match needs
   ``score_cutoff``; two different drugs within ``ambiguity_margin`` of each other are
   never guessed between, the piece is returned unrecognised with both as candidates.

Fuzzy matching uses QRatio only, not WRatio: WRatio scores a short alias found inside a
longer piece at 90 ("treme" in "extreme", "bev" in "bevel"), which is exactly the false
match this module must not make. Multi-word pieces are covered by step 2 instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process, utils

from trials.i18n import LOCALES, load_glossary
from trials.yaml_text import load_yaml

DRUGS_FILE = Path(__file__).parent / "data" / "drugs.yaml"

# Shorter pieces ("in", "A") are only recognised as exact aliases: fuzzy scores on one or
# two letters mean nothing.
MIN_FUZZY_LENGTH = 3
MAX_SUGGESTIONS = 3

# \b keeps "and" inside "Brandon" or "Sandostatin" from splitting the word.
# Chinese lists use 、，； and join names with 和, 及, 以及, 与/與, 跟, 加, 合并/合併 (never inside a drug name).
# Korean joins names with a particle on the first name (티쎈트릭과 아바스틴, 렌비마와, 아바스틴하고, 이랑,
# 랑), cut where it ends a word, or with the word 및.
_SEPARATORS = re.compile(
    r"[+/,;&|()\[\]\n、，；]|\b(?:and|plus|with|then)\b|以及|合并|合併|[和及与與跟加]"
    r"|(?<=[가-힣])(?:이랑|하고|과|와|랑)(?=\s|$)|(?<!\w)및(?!\w)",
    re.IGNORECASE,
)
_COMPOUND_PARTS = re.compile(r"(\s+|[+/,;&|])")

_REGIMEN_PREFIX = "regimen:"  # target keys: a drug id, or this prefix + a regimen id


class DrugClass(BaseModel):
    """A class of drugs a trial may include or exclude (e.g. PD-1 inhibitors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str  # plain clinical name
    plain: str  # in the patient's words
    broader: list[
        str
    ] = []  # classes every member of this one also belongs to (a PD-1 inhibitor is a checkpoint inhibitor)


class Drug(BaseModel):
    """One drug, under its generic name, with every other name it goes by."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    brands: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    classes: list[str] = Field(min_length=1)


class Regimen(BaseModel):
    """A shorthand for several drugs given together (FOLFOX, STRIDE, "A+T")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    aliases: list[str] = Field(min_length=1)
    drugs: list[str] = Field(min_length=2)


class DrugMatch(BaseModel):
    """A piece of typed text recognised as a drug."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    typed: str  # the piece as typed (whitespace-stripped), kept for traceability
    drug_id: str
    score: float  # 100 for exact hits
    exact: bool  # False: a fuzzy match, worth confirming with the person


class UnrecognisedDrug(BaseModel):
    """A piece of typed text that is no drug we know, or could be several."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    typed: str
    candidates: list[str] = []  # drug ids for "did you mean ...?", best first


class DrugRecognition(BaseModel):
    """Everything recognised in one text, and everything that was not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    matches: list[DrugMatch]
    unrecognised: list[UnrecognisedDrug]

    @property
    def drug_ids(self) -> list[str]:
        """The recognised drug ids, each once, in the order they were typed."""
        return list(dict.fromkeys(match.drug_id for match in self.matches))


class _ClassSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    plain: str
    broader: list[str] = Field(default_factory=list)


class _VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score_cutoff: float = Field(gt=0, le=100)
    suggest_cutoff: float = Field(gt=0, le=100)
    ambiguity_margin: float = Field(ge=0, le=100)
    strip_patterns: list[str] = Field(default_factory=list)
    classes: dict[str, _ClassSpec]
    drugs: list[Drug] = Field(min_length=1)
    regimens: list[Regimen] = Field(default_factory=list)


def _key(name: str) -> str:
    """The lookup key of a name: "SHR-1210", "shr 1210" and "SHR1210" all give "shr1210"."""
    return utils.default_process(name).replace(" ", "")


def _is_compound(alias: str) -> bool:
    """Whether an alias contains a separator, so would be cut apart by splitting."""
    return _SEPARATORS.search(alias) is not None


def _compound_pattern(alias: str) -> re.Pattern[str]:
    """A regex finding ``alias`` in text, with any spacing around its separators."""
    parts = []
    for part in _COMPOUND_PARTS.split(alias):
        if not part:
            continue
        if part.isspace():
            parts.append(r"\s+")
        elif _COMPOUND_PARTS.fullmatch(part):
            parts.append(r"\s*" + re.escape(part) + r"\s*")
        else:
            parts.append(re.escape(part))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


class DrugVocabulary:
    """The known drugs, classes and regimens, indexed for recognition."""

    def __init__(self, spec: _VocabularyFile, local_names: dict[str, list[str]] | None = None) -> None:
        self.classes: dict[str, DrugClass] = {
            class_id: DrugClass(id=class_id, label=c.label, plain=c.plain, broader=c.broader)
            for class_id, c in spec.classes.items()
        }
        for drug_class in self.classes.values():
            unknown_broader = [c for c in drug_class.broader if c not in self.classes]
            if unknown_broader:
                raise ValueError(
                    f"class {drug_class.id!r} names unknown broader class(es) {', '.join(unknown_broader)}"
                )
        self.drugs: dict[str, Drug] = {}
        self.regimens: dict[str, Regimen] = {}
        self.score_cutoff = spec.score_cutoff
        self.suggest_cutoff = spec.suggest_cutoff
        self.ambiguity_margin = spec.ambiguity_margin
        self._targets: dict[str, tuple[str, ...]] = {}  # target key -> drug ids
        self._exact: dict[str, str] = {}  # lookup key -> target key
        self._owner: dict[str, tuple[str, str]] = {}  # lookup key -> (target, spelling), for clash messages
        self._fuzzy_choices: list[str] = []  # parallel lists: never a dict (rapidfuzz matches dict values)
        self._fuzzy_targets: list[str] = []
        self._compounds: list[tuple[re.Pattern[str], str]] = []
        self._strip = [self._compile_strip(pattern) for pattern in spec.strip_patterns]

        for drug in spec.drugs:
            if drug.id in self.drugs:
                raise ValueError(f"drug {drug.id!r} is listed twice")
            unknown = [c for c in drug.classes if c not in self.classes]
            if unknown:
                raise ValueError(f"drug {drug.id!r} has unknown class(es) {', '.join(map(repr, unknown))}")
            self.drugs[drug.id] = drug
            self._targets[drug.id] = (drug.id,)
            for name in [drug.id.replace("_", " "), drug.name, *drug.brands, *drug.aliases]:
                self._add_name(name, drug.id)

        # Drug names as known in each language (trials/glossary/<locale>.yaml): recognised in any mode.
        for drug_id, names in (local_names or {}).items():
            if drug_id not in self.drugs:
                raise ValueError(f"the glossary names unknown drug {drug_id!r}")
            for name in names:
                self._add_name(name, drug_id)

        for regimen in spec.regimens:
            if regimen.id in self.regimens:
                raise ValueError(f"regimen {regimen.id!r} is listed twice")
            unknown = [d for d in regimen.drugs if d not in self.drugs]
            if unknown:
                raise ValueError(f"regimen {regimen.id!r} has unknown drug(s) {', '.join(map(repr, unknown))}")
            self.regimens[regimen.id] = regimen
            target = _REGIMEN_PREFIX + regimen.id
            self._targets[target] = tuple(regimen.drugs)
            for alias in regimen.aliases:
                self._add_name(alias, target)

        # Longest first, so "atezo/bev" wins over any shorter alias inside it.
        self._compounds.sort(key=lambda item: -len(item[0].pattern))
        self._longest_name = max((len(key.split()) for key in self._fuzzy_choices), default=1)

    @staticmethod
    def _compile_strip(pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)", re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"strip pattern {pattern!r} is not a valid regex: {error}") from error

    def _add_name(self, name: str, target: str) -> None:
        key = _key(name)
        if not key:
            raise ValueError(f"name {name!r} of {self._describe(target)} has no letters or digits")
        if key in self._owner and self._owner[key][0] != target:
            other, spelling = self._owner[key]
            raise ValueError(
                f"alias {name!r} of {self._describe(target)} clashes with {spelling!r} of {self._describe(other)}; "
                "every alias must name exactly one drug or regimen"
            )
        self._owner[key] = (target, name)
        if _is_compound(name):
            # Kept out of the exact table: "A+T" would otherwise make the bare word "at" a drug.
            self._compounds.append((_compound_pattern(name), target))
        else:
            self._exact[key] = target
            self._fuzzy_choices.append(utils.default_process(name))
            self._fuzzy_targets.append(target)

    @staticmethod
    def _describe(target: str) -> str:
        if target.startswith(_REGIMEN_PREFIX):
            return f"regimen {target.removeprefix(_REGIMEN_PREFIX)!r}"
        return f"drug {target!r}"

    @classmethod
    def from_file(cls, path: Path, local_names: dict[str, list[str]] | None = None) -> DrugVocabulary:
        """Read and check a vocabulary file; ValueError says what is wrong with it."""
        raw = load_yaml(Path(path).read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: expected a mapping with classes and drugs")
        return cls(_VocabularyFile.model_validate(raw), local_names)

    def with_broader(self, classes: Iterable[str]) -> frozenset[str]:
        """The classes and every broader class they imply (for treatments known only by their class)."""
        out = set(classes)
        for class_id in classes:
            drug_class = self.classes.get(class_id)
            if drug_class is not None:
                out.update(drug_class.broader)
        return frozenset(out)

    def classes_of(self, drug_id: str) -> frozenset[str]:
        """The class ids of a drug (KeyError for an unknown drug id)."""
        try:
            return frozenset(self.drugs[drug_id].classes)
        except KeyError:
            raise KeyError(f"unknown drug id {drug_id!r}") from None

    def recognise(self, text: str) -> DrugRecognition:
        """Every drug named in ``text``; never raises, whatever the text."""
        matches: list[DrugMatch] = []
        unrecognised: list[UnrecognisedDrug] = []
        for raw, compound_target in self._pieces(text or ""):
            typed = raw.strip()
            if compound_target is not None:
                matches.extend(self._matches(typed, compound_target, 100.0, exact=True))
            elif typed:
                self._recognise_piece(typed, matches, unrecognised)
        return DrugRecognition(matches=matches, unrecognised=unrecognised)

    def _pieces(self, text: str) -> Iterator[tuple[str, str | None]]:
        """Cut text into (piece, regimen target if the piece is a compound alias like "A+T")."""
        compounds: list[tuple[int, int, str | None]] = []
        for pattern, target in self._compounds:
            for found in pattern.finditer(text):
                start, end = found.span()
                if all(end <= s or start >= e for s, e, _ in compounds):
                    compounds.append((start, end, target))
        # Separators inside a dose ("15 mg/kg", "1,200 mg") or a compound alias do not cut.
        protected = [found.span() for pattern in self._strip for found in pattern.finditer(text)]
        protected += [(s, e) for s, e, _ in compounds]
        cuts: list[tuple[int, int, str | None]] = [
            (found.start(), found.end(), None)
            for found in _SEPARATORS.finditer(text)
            if all(found.end() <= s or found.start() >= e for s, e in protected)
        ]
        position = 0
        for start, end, cut_target in sorted([*cuts, *compounds], key=lambda cut: (cut[0], cut[1])):
            if start < position:
                continue
            yield text[position:start], None
            if cut_target is not None:
                yield text[start:end], cut_target
            position = end
        yield text[position:], None

    def _recognise_piece(self, typed: str, matches: list[DrugMatch], unrecognised: list[UnrecognisedDrug]) -> None:
        cleaned = typed
        for pattern in self._strip:
            cleaned = pattern.sub(" ", cleaned)
        processed = utils.default_process(cleaned)
        key = processed.replace(" ", "")
        if not key:  # only dose words or punctuation: nothing to recognise, nothing to report
            return

        target = self._exact.get(key)
        if target is not None:
            matches.extend(self._matches(typed, target, 100.0, exact=True))
            return

        word_hits, leftovers = self._exact_word_runs(processed.split())
        if word_hits:
            for target in word_hits:
                matches.extend(self._matches(typed, target, 100.0, exact=True))
            for leftover in leftovers:  # "티센트릭 아바스틴": the misspelt name is asked about, never dropped
                self._recognise_piece(leftover, matches, unrecognised)
            return

        if len(key) < MIN_FUZZY_LENGTH:
            unrecognised.append(UnrecognisedDrug(typed=typed))
            return

        ranked = self._fuzzy(processed)
        if not ranked or ranked[0][1] < self.score_cutoff:
            close = [t for t, score in ranked if score >= self.suggest_cutoff][:MAX_SUGGESTIONS]
            unrecognised.append(UnrecognisedDrug(typed=typed, candidates=self._drug_ids(close)))
            return
        best_target, best_score = ranked[0]
        rivals = [t for t, score in ranked[1:] if best_score - score <= self.ambiguity_margin]
        if rivals:  # two drugs about as likely: ask, never guess
            candidates = self._drug_ids([best_target, *rivals][:MAX_SUGGESTIONS])
            unrecognised.append(UnrecognisedDrug(typed=typed, candidates=candidates))
            return
        matches.extend(self._matches(typed, best_target, best_score, exact=False))

    def _exact_word_runs(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Targets named exactly by runs of words, longest run first, left to right; and the runs of
        words between them that name nothing exactly."""
        hits: list[str] = []
        leftovers: list[str] = []
        if len(words) < 2:
            return hits, leftovers
        index = 0
        pending: list[str] = []
        while index < len(words):
            for length in range(min(self._longest_name, len(words) - index), 0, -1):
                target = self._exact.get("".join(words[index : index + length]))
                if target is not None:
                    hits.append(target)
                    index += length
                    if pending:
                        leftovers.append(" ".join(pending))
                        pending = []
                    break
            else:
                pending.append(words[index])
                index += 1
        if pending:
            leftovers.append(" ".join(pending))
        return hits, leftovers

    def _fuzzy(self, query: str) -> list[tuple[str, float]]:
        """(target, best score) pairs, best first, one per target."""
        floor = min(self.suggest_cutoff, self.score_cutoff - self.ambiguity_margin)
        # limit=None: a drug with many aliases must not crowd a close rival out of the list.
        results = process.extract(
            query,
            self._fuzzy_choices,
            scorer=fuzz.QRatio,
            processor=utils.default_process,
            limit=None,
            score_cutoff=floor,
        )
        best: dict[str, float] = {}
        for _choice, score, index in results:  # sorted best first
            best.setdefault(self._fuzzy_targets[index], score)
        return list(best.items())

    def _drug_ids(self, targets: list[str]) -> list[str]:
        return list(dict.fromkeys(drug_id for target in targets for drug_id in self._targets[target]))

    def _matches(self, typed: str, target: str, score: float, *, exact: bool) -> list[DrugMatch]:
        return [DrugMatch(typed=typed, drug_id=d, score=score, exact=exact) for d in self._targets[target]]


def load_drug_vocabulary(path: Path | None = None) -> DrugVocabulary:
    """The drug vocabulary from ``path``, or the shipped one (read once) when ``path`` is None."""
    if path is None or Path(path) == DRUGS_FILE:
        return _default_vocabulary()
    return DrugVocabulary.from_file(Path(path))


@lru_cache(maxsize=1)
def _default_vocabulary() -> DrugVocabulary:
    local: dict[str, list[str]] = {}
    for locale in LOCALES[1:]:
        for drug_id, names in load_glossary(locale).drugs.items():
            local.setdefault(drug_id, []).extend(names)
    return DrugVocabulary.from_file(DRUGS_FILE, local)


def recognise_drugs(text: str) -> DrugRecognition:
    """Every drug named in ``text``, using the shipped vocabulary."""
    return load_drug_vocabulary().recognise(text)
