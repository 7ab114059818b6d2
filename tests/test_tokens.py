"""The per-document table of token attributes read from the parse's arrays (eventline.tokens)."""

from __future__ import annotations

from eventline.tokens import token_table

TEXT = (
    "HARTFORD — Police in Paris, Texas, said Mr. John Brown of 12 Main St. was arrested.\n"
    "The U.S. Army moved 3,000 troops to northern Syria on Monday."
)


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
    assert any(h < i for i, h in enumerate(table.head)) and any(
        h > i for i, h in enumerate(table.head)
    )


def test_columns_match_the_token_attributes(nlp) -> None:
    doc = nlp(TEXT)
    tokens = token_table(doc)
    assert len(tokens) == len(doc)
    for token in doc:
        i = token.i
        assert tokens.text[i] == token.text
        assert tokens.lower[i] == token.lower_
        assert tokens.text_with_ws[i] == token.text_with_ws
        assert tokens.ent_type[i] == token.ent_type_
        assert tokens.ent_iob[i] == token.ent_iob_
        assert tokens.pos[i] == token.pos_
        assert tokens.sent_start[i] == bool(token.is_sent_start)
        assert (tokens.is_punct[i], tokens.is_alpha[i]) == (token.is_punct, token.is_alpha)
        assert (tokens.is_stop[i], tokens.like_num[i]) == (token.is_stop, token.like_num)
        assert tokens.lemma[i] == token.lemma_ and tokens.dep[i] == token.dep_
        assert tokens.head[i] == token.head.i
        assert tokens.capitalised(i) == token.text[:1].isupper()


def test_entities_and_span_text_match_spacy(nlp) -> None:
    doc = nlp(TEXT)
    tokens = token_table(doc)
    assert tokens.ents == [(e.start, e.end, e.label_) for e in doc.ents]
    for start, end, _ in tokens.ents:
        assert tokens.span_text(start, end) == doc[start:end].text
        assert all(tokens.ent_at[i] == (start, end, tokens.ent_at[i][2]) for i in range(start, end))
    assert tokens.span_text(2, 2) == ""


def test_table_is_built_once_per_document(nlp) -> None:
    first, second = nlp("Troops fired on protesters."), nlp("Troops fired on protesters.")
    assert token_table(first) is token_table(first)
    assert token_table(second) is not token_table(first)
    assert token_table(second) == token_table(first)


def test_the_table_does_not_keep_its_document_alive(nlp) -> None:
    import gc
    import weakref

    doc = nlp("Troops fired on protesters.")
    token_table(doc)
    gone = weakref.ref(doc)
    del doc
    gc.collect()
    assert gone() is None


def test_empty_document(nlp) -> None:
    table = token_table(nlp(""))
    assert len(table) == 0 and table.head == []
    assert table.ents == [] and table.text == [] and table.ent_at == {}
