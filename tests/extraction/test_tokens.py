"""Token attributes read from the parse's arrays (eventline.extraction.tokens)."""

from __future__ import annotations

from eventline.extraction.tokens import token_table


def test_table_agrees_with_spacy_tokens(nlp) -> None:
    doc = nlp(
        "Russian forces shelled the outskirts of Kharkiv on Monday, officials said.\n\n"
        "A hunger strike by detainees entered its third week."
    )
    table = token_table(doc)
    assert len(table) == len(doc)
    for tok in doc:
        assert table.lemma[tok.i] == tok.lemma_
        assert table.lemma_lower[tok.i] == tok.lemma_.lower()
        assert table.pos[tok.i] == tok.pos_
        assert table.dep[tok.i] == tok.dep_
        assert table.head[tok.i] == tok.head.i
    # heads both before and after their word are read back from the unsigned offsets
    assert any(h < i for i, h in enumerate(table.head)) and any(h > i for i, h in enumerate(table.head))


def test_table_is_built_once_per_document(nlp) -> None:
    first, second = nlp("Troops fired on protesters."), nlp("Troops fired on protesters.")
    assert token_table(first) is token_table(first)
    assert token_table(second) is not token_table(first)
    assert token_table(second) == token_table(first)


def test_empty_document(nlp) -> None:
    table = token_table(nlp(""))
    assert len(table) == 0 and table.head == []
