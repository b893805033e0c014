"""The kb query language, parsed into an engine-neutral tree (no analysis, no Whoosh).

    words  "quoted phrases"  AND  OR  NOT  -word  +word  ( groups )  prefix*
    concept:ics  publisher:"King's Fund"  year:2020  year:2019..2021  date:2020-11..2021-03
    doc:ID  type:briefing  title:word

Plain words are alternatives ranked by BM25 (like Lucene's default OR); AND binds tighter than OR, and both
bind tighter than plain juxtaposition: ``a b AND c`` is "a, or better b and c". Filters always have to match.
Stray punctuation in natural-language queries ("what ... aircraft?") is text, not syntax; unbalanced quotes or
parentheses in a query that clearly uses the syntax are errors that say how to fix them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.errors import QuerySyntaxError
from kb.models import PartialDate

FIELDS = ("concept", "publisher", "year", "date", "doc", "type", "title")
OPERATORS = ("AND", "OR", "NOT")
#: Bounds on what a query may ask for, so that anything typed is answered (or turned down) in moments:
#: groups and NOTs nested deeper than MAX_DEPTH, or more than MAX_WORDS words (each word of a phrase and each
#: filter counts), are a usage error naming the limit. Lucene's default clause limit is 1,024.
MAX_DEPTH = 32
MAX_WORDS = 1000
_WORDS_RE = re.compile(r"[^\W_]+")


# -- tree ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str  # without the trailing *


@dataclass(frozen=True)
class Field:
    """``name:value``; for year and date ``low``/``high`` hold the parsed range (inclusive)."""

    name: str
    value: str
    low: str | None = None
    high: str | None = None


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Seq:
    """Juxtaposed clauses: ``should`` rank, ``must`` are required (+word), ``must_not`` excluded (-word, NOT)."""

    should: tuple = ()
    must: tuple = ()
    must_not: tuple = ()


# -- lexer --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str  # word | phrase | field | op | lparen | rparen | mod
    text: str
    pos: int
    value: str = ""
    quoted: bool = False


_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
_QUOTED_FIELD_RE = re.compile(r'([A-Za-z_]+):"')
_BREAK = set(" \t\r\n()")


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == "(":
            toks.append(_Tok("lparen", c, i))
            i += 1
            continue
        if c == ")":
            toks.append(_Tok("rparen", c, i))
            i += 1
            continue
        if c == '"':
            close = q.find('"', i + 1)
            if close < 0:
                raise QuerySyntaxError(
                    f'Unbalanced quote at character {i + 1} of the query: close the phrase with another " '
                    'or remove the quote.'
                )
            toks.append(_Tok("phrase", q[i + 1 : close], i))
            i = close + 1
            continue
        # A sign before a digit is part of a number: "-80 °C" searches for 80, it does not exclude it.
        if c in "+-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in "+-)" and not q[i + 1].isdigit():
            toks.append(_Tok("mod", c, i))
            i += 1
            continue
        m = _QUOTED_FIELD_RE.match(q, i)
        if m:
            close = q.find('"', m.end())
            if close < 0:
                raise QuerySyntaxError(
                    f'Unbalanced quote after {m.group(1)}: in the query: close it with another " or remove it.'
                )
            toks.append(_Tok("field", m.group(1).lower(), i, value=q[m.end() : close], quoted=True))
            i = close + 1
            continue
        j = i
        while j < n and q[j] not in _BREAK:
            j += 1
        word = q[i:j]
        m = _FIELD_RE.match(word)
        if m and m.group(1) and not m.group(2).startswith("//"):  # "http://..." is text, not a field
            name, value = m.group(1).lower(), m.group(2)
            quoted = False
            if not value and j < n and q[j] == "(":
                raise QuerySyntaxError(
                    f"{name}:( ... ) is not supported: repeat the field for each value, e.g. "
                    f"({name}:a OR {name}:b)."
                )
            if not value and name in FIELDS:
                raise QuerySyntaxError(f"{name}: needs a value, e.g. {_EXAMPLES[name]}.")
            toks.append(_Tok("field", name, i, value=value, quoted=quoted) if value else _Tok("word", word, i))
            i = j
            continue
        toks.append(_Tok("op" if word in OPERATORS else "word", word, i))
        i = j
    return toks


def _uses_syntax(toks: list[_Tok]) -> bool:
    return any(t.kind in ("op", "field", "phrase", "mod") for t in toks)


def _check_parens(toks: list[_Tok], query: str) -> list[_Tok]:
    depth = 0
    balanced = True
    for t in toks:
        if t.kind == "lparen":
            depth += 1
        elif t.kind == "rparen":
            depth -= 1
            if depth < 0:
                balanced = False
    balanced = balanced and depth == 0
    if balanced:
        return toks
    if _uses_syntax(toks):
        raise QuerySyntaxError(
            "Unbalanced parentheses in the query: every ( needs a matching ), "
            'or quote the text ("...") to search it literally.'
        )
    # A natural-language query with a stray parenthesis: the parenthesis is just punctuation.
    return [t for t in toks if t.kind not in ("lparen", "rparen")]


# -- parser -------------------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0  # open groups and NOTs around the current token (bounded by MAX_DEPTH)

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                f"The query nests parentheses or NOTs more than {MAX_DEPTH} levels deep (the limit is {MAX_DEPTH}): "
                "write it with fewer levels."
            )

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def seq(self, closing: bool) -> Seq:
        should, must, must_not = [], [], []
        while True:
            tok = self.peek()
            if tok is None:
                break
            if tok.kind == "rparen":
                if closing:
                    break
                raise QuerySyntaxError("Unbalanced parentheses in the query: a ) has no matching (.")
            if tok.kind == "op" and tok.text in ("AND", "OR"):
                # A dangling operator ("a OR", "AND b"): take the word literally rather than guess.
                self.take()
                should.append(Word(tok.text.lower()))
                continue
            node = self.or_expr()
            if isinstance(node, Not):
                must_not.append(node.child)
            elif isinstance(node, _Must):
                must.append(node.child)
            elif isinstance(node, Field):
                must.append(node)
            else:
                should.append(node)
        return Seq(tuple(should), tuple(must), tuple(must_not))

    def or_expr(self):
        items = [self.and_expr()]
        while self._op("OR"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(_plain(x) for x in items))

    def and_expr(self):
        items = [self.unary()]
        while self._op("AND"):
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(_plain(x) for x in items))

    def _op(self, name: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == name:
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if nxt is None or nxt.kind == "rparen" or (nxt.kind == "op" and nxt.text != "NOT"):
                raise QuerySyntaxError(f"{name} at the end of the query needs something after it, e.g. a {name} b.")
            self.take()
            return True
        return False

    def unary(self):
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("The query ended too early: something must follow NOT or -.")
        if tok.kind == "op" and tok.text == "NOT":
            self.take()
            following = self.peek()
            if following is None or following.kind == "rparen":
                raise QuerySyntaxError("NOT needs something after it, e.g. nhs NOT england.")
            self.deeper()
            child = _plain(self.unary())
            self.depth -= 1
            return Not(child)
        if tok.kind == "mod":
            self.take()
            if self.peek() is None:
                raise QuerySyntaxError(f"{tok.text} needs a word after it, e.g. {tok.text}england.")
            self.deeper()
            child = _plain(self.unary())
            self.depth -= 1
            return Not(child) if tok.text == "-" else _Must(child)
        return self.atom()

    def atom(self):
        tok = self.take()
        if tok.kind == "lparen":
            self.deeper()
            inner = self.seq(closing=True)
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QuerySyntaxError("Unbalanced parentheses in the query: a ( has no matching ).")
            self.take()
            if not (inner.should or inner.must or inner.must_not):
                raise QuerySyntaxError("Empty parentheses in the query: put words inside them or remove them.")
            if len(inner.should) == 1 and not inner.must and not inner.must_not:
                return inner.should[0]
            return inner
        if tok.kind == "phrase":
            return Phrase(tok.text)
        if tok.kind == "field":
            return _field(tok.text, tok.value, tok.quoted)
        if tok.kind == "word":
            if len(tok.text) > 1 and tok.text.endswith("*") and tok.text[:-1].strip("*"):
                return Prefix(tok.text.rstrip("*"))
            return Word(tok.text)
        raise QuerySyntaxError(f"Unexpected {tok.text!r} at character {tok.pos + 1} of the query.")


@dataclass(frozen=True)
class _Must:
    child: object


def _plain(node):
    """Inside AND/OR a leading + is redundant: drop the marker."""
    return node.child if isinstance(node, _Must) else node


def _field(name: str, value: str, quoted: bool) -> Field:
    if name not in FIELDS:
        raise QuerySyntaxError(
            f"Unknown field {name}: in the query. Fields are {', '.join(f + ':' for f in FIELDS)}; "
            f'to search the text literally put it in quotes ("{name}:{value}").'
        )
    value = value.strip()
    if not value:
        raise QuerySyntaxError(f"{name}: needs a value, e.g. {_EXAMPLES[name]}.")
    if name == "year":
        low, high = _split_range(value)
        for part in (low, high):
            if part is not None and not re.fullmatch(r"\d{4}", part):
                raise QuerySyntaxError(f"year:{value} is not a year or range: write e.g. year:2020 or year:2019..2021.")
        return Field(name, value, low, high)
    if name == "date":
        low, high = _split_range(value)
        for part in (low, high):
            if part is not None:
                try:
                    PartialDate.parse(part)
                except ValueError:
                    raise QuerySyntaxError(
                        f"date:{value} is not a date or range: write e.g. date:2020-11, date:2020-11-20 "
                        "or date:2020-11..2021-03."
                    ) from None
        return Field(name, value, low, high)
    return Field(name, value)


_EXAMPLES = {
    "concept": "concept:ics",
    "publisher": 'publisher:"King\'s Fund"',
    "year": "year:2019..2021",
    "date": "date:2020-11..2021-03",
    "doc": "doc:kingsfund-integrated-care-our-position-2022",
    "type": "type:briefing",
    "title": "title:reform",
}


def _split_range(value: str) -> tuple[str | None, str | None]:
    if ".." in value:
        low_text, high_text = value.split("..", 1)
        low, high = low_text.strip() or None, high_text.strip() or None
        if low is None and high is None:
            raise QuerySyntaxError("A range needs at least one end, e.g. year:2019..2021 or year:..2020.")
        return low, high
    return value, value


def parse(query: str) -> Seq:
    """Parse a query string into a ``Seq``; QuerySyntaxError with advice when it cannot be understood."""
    return parse_with_notes(query)[0]


#: The note for a plain-text query whose parentheses do not pair up (they are read as punctuation).
STRAY_PARENS_NOTE = "unmatched parenthesis read as punctuation (to group words, pair every ( with a ))"


def parse_with_notes(query: str) -> tuple[Seq, list[str]]:
    """``parse``, plus notes on what was read leniently: a stray ( or ) in plain text is punctuation, on
    either side ("(ics" and "ics)" alike); in a query that uses operators, quotes or fields it is an error."""
    if not query or not query.strip():
        raise QuerySyntaxError(
            'The query is empty: give words, a "quoted phrase" or a filter such as concept:ics.'
        )
    lexed = _lex(query)
    toks = _check_parens(lexed, query)
    notes = [STRAY_PARENS_NOTE] if len(toks) != len(lexed) else []
    words = sum(1 if t.kind == "field" else len(_WORDS_RE.findall(t.text)) for t in toks if t.kind in ("word", "phrase", "field"))
    if words > MAX_WORDS:
        raise QuerySyntaxError(
            f"The query has {words:,} words; the limit is {MAX_WORDS:,}. Shorten it, e.g. to its rarest words "
            "or a quoted phrase."
        )
    if not toks:
        raise QuerySyntaxError(
            'The query has no words: give words, a "quoted phrase" or a filter such as concept:ics.'
        )
    parser = _Parser(toks)
    tree = parser.seq(closing=False)
    if not (tree.should or tree.must or tree.must_not):
        raise QuerySyntaxError('The query has no words: give words, a "quoted phrase" or a filter such as concept:ics.')
    return tree, notes


def render(node) -> str:
    """The tree as query text with explicit structure (used by --explain)."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Prefix):
        return node.text + "*"
    if isinstance(node, Field):
        return f'{node.name}:"{node.value}"' if " " in node.value else f"{node.name}:{node.value}"
    if isinstance(node, Not):
        return "NOT " + render(node.child)
    if isinstance(node, And):
        return "(" + " AND ".join(render(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(render(c) for c in node.children) + ")"
    if isinstance(node, Seq):
        parts = [render(c) for c in node.should] + ["+" + render(c) for c in node.must]
        parts += ["-" + render(c) for c in node.must_not]
        return "(" + " ".join(parts) + ")"
    return repr(node)
