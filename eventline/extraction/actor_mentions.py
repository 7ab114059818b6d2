"""Actor mentions: the actor a word of a frame names, read with the dictionaries and the
sentence around it.

Reads: the head tokens of a frame's roles (eventline.extraction.frames), the actor dictionaries
(eventline.resolve.actors) and the learned span tagger. Writes: Actors with their span in the
document; the members of a coordinated role ("Fornost and Gondor", "Hungarian and Romanian
officials", "ambassadors of Arnor and Gondor"), one actor each. What a pair of actors codes
as is eventline.extraction.actor_rules'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from eventline.extraction.actor_rules import _bare_sector, _detail
from eventline.extraction.frames import Frame
from eventline.extraction.roles import phrase
from eventline.extraction.span_tagger import SpanTagger
from eventline.extraction.target_spans import only_where
from eventline.model import Actor, Place
from eventline.resolve.actors import ActorDictionary

if TYPE_CHECKING:
    from eventline.extraction.records import DocumentState

# a coordinated role ("Mordor, Rohan, Fornost and Bree") expands to at most this many actors
MAX_MEMBERS = 6
# entity labels that name an actor even when no dictionary knows it
ACTOR_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}
# gazetteer entries of facilities (airports and air bases, by ICAO code): never a state's name
FACILITY_PLACES = ("icao:",)


def _member_words(part: Token, head: Token, last: Token) -> Span:
    """The words that name one member of "Hungarian and Romanian officials": the last
    modifier with the noun ("Romanian officials"), the others alone ("Hungarian")."""
    first = min([part.i, *(c.i for c in part.children if c.dep_ == "compound")])
    return head.doc[first : head.i + 1] if part.i == last.i else head.doc[first : part.i + 1]


def _state_code(actor: Actor) -> str | None:
    """A state of a PETRARCH dictionary that is no ISO country ("[GON]"): a three-letter code
    with no sector."""
    code = actor.code or ""
    return code if len(code) == 3 and code.isalpha() and actor.sector is None else None


def _not_acted_on(frame: Frame) -> bool:
    """Whether an object known only by its kind is not the one acted upon: the actor's own
    people ("withdraw its troops", "warned their populations"), or the object of an act that
    is not force ("boycott official contact with the United States"). The people force is
    used on stay ("fired on protesters in Algiers")."""
    obj = frame.actor2
    own = obj is not None and any(
        c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children
    )
    return own or frame.etype.quad_class != 4


class ActorMentions:
    """Reads the actors of a frame's words with one set of dictionaries."""

    def __init__(self, actors: ActorDictionary, tagger: SpanTagger | None = None) -> None:
        self.actors = actors
        self.tagger = tagger  # learned source/target spans: a target the parse left out

    def actor(
        self, tok: Token | None, state: DocumentState, conjuncts: bool = True
    ) -> Actor | None:
        if (
            tok is None
            or tok.pos_ in ("PRON",)
            and tok.lower_ in ("it", "they", "them", "we", "us", "who", "that", "which")
        ):
            return None
        span = phrase(tok, conjuncts=conjuncts)
        actor = self.actors.resolve(span.text, span, state.published)
        if actor is None:
            span, actor = self._by_complement(tok, span, state)
        if actor is not None and actor.country is None and actor.sector and not actor.affiliation:
            actor = self._with_home_country(actor, tok)
        if actor is None or not (actor.country or actor.affiliation):
            actor = self._described(tok, span.text, state) or actor
        named = any(t.ent_type_ in ACTOR_ENTITIES or t.pos_ == "PROPN" for t in span)
        if actor is None and named and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
            # a named person or organisation no dictionary knows is still an actor
            actor = Actor(text=span.text, name=span.text)
        key = tok.lemma_.lower()
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        bare = all(t.dep_ in ("det",) or t.i == tok.i for t in span)
        earlier = state.actors.get(key)
        if (
            earlier is not None
            and (dets & {"the", "these", "those", "this", "that"} or bare)
            and (actor is None or _detail(earlier) > _detail(actor))
        ):
            actor = replace(earlier, text=span.text)  # coded as before, found here
        elif actor is not None:
            state.actors[key] = actor
        if actor is None:
            return None
        start = state.offset + span.start_char
        return replace(actor, char_start=start, char_end=start + len(span.text))

    def target(self, frame: Frame, state: DocumentState) -> tuple[Actor | None, Token | None]:
        """The one acted upon, with the word that names it: the object, else the alternatives;
        an act of cooperation or a statement goes to its recipient when the object names no
        actor or a bare sector ("offered its troops to Lebanon's president")."""
        actor2, word = self.actor(frame.actor2, state), frame.actor2
        for alternative in frame.actor2_alternatives:
            if actor2 is not None:
                break
            actor2, word = self.actor(alternative, state), alternative
        if actor2 is None or _bare_sector(actor2):
            for recipient in frame.recipients:
                found = self.actor(recipient, state)
                if found is not None and not _bare_sector(found):
                    return found, recipient
        if actor2 is None or (_bare_sector(actor2) and _not_acted_on(frame)):
            for later in frame.later:
                found = self.actor(later, state)
                if found is not None and not _bare_sector(found):
                    return found, later
        return actor2, word

    def _by_complement(
        self, tok: Token, span: Span, state: DocumentState
    ) -> tuple[Span, Actor | None]:
        """ "Leaders of the Azadliq opposition coalition", "Druze inhabitants of the Golan
        Heights", "supporters of President X": the subject of a verb, a head noun no
        dictionary knows, is the people of its "of" or "from" phrase, read as one span with it.
        Only a subject: an object so headed is mostly a thing ("the withdrawal of X", "the
        offices of X")."""
        if tok.pos_ != "NOUN" or tok.dep_ != "nsubj":
            return span, None
        for child in tok.children:
            if child.dep_ != "prep" or child.lower_ not in ("of", "from") or child.i < span.start:
                continue
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            wider = tok.doc[span.start : phrase(pobj, conjuncts=False).end]
            found = self.actors.resolve(wider.text, wider, state.published)
            if found is not None and (found.country or found.affiliation or found.code):
                return wider, found
        return span, None

    def _home_states(self, tok: Token) -> list[tuple[str | None, str]]:
        """The states a phrase places its people in, each as (ISO country or None, state
        code): "opposition groups in Zimbabwe", "workers from Nepal", "ambassadors of Arnor,
        Osgiliath and Gondor" (a PETRARCH dictionary's own states have a code and no ISO
        country). A capital is a place here, not its government ("demonstrators in Baghdad");
        a town names no state."""
        for child in tok.children:
            if child.dep_ != "prep" or child.lower_ not in ("in", "from", "of"):
                continue
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                states = []
                for part in sorted([pobj, *pobj.conjuncts], key=lambda t: t.i)[:MAX_MEMBERS]:
                    found = self.actors.resolve(part.text)
                    if found is None or not (found.sector is None or part.ent_type_ == "GPE"):
                        break
                    state = found.country or _state_code(found)
                    if state is None:
                        break
                    states.append((found.country, state))
                else:
                    if states:
                        return states
        return []

    def _with_home_country(self, actor: Actor, tok: Token) -> Actor:
        """A sector with the (first) state its phrase places it in."""
        states = self._home_states(tok)
        if not states:
            return actor
        country, state = states[0]
        return replace(actor, country=country, code=state + (actor.sector or ""))

    def _described(self, tok: Token, text: str, state: DocumentState) -> Actor | None:
        """ "Salaheddine Sidhoum, Algeria's leading human rights activist": a name no
        dictionary places is coded as its apposition says, keeping its own text."""
        if tok.pos_ != "PROPN":
            return None
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN"):
                span = phrase(child, conjuncts=False)
                found = self.actors.resolve(span.text, span, state.published)
                if found is not None and (found.country or found.affiliation):
                    return replace(found, text=text)
        return None

    def tagged_target(
        self, frame: Frame, sent: Span, state: DocumentState, places: bool = True
    ) -> Actor | None:
        """The target span the tagger finds in the sentence, outside the acting phrase,
        nearest after the trigger (else before it): "returned paintings to the government of
        Brazil" when the parse hung "to" elsewhere. `places=False` leaves out the objects of
        place prepositions ("took place in Iraq"): where, not whom."""
        assert self.tagger is not None
        taken = set(phrase(frame.actor1)) if frame.actor1 is not None else set()
        spans = [
            span
            for role, span in self.tagger.spans(sent, roles=("T",))
            if role == "T" and not taken.intersection(span) and (places or not only_where(span))
        ]
        if not spans:
            return None
        trigger = frame.trigger.i
        span = min(spans, key=lambda s: (s.start < trigger, abs(s.start - trigger)))
        # the whole phrase codes the actor ("a village in Western Cambodia"); its name is its
        # text when the name alone codes the same ("the militant group Hamas")
        actor = self.actors.resolve(span.text, span, state.published)
        named = _named(span)
        if actor is None:
            if not any(t.ent_type_ in ACTOR_ENTITIES or t.pos_ == "PROPN" for t in span):
                return None
            actor = Actor(text=named.text, name=named.text, origin="span tagger")
        else:
            alone = self.actors.resolve(named.text, named, state.published)
            if alone is None or (alone.code, alone.country) != (actor.code, actor.country):
                named = span
        start = state.offset + named.start_char
        return replace(actor, text=named.text, char_start=start, char_end=start + len(named.text))

    def members(self, tok: Token | None, state: DocumentState) -> list[Actor]:
        """The actors of a coordinated phrase when each is a distinct state or named group
        ("Mordor, Rohan and Bree"), and the members of a compound actor of a PETRARCH
        dictionary ("the Shire", [FRO/BIL/SAM]); none for one actor or descriptions ("U.S. and
        coalition forces" stays one actor: the coalition names no state of its own)."""
        if tok is None:
            return []
        if not tok.conjuncts:
            single = self.actor(tok, state, conjuncts=False)
            return (
                self._modifier_members(tok, state)
                or self._placed_members(tok, state)
                or (self.actors.members_of(single) if single is not None else [])
            )
        parts = sorted([tok, *tok.conjuncts], key=lambda t: t.i)[:MAX_MEMBERS]
        read: list[Actor | None] = []
        for part in parts:
            actor = self.actor(part, state, conjuncts=False)
            read.extend((self.actors.members_of(actor) if actor is not None else []) or [actor])
        # words that name no state or group ("the lions and Gondor") are no members
        actors = [
            a
            for a in read
            if a is not None and not _bare_sector(a) and (a.country or a.affiliation or a.code)
        ]
        if len({a.code or a.country for a in actors}) < 2 and len(actors) == len(read):
            return []
        return actors

    def _modifier_members(self, tok: Token, state: DocumentState) -> list[Actor]:
        """ "Hungarian and Romanian officials", "U.S. and Russian negotiators": coordinated
        state modifiers of one noun are one actor per state, each with the phrase's span."""
        for child in tok.children:
            if (
                child.dep_ not in ("amod", "compound", "nmod")
                or not child.conjuncts
                or child.i > tok.i
            ):
                continue
            parts = sorted([child, *child.conjuncts], key=lambda t: t.i)[:MAX_MEMBERS]
            actors = [self.actors.resolve(f"{part.text} {tok.text}") for part in parts]
            if (
                all(a is not None and a.country for a in actors)
                and len({a.country for a in actors if a}) >= 2
            ):
                return [
                    self._at(a, tok, state, _member_words(part, tok, parts[-1]))
                    for a, part in zip(actors, parts, strict=True)
                    if a is not None
                ]
        return []

    def _placed_members(self, tok: Token, state: DocumentState) -> list[Actor]:
        """ "Lawmakers in Fornost and Gondor", "the ambassadors of Arnor, Osgiliath and
        Gondor": a sector placed in several states is one actor per state."""
        states = self._home_states(tok)
        if len(states) < 2:
            return []
        span = phrase(tok)
        actor = self.actors.resolve(span.text, span, state.published)
        if actor is None or not _bare_sector(actor):
            return []
        return [
            self._at(replace(actor, country=country, code=code + (actor.sector or "")), tok, state)
            for country, code in states
        ]

    @staticmethod
    def _at(actor: Actor, tok: Token, state: DocumentState, span: Span | None = None) -> Actor:
        """The actor with the span of the phrase `tok` heads (or `span`), in document
        offsets."""
        span = span if span is not None else phrase(tok)
        start = state.offset + span.start_char
        return replace(actor, text=span.text, char_start=start, char_end=start + len(span.text))

    @staticmethod
    def located(
        actor: Actor | None, places: Sequence[tuple[Span, Place]], offset: int
    ) -> Actor | None:
        """A name no actor dictionary knows that the place resolver reads as a place in a country
        ("Abidjan", "Jericho", "the West Bank") is that country, as CAMEO codes towns and regions:
        the place's gazetteer entry gives the code. An airport or air base is a struck
        object's place, not a state's name ("the attack on Al Asad Air Base")."""
        if actor is None or actor.code or actor.country or actor.char_start is None:
            return actor
        for span, place in places:
            if (place.geonameid or "").startswith(FACILITY_PLACES):
                continue
            start = offset + span.start_char
            inside = actor.char_start <= start and start + len(span.text) <= (actor.char_end or 0)
            if inside and place.country and len(span.text) * 2 >= len(actor.text):
                return replace(
                    actor, country=place.country, code=place.country, origin=place.geonameid
                )
        return actor


def _named(span: Span) -> Span:
    """The words of a tagged target phrase that name its actor, as every other actor's text
    is read (`roles.phrase`): "the militant group Hamas" is Hamas, "two British soldiers who
    ..." is two British soldiers."""
    named = phrase(span.root, conjuncts=False)
    start, end = max(named.start, span.start), min(named.end, span.end)
    return span.doc[start:end] if start < end else span
