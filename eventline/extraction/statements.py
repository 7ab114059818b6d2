"""Statements about an action: what event a promise, threat, refusal or demand is, and who
makes it.

Reads: a Frame (eventline.extraction.frames) and the statement its modality names
("intent", "threat", "refusal", "demand"). Writes: the Frame restated as the event the
statement codes as (eventline/data/statements.csv), or with its pronoun subject replaced by
the speaker of the reported speech.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Token

from eventline.data_files import read_csv
from eventline.extraction.attribution import speaker
from eventline.extraction.frames import Frame
from eventline.extraction.lexicon import EventType


@lru_cache(maxsize=1)
def _statement_types() -> dict[tuple[str, int], EventType]:
    table: dict[tuple[str, int], EventType] = {}
    for row in read_csv("statements.csv"):
        table[(row["statement"], int(row["quad_class"]))] = EventType(
            event_type=row["event_type"],
            mode=row["mode"] or None,
            cameo=row["cameo"],
            acled_event_type=row["acled_event_type"] or None,
            acled_sub_event_type=row["acled_sub_event_type"] or None,
            context=("diplomatic",),
        )
    return table


def restate(frame: Frame, statement: str) -> Frame | None:
    """The event a statement about an action is: "Israel will evacuate the settlements" is an
    intent to cooperate (AGREE), "they would blockade Paris" a threat (THREATEN), "Syria will
    not accept refugees" a refusal (REJECT), "officials said Iraq must cooperate" a demand
    (REQUEST) by the speaker of the one who must. None when the statement codes as nothing."""
    if frame.user_coded and statement != "demand":
        # a user's verb pattern codes the verb phrase as written, as PETRARCH does: its own
        # patterns say what "not", "will" or "is about to" change
        return frame
    etype = _statement_types().get((statement, frame.etype.quad_class))
    if etype is None:
        return None
    if statement == "demand":
        source = speaker(frame.clause_head()) or _main_subject(frame.trigger)
        if source is None:
            return None
        if frame.obligation:
            # "X declared that China must drop barriers": the frame already holds the
            # speaker (actor1) and the one who must act (actor2)
            return replace(frame, etype=etype, actor1=frame.actor1 or source)
        return replace(
            frame,
            etype=etype,
            actor1=source,
            actor2=frame.actor1,
            actor2_alternatives=[],
            recipients=[],
        )
    return replace(frame, etype=etype)


def _main_subject(tok: Token) -> Token | None:
    """The subject of the sentence's main verb ("Chirac issued a reminder that Iraq must ...")."""
    root = tok.sent.root
    return next((c for c in root.children if c.dep_ == "nsubj"), None)


PRONOUN_SUBJECTS = {"they", "he", "she", "it", "we", "i"}


def resolve_pronoun_subject(frame: Frame) -> Frame:
    """ "The Fijian rebels said they will release the hostages": a pronoun subject of reported
    speech is the speaker. An obligation frame's demander is the speaker too."""
    if frame.obligation and frame.actor1 is None:
        source = speaker(frame.clause_head()) or _main_subject(frame.trigger)
        if source is None or (frame.actor2 is not None and source.i == frame.actor2.i):
            return frame
        return replace(frame, actor1=source)
    if frame.actor1 is not None and frame.actor1.lower_ in PRONOUN_SUBJECTS:
        source = speaker(frame.clause_head())
        if source is not None and source.lower_ not in PRONOUN_SUBJECTS:
            return replace(frame, actor1=source)
    return frame
