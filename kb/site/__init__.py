"""The static cross-reference site: gather everything from the store, render pages, index them with Pagefind.

``kb.site.build.build_site(store, out_dir)`` is the entry point; the click layer lives in ``kb.commands.site``.
"""
