"""Who did what to whom, read from the parse."""

from __future__ import annotations

import pytest

from eventline.extraction.frames import FrameFinder
from eventline.extraction.roles import phrase


@pytest.fixture(scope="module")
def finder() -> FrameFinder:
    return FrameFinder()


def frames(nlp, finder: FrameFinder, text: str):
    doc = nlp(text)
    return [f for sent in doc.sents for f in finder.find(sent)]


def roles(frame) -> tuple[str | None, str, str | None]:
    a1 = phrase(frame.actor1).text if frame.actor1 is not None else None
    a2 = phrase(frame.actor2).text if frame.actor2 is not None else None
    return a1, frame.etype.event_type, a2


def test_active_verb(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Rebels attacked an army convoy near Gao.")
    assert roles(frame) == ("Rebels", "ASSAULT", "army")
    assert frame.target is not None and frame.target.lemma_ == "convoy"


def test_passive_with_agent(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Five protesters were arrested by police in Lagos.")
    assert roles(frame) == ("police", "COERCE", "protesters")


def test_light_verb_carries_noun_trigger(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "The United States conducted airstrikes against Iranian proxies.")
    assert roles(frame) == ("United States", "ASSAULT", "Iranian proxies")
    assert frame.etype.mode == "aerial"


def test_noun_trigger_with_modifier_actor_and_target(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "An Israeli airstrike on Hamas fighters hit a school.")
    a1, event, _ = roles(frame)
    assert (a1, event) == ("Israeli", "ASSAULT")


def test_facility_owner_is_the_target(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Warplanes struck two depots used by the Houthis.")
    assert phrase(frame.actor2).text == "Houthis"
    assert frame.target is not None and frame.target.lemma_ == "depot"


def test_weapon_cue_refines_mode(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Militants fired rockets at the base.")
    assert frame.etype.mode == "heavy-weapons"
    assert frame.etype.acled_sub_event_type == "Shelling/artillery/missile attack"
    assert frame.actor2 is None or frame.actor2.lemma_ != "rocket"


def test_coordinated_triggers_are_one_event(nlp, finder) -> None:
    found = frames(nlp, finder, "A gunship fired on and killed three militants.")
    assert len(found) == 1
    assert found[0].etype.mode == "aerial"


def test_symmetric_clash_splits_conjoined_subjects(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Government troops and rebels clashed in Goma on Friday.")
    assert frame.split_conjuncts
    assert phrase(frame.actor1, conjuncts=False).text == "Government troops"
    assert phrase(frame.actor2).text == "rebels"


def test_compound_modifier_is_not_a_trigger(nlp, finder) -> None:
    found = frames(nlp, finder, "The president rejected the bombing options.")
    assert [f.etype.event_type for f in found] == ["REJECT"]


def test_sequence_pronoun_is_a_new_event(nlp, finder) -> None:
    found = frames(nlp, finder, "The U.S. strikes followed others last week in eastern Syria.")
    sequence = [f for f in found if f.sequence_of is not None]
    assert len(sequence) == 1 and sequence[0].trigger.lower_ == "others"


def test_recipient_of_cooperation_hangs_on_the_object(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Sri Lanka restored diplomatic ties with Iran on Monday.")
    assert frame.actor1 is not None and frame.actor1.text == "Lanka"
    assert [t.text for t in frame.recipients] == ["Iran"]


def test_indirect_object_is_a_recipient(nlp, finder) -> None:
    found = [f for f in frames(nlp, finder, "Finland gave Tanzania a grant of 5 million dollars.") if f.trigger.lemma_ == "give"]
    assert found and "Tanzania" in [t.text for t in found[0].recipients]


def test_attacks_get_no_recipients(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Rebels attacked the town with rockets.")
    assert frame.recipients == []


def test_subject_of_adjectival_complement(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Syria is willing to withdraw its troops from Lebanon.")
    assert frame.actor1 is not None and frame.actor1.text == "Syria"


def test_condemned_attack_targets_the_attacker(nlp, finder) -> None:
    found = frames(nlp, finder, "The government condemned an attack by rebel fighters on Thursday.")
    condemn = next(f for f in found if f.trigger.lemma_ == "condemn")
    assert condemn.actor2 is not None and condemn.actor2.text == "fighters"


def test_coordinated_acts_of_different_kinds_stay_apart(nlp, finder) -> None:
    found = frames(nlp, finder, "The government condemned the attack and promised aid to the villages.")
    assert {f.etype.event_type for f in found} >= {"ACCUSE", "AGREE"}


def test_target_in_a_prepositional_tail_is_a_later_nominal(nlp, finder) -> None:
    (frame,) = frames(nlp, finder, "Albania denounced the suppression of unrest by Serbia.")
    assert frame.actor2 is None or frame.actor2.text != "Serbia"
    assert "Serbia" in [t.text for t in frame.later]


def test_a_verb_that_carries_an_event_noun_gives_its_subject(nlp, finder) -> None:
    (visit,) = frames(nlp, finder, "The Kenyan foreign minister arrived in Kampala on a two-day visit.")
    assert roles(visit)[:2] == ("Kenyan foreign minister", "CONSULT")
    (rally,) = [
        f
        for f in frames(nlp, finder, "Thousands of farmers gathered on Friday for a rally in Accra.")
        if f.trigger.lower_ == "rally"
    ]
    assert roles(rally)[0] == "farmers"


def test_an_event_noun_keeps_no_victim_as_its_actor(nlp, finder) -> None:
    # "died in an attack": the subject of the carrying verb is a victim, not the attacker
    (attack,) = [
        f for f in frames(nlp, finder, "Four villagers died in an attack on a market.")
        if f.trigger.lower_ == "attack"
    ]
    assert attack.actor1 is None
