"""Resolve actor noun phrases to a country, a CAMEO-style sector and a backer.

The entries come from the dictionary index (eventline.resolve.actor_index); this module reads
what a phrase's matches make together: a named group with the sector of the agent noun that
heads the phrase ("Osgiliath soldiers"), a country with an agent noun ("Iraqi troops"), a
patron before "-backed" ("Iran-backed militias"), an office holder's code on the event's day,
and a last name that names one office holder ("Lavrov said"). Matching works on a
tokenisation of its own (eventline.resolve.actor_words) so that phrases and parsed documents
are matched the same way: case-, accent-, apostrophe- and punctuation-insensitive, possessive
"'s" stripped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

import yaml
from spacy.tokens import Span

from eventline.model import Actor
from eventline.nlp import text_of
from eventline.resolve.actor_codes import code_on, held_on, meaning
from eventline.resolve.actor_entries import AGENT, CAPITAL, COUNTRY, GROUP, Entry
from eventline.resolve.actor_index import DATA_DIR, ActorIndex
from eventline.resolve.actor_words import Match, Word, _mostly_capitals, one_edit, tokenize

BLOCKER_SECTOR = "NON"
# a last name read with one letter off ("President Mitterand") must be at least this long
RESPELLED_SURNAME_LENGTH = 6
MILITIA, ARMED_GROUP = "MLA", "UAF"

# Cue words (patron markers, locative prepositions, ...) live in cues.yaml.
_CUES = yaml.safe_load((DATA_DIR / "cues.yaml").read_text(encoding="utf-8"))
AFFILIATION_SUFFIXES = frozenset(_CUES["affiliation_suffixes"])
HYPHENED_SUFFIXES = frozenset(_CUES["hyphened_affiliation_suffixes"])
AFFILIATION_PREFIXES = tuple(tuple(cue.split()) for cue in _CUES["affiliation_prefixes"])
PROXY_TERMS = frozenset(_CUES["proxy_terms"])
HEAD_BOUNDARIES = frozenset(_CUES["head_boundaries"])


class ActorDictionary(ActorIndex):
    """The actor index with the rules that make one actor of a phrase's matches."""

    # ---- resolving a phrase ------------------------------------------------------
    def resolve(
        self, text: str, span: Span | None = None, when: date | None = None
    ) -> Actor | None:
        """The actor a noun phrase names, or None when nothing in it is an actor. `when` (the
        event's day) picks the code an office holder held then."""
        words = tokenize(text)
        if span is not None:
            # decided once per document, on the text read once (Doc.text walks every token)
            caps = span.doc.user_data.get("eventline_mostly_capitals")
            if caps is None:
                caps = span.doc.user_data["eventline_mostly_capitals"] = _mostly_capitals(
                    text_of(span.doc)
                )
        else:
            caps = _mostly_capitals(text)
        found = [
            m
            for m in self.matches(words, allow_acronyms=not caps)
            if m.entry.sector != BLOCKER_SECTOR
        ]
        if not caps and not any(m.entry.kind == GROUP for m in found):
            found = self._with_surname(words, found, when, span)
        if not found:
            return None
        affiliation, patrons = _affiliation(text, words, found)
        group = next((m for m in found if m.entry.kind == GROUP and id(m) not in patrons), None)
        places = [m for m in found if m.entry.kind in (COUNTRY, CAPITAL) and id(m) not in patrons]
        agents = [m for m in found if m.entry.kind == AGENT]
        head_agent = _head_agent(words, agents, text, span)

        country = sector = code = name = origin = None
        if group is not None:
            entry = self._on_day(group.entry, when, head_agent)
            name, code, origin = entry.name, entry.code, entry.origin
            country = entry.country or (places[0].entry.country if places else None)
            sector = entry.sector or (head_agent.entry.sector if head_agent else None)
            affiliation = entry.affiliation or affiliation
            if code and not entry.sector and sector and head_agent is not None:
                # "Osgiliath soldiers", "activists in Arnor": a state's code with the sector of
                # the agent noun that heads the phrase
                code = code + sector
        else:
            if places:
                country = places[0].entry.country
            if head_agent is not None:
                sector = head_agent.entry.sector
                if head_agent.entry.term in PROXY_TERMS:
                    sector = MILITIA
            elif places and all(p.entry.kind == CAPITAL for p in places):
                sector = "GOV"  # "Washington said": the capital stands for the government
            if sector == ARMED_GROUP and affiliation is not None:
                sector = MILITIA  # armed men with a patron state are a proxy militia
        if country is None and sector is None and affiliation is None and code is None:
            return None
        if origin is None:  # a country word and an agent noun: both entries made the code
            parts = [places[0].entry.origin if places else None]
            parts.append(head_agent.entry.origin if head_agent is not None else None)
            origin = " + ".join(p for p in parts if p) or None
        if name is None:
            name = self._describe(country, sector, affiliation)
        if code is None and (country or sector):
            code = (country or "") + (sector or "")
        return Actor(
            text=text,
            name=name,
            country=country,
            sector=sector,
            code=code,
            affiliation=affiliation,
            origin=origin,
        )

    def members_of(self, actor: Actor) -> list[Actor]:
        """The members of a compound actor ("THE_SHIRE [FRO/BIL/SAM]": the Shire as FRO, BIL
        and SAM), each with the actor's text and origin; none for any other actor."""
        codes = self.compounds.get(actor.origin or "", ())
        out = []
        for code in codes:
            said = meaning(code, self.country_names, self.sector_labels)
            out.append(replace(actor, code=said.code, country=said.country, sector=said.sector))
        return out

    def _on_day(self, entry: Entry, when: date | None, title: Match | None) -> Entry:
        """An office holder's entry with the code held on the day ("President Mitterrand" in
        1990: FRAGOV; in 1980: FRAELI); without a date, the one the title names."""
        if not entry.codes:
            return entry
        chosen = code_on(entry.codes, when, title.entry.sector if title else None)
        if chosen is None:
            return entry
        said = meaning(chosen.code, self.country_names, self.sector_labels)
        return replace(entry, country=said.country, sector=said.sector, code=said.code)

    def _with_surname(
        self, words: list[Word], found: list[Match], when: date | None, span: Span | None
    ) -> list[Match]:
        """ "President Mitterrand", "Lavrov said": a capitalised word that is the last name of
        office holders of one country only (among those in office on the day) names them."""
        covered = {i for m in found for i in range(m.first, m.last)}
        for i, word in enumerate(words):
            if i in covered or not word.raw[:1].isupper():
                continue
            titled = any(m.last == i and m.entry.kind == AGENT for m in found)
            titled = titled or _titled_name(words, found, i)
            if not titled and not _is_person(span, word):
                continue  # "Northern Lions Brigade": a last name only in a person's name
            surname = word.norm if word.norm in self._surnames else None
            respelled = surname is None and titled and _ends_name(words, i)
            if respelled:
                surname = self._respelled_surname(word.norm)
            if surname is None:
                continue
            people = [e for e in self._surnames[surname] if held_on(e.codes, when)]
            countries = {self._on_day(e, when, None).country for e in people}
            named = {m.entry.country for m in found if m.entry.kind in (COUNTRY, CAPITAL)}
            if respelled and named and countries != named:
                continue  # "Kyrgyz Prime Minister ...": a guessed name must be of the state named
            if len(people) >= 1 and len(countries) == 1 and None not in countries:
                match = Match(i, i + 1, replace(people[-1], term=word.raw))
                return sorted([*found, match], key=lambda m: m.first)
        return found

    def _respelled_surname(self, norm: str) -> str | None:
        """The one last name of an office holder one letter away from a titled name the
        dictionaries do not know ("President Mitterand", "President Abdelaziz Bouteflicka");
        None when there is none, or several."""
        if len(norm) < RESPELLED_SURNAME_LENGTH or not norm.isalpha():
            return None
        # a misspelling keeps the first letter far more often than not; "Sontas" is not Montas
        known = [v for v in one_edit(norm) if v[:1] == norm[:1] and v in self._surnames]
        return known[0] if len(known) == 1 else None

    def _describe(self, country: str | None, sector: str | None, affiliation: str | None) -> str:
        label = self.sector_labels.get(sector or "", sector or "")
        if country is not None:
            return f"{self.country_names.get(country, country)} {label}".strip()
        if affiliation is not None:
            patron = self.country_names.get(affiliation, affiliation)
            return f"{patron}-backed {label or 'group'}"
        return label


# ---- helpers ---------------------------------------------------------------------------
def _ends_name(words: list[Word], i: int) -> bool:
    """Word i is the last of a run of capitalised words: where a last name stands."""
    return i + 1 == len(words) or not words[i + 1].raw[:1].isupper()


def _titled_name(words: list[Word], found: list[Match], i: int) -> bool:
    """ "President Abdelaziz Bouteflicka": word i ends a capitalised name right after a title."""
    return (
        i >= 1
        and words[i - 1].raw[:1].isupper()
        and any(m.last == i - 1 and m.entry.kind == AGENT for m in found)
    )


def _is_person(span: Span | None, word: Word) -> bool:
    """Whether the parser tags the word of the phrase as (part of) a person's name."""
    if span is None:
        return False
    start = span.start_char + word.start
    return any(t.idx == start and t.ent_type_ == "PERSON" for t in span)


def _affiliation(
    text: str, words: list[Word], found: list[Match]
) -> tuple[str | None, set[int]]:
    """The patron named in the phrase, and the matches used up as patrons."""
    norms = [w.norm for w in words]
    for position, match in enumerate(found):
        country = match.entry.country
        if country is None:
            continue
        after = norms[match.last] if match.last < len(norms) else ""
        if after in HYPHENED_SUFFIXES and "-" not in text[
            words[match.last - 1].end : words[match.last].start + 1
        ]:
            after = ""  # "Palestinian armed groups" are Palestinian; "Iran-armed" has a patron
        nxt = found[position + 1] if position + 1 < len(found) else None
        proxy_follows = (
            nxt is not None and nxt.first == match.last and nxt.entry.term in PROXY_TERMS
        )
        preceded = any(
            tuple(norms[max(0, match.first - len(p)) : match.first]) == p
            for p in AFFILIATION_PREFIXES
        )
        if after in AFFILIATION_SUFFIXES or proxy_follows or preceded:
            return country, {id(match)}
    return None, set()


def _head_agent(
    words: list[Word], agents: list[Match], text: str, span: Span | None
) -> Match | None:
    """The agent noun that heads the phrase: the parse root if known, else the last agent
    before a comma or a post-modifying preposition ("police in Lagos", "minister of X")."""
    if not agents:
        return None
    if span is not None:
        root_start = span.root.idx - span.start_char
        for match in agents:
            if words[match.first].start <= root_start < words[match.last - 1].end:
                return match
    boundary = len(words)
    for i, word in enumerate(words):
        comma = "," in text[words[i - 1].end : word.start] if i else False
        if i and (word.norm in HEAD_BOUNDARIES or comma):
            boundary = i
            break
    head_part = [m for m in agents if m.last <= boundary]
    return head_part[-1] if head_part else agents[0]


@lru_cache(maxsize=1)
def default_dictionary() -> ActorDictionary:
    """The shipped dictionaries, loaded once per process."""
    return ActorDictionary.load()
