"""Ingest: bring the knowledge base in line with the corpus folder.

``pipeline`` runs `kb ingest` (discover, fingerprint, store each document in its own transaction, then the
corpus glossary and the search index); ``worker`` is the per-file work done in a worker process or on a Dask
worker (``extract/`` one extractor per format, ``normalise``, ``passages``, ``metadata``, ``catalog``), and
``pool`` the local process pool with a time limit per file.
"""

from kb.ingest.pipeline import DEFAULT_TIMEOUT, Failure, IngestReport, discover, ingest, ingest_lock

__all__ = ["DEFAULT_TIMEOUT", "Failure", "IngestReport", "discover", "ingest", "ingest_lock"]
