"""Who said so: the reporting source of an event ("U.S. defense officials said").

Reads: the frame's clause and its sentence. Writes: the source's head token, or its phrase.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventline.data_files import word_set
from eventline.extraction.roles import phrase
from eventline.nlp import text_of
from eventline.tokens import token_table

REPORTING = word_set("roles.yaml", "reporting_verbs")
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
NOT_SPEAKERS = {"it", "there", "that", "which", "who"}


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in NOT_SPEAKERS:
            return child
    return None


def _according_to(sent: Span) -> Token | None:
    if "according" not in text_of(sent.doc)[sent.start_char : sent.end_char].lower():
        return None  # most sentences: no need to look at every word
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            for child in tok.nbor(1).children:
                if child.dep_ == "pobj":
                    return child
    return None


def speaker(clause_head: Token) -> Token | None:
    """The head of the source of a clause: the subject of a reporting verb that governs it,
    "according to X" in the sentence, or else the subject of the sentence's main reporting
    verb."""
    cur = clause_head
    for _ in range(8):
        if cur.pos_ == "VERB" and cur.lemma_.lower() in REPORTING and cur.i != clause_head.i:
            found = _subject(cur)
            if found is not None:
                return found
        # "..., a Pentagon spokeswoman said, ...": the reporting verb hangs off the clause
        for child in cur.children:
            if child.dep_ in ("parataxis", "advcl", "conj") and child.lemma_.lower() in REPORTING:
                found = _subject(child)
                if found is not None:
                    return found
        if cur.head.i == cur.i:
            break
        cur = cur.head
    sent = clause_head.sent
    found = _according_to(sent)
    if found is not None:
        return found
    table = token_table(sent.doc)
    dep = table.dep
    for i in range(sent.start, sent.end):
        # only a reporting verb of the main clause speaks for the whole sentence
        main_clause = dep[i] in ("ROOT", "parataxis") or (
            dep[i] == "conj" and dep[table.head[i]] == "ROOT"
        )
        if main_clause and table.pos[i] == "VERB" and table.lemma_lower[i] in REPORTING:
            found = _subject(sent.doc[i])
            if found is not None:
                return found
    return None


def attribution(clause_head: Token) -> str | None:
    """The source of the clause as words ("U.S. defense officials"), or None."""
    found = speaker(clause_head)
    return phrase(found).text if found is not None else None


def is_pronoun(text: str | None) -> bool:
    return text is not None and text.lower() in PRONOUNS
