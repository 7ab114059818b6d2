"""Actor mentions: the actor a word of a frame names, read with the dictionaries and the
sentence around it.

Reads: the head tokens of a frame's roles (eventline.extraction.frames), the actor dictionaries
(eventline.resolve.actors) and the learned span tagger. Writes: Actors with their span in the
document; the members of a coordinated role ("Fornost and Gondor", "Hungarian and Romanian
officials", "ambassadors of Arnor and Gondor"), one actor each. What a pair of actors codes
as is eventline.extraction.actor_rules'.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from eventline.extraction.actor_rules import _bare_sector, _detail
from eventline.extraction.frames import Frame
from eventline.extraction.roles import phrase
from eventline.extraction.span_tagger import SpanTagger
from eventline.model import Actor
from eventline.resolve.actors import ActorDictionary

if TYPE_CHECKING:
    from eventline.extraction.records import DocumentState

# a coordinated role ("Mordor, Rohan, Fornost and Bree") expands to at most this many actors
MAX_MEMBERS = 6
# entity labels that name an actor even when no dictionary knows it
ACTOR_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}


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

    def _with_home_country(self, actor: Actor, tok: Token) -> Actor:
        """ "Opposition groups in Zimbabwe", "workers from Nepal", "demonstrators in Baghdad":
        a sector with the country the phrase places it in (a country or capital, not a town)."""
        for child in tok.children:
            if child.dep_ != "prep" or child.lower_ not in ("in", "from"):
                continue
            for pobj in child.children:
                found = self.actors.resolve(pobj.text) if pobj.dep_ == "pobj" else None
                # a capital is a place here, not its government ("demonstrators in Baghdad")
                place = found is not None and (found.sector is None or pobj.ent_type_ == "GPE")
                if found is not None and found.country and place:
                    code = found.country + (actor.sector or "")
                    return replace(actor, country=found.country, code=code)
        return actor

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

    def tagged_target(self, frame: Frame, sent: Span, state: DocumentState) -> Actor | None:
        """The target span the tagger finds in the sentence, outside the acting phrase,
        nearest after the trigger (else before it): "returned paintings to the government of
        Brazil" when the parse hung "to" elsewhere."""
        assert self.tagger is not None
        taken = set(phrase(frame.actor1)) if frame.actor1 is not None else set()
        spans = [
            span
            for role, span in self.tagger.spans(sent)
            if role == "T" and not taken.intersection(span)
        ]
        if not spans:
            return None
        trigger = frame.trigger.i
        span = min(spans, key=lambda s: (s.start < trigger, abs(s.start - trigger)))
        actor = self.actors.resolve(span.text, span, state.published)
        if actor is None:
            if not any(t.ent_type_ in ACTOR_ENTITIES or t.pos_ == "PROPN" for t in span):
                return None
            actor = Actor(text=span.text, name=span.text, origin="span tagger")
        start = state.offset + span.start_char
        return replace(actor, char_start=start, char_end=start + len(span.text))

    def members(self, tok: Token | None, state: DocumentState) -> list[Actor]:
        """The actors of a coordinated phrase when each is a distinct state or named group
        ("Mordor, Rohan and Bree"); none for one actor or descriptions ("U.S. and coalition
        forces" stays one actor: the coalition names no state of its own)."""
        if tok is None:
            return []
        if not tok.conjuncts:
            return self._modifier_members(tok)
        parts = sorted([tok, *tok.conjuncts], key=lambda t: t.i)[:MAX_MEMBERS]
        actors = [self.actor(part, state, conjuncts=False) for part in parts]
        if any(
            a is None or _bare_sector(a) or not (a.country or a.affiliation or a.code)
            for a in actors
        ):
            return []
        if len({a.code or a.country for a in actors if a is not None}) < 2:
            return []
        return [a for a in actors if a is not None]

    def _modifier_members(self, tok: Token) -> list[Actor]:
        """ "Hungarian and Romanian officials", "U.S. and Russian negotiators": coordinated
        state modifiers of one noun are one actor per state."""
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
                return [a for a in actors if a is not None]
        return []
