"""Aggregate statements: "66 strikes by Iran-backed militias on American troops since Oct. 17".

Such a sentence counts events over a period; it is kept as a claim record (count, actors,
period, source), never as one event and never as 66.
Reads: a frame and its sentence. Writes: whether the frame is an aggregate, and its count token.
"""

from __future__ import annotations

from spacy.tokens import Token

from eventline.extraction.frames import Frame


def count_token(frame: Frame) -> Token | None:
    head = frame.container or frame.trigger
    for child in head.children:
        if child.dep_ == "nummod" and child.like_num:
            return child
    return None


def is_aggregate(frame: Frame, period_attached: bool) -> bool:
    """A plural event noun with a number above one that is counted over a period, or stated to
    exist ("there have been 66 strikes"), is an aggregate claim."""
    if not frame.is_noun:
        return False
    head = frame.container or frame.trigger
    if head.tag_ not in ("NNS", "NNPS"):
        return False
    number = count_token(frame)
    if number is None:
        return False
    try:
        if float(number.text.replace(",", "")) < 2:
            return False
    except ValueError:
        pass  # number words ("dozens") are plural enough
    existential = head.dep_ in ("attr", "nsubj") and any(
        c.dep_ == "expl" for c in head.head.children
    )
    return period_attached or existential
