"""The shipped table of public bodies and their web domains (kb/data/public_bodies.toml).

A domain names a publisher only through this table (or a name the document prints that spells it), so adding a
body is a data change, never a rule written for one document.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _bodies() -> tuple[dict, ...]:
    """The table's entries, read once: each a body's name and its domains (a body may have none: "Eurostat")."""
    import tomllib
    from importlib import resources

    raw = (resources.files("kb") / "data" / "public_bodies.toml").read_text("utf-8")
    return tuple(tomllib.loads(raw).get("body", []))


@functools.lru_cache(maxsize=1)
def _domains() -> dict[str, str]:
    return {domain.lower(): body["name"] for body in _bodies() for domain in body.get("domains", [])}


def body_of_host(host: str) -> str | None:
    """The body the table lists for a host name or any domain it is a subdomain of ("www.irs.gov": Internal
    Revenue Service), or None."""
    table = _domains()
    parts = host.lower().strip(".").split(".")
    for start in range(len(parts) - 1):
        body = table.get(".".join(parts[start:]))
        if body:
            return body
    return None


def body_for_acronym(acronym: str, text: str) -> str | None:
    """The body an acronym publisher ("GAO") stands for, when the table lists a domain it is the name of
    ("gao.gov") and the document gives that address: the name the body writes itself."""
    wanted = acronym.lower()
    folded = text.lower()
    for domain, body in _domains().items():
        if domain.split(".")[0] == wanted and domain in folded:
            return body
    return None


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(body["name"].lower() for body in _bodies())


def is_listed(name: str) -> bool:
    """Whether the table lists ``name`` as a body's own ("Audit Scotland", "Marie Curie"): a name no word of
    which says it is a body."""
    return name.lower() in _names()


def issued_for(name: str) -> str | None:
    """The body whose documents a corporate body's name is printed on as their copyright holder ("Senedd
    Commission": the Welsh Parliament, whose committees' reports it holds the copyright of), or None."""
    wanted = name.lower()
    return next((body["name"] for body in _bodies() if wanted in (n.lower() for n in body.get("issued_as", []))), None)


def parts_of(name: str) -> tuple[str, ...]:
    """The bodies the table lists as parts of ``name``: those whose domain is a subdomain of one of its own
    ("lordslibrary.parliament.uk" under "parliament.uk": the House of Lords Library is a part of UK Parliament)."""
    own = [domain for body in _bodies() if body["name"].lower() == name.lower() for domain in body.get("domains", [])]
    return tuple(body["name"] for body in _bodies() if body["name"].lower() != name.lower() and any(
        domain.lower().endswith("." + parent.lower()) for domain in body.get("domains", []) for parent in own))


def part_on_masthead(body: str, first: str) -> tuple[str, str] | None:
    """A part of ``body`` that the first lines of a page name, with the line that names it ("UK Parliament" /
    "House of Lords Library Menu Search" over "© UK Parliament 2024"): the part, which the table lists under the
    parent's domain, published the page. None when no part is named."""
    parts = parts_of(body)
    for line in [" ".join(line.split()) for line in first.splitlines() if line.strip()][:8] if parts else []:
        part = next((part for part in parts if line == part or line.startswith(part + " ")), None)
        if part:
            return part, line
    return None
