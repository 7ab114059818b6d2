"""Numbers of people: deaths and injuries tied to an event, and counts in claims.

A `Count` holds a best estimate and an upper bound. The conventions, chosen to be
conservative (the lowest figure a report supports) and to follow the ACLED codebook where it
has a rule:

- an exact number ("killed three") gives best = maximum = 3;
- a lower bound ("at least 10", "more than 10", "10 or more") gives best = 10, maximum None;
- an approximation ("about 10", "nearly 10", "some 10") gives best = 10, maximum None;
- a range ("between 5 and 10", "5 to 10", "5-10") gives best = 5, maximum = 10;
- an added possibility ("at least six and possibly seven", "as many as seven") sets the
  maximum;
- a stated ceiling alone ("up to 20 dead") gives best = maximum = 20;
- vague words use fixed values: "a couple" 2, "a few" / "a handful" 3, "several" / "many" /
  "numerous" 10 (ACLED's rule for unspecified plural fatalities), "a dozen" / "dozens" 12
  (ACLED), "scores" 40, "hundreds" 100 (ACLED), "thousands" 1,000, "tens of thousands"
  10,000, "hundreds of thousands" 100,000; their maximum is None;
- "no casualties", "no one was killed", "no deaths" give 0 (deaths) when they are about this
  event; "casualties unknown", "could not provide a casualty assessment" and silence give
  Count(None): unknown is never written as 0.

Reads: a parsed sentence and an event's trigger. Writes: `Count`s (deaths, injuries).
Knowledge: eventline/data/counts.yaml, and eventline/data/numbers.yaml through
eventline/resolve/numbers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from eventline.data_files import read_yaml, word_list, word_set
from eventline.model import Count
from eventline.nlp import text_of
from eventline.resolve import numbers

# vague amounts and their fixed values (eventline/data/counts.yaml)
VAGUE: dict[str, int] = read_yaml("counts.yaml")["vague_amounts"]
# the words that start a number (eventline/data/numbers.yaml, read by resolve/numbers.py)
NUMBER_WORDS = frozenset(
    [*numbers.UNITS, *numbers.TENS, *numbers.SCALES, *numbers.MULTIPLES]
)
# the words around a number (eventline/data/counts.yaml)
_WORDS = "counts.yaml"
VAGUE_WORDS = word_set(_WORDS, "vague_words")
LOWER_BOUND = word_list(_WORDS, "lower_bound")
APPROXIMATE = word_list(_WORDS, "approximate")
CEILING = word_list(_WORDS, "ceiling")
POSSIBLE = word_list(_WORDS, "possible")
DEATH_WORDS = word_set(_WORDS, "death_words")
INJURY_WORDS = word_set(_WORDS, "injury_words")
# Phrases saying that nobody died, and that the number is not known (lower-cased text).
NO_DEATHS = re.compile(
    r"\b(no(?: one|body)(?: else)? (?:was|were|has been|had been|is) (?:killed|hurt|injured|harmed)"
    r"|no(?: one|body) died|no (?:known |reported |immediate )?(?:casualties|deaths|fatalities|"
    r"loss of life|one killed)|without (?:any )?(?:casualties|loss of life)|caused no (?:known )?"
    r"(?:casualties|deaths))\b"
)
NO_INJURIES = re.compile(
    r"\b(no(?: one|body) (?:was|were) (?:hurt|injured|harmed|wounded)|no (?:reported |known )?"
    r"(?:injuries|casualties)|without (?:any )?(?:casualties|injuries))\b"
)
UNKNOWN = re.compile(
    r"\b(casualty (?:assessment|figures?|count) (?:was|were|is|are) (?:not|un)|"
    r"(?:could|did) not (?:provide|give|confirm) (?:a |any )?casualty|casualties (?:were|are|remain)"
    r" (?:unknown|unclear|not known)|casualties unknown|unclear how many|not immediately (?:clear|"
    r"known)|no immediate (?:word|report|information)|no word on casualties|toll (?:is|was|remains)"
    r" (?:unknown|unclear))"
)
# "no immediate reports of casualties" means not yet known, not none.
IMMEDIATE = re.compile(r"\bno immediate\b")
TEMPORAL_CONTRAST = word_set(_WORDS, "temporal_contrast")
LEFT_WINDOW, RIGHT_WINDOW = 4, 6
SKIP_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})


def parse_number(text: str) -> int | None:
    """The figure a count states: a vague amount ("a few", "dozens of") by the module's
    conventions, any other number as eventline.resolve.numbers reads it ("three" 3, "1,200"
    1200, "twenty-one" 21, "1.5 million" 1500000, "a dozen" 12)."""
    vague = VAGUE.get(" ".join(text.lower().replace("-", " ").split()).strip(" .,"))
    return vague if vague is not None else numbers.parse_number(text)


def _bounds(value: int, before: str, number_text: str) -> tuple[int, int | None]:
    """Best and maximum for a value given the words just before it."""
    tail = before.rstrip()[-30:]
    if any(tail.endswith(" " + q) or tail == q for q in CEILING):
        return value, value
    if any(tail.endswith(" " + q) or tail == q for q in LOWER_BOUND + APPROXIMATE):
        return value, None
    if any(word in number_text.split() for word in VAGUE_WORDS) or number_text.strip() in VAGUE:
        return value, None
    return value, value


@dataclass
class _Figure:
    value: int
    maximum: int | None
    possible: bool  # "possibly seven": an upper bound for the figure before it
    first: int  # token indices in the sentence doc
    last: int


def fatalities(sent: Span, trigger: Token | None = None) -> Count:
    """Deaths the sentence ties to its event (see the module docstring for conventions)."""
    return _casualties(sent, trigger, DEATH_WORDS, INJURY_WORDS, NO_DEATHS)


def injuries(sent: Span, trigger: Token | None = None) -> Count:
    """Injuries the sentence ties to its event; deaths are not injuries."""
    return _casualties(sent, trigger, INJURY_WORDS, DEATH_WORDS, NO_INJURIES)


def _casualties(
    sent: Span,
    trigger: Token | None,
    wanted: frozenset[str],
    other: frozenset[str],
    none: re.Pattern[str],
) -> Count:
    figures = []
    previous_kind: str | None = None
    for figure in _figures(sent):
        kind = _nearest_kind(sent, figure, wanted, other)
        if kind is None and figure.possible:
            kind = previous_kind  # "killed at least six people and possibly seven"
        if kind == "wanted":
            figures.append(figure)
        previous_kind = kind
    if figures:
        return _combine(sent, figures)
    # the sentence's slice of the document text is its Span.text, without a walk over tokens
    text = text_of(sent.doc)[sent.start_char : sent.end_char]
    lowered = text.lower()
    zero = none.search(lowered)
    if (
        zero
        and not IMMEDIATE.search(lowered[max(0, zero.start() - 1) : zero.end()])
        and (trigger is None or _about_trigger(sent, zero.start(), trigger))
    ):
        return Count(0, 0, text[zero.start() : zero.end()])
    unknown = UNKNOWN.search(lowered)
    if unknown:
        return Count(None, None, text[unknown.start() : unknown.end()])
    return Count(None, None, "")


def _figures(sent: Span) -> list[_Figure]:
    """Number expressions in the sentence that count people, with their bounds."""
    tokens = list(sent)
    out: list[_Figure] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not _starts_number(token):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _continues_number(tokens[j + 1], tokens[j]):
            j += 1
        text = sent.doc[token.i : tokens[j].i + 1].text
        value = parse_number(text)
        people = _counts_people(tokens[j])
        dated = token.ent_type_ in SKIP_ENTITIES and not _quantifies_noun(tokens[j])
        negated = i > 0 and tokens[i - 1].lower_ in ("no", "not")  # "no one was killed"
        if value is None or dated or negated or not people:
            i = j + 1
            continue
        before = sent.doc[max(sent.start, token.i - 4) : token.i].text.lower()
        best, maximum = _bounds(value, " " + before, text.lower())
        after = sent.doc[tokens[j].i + 1 : min(sent.end, tokens[j].i + 4)]
        high = _range_end(after)
        if high is not None and high > value:
            maximum = high
            j += 2 if after[0].lower_ in ("to", "-", "or", "and") else 0
        possible = any((" " + before).endswith(" " + q) for q in POSSIBLE + CEILING[1:2])
        out.append(_Figure(best, maximum, possible, token.i, tokens[min(j, len(tokens) - 1)].i))
        i = j + 1
    return out


# vague words that open a figure on their own, built once rather than per token
_VAGUE_STARTS = frozenset(VAGUE_WORDS - {"few", "handful", "couple"})
_YEAR = re.compile(r"\d{4}")


def _starts_number(token: Token) -> bool:
    lower = token.lower_
    if token.like_num and not _YEAR.fullmatch(token.text):  # a year is not a count
        return lower not in ("no",)
    return lower in NUMBER_WORDS or lower in _VAGUE_STARTS


def _continues_number(token: Token, previous: Token) -> bool:
    lower = token.lower_
    if lower == "-" or previous.lower_ == "-":
        return token.like_num or lower == "-"
    if lower == "and":
        return False
    if lower == "of" and previous.lower_ in ("dozens", "hundreds", "thousands", "tens", "scores"):
        return True
    return token.like_num or lower in numbers.SCALES or lower in ("hundreds", "thousands")


def _range_end(after: Span) -> int | None:
    if len(after) >= 2 and after[0].lower_ in ("to", "-", "or", "and") and after[1].like_num:
        return parse_number(after[1].text)
    return None


def _quantifies_noun(last: Token) -> bool:
    return last.dep_ == "nummod" and last.head.pos_ in ("NOUN", "PROPN") and last.head.i > last.i


def _counts_people(last: Token) -> bool:
    """A number counts people unless it quantifies a thing ("two facilities", "66 strikes")."""
    head = last.head if last.dep_ in ("nummod", "quantmod", "amod") else None
    if head is None or head.pos_ not in ("NOUN", "PROPN") or head.i < last.i:
        return True
    if (
        head.lower_ in DEATH_WORDS | INJURY_WORDS
        or head.lemma_.lower() in DEATH_WORDS | INJURY_WORDS
    ):
        return True  # "12 deaths", "3 injuries"
    from eventline.resolve.actors import default_dictionary

    actor = default_dictionary().resolve(head.text)
    return actor is not None and actor.sector is not None


def _nearest_kind(
    sent: Span, figure: _Figure, wanted: frozenset[str], other: frozenset[str]
) -> str | None:
    """Whether the closest casualty word to the figure is a wanted one or the other kind."""
    best: tuple[int, str] | None = None
    doc = sent.doc
    for index in range(
        max(sent.start, figure.first - LEFT_WINDOW), min(sent.end, figure.last + RIGHT_WINDOW + 1)
    ):
        if figure.first <= index <= figure.last:
            continue
        word = doc[index].lower_
        kind = "wanted" if word in wanted else "other" if word in other else None
        if kind is None:
            continue
        distance = figure.first - index if index < figure.first else index - figure.last
        if best is None or distance < best[0]:
            best = (distance, kind)
    return best[1] if best else None


def _combine(sent: Span, figures: list[_Figure]) -> Count:
    """One count from the figures: later "possibly N" figures raise the maximum, figures
    joined by "and" ("3 soldiers and 2 civilians") add up, others are left to their events."""
    first = figures[0]
    best, maximum = first.value, first.maximum
    last = first.last
    for figure in figures[1:]:
        between = sent.doc[last + 1 : figure.first].text.lower()
        if figure.possible:
            maximum = max(figure.value, best)
        elif " and " in f" {between} " and not any(w in DEATH_WORDS for w in between.split()):
            best += figure.value
            maximum = (
                maximum + figure.maximum
                if maximum is not None and figure.maximum is not None
                else None
            )
        else:
            break
        last = figure.last
    text = sent.doc[first.first : last + 1].text
    return Count(best, maximum, text)


def _about_trigger(sent: Span, char_in_sent: int, trigger: Token) -> bool:
    """Whether a "no casualties" phrase speaks of the trigger's event: same clause, or a
    clause directly joined to it, and not set in an earlier period ("before last week")."""
    span = sent.char_span(char_in_sent, char_in_sent + 1, alignment_mode="expand")
    if span is None:
        return False
    clause = _clause(span.root)
    if any(child.lower_ in TEMPORAL_CONTRAST for child in clause.subtree):
        return False
    target = _clause(trigger)
    return clause == target or clause.head == target or target.head == clause


def _clause(token: Token) -> Token:
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token
