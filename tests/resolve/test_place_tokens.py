"""The per-document token table read by the place-mention finder."""

from __future__ import annotations

from eventline.resolve.place_tokens import doc_tokens

TEXT = (
    "HARTFORD — Police in Paris, Texas, said Mr. John Brown of 12 Main St. was arrested.\n"
    "The U.S. Army moved 3,000 troops to northern Syria on Monday."
)


def test_columns_match_the_token_attributes(nlp) -> None:
    doc = nlp(TEXT)
    tokens = doc_tokens(doc)
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


def test_entities_and_span_text_match_spacy(nlp) -> None:
    doc = nlp(TEXT)
    tokens = doc_tokens(doc)
    assert tokens.ents == [(e.start, e.end, e.label_) for e in doc.ents]
    for start, end, _ in tokens.ents:
        assert tokens.span_text(start, end) == doc[start:end].text
        assert all(tokens.ent_at[i] == (start, end, tokens.ent_at[i][2]) for i in range(start, end))
    assert tokens.span_text(2, 2) == ""


def test_empty_document(nlp) -> None:
    tokens = doc_tokens(nlp(""))
    assert len(tokens) == 0 and tokens.ents == []
