"""Bodies in Wales, Ireland, Scotland and New Zealand print their names twice on a cover, in English and in Welsh,
Irish, Scottish Gaelic or Māori ("Cynulliad Cenedlaethol Cymru" / "National Assembly for Wales", "Te Tūāpapa Kura
Kāinga" / "Ministry of Housing and Urban Development"); Northern Ireland's departments three times, with Irish and
Ulster-Scots ("An Roinn Sláinte" / "Männystrie O Poustie"). The other names are the body's identity, never the
document's title; telling them apart needs the words such names are made of, which no English rule can see. The
list is small on purpose: the words of public bodies' names and their glue, not a dictionary."""

from __future__ import annotations

import re

#: Words that name bodies, their parts and their places in Welsh, Irish, Scottish Gaelic, Ulster-Scots and Māori
#: (with and without the macrons a converter may drop), folded to lower case.
#: None is an English word (nor a place's name English uses: "Powys", "Gwynedd").
_NAME_WORDS = frozenset("""
cymru cymraeg cenedlaethol cynulliad llywodraeth cyngor sirol bwrdeistref dinas bwrdd iechyd prifysgol
comisiynydd gwasanaeth gwasanaethau gofal gofalwyr cymdeithas cymdeithasol addysg ymddiriedolaeth gig cyhoeddus
adran swyddfa archwilio heddlu achub canolfan cyfoeth naturiol trafnidiaeth chwaraeon celfyddydau pobl hŷn
ifanc gilydd pwyllgor adroddiad blynyddol ymchwiliad strategaeth cynllun polisi caerdydd abertawe casnewydd
llyfrgell amgueddfa cyllid gwybodaeth ymchwil cenedl cymunedau cymuned gweinidog gweinidogion deddf awdurdod
cofnod trafodion pwyllgor plant pobl ifanc cyfarfod agenda'r senedd
lleol leol cynllunio tai
rialtas éireann héireann comhairle contae cathrach roinn sláinte feidhmeannacht seirbhíse seirbhísí údarás
tÚdarás oifig fhaisnéis cáilíocht tuarascáil bhliantúil coimisiún gníomhaireacht leanaí teaghlach tithíochta
oideachais pobail cúram oireachtais dála seanad tionól phobal rannóg coiste áitiúil tithíocht pleanáil
pàrlamaid alba h-alba riaghaltas ionad t-ionad fiosrachaidh pàipear-ullachaidh slàinte seirbheis bòrd nàiseanta
eilean siar ùghdarras oifis poblach coimisean comataidh ionadail taigheadas dealbhadh
tūāpapa tuapapa kura kāinga kainga whatu ora manatū manatu hauora whai tāhuhu tahuhu mātauranga matauranga waka
puni kōkiri kokiri oranga tamariki kotahi kāwanatanga kawanatanga aotearoa hīkina hikina whakatutuki tari
taiwhenua taiao pūrongo purongo rautaki kaunihera poari hapori whānau whanau heke pōneke poneke tāone taone
tāmaki tamaki makaurau tithe
männystrie mannystrie männystèr mannyster depairtment poustie heilth lear commonities fairmin kintra oaffis
""".lower().split())
#: The glue of such names: articles, prepositions, conjunctions ("Pàrlamaid na h-Alba", "Gyda'n Gilydd").
_GLUE = frozenset("""
a ac a'r ar yr y i o yn ein eich dros gyfer gyda gyda'n â na an agus um do le ar nan den te mō mo ki me fur an'
""".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _kinds(text: str) -> list[int]:
    """Each word of ``text`` as 2 (a name's word), 1 (glue) or 0 (any other word)."""
    out = []
    for word in _WORD.findall(text):
        folded = word.lower().replace("’", "'")
        out.append(2 if folded in _NAME_WORDS else 1 if folded in _GLUE else 0)
    return out


def other_language_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` (as word positions, end exclusive) that name a body in Welsh, Irish, Gaelic or Māori: runs of
    a name's words and glue that hold two words of names or more ("Pàrlamaid na h-Alba", "An t-Ionad
    Fiosrachaidh"), never one such word in English ("Cymraeg 2050: A million Welsh speakers")."""
    kinds = _kinds(text)
    spans, start = [], None
    for n, kind in enumerate([*kinds, 0]):
        if kind and start is None:
            start = n
        elif not kind and start is not None:
            if sum(k == 2 for k in kinds[start:n]) >= 2:
                spans.append((start, n))
            start = None
    return spans


def is_other_language_name(text: str) -> bool:
    """Whether a line is, for the most part, a body's name in Welsh, Irish or Gaelic ("Cynulliad Cenedlaethol
    Cymru"; not "Tuarascáil Bhliantúil Annual Report 2022", half of it English)."""
    words = len(_WORD.findall(text))
    return bool(words) and 2 * sum(end - start for start, end in other_language_spans(text)) > words


def without_other_language_names(text: str) -> str:
    """``text`` less its Welsh, Irish or Gaelic names: the English left to read ("The Scottish Parliament SPICe
    Pàrlamaid na h-Alba The Information Centre" becomes "The Scottish Parliament SPICe The Information Centre")."""
    spans = other_language_spans(text)
    if not spans:
        return text
    words = list(_WORD.finditer(text))
    out, at = [], 0
    for start, end in spans:
        out.append(text[at:words[start].start()])
        at = words[end - 1].end()
    out.append(text[at:])
    return " ".join("".join(out).split())


#: Words of Welsh and Irish running text that English never writes, besides the glue above: a title's translation.
_SENTENCE_GLUE = frozenset("mewn yng ym gan sy sydd mae fel ond neu eu hyn hwn hon ar gyfer agus ar na le".split())
#: English's own glue: a span with any of it is English.
_ENGLISH_GLUE = frozenset("the of and in for to on with by from at is are its their".split())


def without_translated_title(title: str) -> str:
    """A title less its translation printed after it on a bilingual cover ("Loneliness and social isolation … :
    a rapid evidence review Unigrwydd ac ynysu cymdeithasol yn ddiweddarach mewn bywyd yng Nghymru: …"): from a
    capitalised word, not after English glue, that starts a run with no English glue, three or more Welsh or
    Irish words in all and one among its first four (never "a", "an" or "i", which English writes too)."""
    words = list(_WORD.finditer(title))
    folded = [w.group(0).lower().replace("’", "'") for w in words]
    own = [w in _NAME_WORDS or (w in _GLUE or w in _SENTENCE_GLUE) and w not in ("a", "an", "i") for w in folded]
    for n in range(3, len(words) - 3):
        if not words[n].group(0)[:1].isupper() or folded[n - 1] in _ENGLISH_GLUE:
            continue
        if any(w in _ENGLISH_GLUE for w in folded[n:]) or sum(own[n:]) < 3 or not any(own[n:n + 4]):
            continue
        return title[:words[n].start()].rstrip(" :–—-,")
    return title
