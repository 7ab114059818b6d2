from __future__ import annotations

import sys

from eventline.extraction.roles import later_nominals, phrase
from eventline.nlp import load_nlp


def test_a_phrase_thousands_of_tokens_deep_needs_no_recursion() -> None:
    # "the man's man's ... house": each possessive hangs under the next, so the tree under
    # the object is as deep as the chain
    doc = load_nlp()("Troops attacked the " + "man's " * (sys.getrecursionlimit() + 200) + "house.")
    verb = next(token for token in doc if token.lemma_ == "attack")
    target = next(child for child in verb.children if child.dep_ == "dobj")
    span = phrase(target)
    assert span.start <= target.i < span.end


def _later(text: str, trigger_lemma: str) -> list[str]:
    doc = load_nlp()(text)
    trigger = next(token for token in doc if token.lemma_ == trigger_lemma)
    return [t.text for t in later_nominals(trigger, trigger, set())]


def test_later_nominals_come_in_text_order_with_state_modifiers_after_their_noun() -> None:
    found = _later("Ivory Coast rebels rejected a Senegalese peace plan on Friday.", "reject")
    assert found[:2] == ["plan", "Senegalese"]


def test_later_nominals_leave_out_clauses_of_other_events_but_keep_conditions() -> None:
    resigned = _later(
        "The president resigned as the opposition threatened to storm his residence in Tbilisi.",
        "resign",
    )
    assert "Tbilisi" not in resigned and "opposition" not in resigned
    threatened = _later(
        "Iran threatened to launch a new offensive unless Baghdad accepted its conditions.",
        "threaten",
    )
    assert threatened.index("offensive") < threatened.index("Baghdad")


def test_the_passive_subject_of_a_raising_verb_does_its_complement() -> None:
    from eventline.extraction.roles import subject

    for text, verb, who in (
        ("Gollum was seen to break into the parade.", "break", "Gollum"),
        ("The troops were ordered to withdraw from the town.", "withdraw", "troops"),
    ):
        doc = load_nlp()(text)
        found = subject(next(t for t in doc if t.lemma_ == verb))
        assert found is not None and found.text == who, text
