"""The spaCy pipeline of an ingest, built only if something needs tagging (about a second), and started in a
background thread while the workers extract the first files."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.nlp.pipeline import Tagger

log = logging.getLogger(__name__)


class LazyTagger:
    """Build the spaCy pipeline only if something needs tagging (it costs about a second)."""

    def __init__(self, vocabulary) -> None:
        self.vocabulary = vocabulary
        self._tagger: Tagger | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def warm_up(self) -> None:
        """Build the pipeline in a background thread; ``get`` waits for it.

        Not a daemon: a process that ends while the thread is still inside spaCy's compiled code (every file
        failed at once) would abort with "FATAL: exception not rethrown"; the interpreter waits for it instead."""
        self._thread = threading.Thread(target=self._build_quietly, name="kb-tagger", daemon=False)
        self._thread.start()

    def _build_quietly(self) -> None:
        try:
            self._build()
        except Exception:  # noqa: BLE001 - get() builds again in the caller's thread and raises there
            log.debug("tagger warm-up failed", exc_info=True)

    def _build(self) -> None:
        with self._lock:
            if self._tagger is None:
                from kb.nlp.pipeline import Tagger

                self._tagger = Tagger(self.vocabulary)

    def get(self):
        self._build()
        return self._tagger

    def settle(self) -> None:
        """Wait for a warm-up still loading (a thread killed inside spaCy's import aborts the interpreter's exit)."""
        if self._thread is not None:
            self._thread.join()
