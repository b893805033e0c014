"""kb's total order of hits (:mod:`kb.index.order`) on Whoosh: a collector that never loses a tie, and passage
ids read only for the hits whose order depends on them.

Whoosh's top-N collector keeps the first of equal scores by document number and tells matchers to skip every
block that cannot *beat* the page, so a passage that would tie with the last hit was dropped, and which one
was kept changed with every rebuild (document numbers follow build order). This collector keeps every
passage that may tie at the shown precision and the hits are ordered by (score at SCORE_DECIMALS, passage id).
"""

from __future__ import annotations

from heapq import heappush, heapreplace

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh.collectors import TopCollector

from kb.index.order import date_key, score_key, tie_floor
from kb.index.whoosh.columns import _cached, _column_values

#: A segment's docnum -> passage id table (from the id field's terms: 0.3 s of CPU per 100,000 passages)
#: costs about one stored-field read (18 µs) per this many passages.
ID_TABLE_READS = 6


class TieCollector(TopCollector):
    """The top ``limit`` scores plus every passage that may tie with the lowest of them.

    Matchers are told the tie floor of the page's lowest score as the score to beat (block skipping stays
    exact: what they skip can neither beat nor tie the page).
    """

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.near: list[tuple[float, int]] = []
        self.floor: float | None = None
        self.minscore = None  # no skipping until the page is full (Whoosh's 0 skips zero-scored blocks)

    def _collect(self, global_docnum, score):
        items = self.items
        self.total += 1
        if len(items) < self.limit:
            heappush(items, (score, 0 - global_docnum))
            if len(items) == self.limit:
                self._refloor()
        elif score > items[0][0]:
            out = heapreplace(items, (score, 0 - global_docnum))
            self.near.append((out[0], 0 - out[1]))
            self._refloor()
        elif self.floor is not None and score > self.floor:
            self.near.append((score, global_docnum))
        return 0 - score

    def _refloor(self) -> None:
        floor = tie_floor(self.items[0][0])
        if self.floor is None or floor > self.floor:
            self.floor = floor
            self.minscore = floor
            if len(self.near) > 4 * self.limit:
                self.near = [(s, d) for s, d in self.near if s > floor]

    def candidates(self) -> list[tuple[float, int]]:
        """(score, global docnum) of the page's passages and of every passage that may tie with them."""
        out = [(s, 0 - d) for s, d in self.items]
        if self.floor is not None:
            out += [(s, d) for s, d in self.near if s > self.floor]
        return out


def passage_ids(reader, docnums: list[int], stored: dict[int, dict] | None = None) -> dict[int, str]:
    """Global docnum -> passage id for ``docnums`` (the stored fields read on the way go into ``stored``).

    A segment's docnum -> id table costs as much as ID_TABLE_READS stored-field reads per passage of the
    segment: it is built once this process has read that many ids of the segment one by one (rent or buy), so
    a fresh `kb search` reads a few ids and a long-lived process soon reads none.
    """
    from bisect import bisect_right

    out: dict[int, str] = {}
    leaves = reader.leaf_readers()
    starts = [base for _r, base in leaves]
    for d in docnums:
        k = bisect_right(starts, d) - 1
        leaf, base = leaves[k]
        table = _cached(leaf, ("passage-ids", "table"), lambda: None)
        if table is None:
            reads = leaf.__dict__.setdefault("_kb_id_reads", [0])
            reads[0] += 1
            if reads[0] * ID_TABLE_READS > leaf.doc_count_all():
                table = _segment_ids(leaf)
        if table is not None:
            out[d] = table[d - base]
        else:
            fields = reader.stored_fields(d)
            if stored is not None:
                stored[d] = fields
            out[d] = fields["id"]
    return out


def _segment_ids(reader) -> list[str]:
    """Docnum -> passage id of one segment, from the id field's terms (each held by one passage, whose docnum
    the term's entry carries: about 3 µs a passage, where a stored-field read costs 18)."""
    def make():
        ids = [""] * reader.doc_count_all()
        for term, info in reader.iter_field("id"):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            docnum = getattr(info, "_minid", None)
            if info.doc_frequency() == 1 and isinstance(docnum, int) and docnum == getattr(info, "_maxid", None):
                ids[docnum] = text
            else:  # not the entry expected: read the term's postings
                for d in reader.postings("id", term).all_ids():
                    ids[d] = text
        return ids

    table = make()
    reader.__dict__.setdefault("_kb_columns", {})[("passage-ids", "table")] = table
    return table


def by_relevance(reader, found: list[tuple[float, int]], k: int,
                 stored: dict[int, dict] | None = None) -> list[tuple[float, int]]:
    """The first ``k`` of (score, docnum) pairs in the total order: score at the shown precision, then id.

    Ids are read only where the order needs them: for passages sharing a shown score with another, within the
    page (their stored fields are the page's rows anyway); of a group of equal scores that runs past the page,
    only the smallest ids that fit are looked for (``_first_ids``).
    """
    found = sorted(found, key=lambda sd: -score_key(sd[0]))
    out: list[tuple[float, int]] = []
    i = 0
    while i < len(found) and len(out) < k:
        j = i
        while j < len(found) and score_key(found[j][0]) == score_key(found[i][0]):
            j += 1
        group = found[i:j]
        room = k - len(out)
        if len(group) == 1:
            out += group
        elif len(group) <= room:
            ids = passage_ids(reader, [d for _s, d in group], stored)
            out += sorted(group, key=lambda sd: ids[sd[1]])
        else:
            ids = _first_ids(reader, [d for _s, d in group], room, stored)
            out += sorted((sd for sd in group if sd[1] in ids), key=lambda sd: ids[sd[1]])[:room]
        i = j
    return out


def _first_ids(reader, docnums: list[int], m: int, stored: dict[int, dict] | None) -> dict[int, str]:
    """Docnum -> id of (at least) the ``m`` passages of ``docnums`` with the smallest ids.

    A segment's id terms come in id order, each naming its passage's docnum: walking them until ``m`` members
    are met costs about m x (segment size / members) terms at 3 µs, against 18 µs a stored-field read per
    member; the walk stops at the cost of reading them all, which it then does.
    """
    from bisect import bisect_right

    leaves = reader.leaf_readers()
    starts = [base for _r, base in leaves]
    per_leaf: dict[int, list[int]] = {}
    for d in docnums:
        per_leaf.setdefault(bisect_right(starts, d) - 1, []).append(d)
    out: dict[int, str] = {}
    for k, members in per_leaf.items():
        leaf, base = leaves[k]
        table = leaf.__dict__.get("_kb_columns", {}).get(("passage-ids", "table"))
        if table is not None or len(members) <= m:
            out.update(passage_ids(reader, members, stored))
            continue
        walked = leaf.__dict__.setdefault("_kb_id_walked", [0])
        if walked[0] > leaf.doc_count_all():  # the walks so far cost what the table costs: buy it
            table = _segment_ids(leaf)
            out.update({d: table[d - base] for d in members})
            continue
        wanted = {d - base for d in members}
        budget = ID_TABLE_READS * len(members)
        got: dict[int, str] = {}
        for term, info in leaf.iter_field("id"):
            budget -= 1
            walked[0] += 1
            if budget < 0:
                break
            local = getattr(info, "_minid", None)
            if local in wanted and info.doc_frequency() == 1:
                got[base + local] = term.decode("utf-8") if isinstance(term, bytes) else term
                if len(got) >= m:
                    break
        if len(got) >= m:
            out.update(got)
        else:
            out.update(passage_ids(reader, members, stored))
    return out


def by_date(reader, docnums: list[int], sort: str, k: int, stored: dict[int, dict] | None = None) -> list[int]:
    """The first ``k`` of ``docnums`` sorted by date (``date`` or ``-date``), then passage id."""
    dates = _dates(reader)
    keyed = sorted((date_key(sort, dates[0][d], dates[1][d]), d) for d in docnums)
    if len(keyed) > k:
        last = keyed[k - 1][0]
        keyed = [kd for kd in keyed if kd[0] <= last]
    ids = passage_ids(reader, [d for _key, d in keyed], stored)
    keyed.sort(key=lambda kd: (kd[0], ids[kd[1]]))
    return [d for _key, d in keyed[:k]]


def _dates(reader) -> tuple[list[int], list[int]]:
    """Global docnum -> (date, date_latest) columns of the whole index (0: undated)."""
    out: tuple[list[int], list[int]] = ([], [])
    for leaf, _base in reader.leaf_readers():
        for field, values in zip(("date", "date_latest"), out, strict=True):
            def make(leaf=leaf, field=field):
                n = leaf.doc_count_all()
                if not leaf.has_column(field):
                    return [0] * n
                raw = leaf.column_reader(field, translate=False)
                return [int(v or 0) for v in (_column_values(raw) or list(raw))]

            values.extend(_cached(leaf, ("date-column", field), make))
    return out
