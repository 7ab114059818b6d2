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


def test_tokenizer_safe_blanks_long_runs_and_keeps_every_offset(nlp) -> None:
    from eventline.nlp import KEPT_OF_RUN, KEPT_OF_WORD, parse, tokenizer_safe

    text = "Police fired. " + "[" * 5000 + "]" * 5000 + " Then " + "ab" * 600 + " ..."
    safe = tokenizer_safe(text)
    assert len(safe) == len(text)
    assert safe.split()[:4] == ["Police", "fired.", "[" * KEPT_OF_RUN, "]" * KEPT_OF_RUN]
    assert max(len(word) for word in safe.split()) == KEPT_OF_WORD
    assert tokenizer_safe("Ten killed... on Monday!!") == "Ten killed... on Monday!!"
    doc = parse(text)
    bracket = next(token for token in doc if token.text.startswith("["))
    assert bracket.idx == len("Police fired. ") and text[bracket.idx : bracket.idx + len(bracket)] == bracket.text


def test_the_lemma_index_as_sets_gives_spacys_own_lemmas(nlp) -> None:
    import importlib

    from eventline.nlp import MODEL_PACKAGE

    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert index and all(isinstance(words, frozenset) for words in index.values())
    shipped = importlib.import_module(MODEL_PACKAGE).load()  # its index as lists
    assert all(isinstance(words, list) for words in shipped.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    text = (
        "Insurgents ambushed convoys and were shelling villages; the ministries denied the "
        "accusations, saying gunmen had fled across rivers after the bombings."
    )
    lemmas = [(t.text, t.pos_, t.lemma_) for t in nlp(text)]
    assert lemmas == [(t.text, t.pos_, t.lemma_) for t in shipped(text)]
    assert ("ambushed", "VERB", "ambush") in lemmas
