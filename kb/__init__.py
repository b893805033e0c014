"""kb: a knowledge base and search engine for policy documents."""

__version__ = "0.1.0"
