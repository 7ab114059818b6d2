"""Score the date resolver on TimeBank 1.2 + AQUAINT (TempEval-3 training data, TimeML).

Each .tml file gives a document creation time (the TIMEX3 with
functionInDocument="CREATION_TIME") and, inside <TEXT>, gold TIMEX3 elements with their
normalised `value`. The text is the concatenation of every text node under <TEXT> with the
markup removed, so gold offsets and eventline offsets refer to the same string. The resolver
runs on that text with the creation date as anchor.

Matching (relaxed, as in TempEval-3): a predicted expression and a gold TIMEX3 match when
their character spans overlap.
- span_p: share of predicted expressions that overlap some gold TIMEX3;
- span_r: share of gold TIMEX3 that some prediction overlaps; span_f1 their harmonic mean;
- value_accuracy: share of ALL gold TIMEX3 whose matched prediction (the one with the largest
  overlap) has exactly the gold value, string for string. Gold values of every kind count:
  dates, weeks, quarters, durations (P3Y), sets (P1D) and PAST_REF / PRESENT_REF / FUTURE_REF.
  A gold expression no prediction overlaps counts as wrong, so this figure is bounded by span_r.
  The one liberty taken: a week number written with one digit (a few gold values read
  2000-W7 for ISO 2000-W07) is compared zero-padded, as the same week.
- value_accuracy_matched: the same over matched gold expressions only.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eventline.model import TimeValue


@dataclass
class GoldTimex:
    char_start: int
    char_end: int
    text: str
    value: str
    type: str


@dataclass
class TimebankDoc:
    doc_id: str
    creation_date: date | None
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)


def _tml_files(path: Path) -> list[Path]:
    """All .tml files under path (the timebank folder, or one of its sub-folders), sorted."""
    root = path / "timebank" if (path / "timebank").is_dir() else path
    return sorted(root.rglob("*.tml"))


def _walk_text(element: ET.Element, parts: list[str], timexes: list[GoldTimex], offset: int) -> int:
    """Append element's text content to parts, recording TIMEX3 offsets; returns the new offset."""
    start = offset
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        offset = _walk_text(child, parts, timexes, offset)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    if element.tag == "TIMEX3":
        # the text itself is filled in by read_tml once the whole string is known
        timexes.append(
            GoldTimex(start, offset, "", element.get("value", ""), element.get("type", ""))
        )
    return offset


def read_tml(path: Path) -> TimebankDoc:
    tree = ET.parse(path)
    root = tree.getroot()
    creation: date | None = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                creation = date.fromisoformat(timex.get("value", "")[:10])
            except ValueError:
                creation = None
            break
    text_element = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    if text_element is not None:
        _walk_text(text_element, parts, timexes, 0)
    text = "".join(parts)
    for gold in timexes:
        gold.text = text[gold.char_start : gold.char_end]
    doc_id = root.findtext("DOCID") or path.stem
    return TimebankDoc(doc_id.strip(), creation, text, timexes)


def load_timebank(path: Path) -> list[TimebankDoc]:
    """Every document of the TimeBank folder (or the eval/dev folder that holds it)."""
    return [read_tml(p) for p in _tml_files(path)]


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


@dataclass
class Alignment:
    gold: GoldTimex
    predicted: TimeValue | None

    @property
    def correct(self) -> bool:
        return self.predicted is not None and canonical_value(
            self.predicted.timex or ""
        ) == canonical_value(self.gold.value)


_SHORT_WEEK = re.compile(r"(?<=-W)(\d)(?!\d)")


def canonical_value(value: str) -> str:
    """A TimeML value written the standard way: ISO week numbers have two digits."""
    return _SHORT_WEEK.sub(r"0\1", value)


def align(gold: list[GoldTimex], predicted: list[TimeValue]) -> tuple[list[Alignment], int]:
    """Each gold expression with its best-overlapping prediction; and how many predictions hit gold."""
    alignments = []
    for timex in gold:
        best, best_overlap = None, 0
        for value in predicted:
            shared = _overlap(
                timex.char_start, timex.char_end, value.char_start or 0, value.char_end or 0
            )
            if shared > best_overlap:
                best, best_overlap = value, shared
        alignments.append(Alignment(timex, best))
    hits = sum(
        1
        for value in predicted
        if any(
            _overlap(g.char_start, g.char_end, value.char_start or 0, value.char_end or 0)
            for g in gold
        )
    )
    return alignments, hits


def iter_alignments(
    path: Path, limit: int | None = None
) -> Iterator[tuple[TimebankDoc, list[Alignment], int, int]]:
    """Per document: its alignments, how many predictions hit gold, and how many were made."""
    from eventline.nlp import load_nlp
    from eventline.resolve.dates.expressions import find_time_expressions

    documents = load_timebank(path)[:limit] if limit else load_timebank(path)
    nlp = load_nlp()
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        predicted = find_time_expressions(doc, document.creation_date)
        alignments, hits = align(document.timexes, predicted)
        yield document, alignments, hits, len(predicted)


def score_timebank(path: Path, limit: int | None = None) -> dict[str, float]:
    """Span precision/recall/F1 and value accuracy over the first `limit` documents (all if None)."""
    n_docs = n_gold = n_predicted = n_hits = n_matched = n_correct = 0
    for _document, alignments, hits, made in iter_alignments(path, limit):
        n_docs += 1
        n_gold += len(alignments)
        n_predicted += made
        n_hits += hits
        n_matched += sum(1 for a in alignments if a.predicted is not None)
        n_correct += sum(1 for a in alignments if a.correct)
    precision = n_hits / n_predicted if n_predicted else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "span_p": precision,
        "span_r": recall,
        "span_f1": f1,
        "value_accuracy": n_correct / n_gold if n_gold else 0.0,
        "value_accuracy_matched": n_correct / n_matched if n_matched else 0.0,
        "n_docs": float(n_docs),
        "n_gold": float(n_gold),
        "n_predicted": float(n_predicted),
    }
