"""Token attributes of a parsed document as plain Python lists, read once per document.

spaCy builds a new `Token` object on every access (`doc[i]`, iterating a span), and each
string attribute is a look-up in the string store. Every stage after the parse scans the
words of a document by position: the extraction looks at every word of every sentence for
triggers and walks the heads of the parse, the place-mention finder reads the text, case,
entity tags and word kinds of every token several times over. `token_table` reads all of
those columns with one `Doc.to_array` call per document and keeps the table while the Doc
lives, so the stages index plain lists and build Tokens or spans only for the words and
mentions they keep.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, fields

import numpy
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IS_ALPHA,
    IS_PUNCT,
    IS_STOP,
    LEMMA,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.tokens import Doc

# the string columns first: they are decoded together
_STRING_COLUMNS = [ORTH, LOWER, LEMMA, POS, DEP, ENT_TYPE, TAG]
_OTHER_COLUMNS = [HEAD, ENT_IOB, SENT_START, SPACY, IS_PUNCT, IS_ALPHA, IS_STOP, LIKE_NUM]
_COLUMNS = _STRING_COLUMNS + _OTHER_COLUMNS
# spaCy's codes for ENT_IOB: 0 unset, 1 inside, 2 outside, 3 begin
_IOB = ("", "I", "O", "B")


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Column lists indexed by token position (`token.i`).

    The table holds no reference to its Doc: it is cached under the Doc in a weak mapping,
    and a reference back would keep every Doc alive.
    """

    text: list[str]
    lower: list[str]
    text_with_ws: list[str]
    # the lemma as spaCy gives it and lower-cased
    lemma: list[str]
    lemma_lower: list[str]
    # coarse and fine part of speech, dependency label, index of the syntactic head
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent_type: list[str]
    ent_iob: list[str]
    sent_start: list[bool]
    is_punct: list[bool]
    is_alpha: list[bool]
    is_stop: list[bool]
    like_num: list[bool]
    # every entity as (start, end, label), in document order
    ents: list[tuple[int, int, str]]
    # position -> the entity holding it, for tokens inside an entity
    ent_at: dict[int, tuple[int, int, str]]

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start..end-1, as `Span.text` gives it."""
        if end <= start:
            return ""
        return "".join(self.text_with_ws[start : end - 1]) + self.text[end - 1]

    def capitalised(self, i: int) -> bool:
        return self.text[i][:1].isupper()


_tables: weakref.WeakKeyDictionary[Doc, TokenTable] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def token_table(doc: Doc) -> TokenTable:
    """The table of `doc`, built on first use and kept while the Doc lives."""
    with _lock:
        table = _tables.get(doc)
    if table is None:
        # built outside the lock: two threads on one Doc build equal tables, and the one
        # stored last is the one kept
        table = _build(doc)
        with _lock:
            _tables[doc] = table
    return table


# string-store keys are hashes of the strings, the same in every vocabulary: decoding one is
# slower than a dict look-up, so decoded keys are kept (a bounded set of words and labels)
_names: dict[int, str] = {}
MAX_NAMES = 500_000


def _decoded(doc: Doc, block: numpy.ndarray) -> list[list[str]]:
    """The string columns of `block` (one row per token) as lists of strings: each distinct
    key is decoded once, and the lists are built by indexing an array of the decoded words."""
    global _names
    if len(_names) > MAX_NAMES:
        _names = {}
    names = _names
    strings = doc.vocab.strings
    keys, inverse = numpy.unique(block, return_inverse=True)
    words = []
    for key in keys.tolist():
        word = names.get(key)
        if word is None:
            word = names[key] = strings[key]  # key 0 (no entity type, no label) decodes to ""
        words.append(word)
    return numpy.array(words, dtype=object)[inverse.reshape(block.shape).T].tolist()


def _build(doc: Doc) -> TokenTable:
    if not len(doc):
        # every column an empty list, the entity index an empty dict
        # built from the dataclass's own fields, so a new column needs no edit here; mypy
        # cannot count the arguments of a star expression
        return TokenTable(*([] for _ in fields(TokenTable)[:-1]), {})  # type: ignore[arg-type, call-arg]
    array = doc.to_array(_COLUMNS)
    n_strings = len(_STRING_COLUMNS)
    text, lower, lemma, pos, dep, etype, tag = _decoded(doc, array[:, :n_strings])
    offsets = array[:, n_strings].astype(numpy.int64)  # a head before its token wraps around
    head = (offsets + numpy.arange(len(doc), dtype=numpy.int64)).tolist()
    iob, sent, space = array[:, n_strings + 1 : n_strings + 4].T.tolist()
    # numpy's booleans become Python's in tolist
    punct, alpha, stop, num = array[:, n_strings + 4 :].T.astype(bool).tolist()
    sent_start = [code == 1 for code in sent]
    # the first token always opens a sentence (Token.is_sent_start says so too)
    sent_start[0] = True
    ents = _entities(iob, etype)
    return TokenTable(
        text=text,
        lower=lower,
        text_with_ws=[word + " " if gap else word for word, gap in zip(text, space, strict=True)],
        lemma=lemma,
        lemma_lower=[word.lower() for word in lemma],
        pos=pos,
        tag=tag,
        dep=dep,
        head=head,
        ent_type=etype,
        ent_iob=[_IOB[code] for code in iob],
        sent_start=sent_start,
        is_punct=punct,
        is_alpha=alpha,
        is_stop=stop,
        like_num=num,
        ents=ents,
        ent_at={i: ent for ent in ents for i in range(ent[0], ent[1])},
    )


def _entities(iob: list[int], etype: list[str]) -> list[tuple[int, int, str]]:
    """The entity spans the IOB codes mark, read as `Doc.ents` reads them: "B" opens one,
    "I" continues it, "O" or unset closes it."""
    ents = []
    start, label = -1, ""
    for i, (code, kind) in enumerate(zip(iob, etype, strict=True)):
        if code == 1:
            continue
        if start != -1:
            ents.append((start, i, label))
        start, label = (i, kind) if code == 3 and kind else (-1, "")
    if start != -1:
        ents.append((start, len(iob), label))
    return ents
