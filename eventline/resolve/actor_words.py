"""The words of actor phrases: one tokenisation for dictionary aliases and documents alike,
the alias forms indexed besides the written one (regular plurals, demonym plurals, a name
without its article), and whether a text is written mostly in capitals.

Reads: alias strings and document text. Writes: `Word`s with their character offsets
(case-, accent-, apostrophe- and punctuation-free, possessive "'s" stripped), alias forms,
and yes/no. Used by eventline.resolve.actors.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from eventline.resolve.actor_entries import Entry

WORD = re.compile(r"(?:[^\W_]\.){2,}|[^\W_]+(?:['’][^\W_]+)*(?:['’]s?)?")


@dataclass(frozen=True)
class Word:
    norm: str
    raw: str  # the surface form without dots and apostrophes, case kept (for acronyms)
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    first: int  # word index, inclusive
    last: int  # word index, exclusive
    entry: Entry


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokenize(text: str) -> list[Word]:
    """Words with their character offsets; the same function reads aliases and documents."""
    words = []
    for found in WORD.finditer(text):
        surface = found.group(0)
        if surface[-2:].lower() in ("'s", "’s") and len(surface) > 2:
            surface = surface[:-2]
        surface = surface.rstrip("'’")
        raw = _strip_accents(surface.replace(".", "").replace("'", "").replace("’", ""))
        if raw:
            words.append(Word(raw.lower(), raw, found.start(), found.end()))
    return words


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """The spellings one deletion, transposition, substitution or insertion away from `word`
    (lower case): the variants a transliterated or mistyped name takes ("Mitterand")."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    variants |= {a + c + b for a, b in splits for c in _LETTERS}
    variants.discard(word)
    return variants


def _plurals(term: str) -> list[str]:
    """Regular English plurals of the last word of an agent noun phrase."""
    head, _, last = term.rpartition(" ")
    prefix = f"{head} " if head else ""
    if last.endswith("man"):
        forms = [last[:-3] + "men"]
    elif last.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    else:
        forms = [last + "s"]
    return [prefix + form for form in forms]


def _without_article(alias: str) -> str:
    """ "THE ISLAMIC STATE" is indexed as "islamic state": the article is no part of a name."""
    head, _, rest = alias.partition(" ")
    return rest if head.lower() == "the" and rest else alias


def _demonym_plurals(demonym: str) -> list[str]:
    if demonym.endswith(("ese", "ish", "ch", "s", "x", "z")):
        return []
    return [demonym + "s"]


# the ASCII letters and capitals of the text are counted by bytes.translate, which deletes
# the other bytes at C speed; the few other characters are tested one by one
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_ASCII_NON_CAPITALS = bytes(b for b in range(128) if not chr(b).isupper())


def _mostly_capitals(text: str) -> bool:
    """Whether most letters of the text's first 5,000 characters are capitals."""
    head = text[:5000]
    raw = head.encode("ascii", errors="ignore")
    others = [c for c in _NOT_ASCII.findall(head) if c.isalpha()]
    letters = len(raw.translate(None, _ASCII_NON_LETTERS)) + len(others)
    capitals = len(raw.translate(None, _ASCII_NON_CAPITALS)) + sum(map(str.isupper, others))
    return letters > 40 and capitals > 0.6 * letters
