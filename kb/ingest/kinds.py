"""Lines that say what kind of document a document is, and nothing of what it is about: "Policy paper",
"Interim report", "ASPE ISSUE BRIEF", "Report to the Legislature". A cover prints them over or beside its
title, often largest; they label the document, they do not name it."""

from __future__ import annotations

import re

#: A title made only of words that say what kind of document it is, with nothing of what it is about: a GOV.UK
#: page's type ("Policy paper", "Independent report"), a journal's article type ("Research article", "Open
#: Access"), a running label ("Interim report"). Printed largest on many covers, but not a title on its own.
KIND_ONLY = re.compile(
    r"(?:(?:the|a|an|and|&|of|in|for|our|this|final|interim|annual|draft|full|brief|executive|technical|"
    r"independent|corporate|statutory|official|original|open|rapid|study|case|press|news|policy|research|review|"
    r"reports?|response|consultation|outcome|update|progress|summary|evaluation|briefing|papers?|statement|"
    r"overview|recommendations|findings|guidance|release|story|analysis|statistics|transparency|data|"
    r"collection|speech|correspondence|notice|form|decision|article|access|commentary|editorial|perspective|statistical|"
    r"action|proactive|web|directive|circular|memorandum|working|discussion|position|submission|"
    r"letter|protocol|document|publication|information|note|notes|minutes|agenda|accounts|strategy|plan|"
    r"framework|version|guidelines?|bulletin|debate|pack|explainer|factsheet|toolkit|long|read|blog|post|"
    r"opinion|comment|insight|feature|focus|sidebar|immediate|embargoed|archived|proposed|rules?|notices|theory|practice|inquiry|"
    r"public\s+document\s+pack|"
    r"media\s+(?:release|statement|briefing|advisory))"
    r"[\s:,./–—-]*)+", re.I)
#: A report named by whom it is made to or by, alone: "Report to the Legislature", "Report to the Congress",
#: "Report by the Comptroller and Auditor General" (the National Audit Office's cover label).
ADDRESSED_REPORT = re.compile(r"(?:a\s+)?(?:(?:annual|final|interim|special|biennial)\s+)?report\s+(?:to\s+(?:the\s+)?"
                              r"(?:legislature|congress|parliament|senedd|oireachtas|minister|secretary(?:\s+of\s+state)?|"
                              r"governor|(?:general\s+)?assembly|congressional\s+(?:requesters|committees|addressees)|"
                              r"(?:chairman|chairwoman|chair|ranking\s+member)\s*,[^:]{0,150}|honorable\b[^:]{0,150})|(?:by|of)\s+the\s+(?:comptroller\s+and\s+)?"
                              r"auditor[\s-]+general(?:\s+for\s+[A-Z]\w+(?:\s+[A-Z]\w+)?)?)", re.I)
#: A body's acronym and the kind of document it is: "ASPE ISSUE BRIEF", "GAO Highlights", "CRS Report", "SPICe
#: Briefing" (and its Gaelic, "Pàipear-ullachaidh SPICe").
ACRONYM_KIND = re.compile(r"(?-i:[A-Z]{2,6}[a-z]?)\s+(?:issue\s+brief|highlights|report|insight|in\s+focus|briefing|"
                           r"briefs?|research\s+brief|data\s+brief|fact\s+sheet|news\s+release|press\s+release)"
                           r"|pàipear-ullachaidh\s+(?-i:[A-Z]{2,6}[a-z]?)", re.I)


#: A body's motto, printed under its name: "Informing the legislative debate since 1914", "Established 1948".
MOTTO = re.compile(r"(?:[A-Z][a-z]+ing\b(?:\s+\S+){1,6}\s+since|(?:Est\.?|Established|Founded)(?:\s+in)?)\s+1[5-9]\d\d|"
                   r"(?:Est\.?|Established|Founded)(?:\s+in)?\s+20\d\d")

#: An act's name: "Road Traffic Regulation Act 1984", "ROAD TRAFFIC REGULATION ACT 1984".
ACT_NAME = re.compile(r"(?:the\s+)?[\w ,()'’&-]{3,120}?\bact\s+(?:18|19|20)\d\d\b", re.I)
#: A stamp on minutes saying when they were approved: "CONFIRMED MINUTES Approved at the meeting held on 22
#: December 2016", "Signed as a correct record at the Board meeting of …": no title, and a later meeting's date.
APPROVAL_STAMP = re.compile(r"(?i)(?:(?:un)?confirmed|approved|ratified|agreed|final)?\s*(?:minutes)?\s*[-–:]?\s*"
                            r"(?:approved|confirmed|agreed|ratified|accepted|signed)\s+(?:as\s+(?:a\s+)?(?:true|correct|"
                            r"accurate)\s+record\s+)?(?:at|by)\s+(?:the\s+)?[\w ]{0,60}?\b(?:meeting|committee|board)\b")


def is_kind_only(line: str) -> bool:
    """Whether a line only says what kind of document it is, with the period it covers if any: "Strategy
    2024–2028", "Annual report 2023", "Final report" (the rest of its title is printed beside it)."""
    words = re.sub(r"\b(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?\b", " ", line).strip()
    return bool(words) and bool(KIND_ONLY.fullmatch(words) or ACRONYM_KIND.fullmatch(words))


def names_only_a_kind(value: str) -> bool:
    """Whether a whole candidate title is only such a label (not with the period it covers, which a cover reader
    may join to the subject beside it)."""
    return bool(KIND_ONLY.fullmatch(value) or ACRONYM_KIND.fullmatch(value) or ADDRESSED_REPORT.fullmatch(value)
                or _EMBARGO.match(value) or _TOPIC.fullmatch(value) or _NEWSROOM.fullmatch(value))


#: A site's news pages' name: "Ontario Newsroom", "NHS England Media Centre".
_NEWSROOM = re.compile(r"(?:[A-Z][\w.&'’-]*\s+){1,4}(?:Newsroom|News\s?room|Media\s+Centre|Press\s+(?:Centre|Office))")


#: A site's topic printed over a publication's title: "Health and social care", "Children and families".
_TOPIC = re.compile(r"(?:(?:health|social|care|services|public|education|housing|justice|economy|environment|transport|"
                    r"communities|children|families|wellbeing|and|&)\s*){2,4}", re.I)


#: A release's embargo: "Embargoed until 5am, Tuesday 9 September 2025", "Not for publication before …".
_EMBARGO = re.compile(r"(?:embargoed|under\s+embargo|strictly\s+embargoed|not\s+for\s+(?:publication|release))\b", re.I)
