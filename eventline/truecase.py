"""Parse: give all-capitals text (old wire copy, some feeds) a case the parser can read.

spaCy's model was trained on ordinarily cased text; on "GUERRILLAS ATTACKED THE FARM" it tags
most words as proper nouns and the parse falls apart. `restore_case` lowers such text and puts
capitals back where they belong: sentence starts, names the gazetteer or the actor dictionaries
know, words after titles ("President Cerezo"), and acronyms in parentheses. The result has the
same length as the input, so character offsets stay those of the original text.

Reads: a document's text and the names the gazetteer and actor dictionaries know. Writes:
the same text, recased, of the same length. Knowledge: eventline/data/truecase.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.lang.en.stop_words import STOP_WORDS

from eventline.data_files import word_set

# at least this share of letters in capitals, over at least this many letters, is "all caps"
CAPS_SHARE = 0.8
MIN_LETTERS = 40
# the words that decide case (eventline/data/truecase.yaml)
TITLES = word_set("truecase.yaml", "titles")
CALENDAR = word_set("truecase.yaml", "calendar")
FUNCTION_WORDS = word_set("truecase.yaml", "function_words")
COMMON_VERBS = word_set("truecase.yaml", "common_verbs")
_WORD = re.compile(r"[a-z][a-z'\-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"')\]]*\s+|\n\s*\n\s*)[\"'(\[]?([a-z])")
_PARENTHESISED = re.compile(r"\(([a-z]{2,8})\)")


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_UPPER + _ASCII_UPPER.lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def mostly_capitals(text: str) -> bool:
    # every document passes here: ASCII letters are counted as bytes, much more cheaply than
    # in a loop over characters; only the few other characters (quotes, dashes, accented
    # letters) are looked at one by one
    raw = text.encode("ascii", "ignore")
    letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    capitals = len(raw) - len(raw.translate(None, _ASCII_UPPER))
    if len(raw) < len(text):
        other = [c for c in _NON_ASCII.findall(text) if c.isalpha()]
        letters += len(other)
        capitals += sum(c.isupper() for c in other)
    if letters < MIN_LETTERS:
        return False
    return capitals / letters >= CAPS_SHARE


def restore_case(text: str, is_name: Callable[[str], bool]) -> str:
    """`text` with ordinary case when it is all capitals, else `text` unchanged.

    `is_name(phrase)` says whether a lower-cased phrase of one to three words is a proper name
    (a place, country, demonym or named group)."""
    if not mostly_capitals(text):
        return text
    chars = list(text.lower())
    lowered = "".join(chars)

    def capitalise(position: int) -> None:
        chars[position] = chars[position].upper()

    for found in _SENTENCE_START.finditer(lowered):
        capitalise(found.start(1))
    words = list(_WORD.finditer(lowered))
    index = 0
    while index < len(words):
        matched = 0
        for size in (3, 2, 1):
            if index + size > len(words):
                continue
            group = words[index : index + size]
            # the words of a name follow each other with only spaces or hyphens between them
            if any(lowered[a.end():b.start()].strip(" -") != "" for a, b in zip(group, group[1:], strict=False)):
                continue
            phrase = " ".join(w.group() for w in group)
            if is_name(phrase):
                for word in group:
                    capitalise(word.start())
                matched = size
                break
        if matched:
            index += matched
            continue
        word = words[index]
        if word.group() in CALENDAR:
            capitalise(word.start())
        if word.group() in TITLES:
            # "president cerezo", "col luis arturo isaacs": the name after a title
            for following in words[index + 1 : index + 4]:
                gap = lowered[word.end() : following.start()]
                if following.group() in FUNCTION_WORDS or following.group() in STOP_WORDS or "," in gap:
                    break
                if following.group().endswith("ed") or following.group() in COMMON_VERBS:
                    break
                capitalise(following.start())
                word = following
        index += 1
    for found in _PARENTHESISED.finditer(lowered):
        for position in range(found.start(1), found.end(1)):
            chars[position] = chars[position].upper()
    return "".join(chars)
