"""Generate a synthetic kb project (store + concepts + mentions) of N 150-word passages for benchmarks.

    python bench/gen_corpus.py /tmp/kb-bench --passages 100000

Zipf-distributed vocabulary of health-policy words plus synthetic words and ALL-CAPS acronyms, 50 passages
per document, publishers, partial dates 2015-2023, types and concept mentions. Deterministic (seeded).
Writes straight into a Store (one transaction per 50 documents); indexing is left to bench_search.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.models import Concept, Mention, PartialDate, Passage  # noqa: E402
from kb.store import Store  # noqa: E402

BASE = """health care integrated system systems board boards nhs local authority authorities council services service
population patients patient primary secondary community mental social funding budget workforce staff nurses doctors
general practice practices network networks trust trusts hospital hospitals commissioning commissioners provider
providers collaborative collaboratives partnership partnerships place neighbourhood neighbourhoods reform reforms
statutory footing legislation act bill duty duties triple aim accountability governance regulation regulator quality
outcomes inequalities prevention public sector voluntary independent digital data sharing capital revenue deficit
financial sustainability transformation plan plans planning strategy strategic leaders leadership clinical director
directors chief executive committee committees members membership joint decision decisions making assurance oversight
performance targets waiting times elective recovery pandemic covid emergency urgent ambulance discharge delayed
residential homes domiciliary carers unpaid families children young people adults older frailty dementia learning
disability autism housing employment education police voluntary charities faith groups engagement consultation
evidence evaluation research policy policies government minister ministers department white paper guidance framework
model models approach approaches integration integrating integrate collaboration collaborate cooperation competition
procurement contracts contract payment tariff incentives allocation allocations resources efficiency productivity
innovation technology records interoperability population-health management risk stratification anticipatory
personalised support self-care prescribing pharmacy dentistry optometry hospices palliative end life""".split()
ACRONYMS = "ICS ICB ICP CCG PCN STP NHSE NHSEI CQC HWB GP LGA DHSC ADASS ONS".split()
PUBLISHERS = ["NHS Confederation", "The King's Fund", "House of Commons Library", "Nuffield Trust",
              "The Health Foundation", "NHS England", "Local Government Association", "Department of Health"]
TYPES = ["briefing", "report", "news release", "position statement", "guidance", "parliamentary briefing"]
CONCEPTS = [
    Concept("integrated-care-system", "integrated care system", "body", aliases=("integrated care systems",),
            acronyms=("ICS",)),
    Concept("integrated-care-board", "integrated care board", "body", acronyms=("ICB",)),
    Concept("primary-care-network", "primary care network", "body", aliases=("primary care networks",),
            acronyms=("PCN",)),
    Concept("clinical-commissioning-group", "clinical commissioning group", "body", acronyms=("CCG",)),
    Concept("triple-aim", "triple aim", "policy"),
    Concept("provider-collaborative", "provider collaborative", "body", aliases=("provider collaboratives",)),
    Concept("health-and-care-act-2022", "Health and Care Act 2022", "legislation"),
    Concept("place-based-partnership", "place-based partnership", "body"),
]
PER_DOC = 50
WORDS_PER_PASSAGE = 150


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syll = ["ra", "to", "mi", "ne", "sa", "lo", "ki", "pe", "du", "ve", "xo", "qu", "ber", "lan", "tor", "mis"]
    words = list(BASE)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def generate(home: Path, passages: int, seed: int = 42, vocab_size: int = 30_000) -> Path:
    """Create ``home/indexes/kb.sqlite`` with ``passages`` passages; returns the store path."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, vocab_size)
    weights = [1.0 / (i + 1) ** 1.05 for i in range(len(vocab))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    (home / "corpus").mkdir(parents=True, exist_ok=True)
    path = home / "indexes" / "kb.sqlite"
    if path.exists():
        path.unlink()
    store = Store.open(path, create=True)
    with store.transaction():
        store.replace_concepts(CONCEPTS)
    docs = (passages + PER_DOC - 1) // PER_DOC
    made = 0
    t0 = time.perf_counter()
    batch = 50
    for start in range(0, docs, batch):
        with store.transaction():
            for d in range(start, min(docs, start + batch)):
                n = min(PER_DOC, passages - made)
                made += n
                _document(store, rng, d, n, vocab, cum)
    store.close()
    print(f"generated {made} passages in {docs} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def _document(store: Store, rng: random.Random, d: int, n: int, vocab: list[str], cum: list[float]) -> None:
    doc_id = f"doc-{d:05d}"
    year = rng.randint(2015, 2023)
    precision = rng.choice(["day", "day", "month", "year"])
    published = {"day": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                 "month": f"{year}-{rng.randint(1, 12):02d}", "year": str(year)}[precision]
    date = PartialDate.parse(published)
    texts = []
    for _ in range(n):
        words = rng.choices(vocab, cum_weights=cum, k=WORDS_PER_PASSAGE)
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(ACRONYMS) + rng.choice(["", "", "s"])
        if rng.random() < 0.05:
            at = rng.randrange(len(words) - 3)
            words[at:at + 3] = rng.choice([["triple", "aim"], ["primary", "care", "networks"],
                                           ["integrated", "care", "systems"], ["statutory", "footing"]])
        sentence = " ".join(words)
        texts.append(sentence[0].upper() + sentence[1:] + ".")
    full, passages, pos = "", [], 0
    for i, t in enumerate(texts):
        passages.append(Passage(f"{doc_id}-p{i:04d}", doc_id, i, 1 + i // 5, 1 + i // 5, pos, pos + len(t), t))
        full += t + "\n\n"
        pos = len(full)
    row = {
        "id": doc_id, "source": f"{doc_id}.txt", "sha256": f"{d:064d}", "format": "text",
        "title": " ".join(rng.choices(vocab[:400], k=rng.randint(3, 8))).capitalize(),
        "publisher": rng.choice(PUBLISHERS), "published": published, "date_precision": precision,
        "date_earliest": date.earliest, "date_latest": date.latest, "date_source": "catalog",
        "doc_type": rng.choice(TYPES), "pages": 1 + (n - 1) // 5, "passages": n,
        "words": n * WORDS_PER_PASSAGE, "text": full, "ingested_at": "2026-01-01T00:00:00Z",
    }
    store.replace_document(row, [(p, 0, len(full)) for p in range(1, row["pages"] + 1)], passages)
    mentions = []
    for p in passages:
        for c in rng.sample(CONCEPTS, rng.choice([0, 0, 1, 1, 2])):
            mentions.append(Mention(doc_id, p.id, c.id, c.label, p.start, p.start + 1, p.page))
    store.replace_mentions(doc_id, mentions, [], "bench")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("home", type=Path)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    generate(args.home, args.passages, args.seed)
