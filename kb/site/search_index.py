"""Run Pagefind over the rendered pages, then make its output byte-stable.

Pagefind 1.x writes the values of each filter in hash-map order, so two runs over identical pages give filter
files (and the metadata file naming them) with different bytes and names (upstream issue Pagefind#638: fragments
were made stable in 1.3, filter indexes were not). ``canonicalise`` rewrites just those files with their entries
sorted, names them by a hash of their content and updates the references. The search behaves identically; if the
format is ever not what this module expects, it leaves the bundle untouched and logs why.
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

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"
PAGEFIND_TIMEOUT = 900


class SiteBuildError(KbError):
    """The site could not be built (Pagefind failed, or the output folder is unusable)."""


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


# -- byte-stable filter indexes --------------------------------------------------------------------------------
def canonicalise(bundle: Path) -> bool:
    """Sort filter values, rename filter and metadata files by content hash, fix references. True when done."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text("utf-8"))
        renames: dict[str, str] = {}
        for path in sorted((bundle / "filter").glob("*.pf_filter")):
            data = _load(path)
            if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list)):
                raise ValueError(f"unexpected filter layout in {path.name}")
            data[1] = sorted(data[1], key=_sort_key)
            renames[path.stem] = _store(path, data, path.stem.split("_")[0], 7)
        for lang, info in sorted(entry["languages"].items()):
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _sort_references(_replace(_load(meta_path), renames), set(renames.values()))
            info["hash"] = _store(meta_path, meta, lang, 10, prefix="pagefind.")
        entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        log.warning("left Pagefind's bundle as written (not byte-stable): %s", exc)
        return False
    return True


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


def _store(old: Path, value: object, lang: str, digits: int, prefix: str = "") -> str:
    """Write ``value`` gzipped next to ``old`` under a content-hash name; return the new hash (e.g. 'en_1a2b3c4')."""
    body = gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)
    name = f"{lang}_{hashlib.sha256(body).hexdigest()[:digits]}"
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
