"""How a text writes its words, for values read from lines set in capitals or broken across lines: a title or a
body's name printed in capitals ("FREEDOM OF INFORMATION POLICY", "COUNCIL OF THE CITY OF WINNIPEG") in the case
the text writes its words in, and a word a cover hyphenated across lines ("re- sponse") joined again."""

from __future__ import annotations

import re

from kb.ingest.orgnames import CONNECTORS, FOREIGN_CONNECTORS
from kb.ingest.titles import bare_body


def name_case(name: str) -> str:
    """A name printed all in capitals ("COUNCIL OF THE CITY OF WINNIPEG") as names are written; short words that
    are not connectors stay capitals (NHS, UK, WHO)."""
    words = name.split()
    if len(words) < 2 or not all(w.isupper() or not w.isalpha() for w in words):
        return name
    out = []
    for i, word in enumerate(words):
        if i and (word.lower() in CONNECTORS or word.lower() in FOREIGN_CONNECTORS or word.lower() == "into"):
            out.append(word.lower())  # "of", "and"; "da", "de la" ("MINISTÉRIO DA SAÚDE")
        elif len(word.strip(".,")) <= 3:
            out.append(word)
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)


def rejoined(title: str, text: str) -> str:
    """A word a cover broke across lines with a hyphen ("re- sponse") joined again when the text writes it
    whole; a real compound ("decision- making", where the text writes "decision-making") keeps its hyphen."""
    def join(m: re.Match) -> str:
        whole = m.group(1) + m.group(2)
        if re.search(r"\b" + re.escape(whole) + r"\b", text[:50000], re.I):
            return whole
        return m.group(1) + "-" + m.group(2)

    return re.sub(r"\b([^\W\d_]+)- ([a-z]+)\b", join, title)


def word_forms(text: str, every_line: bool = False) -> dict[str, dict[str, int]]:
    """How often the start of a text writes each word in each case: "nhs" -> {"NHS": 40, "nhs": 2}. A line set
    all in capitals (a heading, a running header) says nothing of how a word is written, nor does a web address."""
    seen: dict[str, dict[str, int]] = {}
    mixed = "\n".join(line for line in text[:50000].splitlines() if every_line or _mostly_lower_case(line))
    for token in re.findall(r"(?<![\w./@-])[A-Za-z][A-Za-z'’-]*(?![\w@-]|\.\w)", mixed):
        forms = seen.setdefault(token.lower(), {})
        forms[token] = forms.get(token, 0) + 1
    return seen


def _mostly_lower_case(line: str) -> bool:
    words = re.findall(r"[A-Za-z]{2,}", line)
    return sum(not word.isupper() for word in words) > len(words) / 2


def title_recased(title: str, text: str) -> str:
    """``recased``, with a body's name before a record of its meeting cased as a name ("MEDICAID AND CHIP
    PAYMENT AND ACCESS COMMISSION: TRANSCRIPT OF …")."""
    body, colon, rest = title.partition(": ")
    words = [w for w in rest.split() if re.match(r"[^\W\d_]", w) and w.lower() not in CONNECTORS]
    headed = body.isupper() and not rest.isupper() and len(words) >= 3 and all(w[:1].isupper() for w in words)
    if colon and (bare_body(name_case(body)) or headed):  # (or a heading in capitals over a subject in title case)
        return recased(body, text, name=True) + ": " + recased(rest, text)
    return recased(title, text)


def recased(title: str, text: str, name: bool = False) -> str:
    """A title printed in capitals ("FREEDOM OF INFORMATION POLICY") in the case its words have in the text;
    words the text only writes in capitals (NHS, FOI) stay so. A body's ``name`` keeps a capital on each word
    but its connectors ("Medicaid and CHIP Payment and Access Commission")."""
    words = title.split()
    upper = [bool(re.fullmatch(r"[(\[\"“‘]?[A-Z][A-Z'’-]+[)\]\"”’]?[,:;.]?", w)) for w in words]  # ("(EU)" too)
    # words in capitals beside others in capitals; one alone among words in lower case is an acronym ("… Health
    # NHS Foundation Trust: BOARD OF DIRECTORS")
    lettered = [i for i, word in enumerate(words) if re.search(r"[^\W\d_]", word)]  # ("12 MARCH 2024": one run)
    caps = {i for n, i in enumerate(lettered) if upper[i] and ((n and upper[lettered[n - 1]])
                                                               or (n + 1 < len(lettered) and upper[lettered[n + 1]]))}
    if len(caps) < 2 or not re.search(r"\b[A-Z][A-Z'’-]+[,:;.]?\s+[A-Z][A-Z'’-]+\b", title):
        return title
    seen, anywhere = word_forms(text), word_forms(text, every_line=True)
    out: list[str] = []
    for i, whole in enumerate(words):
        opening = whole[:len(whole) - len(whole.lstrip("([\"“‘"))]  # "(VARIOUS ROADS, FERNLEY)": the word in it
        word = whole[len(opening):]
        core = word.rstrip(",:;.)]\"”’")
        if i in caps and re.fullmatch(r"[A-Z][A-Z'’-]+", core):
            all_forms = seen.get(core.lower(), {})
            forms = {f: n for f, n in all_forms.items() if not f.isupper()}
            first = i == 0 or out[-1].endswith(":")
            if core.lower() in CONNECTORS and core.lower() not in ("us", "it"):
                word = (core.capitalize() if first else core.lower()) + word[len(core):]  # "OF", "THE": never acronyms
            elif forms and all_forms.get(core, 0) - 1 >= sum(forms.values()) and len(core) <= 5:  # (the title counts once)
                pass  # mostly written in capitals (NHS; "nhs" in web addresses): an acronym
            elif forms:
                best = max(forms, key=lambda f: (forms[f], f.islower()))
                capital = core[:1] + core[1:].lower()
                lead = out[-2:] if len(out) >= 2 and out[-1] in CONNECTORS and out[-2][:1].isupper() else out[-1:]
                if best.islower() and lead and lead[0][:1].isupper() and capital in forms and (
                        text[:50000].count(" ".join([*lead, capital])) > text[:50000].count(" ".join([*lead, best]))):
                    best = capital  # "Adult Social Care" as the text names it, though it writes "social care"
                if name:
                    best = best.lower() if not first and best.lower() in CONNECTORS else best[:1].upper() + best[1:]
                word = (best[:1].upper() + best[1:] if first else best) + word[len(core):]
            elif len(core) <= 6 and sum(anywhere.get(core.lower(), {}).values()) >= (2 if len(core) <= 5 else 3):
                pass  # only ever in capitals, and not just in the title: an acronym ("NHSBSA" at least twice more;
                # a longer word, "INQUIRY" in a transcript's headings, is a word)
            elif len(core) > 4:
                # a word the text writes no other way: a name as likely as not ("THE THIRLWELL INQUIRY"), unless
                # it is a small word no name is made of ("UNDER", "ABOUT")
                small = core.lower() in _FUNCTION_WORDS and not first
                word = (core.lower() if small else core.capitalize()) + word[len(core):]
            else:
                return title  # a short word the text never uses otherwise: perhaps an acronym, so leave it
        out.append(opening + word)
    return " ".join(out)


#: Prepositions and conjunctions of five letters or more, written in lower case inside a title.
_FUNCTION_WORDS = frozenset("about above across after against along among around before behind below beneath beside "
                            "besides between beyond during except inside outside since through throughout toward "
                            "towards under underneath until unlike upon versus while whilst within without".split())
