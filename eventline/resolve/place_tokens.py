"""A per-document table of the token attributes the place-mention finder reads.

spaCy builds a new Token object on every `doc[i]` or iteration step, and each string
attribute is a lookup in the string store; the finder reads a handful of attributes of
every token several times over. `DocTokens` reads them once, column by column, with
`Doc.to_array`, so the finder works on plain Python lists and builds spans only for the
mentions it keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import (
    ENT_IOB,
    ENT_TYPE,
    IS_ALPHA,
    IS_PUNCT,
    IS_STOP,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
)
from spacy.tokens import Doc, Span

_COLUMNS = [
    ORTH,
    LOWER,
    ENT_TYPE,
    ENT_IOB,
    POS,
    SENT_START,
    SPACY,
    IS_PUNCT,
    IS_ALPHA,
    IS_STOP,
    LIKE_NUM,
]
# spaCy's codes for ENT_IOB: 0 unset, 1 inside, 2 outside, 3 begin
_IOB = ("", "I", "O", "B")


@dataclass(slots=True)
class DocTokens:
    """Column lists indexed by token position (`token.i`)."""

    doc: Doc
    text: list[str]
    lower: list[str]
    text_with_ws: list[str]
    ent_type: list[str]
    ent_iob: list[str]
    pos: list[str]
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

    def span(self, start: int, end: int) -> Span:
        return self.doc[start:end]

    def capitalised(self, i: int) -> bool:
        return self.text[i][:1].isupper()


def doc_tokens(doc: Doc) -> DocTokens:
    """Read the columns of `doc` once."""
    if len(doc) == 0:
        return DocTokens(doc, [], [], [], [], [], [], [], [], [], [], [], [], {})
    columns = doc.to_array(_COLUMNS).T.tolist()
    orth, low, etype, iob, tag, sent, space, punct, alpha, stop, num = columns
    strings = doc.vocab.strings
    # each distinct string is looked up once
    names = {key: strings[key] for key in {*orth, *low, *etype, *tag} if key}
    names[0] = ""
    text = [names[key] for key in orth]
    with_ws = [word + " " if gap else word for word, gap in zip(text, space, strict=True)]
    ent_iob = [_IOB[code] for code in iob]
    sent_start = [code == 1 for code in sent]
    # the first token always opens a sentence (Token.is_sent_start says so too)
    sent_start[0] = True
    ents = _entities(iob, etype, names)
    return DocTokens(
        doc=doc,
        text=text,
        lower=[names[key] for key in low],
        text_with_ws=with_ws,
        ent_type=[names[key] for key in etype],
        ent_iob=ent_iob,
        pos=[names[key] for key in tag],
        sent_start=sent_start,
        is_punct=[bool(flag) for flag in punct],
        is_alpha=[bool(flag) for flag in alpha],
        is_stop=[bool(flag) for flag in stop],
        like_num=[bool(flag) for flag in num],
        ents=ents,
        ent_at={i: ent for ent in ents for i in range(ent[0], ent[1])},
    )


def _entities(
    iob: list[int], etype: list[int], names: dict[int, str]
) -> list[tuple[int, int, str]]:
    """The entity spans the IOB codes mark, read as `Doc.ents` reads them: "B" opens one,
    "I" continues it, "O" or unset closes it."""
    ents = []
    start, label = -1, 0
    for i, (code, kind) in enumerate(zip(iob, etype, strict=True)):
        if code == 1:
            continue
        if start != -1:
            ents.append((start, i, names[label]))
        start, label = (i, kind) if code == 3 and kind else (-1, 0)
    if start != -1:
        ents.append((start, len(iob), names[label]))
    return ents
