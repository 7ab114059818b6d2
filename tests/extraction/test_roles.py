from __future__ import annotations

import sys

from eventline.extraction.roles import phrase
from eventline.nlp import load_nlp


def test_a_phrase_thousands_of_tokens_deep_needs_no_recursion() -> None:
    # "the man's man's ... house": each possessive hangs under the next, so the tree under
    # the object is as deep as the chain
    doc = load_nlp()("Troops attacked the " + "man's " * (sys.getrecursionlimit() + 200) + "house.")
    verb = next(token for token in doc if token.lemma_ == "attack")
    target = next(child for child in verb.children if child.dep_ == "dobj")
    span = phrase(target)
    assert span.start <= target.i < span.end
