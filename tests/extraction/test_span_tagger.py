"""The span tagger's features: noun chunks read per sentence, as spaCy's own chunks give them."""

from eventline.extraction.span_tagger import chunk_marks, sentence_noun_chunks
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
