"""The tagging pipeline: spaCy's blank English tokenizer, sentence boundaries, an entity ruler built from the
vocabulary (patterns carry concept ids) and an acronym-definition component, run with ``nlp.pipe`` over passages.

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
from kb.nlp.vocabulary import acronym_variants, guarded_acronyms, long_form_variants, long_forms, surface_key

log = logging.getLogger(__name__)

FACTORY = "kb_acronym_definitions"
SENTENCES = "kb_sentencizer"
RULER = "kb_entity_ruler"
MATCHES = "kb_matches"
#: A sentence ends at . ! or ? (closing quotes or brackets allowed) before a capital, digit or bullet; bullets and
#: blank lines start sentences too.
_SENT_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9\u2022])|\n[ \t]*\n\s*|\u2022\s*")
LONG, SHORT = "KB_LONG", "KB_SHORT"
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")
_RUN = re.compile(r"\s{2,}")
_LONE_SPACE = re.compile(r"[^\S ]")


def _register_factory() -> None:
    """Register kb's components with spaCy once (spaCy is imported only when a Tagger is built)."""
    from spacy.language import Language

    if Language.has_factory(FACTORY):
        return

    @Language.factory(FACTORY)
    def make_acronym_component(nlp: Language, name: str) -> AcronymDefinitionComponent:
        return AcronymDefinitionComponent()

    @Language.factory(SENTENCES)
    def make_sentence_component(nlp: Language, name: str) -> SentenceBoundaries:
        return SentenceBoundaries()

    @Language.factory(RULER, default_config={"phrase_matcher_attr": "NORM"})
    def make_concept_ruler(nlp: Language, name: str, phrase_matcher_attr: str):
        return _concept_ruler_class()(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=True)


def _concept_ruler_class():
    """spaCy's EntityRuler, made cheaper per document for a pipeline where it is the only source of entities.

    The stock ruler recounts all its patterns and builds a token slice and a Span for every match on every
    document; this one keeps the same longest-match-wins choice with a byte mask and sets the entities from one
    array. It also records each entity's character offsets, concept id and label in ``doc.user_data``.
    """
    from spacy.pipeline import EntityRuler

    class ConceptRuler(EntityRuler):
        def _require_patterns(self) -> None:
            """An empty vocabulary is fine (acronym definitions are still found): no warning, no recount."""

        def add_patterns(self, patterns) -> None:
            super().add_patterns(patterns)
            exact = self.__dict__.setdefault("_kb_exact", set())
            exact.update(p["pattern"] for p in patterns if p.get("label") == SHORT)

        def set_annotations(self, doc, matches) -> None:
            import numpy as np
            from spacy.attrs import ENT_ID, ENT_IOB, ENT_TYPE, IDX, LENGTH

            doc.user_data[MATCHES] = found = []
            if not matches:
                return
            n = len(doc)
            text = doc_text(doc)
            exact = self.__dict__.get("_kb_exact", ())
            cache = self.__dict__.setdefault("_kb_keys", {})
            strings = doc.vocab.strings
            offsets = doc.to_array([IDX, LENGTH]).astype(np.int64)
            ents = np.zeros((n, 3), dtype=np.uint64)
            ents[:, 0] = 2  # IOB "outside"
            seen = bytearray(n)
            for match_id, start, end in matches:  # longest first, then leftmost
                if seen[start] or seen[end - 1]:
                    continue
                key = cache.get(match_id)
                if key is None:
                    label, ent_id = self._ent_ids.get(match_id) or (strings[match_id], "")
                    key = cache[match_id] = (label, ent_id, strings.add(label), strings.add(ent_id))
                begin, stop = int(offsets[start, 0]), int(offsets[end - 1, 0] + offsets[end - 1, 1])
                if key[0] == SHORT and text[begin:stop] not in exact:
                    continue  # acronyms are case-sensitive: "ics" is not "ICS"
                seen[start:end] = b"\x01" * (end - start)
                ents[start, 0] = 3
                ents[start + 1:end, 0] = 1
                ents[start:end, 1] = key[2]
                ents[start:end, 2] = key[3]
                found.append((begin, stop, key[1], key[0]))
            doc.from_array([ENT_IOB, ENT_TYPE, ENT_ID], ents)  # entities set in one step, no Span objects
            found.sort()

    return ConceptRuler


TEXT_KEY = "kb_text"


def doc_text(doc) -> str:
    """The Doc's text. ``Doc.text`` rebuilds it token by token (a third of the tagging time), so the tokenizer
    wrapper below keeps the input string in ``user_data``."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


class TextKeepingTokenizer:
    """Wraps spaCy's tokenizer to remember each Doc's input text for the components that need it."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


class SentenceBoundaries:
    """Rule-based sentence starts, like spaCy's ``sentencizer`` but set in one vectorised step.

    spaCy's sentencizer visits every token from Python and cost a third of the tagging time; this finds
    boundaries with one regular expression over the text and maps them to tokens with numpy.
    """

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import IDX, SENT_START

        n = len(doc)
        if n == 0:
            return doc
        starts = [m.end() for m in _SENT_BREAK.finditer(doc_text(doc))]
        marks = np.full(n, -1, dtype=np.int64)
        marks[0] = 1
        if starts:
            idx = doc.to_array(IDX).astype(np.int64)
            first = np.searchsorted(idx, np.asarray(starts, dtype=np.int64))
            marks[first[first < n]] = 1
        doc.from_array([SENT_START], marks.astype(np.uint64).reshape(-1, 1))
        return doc


class AcronymDefinitionComponent:
    """Finds "long form (SF)" and "SF (long form)" definitions; results go to ``doc.user_data[FACTORY]``."""

    def __call__(self, doc):
        text = doc_text(doc)
        if "(" in text:
            doc.user_data[FACTORY] = find_definitions(text, _SentenceStarts(doc))
        return doc


class _SentenceStarts:
    """Where the sentence holding a character offset starts, from the sentencizer's marks, looked up lazily
    (only brackets need it, so most tokens are never visited)."""

    def __init__(self, doc) -> None:
        self.doc = doc

    def __call__(self, offset: int) -> int:
        doc = self.doc
        span = doc.char_span(offset, offset + 1, alignment_mode="expand")
        if span is None:
            return 0
        i = span.start
        for j in range(i, max(-1, i - 60), -1):
            if doc[j].is_sent_start:
                return doc[j].idx
        return doc[max(0, i - 60)].idx


def build_nlp(concepts: Sequence[Concept]):
    """A blank English pipeline: sentencizer, entity ruler (patterns carry concept ids), acronym definitions."""
    import spacy

    _register_factory()
    nlp = spacy.blank("en")
    nlp.add_pipe(SENTENCES)
    ruler = nlp.add_pipe(RULER, config={"phrase_matcher_attr": "NORM"})
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
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]  # spaCy types add_pipe's result as a bare Callable
    nlp.add_pipe(FACTORY)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
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
    if not _RUN.search(text):
        return _Compact(_LONE_SPACE.sub(" ", text))  # lone line breaks: same length, no map needed
    parts: list[str] = []
    segments: list[tuple[int, int]] = [(0, 0)]
    pos = 0
    out_len = 0
    for m in _ODD_SPACE.finditer(text):
        parts.append(text[pos:m.start()])
        out_len += m.start() - pos + 1
        parts.append(" ")
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
        # Keep only what resolution needs of each parsed passage, never the spaCy Doc: a document of 50,000
        # passages would otherwise hold 50,000 Docs (a gigabyte) until its last passage is parsed.
        found = ((ctx[0], ctx[1], ctx[2], ctx[3], tuple(sdoc.user_data.get(FACTORY, ())),
                  tuple(sdoc.user_data.get(MATCHES, ()))) for sdoc, ctx in stream)
        for _seq, group in itertools.groupby(found, key=lambda item: item[0]):
            members = list(group)
            doc_id = members[0][1]
            parsed = [(p, comp, defs, matches) for _, _, p, comp, defs, matches in members if p is not None]
            mentions, definitions = self._resolve(doc_id, parsed)
            yield doc_id, mentions, definitions

    @staticmethod
    def _items(docs: Iterable[tuple[str, Sequence[Passage]]]):
        for seq, (doc_id, passages) in enumerate(docs):
            if not passages:
                yield seq, doc_id, None, _Compact("")
            for p in passages:
                yield seq, doc_id, p, compact(p.text)

    def _resolve(self, doc_id: str, parsed: list[tuple[Passage, _Compact, tuple, tuple]]
                 ) -> tuple[list[Mention], list[AcronymDefinition]]:
        definitions: list[AcronymDefinition] = []
        def_spans: dict[str, list[tuple[int, int]]] = {}
        own_sense: dict[str, str | None] = {}
        for p, comp, defs, _matches in parsed:
            for d in defs:
                acr = self._definition(doc_id, p, comp, d)
                definitions.append(acr)
                own_sense.setdefault(acr.short, acr.concept_id)
                spans = def_spans.setdefault(p.id, [])
                spans.append((p.start + comp.original(d.long_start), p.start + comp.original(d.long_end)))
                spans.append((p.start + comp.original(d.short_start), p.start + comp.original(d.short_end)))
        overridden = {s for s, cid in own_sense.items() if s in self.vocab_acronym and self.vocab_acronym[s] != cid}
        mentions: list[Mention] = []
        exact = self.exact
        for p, comp, _defs, matches in parsed:
            defined = def_spans.get(p.id, ())
            text = comp.text
            for start_char, end_char, cid, label in matches:
                if label == SHORT:
                    hit = exact.get(text[start_char:end_char])
                    if hit is None or hit[0] != cid or hit[1] in overridden:
                        continue
                start = p.start + comp.original(start_char)
                end = p.start + comp.original(end_char - 1) + 1
                surface = p.text[start - p.start:end - p.start]
                is_def = bool(defined) and any(s < end and start < e for s, e in defined)
                mentions.append(Mention(doc_id, p.id, cid, surface, start, end, p.page, is_def))
        mentions.sort(key=lambda m: (m.start, m.concept_id))
        return mentions, definitions

    def _definition(self, doc_id: str, p: Passage, comp: _Compact, d: Definition) -> AcronymDefinition:
        start = p.start + comp.original(d.start)
        end = p.start + comp.original(d.end - 1) + 1
        return AcronymDefinition(doc_id, p.id, d.short, d.long, start, end, p.page, self.concept_for_long_form(d.long))
