"""The words around an ambiguous trigger noun say which sense it has (eventline.extraction.senses)."""

from __future__ import annotations

import pytest

from eventline.extraction.frames import FrameFinder
from eventline.extraction.senses import sense_of
from eventline.nlp import load_nlp


def _sense(text: str, noun: str) -> str | None:
    """The event type the cues around `noun` give: "none" for no event, None for no cue."""
    for sent in load_nlp()(text).sents:
        for frame in FrameFinder().find(sent):
            if frame.trigger.lower_ == noun:
                sense = sense_of(frame)
                if sense is None:
                    return None
                return "none" if sense.etype is None else sense.etype.event_type
    raise AssertionError(f"no frame at {noun!r} in {text!r}")


@pytest.mark.parametrize(
    ("text", "noun", "sense"),
    [
        ("The Turkish strike on the depot came after midnight.", "strike", "ASSAULT"),
        ("A drone strike near the border wounded two guards on Friday.", "strike", "ASSAULT"),
        ("Nurses at the clinic began a strike on Tuesday.", "strike", "PROTEST"),
        ("The miners' strike entered its third week.", "strike", "PROTEST"),
        ("A strike by bus drivers left the city without transport.", "strike", "PROTEST"),
        ("The old farmer died of a heart attack in hospital.", "attack", "none"),
        ("Rovers beat Athletic 3-1 at home on Saturday.", "beat", "none"),
        ("The two clubs battled to a 2-2 draw in the rain.", "battled", "none"),
        ("Dock workers struck for a second day on Tuesday.", "struck", "PROTEST"),
        ("The bakery fired forty employees at its shop in March.", "fired", "none"),
        ("The crew shot the documentary in the desert.", "shot", "none"),
        ("Gondor struck a trade deal with Rohan on Friday.", "struck", "none"),
    ],
)
def test_the_words_around_a_noun_mark_its_sense(text: str, noun: str, sense: str) -> None:
    assert _sense(text, noun) == sense


def test_a_noun_without_cues_or_with_cues_of_two_senses_is_left_to_the_model() -> None:
    assert _sense("The strike began before dawn.", "strike") is None
    # a country and a trade at once: no one sense
    assert _sense("The Greek strike by dockers began on Monday.", "strike") is None
    # shooting at someone is no dismissal, whatever the object
    assert _sense("The mayor was fired upon outside the town hall.", "fired") is None
    # a range that counts people is no score
    assert _sense("Guards beat 2-3 prisoners in the yard on Monday.", "beat") is None


def test_a_sense_gives_the_type_of_its_lexicon_entry() -> None:
    text = "Nurses at the clinic began a strike on Tuesday."
    frame = next(f for s in load_nlp()(text).sents for f in FrameFinder().find(s))
    sense = sense_of(frame)
    assert sense is not None and sense.etype is not None
    assert (sense.etype.event_type, sense.etype.cameo) == ("PROTEST", "143")
