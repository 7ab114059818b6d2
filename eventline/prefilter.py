"""Prefilter: find the sentences worth a full spaCy parse, without running spaCy.

Most of a news article is background, quotes and page furniture. Parsing is the dominant
cost of extraction, so the pipeline parses only sentences that can hold an event: those with
a word form from the trigger lexicon (eventline/data/triggers.csv), a cue word from
eventline/data/prefilter/cues.csv (casualty and fighting words, the modals of demands), or a
number next to a claim word. The document's first sentence (headline or dateline) is always kept, because the
date and place resolvers read it, and `neighbors` can keep sentences around each hit.

Matching is on lower-cased word forms. Inflections are generated from each lemma (attack ->
attacks, attacked, attacking; seize -> seized; clash -> clashes) and irregular forms come from
irregular_forms.tsv (struck -> strike), so the test is one set lookup per word.

    spans = candidate_sentences(text)        # [(start, end), ...] char spans into text
    masked = mask_text(text, spans)          # same length; other sentences blanked out

When no trigger lexicon is installed the prefilter keeps every sentence: it must never cost
recall silently.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRIGGERS_FILE = DATA_DIR / "triggers.csv"
CUES_FILE = DATA_DIR / "prefilter" / "cues.csv"
IRREGULAR_FILE = DATA_DIR / "prefilter" / "irregular_forms.tsv"
ABBREVIATIONS_FILE = DATA_DIR / "prefilter" / "abbreviations.txt"
# column names that may hold the trigger word in triggers.csv, in order of preference
TRIGGER_COLUMNS = ("lemma", "trigger", "word", "phrase", "term", "text", "pattern")
# set EVENTLINE_PREFILTER=0 to parse every sentence (to measure what the prefilter costs)
DISABLE_ENV = "EVENTLINE_PREFILTER"

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|"
    r"scores|several|many|more than)\b",
    re.IGNORECASE,
)
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or opening quote; at a blank line; or at a line break, unless the next line goes on
# in lower case (text wrapped at a fixed width: "has said the\n firm must have a permit").
# Abbreviations are checked in code.
_BOUNDARY = re.compile(
    r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
    r"|\n[^\S\n]*\n\s*|\n\s*+(?![a-z])"
)
# words that end with a period without ending a sentence ("Gen. Smith", "Oct. 27", "U.S. forces")
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")  # U.S.  U.N.  J.


@dataclass(frozen=True)
class Lexicon:
    """Lower-cased word forms that make a sentence a candidate."""

    forms: frozenset[str]  # any of these anywhere keeps the sentence
    number_forms: frozenset[str]  # these keep it only together with a number
    enabled: bool  # False when no trigger lexicon exists: keep everything


def _read_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines, delimiter=delimiter))


def _trigger_words(path: Path) -> list[str]:
    rows = _read_rows(path)
    if not rows:
        return []
    columns = list(rows[0].keys())
    column = next((c for c in TRIGGER_COLUMNS if c in columns), columns[0])
    return [row[column].strip() for row in rows if row.get(column)]


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, list[str]]:
    by_lemma: dict[str, list[str]] = {}
    if IRREGULAR_FILE.is_file():
        with IRREGULAR_FILE.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#") or not line.strip():
                    continue
                form, lemma, *_ = line.rstrip("\n").split("\t")
                by_lemma.setdefault(lemma, []).append(form)
    return by_lemma


def word_forms(lemma: str) -> set[str]:
    """The lemma and its regular and irregular inflections, lower-cased."""
    word = lemma.lower()
    forms = {word, word + "s", word + "ed", word + "ing", word + "es", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    # consonant doubling: shell -> shelled, ambush stays, bomb stays, stab -> stabbed
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms.update(_irregular_forms().get(word, ()))
    return forms


# particles of phrasal verbs and prepositions: "blow up" is matched on "blow", not on "up",
# and "call for" on "call": "for" alone would keep a large share of all sentences
_PARTICLES = frozenset(
    {"up", "down", "off", "out", "on", "in", "over", "away", "back", "into"}
    | {"for", "to", "with", "against", "from", "of", "at", "by", "about", "upon", "as"}
)


def _add_phrase(target: set[str], phrase: str) -> None:
    """Index a trigger by its head word: the last word ("opened fire" -> fire, "car bomb" ->
    bomb), or the first when the last is a particle or preposition ("blew up" -> blow, "call
    for" -> call). Every form of the phrase contains its head, so this loses no recall and
    keeps "open" from matching alone."""
    words = _WORD.findall(phrase)
    if not words:
        return
    head = words[0] if len(words) > 1 and words[-1].lower() in _PARTICLES else words[-1]
    target |= word_forms(head)


@lru_cache(maxsize=4)
def load_lexicon(triggers_file: Path = TRIGGERS_FILE, cues_file: Path = CUES_FILE) -> Lexicon:
    """Build the word-form sets from the trigger lexicon and the cue list (cached)."""
    if not triggers_file.is_file():
        return Lexicon(frozenset(), frozenset(), enabled=False)
    forms: set[str] = set()
    number_forms: set[str] = set()
    for phrase in _trigger_words(triggers_file):
        _add_phrase(forms, phrase)
    if cues_file.is_file():
        for row in _read_rows(cues_file):
            word = (row.get("word") or "").strip()
            if word:
                _add_phrase(number_forms if row.get("kind") == "claim" else forms, word)
    return Lexicon(frozenset(forms), frozenset(number_forms - forms), enabled=True)


def keep(sentence_text: str, lexicon: Lexicon | None = None) -> bool:
    """True when the sentence may hold an event or claim and deserves a full parse."""
    lexicon = lexicon or load_lexicon()
    if not lexicon.enabled or os.environ.get(DISABLE_ENV) == "0":
        return True
    words = {w.lower().strip("'-") for w in _WORD.findall(sentence_text)}
    if not words.isdisjoint(lexicon.forms):
        return True
    return not words.isdisjoint(lexicon.number_forms) and bool(_NUMBER.search(sentence_text))


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    if not ABBREVIATIONS_FILE.is_file():
        return frozenset()
    lines = ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Is the period at text[stop-1] part of an abbreviation rather than a sentence end?"""
    head = text[max(0, stop - 12) : stop]
    if _INITIALISM.search(head):
        return True
    match = re.search(r"([A-Za-z]+)\.$", head)
    return bool(match) and match.group(1).lower() in _abbreviations()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (start, end) with surrounding whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        punct_end = match.start() + len(match.group(0).rstrip())
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start() + 1):
            continue
        _append_trimmed(
            spans, text, start, punct_end if text[match.start()] != "\n" else match.start()
        )
        start = end
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def candidate_sentences(
    text: str, *, neighbors: int = 0, keep_first: bool = True, lexicon: Lexicon | None = None
) -> list[tuple[int, int]]:
    """Char spans of the sentences to parse, in text order.

    `neighbors` also keeps that many sentences before and after each hit (for resolvers that
    look around an event); `keep_first` keeps the first sentence (headline or dateline).
    """
    spans = split_sentences(text)
    lexicon = lexicon or load_lexicon()
    if not lexicon.enabled or os.environ.get(DISABLE_ENV) == "0":
        return spans
    chosen: set[int] = set()
    for index, (start, end) in enumerate(spans):
        if keep(text[start:end], lexicon):
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


def kept_share(texts: Iterable[str]) -> float:
    """Share of characters the prefilter keeps over some texts (for reports and benchmarks)."""
    total = kept = 0
    for text in texts:
        total += len(text)
        kept += sum(end - start for start, end in candidate_sentences(text))
    return kept / total if total else 1.0
