"""What every command shares: the knowledge base of the invocation, opened once.

It lives here, not in kb/cli.py, because kb/cli.py loads the commands: a command importing it back would make a
circle (hidden behind importlib)."""

from __future__ import annotations

import click


def open_kb(ctx: click.Context):
    """The knowledge base of this invocation (``--home``, KB_HOME, or the current folder), opened once."""
    from kb.knowledge_base import KnowledgeBase

    root = ctx.find_root()
    base = root.obj.get("kb")
    if base is None:
        base = root.obj["kb"] = KnowledgeBase.open(root.obj.get("home"), root.obj.get("vocabulary"))
        root.call_on_close(base.close)
    return base
