"""Measure kb's ranking on a standard IR test collection: MAP, nDCG@10, P@10, recall@100 and recall@1000.

    python bench/bench_ranking.py DIR                  # BEIR (corpus.jsonl, queries.jsonl, qrels/test.tsv),
                                                       # SMART/Cranfield (.I/.T/.A/.W files) or TREC (<DOC>, <top>)
    python bench/bench_ranking.py --docs F --queries F --qrels F     # the three files named explicitly
    python bench/bench_ranking.py --generate DIR       # write a small synthetic BEIR collection to try it on
    python bench/bench_ranking.py --check-queries F... --topic-part title,desc   # do kb's queries cope?

Each collection document becomes one kb passage (text = title + body, title field = the title) stored and
indexed by kb's own code (kb.store, kb.index.whoosh.rebuild: the path `kb ingest` takes); every query goes through
`kb.search.search`, as typed, so kb's query language has to cope with natural-language text. Scores follow
trec_eval (through ir-measures: `pip install -e '.[bench]'`), averaged over every judged query (trec_eval -c:
a query kb fails on or finds nothing for counts 0).

Three rankings are measured in the same run, so differences can be put down to their causes:
  kb (title x2)       kb as users get it (title bonus, side-by-side bonus for short queries, acronym forms);
                      --title-boost 1,0.5 adds rows with other title weights
  kb, no title field  the same index without the title field (like Anserini's "flat" BEIR indexes)
  exact BM25          Lucene's BM25 formula computed here in plain Python on kb's own analysis, exact lengths
"""

from __future__ import annotations

import argparse
import gzip
import heapq
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEPTH = 1000
MEASURES = ("AP", "nDCG@10", "P@10", "R@100", "R@1000")


@dataclass
class Collection:
    name: str
    docs: dict[str, tuple[str, str]]  # id -> (title, body)
    queries: dict[str, str]  # id -> text as typed
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)  # query id -> doc id -> grade


# -- reading collections -------------------------------------------------------------------------------------
def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8", errors="replace") if path.suffix == ".gz" else \
        open(path, encoding="utf-8", errors="replace")


def _read(path: Path) -> str:
    with _open(path) as f:
        return f.read()


def load_beir(folder: Path, split: str = "test") -> Collection:
    """BEIR layout: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}), qrels/<split>.tsv."""
    docs, queries = {}, {}
    with _open(_first(folder, "corpus.jsonl")) as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[str(d["_id"])] = (d.get("title") or "", d.get("text") or "")
    with _open(_first(folder, "queries.jsonl")) as f:
        for line in f:
            if line.strip():
                q = json.loads(line)
                queries[str(q["_id"])] = q.get("text") or ""
    qrels = load_qrels(_first(folder / "qrels", f"{split}.tsv"))
    return Collection(folder.name, docs, {q: t for q, t in queries.items() if q in qrels}, qrels)


def _first(folder: Path, name: str) -> Path:
    for cand in (folder / name, folder / (name + ".gz")):
        if cand.exists():
            return cand
    raise SystemExit(f"{folder} has no {name}: give a BEIR folder or the three files (--docs --queries --qrels).")


def _smart_records(text: str) -> list[tuple[str, dict[str, str]]]:
    """SMART records: ``.I id`` then sections ``.T`` title, ``.A`` authors, ``.W`` text, ... (any letter)."""
    out = []
    for block in re.split(r"^\.I[ \t]+", text, flags=re.M)[1:]:
        head, _, rest = block.partition("\n")
        sections: dict[str, str] = {}
        for m in re.finditer(r"^\.([A-Z])[ \t]*\n?(.*?)(?=^\.[A-Z](?:[ \t]|$)|\Z)", rest, flags=re.M | re.S):
            sections[m.group(1)] = (sections.get(m.group(1), "") + " " + m.group(2)).strip()
        out.append((head.strip(), sections))
    return out


def load_smart_docs(path: Path) -> dict[str, tuple[str, str]]:
    """Title = .T; body = authors, keywords and text (.A .K .W), as a search engine would index them."""
    docs = {}
    for doc_id, s in _smart_records(_read(path)):
        body = "\n".join(s[k] for k in "AKW" if s.get(k))
        docs[doc_id] = (s.get("T", ""), body)
    return docs


def load_smart_queries(path: Path) -> dict[str, str]:
    return {qid: " ".join(s.get(k, "") for k in "TW").strip() for qid, s in _smart_records(_read(path))}


def load_trec_docs(path: Path) -> dict[str, tuple[str, str]]:
    """TREC <DOC> files: <DOCNO> is the id, <TITLE>/<HEADLINE> the title, every other tag's text the body."""
    docs = {}
    for block in re.findall(r"<DOC>(.*?)</DOC>", _read(path), flags=re.S | re.I):
        m = re.search(r"<DOCNO>\s*(.*?)\s*</DOCNO>", block, flags=re.S | re.I)
        if not m:
            continue
        rest = block.replace(m.group(0), " ")
        t = re.search(r"<(TITLE|HEADLINE|HEAD)>(.*?)</\1>", rest, flags=re.S | re.I)
        title = re.sub(r"<[^>]+>", " ", t.group(2)).strip() if t else ""
        if t:
            rest = rest.replace(t.group(0), " ")
        docs[m.group(1)] = (" ".join(title.split()), " ".join(re.sub(r"<[^>]+>", " ", rest).split()))
    return docs


def load_trec_topics(path: Path, part: str = "title") -> dict[str, str]:
    """TREC <top> topics: the <title> (or <desc>, or both: part = title | desc | title+desc)."""
    out = {}
    for block in re.findall(r"<top>(.*?)</top>", _read(path), flags=re.S | re.I):
        num = re.search(r"<num>\s*(?:Number:)?\s*([^\s<]+)", block, flags=re.I)
        if not num:
            continue

        def section(tag: str, block: str) -> str:
            m = re.search(rf"<{tag}>\s*(?:Description:|Topic:)?(.*?)(?=<[a-z/]+>|\Z)", block, flags=re.S | re.I)
            return " ".join(m.group(1).split()) if m else ""

        out[num.group(1)] = " ".join(section(p, block) for p in part.split("+")).strip()
    return out


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC (qid iter docid grade), BEIR TSV (query-id corpus-id score), Cranfield (qid docid grade) or
    SMART/CISI/CACM (qid docid 0 0.0: every listed pair relevant). Grades are kept as given (trec_eval)."""
    rows = [line.split() for line in _read(path).splitlines() if line.strip()]
    if rows and not rows[0][-1].lstrip("-").replace(".", "").isdigit():
        rows = rows[1:]  # a header line
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    trec = all(len(r) == 4 and r[1] in ("0", "Q0") for r in rows)
    for r in rows:
        if trec:
            q, d, g = r[0], r[2], int(float(r[3]))
        elif len(r) == 3:
            q, d, g = r[0], r[1], int(float(r[2]))
        else:
            q, d, g = r[0], r[1], 1
        qrels[q][d] = g
    return dict(qrels)


def load_files(docs: Path, queries: Path, qrels: Path, topic_part: str = "title") -> Collection:
    head = _read(docs)[:2000]
    d = load_smart_docs(docs) if re.search(r"^\.I\s", head, re.M) else load_trec_docs(docs)
    qr = {_norm_id(k): v for k, v in load_qrels(qrels).items()}
    q = _match_query_ids(read_queries(queries, topic_part), qr)
    return Collection(docs.parent.name, d, {k: v for k, v in q.items() if k in qr}, qr)


def read_queries(path: Path, topic_part: str = "title") -> dict[str, str]:
    """Queries in the usual layouts: SMART .I/.W, TREC <top>, TREC-COVID XML, <DOC>s, id<TAB>text, id:text."""
    head = _read(path)[:2000]
    if re.search(r"^\.I\s", head, re.M):
        return load_smart_queries(path)
    if re.search(r"<top>", head, re.I):
        return load_trec_topics(path, topic_part)
    if re.search(r"<topics", head, re.I):  # TREC-COVID: <topic number="1"><query>..</query><question>..
        tags = {"title": "query", "desc": "question"}
        return {m.group(1): " ".join(" ".join(re.findall(rf"<{tags.get(p, p)}>(.*?)</", m.group(2), re.S))
                                    for p in topic_part.split("+")).strip()
                for m in re.finditer(r'<topic number="([^"]+)"[^>]*>(.*?)</topic>', _read(path), re.S)}
    if re.search(r"<DOC>", head, re.I):  # queries written as <DOC>s (Anserini's CACM topics)
        return {k: " ".join(t).strip() for k, t in load_trec_docs(path).items()}
    lines = _read(path).splitlines()
    if any("\t" in line for line in lines[:20]):
        return dict(line.split("\t", 1) for line in lines if "\t" in line)
    # id:text (TREC Million Query; its 2009 topics are id:priority:text)
    return {m.group(1): m.group(2) for m in (re.match(r"(\w+):(?:\d:)?(.*)", line) for line in lines) if m}


def _norm_id(k: str) -> str:
    return k.lstrip("0") or "0" if k.isdigit() else k


def _match_query_ids(queries: dict[str, str], qrels: dict) -> dict[str, str]:
    """Query ids as the qrels spell them. Cranfield's query file numbers its queries with gaps (1, 2, 4, 8,
    ...) while its qrels count them 1, 2, 3, ...: then the position in the file is the id."""
    queries = {_norm_id(k): v for k, v in queries.items()}
    nums = [int(k) for k in queries if k.isdigit()]
    judged = [int(k) for k in qrels if k.isdigit()]
    if nums and len(nums) == len(queries) and max(nums) > len(nums) and judged and max(judged) <= len(nums) \
            and not set(qrels) <= set(queries):
        return {str(i): v for i, v in enumerate(queries.values(), start=1)}
    return queries


def load(folder: Path, split: str = "test", topic_part: str = "title") -> Collection:
    """Find the collection's files in ``folder`` by their names and contents."""
    if (folder / "corpus.jsonl").exists() or (folder / "corpus.jsonl.gz").exists():
        return load_beir(folder, split)
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    qrels = [p for p in files if re.search(r"qrel|\.rel$|rel\.", p.name, re.I)]
    queries = [p for p in files if p not in qrels and re.search(r"qry|quer|topic", p.name, re.I)]
    rest = [p for p in files if p not in qrels and p not in queries and not p.name.lower().startswith("readme")]
    if not (qrels and queries and rest):
        raise SystemExit(f"Could not tell the documents, queries and qrels apart in {folder}: name them with "
                         "--docs, --queries and --qrels.")
    return load_files(max(rest, key=lambda p: p.stat().st_size), queries[0], qrels[0], topic_part)


# -- a synthetic collection -------------------------------------------------------------------------------------
def generate(folder: Path, docs: int = 2000, topics: int = 60, seed: int = 11) -> None:
    """A BEIR-layout collection with known relevant documents, for trying the bench without real data.

    Background text is Zipf-distributed made-up words. Every document is about a few subject words of its own,
    which its title names; each query topic has six words that its relevant documents use more often (grade 2:
    often, grade 1: now and then) and that their titles often name. Queries are natural-language renderings of
    a topic's words with the punctuation real collections have ("?", "(", "-", "/", quotes, and/or).
    Figures on it check the machinery and the agreement with exact BM25; they cannot tell whether a ranking
    idea (e.g. the title weight) helps on real text: that needs a real collection.
    """
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ne", "sa", "tu", "ri", "po", "de", "va", "gor", "lin", "tas", "mer", "bul"]
    vocab: list[str] = []
    seen = set()
    while len(vocab) < 8000:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    topic_words = [rng.sample(vocab[200:4000], 6) for _ in range(topics)]
    corpus, qrels = [], []
    for i in range(docs):
        t = rng.randrange(topics)
        grade = rng.choices([0, 1, 2], [0.8, 0.12, 0.08])[0]
        n = rng.randint(40, 250)
        words = rng.choices(vocab, weights, k=n)
        subject = rng.sample(vocab[200:], 3)
        for _ in range(max(1, n // 30)):
            words[rng.randrange(n)] = rng.choice(subject)
        title = rng.sample(subject, 2) + rng.choices(vocab[:200], k=rng.randint(0, 2))
        if grade:
            for _ in range(max(1, int(n * (0.02 if grade == 1 else 0.06)))):
                words[rng.randrange(n)] = rng.choice(topic_words[t])
            qrels.append((f"q{t}", f"d{i}", grade))
            if rng.random() < (0.3 if grade == 1 else 0.7):
                title += rng.sample(topic_words[t], rng.randint(1, 2))
        elif rng.random() < 0.3:  # unrelated documents share some topic words too
            words[rng.randrange(n)] = rng.choice(topic_words[rng.randrange(topics)])
        rng.shuffle(title)
        corpus.append({"_id": f"d{i}", "title": " ".join(title), "text": " ".join(words) + "."})
    forms = ["what is known about {0} and {1}?", "{0}-{1} effects (on {2}) in the \"{3}\" setting",
             "how do {0} and/or {1} change {2}?", "papers on {0} {1}, {2}: not only {3} .",
             "{0} {1} {2} {3} {4}", "the role of '{0}' in {1}/{2}"]
    queries = [{"_id": f"q{t}", "text": rng.choice(forms).format(*rng.sample(ws, 5))}
               for t, ws in enumerate(topic_words)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qrels").mkdir(exist_ok=True)
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in corpus), "utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries), "utf-8")
    (folder / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t{g}\n" for q, d, g in qrels), "utf-8")


# -- kb: store, index, search -------------------------------------------------------------------------------------
def passage_text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title and body else title or body


def build_index(coll: Collection, home: Path, title_field: bool = True) -> Path:
    """Store every document as one passage and build kb's index; return the index folder."""
    from kb.index import whoosh as whoosh_index
    from kb.models import Passage
    from kb.store import Store

    store = Store.open(home / "indexes" / "kb.sqlite", create=True)
    with store.transaction():
        for i, (doc_id, (title, body)) in enumerate(coll.docs.items()):
            text = passage_text(title, body)
            row = {"id": doc_id, "source": f"{i}.txt", "sha256": f"{i:064d}", "format": "text",
                   "title": title if title_field else "", "pages": 1, "passages": 1, "words": len(text.split()),
                   "text": text, "ingested_at": "2026-01-01T00:00:00Z"}
            passage = Passage(f"{doc_id}-p0000", doc_id, 0, 1, 1, 0, len(text), text)
            store.replace_document(row, [(1, 0, len(text))], [passage])
    index_dir = home / "indexes" / "whoosh"
    whoosh_index.rebuild(store, index_dir)
    store.close()
    return index_dir


def run_kb(coll: Collection, index_dir: Path, depth: int = DEPTH):
    """Every query through kb.search.search; returns (run, failures, per-query seconds)."""
    from kb import search as ks
    from kb.errors import KbError

    run: dict[str, list[str]] = {}
    failures: list[tuple[str, str, str]] = []
    times = []
    for qid, text in coll.queries.items():
        t0 = time.perf_counter()
        try:
            res = ks.search(index_dir, text, concepts=[], limit=depth, suggest=False)
        except KbError as exc:
            failures.append((qid, text, str(exc)))
            run[qid] = []
            continue
        times.append(time.perf_counter() - t0)
        run[qid] = [h.doc_id for h in res.hits]
    return run, failures, times


def ingest_path(coll: Collection, home: Path, depth: int = DEPTH):
    """The collection as a user would bring it: one .txt file per document (title line, blank line, text) through
    `kb ingest` (extraction, passages, tagging, discovered acronyms), then each query through `kb search --group
    doc` with the concepts the ingest stored. Returns (run, failures, per-query seconds, ingest seconds)."""
    from kb import search as ks
    from kb.errors import KbError
    from kb.ingest import ingest
    from kb.project import Project
    from kb.store import Store

    corpus = home / "corpus"
    corpus.mkdir(parents=True)
    names = {}
    for i, (doc_id, (title, body)) in enumerate(coll.docs.items()):
        name = f"d{i:07d}.txt"
        names[name] = doc_id
        (corpus / name).write_text(passage_text(title, body) + "\n", "utf-8")
    t0 = time.perf_counter()
    report = ingest(Project(home))
    seconds = time.perf_counter() - t0
    with Store.open(home / "indexes" / "kb.sqlite") as store:
        ids = {d["id"]: names[d["source"]] for d in store.documents() if d["source"] in names}
        concepts = store.concepts()
    run: dict[str, list[str]] = {}
    failures: list[tuple[str, str, str]] = []
    times = []
    for qid, text in coll.queries.items():
        q0 = time.perf_counter()
        try:
            res = ks.search(home / "indexes" / "whoosh", text, concepts=concepts, limit=depth, group="doc",
                            suggest=False)
        except KbError as exc:
            failures.append((qid, text, str(exc)))
            run[qid] = []
            continue
        times.append(time.perf_counter() - q0)
        seen: list[str] = []
        for h in res.hits:
            if h.doc_id in ids and ids[h.doc_id] not in seen:
                seen.append(ids[h.doc_id])
        run[qid] = seen
    print(f"kb ingest: {report.documents} documents, {report.passages} passages in {seconds:.1f} s")
    return run, failures, times, seconds


def run_exact_bm25(coll: Collection, depth: int = DEPTH, k1: float = 1.2, b: float = 0.75) -> dict[str, list[str]]:
    """Lucene's BM25 (its idf, exact document lengths) over kb's analysis of the passage text, in plain Python."""
    from kb.index import analyze

    ids = list(coll.docs)
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    lengths = []
    for n, doc_id in enumerate(ids):
        terms = analyze(passage_text(*coll.docs[doc_id]))
        lengths.append(len(terms))
        for t, tf in Counter(terms).items():
            postings[t].append((n, tf))
    avgdl = sum(lengths) / max(1, len(lengths))
    total = len(ids)
    run = {}
    for qid, text in coll.queries.items():
        scores: dict[int, float] = defaultdict(float)
        for t in analyze(text):  # a word typed twice counts twice, as in Lucene
            plist = postings.get(t, [])
            idf = math.log(1 + (total - len(plist) + 0.5) / (len(plist) + 0.5))
            for n, tf in plist:
                scores[n] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[n] / avgdl))
        best = heapq.nsmallest(depth, scores.items(), key=lambda kv: (-kv[1], kv[0]))
        run[qid] = [ids[n] for n, _ in best]
    return run


# -- evaluation ----------------------------------------------------------------------------------------------------
def evaluate(coll: Collection, run: dict[str, list[str]]) -> dict[str, float]:
    """trec_eval figures (via ir-measures) averaged over every query with a relevant document (trec_eval -c)."""
    try:
        import ir_measures
    except ImportError:
        raise SystemExit("The ranking bench needs ir-measures: pip install -e '.[bench]'") from None

    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    qrels = [ir_measures.Qrel(q, d, g) for q, ds in coll.qrels.items() for d, g in ds.items()]
    # kb's own order is the ranking: scores that reproduce it exactly (trec_eval re-sorts by score).
    scored = [ir_measures.ScoredDoc(q, d, float(len(docs) - i)) for q, docs in run.items() for i, d in
              enumerate(docs)]
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for m in ir_measures.iter_calc(measures, qrels, scored):
        per[str(m.measure)][m.query_id] = m.value
    judged = [q for q, ds in coll.qrels.items() if any(g > 0 for g in ds.values()) and q in coll.queries]
    return {name: sum(per[str(m)].get(q, 0.0) for q in judged) / max(1, len(judged))
            for name, m in zip(MEASURES, measures, strict=True)}


def check_queries(files: list[Path], topic_part: str, show: int) -> None:
    """Every query of the files through kb.search.search: how many run, how many kb turns down, and why."""
    from kb import search as ks
    from kb.errors import KbError

    work = Path(tempfile.mkdtemp(prefix="kb-queries-"))
    generate(work / "synth", docs=300, topics=20)
    index_dir = build_index(load_beir(work / "synth"), work / "home")
    reasons: Counter = Counter()
    failures, total = [], 0
    for path in files:
        texts = {t: None for part in topic_part.split(",") for t in read_queries(path, part).values() if t.strip()}
        for text in texts:  # (a layout without titles and descriptions gives the same queries for each part)
            total += 1
            try:
                ks.search(index_dir, text, concepts=[], limit=10, suggest=False)
            except KbError as exc:
                reasons[str(exc).split(":")[0].split("(")[0].strip()] += 1
                failures.append((path.name, text, str(exc)))
    print(f"{total} queries from {len(files)} files: {total - len(failures)} ran, {len(failures)} turned down")
    for reason, n in reasons.most_common():
        print(f"  {n:6}  {reason}")
    for name, text, err in failures[:show]:
        print(f"  {name}: {text!r}: {err}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, nargs="?", help="a collection folder (BEIR, SMART or TREC files)")
    ap.add_argument("--docs", type=Path)
    ap.add_argument("--queries", type=Path)
    ap.add_argument("--qrels", type=Path)
    ap.add_argument("--split", default="test", help="BEIR qrels split (default test)")
    ap.add_argument("--topic-part", default="title", help="TREC topics: title, desc or title+desc")
    ap.add_argument("--depth", type=int, default=DEPTH, help="hits per query (default 1000)")
    ap.add_argument("--work", type=Path, help="keep the kb projects here (default: a temporary folder)")
    ap.add_argument("--generate", type=Path, metavar="DIR", help="write a synthetic BEIR collection and stop")
    ap.add_argument("--size", type=int, default=2000, help="documents in a --generate'd collection")
    ap.add_argument("--title-boost", default="", metavar="X,Y",
                    help="also measure kb with these title weights (default: only kb's own, %(default)s)")
    ap.add_argument("--bm25", default="", metavar="K1,B",
                    help="score with other BM25 parameters than kb's 1.2,0.75 (Anserini's are 0.9,0.4)")
    ap.add_argument("--check-queries", type=Path, nargs="+", metavar="FILE",
                    help="only run these query files through kb's query path (on a small synthetic index) and "
                         "list the queries kb rejects")
    ap.add_argument("--show-failures", type=int, default=5)
    ap.add_argument("--ingest", action="store_true",
                    help="also measure the path users take: one file per document through kb ingest, then "
                         "kb search --group doc (issue target: within 0.01 nDCG@10 of 'kb (title x1)')")
    args = ap.parse_args()
    if args.generate:
        generate(args.generate, docs=args.size, topics=max(20, min(200, args.size // 33)))
        print(f"wrote a synthetic collection to {args.generate}; measure it with: "
              f"python bench/bench_ranking.py {args.generate}")
        return
    if args.check_queries:
        check_queries(args.check_queries, args.topic_part, args.show_failures)
        return
    if args.docs and args.queries and args.qrels:
        coll = load_files(args.docs, args.queries, args.qrels, args.topic_part)
    elif args.folder:
        coll = load(args.folder, args.split, args.topic_part)
    else:
        ap.error("give a collection folder, or --docs, --queries and --qrels")
    judged = sum(1 for q in coll.queries if any(g > 0 for g in coll.qrels.get(q, {}).values()))
    print(f"{coll.name}: {len(coll.docs)} documents, {len(coll.queries)} queries ({judged} with relevant "
          f"documents), {sum(len(v) for v in coll.qrels.values())} judgements; depth {args.depth}")
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-ranking-"))
    from kb import index

    k1, b = (float(x) for x in args.bm25.split(",")) if args.bm25 else (1.2, 0.75)
    if args.bm25:
        kb_weighting = index.whoosh.scoring._lucene_bm25

        def weighting():
            w = kb_weighting()
            w.K1, w.B = k1, b
            return w

        index.whoosh.scoring._lucene_bm25 = weighting
        print(f"BM25 parameters k1 = {k1:g}, b = {b:g} (kb's own: 1.2, 0.75)")
    rows = []
    own = index.whoosh.schema.TITLE_BOOST
    boosts = [own] + [float(x) for x in args.title_boost.split(",") if x.strip() and float(x) != own]
    variants = [(f"kb (title x{b:g})", b) for b in boosts] + [("kb, no title field", None)]
    for label, boost in variants:
        home = work / (f"title-{boost:g}" if boost is not None else "flat")
        if home.exists():
            import shutil

            shutil.rmtree(home)
        t0 = time.perf_counter()
        index.whoosh.schema.TITLE_BOOST = boost if boost is not None else own  # read when the schema is made
        index_dir = build_index(coll, home, title_field=boost is not None)
        index.whoosh.schema.TITLE_BOOST = own
        built = time.perf_counter() - t0
        run, failures, times = run_kb(coll, index_dir, args.depth)
        rows.append((label, evaluate(coll, run), f"index {built:.1f} s, query median "
                     f"{statistics.median(times) * 1000:.0f} ms" if times else "", failures))
    if args.ingest:
        home = work / "ingest"
        if home.exists():
            import shutil

            shutil.rmtree(home)
        run, failures, times, seconds = ingest_path(coll, home, min(args.depth, 100))
        rows.append(("kb ingest, --group doc", evaluate(coll, run), f"ingest {seconds:.1f} s, query median "
                     f"{statistics.median(times) * 1000:.0f} ms, depth {min(args.depth, 100)}" if times else "",
                     failures))
    t0 = time.perf_counter()
    ref = run_exact_bm25(coll, args.depth, k1, b)
    rows.append(("exact BM25 (reference)", evaluate(coll, ref), f"{time.perf_counter() - t0:.1f} s", []))
    print(f"{'ranking':24}" + "".join(f"{m:>9}" for m in ("MAP", *MEASURES[1:])) + "   failed  notes")
    for label, scores, note, failures in rows:
        print(f"{label:24}" + "".join(f"{scores[m]:9.4f}" for m in MEASURES) + f"   {len(failures):6}  {note}")
    for label, _, _, failures in rows:
        for qid, text, err in failures[: args.show_failures]:
            print(f"  {label}: query {qid} {text!r} failed: {err}")


if __name__ == "__main__":
    main()
