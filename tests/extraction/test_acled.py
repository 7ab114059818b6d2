"""How the event model's ACLED types are weighed against the rules' (eventline.extraction.acled)."""

from dataclasses import dataclass

import pytest

from eventline.extraction import acled
from eventline.model import Event


@dataclass
class _Answers:
    """Stands in for the event model: one fixed answer for every sentence."""

    sub_type: str
    group: str
    probability: float
    heads: tuple[str, ...] = ("acled_sub_event",)

    def predict(self, texts):
        answer = {
            "acled_sub_event": (self.sub_type, self.probability),
            "acled_event": (self.group, self.probability),
        }
        return [dict(answer) for _ in texts]


def _event(event_type: str, group: str, sub_type: str) -> Event:
    return Event(
        id="e1", doc_id="d1", sentence="Something happened.", char_start=0, char_end=19,
        event_type=event_type, acled_event_type=group, acled_sub_event_type=sub_type,
    )  # fmt: skip


@pytest.fixture
def answers(monkeypatch):
    def use(sub_type: str, group: str, probability: float) -> None:
        monkeypatch.setattr(acled, "_classifier", lambda: _Answers(sub_type, group, probability))

    return use


def test_generic_type_takes_the_classifiers_answer(answers):
    answers("Air/drone strike", "Explosions/Remote violence", 0.2)
    event = _event("ASSAULT", "Battles", "Armed clash")
    acled.refine_acled_types([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Air/drone strike"
    assert event.acled_event_type == "Explosions/Remote violence"


def test_cue_set_type_yields_only_to_a_confident_answer(answers):
    answers("Grenade", "Explosions/Remote violence", acled.MIN_PROBABILITY_CUE - 0.1)
    event = _event("ASSAULT", "Explosions/Remote violence", "Air/drone strike")
    acled.refine_acled_types([event], [acled.CUE])
    assert event.acled_sub_event_type == "Air/drone strike"
    answers("Grenade", "Explosions/Remote violence", acled.MIN_PROBABILITY_CUE + 0.1)
    acled.refine_acled_types([event], [acled.CUE])
    assert event.acled_sub_event_type == "Grenade"


def test_incompatible_acled_type_is_refused_but_types_outside_acled_fit_any_event(answers):
    answers("Peaceful protest", "Protests", 0.9)
    event = _event("AGREE", "Strategic developments", "Agreement")
    acled.refine_acled_types([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Agreement"
    answers("Diplomatic event", acled.NOT_ACLED, 0.9)
    acled.refine_acled_types([event], [acled.TRIGGER])
    assert (event.acled_event_type, event.acled_sub_event_type) == (
        acled.NOT_ACLED,
        "Diplomatic event",
    )


def test_a_sentence_of_several_events_is_read_once(monkeypatch) -> None:
    read: list[list[str]] = []

    class Counting(_Answers):
        def predict(self, texts):
            read.append(list(texts))
            return super().predict(texts)

    monkeypatch.setattr(acled, "_classifier", lambda: Counting("Attack", "Violence against civilians", 0.9))
    events = [_event("ASSAULT", "Battles", "Armed clash") for _ in range(3)]
    events[2].sentence = "Something else happened."
    acled.refine_acled_types(events, [acled.TRIGGER] * 3)
    assert read == [["Something happened.", "Something else happened."]]
    assert [e.acled_sub_event_type for e in events] == ["Attack"] * 3


def test_type_without_a_trigger_word_takes_the_answer_a_trigger_type_would_keep(answers):
    answers("Abduction/forced disappearance", "Violence against civilians", 0.1)
    event = _event("ASSAULT", "Violence against civilians", "Sexual violence")
    acled.refine_acled_types([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Sexual violence"
    acled.refine_acled_types([event], [acled.MODEL])
    assert event.acled_sub_event_type == "Abduction/forced disappearance"
