"""The sense of an ambiguous trigger word, read from the words around it: "the U.S. strike" is
a military strike, "the teachers' strike" a labour one, "a heart attack" and "beat Chelsea
2-1" no event at all.

Reads: a Frame and its parse, and the cues of eventline/data/trigger_senses.yaml. Writes: the
`Sense` the cues name (the event type it gives, or none), or nothing when the trigger has no
cue or cues of more than one sense, so the lexicon and the event model decide as before
(eventline.extraction.decision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Token

from eventline.data_files import read_word_yaml
from eventline.extraction.frames import Frame
from eventline.extraction.lexicon import EventType, get_lexicon

FILE = "trigger_senses.yaml"
# the dependencies of a noun's words that can say which sense it has
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
STATE_ENTITIES = frozenset({"GPE", "NORP"})
# a game's score as one token ("5–0") or three ("2", "-", "1")
SCORE = re.compile(r"\d{1,3}[-–]\d{1,3}")
DASHES = frozenset({"-", "–", "—"})
AIM_PREPOSITIONS = frozenset({"at", "on", "upon", "into"})


@dataclass(frozen=True)
class Sense:
    """One sense of a noun: the type it gives (None: no event) and the cues that mark it."""

    etype: EventType | None
    words: frozenset[str]
    state: bool
    after_on: bool
    score: bool
    objects: frozenset[str]


@lru_cache(maxsize=1)
def _senses() -> dict[str, tuple[Sense, ...]]:
    lexicon = get_lexicon()
    senses: dict[str, tuple[Sense, ...]] = {}
    for noun, rows in read_word_yaml(FILE).items():
        found = []
        for row in rows:
            entry = tuple(row["entry"].lower().split())
            etype = None if entry == ("none",) else (
                lexicon.multi.get(entry) if len(entry) > 1 else lexicon.lookup(entry[0], "NOUN")
            )
            if etype is None and entry != ("none",):
                raise ValueError(f"{FILE}: {noun}: no trigger entry {' '.join(entry)!r}")
            found.append(
                Sense(
                    etype=etype,
                    words=frozenset(w.lower() for w in row.get("words", [])),
                    state=row.get("state", "false") == "true",
                    after_on=row.get("after_on", "false") == "true",
                    score=row.get("score", "false") == "true",
                    objects=frozenset(w.lower() for w in row.get("objects", [])),
                )
            )
        senses[noun.lower()] = tuple(found)
    return senses


def _has_score(trigger: Token) -> bool:
    """A game's score in the trigger's clause: two numbers joined by a dash that count no
    plural noun ("beat Chelsea 2-1 on Saturday", "a 1-1 draw", not "beat 2-3 protesters")."""
    doc = trigger.doc
    for tok in trigger.subtree:
        if SCORE.fullmatch(tok.text):
            end = tok.i + 1
        elif (
            tok.is_digit
            and len(tok) <= 3
            and tok.i + 2 < len(doc)
            and doc[tok.i + 1].text in DASHES
            and doc[tok.i + 2].is_digit
        ):
            end = tok.i + 3
        else:
            continue
        # "2-3 protesters" counts people; "a 1-1 draw" is a score
        if end >= len(doc) or doc[end].tag_ not in ("NNS", "NNPS"):
            return True
    return False


def _object_marks(sense: Sense, trigger: Token) -> bool:
    """The trigger's object, or its subject in the passive unless a preposition of aim
    follows ("the mayor was fired upon" is shooting, not dismissal), marks the sense."""
    children = list(trigger.children)
    if any(c.dep_ == "dobj" and c.lemma_.lower() in sense.objects for c in children):
        return True
    aimed = any(c.dep_ == "prep" and c.lower_ in AIM_PREPOSITIONS for c in children)
    return not aimed and any(
        c.dep_ == "nsubjpass" and c.lemma_.lower() in sense.objects for c in children
    )


def _modifiers(frame: Frame) -> list[Token]:
    """The words that may mark the trigger's sense: its modifiers and possessor, the agent of a
    "by" phrase, and the frame's first actor."""
    noun = frame.trigger
    words = [c for c in noun.children if c.dep_ in MODIFIER_DEPS]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "by":
            words.extend(c for c in prep.children if c.dep_ == "pobj")
    if frame.actor1 is not None:
        words.append(frame.actor1)
    return words


def _marks(sense: Sense, frame: Frame, modifiers: list[Token]) -> bool:
    """Whether a cue other than the trigger's object marks the sense (`_object_marks` is
    asked first, in `sense_of`)."""
    noun = frame.trigger
    if any(t.lemma_.lower() in sense.words or t.lower_ in sense.words for t in modifiers):
        return True
    if sense.score and _has_score(frame.trigger):
        return True
    if sense.state and any(t.ent_type_ in STATE_ENTITIES for t in modifiers):
        return True
    return (
        sense.after_on
        and noun.dep_ == "pobj"
        and noun.head.lower_ == "on"
        and not any(c.dep_ in ("det", "poss") for c in noun.children)
    )


def sense_of(frame: Frame) -> Sense | None:
    """The one sense the trigger's context marks; None without a cue, or with cues of more
    than one sense (the lexicon and the model decide as before)."""
    if frame.user_coded:
        return None
    senses = _senses().get(frame.trigger.lemma_.lower())
    if not senses:
        return None
    # what was done to an object says more than who did it ("Britain struck a deal")
    by_object = [sense for sense in senses if _object_marks(sense, frame.trigger)]
    if len(by_object) == 1:
        return by_object[0]
    modifiers = _modifiers(frame)
    marked = [sense for sense in senses if sense in by_object or _marks(sense, frame, modifiers)]
    return marked[0] if len(marked) == 1 else None


def in_sense(frame: Frame) -> tuple[Frame | None, bool]:
    """The frame in the sense its words mark (None: that sense names no event), and whether a
    sense fixed its type (the event model then does not retype it)."""
    sense = sense_of(frame)
    if sense is None:
        return frame, False
    if sense.etype is None:
        return None, True
    if sense.etype.event_type != frame.etype.event_type:
        frame = replace(frame, etype=sense.etype)
    return frame, True
