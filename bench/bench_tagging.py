"""Benchmark: concept tagging throughput against spaCy's bare tokenizer, measured in the same run.

    python bench/bench_tagging.py [--words 200000] [--repeats 5]

Builds a synthetic corpus by shuffling the bundled documents' paragraphs into ~150-word passages, then times
(medians of --repeats runs, one process, one core):
  tokenizer   spacy.blank("en").tokenizer over every passage
  reference   blank + sentencizer + entity ruler with 300 phrase patterns (the issue's reference pipeline)
  tag         kb.nlp.pipeline.Tagger.tag over every document (acronym definitions and resolution included)
  stage       tag + kb.nlp.glossary.finalize over the whole corpus (the tagging stage; writing the mentions
              to SQLite is timed apart as "store")
Times are CPU seconds of this process (time.process_time), medians.
Targets: stage >= 150,000 words/s and >= half the tokenizer's speed.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kb.models import Passage  # noqa: E402


def synthetic_docs(target_words: int, seed: int = 7) -> list[tuple[str, str, list[Passage]]]:
    """(doc id, text, passages): shuffled bundled paragraphs, 20 passages per document."""
    paragraphs = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        for para in re.split(r"\n\s*\n", path.read_text("utf-8")):
            if len(para.split()) >= 8:
                paragraphs.append(para.strip())
    rng = random.Random(seed)
    docs, words, n = [], 0, 0
    while words < target_words:
        chunks = []
        for _ in range(20):
            body = []
            while sum(len(b.split()) for b in body) < 150:
                body.append(rng.choice(paragraphs))
            chunks.append(" ".join(body))
        text = "\n\n".join(chunks)
        passages, pos = [], 0
        for i, chunk in enumerate(chunks):
            start = text.index(chunk, pos)
            passages.append(Passage(f"s{n}-{i}", f"s{n}", i, i + 1, i + 1, start, start + len(chunk), chunk))
            pos = start + len(chunk)
        docs.append((f"s{n}", text, passages))
        words += sum(p.words for p in passages)
        n += 1
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    import spacy

    from kb.nlp.glossary import finalize
    from kb.nlp.pipeline import Tagger
    from kb.nlp.vocabulary import load_vocabulary
    from kb.store import Store

    docs = synthetic_docs(args.words)
    texts = [p.text for _, _, ps in docs for p in ps]
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(docs)} documents, {len(texts)} passages, {words:,} words")

    blank = spacy.blank("en")
    tokenizer = blank.tokenizer

    concepts = load_vocabulary(REPO / "corpus" / "concepts.toml")
    ref = spacy.blank("en")
    ref.add_pipe("sentencizer")
    ruler = ref.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    phrases = sorted({f for c in concepts for f in (c.label, *c.aliases, *c.acronyms)})
    filler = [f"policy phrase number {i}" for i in range(max(0, 300 - len(phrases)))]
    ruler.add_patterns([{"label": "C", "pattern": p} for p in (phrases + filler)[:300]])

    tagger = Tagger(concepts)
    batch = [(doc_id, ps) for doc_id, _, ps in docs]

    def stage() -> tuple[float, float]:
        """CPU seconds for tagging plus the glossary step, and for storing the mentions (reported apart:
        that is the store's work). The store of passages is built untimed."""
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "kb.sqlite", create=True)
            with store.transaction():
                for doc_id, text, ps in docs:
                    store.replace_document({"id": doc_id, "source": doc_id, "sha256": doc_id, "format": "text",
                                            "title": doc_id, "pages": len(ps), "passages": len(ps),
                                            "words": sum(p.words for p in ps), "text": text,
                                            "ingested_at": "2026-01-01"}, [], ps)
            t0 = time.process_time()
            results = list(tagger.tag(batch))
            tagging = time.process_time() - t0
            t0 = time.process_time()
            for doc_id, mentions, acronyms in results:
                with store.transaction():
                    store.replace_mentions(doc_id, mentions, acronyms, "bench")
            storing = time.process_time() - t0
            t0 = time.process_time()
            finalize(store, concepts)
            tagging += time.process_time() - t0
            store.close()
        return tagging, storing

    def timed(fn) -> float:
        t0 = time.process_time()
        fn()
        return time.process_time() - t0

    # Interleave the measurements so that load from other processes hits all of them alike.
    # CPU time of this process (one core), so other processes on the machine disturb the figures less.
    runs: dict[str, list[float]] = {"tokenizer": [], "reference": [], "tag": [], "stage": [], "store": []}
    for _ in range(args.repeats):
        runs["tokenizer"].append(timed(lambda: [tokenizer(t) for t in texts]))
        runs["reference"].append(timed(lambda: list(ref.pipe(texts, batch_size=64))))
        runs["tag"].append(timed(lambda: list(tagger.tag(batch))))
        tagging, storing = stage()
        runs["stage"].append(tagging)
        runs["store"].append(storing)
    rate = {k: words / statistics.median(v) for k, v in runs.items()}
    ratio = statistics.median(t / s for t, s in zip(runs["tokenizer"], runs["stage"], strict=True))

    print(f"tokenizer  {rate['tokenizer']:>10,.0f} words/s")
    print(f"reference  {rate['reference']:>10,.0f} words/s  (blank + sentencizer + ruler, 300 phrase patterns)")
    print(f"tag        {rate['tag']:>10,.0f} words/s  ({len(tagger.nlp.get_pipe('kb_entity_ruler'))} patterns)")
    print(f"stage      {rate['stage']:>10,.0f} words/s  (tag + glossary finalize)")
    print(f"store      {rate['store']:>10,.0f} words/s  (writing the mentions to SQLite, the store's stage)")
    print(f"stage / tokenizer = {ratio:.2f} (median of per-run ratios; target >= 0.50); "
          f"stage >= 150,000 words/s: {'yes' if rate['stage'] >= 150_000 else 'NO'}")


if __name__ == "__main__":
    main()
