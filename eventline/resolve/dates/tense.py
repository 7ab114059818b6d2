"""The tense around a time expression: whether "Tuesday" or "Oct. 27" lies before or after the
publication date.

Read from the parse: the verb that governs the expression, its auxiliaries, and forward-looking
words between the two ("is expected in December", "payable Dec. 7", "postponed until Tuesday").
Returns "past", "present" (the nearest such day either side), "future", or None when the
sentence does not say; the date rules (dates.rules) choose the day from it.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from eventline.resolve.dates.calendar import Tense, lexicon

__all__ = ["governing_verb", "tense_of"]

# prepositions that look ahead unless the sentence itself is past: "postponed until Tuesday",
# "trades through Nov. 17", but "stayed until Tuesday", "had not called him a suspect until
# Thursday"
_UNTIL = frozenset({"until", "till", "through", "thru"})
# "as early as Tuesday", "as soon as next week", "no later than Friday": a limit ahead
_EARLIEST = (("as", "early", "as"), ("as", "soon", "as"), ("no", "later", "than"))
_EARLIEST_WIDTH = max(len(words) for words in _EARLIEST)
_PERFECT = frozenset({"have", "has", "had", "'ve"})
_PAST_MODALS = frozenset({"may", "might", "could", "would", "must", "should"})


def governing_verb(span: Span) -> Token | None:
    """The nearest verb above the expression in the parse, outside the expression itself."""
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and not (token.i >= span.start and token.i < span.end):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


@cache
def _prospective() -> frozenset[str]:
    """Words that look ahead: "is expected in December", "payable Dec. 7", "until Tuesday"."""
    return frozenset(lexicon()["prospective_words"])


def _is_prospective(token: Token) -> bool:
    ahead = _prospective()
    return token.lower_ in ahead or token.lemma_.lower() in ahead


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _plain_past(verb: Token | None) -> bool:
    """A verb in a past or perfect tense that looks back: 'stayed', 'has fallen', 'had not
    called' (but 'has been extended until' looks ahead)."""
    if verb is None or verb.lemma_.lower() in lexicon()["deadline_verbs"]:
        return False  # "gave them until Tuesday": a deadline ahead, whatever the tense
    words = {c.lower_ for c in _auxiliaries(verb)}
    if "had" in words:
        return True
    return (verb.tag_ == "VBD" or bool(words & _PERFECT)) and not _is_prospective(verb)


def tense_of(verb: Token | None, span: Span | None = None) -> Tense:
    """past / present / future from a verb's tag and its auxiliaries; None when unknown.

    With the expression's span, words between it and the verb count too: "payable Dec. 7",
    "effective Feb. 1", "until Tuesday" look ahead whatever the main verb's tense.
    """
    if span is not None:
        limit = _limit_before(span)
        if limit == "until":
            return "past" if _plain_past(verb) else "future"
        if limit == "earliest":
            return "future"
        if _looks_ahead(span, verb):
            return "future"
    if verb is None:
        return None
    auxiliaries = _auxiliaries(verb)
    words = {c.lower_ for c in auxiliaries}
    perfect = bool(words & _PERFECT)
    if perfect and (words & _PAST_MODALS or "to" in words):
        return "past"  # "may have been", "appears to have left"
    if words & {"will", "shall", "'ll", "wo"} or verb.lower_ in ("will", "shall"):
        return "future"
    if "could" in words:
        return None  # "could not be located Wednesday": as often past as ahead
    if "going" in words or (
        verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.children)
    ):
        return "future"
    # modals: "would be held on April 24", "might come as soon as Tuesday"
    if any(c.tag_ == "MD" for c in auxiliaries):
        return "future"
    if "to" in words:
        return _infinitive_tense(verb)
    if _is_prospective(verb) and verb.tag_ in ("VBN", "VBZ", "VBP", "VB"):
        return "future"
    if perfect or verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxiliaries):
        return "past"
    if verb.tag_ == "VBN" and words & {"was", "were"}:
        return "past"
    if verb.tag_ == "VBN" and words & {"is", "are", "am", "'s", "'re"}:
        return "present"  # "when the case is heard in May"
    if _bare_participle(verb):
        # "has fluctuated, rising to a high in June": the clause it hangs on sets the time
        head_tense = tense_of(verb.head)
        if head_tense is not None:
            return head_tense
    if verb.tag_ in ("VBZ", "VBP", "VBG", "VB"):
        return "present"
    return None


def _bare_participle(verb: Token) -> bool:
    """A present participle with no auxiliary, heading a clause under another verb (a bare
    past participle, "the ruling, announced Wednesday", reads as past on its own)."""
    return (
        verb.tag_ == "VBG"
        and verb.dep_ in ("advcl", "conj")
        and verb.head.i != verb.i
        and verb.head.pos_ in ("VERB", "AUX")
        and not _auxiliaries(verb)
    )


def _infinitive_tense(verb: Token) -> Tense:
    """'expected to resume Tuesday', 'is to resume Tuesday', 'had been due to expire Friday'.

    Infinitives look ahead after "expected", "plans", "ready" and "is to"; after other verbs
    they may lie either side of the anchor ("invited them to mark March 12", "staged
    celebrations to mark the entry on Friday"): the nearest reading. So too under a past
    perfect ("had been scheduled to expire Friday"): a plan since changed, whose day may
    have passed or not.
    """
    head = verb.head
    if head.i != verb.i and "had" in {c.lower_ for c in _auxiliaries(head)}:
        return "present"
    if head.i == verb.i or _is_prospective(head):
        return "future"
    if head.lemma_.lower() == "be" and verb.dep_ == "xcomp":
        return "future"  # "the talks are to resume Tuesday"
    return "present"


def _limit_before(span: Span) -> str | None:
    """'until' / 'earliest' when such words open the expression or stand just before it."""
    doc = span.doc
    first = span.start
    # the few words either side of the opening, read once: spaCy builds a Token per access
    before = tuple(doc[i].lower_ for i in range(max(0, first - _EARLIEST_WIDTH), first))
    opening = tuple(doc[i].lower_ for i in range(first, min(span.end, first + _EARLIEST_WIDTH)))
    if opening[0] in _UNTIL or (before and before[-1] in _UNTIL):
        return "until"
    for words in _EARLIEST:
        if words in (before[-len(words) :], opening[: len(words)]):
            return "earliest"
    return None


def _looks_ahead(span: Span, verb: Token | None) -> bool:
    """A forward-looking word on the path from the expression up to its verb.

    'until' and its kin on that path count only where the verb is not a plain past ("stayed
    until Tuesday" looks back).
    """
    token = span.root
    for _ in range(4):
        if token.head.i == token.i or (verb is not None and token.i == verb.i):
            return False
        token = token.head
        if verb is not None and token.i == verb.i:
            return False
        if token.lower_ in _UNTIL:
            return not _plain_past(verb)
        if _is_prospective(token):
            return True
    return False
