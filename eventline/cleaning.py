"""Clean a document's text: line breaks, spaces, invisible and control characters, and
the lines of page furniture ("Share this article", "All rights reserved") that extraction
from web pages leaves; and guess a headline from the first line.

Reads: a text. Writes: the same text cleaned; character offsets refer to the cleaned text,
which is the text every later stage reads."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from eventline.data_files import data_path
from eventline.errors import ConfigError, Msg

JUNK_LINES_FILE = data_path("ingest/junk_lines.txt")
# Lines longer than this are prose, never page furniture, whatever the patterns say.
JUNK_MAX_LINE_CHARS = 300

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# C1 control characters in text almost always are Windows-1252 punctuation read as
# Latin-1 (an em dash as "\x97", a right quote as "\x92"): give them back their meaning
_WINDOWS_1252_AS_LATIN1 = re.compile(r"[\x80-\x84\x86-\x9f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise line endings and spaces, drop page-junk lines, keep paragraph breaks."""
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _WINDOWS_1252_AS_LATIN1.sub(_from_windows_1252, text)
    text = _CONTROL_CHARS.sub(" ", text)
    junk = junk_line_pattern()
    kept: list[str] = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and len(line) <= JUNK_MAX_LINE_CHARS and junk.fullmatch(line):
            # an empty line keeps the paragraph break the junk line may have stood for
            line = ""
        kept.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def _from_windows_1252(match: re.Match[str]) -> str:
    # the five bytes Windows-1252 leaves undefined become spaces, as other controls do
    return match.group().encode("latin-1").decode("cp1252", errors="replace").replace("\ufffd", " ")


@cache
def junk_line_pattern(path: Path = JUNK_LINES_FILE) -> re.Pattern[str]:
    """All junk-line patterns of `path` as one case-insensitive regular expression."""
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            re.compile(line)
        except re.error as exc:  # name the line: the file is meant to be edited by users
            raise ConfigError(Msg.E407, path=str(path), line=number, detail=str(exc)) from exc
        patterns.append(f"(?:{line})")
    return re.compile("|".join(patterns) or r"(?!)", re.IGNORECASE)


def guess_headline(text: str) -> str | None:
    """The first line when it reads like a headline: short, no final period, then a blank line."""
    first, sep, rest = text.partition("\n\n")
    if not sep or not rest.strip() or "\n" in first:
        return None
    first = first.strip()
    if not 2 <= len(first.split()) <= 30 or len(first) > 200:
        return None
    return None if first[-1] in ".,;:" or first[0].islower() else first
