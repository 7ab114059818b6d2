"""The event model decides the events, frames give their structure (eventline.extraction.decision)."""

from eventline.extraction import decision
from eventline.extraction.frames import FrameFinder
from eventline.nlp import load_nlp


def _sent(text: str):
    return next(iter(load_nlp()(text).sents))


def test_no_words_or_another_language_cannot_be_scored():
    assert decision.unscorable("  \n --- ")[0] == "W107"
    french = (
        "Les forces de sécurité ont arrêté douze manifestants dans la capitale samedi soir, "
        "selon un communiqué publié par le ministère de l'Intérieur du pays."
    )
    assert decision.unscorable(french)[0] == "W108"
    english = (
        "Security forces arrested twelve protesters in the capital on Saturday night, "
        "according to a statement published by the country's interior ministry."
    )
    assert decision.unscorable(english) is None


# every bar is a multiple of a type's threshold: ASSAULT 0.3, ACCUSE 0.2, AID 0.25 here
THRESHOLDS = decision.Thresholds({"ASSAULT": 0.3, "ACCUSE": 0.2, "AID": 0.25}, 0.4)


def test_a_frame_keeps_its_type_and_takes_the_models_probability_as_confidence():
    (frame,) = FrameFinder().find(_sent("Rebels attacked an army post near Gao."))
    assert frame.etype.event_type == "ASSAULT"
    own = 0.3 * decision.RETYPE_FRAME  # the frame's type at the bar: kept however sure the model
    kept, p = decision.typed(frame, {"ASSAULT": own, "ACCUSE": 0.95}, THRESHOLDS)
    assert kept is frame and p == own
    sure_enough = 0.2 * decision.RETYPE_MODEL - 0.01  # the other type just short of its bar
    assert decision.typed(frame, {"ASSAULT": 0.01, "ACCUSE": sure_enough}, THRESHOLDS) == (frame, 0.01)
    assert decision.coded_types(None) == {}


def test_the_model_retypes_a_frame_only_when_sure_and_never_a_users_verb():
    (frame,) = FrameFinder().find(_sent("Rebels attacked an army post near Gao."))
    little = 0.3 * decision.RETYPE_FRAME - 0.01
    sure = 0.2 * decision.RETYPE_MODEL + 0.01
    retyped, p = decision.typed(frame, {"ASSAULT": little, "ACCUSE": sure}, THRESHOLDS)
    assert retyped.etype.event_type == "ACCUSE" and retyped.etype.mode is None and p == sure
    assert retyped.trigger is frame.trigger and frame.etype.event_type == "ASSAULT"
    frame.user_coded = True
    assert decision.typed(frame, {"ASSAULT": little, "ACCUSE": sure}, THRESHOLDS) == (frame, little)


def test_an_event_without_a_trigger_word_needs_a_probability_of_its_own():
    def bar(event_type: str) -> float:
        share = THRESHOLDS.of(event_type) * decision.TRIGGERLESS_SHARE
        return max(decision.TRIGGERLESS_FLOOR, share)

    assert decision.untriggered_type({"ASSAULT": 0.05, "AID": 0.02}, THRESHOLDS) is None
    assert decision.untriggered_type({"ACCUSE": bar("ACCUSE") - 0.01}, THRESHOLDS) is None
    found = decision.untriggered_type(
        {"ACCUSE": bar("ACCUSE") + 0.2, "AID": bar("AID") + 0.01}, THRESHOLDS
    )
    assert found is not None and found.event_type == "ACCUSE"
    # a more probable type under its own (higher) bar does not count
    found = decision.untriggered_type(
        {"ASSAULT": bar("ASSAULT") - 0.01, "ACCUSE": bar("ACCUSE") + 0.01}, THRESHOLDS
    )
    assert bar("ASSAULT") - 0.01 > bar("ACCUSE") + 0.01
    assert found is not None and found.event_type == "ACCUSE"


def test_a_type_without_a_threshold_of_its_own_takes_the_default():
    assert THRESHOLDS.of("SANCTION") == 0.4 and THRESHOLDS.share("ASSAULT", 0.6) == 2.0


def test_an_event_without_a_trigger_word_is_read_at_the_reported_clause():
    sent = _sent("Police said they detained twelve people.")
    assert decision.main_clause_word(sent).lemma_ == "detain"
    assert decision.main_clause_word(_sent("The ministers signed a deal.")).lemma_ == "sign"


def test_every_plover_type_has_a_default_reading():
    from eventline.training.event_data import PLOVER_TYPES

    for event_type in PLOVER_TYPES:
        default = decision.default_type(event_type)
        assert default is not None and default.event_type == event_type and default.mode is None


def test_a_relation_the_model_reads_no_event_in_gives_none():
    text = "Gondor sent arms to the rebels it supports in the north."
    frame = next(f for f in FrameFinder().find(_sent(text)) if f.trigger.lower_ == "supports")
    weak = decision.RELATION_SHARE * THRESHOLDS.of("SUPPORT") - 0.01
    assert decision.weak_relation(frame, weak, THRESHOLDS, has_time=False)
    # the model reads the type: the relation is coded; a time of its own makes it an act
    assert not decision.weak_relation(frame, THRESHOLDS.of("SUPPORT"), THRESHOLDS, has_time=False)
    assert not decision.weak_relation(frame, weak, THRESHOLDS, has_time=True)
    frame.user_coded = True
    assert not decision.weak_relation(frame, weak, THRESHOLDS, has_time=False)


def test_a_noun_whose_words_fix_its_sense_is_not_retyped():
    (frame,) = FrameFinder().find(_sent("The Turkish strike on the depot came after midnight."))
    little = 0.3 * decision.RETYPE_FRAME - 0.01
    sure = 0.2 * decision.RETYPE_MODEL + 0.01
    assert decision.typed(frame, {"ASSAULT": little, "ACCUSE": sure}, THRESHOLDS)[0] is not frame
    kept = decision.typed(frame, {"ASSAULT": little, "ACCUSE": sure}, THRESHOLDS, sense_fixed=True)
    assert kept == (frame, little)
