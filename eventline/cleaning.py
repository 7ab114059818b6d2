"""Clean a document's text: line breaks, spaces, invisible and control characters, and
the lines of page furniture ("Share this article", "All rights reserved") that extraction
from web pages leaves; and guess a headline from the first line.

Reads: a text. Writes: the same text cleaned, with where each of its characters came from
(`TextMap`): every later stage reads the cleaned text, and the pipeline maps each span it
gives back to the text as given, so that a span always indexes the user's input."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy

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
_SPACE_CLASS = r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# a run of spaces becomes one " ": runs of two or more, and any single space that is not " "
_SPACES = re.compile(rf"{_SPACE_CLASS}{{2,}}|(?! ){_SPACE_CLASS}")
_LINE_EDGE_SPACES = re.compile(r"^[^\S\n]+|[^\S\n]+$", re.MULTILINE)
_LINES = re.compile(r"^.+$", re.MULTILINE)
_WORDS = re.compile(r"\S+")
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass
class TextMap:
    """A text made from another (`given`), with the span of `given` each character came from:
    character i of `text` stands for given[starts[i]:ends[i]]."""

    text: str
    given: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str) -> TextMap:
        positions = array("q", numpy.arange(len(text) + 1, dtype=numpy.int64).tobytes())
        return cls(text, text, positions[:-1], positions[1:])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the given text that text[start:end] was made from."""
        if end <= start:
            point = self.starts[start] if start < len(self.text) else len(self.given)
            return point, point
        return self.starts[start], self.ends[end - 1]

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str] | str) -> TextMap:
        """Each match of `pattern` replaced: a replacement as long as its match keeps its
        characters' origins, any other stands for the whole match."""
        text, pieces = self.text, []
        starts, ends = array("q"), array("q")
        last = 0
        for match in pattern.finditer(text):
            begin, end = match.span()
            new = replace if isinstance(replace, str) else replace(match)
            if new == match.group():
                continue
            pieces.append(text[last:begin])
            starts.extend(self.starts[last:begin])
            ends.extend(self.ends[last:begin])
            if len(new) == end - begin:
                starts.extend(self.starts[begin:end])
                ends.extend(self.ends[begin:end])
            else:
                starts.extend(array("q", [self.starts[begin]]) * len(new))
                ends.extend(array("q", [self.ends[end - 1]]) * len(new))
            pieces.append(new)
            last = end
        if not pieces:
            return self
        pieces.append(text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        return TextMap("".join(pieces), self.given, starts, ends)

    def strip(self) -> TextMap:
        begin = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        if begin == 0 and end == len(self.text):
            return self
        end = max(begin, end)
        return TextMap(self.text[begin:end], self.given, self.starts[begin:end], self.ends[begin:end])


def clean_text(text: str) -> str:
    """Normalise line endings and spaces, drop page-junk lines, keep paragraph breaks."""
    return clean_mapped(text).text


def clean_mapped(text: str) -> TextMap:
    """`clean_text` with where each character of the cleaned text came from in `text`."""
    mapped = TextMap.identity(text).rewrite(_LINE_BREAKS, "\n")
    if not unicodedata.is_normalized("NFC", mapped.text):
        # word by word, so that a span keeps its place
        mapped = mapped.rewrite(_WORDS, lambda m: unicodedata.normalize("NFC", m.group()))
    mapped = mapped.rewrite(_INVISIBLE, "")
    mapped = mapped.rewrite(_WINDOWS_1252_AS_LATIN1, _from_windows_1252)
    mapped = mapped.rewrite(_CONTROL_CHARS, " ")
    mapped = mapped.rewrite(_SPACES, " ").rewrite(_LINE_EDGE_SPACES, "")
    junk = junk_line_pattern()
    # an emptied line keeps the paragraph break the junk line may have stood for
    mapped = mapped.rewrite(
        _LINES, lambda m: "" if len(m.group()) <= JUNK_MAX_LINE_CHARS and junk.fullmatch(m.group()) else m.group()
    )
    return mapped.rewrite(_BLANK_RUNS, "\n\n").strip()


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
