"""The shared spaCy pipeline's own component and the cached document text (eventline.nlp)."""

from __future__ import annotations

from eventline.nlp import remember_text, text_of


def test_a_blank_line_ends_a_sentence(nlp) -> None:
    doc = nlp("Rebels seize town in the north\n\nGunmen attacked the market on Monday.\nIt burned.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Rebels seize town in the north"
    assert sentences[1].startswith("Gunmen attacked")


def test_text_of_is_the_parsed_text(nlp) -> None:
    text = "  Troops  shelled\tthe village.\n\nNo one was hurt. "
    doc = remember_text(nlp(text), text)
    assert text_of(doc) == doc.text == text
    assert text_of(nlp(text)) == text  # rebuilt from the tokens when nothing was recorded
