"""Planning a parsed query: concept expansion and concept: filters (names resolved by
:class:`kb.nlp.vocabulary.ConceptNames`), filters, the side-by-side bonus; the plan rendered back in words for
--explain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb import index as ix
from kb.errors import (
    QuerySyntaxError,
    UnknownConcept,
    UnknownDocument,
    UnknownValue,
    UsageError,
    did_you_mean,
    unknown_document_message,
)
from kb.models import Concept, PartialDate
from kb.nlp.vocabulary import ConceptNames
from kb.search import query as kq
from kb.store import Store

#: Weight of the optional "these two query words side by side" clauses of a plain multi-word query.
PROXIMITY_BOOST = 0.5


PROXIMITY_MAX_WORDS = 4


def load_concepts(store_path: Path) -> list[Concept]:
    """The store's concept names, read-only (no spaCy, no migrations): see ``Store.peek_concepts``. None before
    the first ingest; a store kb cannot read is an error, so concept expansion never switches itself off."""
    return Store.peek_concepts(store_path)


def surface_forms(c: Concept) -> list[str]:
    """A concept's names as a query expands to them: label, aliases and acronyms, sorted."""
    return sorted({c.label, *c.aliases, *c.acronyms}, key=str.lower)


@dataclass
class _Plan:
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)  # highlight: single terms
    prefixes: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    words: list[tuple[str, str]] = field(default_factory=list)  # (as typed, term) of bare positive words
    title: list = field(default_factory=list)  # title clauses: an optional ranking bonus


class _Planner:
    def __init__(self, names: ConceptNames, has_term=None, keys=None) -> None:
        self.names = names
        self.has_term = has_term
        self.keys = keys
        self.plan = _Plan()
        self.beside: frozenset[str] = frozenset()  # terms of the plain words ranked beside the clause planned

    # text clauses -------------------------------------------------------------------------------------
    def text(self, node, positive: bool, depth: int):
        """A node -> index node (or None when nothing is left of it, e.g. only stop words)."""
        if isinstance(node, kq.Word):
            return self.word(node.text, positive, depth)
        if isinstance(node, kq.Phrase):
            return self.phrase(node.text, positive, depth)
        if isinstance(node, kq.Prefix):
            return self.prefix(node.text, positive, depth)
        if isinstance(node, kq.Field):
            return self.filter(node, depth)
        if isinstance(node, kq.Not):
            inner = self.text(node.child, not positive, depth + 1)
            return None if inner is None else ix.BoolQ(must_not=(inner,))
        if isinstance(node, (kq.And, kq.Or)):
            kids = self.each(node.children, positive, depth)
            if not kids:
                return None
            if len(kids) == 1:
                return kids[0]
            if isinstance(node, kq.And):
                must = [k for k in kids if not _is_pure_not(k)]
                nots = [k.must_not[0] for k in kids if _is_pure_not(k)]
                return ix.BoolQ(must=tuple(must) or (ix.AllQ(),), must_not=tuple(nots))
            return ix.BoolQ(should=tuple(kids))
        if isinstance(node, kq.Seq):
            return self.seq(node, positive, depth)
        raise TypeError(node)

    def seq(self, node: kq.Seq, positive: bool, depth: int):
        # A word typed n times counts n times (as in Lucene), planned once.
        counts: dict = {}
        for c in node.should:
            counts[c] = counts.get(c, 0) + 1
        should = []
        outer, self.beside = self.beside, frozenset(
            t for c in counts if isinstance(c, kq.Word) for t in ix.analyze(c.text))
        for c, n in counts.items():
            k = self.text(c, positive, depth + 1)
            if k is None:
                continue
            should.append(_scaled(k, n) if n > 1 else k)  # an expanded word too: its alternatives n times
        self.beside = outer
        should += self.proximity(node.should)
        must: list = []
        filters: list = []
        for c in dict.fromkeys(node.must):
            k = self.text(c, positive, depth + 1)
            if k is None:
                continue
            n = node.must.count(c)
            (filters if isinstance(c, kq.Field) else must).append(k if n == 1 or isinstance(c, kq.Field) else _scaled(k, n))
        nots = [k for k in (self.text(c, not positive, depth + 1) for c in dict.fromkeys(node.must_not)) if k is not None]
        if not (should or must or filters or nots):
            return None
        return ix.BoolQ(must=tuple(must), should=tuple(should), must_not=tuple(nots), filters=tuple(filters))

    def each(self, children: tuple, positive: bool, depth: int) -> list:
        """The children of an AND or OR, each distinct one planned once: ``ics AND ics`` scores ``ics`` twice
        (as Lucene does, by boost) without planning, running or noting it twice."""
        out = []
        for c in dict.fromkeys(children):
            k = self.text(c, positive, depth + 1)
            if k is not None:
                n = children.count(c)
                out.append(k if n == 1 else _scaled(k, n))
        return out

    def proximity(self, clauses: tuple) -> list:
        """Optional clauses for neighbouring plain words of a short query: the words side by side rank higher.

        Long (natural-language) queries are ranked by plain BM25, as Lucene ranks them.
        """
        if sum(isinstance(c, kq.Word) for c in clauses) > PROXIMITY_MAX_WORDS:
            return []
        out, prev = [], None
        for c in clauses:
            if not isinstance(c, kq.Word) or len(ix.raw_words(c.text)) != 1:
                prev = None
                continue
            term = ix.term_for(ix.raw_words(c.text)[0])
            if term is None:
                continue  # stop words are not indexed, so "state of the art" pairs "state" with "art"
            if prev is not None and prev != term:
                out.append(ix.NearQ(prev, term, boost=PROXIMITY_BOOST))
            prev = term
        if out:
            self.plan.explain.append("bonus: passages with neighbouring query words side by side rank higher")
        return out

    def _both(self, make: Callable[..., ix.Node], positive: bool = True) -> ix.Node:
        """A clause on the passage text; in positive context the same on the title becomes a ranking bonus.

        The title is not searched on its own (hits are passages, and a passage must contain what is asked
        for): passages of documents whose title matches rank higher (BM25F-style, title boosted).
        """
        if positive:
            clause = make("title")
            if clause not in self.plan.title:
                self.plan.title.append(clause)
        return make("text")

    def word(self, raw: str, positive: bool, depth: int):
        words = ix.raw_words(raw)
        if not words:
            self.plan.ignored.append(f"{raw} (punctuation)")
            return None
        if len(words) > 1:  # "heat-transfer", "and/or": each piece is a word of its own (as in Lucene)
            parts = [k for k in (self.word(w, positive, depth) for w in words) if k is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else ix.BoolQ(should=tuple(parts))
        token = words[0]
        term = ix.term_for(token)
        concept = self.names.bare(token, stop_word=term is None and not ix.is_acronym(token))
        if term is None and concept is None:
            self.plan.ignored.append(f"{token} (stop word)")
            return None
        clauses = []
        if term is not None:
            clauses.append(self._both(lambda f: ix.TermQ(f, term), positive))
            if positive:
                self.plan.terms.add(term)
                if concept is None:
                    self.plan.words.append((token, term))
        acronym = self._acronym_form(token, term)
        if acronym is not None and concept is None:
            clauses.append(self._both(lambda f: ix.TermQ(f, acronym), positive))
            self.plan.notes.append(f"{token} also matches the acronym {acronym.upper()}")
            if positive:
                self.plan.terms.add(acronym)
                if self.plan.words and self.plan.words[-1][0] == token:
                    self.plan.words.pop()
        if concept is not None:
            clauses += self._expansion(concept, token, positive, typed_terms=(term,) if term else ())
        return clauses[0] if len(clauses) == 1 else ix.BoolQ(should=tuple(clauses))

    def _acronym_form(self, token: str, term: str | None) -> str | None:
        """A lower-case word typed for an acronym the index holds ("nhs" for NHS): that acronym's term.

        Never for a stop word: "of" stays ignored even where the documents define an acronym OF.
        """
        if term is None or self.has_term is None or not token.isalpha() or not token.islower() or not 2 <= len(token) <= 6:
            return None
        forms = [token.upper()] + ([token[:-1].upper() + "s"] if token.endswith("s") and len(token) > 2 else [])
        for form in forms:
            acr = ix.term_for(form)
            if acr is not None and acr != term and self.has_term("text", acr):
                return acr
        return None

    def _expansion(self, concept: Concept, typed: str, positive: bool, typed_terms: tuple[str, ...]) -> list:
        """The concept's other names as clauses beside what was typed; a name that analyses to the typed words is
        that clause already (a phrase typed as the concept's name counted twice: '"triple aim"' scored its
        phrase two times over)."""
        clauses = []
        shown = []
        seen: set[tuple[str, ...]] = set()
        for form in surface_forms(concept):
            terms = tuple(ix.analyze(form))
            if not terms or terms in seen:
                continue
            seen.add(terms)
            if terms == typed_terms or (len(terms) > 1 and set(terms) <= self.beside):
                if len(terms) > 1:
                    shown.append(form)  # named in the note, searched once, as typed
                continue
            if len(terms) == 1:
                clauses.append(self._both(lambda f, t=terms[0]: ix.TermQ(f, t), positive))
                if positive:
                    self.plan.terms.add(terms[0])
            else:
                clauses.append(self._both(lambda f, t=terms: ix.PhraseQ(f, t), positive))
                if positive:
                    self.plan.phrases.add(terms)
            shown.append(form)
        clauses.append(ix.TermQ("concepts", concept.id, boost=0.0))
        self.plan.notes.append(
            f"{typed} also matches concept {concept.id} ({concept.label}): "
            + ", ".join(f'"{s}"' for s in shown) + " and passages tagged with it"
        )
        return clauses

    def phrase(self, raw: str, positive: bool, depth: int, quoted: bool = True):
        terms = tuple(ix.analyze(raw))
        stops = [w for w in ix.raw_words(raw) if ix.term_for(w) is None]
        if stops and terms:
            self.plan.notes.append(
                f'in "{raw}" the stop word(s) {", ".join(stops)} match any stop word in that place'
            )
        if not terms:
            self.plan.ignored.append(f'"{raw}" (only stop words)' if raw.strip() else '"" (empty phrase)')
            return None
        found = self.names.match(raw) if quoted and len(terms) > 1 else None
        concept = found.concept if found else None
        if positive:
            (self.plan.phrases.add(terms) if len(terms) > 1 else self.plan.terms.add(terms[0]))
        main = self._both(lambda f: ix.PhraseQ(f, terms) if len(terms) > 1 else ix.TermQ(f, terms[0]), positive)
        if concept is None:
            return main
        return ix.BoolQ(should=(main, *self._expansion(concept, f'"{raw}"', positive, typed_terms=terms)))

    def prefix(self, raw: str, positive: bool, depth: int):
        low = raw.lower()
        stem = ix.term_for(low) or low
        common = low[: next((i for i, (a, b) in enumerate(zip(low, stem, strict=False)) if a != b), min(len(low), len(stem)))]
        pre = common if len(common) >= 2 else low
        if len(pre) < 2:
            raise QuerySyntaxError(f"{raw}* is too short a prefix: give at least two letters before the *.")
        if positive:
            self.plan.prefixes.add(pre)
        return self._both(lambda f: ix.PrefixQ(f, pre), positive)

    # filters --------------------------------------------------------------------------------------------
    def filter(self, node: kq.Field, depth: int = 0):
        name, value = node.name, node.value
        if name == "concept":
            found = self.names.match(value)
            if found is None:
                raise UnknownConcept(self.names.unknown_message(value))
            concept = found.concept
            if found.note:
                self.plan.notes.append(found.note)
            self.plan.explain.append(f"filter: passages tagged with concept {concept.id} ({concept.label})")
            return ix.TermQ("concepts", concept.id)
        if name == "publisher":
            key = ix.publisher_key(value)
            keys = self._matching_keys("publisher", key)
            self._known(keys, "publisher", value, key)
            self.plan.explain.append(
                f"filter: publisher {value!r} (ignoring case, apostrophes and a leading The): "
                + (", ".join(keys) if keys else "no such publisher in the index")
            )
            return ix.BoolQ(should=tuple(ix.TermQ("publisher", k) for k in keys) or (ix.TermQ("publisher", key),))
        if name == "type":
            key = ix.type_key(value)
            keys = self._matching_keys("type", key)
            self._known(keys, "type", value, key)
            self.plan.explain.append(f"filter: document type {value!r}: " + (", ".join(keys) if keys else "none in the index"))
            return ix.BoolQ(should=tuple(ix.TermQ("type", k) for k in keys) or (ix.TermQ("type", key),))
        if name == "doc":
            if self.has_term is not None and not self.has_term("doc_id", value):
                raise UnknownDocument(unknown_document_message(value, self.keys("doc_id") if self.keys else []))
            self.plan.explain.append(f"filter: document {value}")
            return ix.TermQ("doc_id", value)
        if name == "title":
            terms = tuple(ix.analyze(value))
            if not terms:
                raise QuerySyntaxError(f"title:{value} has only stop words: give a word that is in the title.")
            self.plan.explain.append(f"filter: title contains {value!r}")
            return ix.PhraseQ("title", terms) if len(terms) > 1 else ix.TermQ("title", terms[0])
        if name == "year":
            return self.dates(node.low, node.high)
        if name == "date":
            return self.dates(node.low, node.high)
        raise QuerySyntaxError(f"Unknown field {name}:")

    def _known(self, matched: list[str], field: str, value: str, key: str) -> None:
        """A publisher or type that no indexed document has is an error naming the closest ones, not 0 hits."""
        if matched or self.keys is None:
            return
        known = self.keys(field)
        what = {"publisher": "publisher", "type": "document type"}[field]
        hint = did_you_mean(key, known)
        if not hint:
            hint = (f" Known: {', '.join(known[:12])}{', …' if len(known) > 12 else ''}." if known
                    else f" No indexed document has a {what}.")
        raise UnknownValue(f"No {what} {value!r} in the index.{hint} Run `kb docs` to see them.")

    def _matching_keys(self, field: str, key: str) -> list[str]:
        """Index keys equal to ``key`` or containing all its words ("kings" -> "kings fund")."""
        keys = self.keys(field) if self.keys else []
        words = key.split()
        return [k for k in keys if k == key or (words and all(w in k.split() for w in words))]

    def dates(self, low: str | None, high: str | None):
        """Documents whose (possibly partial) date could fall in the range: their span overlaps it."""
        lo = PartialDate.parse(low).earliest if low else None
        hi = PartialDate.parse(high).latest if high else None
        if lo and hi and lo > hi:
            raise UsageError(f"The date range {low}..{high} ends before it starts: swap the two dates.")
        self.plan.explain.append(
            f"filter: published {_range_words(low, high)} (documents dated only to a month or year count "
            "if that period overlaps the range)"
        )
        filters = []
        if hi:
            filters.append(ix.RangeQ("date", None, int(hi.replace("-", ""))))
        if lo:
            filters.append(ix.RangeQ("date_latest", int(lo.replace("-", "")), None))
        return ix.BoolQ(filters=tuple(filters))


def _scaled(node, n: int):
    """``node`` scoring ``n`` times as much (the sum of ``n`` copies): every scoring leaf's boost times ``n``.

    Filters and exclusions add no score; a prefix scores a constant and is left as it is.
    """
    if isinstance(node, (ix.TermQ, ix.PhraseQ, ix.NearQ)):
        return dataclasses.replace(node, boost=node.boost * n)
    if isinstance(node, ix.BoolQ):
        return dataclasses.replace(node, must=tuple(_scaled(k, n) for k in node.must),
                                   should=tuple(_scaled(k, n) for k in node.should))
    return node


def _is_pure_not(node) -> bool:
    return isinstance(node, ix.BoolQ) and bool(node.must_not) and not (node.must or node.should or node.filters)


def _range_words(low: str | None, high: str | None) -> str:
    if low and high and low == high:
        return f"in {low}"
    if low and high:
        return f"from {low} to {high}"
    return f"from {low} on" if low else f"up to {high}"


def describe(node) -> str:
    """An index node as compact query text, e.g. (text:tripl OR title:tripl)."""
    if isinstance(node, ix.TermQ):
        return f"{node.field}:{node.term}"
    if isinstance(node, ix.PhraseQ):
        return f'{node.field}:"{" ".join(node.terms)}"'
    if isinstance(node, ix.PrefixQ):
        return f"{node.field}:{node.prefix}*"
    if isinstance(node, ix.NearQ):
        return f'near:"{node.first} {node.second}"^{node.boost:g}'
    if isinstance(node, ix.RangeQ):
        return f"{node.field}:[{'' if node.low is None else node.low} TO {'' if node.high is None else node.high}]"
    if isinstance(node, ix.AllQ):
        return "*"
    if isinstance(node, ix.BoolQ):
        parts = []
        if node.should:
            joined = " OR ".join(describe(n) for n in node.should)
            parts.append(f"({joined})" if len(node.should) > 1 and (node.must or node.filters or node.must_not) else joined)
        parts += ["+" + describe(n) for n in node.must]
        parts += ["#" + describe(n) for n in node.filters]
        parts += ["-" + describe(n) for n in node.must_not]
        return "(" + " ".join(parts) + ")" if len(parts) > 1 or node.should and len(node.should) > 1 else parts[0]
    return repr(node)


def plan(query: str, names: ConceptNames, *, concept=None, publisher=None, since=None, until=None, doc=None,
         type=None, has_term=None, keys=None):
    """Parse and plan; return (index node, plan, parsed tree)."""
    tree, parse_notes = kq.parse_with_notes(query) if query and query.strip() else (None, [])
    has_options = any(v for v in (concept, publisher, since, until, doc, type))
    if tree is None and not has_options:
        kq.parse(query or "")  # raises the empty-query error
    planner = _Planner(names, has_term, keys)
    planner.plan.notes.extend(parse_notes)
    node = planner.text(tree, True, 0) if tree is not None else None
    extra = []
    for name, value in (("concept", concept), ("publisher", publisher), ("doc", doc), ("type", type)):
        for v in _values(value):
            extra.append(planner.filter(kq.Field(name, v)))
    if since or until:
        for label, v in (("--since", since), ("--until", until)):
            if v:
                try:
                    PartialDate.parse(str(v))
                except ValueError:
                    raise UsageError(f"{label} {v}: write a date like 2020-11-20, 2020-11 or 2020.") from None
        extra.append(planner.dates(str(since) if since else None, str(until) if until else None))
    if node is None and not extra:
        ignored = ", ".join(planner.plan.ignored) or query
        raise QuerySyntaxError(
            f"Nothing searchable is left of the query (ignored: {ignored}). Use content words, "
            'a "quoted phrase" or a filter such as concept:ics.'
        )
    if extra:
        if node is None:
            node = ix.BoolQ(filters=tuple(extra))
        else:
            node = ix.BoolQ(must=(node,), filters=tuple(extra))
    node = _simplify(node)
    if planner.plan.title:
        node = ix.BoolQ(must=(node,), should=tuple(planner.plan.title))
    return node, planner.plan, tree


def _values(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _simplify(node):
    """Flatten single-child wrappers so the engine and --explain see the simplest equivalent tree."""
    if not isinstance(node, ix.BoolQ):
        return node
    must = tuple(_simplify(n) for n in node.must)
    should = tuple(_simplify(n) for n in node.should)
    nots = tuple(_simplify(n) for n in node.must_not)
    filters = tuple(_simplify(n) for n in node.filters)
    # (A) with a single required part and nothing else is just A
    if len(must) == 1 and not (should or nots or filters):
        return must[0]
    if len(should) == 1 and not (must or nots or filters):
        return should[0]
    # a must-wrapper around a plain BoolQ with only should/filters: merge filters upward
    if len(must) == 1 and isinstance(must[0], ix.BoolQ) and not should and not nots:
        inner = must[0]
        if not inner.must and not inner.must_not and inner.should:
            return ix.BoolQ(should=inner.should, filters=inner.filters + filters, must=inner.must)
        if not inner.should:
            return ix.BoolQ(must=inner.must, must_not=inner.must_not, filters=inner.filters + filters)
    return ix.BoolQ(must=must, should=should, must_not=nots, filters=filters)
