"""Run Pagefind over the rendered pages, then make its output byte-stable and its word index cheaper to fetch.

Pagefind 1.x writes the values of each filter in hash-map order, so two runs over identical pages give filter
files (and the metadata file naming them) with different bytes and names (upstream issue Pagefind#638: fragments
were made stable in 1.3, filter indexes were not). ``canonicalise`` rewrites just those files with their entries
sorted, regroups the word index chunks (``rechunk``: common words in chunks of their own, so a query downloads
less), names rewritten files by a hash of their content and updates the references. If the format is ever not
what this module expects, it leaves Pagefind's own files in use and logs why.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

from kb.errors import KbError
from kb.nlp.vocabulary import ConceptNames
from kb.site.gather import SiteData
from kb.site.paths import concept_href

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"
PAGEFIND_TIMEOUT = 900
# Word index chunking (see ``rechunk``): sizes count word locations, as Pagefind's own chunker does.
CHUNK_LOCATIONS = 20_000  # Pagefind's own target per chunk
HEAVY_LOCATIONS = 3_000  # a word this common gets a chunk of its own


class SiteBuildError(KbError):
    """The site could not be built (Pagefind failed, or the output folder is unusable)."""


def concept_names_json(data: SiteData, names: ConceptNames) -> str:
    """What the search page needs to recognise a concept a query names: ``names``, the commands' own resolver
    (``kb.nlp.identity.store_names``) as an exact-lookup table (``ConceptNames.table``: keys already normalised,
    which site_templates/names.js normalises a query the same way to look up), and the concepts the documents
    mention: a query naming one shows that concept first, and ``concept:NAME`` becomes a filter on its label.
    Compact JSON: ``{"names": {key: id}, "concepts": {id: [label, href, acronyms, mentions, documents]}}``;
    a name of a concept no document mentions finds its id but no concept.
    """
    primary = data.primary_ids
    concepts = {}
    for c in data.concepts:
        ms = [m for m in data.mentions_by_concept.get(c.id, []) if m.doc_id in primary]
        if ms:
            concepts[c.id] = [c.label, concept_href(c.id), ", ".join(c.acronyms), len(ms), len({m.doc_id for m in ms})]
    return json.dumps({"names": names.table(), "concepts": concepts}, ensure_ascii=False, separators=(",", ":"))


def run_pagefind(site_dir: Path) -> int:
    """Index ``site_dir`` with the binary from the `pagefind[bin]` package; return how many pages it indexed."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT,
                              env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        raise SiteBuildError(f"Pagefind did not finish within {PAGEFIND_TIMEOUT} s. Run `kb site build --no-search` "
                             "to build the pages without search.") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SiteBuildError("Pagefind failed to index the site: " + " | ".join(tail)
                             + ". Check that `pip install 'pagefind[bin]'` worked, or build with --no-search.")
    log.info("pagefind: %s", done.stdout.strip().replace("\n", " | "))
    found = re.search(r"Indexed (\d+) pages?", done.stdout)
    canonicalise(site_dir / "pagefind")
    return int(found.group(1)) if found else 0


# -- byte-stable filter indexes, smaller word chunks -----------------------------------------------------------
def canonicalise(bundle: Path) -> bool:
    """Sort filter values, re-chunk the word index, rename rewritten files by content hash and fix references.

    True when done; on an unexpected format the bundle is left as Pagefind wrote it (search still works).
    """
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text("utf-8"))
        renames: dict[str, str] = {}
        chunks: dict[str, list] = {}
        old_chunks: set[str] = set()
        for lang, info in sorted(entry["languages"].items()):
            meta_file = _load(bundle / f"pagefind.{info['hash']}.pf_meta")
            if not isinstance(meta_file, list):
                raise ValueError(f"unexpected metadata layout in pagefind.{info['hash']}.pf_meta")
            table = meta_file[2]
            chunks[lang] = rechunk(bundle / "index", lang, table)
            old_chunks |= {name for _, _, name in table}
        for path in sorted((bundle / "filter").glob("*.pf_filter")):
            data = _load(path)
            if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list)):
                raise ValueError(f"unexpected filter layout in {path.name}")
            data[1] = sorted(data[1], key=_sort_key)
            renames[path.stem] = _store(path, data, path.stem.split("_")[0], 7)
        for lang, info in sorted(entry["languages"].items()):
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _sort_references(_replace(_load(meta_path), renames), set(renames.values()))
            if not isinstance(meta, list):
                raise ValueError(f"unexpected metadata layout in {meta_path.name}")
            meta[2] = chunks[lang]
            info["hash"] = _store(meta_path, meta, lang, 10, prefix="pagefind.")
        entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
        for name in sorted(old_chunks - {t[2] for table in chunks.values() for t in table}):
            (bundle / "index" / f"{name}.pf_index").unlink()
    except (OSError, ValueError, KeyError, TypeError, IndexError, struct.error) as exc:
        log.warning("left Pagefind's bundle as written (not byte-stable): %s", exc)
        return False
    return True


def rechunk(index_dir: Path, lang: str, table: list) -> list:
    """Regroup the words of one language's index chunks; return the new chunk table for the metadata file.

    A search downloads, for every query word (as typed and stemmed), the whole chunk holding it. Pagefind fills
    chunks up to a fixed number of word locations, so a common word ("care") drags its alphabetical neighbours
    ("capacity") along, and several common words can share one large chunk. Here a word with at least
    HEAVY_LOCATIONS locations gets a chunk of its own; the rest are packed as Pagefind packs them. Words are
    moved as raw bytes (decoding millions of locations in Python would be slow).
    """
    if not (isinstance(table, list) and all(isinstance(t, list) and len(t) == 3 for t in table)):
        raise ValueError("unexpected index chunk table in the metadata file")
    words: list[tuple[bytes, int, bytes]] = []
    for _, _, name in table:
        words += _raw_words(index_dir / f"{name}.pf_index")
    words.sort()  # Pagefind compares words as byte strings
    groups: list[list[tuple[bytes, int, bytes]]] = []
    current: list = []
    size = 0
    for word in words:
        if word[1] >= HEAVY_LOCATIONS:
            if current:
                groups.append(current)
                current, size = [], 0
            groups.append([word])
            continue
        current.append(word)
        size += word[1]
        if size >= CHUNK_LOCATIONS:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    bounds = [[group[0][0].decode("utf-8"), group[-1][0].decode("utf-8")] for group in groups]
    for left, right in zip(bounds, bounds[1:], strict=False):
        right[0] = _distinguishing_prefix(left[1], right[0])
        left[1] = _just_below(right[0])
    table = []
    for (low, high), group in zip(bounds, groups, strict=True):
        body = gzip.compress(SIGNATURE + _head(4, 1) + _head(4, len(group)) + b"".join(w[2] for w in group),
                             compresslevel=9, mtime=0)
        name = f"{lang}_{hashlib.sha256(body).hexdigest()[:7]}"
        (index_dir / f"{name}.pf_index").write_bytes(body)
        table.append([low, high, name])
    return table


def _raw_words(path: Path) -> list[tuple[bytes, int, bytes]]:
    """(word, locations, the word's encoded entry) for each word of a chunk: [[[word, [[page, [locs]...]...]...]...]]."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE) or raw[len(SIGNATURE)] != 0x81 or raw[len(SIGNATURE) + 1] >> 5 != 4:
        raise ValueError(f"unexpected word index layout in {path.name}")
    count, i = _argument(raw, len(SIGNATURE) + 1)
    out = []
    for _ in range(count):
        if raw[i] not in (0x82, 0x83) or raw[i + 1] >> 5 != 3:
            raise ValueError(f"unexpected word entry in {path.name}")
        length, at = _argument(raw, i + 1)
        word = raw[at:at + length]
        end, ints = _skip(raw, i)
        out.append((word, ints, raw[i:end]))
        i = end
    if i != len(raw):
        raise ValueError(f"trailing bytes in {path.name}")
    return out


def _argument(buf: bytes, i: int) -> tuple[int, int]:
    """The argument of the CBOR head at ``i`` and where the item's content starts."""
    info = buf[i] & 31
    if info < 24:
        return info, i + 1
    if info > 27:
        raise ValueError(f"unsupported CBOR item {buf[i]:#x}")
    size = 1 << (info - 24)
    return int.from_bytes(buf[i + 1:i + 1 + size], "big"), i + 1 + size


def _skip(buf: bytes, i: int) -> tuple[int, int]:
    """End of the CBOR item at ``i`` and how many integers it holds (a word's locations plus page numbers)."""
    pending, ints = 1, 0
    while pending:
        head = buf[i]
        major, info = head >> 5, head & 31
        if info < 24:
            arg, i = info, i + 1
        elif info == 24:
            arg, i = buf[i + 1], i + 2
        elif info == 25:
            arg, i = buf[i + 1] << 8 | buf[i + 2], i + 3
        else:
            arg, i = _argument(buf, i)
        pending -= 1
        if major < 2:
            ints += 1
        elif major < 4:
            i += arg
        elif major == 4:
            pending += arg
        else:
            raise ValueError(f"unexpected CBOR major type {major} in a word index")
    return i, ints


def _distinguishing_prefix(before: str, word: str) -> str:
    """The shortest prefix of ``word`` that still sorts after ``before``: the lower bound of word's chunk."""
    common = 0
    for x, y in zip(before, word, strict=False):
        if x != y:
            break
        common += 1
    return word[:common + 1]


def _just_below(bound: str) -> str:
    """An upper bound that takes in every string sorting before ``bound`` (the next chunk's lower bound).

    Pagefind looks a query word up as ``lower <= word <= upper``; with chunks covering the whole alphabet without
    gaps, a word typed in full ("workforce") lands in the chunk of its stem's neighbours instead of nowhere.
    """
    last = ord(bound[-1]) - 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xD7FF
    return bound[:-1] + chr(last) + "\U0010ffff" if last >= 0 else bound[:-1]


def _sort_key(item: object) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _replace(node: object, renames: dict[str, str]) -> object:
    if isinstance(node, list):
        return [_replace(n, renames) for n in node]
    if isinstance(node, str):
        return renames.get(node, node)
    return node


def _sort_references(node: object, names: set[str]) -> object:
    """Sort lists of [filter name, file hash] pairs (their order is hash-map order too)."""
    if isinstance(node, list):
        if node and all(isinstance(n, list) and len(n) == 2 and n[1] in names for n in node):
            return sorted(node, key=_sort_key)
        return [_sort_references(n, names) for n in node]
    return node


def _load(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name} does not start with Pagefind's signature")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError(f"trailing bytes in {path.name}")
    return value


def _store(old: Path, value: object, lang: str, digits: int, prefix: str = "", keep_old: bool = False) -> str:
    """Write ``value`` gzipped next to ``old`` under a content-hash name; return the new hash (e.g. 'en_1a2b3c4')."""
    body = gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)
    name = f"{lang}_{hashlib.sha256(body).hexdigest()[:digits]}"
    if not keep_old:
        old.unlink()
    (old.parent / f"{prefix}{name}{old.suffix}").write_bytes(body)
    return name


# -- the CBOR subset Pagefind writes (RFC 8949: unsigned/negative ints, bytes, text, arrays, maps) ---------------
def _decode(buf: bytes, i: int) -> tuple[object, int]:
    major, info = buf[i] >> 5, buf[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(buf[i:i + size], "big")
        i += size
    else:
        raise ValueError(f"unsupported CBOR item {buf[i - 1]:#x}")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major == 2:
        return bytes(buf[i:i + arg]), i + arg
    if major == 3:
        return buf[i:i + arg].decode("utf-8"), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _decode(buf, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = []
        for _ in range(arg):
            k, i = _decode(buf, i)
            v, i = _decode(buf, i)
            pairs.append((k, v))
        return _Map(pairs), i
    raise ValueError(f"unsupported CBOR major type {major}")


class _Map(list):
    """A CBOR map kept as ordered pairs (re-encoded in the same order)."""


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large")


def _encode(value: object) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported CBOR value")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise ValueError(f"unsupported CBOR value {type(value).__name__}")
