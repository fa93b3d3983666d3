"""Load the catalogue: one YAML file per trial, validated, with errors that name the file,
the line, the criterion and the field. A broken file never stops the others loading.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from trials.bulk import bulk_allocation
from trials.schema import Trial
from trials.yaml_text import load_yaml

CATALOGUE_ENV = "TRIALMATCH_CATALOGUE"
CACHE_ENV = "TRIALMATCH_CACHE_DIR"
BUNDLED_CATALOGUE = Path(__file__).parent / "catalogue"

SECTION_NAMES = {"registry": "Registry", "inclusion": "Inclusion", "exclusion": "Exclusion"}


@dataclass(frozen=True)
class CatalogueError:
    """One problem in one trial file, located as precisely as the file allows."""

    file: Path
    message: str
    line: int | None = None
    criterion: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        parts = [where]
        if self.criterion:
            parts.append(self.criterion)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class TrialFileError(Exception):
    """A trial file that could not be loaded; ``errors`` says every place that is wrong."""

    def __init__(self, errors: list[CatalogueError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Catalogue:
    """The trials that loaded, the files they came from, and the errors of those that did not."""

    directory: Path
    trials: list[Trial] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    errors: list[CatalogueError] = field(default_factory=list)

    def get(self, nct_id: str) -> Trial | None:
        """The trial with this NCT id, if it loaded."""
        return next((t for t in self.trials if t.nct_id == nct_id), None)


def catalogue_directory(override: str | os.PathLike[str] | None = None) -> Path:
    """The catalogue folder: ``override``, else ``$TRIALMATCH_CATALOGUE``, else the bundled one."""
    chosen = override or os.environ.get(CATALOGUE_ENV)
    return Path(chosen).expanduser() if chosen else BUNDLED_CATALOGUE


def trial_files(directory: Path) -> list[Path]:
    """The trial files of a catalogue folder, in name order."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def unreadable_entries(directory: Path) -> list[CatalogueError]:
    """What in a catalogue folder looks like a trial file but is not read: never skipped without a word."""
    errors: list[CatalogueError] = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            errors.append(
                CatalogueError(path, f"is not read: a trial file's name ends in .yaml (rename it {path.stem}.yaml)")
            )
        elif path.suffix == ".yaml" and not path.is_file():
            if path.is_symlink() and not path.exists():
                what = "a symbolic link that leads nowhere (a loop, or a missing target)"
            elif path.is_dir():
                what = "a folder"
            else:
                what = "not a regular file"
            errors.append(CatalogueError(path, f"is not read: it is {what}, not a trial file"))
    return errors


def default_cache_dir() -> Path:
    """Where parsed catalogues are cached: ``$TRIALMATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/trialmatch``."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "trialmatch"


def load_catalogue(directory: str | os.PathLike[str] | None = None, cache_dir: Path | None = None) -> Catalogue:
    """Load every trial file of a folder; files that fail are reported in ``errors``.

    With ``cache_dir``, validated trials are kept there as JSON, keyed by each file's content
    (SHA-256) and this program's version, so an unchanged file is not parsed again and any change
    is; a cache entry that does not fit (corrupt, edited, another catalogue's) is ignored and
    rebuilt. Kiosks and ``check`` pass no cache directory: nothing is read from or written to it.
    """
    folder = catalogue_directory(directory)
    catalogue = Catalogue(directory=folder)
    if not folder.is_dir():
        catalogue.errors.append(CatalogueError(folder, "the catalogue folder does not exist"))
        return catalogue
    files = trial_files(folder)
    try:
        catalogue.errors.extend(unreadable_entries(folder))
    except OSError as exc:
        catalogue.errors.append(CatalogueError(folder, f"cannot be listed: {exc}"))
    if not files:
        catalogue.errors.append(CatalogueError(folder, "the catalogue folder holds no trial files (*.yaml)"))
    cache = _TrialCache(cache_dir, folder) if cache_dir is not None else None
    with bulk_allocation():
        _load_files(catalogue, files, cache)
    if cache:
        cache.save()
    return catalogue


def _load_files(catalogue: Catalogue, files: list[Path], cache: _TrialCache | None) -> None:
    for path in files:
        try:
            content = path.read_bytes()
        except OSError as exc:
            catalogue.errors.append(CatalogueError(path, f"cannot be read: {exc}"))
            continue
        trial = cache.get(path, content) if cache else None
        if trial is None:
            try:
                trial = load_trial_file(path, content)
            except TrialFileError as exc:
                catalogue.errors.extend(exc.errors)
                continue
            except Exception as exc:  # noqa: BLE001 - whatever is wrong in one file, the others still load
                catalogue.errors.append(CatalogueError(path, f"cannot be loaded: {type(exc).__name__}: {exc}"[:500]))
                continue
            if cache:
                cache.put(path, content, trial)
        if trial.nct_id in catalogue.files:
            catalogue.errors.append(
                CatalogueError(
                    path, f"{trial.nct_id} is already defined in {catalogue.files[trial.nct_id].name}", field="nct_id"
                )
            )
            continue
        catalogue.trials.append(trial)
        catalogue.files[trial.nct_id] = path


class _TrialCache:
    """Validated trials as JSON, one cache file per catalogue folder.

    Each entry holds the SHA-256 of the trial file it was built from, and a checksum over this
    program's version, the schema, that digest and the trial: an entry is used only when the file's
    content is the same and the checksum holds. Anything else (a corrupt file, a hand-edited or
    another catalogue's entry, a cache from another version) is ignored and rebuilt. The checksum
    catches accidents and edits, not someone who recomputes it: the cache directory is the user's own.
    """

    VERSION = 2

    def __init__(self, cache_dir: Path, folder: Path) -> None:
        digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir / f"catalogue-{digest}.json"
        self.entries: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.changed = False
        try:
            if self.path.is_file():  # never a FIFO or a device: reading one could block
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == self.VERSION and data.get("program") == _program_stamp():
                    files = data.get("files")
                    self.entries = files if isinstance(files, dict) else {}
        except (OSError, ValueError, AttributeError, RecursionError):
            self.entries = {}  # no cache yet, or an unreadable one: start afresh

    @staticmethod
    def _check(source: str, trial: str) -> str:
        return hashlib.sha256(f"{_program_stamp()}\n{source}\n{trial}".encode()).hexdigest()

    def get(self, path: Path, content: bytes) -> Trial | None:
        self.seen.add(path.name)
        entry = self.entries.get(path.name)
        if not isinstance(entry, dict):
            return None
        source, trial = entry.get("source"), entry.get("trial")
        if not isinstance(source, str) or not isinstance(trial, str) or source != hashlib.sha256(content).hexdigest():
            return None
        if entry.get("check") != self._check(source, trial):
            return None  # edited by hand, or damaged
        try:
            cached = Trial.model_validate_json(trial)
        except (ValidationError, ValueError, RecursionError):
            return None
        return cached if cached.nct_id == path.stem else None

    def put(self, path: Path, content: bytes, trial: Trial) -> None:
        source = hashlib.sha256(content).hexdigest()
        text = trial.model_dump_json(exclude_unset=True)
        self.entries[path.name] = {"source": source, "trial": text, "check": self._check(source, text)}
        self.changed = True

    def save(self) -> None:
        stale = set(self.entries) - self.seen
        for name in stale:
            del self.entries[name]  # files removed from the catalogue
        if not self.changed and not stale:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(
                json.dumps({"version": self.VERSION, "program": _program_stamp(), "files": self.entries}),
                encoding="utf-8",
            )
            temporary.replace(self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


@lru_cache(maxsize=1)
def _program_stamp() -> str:
    """Changes with the program's version, the trial schema or the loader's code, so a cache written
    by another version is not trusted."""
    try:
        version = metadata.version("trial-matcher")
    except metadata.PackageNotFoundError:
        version = "unknown"
    parts = [version, json.dumps(Trial.model_json_schema(), sort_keys=True)]
    for module in ("loader.py", "schema.py", "rules.py", "yaml_text.py"):
        try:
            parts.append(hashlib.sha256((Path(__file__).parent / module).read_bytes()).hexdigest())
        except OSError:
            parts.append(module)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def load_trial_file(path: Path, content: bytes | None = None) -> Trial:
    """Read and validate one trial file (``content``: its bytes, if already read), or raise
    :class:`TrialFileError` saying where it is wrong."""
    try:
        text = (path.read_bytes() if content is None else content).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrialFileError([CatalogueError(path, f"cannot be read: {exc}")]) from exc
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise TrialFileError([CatalogueError(path, f"is not valid YAML: {problem}", line=line)]) from exc
    if not isinstance(data, dict):
        raise TrialFileError([CatalogueError(path, "must be a mapping of trial fields (nct_id, brief_title, ...)")])
    try:
        trial = Trial.model_validate(data)
    except ValidationError as exc:
        raise TrialFileError(list(_located_errors(path, text, data, exc))) from exc
    expected = path.stem
    if trial.nct_id != expected:
        raise TrialFileError(
            [
                CatalogueError(
                    path, f"nct_id is {trial.nct_id} but the file is named {path.name}", line=None, field="nct_id"
                )
            ]
        )
    return trial


def _located_errors(path: Path, text: str, data: dict[str, Any], exc: ValidationError) -> Iterable[CatalogueError]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # the pure-Python reader is stricter than the C one (tabs): no line then
        root = None
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "op")  # the op itself is what is wrong
        field_path, node = _walk(root, loc, missing=error["type"] in ("missing", "union_tag_not_found"))
        line = node.start_mark.line + 1 if node is not None else None
        yield CatalogueError(
            path,
            _plain_message(error),
            line=line,
            criterion=criterion_label(data, loc),
            field=".".join(str(p) for p in field_path) or None,
        )


def line_of(path: Path, loc: tuple[Any, ...]) -> int | None:
    """The line of a field (given as a location path) in a YAML file, if the file can be read."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    _fields, node = _walk(root, loc, missing=False)
    return node.start_mark.line + 1 if node is not None else None


def _walk(root: yaml.Node | None, loc: tuple[Any, ...], missing: bool) -> tuple[list[Any], yaml.Node | None]:
    """Follow a pydantic error location through the YAML nodes; skip union tags (the ``op`` names)."""
    node = root
    fields: list[Any] = []
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:
                op = next((v.value for k, v in node.value if k.value == "op"), None)
                if part == op or part in {"function-after", "tagged-union"}:
                    continue  # a discriminator tag, not a key of the file
                fields.append(part)
                if missing:
                    return fields, node  # point at the mapping that lacks the field
                break
            fields.append(part)
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            fields.append(part)
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            if isinstance(part, str) and part in {"function-after", "tagged-union"}:
                continue
            fields.append(part)
    return fields, node


def criterion_label(data: dict[str, Any], loc: tuple[Any, ...]) -> str | None:
    """'Inclusion 9, check 9.3' for a location inside the eligibility criteria, else None."""
    if len(loc) < 3 or loc[0] != "eligibility" or loc[1] not in SECTION_NAMES or not isinstance(loc[2], int):
        return None
    try:
        criterion = data["eligibility"][loc[1]][loc[2]]
    except (KeyError, IndexError, TypeError):
        return None
    number = criterion.get("number", f"#{loc[2] + 1}") if isinstance(criterion, dict) else f"#{loc[2] + 1}"
    label = f"{SECTION_NAMES[loc[1]]} {number}"
    if len(loc) >= 5 and loc[3] == "checks" and isinstance(loc[4], int):
        try:
            check = criterion["checks"][loc[4]]
            label += f", check {check.get('id', loc[4] + 1)}"
        except (KeyError, IndexError, TypeError, AttributeError):
            label += f", check #{loc[4] + 1}"
    return label


def _plain_message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field of this format (check its spelling in trials/FORMAT.md)"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return f"unknown rule op {ctx.get('tag')!r}; accepted: {ctx.get('expected_tags', '')}"
    if kind == "union_tag_not_found":
        return "a rule needs an 'op' field"
    return str(error["msg"])
