"""Which time and place expressions belong to which event frame.

Reads: a parsed sentence, its frames, the document's time expressions (eventline.resolve.dates.expressions)
and place mentions (eventline.resolve.places.document). Writes: for each frame, the expressions tied to
it through the parse, plus the sentence's places that say where something happened.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spacy.tokens import Doc, Span, Token

from eventline.data_files import word_set
from eventline.extraction.frames import Frame
from eventline.model import Place, TimeValue
from eventline.resolve.places.document import is_demonym_place

T = TypeVar("T")


def tie(root: Token, owner: dict[int, Frame], limit: int = 10) -> Frame | None:
    """The frame a time or place expression belongs to: walk up the parse from the expression
    until a word of a frame; crossing another verb (a new clause) ends the walk."""
    tok = root
    for step in range(limit):
        if tok.i in owner:
            return owner[tok.i]
        if step > 0 and tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


PLACE_PREPS = word_set("roles.yaml", "place_prepositions") | word_set(
    "roles.yaml", "target_prepositions"
)
FACILITIES = word_set("roles.yaml", "facility_nouns")
REPORTING_VERBS = word_set("roles.yaml", "reporting_verbs")


def dates_the_report(span: Span) -> bool:
    """A time the parse hangs on a reporting verb dates the report when it stands in the
    reporting clause ("Singh said on Tuesday", "officials on Monday said"). One before that
    clause ("struck a wedding in Gwoza on Saturday, killing 18, officials said") was hung
    there by a long sentence's parse and belongs to the event told."""
    verb = span.root.head
    # spaCy makes a new Token object per access: compare positions, not identities
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.lemma_.lower() not in REPORTING_VERBS:
        return False
    if span.start > verb.i:
        return True
    # the subject nearest the verb opens the reporting clause (a long sentence's parse may
    # give the verb a second, spurious subject further back)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    clause_start = max(subjects, key=lambda c: c.i).left_edge.i if subjects else verb.i
    return span.start >= clause_start


def placed(span: Span) -> bool:
    """Whether a place mention says where something happened ("in Iraq", "south of Baghdad",
    "attack on Al Asad Air Base") rather than naming an actor ("The United States struck",
    "U.S. forces")."""
    root = span.root
    doc = span.doc
    if span.end < len(doc) and doc[span.end].text in ("-", "–"):
        return False  # "Iran-backed", "U.S.-led": a modifier, not a place
    if root.dep_ == "pobj":
        if root.head.lower_ == "of":  # "a district of Kharkiv", "the outskirts of Gao"
            return root.head.head.lemma_.lower() in FACILITIES or root.head.head.lower_ in (
                "outskirts",
                "south",
                "north",
                "east",
                "west",
            )
        return root.head.lower_ in PLACE_PREPS
    if root.dep_ == "prep":  # the mention holds its preposition: "near Gao", "outside Kyiv"
        return root.lower_ in PLACE_PREPS or root.lower_ in ("of", "to")
    return root.dep_ in ("advmod", "npadvmod", "appos", "conj", "ROOT")


DATELINE_DASH = re.compile(r"\s(?:-|--|\u2013|\u2014)\s|\)\s*(?:-|\u2013|\u2014)?\s")


def dateline_end(text: str) -> int:
    """Where a dateline ("BAGHDAD, Nov. 22 (Reuters) -") ends, if one of the first three
    lines (a headline may stand above it) opens with one; else 0."""
    position = 0
    for line in text.splitlines(keepends=True)[:4]:
        stripped = line.lstrip()
        skipped = position + len(line) - len(stripped)
        position += len(line)
        if not stripped.strip():
            continue
        found = DATELINE_DASH.search(stripped[:120])
        lead = stripped[: found.start()] if found else ""
        if (
            found
            and re.match(r"[A-Z]", lead)
            and "," in lead
            and len(lead.split()) <= 10
            and re.search(r"\d", lead)
        ):
            return skipped + found.end()
    return 0


def dates_something(value: TimeValue) -> bool:
    timex = value.timex or ""
    return (
        bool(value.text.strip())
        and not timex.endswith("_REF")
        and not (timex.startswith("P") and value.start is None and not value.text)
    )


def char_span(doc: Doc, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        return None
    return doc.char_span(start, end, alignment_mode="expand")


@dataclass
class SentenceAnchors:
    """The times and places of one sentence, tied to its frames (keyed by id(frame))."""

    times: dict[int, list[tuple[Span, TimeValue]]] = field(default_factory=dict)
    places: dict[int, list[tuple[Span, Place]]] = field(default_factory=dict)
    sentence_places: list[tuple[Span, Place]] = field(default_factory=list)
    # expressions the parse tied to no frame ("Rescuers in Kharkiv ... after the attack")
    loose_places: list[tuple[Span, Place]] = field(default_factory=list)
    # times tied to no frame ("struck a wedding in Gwoza, Borno state, on Saturday": the
    # parser hangs the date on the state)
    loose_times: list[tuple[Span, TimeValue]] = field(default_factory=list)

    def sole_loose_place(self) -> list[tuple[Span, Place]]:
        """The sentence's one untied place (one name, however often it is repeated)."""
        names = {(p.name or p.text, p.country) for _, p in self.loose_places}
        tied = [pair for placed_list in self.places.values() for pair in placed_list]
        return self.loose_places[:1] if len(names) == 1 and not tied else []

    def sole_loose_time(self) -> list[tuple[Span, TimeValue]]:
        """The sentence's one untied time that dates something, when no frame of the
        sentence has a time of its own: it then dates the sentence's events."""
        dating = [(s, v) for s, v in self.loose_times if dates_something(v)]
        tied = any(dates_something(v) for pairs in self.times.values() for _, v in pairs)
        return dating if len(dating) == 1 and not tied else []

    def frame_times(self, frame: Frame) -> list[tuple[Span, TimeValue]]:
        # only expressions that date something count ("recently" and "for years" do not)
        return [(span, v) for span, v in self.times.get(id(frame), []) if dates_something(v)]

    def frame_places(self, frame: Frame) -> list[tuple[Span, Place]]:
        tied = self.places.get(id(frame), [])
        if frame.target is not None and not tied:
            # "an attack on Al Asad Air Base": the target object is the place
            tied = [(s, p) for s, p in self.sentence_places if s.start <= frame.target.i < s.end]
        return tied


class DocumentExpressions:
    """A parsed part's time and place expressions as spans of its parse, each span made once
    (on first use) rather than once per sentence that has frames, in the order they start, so
    that a sentence finds its own by bisection instead of reading every one of the part."""

    def __init__(self, doc: Doc, times: list[TimeValue], place_mentions: list[tuple[int, int, Place]]) -> None:
        self.doc = doc
        self._times = times
        self._places = place_mentions
        self._time_spans: _Located[TimeValue] | None = None
        self._place_spans: _Located[Place] | None = None

    def times_in(self, sent: Span) -> list[tuple[Span, TimeValue]]:
        if self._time_spans is None:
            self._time_spans = _Located([(char_span(self.doc, v.char_start, v.char_end), v) for v in self._times])
        return self._time_spans.within(sent)

    def places_in(self, sent: Span) -> list[tuple[Span, Place]]:
        if self._place_spans is None:
            spans = [(char_span(self.doc, start, end), place) for start, end, place in self._places]
            self._place_spans = _Located(spans)
        return self._place_spans.within(sent)


class _Located(Generic[T]):
    """Spans with their values, sorted by the token they start at (spans not in the parse left out)."""

    def __init__(self, items: list[tuple[Span | None, T]]) -> None:
        kept = [(span, value) for span, value in items if span is not None]
        self.items = sorted(kept, key=lambda item: item[0].start)
        self.starts = [span.start for span, _ in self.items]

    def within(self, sent: Span) -> list[tuple[Span, T]]:
        """The spans starting inside `sent`, in the order they start."""
        return self.items[bisect_left(self.starts, sent.start) : bisect_left(self.starts, sent.end)]


def anchor_sentence(
    sent: Span,
    frames: list[Frame],
    times: list[TimeValue],
    place_mentions: list[tuple[int, int, Place]],
    dateline: int = 0,
) -> SentenceAnchors:
    """Tie every time and place expression of `sent` to the frame it belongs to."""
    return tie_expressions(sent, frames, DocumentExpressions(sent.doc, times, place_mentions), dateline)


def tie_expressions(sent: Span, frames: list[Frame], expressions: DocumentExpressions, dateline: int = 0) -> SentenceAnchors:
    """`anchor_sentence` with the document's expressions already made spans."""
    owner = {i: frame for frame in frames for i in frame.tokens}
    anchors = SentenceAnchors()
    for span, value in expressions.times_in(sent):
        if span.end_char <= dateline:
            continue  # "GAO, March 4, 2024 -": the day of the report, not of the event
        frame = tie(span.root, owner)
        if frame is not None:
            anchors.times.setdefault(id(frame), []).append((span, value))
        elif not dates_the_report(span):
            anchors.loose_times.append((span, value))
    for span, place in expressions.places_in(sent):
        if not placed(span):
            continue
        if is_demonym_place(place):
            continue  # "Syrian", "Iraqi": an adjective is no place of an event
        anchors.sentence_places.append((span, place))
        frame = tie(span.root, owner)
        if frame is not None:
            anchors.places.setdefault(id(frame), []).append((span, place))
        else:
            anchors.loose_places.append((span, place))
    return anchors
