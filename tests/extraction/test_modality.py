"""Negated, hypothetical, generic and anaphoric statements yield no event."""

from __future__ import annotations

import pytest

from eventline.extraction.frames import FrameFinder
from eventline.extraction.modality import describes_relation, judge


def verdicts(nlp, text: str) -> list[str]:
    doc = nlp(text)
    out = []
    for sent in doc.sents:
        for frame in FrameFinder().find(sent):
            out.append(judge(frame, has_time=False, has_place=False).reason or "factual")
    return out


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The army did not attack the village.", "negated"),
        ("Rebels could attack the town.", "hypothetical"),
        ("Israel might strike Iran.", "hypothetical"),
        ("The group threatened to attack the convoy.", "hypothetical"),
        ("If the militia attacked, the army would respond.", "hypothetical"),
        ("Did the rebels attack the base?", "hypothetical"),
        ("Insurgents have been shelling the town for months.", "generic"),
        ("The army repeatedly shelled the town.", "generic"),
        ("The strikes came as tensions rose.", "anaphoric"),
        ("Mordor is not a pleasant place to visit.", "hypothetical"),
    ],
)
def test_not_factual(nlp, text: str, reason: str) -> None:
    assert reason in verdicts(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels attacked the army base.",
        "Police arrested twelve protesters.",
        "An attack on the convoy killed five soldiers.",
        "The minister who visited Kyiv met the president.",
    ],
)
def test_factual(nlp, text: str) -> None:
    assert verdicts(nlp, text)[0] == "factual"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Israel will strike Iran.", "intent"),
        ("Norway is willing to send aid to Syria.", "intent"),
        ("Syria will not accept any more refugees.", "refusal"),
        ("Officials said Iraq must release the prisoners.", "demand"),
    ],
)
def test_statements_about_actions(nlp, text: str, reason: str) -> None:
    assert reason in verdicts(nlp, text)


def _relations(nlp, text: str, trigger: str, *, has_time: bool = False) -> bool:
    frame = next(
        f for s in nlp(text).sents for f in FrameFinder().find(s) if f.trigger.lower_ == trigger
    )
    return describes_relation(frame, has_time=has_time)


def test_a_present_clause_on_a_noun_describes_a_relation(nlp) -> None:
    assert _relations(nlp, "Gondor sent arms to the rebels it supports in the north.", "supports")
    # an act: past tense, a main clause, or a time of its own
    assert not _relations(nlp, "Gondor sent arms to the rebels it supported in the north.", "supported")
    assert not _relations(nlp, "Gondor supports the rebels in the north.", "supports")
    assert not _relations(
        nlp, "Gondor sent arms to the rebels it supports in the north.", "supports", has_time=True
    )
