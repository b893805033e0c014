"""Promote a term into the project's vocabulary (`kb concepts --add PHRASE`): a new ``[[concept]]`` table at the
end of concepts.toml, taking effect at the next `kb ingest` (which tags every document again).

The file is only ever appended to, and only after the new file as a whole reads back as a valid vocabulary, so
a promotion can never leave a vocabulary kb refuses; a phrase an existing concept already names is refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from kb.errors import InvalidArgument
from kb.models import Concept
from kb.nlp.vocabulary import KINDS, ConceptNames, load_vocabulary, surface_key


def concept_id(phrase: str, taken: Iterable[str]) -> str:
    """A new id for the phrase: its words in lower case joined by hyphens, numbered when already taken."""
    base = re.sub(r"[^a-z0-9]+", "-", phrase.casefold()).strip("-")[:56] or "term"
    used = set(taken)
    cid, n = base, 2
    while cid in used:
        cid, n = f"{base}-{n}", n + 1
    return cid


def promote(path: Path, phrase: str, kind: str, variants: Iterable[str] = (), definition: str = "") -> Concept:
    """Append a concept for ``phrase`` to the vocabulary file at ``path`` (created if missing) and return it.
    ``variants`` that kb would not match anyway (a plural, a hyphen, a possessive) become aliases."""
    from kb.project import _toml_string

    label = " ".join(phrase.split())
    if not label:
        raise InvalidArgument("phrase", phrase, "Give the phrase to add, e.g. kb concepts --add \"virtual wards\".")
    if kind not in KINDS:
        raise InvalidArgument("kind", kind, f"Unknown kind {kind!r}: use one of {', '.join(KINDS)}.")
    path = Path(path)
    existing = load_vocabulary(path) if path.exists() else []
    found = ConceptNames(existing, usage=lambda ids: {}).match(label)
    if found is not None:
        raise InvalidArgument("phrase", phrase, f"{label!r} already names concept {found.concept.id} in {path}.")
    key = surface_key(label)
    aliases = list(dict.fromkeys(v for v in (" ".join(v.split()) for v in variants) if surface_key(v) != key))
    taken = {surface_key(n) for c in existing for n in (c.label, *c.aliases)}
    aliases = [a for a in aliases if surface_key(a) not in taken]
    cid = concept_id(label, (c.id for c in existing))
    lines = ["", "[[concept]]", f"id = {_toml_string(cid)}", f"label = {_toml_string(label)}",
             f"kind = {_toml_string(kind)}"]
    if definition:
        lines.append(f"definition = {_toml_string(definition)}")
    if aliases:
        lines.append("aliases = [" + ", ".join(_toml_string(a) for a in aliases) + "]")
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    text = before + ("" if not before or before.endswith("\n") else "\n") + "\n".join(lines) + "\n"
    trial = path.with_name(path.name + ".new")
    trial.write_text(text, encoding="utf-8")
    try:
        added = next(c for c in load_vocabulary(trial) if c.id == cid)
    except BaseException:
        trial.unlink(missing_ok=True)
        raise
    os.replace(trial, path)
    return added
