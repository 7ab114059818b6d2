"""ACLED types and QuadClass from the event model's heads, consistent with the PLOVER type
(eventline.extraction.acled)."""

from dataclasses import dataclass, field

import numpy as np
import pytest

from eventline.extraction import acled
from eventline.extraction.event_model import EventModel
from eventline.model import Event


@dataclass
class _Head:
    """Stands in for one label head: the same probabilities for every sentence."""

    probabilities: dict
    read: list = field(default_factory=list)

    @property
    def classes_(self):
        return np.array(list(self.probabilities))

    def predict_proba(self, texts):
        self.read.append(list(texts))
        return np.array([list(self.probabilities.values()) for _ in texts])


@dataclass
class _Model:
    heads: dict
    thresholds: dict = field(default_factory=dict)

    def type_thresholds(self) -> dict:
        return self.thresholds

    head_probabilities = EventModel.head_probabilities  # the real reading of the stand-in heads

    def candidate_reader(self) -> "_Model":  # no encoder-backed reader
        return self


def _event(event_type: str, group: str | None, sub_type: str | None, quad: int = 4) -> Event:
    return Event(
        id="e1", doc_id="d1", sentence="Something happened.", char_start=0, char_end=19,
        event_type=event_type, acled_event_type=group, acled_sub_event_type=sub_type, quad_class=quad,
    )  # fmt: skip


@pytest.fixture
def answers(monkeypatch):
    def use(sub_types: dict[str, float], quads: dict[int, float] | None = None) -> _Model:
        heads = {"acled_sub_event": _Head(sub_types)}
        if quads is not None:
            heads["quad_class"] = _Head(quads)
        model = _Model(heads)
        monkeypatch.setattr(acled, "_classifier", lambda: model)
        return model

    return use


def test_generic_type_takes_the_most_probable_answer_that_fits_the_plover_type(answers):
    # the head's best answer (an agreement) does not fit an ASSAULT; the best that fits is taken
    answers({"Agreement": 0.5, "Air/drone strike": 0.2, "Attack": 0.1, "Peaceful protest": 0.15})
    event = _event("ASSAULT", "Battles", "Armed clash")
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Air/drone strike"
    assert event.acled_event_type == "Explosions/Remote violence"


def test_cue_set_type_yields_only_to_a_probable_answer(answers):
    event = _event("ASSAULT", "Explosions/Remote violence", "Air/drone strike")
    answers({"Grenade": acled.MIN_PROBABILITY_CUE - 0.1, "Air/drone strike": 0.05})
    acled.refine_labels([event], [acled.CUE])
    assert event.acled_sub_event_type == "Air/drone strike"
    answers({"Grenade": acled.MIN_PROBABILITY_CUE + 0.1, "Air/drone strike": 0.05})
    acled.refine_labels([event], [acled.CUE])
    assert event.acled_sub_event_type == "Grenade"


def test_incompatible_acled_type_is_refused_but_types_outside_acled_fit_any_event(answers):
    event = _event("AGREE", "Strategic developments", "Agreement", quad=1)
    answers({"Peaceful protest": 0.9, "Agreement": 0.1})
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Agreement"
    answers({"Diplomatic event": 0.9, "Agreement": 0.1})
    acled.refine_labels([event], [acled.TRIGGER])
    assert (event.acled_event_type, event.acled_sub_event_type) == (acled.NOT_ACLED, "Diplomatic event")


def test_an_event_with_no_acled_type_takes_only_a_type_outside_acled(answers):
    event = _event("ACCUSE", None, None, quad=3)
    answers({"Armed clash": 0.7, "Attribution of responsibility": acled.MIN_PROBABILITY_NOT_ACLED - 0.05})
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.acled_sub_event_type is None
    answers({"Armed clash": 0.6, "Attribution of responsibility": acled.MIN_PROBABILITY_NOT_ACLED + 0.05})
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Attribution of responsibility"


def test_a_sentence_of_several_events_is_read_once(answers) -> None:
    model = answers({"Attack": 0.9, "Armed clash": 0.1})
    events = [_event("ASSAULT", "Battles", "Armed clash") for _ in range(3)]
    events[2].sentence = "Something else happened."
    acled.refine_labels(events, [acled.TRIGGER] * 3)
    assert model.heads["acled_sub_event"].read == [["Something happened.", "Something else happened."]]
    assert [e.acled_sub_event_type for e in events] == ["Attack"] * 3


def test_type_without_a_trigger_word_takes_the_answer_a_trigger_type_would_keep(answers):
    answers({"Abduction/forced disappearance": 0.1, "Sexual violence": 0.05, "Agreement": 0.85})
    event = _event("ASSAULT", "Violence against civilians", "Sexual violence")
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.acled_sub_event_type == "Sexual violence"
    acled.refine_labels([event], [acled.MODEL])
    assert event.acled_sub_event_type == "Abduction/forced disappearance"


def test_quad_class_is_the_heads_answer_within_the_types_family(answers):
    # REJECT is verbal conflict (3); the head says material (4): the same family, so 4
    answers({"Attack": 1.0}, {0: 0.1, 1: 0.05, 3: 0.35, 4: 0.5})
    event = _event("REJECT", None, None, quad=3)
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.quad_class == 4
    # the head's answer of another family (or none) leaves the type's family
    answers({"Attack": 1.0}, {0: 0.5, 1: 0.3, 2: 0.05, 3: 0.1, 4: 0.05})
    event = _event("REJECT", None, None, quad=3)
    acled.refine_labels([event], [acled.TRIGGER])
    assert event.quad_class == 3


def test_an_event_the_quad_head_reads_as_no_event_is_dropped_unless_its_type_is_strong(answers):
    model = answers({"Attack": 1.0}, {0: acled.NO_EVENT_QUAD, 3: 1.0 - acled.NO_EVENT_QUAD})
    model.thresholds = {"ACCUSE": 0.2}
    weak, strong, unthresholded = (_event(t, None, None, quad=3) for t in ("ACCUSE", "ACCUSE", "REJECT"))
    weak.confidence = acled.NO_EVENT_SHARE * 0.2 - 0.01
    strong.confidence = acled.NO_EVENT_SHARE * 0.2 + 0.01
    kept = acled.refine_labels([weak, strong, unthresholded], [acled.TRIGGER] * 3)
    assert kept == [strong, unthresholded]
    # with a user's verb patterns, every event stays
    assert acled.refine_labels([weak, strong], [acled.TRIGGER] * 2, drop_weak=False) == [weak, strong]
    # the head's class 0 under the bar keeps every event
    model = answers({"Attack": 1.0}, {0: acled.NO_EVENT_QUAD - 0.01, 3: 1.01 - acled.NO_EVENT_QUAD})
    model.thresholds = {"ACCUSE": 0.2}
    assert acled.refine_labels([weak], [acled.TRIGGER]) == [weak]


def test_a_sentence_every_event_of_which_would_be_dropped_needs_no_parse() -> None:
    thresholds = {"ACCUSE": 0.2, "ASSAULT": 0.3}
    weak = {"ACCUSE": acled.NO_EVENT_SHARE * 0.2 - 0.01, "ASSAULT": acled.NO_EVENT_SHARE * 0.3 - 0.01}
    assert acled.drops_every_event(weak, acled.NO_EVENT_QUAD, thresholds)
    # the QuadClass head under its bar keeps every event
    assert not acled.drops_every_event(weak, acled.NO_EVENT_QUAD - 0.01, thresholds)
    # a strong type may be the type of an event (its trigger's, or the model's retype)
    strong = {**weak, "ASSAULT": acled.NO_EVENT_SHARE * 0.3 + 0.01}
    assert not acled.drops_every_event(strong, 1.0, thresholds)
    # an event of a type without a threshold is never dropped
    assert not acled.drops_every_event({**weak, "REJECT": 0.01}, 1.0, thresholds)
