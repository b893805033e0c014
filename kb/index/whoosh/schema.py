"""The Whoosh schema of a passage: fields, kb's tokenizer over :mod:`kb.index.analysis`, frequent word pairs
(bigrams) for phrases, and the field values of a stored passage.

Replaces Whoosh's analyzers and its positional TEXT format, because indexing, querying and highlighting must
split and stem words the same way (``kb.index.analysis``), and positions cost more than they give: frequent
word pairs are indexed as terms instead (``bigrams``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from kb.index.analysis import _analyse, _terms
from kb.index.fields import doc_fields

INDEX_NAME = "MAIN"


#: The title is a second BM25 field of weight 1, like Anserini's multifield runs (docs/search.md, Ranking).
TITLE_BOOST = 1.0


class KbTokenizer(Tokenizer):
    """Whoosh face of ``_analyse``: words, or (``bigrams``) pairs of neighbouring frequent words as one term."""

    def __init__(self, bigrams: bool = False, frequent: frozenset = frozenset()) -> None:
        self.bigrams = bigrams
        self.frequent = frozenset(frequent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KbTokenizer) and (other.bigrams, other.frequent) == (self.bigrams, self.frequent)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = _analyse(value)
        if self.bigrams:
            f = self.frequent
            terms = tuple((a[0] + " " + b[0], a[1], b[2]) for a, b in zip(terms, terms[1:], strict=False)
                          if a[0] in f and b[0] in f)
        for pos, (term, start, end) in enumerate(terms):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class KbText(TEXT):
    """A TEXT field whose postings come straight from kb's analysis, without a Token object per word.

    Gives exactly the (term bytes, frequency, weight, encoded value) that ``TEXT.index`` gives with a
    KbTokenizer (a test holds them equal); indexing is the build's other big cost after writing postings.
    """

    def index(self, value, **kwargs):
        tokenizer = self.analyzer
        if not isinstance(value, str) or not isinstance(tokenizer, KbTokenizer):
            return super().index(value, **kwargs)
        terms = _terms(value)
        words: Sequence[str]
        if tokenizer.bigrams:
            f = tokenizer.frequent
            words = [a + " " + b for a, b in zip(terms, terms[1:], strict=False) if a in f and b in f]
        else:
            words = terms
        boost = self.format.field_boost
        if isinstance(self.format, Positions):
            positions: dict[str, list[int]] = {}
            for pos, word in enumerate(words):
                positions.setdefault(word, []).append(pos)
            encode = self.format.encode
            return [(w.encode("utf-8"), len(ps), len(ps) * boost, encode(ps)) for w, ps in positions.items()]
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        return [(w.encode("utf-8"), n, n * boost, pack_uint(n)) for w, n in counts.items()]


# Whoosh pickles the schema into the index by class path: keep the path indexes were written with, so a move
# inside kb never makes an index unreadable (kb.index's ``__getattr__`` resolves both).
KbTokenizer.__module__ = KbText.__module__ = "kb.index"


def _tokenizer(bigrams: bool = False, frequent: frozenset = frozenset()) -> KbTokenizer:
    return KbTokenizer(bigrams, frequent)


#: The text field has no positions: Whoosh stores a posting block's positions pickled together with its
#: document numbers, which makes every block a query touches about 7x slower to read, positions needed or not.
#: Phrases are answered from a bigram field instead: pairs of neighbouring *frequent* words (the pairs whose
#: words are in so many passages that checking candidates would be slow) are indexed as one term. Phrases
#: with a rarer word match the passages holding all their words and are then confirmed word for word on the
#: stored text (see _run_check): the rarer word keeps that to few passages. Indexing every pair instead
#: doubled the build (millions of distinct pairs).
BIGRAMS = True


#: A word is "frequent" when it is in at least this share of the live passages (and in at least 2), counted
#: exactly from the index's document frequencies when a searcher opens (``_frequent``): a function of the final
#: passages alone, never of the order they were stored or indexed in, nor of how many syncs led there.
FREQUENT_SHARE = 0.02


#: The bigram field indexes the pairs of a wider set of words, chosen when the index is built: those in at least
#: this share of a sample of passages (the FREQUENT_SAMPLE passages whose ids hash lowest). Any wider set gives
#: the same answers (a pair's document frequency, and its BM25 length, which is the passage's word count, do not
#: depend on it), so edits that move words across FREQUENT_SHARE need no rebuild; only a word that becomes
#: frequent without being indexed does (``unindexed_frequent``: then the index is built again).
INDEXED_SHARE = 0.015


FREQUENT_SAMPLE = 5000


def frequent_terms(store) -> frozenset:
    """The words whose pairs an index built now indexes: in at least INDEXED_SHARE of a sample of the store's
    passages (chosen by a hash of their ids, so the same passages give the same sample)."""
    from collections import Counter

    rows = store.passage_text_sample(FREQUENT_SAMPLE)
    df: Counter = Counter()
    for text in rows:
        df.update(set(_terms(text)))
    cut = max(2, int(len(rows) * INDEXED_SHARE))
    return frozenset(t for t, n in df.items() if n >= cut)


def _indexed(ix) -> frozenset | None:
    """The words whose pairs the index holds as bigram terms, or None when it has no bigram field."""
    if "bigrams" not in ix.schema:
        return None
    return ix.schema["bigrams"].analyzer.frequent


def _frequent(ix, reader) -> frozenset | None:
    """The frequent words of the index read by ``reader``: the indexed words in at least FREQUENT_SHARE of its
    live passages (exact document frequencies; see FREQUENT_SHARE)."""
    from kb.index.whoosh.scoring import live_stats

    indexed = _indexed(ix)
    if indexed is None:
        return None
    stats = live_stats(reader)
    cut = max(2.0, FREQUENT_SHARE * stats.doc_count)
    return frozenset(t for t in indexed if stats.doc_frequency("text", t) >= cut)


def unindexed_frequent(ix, reader) -> set[str]:
    """Words in at least FREQUENT_SHARE of the live passages whose pairs the index does not hold (a correct
    index has none).

    A word in ``cut`` live passages is, in some segment, in at least ``cut`` times that segment's share of all
    passages (else the segments' counts would sum to less), so only those terms of each segment's lexicon are
    looked up.
    """
    from kb.index.whoosh.scoring import live_stats

    indexed = _indexed(ix)
    if indexed is None:
        return set()
    stats = live_stats(reader)
    cut = max(2.0, FREQUENT_SHARE * stats.doc_count)
    every = max(1, reader.doc_count_all())
    candidates: set[str] = set()
    for leaf, _ in (reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]):
        least = cut * leaf.doc_count_all() / every
        terms = getattr(leaf, "_terms", None)
        items = (((name, text), info) for (name, text), info in terms.items_from("text", b"")) \
            if terms is not None and hasattr(terms, "items_from") else \
            ((("text", text), info) for text, info in leaf.iter_field("text"))
        for (name, text), info in items:
            if name != "text":
                break
            if info.doc_frequency() >= least:
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                if word not in indexed:
                    candidates.add(word)
    return {w for w in candidates if stats.doc_frequency("text", w) >= cut}


def schema(bigrams: bool | None = None, frequent: frozenset = frozenset()):
    """The passage schema. Stored fields carry everything a hit needs to be shown without the store."""
    from whoosh import columns, fields

    words = _tokenizer()
    sch = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True),
        text=KbText(analyzer=words, stored=True, phrase=False),
        # Every field costs postings per passage (the build's main cost): keep them few and cheap.
        title=KbText(analyzer=words, stored=True, phrase=False, field_boost=TITLE_BOOST),
        publisher=fields.ID(),  # normalised key, see publisher_key(); fuzzy matching is done on the few keys
        publisher_name=fields.STORED(),
        published=fields.STORED(),
        # Dates are columns, not postings: filters check the column of each candidate (see _ColumnFilter).
        date=fields.COLUMN(columns.NumericColumn("I")),  # YYYYMMDD, earliest possible day; 0 = undated
        date_latest=fields.COLUMN(columns.NumericColumn("I")),  # latest possible day
        type=fields.ID(stored=True),
        page=fields.STORED(),
        page_end=fields.STORED(),
        concepts=fields.KEYWORD(stored=True, commas=True, scorable=False),
    )
    if BIGRAMS if bigrams is None else bigrams:
        sch.add("bigrams", KbText(analyzer=_tokenizer(True, frequent), phrase=False))
    return sch


def _doc_fields(store, doc_id: str, bigrams: bool = False) -> Iterator[dict]:
    """The index fields of every passage of one document (:func:`kb.index.fields.doc_fields`), with the text
    again under ``bigrams`` when the schema indexes word pairs."""
    for fields in doc_fields(store, doc_id):
        if bigrams:
            fields["bigrams"] = fields["text"]
        yield fields
