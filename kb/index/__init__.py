"""The Whoosh passage index: schema, analysis, building/syncing, and running engine-neutral queries.

All Whoosh code lives here so the engine could be swapped. The rest of kb speaks in plain values:
``analyze()`` for terms, the query nodes below for searching, ``Hit`` dicts for results.

Design notes:
- One analysis function (``_analyse``) serves indexing, querying and highlighting, so they always agree.
  Words are lower-cased, Lucene's English stop words are dropped (positions renumbered, as in Lucene) and the
  rest is Porter-stemmed; ALL-CAPS acronyms (2-5 letters, optional plural "s") are kept unstemmed, so "ICSs"
  and "ICS" are the same term but "ics" is never confused with "ice".
- A word-bigram field answers phrases without reading positions (much faster in Whoosh); phrases of three
  or more words are then confirmed on the positional text field.
- Ranking is BM25 (k1=1.2, b=0.75) with Lucene's idf, per field, summed across fields (title boosted).
"""

from __future__ import annotations

import contextvars
import logging
import math
import os
import re
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sys
import types
from contextlib import contextmanager


@contextmanager
def _without_unused_imports():
    """Import Whoosh without the stdlib modules it imports but kb never uses (~60 ms per ``kb search``).

    whoosh.compat imports urllib.request for ``urlretrieve``, whoosh-reloaded's ``cached_property``
    dependency imports asyncio for coroutine support, and whoosh.query compiles the English morphology
    regexes of ``Variations`` queries (kb never makes one). While Whoosh loads, both names resolve to tiny stand-ins
    that import the real module on first use; afterwards the real modules import normally.
    """
    stand_ins = {}
    for name, attrs in (("urllib.request", ("urlretrieve",)), ("asyncio", ("iscoroutinefunction", "ensure_future")),
                        ("whoosh.lang.morph_en", ("variations",))):
        if name in sys.modules:
            continue
        mod = types.ModuleType(name)
        for attr in attrs:
            setattr(mod, attr, _deferred(name, attr))
        stand_ins[name] = sys.modules[name] = mod
    try:
        yield
    finally:
        for name, mod in stand_ins.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]


def _deferred(module: str, attr: str):
    def call(*args, **kwargs):
        import importlib

        if module == "asyncio" and attr == "iscoroutinefunction":
            import inspect

            return inspect.iscoroutinefunction(*args, **kwargs)
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    return call


with _without_unused_imports():
    import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
    import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
    from whoosh.analysis import Token, Tokenizer
    from whoosh.fields import TEXT
    from whoosh.formats import Positions
    from whoosh.system import pack_uint

from kb.errors import NotIngested, StoreError


def _faster_posting_reads() -> None:
    """Make Whoosh's posting-block reader skip with a binary search instead of one Python call per posting.

    Whoosh 2.7's ``W3LeafMatcher.skip_to`` walks a block posting by posting (``id()``, ``next()``, ...),
    and decodes a block's document numbers with a Python generator. Those two loops were half the time of
    AND, filtered and multi-word queries on 100,000 passages. The replacements give the same positions
    (tests compare them with the originals on real blocks); they apply to whoosh-reloaded 2.7.5, which
    setup.cfg pins, and are skipped if the class does not look as expected.
    """
    from bisect import bisect_left
    from itertools import accumulate

    from whoosh.codec import whoosh3
    from whoosh.matching import ReadTooFar

    leaf = whoosh3.W3LeafMatcher
    if getattr(leaf, "_kb_original", None) or not all(
            hasattr(leaf, n) for n in ("skip_to", "_read_ids", "_read_data", "_next_block", "_goto")):
        return
    original = {"skip_to": leaf.skip_to, "_read_ids": leaf._read_ids}

    def _read_ids(self):
        if self._byteids:
            return original["_read_ids"](self)
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(self._data[0]))  # the ids are stored as deltas

    def skip_to(self, targetid):
        if self._byteids:
            return original["skip_to"](self, targetid)
        if self._atend or self._i >= self._blocklength:
            raise ReadTooFar
        if self._ids is None:
            self._read_ids()
        if targetid <= self._ids[self._i]:
            return
        if targetid > self._maxid:
            # Whole blocks are passed on their stored maximum id, without decoding them.
            while True:
                self._next_block()
                if self._atend:
                    return
                if targetid <= self._maxid:
                    break
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)

    leaf._kb_original = original
    leaf._read_ids = _read_ids
    leaf.skip_to = skip_to


_faster_posting_reads()


def _exact_and_not() -> None:
    """Fix two slips of Whoosh's ``AndNotMatcher`` (A AND NOT B).

    - On creation it excludes A's first match only when B starts on the very same passage, so a first match of
      A that B reaches after skipping (B starts earlier) was kept: ``care -health`` listed a passage with
      "health" when it was the first with "care" and another "health" passage came before it.
    - It read A's id after ``skip_to_quality`` had moved A past its last posting (None < int: TypeError).
    """
    from whoosh.matching import binary

    cls = binary.AndNotMatcher
    if getattr(cls, "_kb_original", None):
        return
    original = {"_find_next": cls._find_next, "_find_first": cls._find_first}

    def _find_next(self):
        if not self.a.is_active():
            return False
        return original["_find_next"](self)

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            original["_find_next"](self)

    cls._kb_original = original
    cls._find_next = _find_next
    cls._find_first = _find_first


_exact_and_not()

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"
#: The title is a second BM25 field of weight 1, like Anserini's multifield runs (docs/search.md, Ranking).
TITLE_BOOST = 1.0
#: Lucene's English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET).
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split()
)

_TOKEN_RE = re.compile(r"[A-Z]+&[A-Z]+|[^\W_]+(?:['\u2019][^\W_]+)*")
_ACRONYM_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&]{1,4}s?$")
_POSSESSIVE_RE = re.compile(r"['\u2019]s$")


# -- analysis -------------------------------------------------------------------------------------------
@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    from whoosh.lang.porter import stem

    return stem(word)


def is_acronym(token: str) -> bool:
    """ALL-CAPS tokens of 2-5 characters (plus a plural "s"): NHS, ICS, ICSs, PCNs, A&E."""
    return bool(_ACRONYM_RE.match(token))


def term_for(token: str) -> str | None:
    """The index term for one token as written, or None for a stop word (see _term_of for the cached form)."""
    if is_acronym(token):
        if token.endswith("s") and len(token) > 2:
            token = token[:-1]
        return token.lower()
    low = _POSSESSIVE_RE.sub("", token.lower())
    if low in STOP_WORDS:
        return None
    return _stem(low.replace("\u2019", "'"))


#: token as written -> its term ("" for a stop word): the one cache of term_for, a plain dict so that
#: indexing can look tokens up in C (``map(_TERM_OF.get, ...)``).
_TERM_OF: dict[str, str] = {}


def _term_of(token: str) -> str:
    """``term_for`` through the cache; "" for a stop word."""
    term = _TERM_OF.get(token)
    if term is None:
        if len(_TERM_OF) > 2_000_000:
            _TERM_OF.clear()
        term = _TERM_OF[token] = term_for(token) or ""
    return term


@lru_cache(maxsize=8)
def _analyse(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) for every kept token; a token's position is its index in this tuple."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        term = _term_of(m.group())
        if term:
            out.append((term, m.start(), m.end()))
    return tuple(out)


@lru_cache(maxsize=8)
def _terms(text: str) -> tuple[str, ...]:
    """The terms of ``_analyse`` without their offsets: what indexing needs, at a third of the cost."""
    tokens = _TOKEN_RE.findall(text)
    terms = list(map(_TERM_OF.get, tokens))
    if None in terms:
        terms = [_term_of(t) if term is None else term for t, term in zip(tokens, terms)]
    return tuple(filter(None, terms))


def analyze(text: str) -> list[str]:
    """The index terms of a piece of text, in order (stop words removed)."""
    return list(_terms(text))


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(term, start char, end char) for highlighting."""
    return list(_analyse(text))


def raw_words(text: str) -> list[str]:
    """The tokens of ``text`` as written (stop words included), for explaining a query."""
    return _TOKEN_RE.findall(text)


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
            terms = tuple((a[0] + " " + b[0], a[1], b[2]) for a, b in zip(terms, terms[1:])
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
        if tokenizer.bigrams:
            f = tokenizer.frequent
            words = [a + " " + b for a, b in zip(terms, terms[1:]) if a in f and b in f]
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
#: A term is "frequent" when it is in at least this share of a sample of passages (fixed per index build).
FREQUENT_SHARE = 0.02
FREQUENT_SAMPLE = 5000


def frequent_terms(store) -> frozenset:
    """Terms in at least FREQUENT_SHARE of (a sample of) the store's passages."""
    from collections import Counter

    # An evenly spaced sample (every k-th passage), not a random one: the same store builds the same index.
    total = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    step = max(1, total // FREQUENT_SAMPLE)
    rows = store.conn.execute(
        "SELECT text FROM passages WHERE doc_id IN (SELECT id FROM documents WHERE duplicate_of IS NULL) "
        "AND rowid % ? = 0 ORDER BY rowid LIMIT ?", (step, FREQUENT_SAMPLE)).fetchall()
    df: Counter = Counter()
    for (text,) in rows:
        df.update(set(_terms(text)))
    cut = max(2, int(len(rows) * FREQUENT_SHARE))
    return frozenset(t for t, n in df.items() if n >= cut)


def _frequent(ix) -> frozenset | None:
    """The index's frequent-term set, or None when it has no bigram field."""
    if "bigrams" not in ix.schema:
        return None
    return ix.schema["bigrams"].analyzer.frequent


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


def publisher_key(name: str) -> str:
    """Case-, punctuation- and "The"-insensitive publisher key: "The King's Fund" -> "kings fund"."""
    low = name.lower().replace("\u2019", "'").replace("'", "")
    low = re.sub(r"[^\w]+", " ", low).strip()
    return re.sub(r"^the ", "", low)


def type_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def _day_number(iso: str | None) -> int | None:
    return int(iso.replace("-", "")) if iso else None


def _passage_fields(doc: dict, passage, concepts: Iterable[str]) -> dict:
    fields = {
        "id": passage.id,
        "doc_id": passage.doc_id,
        "text": passage.text,
        "title": doc.get("title") or "",
        "published": doc.get("published") or "",
        "page": passage.page,
        "page_end": passage.page_end,
        "concepts": ",".join(sorted(set(concepts))),
    }
    if doc.get("publisher"):
        fields["publisher"] = publisher_key(doc["publisher"])
        fields["publisher_name"] = doc["publisher"]
    if doc.get("doc_type"):
        fields["type"] = type_key(doc["doc_type"])
    earliest, latest = _day_number(doc.get("date_earliest")), _day_number(doc.get("date_latest"))
    if earliest:
        fields["date"] = earliest
        fields["date_latest"] = latest or earliest
    return fields


def _doc_fields(store, doc_id: str, bigrams: bool = False) -> list[dict]:
    doc = store.document(doc_id, with_text=False)
    if doc is None:
        return []
    by_passage: dict[str, set[str]] = {}
    for row in store.conn.execute("SELECT passage_id, concept_id FROM mentions WHERE doc_id=?", (doc_id,)):
        by_passage.setdefault(row[0], set()).add(row[1])
    rows = [_passage_fields(doc, p, by_passage.get(p.id, ())) for p in store.passages(doc_id)]
    if bigrams:
        for row in rows:
            row["bigrams"] = row["text"]
    return rows


# -- opening ----------------------------------------------------------------------------------------------
def exists(index_dir: Path) -> bool:
    from whoosh import index

    return Path(index_dir).is_dir() and index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_index(index_dir: Path):
    """Open the index for reading; NotIngested when it is not there."""
    from whoosh import index

    if not Path(index_dir).is_dir():
        raise NotIngested(f"No search index at {index_dir}. Run `kb ingest` first.")
    if index_version(index_dir) not in (None, INDEX_VERSION):
        raise NotIngested(
            f"The search index at {index_dir} was built by another version of kb. Run `kb ingest` to rebuild it."
        )
    try:
        return index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except index.EmptyIndexError:
        raise NotIngested(f"No search index at {index_dir}. Run `kb ingest` first.") from None
    except Exception as exc:  # whoosh raises a variety of errors for damaged indexes
        raise StoreError(f"The search index {index_dir} is unreadable ({exc}). Run `kb ingest --force`.") from None


#: Bump when the schema or analysis changes: `kb ingest` then rebuilds the index instead of adding to it.
INDEX_VERSION = "kb-index-5"
_VERSION_FILE = "kb-index-version"


def index_version(index_dir: Path) -> str | None:
    """The version marker of an existing index; None for a folder without an index."""
    marker = Path(index_dir) / _VERSION_FILE
    if marker.exists():
        return marker.read_text("utf-8").strip()
    return "unknown" if exists(index_dir) else None


def _create(index_dir: Path, store):
    from whoosh import index

    Path(index_dir).mkdir(parents=True, exist_ok=True)
    sch = schema(frequent=frequent_terms(store) if BIGRAMS else frozenset())
    ix = index.create_in(str(index_dir), sch, indexname=INDEX_NAME)
    (Path(index_dir) / _VERSION_FILE).write_text(INDEX_VERSION + "\n", "utf-8")
    return ix


# -- writing -----------------------------------------------------------------------------------------------
#: From this many passages to (re)build, a second process writes half of them as a segment of its own.
PARALLEL_THRESHOLD = 20_000


@lru_cache(maxsize=1)
def _private_temp_storage(index_dir: Path):
    """The index folder, with temporary files in a folder of this writer's own.

    Whoosh names a writer's temporary folder after the index ("MAIN.tmp") and deletes it when the writer
    finishes; with two segment writers at once, the first to finish deleted the other's spilled columns. The
    writer and its per-document writer each ask for a temporary folder and only the writer's is deleted, so
    both get the same one (named after the process; ``_clean_leftovers`` removes those of dead processes).
    """
    from whoosh.filedb.filestore import FileStorage

    class PrivateTemp(FileStorage):
        def temp_storage(self, name=None):
            return super().temp_storage(f"{name or 'tmp'}-{os.getpid()}")

    return PrivateTemp(str(index_dir))


_TEMP_RE = re.compile(rf"^(?:{INDEX_NAME}\.tmp|\.whoosh-build)-(\d+)(?:-.*)?$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_leftovers(index_dir: Path) -> None:
    """Remove what an interrupted or crashed writer left: temporary folders of dead processes, a half-swapped
    ``.old`` index, and a write lock nobody holds.

    Callers hold kb's ingest lock, so no other kb writer is running; the process checks keep a foreign writer's
    folders safe anyway, and the write lock is removed only while this process holds it.
    """
    index_dir = Path(index_dir)
    places = [(index_dir, True), (index_dir.parent, False)]
    for folder, inside in places:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            name = entry.name
            stale = False
            m = _TEMP_RE.match(name)
            if m and entry.is_dir():
                stale = not _alive(int(m.group(1)))
            elif inside and entry.is_dir() and name.startswith(f"{INDEX_NAME}.tmp"):
                stale = True  # Whoosh's own name, from a writer of an earlier kb
            elif not inside and entry.is_dir() and (name.startswith(".whoosh-build-") and not m
                                                    or name == index_dir.name + ".old"):
                stale = True  # a build folder of an earlier kb, or the previous index of an interrupted swap
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
    _clear_write_lock(index_dir)


def _clear_write_lock(index_dir: Path) -> None:
    """Delete Whoosh's lock file when no writer holds it (Whoosh leaves the file behind after every commit)."""
    import fcntl

    path = Path(index_dir) / f"{INDEX_NAME}_WRITELOCK"
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return  # a writer holds it
    try:
        path.unlink(missing_ok=True)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _memory_writer_class():
    """A Whoosh SegmentWriter that gathers postings in memory, per term, as documents arrive.

    Whoosh's own writer pushes every posting through an external sort (a pickle dump and load each, then a
    heap merge) and afterwards reads each posting's field length back from disk: about two thirds of the
    build time. kb's batches fit in memory, and documents arrive in docnum order, so postings can simply be
    appended to a list per term and written in term order. The segment files are the same.
    """
    from whoosh.writing import SegmentWriter

    class MemoryPool:
        def __init__(self) -> None:
            self.terms: dict = {}  # (fieldname, term bytes) -> [(docnum, weight, value bytes), ...]

        def add(self, item) -> None:  # item = (fieldname, term bytes, docnum, weight, value bytes)
            key = item[:2]
            postings = self.terms.get(key)
            if postings is None:
                self.terms[key] = [item[2:]]
            else:
                postings.append(item[2:])

        def cleanup(self) -> None:
            self.terms = {}

    class MemoryWriter(SegmentWriter):
        def __init__(self, ix, **kwargs) -> None:
            super().__init__(ix, **kwargs)
            self.pool = MemoryPool()

        def _flush_segment(self) -> None:
            self.perdocwriter.close()
            reader = self.per_document_reader()
            try:
                lengths = {name: [reader.doc_field_length(d, name) for d in range(self.docnum)]
                           for name, field in self.schema.items() if field.scorable}
            finally:
                reader.close()
            writer, terms, current = self.fieldwriter, self.pool.terms, None
            for key in sorted(terms):
                fieldname, text = key
                if fieldname != current:
                    if current is not None:
                        writer.finish_field()
                    writer.start_field(fieldname, self.schema[fieldname])
                    current, length = fieldname, lengths.get(fieldname)
                postings = terms[key]
                postings.sort()  # docnums already ascend unless segments were merged in (then sorted here)
                writer.start_term(text)
                for docnum, weight, value in postings:
                    writer.add(docnum, weight, value or b"", length[docnum] if length else 0)
                writer.finish_term()
            if current is not None:
                writer.finish_field()
            writer.close()
            self.pool.cleanup()

    return MemoryWriter


def _write(writer, store, ix, doc_ids: list[str], progress: Callable[[int], None] | None,
           delete: list[str] = (), originals: set[str] | None = None) -> None:
    """Delete then add documents' passages in one commit; cancel the writer on any error or interrupt.

    Segments left with many deleted passages (``_segments_to_rewrite``) are dropped and their live documents
    indexed again, from the store, into the new segment (``originals``: the documents that may be indexed).
    """
    try:
        for doc_id in delete:
            writer.delete_by_term("doc_id", doc_id)
        rewrite = _segments_to_rewrite(writer.segments)
        again: set[str] = set()
        for seg in rewrite:
            again |= _live_doc_ids(writer.storage, writer.schema, seg)
        if originals is not None:
            again &= originals
        again -= set(doc_ids)
        if again:
            log.info("search index: re-indexing %d documents to drop deleted passages", len(again))
        _add_docs(writer, store, "bigrams" in ix.schema, doc_ids, progress)
        _add_docs(writer, store, "bigrams" in ix.schema, sorted(again), None)
        dropped = {seg.segment_id() for seg in rewrite}
        writer.commit(mergetype=lambda w, segments: [seg for seg in segments if seg.segment_id() not in dropped])
    except BaseException:
        writer.cancel()
        raise


#: A sync rewrites a segment without its deleted passages once they are this share of it, or whenever it has
#: deletions and holds at most PURGE_ALWAYS_UP_TO passages; see ``_segments_to_rewrite``.
PURGE_SHARE = 0.1
PURGE_ALWAYS_UP_TO = 5_000
#: More segments than this after a sync: the smallest of those up to PURGE_ALWAYS_UP_TO passages are rewritten
#: into the new one.
MAX_SEGMENTS = 6


def _segments_to_rewrite(segments: list) -> list:
    """The segments a sync re-indexes from the store (deletions applied), so that deleted passages go.

    Whoosh only marks passages deleted: they stay in the segment, in its document count and in every term's
    document frequency (so in BM25's idf) until the segment is rewritten, and piled up with every re-ingest.
    Whoosh's own merge would rewrite them, but it stores each passage's length rounded to its one-byte form,
    so the average length (and every score) would drift from a fresh build; re-indexing the segment's live
    documents from the store gives exactly what ``rebuild`` gives. Cost: indexing those passages again, so a
    large segment waits until a tenth of it is deleted.
    """
    out = []
    for seg in segments:
        dead, every = seg.deleted_count(), seg.doc_count_all()
        if dead and (every <= PURGE_ALWAYS_UP_TO or dead >= PURGE_SHARE * every):
            out.append(seg)
    # Too many segments: the small ones (a rebuild's full-size segments never count as small) are merged.
    rest = sorted((seg for seg in segments if seg not in out), key=lambda seg: seg.doc_count_all())
    small = [seg for seg in rest if seg.doc_count_all() <= PURGE_ALWAYS_UP_TO]
    while small and len(rest) + 1 > MAX_SEGMENTS:
        seg = small.pop(0)
        rest.remove(seg)
        out.append(seg)
    return out


def _live_doc_ids(storage, schema, segment) -> set[str]:
    """Doc ids of the passages of ``segment`` that are not deleted."""
    from whoosh.reading import SegmentReader

    reader = SegmentReader(storage, schema, segment)
    try:
        names = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("doc_id")]
        return {name for name in names if any(True for _ in reader.postings("doc_id", name).all_ids())}
    finally:
        reader.close()


def _add_docs(writer, store, bigrams: bool, doc_ids: list[str], progress: Callable[[int], None] | None) -> None:
    for doc_id in doc_ids:
        rows = _doc_fields(store, doc_id, bigrams)
        for fields in rows:
            writer.add_document(**fields)
        if progress:
            progress(len(rows))


#: A rebuild's writer closes its segment and starts another after this many passages, so that what it holds
#: in memory (about 17 KB per passage of the benchmark corpus while a segment is gathered) stays bounded:
#: about 1.7 GB per writer process, whatever the size of the collection.
SEGMENT_PASSAGES = 100_000


def _write_segment(index_dir: Path, store, doc_ids: list[str], progress: Callable[[int], None] | None) -> list:
    """Write the passages of ``doc_ids`` as new segments (one per SEGMENT_PASSAGES passages) of the index at
    ``index_dir``; return them.

    The segments are not yet listed in the index's table of contents: the caller, which holds the only
    writer of this fresh index, lists every finished segment at once. Documents are read from the store one
    at a time, so only the segment being gathered is held in memory.
    """
    segments, start = [], 0
    while start < len(doc_ids):
        segment, start = _write_one_segment(index_dir, store, doc_ids, start, progress)
        if segment is not None:
            segments.append(segment)
    return segments


def _write_one_segment(index_dir: Path, store, doc_ids: list[str], start: int,
                       progress: Callable[[int], None] | None) -> tuple[object, int]:
    """One segment of ``doc_ids[start:]``, ended after the document that reaches SEGMENT_PASSAGES passages;
    return (the segment or None, where the next one starts)."""
    import gc

    ix = _private_temp_storage(index_dir).open_index(indexname=INDEX_NAME)
    writer = _memory_writer_class()(ix, _lk=False)
    # Millions of long-lived posting tuples make every automatic collection walk them all; none form cycles.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    bigrams = "bigrams" in ix.schema
    try:
        k = start
        while k < len(doc_ids):
            _add_docs(writer, store, bigrams, [doc_ids[k]], progress)
            k += 1
            if writer.docnum >= SEGMENT_PASSAGES:
                break
        if not writer._added:
            writer._close_segment()
            return None, k
        return writer._finalize_segment(), k
    except BaseException:
        writer._close_segment()
        raise
    finally:
        writer._finish()
        ix.close()
        if collecting:
            gc.enable()


def _segment_process(index_dir: str, store_path: str, doc_ids: list[str], done, results) -> None:
    """Worker process: one share of a rebuild. Reports passages done in ``done``; its segments in ``results``."""
    import signal

    from kb.store import Store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means

    def count(n: int) -> None:
        with done.get_lock():
            done.value += n

    try:
        store = Store.open(Path(store_path))
        try:
            results.put(("ok", _write_segment(Path(index_dir), store, doc_ids, count)))
        finally:
            store.close()
    except BaseException as exc:  # reported to the parent, which raises it as a StoreError
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _shares(store, doc_ids: list[str], parts: int) -> list[list[str]]:
    """Split documents (kept in order) into ``parts`` runs holding about the same number of passages."""
    counts = dict(store.conn.execute("SELECT doc_id, COUNT(*) FROM passages GROUP BY doc_id").fetchall())
    total = sum(counts.get(d, 0) for d in doc_ids)
    shares: list[list[str]] = [[] for _ in range(parts)]
    seen = 0
    for doc_id in doc_ids:
        shares[min(parts - 1, seen * parts // max(total, 1))].append(doc_id)
        seen += counts.get(doc_id, 0)
    return [s for s in shares if s]


def _build_segments(index_dir: Path, store, doc_ids: list[str], passages: int,
                    progress: Callable[[int], None] | None) -> list:
    """Write ``doc_ids`` into the fresh index at ``index_dir`` as one segment per process; return them."""
    import multiprocessing as mp
    import queue

    procs = 2 if passages >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1 else 1
    shares = _shares(store, doc_ids, procs)
    if len(shares) < 2:
        return _write_segment(index_dir, store, doc_ids, progress)
    ctx = mp.get_context("spawn")
    done, results = ctx.Value("q", 0), ctx.Queue()
    worker = ctx.Process(target=_segment_process, daemon=True,
                         args=(str(index_dir), str(store.path), shares[1], done, results))
    worker.start()
    reported = 0

    def report(mine: int = 0) -> None:
        nonlocal reported
        theirs = done.value
        if progress:
            progress(mine + theirs - reported)
        reported = theirs

    try:
        segments = _write_segment(index_dir, store, shares[0], report)
        while True:
            try:
                status, value = results.get(timeout=0.2)
                break
            except queue.Empty:
                report()
                if not worker.is_alive():
                    raise StoreError("The search index worker stopped unexpectedly. Run `kb ingest` again.") from None
        report()
        if status != "ok":
            raise StoreError(f"Building the search index failed ({value}). Run `kb ingest --force`.")
        worker.join()
        return [*segments, *value]
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()


def _list_segments(index_dir: Path, segments: list) -> None:
    """Make ``segments`` the whole content of the fresh index at ``index_dir``."""
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(index_dir))
    toc = whoosh_index.TOC.read(storage, INDEX_NAME)
    whoosh_index.TOC(toc.schema, segments, toc.generation + 1).write(storage, INDEX_NAME)
    whoosh_index.clean_files(storage, INDEX_NAME, toc.generation + 1, segments)


def sync(store, index_dir: Path, progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
    """Bring the index in line with the store; return (indexed doc ids, deleted doc ids).

    Deletes the passages of queued deletions and of documents being re-indexed, adds every unindexed
    non-duplicate document, commits once, and only then marks the documents indexed in the store, so a crash
    in between just redoes the work on the next run. ``progress`` is called with a count of passages added.
    """
    index_dir = Path(index_dir)
    deleted = store.pending_index_deletions()
    present = exists(index_dir)
    if present and index_version(index_dir) != INDEX_VERSION:
        log.info("search index %s is from another kb version: rebuilding it", index_dir)
        indexed = rebuild(store, index_dir, progress)
        return indexed, deleted
    if not present:
        # Without an index every stored document needs indexing, whatever the store remembers.
        rebuild(store, index_dir, progress)
        return [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY id")], deleted
    todo = store.unindexed_documents()
    _clean_leftovers(index_dir)
    if not deleted and not todo:
        return [], []
    ix = open_index(index_dir)
    originals = {r[0] for r in store.conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL")}
    wanted = set(todo) & originals
    writer = _memory_writer_class()(ix)
    # Duplicate editions are stored and shown, never indexed.
    try:
        _write(writer, store, ix, [d for d in todo if d in wanted], progress, delete=sorted(set(deleted) | set(todo)),
               originals=originals - set(deleted))
    finally:
        ix.close()
        _clear_write_lock(index_dir)
    store.mark_indexed(todo, deleted)
    return todo, deleted


def rebuild(store, index_dir: Path, progress: Callable[[int], None] | None = None) -> list[str]:
    """Build a fresh index from the whole store in a temporary folder, then swap it in.

    Readers of the old index keep working until the swap; a crash leaves the old index in place.
    Returns the ids of the documents indexed.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(index_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".whoosh-build-{os.getpid()}-", dir=index_dir.parent))
    try:
        ix = _create(tmp, store)
        docs = [d["id"] for d in store.documents(include_duplicates=False)]
        total = store.conn.execute(
            "SELECT COUNT(*) FROM passages WHERE doc_id IN (SELECT id FROM documents WHERE duplicate_of IS NULL)"
        ).fetchone()[0]
        ix.close()
        _list_segments(tmp, _build_segments(tmp, store, docs, total, progress))
        old = index_dir.with_name(index_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if index_dir.exists():
            os.replace(index_dir, old)
        os.replace(tmp, index_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    every = [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY id")]
    store.mark_indexed(every, store.pending_index_deletions())
    return docs


# -- engine-neutral query nodes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermQ:
    field: str
    term: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseQ:
    field: str  # "text" or "title" (bigrams used automatically for "text")
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class NearQ:
    """Two terms side by side in the passage text (used as an optional ranking bonus)."""

    first: str
    second: str
    boost: float = 1.0


@dataclass(frozen=True)
class PrefixQ:
    field: str
    prefix: str


@dataclass(frozen=True)
class RangeQ:
    field: str  # a column: date, date_latest (YYYYMMDD)
    low: int | None
    high: int | None


@dataclass(frozen=True)
class BoolQ:
    """Lucene-style boolean: all of ``must``, none of ``must_not``, ``should`` optional but scored.

    With no ``must`` at least one ``should`` has to match. ``filters`` must match but add no score.
    """

    must: tuple = ()
    should: tuple = ()
    must_not: tuple = ()
    filters: tuple = ()


@dataclass(frozen=True)
class AllQ:
    """Every passage."""


def _zero_score(q):
    """Wrap a query so it filters without scoring and without materialising its matches."""
    from whoosh import matching
    from whoosh import query as wq

    class ZeroMatcher(matching.WrappingMatcher):
        def _replacement(self, newchild):
            return ZeroMatcher(newchild)

        def supports_block_quality(self):
            return False

        def max_quality(self):
            return 0.0

        def score(self):
            return 0.0

        def weight(self):
            return 0.0

        def skip_to_quality(self, minquality):
            return 0  # scores nothing, so no block is better or worse than another

    class ZeroScore(wq.WrappingQuery):
        def _rewrap(self, child):
            return ZeroScore(child)

        def matcher(self, searcher, context=None):
            return ZeroMatcher(self.child.matcher(searcher, context))

    return ZeroScore(q)


#: A phrase of frequent words only is confirmed on the stored text when its rarest word pair is in at most this
#: many passages of a segment; above it, a passage holding every pair matches (see docs/search.md).
RUN_CHECK_UP_TO = 2000


def _to_whoosh(node, frequent: frozenset | None = None):
    from whoosh import query as wq

    if isinstance(node, TermQ):
        return wq.Term(node.field, node.term, boost=node.boost)
    if isinstance(node, PhraseQ):
        if len(node.terms) == 1:
            return wq.Term(node.field, node.terms[0], boost=node.boost)
        if node.field == "text" and frequent and all(t in frequent for t in node.terms):
            grams = [wq.Term("bigrams", a + " " + b) for a, b in zip(node.terms, node.terms[1:])]
            if len(node.terms) == 2:
                grams[0].boost = node.boost
                return grams[0]
            return _run_check(_bool(grams, boost=node.boost), node.terms, RUN_CHECK_UP_TO)
        query = _bool([wq.Term(node.field, t) for t in node.terms], boost=node.boost)
        # Without positions a title "phrase" means all of its words; text is confirmed word for word (a rarer
        # word bounds the candidates).
        return _run_check(query, node.terms) if node.field == "text" else query
    if isinstance(node, NearQ):
        if frequent and node.first in frequent and node.second in frequent:
            return wq.Term("bigrams", node.first + " " + node.second, boost=node.boost)
        # Pairs with a rarer word seldom stand side by side by chance: they go without the bonus.
        return wq.NullQuery
    if isinstance(node, PrefixQ):
        return wq.Prefix(node.field, node.prefix)
    if isinstance(node, RangeQ):
        return _column_filter(wq.Every(), [node])
    if isinstance(node, AllQ):
        return wq.Every()
    if isinstance(node, BoolQ):
        ranges = [n for n in _flat_filters(node.filters) if isinstance(n, RangeQ)]
        others = [n for n in _flat_filters(node.filters) if not isinstance(n, RangeQ)]
        if ranges:
            rest = BoolQ(must=node.must, should=node.should, must_not=node.must_not, filters=tuple(others))
            inner = _to_whoosh(rest, frequent) if (rest.must or rest.should or rest.filters) else None
            if inner is None:
                inner = wq.Every() if not rest.must_not else wq.AndNot(
                    wq.Every(), _bool([], [_to_whoosh(n, frequent) for n in rest.must_not]))
            return _column_filter(inner, ranges)
        must = [_to_whoosh(n, frequent) for n in node.must]
        filters = [_zero_score(_to_whoosh(n, frequent)) for n in node.filters]
        should = [_to_whoosh(n, frequent) for n in node.should]
        nots = [_to_whoosh(n, frequent) for n in node.must_not]
        if should and not must:
            # Filters narrow the alternatives; unlike Lucene they do not make them optional.
            must, should = [_bool([], should)], []
        must += filters
        positive = _bool(must, should) if must else wq.Every()
        if nots:
            return wq.AndNot(positive, _bool([], nots))
        return positive
    raise TypeError(f"not a query node: {node!r}")


def _flat_filters(filters: tuple) -> list:
    """Filters, with pure-filter BoolQs (e.g. a date range's two column checks) spread out."""
    out = []
    for f in filters:
        if isinstance(f, BoolQ) and f.filters and not (f.must or f.should or f.must_not):
            out += _flat_filters(f.filters)
        else:
            out.append(f)
    return out


@lru_cache(maxsize=1)
def _filter_matcher():
    """Base of matchers that pass on only some of their child's matches: ``_find`` settles on the next one."""
    from whoosh import matching

    class FilterMatcher(matching.WrappingMatcher):
        def _find(self) -> None:
            raise NotImplementedError

        def next(self):
            r = self.child.next()
            self._find()
            return r

        def skip_to(self, id):
            r = self.child.skip_to(id)
            self._find()
            return r

        def skip_to_quality(self, minquality):
            r = self.child.skip_to_quality(minquality)
            self._find()
            return r

        def all_ids(self):
            while self.is_active():
                yield self.id()
                self.next()

    return FilterMatcher


def _contains_run(terms: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n, first = len(run), run[0]
    return any(t == first and terms[i:i + n] == run for i, t in enumerate(terms))


#: The score a phrase check's candidates must beat to be worth reading, while a title-bonus tier's matcher is
#: built (None: no page threshold yet).
_PHASE_FLOOR: contextvars.ContextVar = contextvars.ContextVar("kb_phase_floor", default=None)


def _run_check(child, run: tuple[str, ...], up_to: int | None = None):
    """Keep the matches of ``child`` whose stored text holds the terms of ``run`` side by side, in order."""
    from whoosh import query as wq

    class RunCheckMatcher(_filter_matcher()):
        """Reads a candidate's stored text only when its score could still put it on the page asked for.

        Whoosh's top-N collector tells matchers the score a passage must beat (``skip_to_quality``, adjusted
        for the rest of the query, as for its own block skipping); a candidate at or below it can never be
        shown, so it is passed on unchecked and only the handful that compete for the page are read.
        """

        def __init__(self, child, reader, minquality=None):
            super().__init__(child)
            self.reader = reader
            self.minquality = minquality
            self._find()

        def _find(self) -> None:
            child = self.child
            while child.is_active():
                if self.minquality and child.score() <= self.minquality:
                    return
                text = self.reader.stored_fields(child.id()).get("text") or ""
                if _contains_run(_terms(text), run):
                    return
                child.next()

        def _replacement(self, newchild):
            return RunCheckMatcher(newchild, self.reader, self.minquality)

        def copy(self):
            return RunCheckMatcher(self.child.copy(), self.reader, self.minquality)

        def skip_to_quality(self, minquality):
            self.minquality = minquality
            return super().skip_to_quality(minquality)

    class RunCheck(wq.WrappingQuery):
        def _rewrap(self, child):
            return RunCheck(child)

        def matcher(self, searcher, context=None):
            reader = searcher.reader()
            inner = self.child.matcher(searcher, context)
            if up_to is not None:
                # Reading stored text costs ~0.2 ms a passage: only when the word pairs leave few candidates.
                pairs = [a + " " + b for a, b in zip(run, run[1:])]
                if min(reader.doc_frequency("bigrams", g) for g in pairs) > up_to:
                    return inner
            return RunCheckMatcher(inner, reader, _PHASE_FLOOR.get())

    return RunCheck(child)


#: A docnum past the end of any segment (skip_to it to exhaust a matcher).
_BEYOND = 2**31


@lru_cache(maxsize=1)
def _runs_matcher():
    """A matcher passing on only its child's matches inside docnum runs ([start, end) lists), skipping the gaps."""
    from bisect import bisect_right

    class RunsMatcher(_filter_matcher()):
        def __init__(self, child, runs: tuple[list[int], list[int]]):
            super().__init__(child)
            self.runs = runs
            self._find()

        def _find(self) -> None:
            child, (starts, ends) = self.child, self.runs
            while child.is_active():
                d = child.id()
                k = bisect_right(starts, d) - 1
                if k >= 0 and d < ends[k]:
                    return
                # Passages of one document are neighbours (and share its date and title): jump to the next run.
                child.skip_to(starts[k + 1] if k + 1 < len(starts) else _BEYOND)

        def _replacement(self, newchild):
            return RunsMatcher(newchild, self.runs)

        def copy(self):
            return RunsMatcher(self.child.copy(), self.runs)

    return RunsMatcher


def _column_filter(child, ranges: list):
    """Keep only the matches of ``child`` whose column values fall in every range (no postings needed)."""
    from whoosh import query as wq

    # 0 means undated: an undated passage never passes a date filter, open-ended or not.
    checks = tuple((r.field, 1 if r.low is None else r.low, 99_999_999 if r.high is None else r.high)
                   for r in ranges)

    class ColumnFilter(wq.WrappingQuery):
        def _rewrap(self, child):
            return ColumnFilter(child)

        def matcher(self, searcher, context=None):
            runs = _date_runs(searcher.reader(), checks)
            return _runs_matcher()(self.child.matcher(searcher, context), runs)

    return ColumnFilter(child)


def _bool(required: list, optional: list = (), boost: float = 1.0):
    """Passages matching every ``required`` query, scored with whichever ``optional`` ones they also match."""
    required, optional = list(required), list(optional)
    if boost == 1.0 and len(required) + len(optional) == 1:
        return (required or optional)[0]
    return _exact_bool()(required, optional, boost)


@lru_cache(maxsize=1)
def _exact_bool():
    """The query class behind ``_bool``: Whoosh's And / Or / AndMaybe, with exact top-N pruning.

    Whoosh's binary matchers skip a block when the two sides' *current* block maxima cannot reach the page,
    but the skipped block may run on past the other side's block, where that side scores more: pages came out
    wrong (the true best passage missing) for about one query in eight on 100,000 passages. This evaluates
    the same boolean, scoring the same way, with MaxScore (Turtle & Flood 1995): clauses whose maxima together
    cannot reach the page only add to passages found through the others, and a clause's block is skipped only
    when its block maximum plus every other clause's maximum cannot reach the page.
    """
    from whoosh import matching
    from whoosh import query as wq

    def bound(m) -> float:
        return m.block_quality() if m.supports_block_quality() else m.max_quality()

    class ExactBoolMatcher(matching.Matcher):
        def __init__(self, required: list, optional: list, boost: float) -> None:
            self.req = required
            self.opt = sorted(optional, key=lambda m: m.max_quality())  # ascending: weakest first
            self.maxes = [m.max_quality() for m in self.opt]
            self.opt_max = sum(self.maxes)
            self.req_max = sum(m.max_quality() for m in required)
            self.boost = boost
            self.minq = 0.0  # the page's threshold, on the unboosted scale
            self.p = 0  # optional clauses [0, p) are non-essential: they never make a passage a candidate
            self._id = None
            self._score = None
            self._settle()

        # -- threshold -----------------------------------------------------------------------------------
        def _raise(self, minquality: float) -> None:
            if not minquality:
                return
            raw = minquality / self.boost if self.boost > 0 else float("inf")
            if raw <= self.minq:
                return
            self.minq = raw
            if not self.req:
                total, p = 0.0, 0
                for mx in self.maxes:
                    if total + mx > raw:
                        break
                    total, p = total + mx, p + 1
                self.p = p

        # -- finding the next candidate --------------------------------------------------------------------
        def _stop(self) -> None:
            self._id = self._score = None

        def _align(self):
            req = self.req
            if not all(m.is_active() for m in req):
                return None
            while True:
                target = max(m.id() for m in req)
                moved = False
                for m in req:
                    if m.id() < target:
                        m.skip_to(target)
                        if not m.is_active():
                            return None
                        moved = True
                if not moved:
                    return target

        def _settle(self) -> None:
            """Stop on the next passage that matches and, once there is a threshold, can beat it."""
            req, opt, maxes = self.req, self.opt, self.maxes
            while True:
                minq = self.minq
                if req:
                    d = self._align()
                    if d is None:
                        return self._stop()
                    here, rest = req, self.opt_max
                    probe = range(len(opt) - 1, -1, -1)
                else:
                    ess = [m for m in opt[self.p:] if m.is_active()]
                    if not ess:
                        return self._stop()
                    rest = sum(maxes[:self.p])
                    if minq and len(ess) == 1:
                        ess[0].skip_to_quality(minq - rest)
                        if not ess[0].is_active():
                            return self._stop()
                    d = min(m.id() for m in ess)
                    here = [m for m in ess if m.id() == d]
                    probe = range(self.p - 1, -1, -1)
                if not minq:
                    self._id, self._score = d, None  # every match counts: scored only if asked
                    return
                bounds = [bound(m) for m in here]
                if sum(bounds) + rest > minq:
                    score = sum(m.score() for m in here)
                    for k in probe:
                        if score + rest <= minq:
                            break
                        m = opt[k]
                        rest -= maxes[k]
                        if m.is_active() and m.id() < d:
                            m.skip_to(d)
                        if m.is_active() and m.id() == d:
                            score += m.score()
                    else:
                        if score > minq:
                            self._id, self._score = d, score
                            return
                    if req:
                        req[0].next()
                        continue
                elif req and self._skip_blocks(bounds, minq):
                    continue  # a required clause moved past blocks that cannot reach the page
                if req:
                    req[0].next()
                else:
                    for m in here:
                        m.next()

        def _skip_blocks(self, bounds: list, minq: float) -> bool:
            """Skip blocks of required clauses whose block maximum, with every other clause at its maximum,
            cannot reach the page. True if one moved."""
            moved = False
            for m, b in zip(self.req, bounds):
                others = self.req_max - m.max_quality() + self.opt_max
                if b + others <= minq:
                    before = m.id()
                    m.skip_to_quality(minq - others)
                    if not m.is_active():
                        return True  # _align reports the end
                    moved = moved or m.id() != before
            return moved

        # -- the matcher protocol -------------------------------------------------------------------------
        def is_active(self):
            return self._id is not None

        def id(self):
            return self._id

        def score(self):
            if self._score is None:
                d = self._id
                score = sum(m.score() for m in self.req)
                for m in self.opt:
                    if m.is_active() and m.id() < d:
                        m.skip_to(d)
                    if m.is_active() and m.id() == d:
                        score += m.score()
                self._score = score
            return self._score * self.boost

        def weight(self):
            return self.score()

        def next(self):
            d = self._id
            if d is None:
                raise matching.ReadTooFar
            if self.req:
                self.req[0].next()
            else:
                for m in self.opt[self.p:]:
                    if m.is_active() and m.id() == d:
                        m.next()
            self._settle()
            return True  # every passage is its own "block": callers re-check the bound each time

        def skip_to(self, id):
            if self._id is None:
                raise matching.ReadTooFar
            if id <= self._id:
                return
            for m in self.req + self.opt:
                if m.is_active() and m.id() < id:
                    m.skip_to(id)
            self._settle()

        def supports_block_quality(self):
            return True

        def max_quality(self):
            return (self.req_max + self.opt_max) * self.boost

        def block_quality(self):
            return self.score() if self._id is not None else 0.0

        def skip_to_quality(self, minquality):
            if minquality <= 0:
                return 0  # no page threshold yet: every match counts, even one scoring 0 (a concept tag alone)
            self._raise(minquality)
            if self._id is not None and self.score() <= minquality:
                self.next()
                return 1
            return 0

        def replace(self, minquality=0):
            self._raise(minquality)
            return self if self._id is not None else matching.NullMatcher()

        def all_ids(self):
            while self._id is not None:
                yield self._id
                self.next()

        def copy(self):
            raise NotImplementedError("kb's boolean matcher is not copied")

        def children(self):
            return self.req + self.opt

    class ExactBool(wq.Query):
        def __init__(self, required: list, optional: list, boost: float = 1.0) -> None:
            self.required, self.optional, self.boost = required, optional, boost

        def __repr__(self):
            return f"ExactBool({self.required!r}, {self.optional!r}, boost={self.boost})"

        def children(self):
            return self.required + self.optional

        def estimate_size(self, ixreader):
            if self.required:
                return min(q.estimate_size(ixreader) for q in self.required)
            return min(ixreader.doc_count_all(), sum(q.estimate_size(ixreader) for q in self.optional))

        def matcher(self, searcher, context=None):
            req = [q.matcher(searcher, context) for q in self.required]
            if not all(m.is_active() for m in req):
                return matching.NullMatcher()
            opt = [m for m in (q.matcher(searcher, context) for q in self.optional) if m.is_active()]
            if not req and not opt:
                return matching.NullMatcher()
            # Kept per segment for this query: a title-bonus tier asks for the same matches again.
            cache = self.__dict__.setdefault("_preloaded", {})
            reader = searcher.reader()
            if id(reader) not in cache:
                cache[id(reader)] = (reader, _preload(req, opt, self.boost, reader))
            arrays = cache[id(reader)][1]
            if arrays is not None:
                return _array_matcher()(*arrays) if arrays[0] else matching.NullMatcher()
            return ExactBoolMatcher(req, opt, self.boost)

    return ExactBool


#: Booleans of plain terms whose every required term (or, with none required, every term) is in at least this
#: many passages of a segment are scored a whole posting list at a time (see ``_preload``).
PRELOAD_FROM = 4096


def _preload(required: list, optional: list, boost: float, reader):
    """All matches of a boolean of plain terms, scored term at a time with numpy: (docnums, scores) or None.

    When every word is common (an AND of common words, or alternatives none of which is rare), almost every
    passage is a candidate, and scoring them one at a time in Python is what made such queries take most of a
    second on 100,000 passages. Here each posting list is decoded once and scored in arrays, with the same
    BM25 arithmetic as Whoosh's scorer, in the same order. None when a clause is not a plain term posting list
    (or a segment has deletions), or when the lists are short enough for the usual way.
    """
    from whoosh import matching

    leaves = []
    for m in required + optional:
        boost_of = 1.0
        if type(m) is matching.WrappingMatcher:
            m, boost_of = m.child, m.boost
        scorer = getattr(m, "scorer", None)
        if (not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend"))
                or getattr(m, "_byteids", False) or scorer is None
                or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1"))):
            return None
        term = m.term()
        if not (isinstance(term, tuple) and len(term) == 2):
            return None
        leaves.append((m, boost_of, scorer, term[0], reader.doc_frequency(*term)))
    sizes = [leaf[4] for leaf in leaves]
    drivers = sizes[:len(required)] if required else sizes
    if not drivers or min(drivers) < PRELOAD_FROM or (required and not optional):
        # An AND of terms alone keeps block skipping: each block's maximum plus the other terms' maxima
        # is a tight enough bound. Optional clauses (a side-by-side bonus, say) add their maxima to every
        # bound, and alternatives of common words each produce candidates: then every passage is read anyway.
        return None
    lengths = {field: _length_array(reader, field) for field in {leaf[3] for leaf in leaves}}
    if any(v is None for v in lengths.values()):
        return None
    import numpy as np

    n = reader.doc_count_all()
    total = np.zeros(n)
    count = np.zeros(n, dtype=np.int32)
    # Optional terms add in descending order of their maxima, as the one-at-a-time matcher adds them.
    order = list(range(len(required))) + sorted(range(len(required), len(leaves)),
                                                 key=lambda k: -leaves[k][0].max_quality())
    for k in order:
        m, boost_of, scorer, field, _ = leaves[k]
        ids: list = []
        weights: list = []
        for block_ids, block_weights in _posting_blocks(m):
            ids.extend(block_ids)
            weights.extend(block_weights)
        docs = np.array(ids, dtype=np.int64)
        tf = np.array(weights, dtype=np.float64)
        fl = lengths[field][docs]
        idf, K1, B, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))  # whoosh.scoring.bm25
        if boost_of != 1.0:
            scores = scores * boost_of
        total[docs] += scores
        if k < len(required) or not required:
            count[docs] += 1
    hits = np.flatnonzero(count == len(required)) if required else np.flatnonzero(count)
    scores = total[hits] * boost if boost != 1.0 else total[hits]
    return hits.tolist(), scores.tolist()


def _length_array(reader, field):
    """A segment's decoded field lengths as a float array (cached with the reader)."""
    def make():
        lengths = _field_lengths(reader, field)
        if lengths is None:
            return None
        import numpy as np

        return np.array(lengths, dtype=np.float64)

    return _cached(reader, ("length-array", field), make)


@lru_cache(maxsize=1)
def _array_matcher():
    from bisect import bisect_left

    from whoosh import matching

    CHUNK = 64

    class ArrayMatcher(matching.Matcher):
        """Matches given as ascending docnums with their scores; the maximum of each run of 64 lets
        block skipping pass over runs that cannot reach the page."""

        def __init__(self, ids: list, scores: list) -> None:
            self.ids, self.scores = ids, scores
            self.chunk_max = [max(scores[i:i + CHUNK]) for i in range(0, len(scores), CHUNK)]
            self.top = max(self.chunk_max)
            self.i = 0

        def is_active(self):
            return self.i < len(self.ids)

        def id(self):
            return self.ids[self.i]

        def score(self):
            return self.scores[self.i]

        def weight(self):
            return self.scores[self.i]

        def next(self):
            if self.i >= len(self.ids):
                raise matching.ReadTooFar
            self.i += 1
            return self.i % CHUNK == 0

        def skip_to(self, id):
            if self.i >= len(self.ids):
                raise matching.ReadTooFar
            if id > self.ids[self.i]:
                self.i = bisect_left(self.ids, id, self.i)

        def supports_block_quality(self):
            return True

        def max_quality(self):
            return self.top

        def block_quality(self):
            return self.chunk_max[self.i // CHUNK]

        def skip_to_quality(self, minquality):
            if minquality <= 0:
                return 0
            skipped, i, n = 0, self.i, len(self.ids)
            while i < n and self.chunk_max[i // CHUNK] <= minquality:
                i = (i // CHUNK + 1) * CHUNK
                skipped += 1
            self.i = min(i, n)
            return skipped

        def replace(self, minquality=0):
            if self.i >= len(self.ids) or (minquality and self.top <= minquality):
                return matching.NullMatcher()
            return self

        def all_ids(self):
            while self.i < len(self.ids):
                yield self.ids[self.i]
                self.i += 1

        def copy(self):
            other = ArrayMatcher.__new__(ArrayMatcher)
            other.__dict__.update(self.__dict__)
            return other

    return ArrayMatcher


#: Bonus tiers: documents whose bonus is within this factor of a tier's highest share that tier (at most
#: BONUS_TIERS tiers; the rest share the last one).
BONUS_TIER_RATIO = 0.7
BONUS_TIERS = 6


def _with_bonus(child, bonus_nodes: tuple, frequent: frozenset | None = None):
    """``child``'s matches, each scored plus what the optional ``bonus_nodes`` (title clauses) score on it.

    Exactly Whoosh's ``AndMaybe(child, Or(bonus))``, evaluated so that block-max skipping keeps working. A title
    matches few documents but adds a lot to their passages' scores; as an optional clause scored on every
    candidate it made every block look worth reading. Here the bonus of each passage is worked out first (titles
    are short postings lists), and the child is run tier by tier: passages with the highest bonus first, then
    lower tiers, then passages with no bonus at all. Within a tier the bonus is bounded, so the child's own
    block maxima decide what to skip, against a threshold the earlier tiers have already raised.
    """
    from whoosh import query as wq

    class Bonus(wq.WrappingQuery):
        def _rewrap(self, newchild):
            return Bonus(newchild)

        def matcher(self, searcher, context=None):
            scores = _bonus_scores(searcher, bonus_nodes, frequent, context)
            if not scores:
                return self.child.matcher(searcher, context)
            phases = _bonus_phases(scores, searcher.reader().doc_count_all())
            return _phased_matcher()(lambda: self.child.matcher(searcher, context), phases, scores)

    return Bonus(child)


def _bonus_scores(searcher, nodes: tuple, frequent, context) -> dict[int, float]:
    """Segment docnum -> summed score of the bonus clauses that match it."""
    total: dict[int, float] = {}
    for node in nodes:
        for d, v in _clause_scores(searcher, node, frequent, context).items():
            total[d] = total.get(d, 0.0) + v
    return total


def _clause_scores(searcher, node, frequent, context) -> dict[int, float]:
    if isinstance(node, TermQ):
        fast = _term_scores(searcher, node.field, node.term, context)
        if fast is not None:
            return fast if node.boost == 1.0 else {d: v * node.boost for d, v in fast.items()}
    elif isinstance(node, PhraseQ) and node.field != "text":
        # Without positions a title phrase is all of its words (see _to_whoosh): the sum of their scores.
        parts = [_clause_scores(searcher, TermQ(node.field, t), frequent, context) for t in node.terms]
        common = set(parts[0]).intersection(*parts[1:])
        return {d: sum(p[d] for p in parts) * node.boost for d in common}
    m = _to_whoosh(node, frequent).matcher(searcher, context)
    out = {}
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out


def _term_scores(searcher, field: str, term: str, context) -> dict[int, float] | None:
    """Every posting's score of one term, read a block at a time (None: not the expected posting reader)."""
    from whoosh import query as wq

    m = wq.Term(field, term).matcher(searcher, context)
    if not m.is_active():
        return {}
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend", "scorer")) or \
            getattr(m, "_byteids", False) or not hasattr(m.scorer, "_score"):
        return None
    scorer = m.scorer
    lengths = _field_lengths(searcher.reader(), field)
    dfl = lengths.__getitem__ if lengths is not None else scorer.dfl
    seen: dict[tuple, float] = {}  # passages of one document share their title: few distinct (weight, length)
    out = {}
    for ids, weights in _posting_blocks(m):
        for d, w in zip(ids, weights):
            key = (w, dfl(d))
            v = seen.get(key)
            if v is None:
                v = seen[key] = scorer._score(*key)
            out[d] = v
    return out


def _posting_blocks(m):
    """(docnums, weights) of each remaining posting block of a Whoosh leaf matcher, read a block at a time."""
    while not m._atend:
        m._read_ids()
        m._read_weights()
        yield m._ids, m._weights
        m._next_block()


def _bonus_phases(scores: dict[int, float], doc_count: int) -> list[tuple[float, tuple[list[int], list[int]]]]:
    """(highest bonus, docnum runs) per tier, best first, then (0, every docnum without a bonus)."""
    levels = sorted(set(scores.values()), reverse=True)
    tiers: list[list[float]] = []
    for v in levels:
        if tiers and (v >= tiers[-1][0] * BONUS_TIER_RATIO or len(tiers) == BONUS_TIERS):
            tiers[-1].append(v)
        else:
            tiers.append([v])
    tier_of = {v: k for k, tier in enumerate(tiers) for v in tier}
    members: list[list[int]] = [[] for _ in tiers]
    for d in sorted(scores):
        members[tier_of[scores[d]]].append(d)
    phases = [(tier[0], _runs_of(ds)) for tier, ds in zip(tiers, members)]
    starts, ends = _runs_of(sorted(scores))
    rest = ([0] + ends, starts + [doc_count])  # the gaps between bonus runs
    keep = [k for k in range(len(rest[0])) if rest[0][k] < rest[1][k]]
    phases.append((0.0, ([rest[0][k] for k in keep], [rest[1][k] for k in keep])))
    return phases


def _runs_of(docnums: list[int]) -> tuple[list[int], list[int]]:
    """Sorted docnums as runs of consecutive numbers: ([start, ...], [end, ...]), ends exclusive."""
    starts, ends = [], []
    for d in docnums:
        if ends and ends[-1] == d:
            ends[-1] = d + 1
        else:
            starts.append(d)
            ends.append(d + 1)
    return starts, ends


@lru_cache(maxsize=1)
def _phased_matcher():
    from whoosh import matching

    RunsMatcher = _runs_matcher()

    class PhasedMatcher(matching.Matcher):
        """Runs a fresh child matcher per phase (a set of docnum runs with a bonus bound), best phase first.

        Document numbers go up within a phase, not across phases: this matcher is only used at the top of a
        query, under Whoosh's collectors, which do not need them in order.
        """

        def __init__(self, make_child, phases, scores):
            self.make_child = make_child
            self.phases = phases
            self.scores = scores
            self.minquality = 0.0
            self.k = -1
            self.child = None
            self.child_max = None  # the unrestricted child's max quality, a bound for every phase
            self._advance()

        def _bound(self, k: int) -> float:
            return self.child_max + self.phases[k][0]

        def _advance(self) -> None:
            """Move to the next phase that can still reach the threshold and has a match."""
            while self.k + 1 < len(self.phases):
                self.k += 1
                if self.child_max is not None and self.minquality and self._bound(self.k) <= self.minquality:
                    continue
                # A phrase check in the new phase need not read candidates that cannot beat the page.
                floor = _PHASE_FLOOR.set((self.minquality - self.phases[self.k][0]) if self.minquality else None)
                try:
                    child = self.make_child()
                finally:
                    _PHASE_FLOOR.reset(floor)
                if self.child_max is None:
                    self.child_max = child.max_quality() if child.is_active() else 0.0
                    if self.minquality and self._bound(self.k) <= self.minquality:
                        continue
                self.child = RunsMatcher(child, self.phases[self.k][1])
                if self.child.is_active():
                    return
            self.child = None

        def is_active(self):
            return self.child is not None and self.child.is_active()

        def id(self):
            return self.child.id()

        def score(self):
            return self.child.score() + self.scores.get(self.child.id(), 0.0)

        def weight(self):
            return self.child.weight()

        def next(self):
            entered = self.child.next()
            if not self.child.is_active():
                self._advance()
                return True
            return entered

        def skip_to(self, id):
            # Within the current phase only (callers here never skip back).
            self.child.skip_to(id)
            if not self.child.is_active():
                self._advance()

        def supports_block_quality(self):
            return self.child is not None and self.child.supports_block_quality()

        def max_quality(self):
            if self.child is None:
                return 0.0
            return max([self.child.max_quality() + self.phases[self.k][0]] +
                       [self._bound(k) for k in range(self.k + 1, len(self.phases))])

        def block_quality(self):
            return self.child.block_quality() + self.phases[self.k][0]

        def skip_to_quality(self, minquality):
            if minquality <= 0:
                return 0
            self.minquality = max(self.minquality, minquality)
            skipped = 0
            while self.child is not None:
                bonus = self.phases[self.k][0]
                if self.child.max_quality() + bonus > minquality:
                    skipped += self.child.skip_to_quality(minquality - bonus)
                    if self.child.is_active():
                        return skipped
                self._advance()
            return skipped

        def replace(self, minquality=0):
            if minquality and self.child is not None:
                self.minquality = max(self.minquality, minquality)
                self.child = self.child.replace(minquality - self.phases[self.k][0])
                if not self.child.is_active() or self.child.max_quality() + self.phases[self.k][0] <= minquality:
                    self._advance()
            return self

        def all_ids(self):
            while self.is_active():
                yield self.id()
                self.next()

        def copy(self):
            raise NotImplementedError("a phased matcher is used once, at the top of a query")

        def children(self):
            return [self.child] if self.child is not None else []

    return PhasedMatcher


def _split_bonus(node) -> tuple[object, tuple]:
    """(core, bonus clauses) of a query of the form "core, optionally also these title clauses"."""
    if (isinstance(node, BoolQ) and len(node.must) == 1 and node.should and not node.must_not
            and not node.filters and all(getattr(n, "field", None) == "title" for n in node.should)):
        return node.must[0], node.should
    return node, ()


# -- per-segment columns in memory -------------------------------------------------------------------------
def _column_values(column_reader) -> list | None:
    """Every value of a fixed-width numeric column as a list indexed by docnum (None if not that kind)."""
    import struct

    try:
        dbfile, base, count = column_reader._dbfile, column_reader._basepos, column_reader._count
        typecode, default, doccount = column_reader._typecode, column_reader._default, column_reader._doccount
    except AttributeError:
        return None
    values = list(struct.unpack(f"!{count}{typecode}", dbfile.get(base, count * struct.calcsize(typecode))))
    return values + [default] * (doccount - count)


def _cached(reader, key, make):
    cache = reader.__dict__.setdefault("_kb_columns", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _field_lengths(reader, fieldname: str) -> list | None:
    """Decoded field lengths of one segment (what ``doc_field_length(docnum, field, 1)`` returns)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    def make():
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is None or not perdoc.has_column(_lenfield(fieldname)):
            return None
        raw = _column_values(perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN))
        if raw is None:
            return None
        table = [1] + [byte_to_length(b) for b in range(1, 256)]
        return [table[b] for b in raw]

    return _cached(reader, ("length", fieldname), make)


def _date_runs(reader, checks: tuple) -> tuple[list[int], list[int]]:
    """Runs of docnums [start, end) whose date columns pass every (field, low, high) check."""

    def make():
        ok = None
        for field, lo, hi in checks:
            raw = reader.column_reader(field, translate=False)
            values = _column_values(raw) or list(raw)
            ok = ([lo <= v <= hi for v in values] if ok is None else
                  [o and lo <= v <= hi for o, v in zip(ok, values)])
        n = len(ok)
        starts = [i for i in range(n) if ok[i] and (i == 0 or not ok[i - 1])]
        ends = [i for i in range(1, n + 1) if ok[i - 1] and (i == n or not ok[i])]
        return starts, ends

    return _cached(reader, ("dates", checks), make)


# -- searching ------------------------------------------------------------------------------------------------
def _lucene_bm25():
    from whoosh import scoring

    class LuceneBM25(scoring.BM25F):
        """Whoosh's BM25F with Lucene's idf: log(1 + (N - df + 0.5) / (df + 0.5))."""

        def idf(self, searcher, fieldname, text):
            parent = searcher.get_parent()
            n = parent.doc_frequency(fieldname, text)
            dc = parent.doc_count_all()
            return math.log(1 + (dc - n + 0.5) / (n + 0.5))

        def scorer(self, searcher, fieldname, text, qf=1):
            scorer = super().scorer(searcher, fieldname, text, qf=qf)
            if hasattr(scorer, "dfl"):
                # Field lengths from one in-memory copy per segment, not a file read per scored passage.
                lengths = _field_lengths(searcher.reader(), fieldname)
                if lengths is not None:
                    scorer.dfl = lengths.__getitem__
            return scorer

    return LuceneBM25(B=0.75, K1=1.2)


#: On indexes of at least this many passages, alternatives are evaluated like Lucene's CommonTermsQuery:
#: words in more than COMMON_SHARE of the passages only score passages that match a rarer alternative; when
#: every alternative is that common, passages need all of them (as Elasticsearch's "common" query does).
#: Either shortcut is used only when it fills the requested page; otherwise the exact BM25 disjunction runs.
#: Smaller indexes always get exact BM25 disjunctions.
COMMON_TERMS_FROM = 20_000
COMMON_SHARE = 0.1


def _demote_common(node, is_common):
    """Rewrite OR-nodes so very common text terms no longer drive matching (they still add to scores)."""
    if not isinstance(node, BoolQ):
        return node
    must = tuple(_demote_common(n, is_common) for n in node.must)
    should = tuple(_demote_common(n, is_common) for n in node.should)
    if should and not must:
        common = tuple(n for n in should if isinstance(n, TermQ) and n.field == "text" and is_common(n.term))
        near = tuple(n for n in should if isinstance(n, NearQ))  # a bonus: never what makes a passage a hit
        rare = tuple(n for n in should if n not in common and n not in near)
        if common and rare:
            return BoolQ(must=(BoolQ(should=rare),), should=common + near, must_not=node.must_not,
                         filters=node.filters)
        if len(common) > 1 and not rare:
            return BoolQ(must=common, should=near, must_not=node.must_not, filters=node.filters)
    return BoolQ(must=must, should=should, must_not=node.must_not, filters=node.filters)


# -- counting ---------------------------------------------------------------------------------------------------
#: The count of a query decodes the posting lists it names (document numbers only, no scores). Past this many
#: postings per query it stops decoding, and the total becomes "at least N" (a lower bound, never a guess).
COUNT_POSTINGS_UP_TO = 2_000_000
#: Phrase candidates confirmed word for word on the stored text for a count, per query; the rest make the total
#: "at least N".
COUNT_CHECKS_UP_TO = 3_000


@dataclass
class Count:
    """How many passages (and documents) a query matches: exact, or a lower bound when ``exact`` is False."""

    passages: int
    documents: int
    exact: bool


class _Budget:
    def __init__(self) -> None:
        self.postings = COUNT_POSTINGS_UP_TO
        self.checks = COUNT_CHECKS_UP_TO


#: Segments up to this many passages are counted with Python integers as bit sets (no numpy import, which
#: would cost a fresh `kb search` more than the whole count); larger ones with numpy boolean arrays.
COUNT_NUMPY_FROM = 20_000


class _SegmentCount:
    """The matches of a query in one segment as bit sets over its docnums, without scoring.

    Each node becomes a (lower, upper) pair: passages certainly matching, and passages that may match. They are
    the same set unless a budget ran out (a posting list left undecoded, a phrase candidate left unchecked); set
    operations carry both bounds (A AND NOT B: lower(A) - upper(B), upper(A) - lower(B)). Deleted passages are
    in neither. The semantics are those of ``_to_whoosh``, node for node. A set is a numpy boolean array on
    large segments and a Python integer (bit d = docnum d) on small ones; both support &, | and ~.
    """

    def __init__(self, reader, frequent: frozenset | None, budget: _Budget) -> None:
        self.reader = reader
        self.frequent = frequent
        self.budget = budget
        self.n = n = reader.doc_count_all()
        self.np = None
        if n >= COUNT_NUMPY_FROM:
            import numpy as np

            self.np = np
            live = np.ones(n, dtype=bool)
        else:
            live = (1 << n) - 1
        self.none = self._from_ids(())
        self.live = live
        if reader.has_deletions():
            self.live = live & ~self._from_ids(reader.deleted_docs_set)

    # -- sets -------------------------------------------------------------------------------------------------
    def _from_ids(self, ids):
        if self.np is not None:
            mask = self.np.zeros(self.n, dtype=bool)
            if not isinstance(ids, self.np.ndarray):
                ids = self.np.fromiter(ids, dtype=self.np.int64)
            mask[ids[ids < self.n]] = True
            return mask
        bits = bytearray((self.n + 7) // 8)
        for d in ids:
            if d < self.n:
                bits[d >> 3] |= 1 << (d & 7)
        return int.from_bytes(bits, "little")

    def _from_runs(self, starts: list[int], ends: list[int]):
        if self.np is not None:
            mask = self.np.zeros(self.n, dtype=bool)
            for a, b in zip(starts, ends):
                mask[a:b] = True
            return mask
        out = 0
        for a, b in zip(starts, ends):
            out |= ((1 << (b - a)) - 1) << a
        return out

    def size(self, x) -> int:
        return int(x.sum()) if self.np is not None else x.bit_count()

    def same(self, x, y) -> bool:
        return x is y or (bool((x == y).all()) if self.np is not None else x == y)

    def members(self, x) -> list[int]:
        if self.np is not None:
            return self.np.flatnonzero(x).tolist()
        out = []
        for k, byte in enumerate(x.to_bytes((self.n + 7) // 8, "little")):
            if byte:
                out += [k * 8 + j for j in range(8) if byte >> j & 1]
        return out

    # -- leaves -----------------------------------------------------------------------------------------------
    def _ids(self, field: str, term: str):
        """Docnums of a term's postings (deleted ones included), or None when over the budget."""
        reader = self.reader
        if field not in reader.schema or (field, term) not in reader:
            return ()
        df = reader.doc_frequency(field, term)
        if df > self.budget.postings:
            self.budget.postings = -1
            return None
        self.budget.postings -= df
        m = reader.postings(field, term)
        leaf = getattr(m, "child", m) if type(m).__name__ == "FilterMatcher" else m
        if self.np is not None and hasattr(leaf, "reset"):
            key = _cache_key(reader, leaf)
            cached = _POSTINGS_CACHE.get(key) if key is not None else None
            if cached is not None:
                return cached[0]
            leaf.reset()
            fast = _decode_postings(leaf, weights=True)
            if fast is not None:
                if key is not None:
                    _cache_put(key, fast)
                return fast[0]
        if all(hasattr(leaf, a) for a in ("_read_ids", "_next_block", "_atend", "reset")):
            leaf.reset()
            parts = []
            while not leaf._atend:
                leaf._read_ids()
                parts.append(leaf._ids)
                leaf._next_block()
            if len(parts) == 1:
                return parts[0]
            return [d for part in parts for d in part]
        return list(m.all_ids())

    def term(self, field: str, term: str):
        ids = self._ids(field, term)
        if ids is None:
            return self.none, self.live
        mask = self._from_ids(ids) & self.live
        return mask, mask

    def _check_run(self, bounds, run: tuple[str, ...]):
        """Confirm candidates word for word on the stored text (as ``_run_check`` does), within the budget."""
        cands = self.members(bounds[1])
        take = max(0, min(len(cands), self.budget.checks))
        self.budget.checks -= take
        ok = []
        for d in cands[:take]:
            text = self.reader.stored_fields(d).get("text") or ""
            if _contains_run(_terms(text), run):
                ok.append(d)
        # A candidate whose text holds the run matches, whatever its bounds said; unchecked ones may match.
        sure = self._from_ids(ok)
        return sure, sure | self._from_ids(cands[take:])

    # -- nodes ------------------------------------------------------------------------------------------------
    def bounds(self, node):
        if isinstance(node, TermQ):
            return self.term(node.field, node.term)
        if isinstance(node, PhraseQ):
            terms = node.terms
            if len(terms) == 1:
                return self.term(node.field, terms[0])
            if node.field == "text" and self.frequent and all(t in self.frequent for t in terms):
                pairs = [a + " " + b for a, b in zip(terms, terms[1:])]
                both = self._and([self.term("bigrams", g) for g in pairs])
                if len(terms) == 2:
                    return both
                dfs = [self.reader.doc_frequency("bigrams", g) if ("bigrams", g) in self.reader else 0
                       for g in pairs]
                if min(dfs) > RUN_CHECK_UP_TO:
                    return both
                return self._check_run(both, terms)
            both = self._and([self.term(node.field, t) for t in terms])
            return self._check_run(both, terms) if node.field == "text" else both
        if isinstance(node, NearQ):
            if self.frequent and node.first in self.frequent and node.second in self.frequent:
                return self.term("bigrams", node.first + " " + node.second)
            return self.none, self.none
        if isinstance(node, PrefixQ):
            if node.field not in self.reader.schema:
                return self.none, self.none
            terms = [t.decode("utf-8") if isinstance(t, bytes) else t
                     for t in self.reader.expand_prefix(node.field, node.prefix)]
            return self._or([self.term(node.field, t) for t in terms])
        if isinstance(node, RangeQ):
            return self._ranges([node])
        if isinstance(node, AllQ):
            return self.live, self.live
        if isinstance(node, BoolQ):
            flat = _flat_filters(node.filters)
            ranges = [n for n in flat if isinstance(n, RangeQ)]
            others = [n for n in flat if not isinstance(n, RangeQ)]
            parts = [self.bounds(n) for n in node.must] + [self.bounds(n) for n in others]
            if node.should and not node.must:
                parts.append(self._or([self.bounds(n) for n in node.should]))
            if ranges:
                parts.append(self._ranges(ranges))
            lo, hi = self._and(parts) if parts else (self.live, self.live)
            if node.must_not:
                nlo, nhi = self._or([self.bounds(n) for n in node.must_not])
                lo, hi = lo & ~nhi, hi & ~nlo
            return lo, hi
        raise TypeError(f"not a query node: {node!r}")

    def _ranges(self, ranges: list):
        checks = tuple((r.field, 1 if r.low is None else r.low, 99_999_999 if r.high is None else r.high)
                       for r in ranges)
        mask = self._from_runs(*_date_runs(self.reader, checks)) & self.live
        return mask, mask

    def _and(self, parts: list):
        lo, hi = parts[0]
        for plo, phi in parts[1:]:
            lo, hi = lo & plo, hi & phi
        return lo, hi

    def _or(self, parts: list):
        if not parts:
            return self.none, self.none
        lo, hi = parts[0]
        for plo, phi in parts[1:]:
            lo, hi = lo | plo, hi | phi
        return lo, hi

    def documents(self, mask) -> set[str]:
        """The doc ids of the passages in ``mask``."""
        ordinals, names = _doc_ordinals(self.reader)
        return {names[ordinals[d]] for d in self.members(mask) if ordinals[d] >= 0}


def _doc_ordinals(reader):
    """Per segment: (docnum -> index into the doc id list, the doc id list); -1 for a docnum of no document."""

    def make():
        names = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("doc_id")]
        ordinals = [-1] * reader.doc_count_all()
        for k, name in enumerate(names):
            for d in reader.postings("doc_id", name).all_ids():
                ordinals[d] = k
        return ordinals, names

    return _cached(reader, ("doc-ordinals",), make)


def count(reader, node, frequent: frozenset | None = None, documents: bool = False) -> Count:
    """Count a query's matches by set operations over posting lists (no scoring, no top-N pruning).

    The ranked page comes from matchers that skip what cannot reach it, so they never see every match; the
    total is counted here instead, the same for every page size and offset.
    """
    core, _bonus = _split_bonus(node)
    if isinstance(core, TermQ) and not documents and not reader.has_deletions():
        # One word, nothing deleted: its document frequency is the count.
        return Count(reader.doc_frequency(core.field, core.term) if (core.field, core.term) in reader else 0, 0, True)
    budget = _Budget()
    passages, exact = 0, True
    docs: set[str] = set()
    for leaf, _base in reader.leaf_readers():
        seg = _SegmentCount(leaf, frequent, budget)
        lo, hi = seg.bounds(node)
        passages += seg.size(lo)
        if exact and not seg.same(lo, hi):
            exact = False
        if documents:
            docs |= seg.documents(lo)
    return Count(passages, len(docs), exact)


# -- plain queries scored in arrays --------------------------------------------------------------------------
#: Plain queries of at least this many alternatives (a sentence pasted as a query) are scored a whole posting
#: list at a time in numpy instead of passage by passage: with many words almost every passage is a candidate,
#: so MaxScore skips little, and Python's per-passage cost was the whole query time.
ARRAY_FROM_CLAUSES = 2
#: ... on indexes of at least this many passages: below, the matchers are fast enough and a fresh `kb search`
#: would spend more on importing numpy than on the query.
ARRAY_FROM_PASSAGES = 2_000


def _plain_alternatives(node) -> tuple[list, tuple] | None:
    """(clauses, title-bonus clauses) of "any of these words or phrases, optionally these title clauses".

    Nested alternatives (a word and its acronym form, a concept's names) are spread out: a passage scores the
    sum of the clauses it matches either way.
    """
    core, bonus = _split_bonus(node)

    def spread(n):
        if isinstance(n, (TermQ, NearQ, PhraseQ)):
            return [n]
        if isinstance(n, BoolQ) and n.should and not (n.must or n.must_not or n.filters):
            out = []
            for child in n.should:
                sub = spread(child)
                if sub is None:
                    return None
                out += sub
            return out
        return None

    clauses = spread(core) if isinstance(core, (BoolQ, TermQ, PhraseQ)) else None
    if not clauses:
        return None
    return clauses, bonus


def _leaf_of(m):
    """(the posting reader under ``m``, its boost, the deleted docnums it filtered out) or None."""
    from whoosh import matching

    boost_of = 1.0
    if type(m) is matching.WrappingMatcher:
        m, boost_of = m.child, m.boost
    deleted = None
    if type(m).__name__ == "FilterMatcher" and getattr(m, "_exclude", False):
        deleted, m = m._ids, m.child
        m.reset()  # the filter may have moved past leading deleted postings
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend")) or \
            getattr(m, "_byteids", False):
        return None
    return m, boost_of, deleted


#: Decoded posting lists (docnums as int32, frequencies as float32) of recently used terms, per segment, kept by
#: a long-lived process (the Python API, a server) up to this many bytes; 0 turns the cache off. Decoding
#: Whoosh's pickled, compressed blocks is most of a plain query's time on a large index, and the commonest
#: words come back in almost every query. A segment's postings never change (deletions are kept apart), so
#: entries stay valid across index refreshes. A fresh `kb search` process starts with it empty.
POSTINGS_CACHE_BYTES = 256 * 2**20
_POSTINGS_CACHE: "OrderedDict[tuple, tuple]" = OrderedDict()
_CACHE_SIZE = [0]


def _cache_key(reader, m) -> tuple | None:
    if not POSTINGS_CACHE_BYTES:
        return None
    segment = getattr(reader, "_segment", None)
    term = m.term() if hasattr(m, "term") else None
    if segment is None or not (isinstance(term, tuple) and len(term) == 2):
        return None
    return (segment.segment_id(), *term)  # segment ids are random 16-letter names


def _cache_put(key: tuple, arrays: tuple) -> None:
    import numpy as np

    docs, tf = arrays
    small = (docs.astype(np.int32), tf.astype(np.float32) if tf is not None else None)
    size = small[0].nbytes + (small[1].nbytes if small[1] is not None else 0)
    if size > POSTINGS_CACHE_BYTES // 4:
        return
    _POSTINGS_CACHE[key] = small
    _CACHE_SIZE[0] += size
    while _CACHE_SIZE[0] > POSTINGS_CACHE_BYTES and _POSTINGS_CACHE:
        _, (d, t) = _POSTINGS_CACHE.popitem(last=False)
        _CACHE_SIZE[0] -= d.nbytes + (t.nbytes if t is not None else 0)


def clear_postings_cache() -> None:
    """Forget every decoded posting list (benchmarks measure cold queries with it)."""
    _POSTINGS_CACHE.clear()
    _CACHE_SIZE[0] = 0


def _decode_postings(m, weights: bool = True):
    """(docnums int64, term frequencies float64 or None) of a Whoosh 3 posting reader, from its current block to
    the end, with numpy: a block is decompressed and unpickled (as Whoosh does) but its document-number deltas
    and weights are never turned into Python lists one posting at a time. None if ``m`` is not that reader."""
    import numpy as np
    import zlib
    from itertools import chain
    from pickle import loads

    if not all(hasattr(m, a) for a in ("_postfile", "_dataoffset", "_nextoffset", "_lastblock", "_goto",
                                       "_compression", "_maxid", "_blocklength")) or getattr(m, "_byteids", True):
        return None
    get = m._postfile.get
    deltas, tfs, sizes, maxids = [], [], [], []
    while not m._atend:
        raw = get(m._dataoffset, m._nextoffset - m._dataoffset)
        if m._compression:
            raw = zlib.decompress(raw)
        data = loads(raw)
        n = m._blocklength
        deltas.append(data[0])
        sizes.append(n)
        maxids.append(m._maxid)
        if weights:
            w = data[1]
            tfs.append((1.0,) * n if w is None else (w,) * n if isinstance(w, float) else w)
        if m._lastblock:
            m._atend = True
            break
        m._goto(m._nextoffset)
    total = sum(sizes)
    if not total:
        return np.zeros(0, dtype=np.int64), (np.zeros(0) if weights else None)
    d = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=total)
    if len(sizes) > 1:
        # Each block's first number is absolute: make it relative to the previous block's last (its maximum).
        starts = np.cumsum(sizes[:-1])
        d[starts] -= np.array(maxids[:-1], dtype=np.int64)
    docs = np.cumsum(d)
    tf = np.fromiter(chain.from_iterable(tfs), dtype=np.float64, count=total) if weights else None
    return docs, tf


def _term_arrays(m, reader, scored: bool = True):
    """(docnums, BM25 scores) of a Whoosh term matcher's postings, scored in numpy exactly as Whoosh's scorer
    scores them one at a time; deleted passages left out. ``scored`` False: scores are zeros (a filter-like
    clause of weight 0). None when ``m`` is not a plain posting list."""
    import numpy as np

    found = _leaf_of(m)
    if found is None:
        return None
    m, boost_of, deleted = found
    scorer = getattr(m, "scorer", None)
    lengths = None
    if scored:
        if scorer is None or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1")):
            return None
        term = m.term()
        if not (isinstance(term, tuple) and len(term) == 2):
            return None
        lengths = _length_array(reader, term[0])
        if lengths is None:
            return None
    key = _cache_key(reader, m)
    cached = _POSTINGS_CACHE.get(key) if key is not None else None
    fast = None
    if cached is not None and (cached[1] is not None or not scored):
        fast = cached[0], cached[1]
        _POSTINGS_CACHE.move_to_end(key)
    elif m._data is None and m._i == 0:
        fast = _decode_postings(m, weights=True)
        if fast is not None and key is not None:
            _cache_put(key, fast)
    if fast is not None:
        docs, tf = fast
        docs = docs.astype(np.int64)
        tf = tf.astype(np.float64) if tf is not None else None
    else:
        ids: list = []
        weights: list = []
        for block_ids, block_weights in (_posting_blocks(m) if scored else _id_blocks(m)):
            ids.extend(block_ids)
            weights.extend(block_weights)
        docs = np.array(ids, dtype=np.int64)
        tf = np.array(weights, dtype=np.float64) if scored else None
    if deleted:
        keep = ~np.isin(docs, np.fromiter(deleted, dtype=np.int64))
        docs = docs[keep]
        if tf is not None:
            tf = tf[keep]
    if not scored:
        return docs, np.zeros(len(docs))
    fl = lengths[docs]
    idf, K1, B, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
    scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))  # whoosh.scoring.bm25
    if boost_of != 1.0:
        scores = scores * boost_of
    return docs, scores


def _id_blocks(m):
    while not m._atend:
        m._read_ids()
        yield m._ids, ()
        m._next_block()


class _Component:
    """One clause of a plain query in one segment: its matches and scores; ``run`` when each match must still
    be confirmed word for word on the stored text (a phrase), as ``_run_check`` does."""

    __slots__ = ("docs", "scores", "run", "top", "common", "rare")

    def __init__(self, docs, scores, run, top, common=False, rare=True) -> None:
        self.docs, self.scores, self.run, self.top = docs, scores, run, top
        self.common, self.rare = common, rare


def _components(sub, reader, context, clause, frequent, common: bool, rare: bool) -> list | None:
    """The clause as a _Component list (empty when it matches nothing here); None: not a plain clause."""
    import numpy as np
    from whoosh import query as wq

    def leaf(field: str, term: str, boost: float = 1.0):
        m = wq.Term(field, term, boost=boost).matcher(sub, context)
        if not m.is_active():
            return None
        return _term_arrays(m, reader, scored=boost != 0), m.max_quality()

    if isinstance(clause, NearQ):
        if not (frequent and clause.first in frequent and clause.second in frequent):
            return []
        clause = TermQ("bigrams", clause.first + " " + clause.second, clause.boost)
    if isinstance(clause, PhraseQ) and len(clause.terms) == 1:
        clause = TermQ(clause.field, clause.terms[0], clause.boost)
    if isinstance(clause, TermQ):
        got = leaf(clause.field, clause.term, clause.boost)
        if got is None:
            return []
        if got[0] is None:
            return None
        (docs, scores), top = got
        return [_Component(docs, scores, None, top, common, rare)]
    terms = clause.terms
    run = None
    if clause.field == "text" and frequent and all(t in frequent for t in terms):
        pairs = [a + " " + b for a, b in zip(terms, terms[1:])]
        if len(pairs) == 1:
            return _components(sub, reader, context, TermQ("bigrams", pairs[0], clause.boost), frequent, common, rare)
        parts = [("bigrams", g) for g in pairs]
        if min(reader.doc_frequency("bigrams", g) for g in pairs) <= RUN_CHECK_UP_TO:
            run = terms
    else:
        parts = [(clause.field, t) for t in terms]
        run = terms if clause.field == "text" else None
    n = reader.doc_count_all()
    acc = np.zeros(n)
    hits = np.zeros(n, dtype=np.int32)
    top = 0.0
    for field, term in parts:  # the words of a phrase are all required: summed in order, as _bool sums them
        got = leaf(field, term)
        if got is None:
            return []
        if got[0] is None:
            return None
        (docs, scores), mx = got
        acc[docs] += scores
        hits[docs] += 1
        top += mx
    docs = np.flatnonzero(hits == len(parts))
    scores = acc[docs] * clause.boost if clause.boost != 1.0 else acc[docs]
    return [_Component(docs, scores, run, top * clause.boost, common, rare)]


def _array_page(searcher, clauses: list, bonus: tuple, frequent, k: int, is_common=None):
    """The top ``k`` of "any of ``clauses``" (+ the title bonus) as [(score, global docnum)], best first (ties:
    lower docnum first, as Whoosh orders them), and the Count of every match; None if a clause is not plain.

    Every posting list is decoded once and scored in numpy with Whoosh's own BM25 arithmetic, so the page is
    the top of every match scored, as the passage-at-a-time matchers give it. A phrase's candidates are
    confirmed on the stored text lazily: those that reach the page, and (for the count) those that match
    nothing else, within COUNT_CHECKS_UP_TO. ``is_common`` applies the common-word rule of ``_demote_common``
    (only when it fills the page), as the passage-at-a-time evaluation does.
    """
    import numpy as np

    context = searcher.context()
    flags = []
    for c in clauses:
        common = isinstance(c, TermQ) and c.field == "text" and is_common is not None and is_common(c.term)
        flags.append((common, not (common or isinstance(c, NearQ))))
    shortcut = any(f[0] for f in flags) and (any(f[1] for f in flags) or sum(f[0] for f in flags) > 1)
    n_common = sum(f[0] for f in flags)
    any_rare = any(f[1] for f in flags)
    segs = []
    for sub, base in searcher.leaf_searchers():
        reader = sub.reader()
        comps = []
        for c, (common, rare) in zip(clauses, flags):
            got = _components(sub, reader, context, c, frequent, common, rare)
            if got is None:
                return None
            comps += got
        if not comps:
            continue
        n = reader.doc_count_all()
        comps.sort(key=lambda comp: -comp.top)  # added in descending order of maxima, as the matcher adds them
        score = np.zeros(n)
        matched = np.zeros(n, dtype=bool)
        rare_hit = np.zeros(n, dtype=bool)
        commons = np.zeros(n, dtype=np.int32)
        pending = []
        for comp in comps:
            if comp.run is not None:
                pending.append(comp)
                continue
            score[comp.docs] += comp.scores
            matched[comp.docs] = True
            if comp.rare:
                rare_hit[comp.docs] = True
            if comp.common:
                commons[comp.docs] += 1
        extra = _bonus_array(sub, reader, context, bonus, frequent, n) if bonus else None
        segs.append({"reader": reader, "base": base, "n": n, "score": score, "matched": matched,
                     "rare": rare_hit, "commons": commons, "pending": pending, "extra": extra, "checked": {}})
    budget = [COUNT_CHECKS_UP_TO]

    def confirmed(seg, comp, d: int) -> bool | None:
        key = (id(comp), d)
        if key not in seg["checked"]:
            if budget[0] <= 0:
                return None
            budget[0] -= 1
            text = seg["reader"].stored_fields(d).get("text") or ""
            seg["checked"][key] = _contains_run(_terms(text), comp.run)
        return seg["checked"][key]

    # Candidates: passages matched by a plain clause, or by a phrase still to confirm.
    cand_docs, cand_ub, cand_seg, cand_open, cand_keep = [], [], [], [], []
    total, exact, keep_sure = 0, True, 0
    for k_seg, seg in enumerate(segs):
        maybe = seg["matched"].copy()
        ub = seg["score"].copy()
        open_ = np.zeros(seg["n"], dtype=bool)
        for comp in seg["pending"]:
            maybe[comp.docs] = True
            ub[comp.docs] += comp.scores
            open_[comp.docs] = True
        # The count: plain matches, plus phrase-only candidates confirmed one by one (within the budget).
        total += int(seg["matched"].sum())
        only = np.flatnonzero(maybe & ~seg["matched"])
        for d in only.tolist():
            results = [confirmed(seg, comp, d) for comp in seg["pending"] if _has(comp, d)]
            if any(r is True for r in results):
                total += 1
            elif any(r is None for r in results):
                exact = False
        docs = np.flatnonzero(maybe)
        if seg["extra"] is not None:
            ub = ub + seg["extra"]
        seg["open"] = open_
        keep_sure += int((seg["rare"][docs] if any_rare else seg["commons"][docs] == n_common).sum())
        cand_docs.append(docs)
        cand_ub.append(ub[docs])
        cand_seg.append(np.full(len(docs), k_seg, dtype=np.int64))
        cand_open.append(open_[docs])
    if not cand_docs:
        return [], Count(0, 0, True)
    if shortcut and any_rare and keep_sure < k:
        # Passages whose only rare clause is a phrase count for the shortcut once the phrase is confirmed.
        for seg in segs:
            for d in np.flatnonzero(seg["open"] & ~seg["rare"]).tolist():
                if keep_sure >= k:
                    break
                if any(confirmed(seg, comp, d) for comp in seg["pending"] if _has(comp, d)):
                    seg["rare"][d] = True
                    keep_sure += 1
    docs = np.concatenate(cand_docs)
    ub = np.concatenate(cand_ub)
    seg_of = np.concatenate(cand_seg)
    is_open = np.concatenate(cand_open)
    short = shortcut and keep_sure >= k
    if short:  # the shortcut fills the page: answer as the one-at-a-time evaluation does
        if any_rare:
            sel = np.concatenate([seg["rare"][d] | seg["open"][d] for seg, d in zip(segs, cand_docs)])
        else:
            sel = np.concatenate([seg["commons"][d] == n_common for seg, d in zip(segs, cand_docs)])
        docs, ub, seg_of, is_open = docs[sel], ub[sel], seg_of[sel], is_open[sel]
    glob = docs + np.array([segs[j]["base"] for j in range(len(segs))], dtype=np.int64)[seg_of]
    ub = ub.astype(np.float64)
    while True:
        order = _top(ub, glob, k)
        unresolved = [i for i in order.tolist() if is_open[i]]
        if not unresolved:
            break
        for i in unresolved:
            seg, d = segs[int(seg_of[i])], int(docs[i])
            value, hit = float(seg["score"][d]), bool(seg["matched"][d])
            if short and any_rare and not seg["rare"][d]:
                hit = False  # under the shortcut only a rare clause makes a hit: here, a confirmed phrase
            for comp in seg["pending"]:
                j = _index_of(comp, d)
                if j is not None:
                    ok = confirmed(seg, comp, d)
                    if ok is None:  # out of checks: read it anyway, a page must never show a non-match
                        text = seg["reader"].stored_fields(d).get("text") or ""
                        ok = _contains_run(_terms(text), comp.run)
                    if ok:
                        value += float(comp.scores[j])
                        hit = True
            if seg["extra"] is not None:
                value += float(seg["extra"][d])
            ub[i] = value if hit else -np.inf
            is_open[i] = False
    order = [i for i in order.tolist() if ub[i] != -np.inf]
    return [(float(ub[i]), int(glob[i])) for i in order], Count(total, 0, exact)


def _bonus_array(sub, reader, context, nodes: tuple, frequent, n: int):
    """``_bonus_scores`` as an array over the segment's docnums (None when no passage has a bonus): title
    terms scored a posting list at a time, with the same arithmetic and in the same order."""
    import numpy as np
    from whoosh import query as wq

    total = np.zeros(n)
    any_bonus = False
    for node in nodes:
        words = (node.term,) if isinstance(node, TermQ) else node.terms if isinstance(node, PhraseQ) else None
        arrays = []
        if words is not None and node.field != "text":
            for word in words:
                m = wq.Term(node.field, word).matcher(sub, context)
                got = _term_arrays(m, reader) if m.is_active() else (np.zeros(0, dtype=np.int64), np.zeros(0))
                if got is None:
                    arrays = None
                    break
                arrays.append(got)
        if arrays is None or words is None or node.field == "text":
            scores = _clause_scores(sub, node, frequent, context)
            if scores:
                any_bonus = True
                keys = np.fromiter(scores.keys(), dtype=np.int64)
                total[keys] += np.fromiter(scores.values(), dtype=float)
            continue
        if len(arrays) == 1:
            docs, values = arrays[0]
        else:  # a title "phrase" is all of its words: the sum of their scores where every word is
            acc, hits = np.zeros(n), np.zeros(n, dtype=np.int32)
            for docs, values in arrays:
                acc[docs] += values
                hits[docs] += 1
            docs = np.flatnonzero(hits == len(arrays))
            values = acc[docs]
        if node.boost != 1.0:
            values = values * node.boost
        if len(docs):
            any_bonus = True
            total[docs] += values
    return total if any_bonus else None


def _has(comp: _Component, d: int) -> bool:
    return _index_of(comp, d) is not None


def _index_of(comp: _Component, d: int) -> int | None:
    import numpy as np

    j = int(np.searchsorted(comp.docs, d))
    return j if j < len(comp.docs) and comp.docs[j] == d else None


def _top(values, docnums, k: int):
    """Indices of the ``k`` highest values, best first, ties by lower docnum (Whoosh's order)."""
    import numpy as np

    idx = np.arange(len(values))
    if len(values) > k:
        cut = np.partition(values, len(values) - k)[len(values) - k]
        idx = np.flatnonzero(values >= cut)
    return idx[np.lexsort((docnums[idx], -values[idx]))][:k]


#: Indexes up to this many passages always get exact BM25 disjunctions (no common-word shortcut).
EXACT_TOTAL_UP_TO = 5_000


class Searcher:
    """A reusable searcher over one index (open once, query many times)."""

    def __init__(self, index_dir: Path) -> None:
        self.ix = open_index(index_dir)
        self._s = self.ix.searcher(weighting=_lucene_bm25())
        self._frequent = _frequent(self.ix)

    def close(self) -> None:
        self._s.close()
        self.ix.close()

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def doc_count(self) -> int:
        return self._s.doc_count()

    def doc_frequency(self, field: str, term: str) -> int:
        return self._s.doc_frequency(field, term)

    def has_term(self, field: str, term: str) -> bool:
        return (field, term) in self._s.reader()

    def refresh(self) -> None:
        self._s = self._s.refresh()

    def run(self, node, *, limit: int, offset: int = 0, sort: str = "relevance",
            group_doc: bool = False, exact_total: bool | None = None) -> tuple[list[dict], int, bool]:
        """Run a query; return (hits, passages matched, whether that count is exact). Each hit: stored fields
        + score."""
        hits, counted = self.page(node, limit=limit, offset=offset, sort=sort, group_doc=group_doc,
                                  exhaustive=exact_total)
        return hits, counted.passages, counted.exact

    def page(self, node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[dict], Count]:
        """One page of hits (stored fields + score each) and the count of every match (``count``).

        ``exhaustive`` (default: on indexes up to EXACT_TOTAL_UP_TO passages) turns the common-word shortcuts
        off. The count never depends on ``limit`` or ``offset``: it is taken separately from the ranking.
        """
        n = self._s.doc_count_all()
        if exhaustive is None:
            exhaustive = n <= EXACT_TOTAL_UP_TO
        by_date = sort in ("date", "-date")
        plain = None if by_date or group_doc else _plain_alternatives(node)
        if plain is not None and len(plain[0]) >= ARRAY_FROM_CLAUSES and n >= ARRAY_FROM_PASSAGES:
            common = None
            if n >= COMMON_TERMS_FROM and not exhaustive:
                common = lambda t: self._s.doc_frequency("text", t) > COMMON_SHARE * n  # noqa: E731
            try:
                found = _array_page(self._s, plain[0], plain[1], self._frequent, offset + limit, common)
            except Exception as exc:
                log.debug("search failed", exc_info=True)
                raise StoreError(f"The search index could not answer ({exc}). Run `kb ingest --force` to rebuild it.") from None
            if found is not None:
                rows, counted = found
                hits = []
                for score, docnum in rows[offset:]:
                    d = dict(self._s.stored_fields(docnum))
                    d["score"] = float(score)
                    hits.append(d)
                if not counted.exact:
                    counted = Count(max(counted.passages, len(rows)), 0, False)
                return hits, counted
        q = exact_q = self._compile(node, scored=not by_date)
        if n >= COMMON_TERMS_FROM and not exhaustive:
            shortcut = _demote_common(node, lambda t: self._s.doc_frequency("text", t) > COMMON_SHARE * n)
            if shortcut != node:
                q = self._compile(shortcut, scored=not by_date)
        kwargs: dict = {"limit": offset + limit, "terms": False}
        if by_date:
            from whoosh import sorting

            # Undated passages (0 in both columns) go last either way.
            if sort == "date":  # oldest first, by the earliest day a document could be from
                kwargs["sortedby"] = sorting.TranslateFacet(lambda day: day or 99_999_999, sorting.FieldFacet("date"))
            else:  # newest first, by the latest day it could be from
                kwargs["sortedby"] = sorting.FieldFacet("date_latest", reverse=True)
        if group_doc:
            # Whole documents are ranked by their best passages: widen the window until it holds enough
            # distinct documents (or every match), then group in search.py.
            kwargs["limit"] = max(50, (offset + limit) * 5)
        try:
            while True:
                results = self._s.search(q, **kwargs)
                if q is not exact_q and results.scored_length() < kwargs["limit"]:
                    q = exact_q  # the common-word shortcut did not fill the page: answer exactly
                    continue
                if not group_doc or results.scored_length() < kwargs["limit"]:
                    break
                if len({hit["doc_id"] for hit in results}) >= offset + limit:
                    break
                kwargs["limit"] *= 4
            counted = self.count(node, documents=group_doc)
        except Exception as exc:  # a damaged or foreign index: say what to do, not a traceback
            log.debug("search failed", exc_info=True)
            raise StoreError(f"The search index could not answer ({exc}). Run `kb ingest --force` to rebuild it.") from None
        start = 0 if group_doc else offset
        hits = []
        for hit in results[start:]:
            d = dict(hit.fields())
            # Sorted by date, Whoosh's "score" is the sort key, not relevance: report no score then.
            d["score"] = None if by_date or hit.score is None else float(hit.score)
            hits.append(d)
        if not counted.exact:
            # A lower bound: what the ranking found is certainly there.
            seen = results.scored_length()
            docs = len({hit["doc_id"] for hit in results}) if group_doc else 0
            counted = Count(max(counted.passages, seen), max(counted.documents, docs), False)
        return hits, counted

    def count(self, node, documents: bool = False) -> Count:
        """How many passages (and, with ``documents``, documents) match ``node``; see ``count()``."""
        return count(self._s.reader(), node, self._frequent, documents)

    def _compile(self, node, scored: bool = True):
        """The Whoosh query for a node; a top-level title bonus is evaluated tier by tier (or dropped when
        results are sorted by date and scores do not matter)."""
        core, bonus = _split_bonus(node)
        if not bonus:
            return _to_whoosh(node, self._frequent)
        if not scored:
            return _to_whoosh(core, self._frequent)
        return _with_bonus(_to_whoosh(core, self._frequent), bonus, self._frequent)

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Surface words from the index's own vocabulary close to a misspelt ``word``."""
        from whoosh import query as wq

        low = word.lower()
        corrector = self._s.reader().corrector("text")
        seen: dict[str, int] = {}
        for cand in (term_for(low) or low, low):
            for stem in corrector.suggest(cand, limit=5, maxdist=2):
                seen.setdefault(stem, self._s.doc_frequency("text", stem))
        out: list[str] = []
        for stem, _df in sorted(seen.items(), key=lambda kv: -kv[1]):
            found = self._s.search(wq.Term("text", stem), limit=1, terms=False)
            for hit in found:
                surface = next((hit["text"][s:e] for t, s, e in _analyse(hit["text"]) if t == stem), None)
                if surface and surface.lower() not in out and surface.lower() != low:
                    out.append(surface.lower())
            if len(out) >= limit:
                break
        return out

    def keys(self, field: str) -> list[str]:
        """Every term of a small keyword field (publisher, type)."""
        return sorted(t.decode() if isinstance(t, bytes) else t for t in self._s.lexicon(field))
