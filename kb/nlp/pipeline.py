"""The tagging pipeline: spaCy's blank English tokenizer, a sentencizer, an entity ruler built from the vocabulary
and an acronym-definition component, run with ``nlp.pipe`` over passages.

Long forms are matched on spaCy's NORM attribute (lower case, curly quotes straightened) with plural, spelling and
hyphen variants generated from the vocabulary; acronyms share that matcher and are then checked against their exact
capitalisation, so "ICS" and "ICSs" count but "ics" never does. The ruler keeps the longest match, so "NHS England
and NHS Improvement" is one mention. Acronyms that need corpus knowledge (several senses, or two letters) are left
to :func:`kb.nlp.glossary.finalize`.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.nlp.acronyms import Definition, find_definitions
from kb.nlp.vocabulary import (acronym_variants, guarded_acronyms, long_form_variants, long_forms,
                               surface_key)

log = logging.getLogger(__name__)

FACTORY = "kb_acronym_definitions"
LONG, SHORT = "KB_LONG", "KB_SHORT"
_SPACES = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")


def _register_factory() -> None:
    """Register the acronym component with spaCy once (spaCy is imported only when a Tagger is built)."""
    from spacy.language import Language

    if Language.has_factory(FACTORY):
        return

    @Language.factory(FACTORY)
    def make_acronym_component(nlp: Language, name: str) -> AcronymDefinitionComponent:
        return AcronymDefinitionComponent()


class AcronymDefinitionComponent:
    """Finds "long form (SF)" and "SF (long form)" definitions; results go to ``doc.user_data[FACTORY]``."""

    def __call__(self, doc):
        text = doc.text
        if "(" in text:
            starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else []
            doc.user_data[FACTORY] = find_definitions(text, starts)
        return doc


def build_nlp(concepts: Sequence[Concept]):
    """A blank English pipeline: sentencizer, entity ruler (patterns carry concept ids), acronym definitions."""
    import spacy

    _register_factory()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM", "overwrite_ents": True})
    guarded = guarded_acronyms(concepts)
    patterns = []
    for c in sorted(concepts, key=lambda c: c.id):
        for form in sorted({v for f in long_forms(c) for v in long_form_variants(f)}):
            patterns.append({"label": LONG, "pattern": form, "id": c.id})
        for short in c.acronyms:
            if short not in guarded:
                for v in sorted(acronym_variants(short)):
                    patterns.append({"label": SHORT, "pattern": v, "id": c.id})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    nlp.add_pipe(FACTORY)
    log.debug("built tagging pipeline with %d patterns", len(patterns))
    return nlp


@dataclass(frozen=True)
class _Compact:
    """Whitespace runs and line breaks squeezed to one space (so phrases match across lines), with a map back."""

    text: str
    segments: tuple[tuple[int, int], ...] = ()  # (compact offset, original offset) at each segment start

    def original(self, offset: int) -> int:
        if not self.segments:
            return offset
        i = bisect.bisect_right(self.segments, (offset, float("inf"))) - 1
        c, o = self.segments[i]
        return o + (offset - c)


def compact(text: str) -> _Compact:
    """Squeeze whitespace; offsets of the result map back to ``text`` with :meth:`_Compact.original`."""
    if not _ODD_SPACE.search(text):
        return _Compact(text)
    parts: list[str] = []
    segments: list[tuple[int, int]] = [(0, 0)]
    pos = 0
    out_len = 0
    for m in _SPACES.finditer(text):
        parts.append(text[pos:m.start()])
        out_len += m.start() - pos
        parts.append(" ")
        out_len += 1
        pos = m.end()
        segments.append((out_len, pos))
    parts.append(text[pos:])
    return _Compact("".join(parts), tuple(segments))


class Tagger:
    """Tags passages with vocabulary concepts and finds acronym definitions. Build once, reuse for every document."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = list(concepts)
        self.guarded = guarded_acronyms(self.concepts)
        self.long_index = {surface_key(f): c.id for c in self.concepts for f in long_forms(c)}
        self.exact: dict[str, tuple[str, str]] = {}  # surface as written -> (concept id, bare acronym)
        for c in self.concepts:
            for short in c.acronyms:
                if short not in self.guarded:
                    for v in acronym_variants(short):
                        self.exact[v] = (c.id, short)
        self.vocab_acronym = {short: cid for v, (cid, short) in self.exact.items()}
        self.nlp = build_nlp(self.concepts)

    def concept_for_long_form(self, long: str) -> str | None:
        """The vocabulary concept a long form written in a document names, if any."""
        return self.long_index.get(surface_key(long))

    def tag(self, docs: Iterable[tuple[str, Sequence[Passage]]],
            batch_size: int = 64) -> Iterator[tuple[str, list[Mention], list[AcronymDefinition]]]:
        """For each (doc id, passages): its mentions and acronym definitions, offsets into the document text."""
        items = self._items(docs)
        stream = self.nlp.pipe(((c.text, (seq, doc_id, p, c)) for seq, doc_id, p, c in items),
                               as_tuples=True, batch_size=batch_size)
        for _seq, group in itertools.groupby(stream, key=lambda pair: pair[1][0]):
            group = list(group)
            doc_id = group[0][1][1]
            parsed = [(ctx[2], ctx[3], sdoc) for sdoc, ctx in group if ctx[2] is not None]
            mentions, definitions = self._resolve(doc_id, parsed)
            yield doc_id, mentions, definitions

    @staticmethod
    def _items(docs: Iterable[tuple[str, Sequence[Passage]]]):
        for seq, (doc_id, passages) in enumerate(docs):
            if not passages:
                yield seq, doc_id, None, _Compact("")
            for p in passages:
                yield seq, doc_id, p, compact(p.text)

    def _resolve(self, doc_id: str, parsed: list[tuple[Passage, _Compact, object]]
                 ) -> tuple[list[Mention], list[AcronymDefinition]]:
        definitions: list[AcronymDefinition] = []
        def_spans: list[tuple[int, int]] = []
        own_sense: dict[str, str | None] = {}
        for p, comp, sdoc in parsed:
            for d in sdoc.user_data.get(FACTORY, ()):  # type: ignore[attr-defined]
                acr = self._definition(doc_id, p, comp, d)
                definitions.append(acr)
                own_sense.setdefault(acr.short, acr.concept_id)
                def_spans.append((p.start + comp.original(d.long_start), p.start + comp.original(d.long_end)))
                def_spans.append((p.start + comp.original(d.short_start), p.start + comp.original(d.short_end)))
        overridden = {s for s, cid in own_sense.items() if s in self.vocab_acronym and self.vocab_acronym[s] != cid}
        mentions: list[Mention] = []
        for p, comp, sdoc in parsed:
            for ent in sdoc.ents:  # type: ignore[attr-defined]
                cid = ent.ent_id_
                if ent.label_ == SHORT:
                    hit = self.exact.get(ent.text)
                    if hit is None or hit[0] != cid or hit[1] in overridden:
                        continue
                start = p.start + comp.original(ent.start_char)
                end = p.start + comp.original(ent.end_char - 1) + 1
                surface = p.text[start - p.start:end - p.start]
                is_def = any(s < end and start < e for s, e in def_spans)
                mentions.append(Mention(doc_id, p.id, cid, surface, start, end, p.page, is_def))
        mentions.sort(key=lambda m: (m.start, m.concept_id))
        return mentions, definitions

    def _definition(self, doc_id: str, p: Passage, comp: _Compact, d: Definition) -> AcronymDefinition:
        start = p.start + comp.original(d.start)
        end = p.start + comp.original(d.end - 1) + 1
        return AcronymDefinition(doc_id, p.id, d.short, d.long, start, end, p.page, self.concept_for_long_form(d.long))
