"""Which frames are events that happened: negated, hypothetical, intended, generic and
anaphoric statements yield no event.

Reads: a Frame and its parsed sentence. Writes: a `Modality` verdict with the reason, so that a
user can see why a trigger was not coded (`eventline extract --explain`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from eventline.data_files import word_set
from eventline.extraction.frames import Frame
from eventline.nlp import text_of

FILE = "modality.yaml"
MODALS = word_set(FILE, "modal_auxiliaries")
CONDITIONALS = word_set(FILE, "conditional_marks")
HYPO_VERBS = word_set(FILE, "hypothetical_governors")
HYPO_NOUNS = word_set(FILE, "hypothetical_nouns")
GENERIC_MODS = word_set(FILE, "generic_modifiers")
GENERIC_GOVERNORS = word_set(FILE, "generic_governors")
INTENT_AUX = word_set(FILE, "intent_auxiliaries")
DEMAND_AUX = word_set(FILE, "demand_auxiliaries")
INTENT_GOVERNORS = word_set(FILE, "intent_governors")
REFUSAL_AUX = word_set(FILE, "refusal_auxiliaries")
DEFINITE = {"the", "this", "that", "these", "those"}


@dataclass(frozen=True)
class Modality:
    factual: bool
    # why not: "negated", "hypothetical", "generic", "anaphoric"; or a statement about the
    # action that is itself an event: "intent" (AGREE / THREATEN), "refusal" (REJECT),
    # "demand" (REQUEST)
    reason: str = ""

    @property
    def statement(self) -> bool:
        return self.reason in ("intent", "refusal", "demand")


FACTUAL = Modality(True)


def _negated(tok: Token) -> bool:
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
    return False


def _modal(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_.lower() in MODALS for c in verb.children)


def _auxiliaries(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ == "aux"} | {c.lemma_.lower() for c in verb.children if c.dep_ == "aux"}


def _statement(frame: Frame, clause: Token) -> Modality | None:
    """A clause that states an intent, a refusal or an obligation rather than an action."""
    if clause.pos_ not in ("VERB", "AUX") or _conditional(clause):
        return None
    aux = _auxiliaries(clause)
    negated = _negated(clause) and not frame.negation_coded
    if negated and aux & REFUSAL_AUX:
        return Modality(False, "refusal") if frame.etype.quad_class in (1, 2) else None
    if negated:
        return None
    if aux & INTENT_AUX:
        return Modality(False, "intent")
    if aux & DEMAND_AUX:
        return Modality(False, "demand")
    governors = _governors(clause)
    if governors and governors[0].lemma_.lower() in INTENT_GOVERNORS and not _negated(governors[0]):
        return Modality(False, "intent")
    return None


def _infinitive_of_noun(verb: Token) -> bool:
    """ "a pleasant place to visit", "no one to talk to": an infinitive that describes a noun
    names what could be done, not an act that took place."""
    return (
        verb.dep_ in ("acl", "relcl")
        and verb.head.pos_ in ("NOUN", "PROPN", "PRON")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


def _conditional(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONALS for c in verb.children)


def _governors(tok: Token, limit: int = 4) -> list[Token]:
    """The words that embed an event's clause: "threatened to [attack]", "options for [strikes]",
    "fear of [provoking]"."""
    chain = []
    cur = tok
    for _ in range(limit):
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
        # "demanded that the government provide": a clause under a demand is not a fact
        subjunctive = cur.dep_ in ("ccomp", "acl") and cur.head.lemma_.lower() in HYPO_VERBS | HYPO_NOUNS
        if cur.dep_ in ("xcomp", "pcomp", "pobj", "acl") or subjunctive or (
            cur.dep_ in ("advcl", "ccomp") and infinitive
        ):
            cur = cur.head
            if cur.dep_ == "prep":
                cur = cur.head
            chain.append(cur)
        else:
            break
    return chain


def _habitual(tok: Token) -> bool:
    # "had been targeting", "have been shelling": a perfect progressive describes a practice
    if tok.tag_ == "VBG" and any(c.lower_ == "been" for c in tok.children if c.dep_ == "aux"):
        return True
    return any(c.lemma_.lower() in GENERIC_MODS for c in tok.children if c.dep_ in ("amod", "advmod", "nmod", "npadvmod"))


def describes_relation(frame: Frame, *, has_time: bool) -> bool:
    """ "the militias it supports", "the groups Iran funds": a present-simple clause that
    describes a noun tells a standing relation, not an act that took place at some time."""
    clause = frame.clause_head()
    return (
        clause.pos_ in ("VERB", "AUX")
        and clause.dep_ == "relcl"
        and clause.tag_ in ("VBZ", "VBP")
        and not any(c.dep_ == "aux" for c in clause.children)
        and not has_time
    )


def judge(frame: Frame, *, has_time: bool, has_place: bool) -> Modality:
    """Decide whether a frame reports something that happened. `has_time` / `has_place` say
    whether a time or place expression is tied to the frame (specific events usually have one)."""
    trigger = frame.trigger
    clause = frame.clause_head()
    sent = trigger.sent
    if text_of(sent.doc)[sent.start_char : sent.end_char].rstrip().endswith("?"):
        return Modality(False, "hypothetical")
    statement = _statement(frame, clause)
    if statement is not None:
        return statement
    for tok in {trigger, clause, frame.container or trigger}:
        if _negated(tok) and not frame.negation_coded:
            return Modality(False, "negated")
    if clause.pos_ in ("VERB", "AUX") and (
        _modal(clause) or _conditional(clause) or _infinitive_of_noun(clause)
    ):
        return Modality(False, "hypothetical")
    for governor in _governors(clause) + _governors(frame.container or trigger):
        lemma = governor.lemma_.lower()
        if governor.pos_ in ("VERB", "AUX") and lemma in HYPO_VERBS:
            return Modality(False, "hypothetical")
        if governor.pos_ in ("NOUN", "PROPN") and lemma in HYPO_NOUNS:
            return Modality(False, "hypothetical")
        if lemma in GENERIC_GOVERNORS:
            return Modality(False, "generic")
        if governor.pos_ in ("VERB", "AUX") and (_modal(governor) or _negated(governor)):
            return Modality(False, "hypothetical")
    for tok in {trigger, clause, frame.container or trigger}:
        if _habitual(tok):
            return Modality(False, "generic")
    if frame.is_noun and frame.sequence_of is None:
        return _noun_reference(frame, has_time=has_time, has_place=has_place)
    return FACTUAL


def _noun_reference(frame: Frame, *, has_time: bool, has_place: bool) -> Modality:
    """Event nouns often refer back to an event already told ("The strikes came as ...") or
    speak of events in general ("rocket and drone attacks"). Keep a noun when it brings its own
    specifics: a target, a time, a place, or an indefinite singular ("an attack on ...")."""
    head = frame.container or frame.trigger
    dets = {c.lower_ for c in head.children if c.dep_ in ("det", "poss")}
    has_number = any(c.dep_ == "nummod" for c in head.children)
    specific = frame.actor2 is not None or frame.target is not None or has_time or has_place
    plural = head.tag_ in ("NNS", "NNPS")
    if dets & DEFINITE and not specific:
        return Modality(False, "anaphoric")
    if plural and not has_number and not specific:
        return Modality(False, "generic")
    if not dets and not plural and not specific and frame.actor1 is None:
        return Modality(False, "generic")
    return FACTUAL
