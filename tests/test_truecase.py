"""All-capitals text gets a case the parser can read, at the same length."""

from __future__ import annotations

from eventline.truecase import mostly_capitals, restore_case

NAMES = {"guatemala", "mexico", "el salvador", "fmln"}


def is_name(phrase: str) -> bool:
    return phrase in NAMES


def test_ordinary_text_is_left_alone() -> None:
    text = "Rebels attacked a farm in Guatemala on Monday, the army said."
    assert not mostly_capitals(text)
    assert restore_case(text, is_name) is text


def test_capitals_are_lowered_with_names_titles_and_sentence_starts_kept() -> None:
    text = (
        "GUERRILLAS OF THE FARABUNDO MARTI FRONT (FMLN) ATTACKED A POST IN EL SALVADOR ON 2 FEBRUARY. "
        "PRESIDENT CRISTIANI MET WITH OFFICERS IN MEXICO."
    )
    cased = restore_case(text, is_name)
    assert len(cased) == len(text)
    assert cased.startswith("Guerrillas of the farabundo marti front (FMLN) attacked a post in El Salvador on 2 February.")
    assert "President Cristiani met with officers in Mexico." in cased
