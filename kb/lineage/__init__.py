"""Lineage: text that one document of the corpus took from another (``kb reuse``).

``text`` turns a passage into words and winnowed shingle fingerprints, ``align`` finds the shared stretch of two
passages exactly, ``update`` keeps the store's reuse pairs in step with its documents at ingest (incrementally),
``report`` reads them back with dates, boilerplate and the aligned excerpt. docs/lineage.md explains the method.
"""

from __future__ import annotations

from kb.lineage.update import update_lineage

__all__ = ["update_lineage"]
