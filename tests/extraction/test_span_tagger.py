"""The span tagger: its features (noun chunks read per sentence, as spaCy gives them; token attributes read from the token table) and its spans."""

from eventline.extraction.span_tagger import (
    chunk_marks,
    load_tagger,
    marked_features,
    sentence_noun_chunks,
)
from eventline.nlp import load_nlp

TEXT = (
    "Government troops shelled the rebel positions near the old market on Monday. "
    "The ministers of Kenya and Uganda met the envoys in Nairobi. "
    "Police arrested twelve protesters and their leader after the march."
)


def test_noun_chunks_of_a_sentence_are_those_spacy_gives() -> None:
    doc = load_nlp()(TEXT)
    for sent in doc.sents:
        expected = [(c.start, c.end, c.label_) for c in sent.noun_chunks]
        assert expected and [(c.start, c.end, c.label_) for c in sentence_noun_chunks(sent)] == expected


def test_chunk_marks_of_a_sentence_cover_only_its_tokens() -> None:
    doc = load_nlp()(TEXT)
    sents = list(doc.sents)
    marks = chunk_marks(sents[1])
    assert marks and all(sents[1].start <= i < sents[1].end for i in marks)


def test_token_features_read_what_spacy_tokens_say() -> None:
    doc = load_nlp()("Rebels in NORTHERN Mali attacked an army base on Tuesday. The U.N. said 12 died.")
    sent = list(doc.sents)[1]
    rows = marked_features(sent, {})
    assert len(rows) == len(sent)
    for tok, row in zip(sent, rows, strict=True):
        shape = "X" if tok.is_title else "XX" if tok.is_upper else "x" if tok.is_lower else "d"
        for name in (
            "w=" + tok.lower_, "l=" + tok.lemma_.lower(), "p=" + tok.pos_, "t=" + tok.tag_,
            "d=" + tok.dep_, "hd=" + tok.head.dep_, "hp=" + tok.head.pos_, "s=" + shape,
            "e=" + (tok.ent_type_ or "-") + tok.ent_iob_,
        ):  # fmt: skip
            assert row[name] == 1, (tok.text, name)
        for offset in (-1, 1):
            j = tok.i + offset
            assert (f"{offset}w=" + doc[j].lower_ in row) if 0 <= j < len(doc) else (f"{offset}edge" in row)


def test_targets_alone_are_the_targets_of_both_roles() -> None:
    tagger = load_tagger()
    assert tagger is not None and tagger.targets is not None
    doc = load_nlp()(TEXT)
    for sent in doc.sents:
        both = [(span.start, span.end) for role, span in tagger.spans(sent) if role == "T"]
        alone = tagger.spans(sent, roles=("T",))
        assert [(span.start, span.end) for _, span in alone] == both
        assert {role for role, _ in alone} <= {"T"}
    assert any(tagger.spans(sent, roles=("T",)) for sent in doc.sents)
