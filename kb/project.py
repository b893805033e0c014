"""Where a kb project lives: a folder holding ``corpus/`` (inputs) and ``indexes/`` (derived, rebuildable)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kb.errors import ProjectNotFound, UsageError

CATALOG_NAME = "catalog.toml"
VOCABULARY_NAME = "concepts.toml"
#: Files in corpus/ that describe the corpus rather than belong to it.
CONTROL_FILES = frozenset({CATALOG_NAME, VOCABULARY_NAME, "README.md", ".gitkeep"})


@dataclass(frozen=True)
class Project:
    """Paths of one kb project. Everything under ``indexes/`` can be rebuilt from ``corpus/``."""

    home: Path
    vocabulary_override: Path | None = None

    @property
    def corpus_dir(self) -> Path:
        return self.home / "corpus"

    @property
    def indexes_dir(self) -> Path:
        return self.home / "indexes"

    @property
    def store_path(self) -> Path:
        return self.indexes_dir / "kb.sqlite"

    @property
    def whoosh_dir(self) -> Path:
        return self.indexes_dir / "whoosh"

    @property
    def lock_path(self) -> Path:
        return self.indexes_dir / "ingest.lock"

    @property
    def catalog_path(self) -> Path:
        return self.corpus_dir / CATALOG_NAME

    @property
    def vocabulary_path(self) -> Path:
        return self.vocabulary_override or self.corpus_dir / VOCABULARY_NAME

    @property
    def site_dir(self) -> Path:
        return self.home / "site"

    def ensure_indexes_dir(self) -> Path:
        self.indexes_dir.mkdir(parents=True, exist_ok=True)
        return self.indexes_dir


def find_project(home: str | os.PathLike | None = None, vocabulary: str | os.PathLike | None = None) -> Project:
    """Resolve the project folder from ``--home``, ``KB_HOME`` or the current folder."""
    chosen = home or os.environ.get("KB_HOME") or os.getcwd()
    path = Path(chosen).expanduser().resolve()
    if not (path / "corpus").is_dir():
        raise ProjectNotFound(
            f"No kb project at {path} (no corpus/ folder). "
            "Run `kb init DIR` to make one, or pass --home DIR / set KB_HOME."
        )
    vocab = Path(vocabulary).expanduser().resolve() if vocabulary else None
    if vocab is not None and not vocab.is_file():
        raise UsageError(f"Vocabulary file {vocab} does not exist.")
    return Project(path, vocab)


def init_project(directory: str | os.PathLike) -> Project:
    """Create a new project: empty corpus with a starter catalog and the default vocabulary."""
    path = Path(directory).expanduser().resolve()
    if (path / "corpus").exists():
        raise UsageError(f"{path} already holds a kb project (corpus/ exists); nothing was changed.")
    (path / "corpus").mkdir(parents=True)
    (path / "indexes").mkdir(exist_ok=True)
    data = resources.files("kb") / "data"
    (path / "corpus" / CATALOG_NAME).write_text((data / "starter_catalog.toml").read_text("utf-8"), "utf-8")
    (path / "corpus" / VOCABULARY_NAME).write_text((data / VOCABULARY_NAME).read_text("utf-8"), "utf-8")
    return Project(path)
