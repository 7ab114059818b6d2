"""Token attributes of a parsed document as plain Python lists, read once per document.

spaCy builds a new `Token` object on every access (`doc[i]`, iterating a span), so a scan
that only needs a word's lemma or part of speech pays for an object it throws away. The
extraction scans every word of every sentence for triggers; reading the attributes from
`Doc.to_array` once per document and indexing lists makes that scan cheap, and only the few
words that start a frame become Tokens.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, POS
from spacy.tokens import Doc


@dataclass(frozen=True)
class TokenTable:
    """Per token index: lemma (as spaCy gives it and lower-cased), coarse part of speech,
    dependency label and the index of the syntactic head."""

    lemma: list[str]
    lemma_lower: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]

    def __len__(self) -> int:
        return len(self.lemma)


_tables: weakref.WeakKeyDictionary[Doc, TokenTable] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def token_table(doc: Doc) -> TokenTable:
    """The table of `doc`, built on first use and kept while the Doc lives."""
    with _lock:
        table = _tables.get(doc)
    if table is None:
        table = _build(doc)
        with _lock:
            _tables[doc] = table
    return table


# string-store keys are hashes of the strings, the same in every vocabulary: decoding one is
# slower than a dict look-up, so decoded keys are kept (a bounded set of words and labels)
_names: dict[int, str] = {}
MAX_NAMES = 500_000


def _decoded(doc: Doc, columns: list[list[int]]) -> list[list[str]]:
    global _names
    if len(_names) > MAX_NAMES:
        _names = {}
    names = _names
    strings = doc.vocab.strings
    for key in set().union(*columns).difference(names):
        names[key] = strings[key]
    return [list(map(names.__getitem__, column)) for column in columns]


def _build(doc: Doc) -> TokenTable:
    if not len(doc):
        return TokenTable([], [], [], [], [])
    columns = doc.to_array([LEMMA, POS, DEP, HEAD]).T
    lemma, pos, dep = _decoded(doc, columns[:3].tolist())
    offsets = columns[3].astype(numpy.int64)  # a head before its token wraps around
    head = (offsets + numpy.arange(len(doc), dtype=numpy.int64)).tolist()
    lemma_lower = [w.lower() for w in lemma]
    return TokenTable(lemma=lemma, lemma_lower=lemma_lower, pos=pos, dep=dep, head=head)
