"""Who said so: the reporting source of an event ("U.S. defense officials said").

Reads: the frame's clause and its sentence. Writes: the source phrase as text, or None.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventline.extraction.frames import phrase
from eventline.extraction.lexicon import word_set

REPORTING = word_set("roles.yaml", "reporting_verbs")
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}


def _speaker(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "there", "that", "which", "who"):
            return phrase(child).text
    return None


def _according_to(sent: Span) -> str | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            for child in tok.nbor(1).children:
                if child.dep_ == "pobj":
                    return phrase(child).text
    return None


def attribution(clause_head: Token) -> str | None:
    """The source of the clause: the subject of a reporting verb that governs it, "according
    to X" in the sentence, or else the subject of the sentence's reporting verb."""
    cur = clause_head
    for _ in range(8):
        if cur.pos_ == "VERB" and cur.lemma_.lower() in REPORTING and cur is not clause_head:
            speaker = _speaker(cur)
            if speaker:
                return speaker
        # "..., a Pentagon spokeswoman said, ...": the reporting verb hangs off the clause
        for child in cur.children:
            if child.dep_ in ("parataxis", "advcl", "conj") and child.lemma_.lower() in REPORTING:
                speaker = _speaker(child)
                if speaker:
                    return speaker
        if cur.head is cur:
            break
        cur = cur.head
    sent = clause_head.sent
    found = _according_to(sent)
    if found:
        return found
    for tok in sent:
        # only a reporting verb of the main clause speaks for the whole sentence
        main_clause = tok.dep_ in ("ROOT", "parataxis") or (tok.dep_ == "conj" and tok.head.dep_ == "ROOT")
        if main_clause and tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING:
            speaker = _speaker(tok)
            if speaker:
                return speaker
    return None


def is_pronoun(text: str | None) -> bool:
    return bool(text) and text.lower() in PRONOUNS
