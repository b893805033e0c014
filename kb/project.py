"""Where a kb project lives: a folder holding ``corpus/`` (inputs) and ``indexes/`` (derived, rebuildable)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kb.errors import ProjectNotFound, UsageError

CATALOG_NAME = "catalog.toml"
VOCABULARY_NAME = "concepts.toml"
SETTINGS_NAME = "kb.toml"
DEFAULT_TITLE = "Policy knowledge base"
#: Vocabularies shipped with kb, for `kb init DIR --concepts NAME` (name -> file in kb/data).
BUNDLED_VOCABULARIES = {"nhs-integration": "concepts.toml"}
EMPTY_VOCABULARY = "concepts_empty.toml"
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

    @property
    def settings_path(self) -> Path:
        return self.home / SETTINGS_NAME

    @property
    def settings(self) -> Settings:
        """The project file ``kb.toml`` (defaults when there is none)."""
        return load_settings(self.settings_path)

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


@dataclass(frozen=True)
class Settings:
    """What ``kb.toml`` says about a project: its title and description (shown by the site and `kb docs`), the
    discovered concepts rejected by hand (ids such as ``acr-ss`` or short forms such as ``SS``) and the address
    the site is published at (``url``, ending in ``/``: the feed's links are absolute with it, relative without)."""

    title: str = DEFAULT_TITLE
    description: str = ""
    reject: frozenset[str] = field(default_factory=frozenset)
    exists: bool = False
    url: str = ""


def load_settings(path: Path) -> Settings:
    """Read a project file; a missing file gives the defaults, a mistake a one-line error naming file and line."""
    path = Path(path)
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: {exc}. Fix the TOML syntax there.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it ({exc}).") from None
    unknown = sorted(set(data) - {"title", "description", "url", "concepts"})
    if unknown:
        raise UsageError(f"{path}: unknown key(s) {unknown}; allowed: title, description, url and a [concepts] table.")
    for key in ("title", "description", "url"):
        if not isinstance(data.get(key, ""), str):
            raise UsageError(f"{path}: {key} must be a quoted string.")
    concepts = data.get("concepts", {})
    if not isinstance(concepts, dict) or set(concepts) - {"reject"}:
        raise UsageError(f"{path}: [concepts] may only hold reject = [\"id or short form\", ...].")
    reject = concepts.get("reject", [])
    if not isinstance(reject, list) or not all(isinstance(r, str) and r.strip() for r in reject):
        raise UsageError(f"{path}: [concepts] reject must be a list of quoted ids or short forms, "
                         "like reject = [\"acr-ss\", \"SS\"].")
    return Settings(title=(data.get("title") or "").strip() or DEFAULT_TITLE,
                    description=(data.get("description") or "").strip(),
                    reject=frozenset(r.strip() for r in reject), exists=True, url=_site_url(path, data.get("url", "")))


def _site_url(path: Path, url: str) -> str:
    """The site's published address as the feed needs it: http(s), ending in ``/``; "" when not given."""
    url = url.strip()
    if not url:
        return ""
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise UsageError(f"{path}: url must be the http(s) address the site is published at, like "
                         "url = \"https://example.org/policy-kb/\" (got {url!r}).")
    return url if url.endswith("/") else url + "/"


def _toml_string(text: str) -> str:
    """A TOML basic string for ``text`` (quotes, backslashes and control characters escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", out) + '"'


def settings_text(title: str, description: str = "") -> str:
    """The text of a new ``kb.toml``."""
    return (
        "# kb project file: read by `kb site build` and `kb docs` (see the README, \"The project file\").\n"
        f"title = {_toml_string(title)}\n"
        f"description = {_toml_string(description)}\n"
        "# Where the site is published, for absolute links in its feed (feed.xml):\n"
        "# url = \"https://example.org/policy-kb/\"\n"
        "\n[concepts]\n"
        "# Discovered concepts that are wrong (a discovered id such as \"acr-ss\", or a short form such as \"SS\"):\n"
        "# they are no longer tagged or shown. Review them with `kb concepts --discovered`.\n"
        "reject = []\n"
    )


def init_project(directory: str | os.PathLike, title: str | None = None, description: str = "",
                 concepts: str | None = None) -> Project:
    """Create a new project: ``kb.toml``, an empty corpus with a starter catalog and a vocabulary (empty, or a
    bundled one named by ``concepts``), and an empty ``indexes/``."""
    path = Path(directory).expanduser().resolve()
    if concepts is not None and concepts not in BUNDLED_VOCABULARIES:
        raise UsageError(f"No bundled vocabulary {concepts!r}; choose one of: {', '.join(sorted(BUNDLED_VOCABULARIES))}.")
    if (path / "corpus").exists():
        raise UsageError(f"{path} already holds a kb project (corpus/ exists); nothing was changed.")
    if (path / SETTINGS_NAME).exists():
        raise UsageError(f"{path / SETTINGS_NAME} exists already; nothing was changed.")
    (path / "corpus").mkdir(parents=True)
    (path / "indexes").mkdir(exist_ok=True)
    data = resources.files("kb") / "data"
    (path / SETTINGS_NAME).write_text(settings_text(title or DEFAULT_TITLE, description), "utf-8")
    (path / "corpus" / CATALOG_NAME).write_text((data / "starter_catalog.toml").read_text("utf-8"), "utf-8")
    vocabulary = BUNDLED_VOCABULARIES[concepts] if concepts else EMPTY_VOCABULARY
    (path / "corpus" / VOCABULARY_NAME).write_text((data / vocabulary).read_text("utf-8"), "utf-8")
    return Project(path)
