"""Prefilter: find the sentences worth a full spaCy parse, without running spaCy.

Most of a news article is background, quotes and page furniture. Parsing is the dominant
cost of extraction, and a frame (the start of every event) needs a trigger word of
eventline/data/triggers.csv or a modal of demand ("X said Y must leave"), so the pipeline
parses only the sentences that hold one. The document's first sentence (headline or
dateline) is always kept, because the date and place resolvers read it, and `neighbors` can
keep sentences around each hit.

Matching is on lower-cased word forms, split where spaCy's tokenizer splits ("air-strikes",
"attack's"). Inflections are generated from each lemma for the part of speech its trigger
row names (a verb: attack -> attacks, attacked, attacking; a noun: talk -> talks), irregular
forms come from irregular_forms.tsv (struck -> strike), so the test is one set lookup per
word. Narrower tests follow the extractor's own rules (it reads a trigger by its lemma and
part of speech, and a multiword trigger as consecutive words):

- a multiword trigger is matched as a whole ("hand over", "rule out"): "hands" or "rules"
  alone cannot start one;
- the bare or -s form of a verb-only trigger right after a determiner or a preposition ("the
  fire", "in charge", "under fire"), or an -s form after a count ("5,000 shares"), is a noun
  or an adjective (noun_markers.txt);
- the bare form of a noun-only trigger right after "to" or a modal ("to talk", "will deal")
  is a verb (verb_markers.txt).

Casualty and weapon words ("dead", "troops") are not indexed: they start no frame, so a
sentence with no trigger gives no event whatever else it says. A sentence without a trigger
word is still kept when the event model may code it (`model_keeps`, asked through
`candidate_sentences(also=...)`).

    spans = candidate_sentences(text)        # [(start, end), ...] char spans into text
    masked = mask_text(text, spans)          # same length; other sentences blanked out

When no trigger lexicon is installed the prefilter keeps every sentence: it must never cost
recall silently.

Reads: a document's text. Writes: the character spans of the sentences to parse (the rest
is masked with spaces, so offsets stay). Knowledge: eventline/data/triggers.csv and
eventline/data/prefilter/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from eventline.data_files import data_lines, data_path, read_csv
from eventline.extraction.decision import Thresholds, triggerless_bar

if TYPE_CHECKING:
    from eventline.extraction.event_model import Reading

TRIGGERS_FILE = data_path("triggers.csv")
PREFILTER_DIR = data_path("prefilter")
CUES_FILE = PREFILTER_DIR / "cues.csv"
IRREGULAR_FILE = PREFILTER_DIR / "irregular_forms.tsv"
ABBREVIATIONS_FILE = PREFILTER_DIR / "abbreviations.txt"
NOUN_MARKERS_FILE = PREFILTER_DIR / "noun_markers.txt"
VERB_MARKERS_FILE = PREFILTER_DIR / "verb_markers.txt"
# column names that may hold the trigger word in triggers.csv, in order of preference
TRIGGER_COLUMNS = ("lemma", "trigger", "word", "phrase", "term", "text", "pattern")
# set EVENTLINE_PREFILTER=0 to parse every sentence (to measure what the prefilter costs)
DISABLE_ENV = "EVENTLINE_PREFILTER"
# a sentence without a trigger word is parsed when the event model's "any event" head reaches
# this bar or one of its types the bar from which the pipeline codes an event no trigger word
# names (`decision.triggerless_bar`, 0.3 to 0.5 for the shipped model): out of fold this keeps
# 0.985 or more of the sentences holding a gold or silver event on either half of the folds
# (0.98 at 0.7; bench/prefilter_gold_recall.py, docs/performance.md "The prefilter")
MODEL_EVENT_BAR = 0.6

# a run of letters: spaCy splits words at hyphens and apostrophes ("counter-attack" holds the
# token "attack", "attack's" the token "attack"), so the prefilter does too
_LETTERS = re.compile(r"[A-Za-z]+")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or opening quote (`` too), maybe after a list bullet (". * Name"); at a blank line;
# or at a line break, unless the next line goes on in lower case (text wrapped at a fixed
# width: "has said the\n firm must have a permit"). Abbreviations are checked in code.
_BOUNDARY = re.compile(
    r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=(?:[*\u2022\u2013\u2014-]\s*)?[\"'`\u201c\u2018(\[]*[A-Z0-9])"
    r"|\n[^\S\n]*\n\s*|\n\s*+(?![a-z])"
)
# words that end with a period without ending a sentence ("Gen. Smith", "Oct. 27", "U.S. forces")
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")  # U.S.  U.N.  J.
# the end of a sentence: final punctuation, maybe inside closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")
_POS_COLUMN = "pos"
# a count just before a word ("5,000 shares"); not a year, which may end the subject ("the
# law passed in 2009 allows"), nor a number that ends a clause ("March 30, allows")
_COUNT_BEFORE = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d{1,3}|\d+\.\d+)[^\S\n]+$")


@dataclass(frozen=True)
class Lexicon:
    """Lower-cased word forms that make a sentence a candidate."""

    forms: frozenset[str]  # any of these anywhere keeps the sentence
    # bare and -s forms of verb-only triggers ("fire", "shares"): they keep it unless every
    # use is a noun's, right after a determiner, a preposition or a number
    verb_only: frozenset[str] = frozenset()
    # bare forms of noun-only triggers ("talk", "deal"): they keep it unless every use is a
    # verb's, right after "to" or a modal
    noun_only: frozenset[str] = frozenset()
    # first word of a multiword trigger -> patterns of the whole phrases it may start
    phrases: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    enabled: bool = True  # False when no trigger lexicon exists: keep everything




def _word_list(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    return frozenset(line.strip().lower() for line in data_lines(path))


def _triggers(path: Path) -> list[tuple[str, str]]:
    """(phrase, part of speech) rows of the trigger lexicon; ANY when no pos is given."""
    rows = read_csv(path)
    if not rows:
        return []
    columns = list(rows[0].keys())
    column = next((c for c in TRIGGER_COLUMNS if c in columns), columns[0])
    return [
        (row[column].strip(), (row.get(_POS_COLUMN) or "ANY").strip().upper())
        for row in rows
        if row.get(column)
    ]


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[tuple[str, str], list[str]]:
    """(lemma, VERB or NOUN) -> its irregular forms."""
    by_lemma: dict[tuple[str, str], list[str]] = {}
    if IRREGULAR_FILE.is_file():
        for line in data_lines(IRREGULAR_FILE):
            form, lemma, pos, *_ = [*line.rstrip("\n").split("\t"), ""]
            for tag in ("VERB", "NOUN") if not pos else (pos.upper(),):
                by_lemma.setdefault((lemma, tag), []).append(form)
    return by_lemma


def _plural(word: str) -> set[str]:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    return {word + "s", word + "es"} if word.endswith("o") else {word + "s"}


def noun_forms(lemma: str) -> set[str]:
    """The lemma and its plurals, lower-cased."""
    word = lemma.lower()
    return {word} | _plural(word) | set(_irregular_forms().get((word, "NOUN"), ()))


def verb_forms(lemma: str) -> set[str]:
    """The lemma and its regular and irregular verb inflections, lower-cased."""
    word = lemma.lower()
    forms = {word} | _plural(word)
    if word.endswith("e"):
        # "seize" -> seizing, but "free" -> freeing
        forms |= {word + "d", word[:-1] + "ing", word + "ing"}
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ied", word + "ing"}
    else:
        forms |= {word + "ed", word + "ing"}
    # consonant doubling: shell -> shelled, stab -> stabbed; ambush and bomb stay
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms.update(_irregular_forms().get((word, "VERB"), ()))
    return forms


def word_forms(lemma: str, pos: str = "ANY") -> set[str]:
    """The forms a word of part of speech `pos` (VERB, NOUN or ANY) may take, lower-cased."""
    forms: set[str] = set()
    if pos != "NOUN":
        forms |= verb_forms(lemma)
    if pos != "VERB":
        forms |= noun_forms(lemma)
    return forms


def _phrase_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """The phrase as consecutive words, each in any of its forms ("handed over")."""
    parts = ["(?:" + "|".join(sorted(word_forms(w), key=len, reverse=True)) + ")" for w in words]
    return re.compile(r"\b" + r"\s+".join(parts) + r"\b", re.IGNORECASE)


def _parts_of_speech(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Single-word trigger -> VERB, NOUN or ANY over all its rows (a verb row and a noun row
    of one lemma, as for "strike", make ANY)."""
    seen: dict[str, set[str]] = {}
    for word, pos in rows:
        seen.setdefault(word.lower(), set()).update(("VERB", "NOUN") if pos == "ANY" else (pos,))
    return {word: next(iter(tags)) if len(tags) == 1 else "ANY" for word, tags in seen.items()}


@lru_cache(maxsize=4)
def load_lexicon(triggers_file: Path = TRIGGERS_FILE, cues_file: Path = CUES_FILE) -> Lexicon:
    """Build the word-form sets from the trigger lexicon and the cue list (cached)."""
    if not triggers_file.is_file():
        return Lexicon(frozenset(), enabled=False)
    rows = _triggers(triggers_file)
    if cues_file.is_file():
        rows += [(row["word"].strip(), "ANY") for row in read_csv(cues_file) if row.get("word")]
    phrases: dict[str, list[re.Pattern[str]]] = {}
    for phrase, _ in rows:
        words = phrase.lower().split()
        if len(words) > 1:
            pattern = _phrase_pattern(words)
            for form in word_forms(words[0]):
                phrases.setdefault(form, []).append(pattern)
    # each form's readings: "verb" for the bare and -s forms of a verb-only trigger, "noun"
    # for the bare form of a noun-only one, "any" otherwise; only a form whose every reading
    # is "verb" (or "noun") gets the context test
    readings: dict[str, set[str]] = {}
    single = [(phrase, pos) for phrase, pos in rows if len(phrase.split()) == 1]
    for word, pos in _parts_of_speech(single).items():
        for form in word_forms(word, pos):
            if pos == "VERB" and form in {word} | _plural(word):
                reading = "verb"
            elif pos == "NOUN" and form == word:
                reading = "noun"
            else:
                reading = "any"
            readings.setdefault(form, set()).add(reading)
    return Lexicon(
        forms=frozenset(f for f, r in readings.items() if len(r) > 1 or "any" in r),
        verb_only=frozenset(f for f, r in readings.items() if r == {"verb"}),
        noun_only=frozenset(f for f, r in readings.items() if r == {"noun"}),
        phrases={form: tuple(patterns) for form, patterns in phrases.items()},
    )


def _follows(
    words: Sequence[re.Match[str]], index: int, text: str, markers: frozenset[str]
) -> bool:
    """Does the word at `index` come right after one of `markers` (a space between)?"""
    if index == 0:
        return False
    before = words[index - 1]
    gap = text[before.end() : words[index].start()]
    return gap.isspace() and before.group(0).lower() in markers


def _noun_use(words: Sequence[re.Match[str]], index: int, text: str) -> bool:
    """A bare or -s form right after a determiner or a preposition ("the fire", "in charge"),
    or an -s form right after a count ("5,000 shares"), is a noun or an adjective."""
    if _follows(words, index, text, _noun_markers()):
        return True
    start = words[index].start()
    plural = words[index].group(0).lower().endswith("s")
    return plural and bool(_COUNT_BEFORE.search(text, max(0, start - 16), start))


def _trigger_at(words: Sequence[re.Match[str]], index: int, text: str, lexicon: Lexicon) -> bool:
    word = words[index].group(0).lower()
    if word in lexicon.forms:
        return True
    if word in lexicon.verb_only:
        return not _noun_use(words, index, text)
    if word in lexicon.noun_only:
        return not _follows(words, index, text, _verb_markers())
    return False


def _hits(sentence_text: str, lexicon: Lexicon) -> Iterator[str]:
    words = list(_LETTERS.finditer(sentence_text))
    for index, match in enumerate(words):
        if _trigger_at(words, index, sentence_text, lexicon):
            yield match.group(0).lower()
        for pattern in lexicon.phrases.get(match.group(0).lower(), ()):
            phrase = pattern.match(sentence_text, match.start())
            if phrase:
                yield " ".join(phrase.group(0).lower().split())


def keep(sentence_text: str, lexicon: Lexicon | None = None) -> bool:
    """True when the sentence may hold an event and deserves a full parse."""
    lexicon = lexicon or load_lexicon()
    if not lexicon.enabled or os.environ.get(DISABLE_ENV) == "0":
        return True
    return next(_hits(sentence_text, lexicon), None) is not None


def model_keeps(reading: Reading, thresholds: Thresholds, event_bar: float = MODEL_EVENT_BAR) -> bool:
    """Whether a sentence the trigger lexicon leaves out is parsed, from the event model's
    reading of it and the model's per-type thresholds: when the pipeline may code an event
    in it (a type at its triggerless bar), or the model is fairly sure it reports one. The
    one rule of the pipeline and of the recall benchmark (which also tries other bars)."""
    if reading.event >= event_bar:
        return True
    return any(p >= triggerless_bar(t, thresholds) for t, p in reading.types.items())


def reasons(sentence_text: str, lexicon: Lexicon | None = None) -> list[str]:
    """The words and phrases that make the sentence a candidate, in text order (for reports
    on what the prefilter keeps and why)."""
    lexicon = lexicon or load_lexicon()
    return list(dict.fromkeys(_hits(sentence_text, lexicon))) if lexicon.enabled else []


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return _word_list(ABBREVIATIONS_FILE)


@lru_cache(maxsize=1)
def _noun_markers() -> frozenset[str]:
    return _word_list(NOUN_MARKERS_FILE)


@lru_cache(maxsize=1)
def _verb_markers() -> frozenset[str]:
    return _word_list(VERB_MARKERS_FILE)


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Is the period at text[stop-1] part of an abbreviation rather than a sentence end?"""
    head = text[max(0, stop - 12) : stop]
    if _INITIALISM.search(head):
        return True
    match = re.search(r"([A-Za-z]+)\.$", head)
    return match is not None and match.group(1).lower() in _abbreviations()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (start, end) with surrounding whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        punct_end = match.start() + len(match.group(0).rstrip())
        if (
            text[match.start()] == "."
            and "\n" not in match.group(0)  # a line break after "Inc." still ends the line
            and _ends_with_abbreviation(text, match.start() + 1)
        ):
            continue
        _append_trimmed(
            spans, text, start, punct_end if text[match.start()] != "\n" else match.start()
        )
        start = end
    _append_trimmed(spans, text, start, len(text))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as the parser reads them: the pieces of `split_sentences`, joined where a
    line break cut one sentence. In text wrapped at a fixed width a line may start with a
    name ("the murder of\nColonel Waldemar Franklin Quintero, which..."); the parser reads
    across a single line break, so a piece kept without the rest would lose the sentence's
    arguments (the victim, the perpetrator) to the blanking, and the model would read half
    a sentence."""
    joined: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if joined and _goes_on(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _goes_on(text: str, end: int, next_start: int) -> bool:
    """Does the piece ending at `end` go on in the one starting at `next_start`: one line
    break between them and no sentence-final punctuation before it?"""
    return text.count("\n", end, next_start) == 1 and not _SENTENCE_END.search(text, max(0, end - 4), end)


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def candidate_sentences(
    text: str,
    *,
    neighbors: int = 0,
    keep_first: bool = True,
    lexicon: Lexicon | None = None,
    also: Callable[[Sequence[str]], Sequence[bool]] | None = None,
) -> list[tuple[int, int]]:
    """Char spans of the sentences to parse, in text order.

    `neighbors` also keeps that many sentences before and after each hit (for resolvers that
    look around an event); `keep_first` keeps the first sentence (headline or dateline);
    `also` is asked, in one call, about the sentences the lexicon left out (the pipeline asks
    the event model, so that a sentence it codes is never lost for want of a trigger word).
    """
    spans = sentence_spans(text)
    lexicon = lexicon or load_lexicon()
    if not lexicon.enabled or os.environ.get(DISABLE_ENV) == "0":
        return spans
    hits = [keep(text[start:end], lexicon) for start, end in spans]
    if also is not None:
        left = [i for i, hit in enumerate(hits) if not hit]
        for i, kept in zip(left, also([text[spans[i][0] : spans[i][1]] for i in left]), strict=True):
            hits[i] = bool(kept)
    chosen: set[int] = set()
    for index, hit in enumerate(hits):
        if hit:
            chosen.update(range(max(0, index - neighbors), min(len(spans), index + neighbors + 1)))
    if keep_first and spans:
        chosen.add(0)
    return [spans[i] for i in sorted(chosen)]


def mask_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with everything outside `spans` replaced by spaces (newlines kept).

    The result has the same length as `text`, so character offsets of a spaCy parse of the
    masked text are offsets into the original: events keep their true char_start/char_end.
    A blank line replaces dropped text between kept sentences so the parser never joins them.
    """
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        gap = text[cursor:start]
        pieces.append(_blank(gap, paragraph_break=bool(pieces) and not gap.isspace()))
        pieces.append(text[start:end])
        cursor = end
    pieces.append(_blank(text[cursor:], paragraph_break=False))
    return "".join(pieces)


def _blank(gap: str, paragraph_break: bool) -> str:
    blank = "".join(ch if ch == "\n" else " " for ch in gap)
    if paragraph_break and blank.count("\n") < 2 and len(blank) >= 3:
        # dropped text between two kept sentences becomes a blank line, which ends a sentence
        # for the parser (see eventline.nlp), so the two are never read as one
        blank = " \n\n" + blank[3:].replace("\n", " ")
    return blank
