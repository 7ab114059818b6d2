"""The one way into eventline/data/: where it lies and how its files are read.

Every word list, dictionary and table the stages use lives in a file under eventline/data/
(its source and license in eventline/data/SOURCES.md). The conventions, the same for every file:
- text is UTF-8;
- in line-based files (CSV, TSV, word lists) a line whose first non-blank character is `#` is
  a comment, and blank lines are skipped;
- YAML word lists are read with every value as a string ("no", "on" stay words), other YAML
  with its types.
Paths are relative to eventline/data/ unless absolute (a user's own dictionary).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str | Path) -> Path:
    """A file under eventline/data/ (an absolute path is returned as it is)."""
    return DATA_DIR / name


def data_lines(name: str | Path) -> list[str]:
    """The lines of a line-based file that are neither blank nor comments, without newlines."""
    text = data_path(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_csv(name: str | Path, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a CSV (or TSV) file with a header line, comments and blank lines skipped."""
    return list(csv.DictReader(data_lines(name), delimiter=delimiter))


def read_words(name: str | Path) -> list[str]:
    """A word list, one entry a line, stripped of surrounding spaces."""
    return [line.strip() for line in data_lines(name)]


@cache
def read_yaml(name: str | Path) -> Any:
    """A YAML file with its types (numbers as numbers)."""
    return yaml.safe_load(data_path(name).read_text(encoding="utf-8"))


@cache
def read_word_yaml(name: str | Path) -> dict[str, Any]:
    """A YAML file of word lists: every value is a string, so "on" and "no" stay words."""
    return yaml.load(data_path(name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def word_set(name: str | Path, key: str) -> frozenset[str]:
    """One list of a YAML file of word lists, lower-cased."""
    return frozenset(str(w).lower() for w in read_word_yaml(name)[key])


def word_list(name: str | Path, key: str) -> tuple[str, ...]:
    """One list of a YAML file of word lists as written: order and case kept."""
    return tuple(str(w) for w in read_word_yaml(name)[key])
