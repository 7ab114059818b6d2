"""The actor a frame's word names, read with the dictionaries and the sentence around it."""

from __future__ import annotations

from eventline.pipeline import Pipeline

PIPELINE = Pipeline()


def _events(text: str):
    result = PIPELINE.extract_text(text, published="2024-03-06")
    for event in result.events:
        for actor in (event.actor1, event.actor2):
            if actor is not None:  # every actor points into the input
                assert text[actor.char_start : actor.char_end] == actor.text
    return result.events


def test_a_subject_no_dictionary_knows_is_the_people_of_its_of_phrase() -> None:
    (event,) = _events(
        "Druze inhabitants of the Syrian Golan Heights threatened to hold a general strike."
    )
    assert event.actor1 is not None
    assert (event.actor1.text, event.actor1.country) == (
        "Druze inhabitants of the Syrian Golan Heights",
        "SYR",
    )


def test_an_object_headed_by_a_thing_is_not_read_through_its_of_phrase() -> None:
    events = _events("Serbia demanded the withdrawal of Croatian forces.")
    assert [e.actor2.text for e in events if e.actor2] == ["Croatian forces"]


def test_coordinated_modifiers_give_each_member_its_own_words() -> None:
    events = _events("Hungarian and Romanian officials welcomed the Egyptian proposal.")
    members = sorted((e.actor1.text, e.actor1.code) for e in events if e.actor1)
    assert members == [("Hungarian", "HUNGOV"), ("Romanian officials", "ROUGOV")]


def test_a_sector_placed_in_several_states_is_one_actor_per_state() -> None:
    events = _events("The ambassadors of France and Germany welcomed the Egyptian proposal.")
    assert sorted(e.actor1.code for e in events if e.actor1) == ["DEUGOV", "FRAGOV"]


def test_a_town_named_as_an_actor_is_its_country_by_the_gazetteer() -> None:
    events = _events("The rebels threatened a new offensive in Abidjan.")
    targets = [e.actor2 for e in events if e.actor2 is not None]
    assert targets and targets[0].country == "CIV"
    assert (targets[0].origin or "").startswith("geonames:")


def test_the_speaker_acts_in_an_agentless_passive_speech_act() -> None:
    events = _events("The peace plan was rejected on Monday, Iran's foreign ministry said.")
    assert [(e.event_type, e.actor1.code) for e in events if e.actor1] == [("REJECT", "IRNGOV")]


def test_a_noun_event_carried_by_a_declaring_verb_is_its_subjects() -> None:
    events = _events("The Taliban declared a unilateral ceasefire in Afghanistan on Wednesday.")
    assert [e.actor1.text for e in events if e.actor1] == ["Taliban"]


def test_states_named_together_act_jointly_with_no_target_but_a_named_partner() -> None:
    events = _events("Jordan and Britain agreed to hold joint military exercises this month.")
    assert sorted((e.actor1.code, e.actor2) for e in events if e.actor1) == [
        ("GBR", None),
        ("JOR", None),
    ]
    events = _events("Jordan and Britain signed a trade agreement with Egypt on Monday.")
    assert {e.actor2.code for e in events if e.actor2} == {"EGY"}


def test_a_compound_actor_of_a_petrarch_dictionary_is_one_event_per_member(tmp_path) -> None:
    path = tmp_path / "mine.actors.txt"
    path.write_text("THE_SHIRE [FRO/BIL/SAM]\nGONDOR [GON]\n", encoding="utf-8")
    result = Pipeline(actor_files=[path]).extract_text(
        "The Shire welcomed a resumption of diplomatic ties with Gondor."
    )
    pairs = sorted((e.actor1.code, e.actor2.code) for e in result.events if e.actor1 and e.actor2)
    assert pairs == [("BIL", "GON"), ("FRO", "GON"), ("SAM", "GON")]


def test_a_tagged_target_phrase_is_named_by_the_words_that_name_its_actor() -> None:
    from eventline.extraction.actor_mentions import _named
    from eventline.nlp import load_nlp

    doc = load_nlp()("Officials met the militant group Hamas in Cairo.")
    assert _named(doc[2:6]).text == "Hamas"
    doc = load_nlp()("Guerrillas wounded two British soldiers who guarded the road.")
    assert _named(doc[2:9]).text == "British soldiers"
