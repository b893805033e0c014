"""Concept tagging: the vocabulary file, the spaCy pipeline, acronym definitions and the corpus glossary.

Nothing here imports spaCy at import time; only :class:`kb.nlp.pipeline.Tagger` builds a pipeline.
"""
