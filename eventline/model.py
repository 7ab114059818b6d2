"""The data model every stage reads and writes.

The flow is ingest -> parse -> extract -> resolve -> dedupe -> store -> serve, and each
stage speaks in the types below. `Event` and `Claim` are the output contract: their
`to_dict()` keys are stable and other tools read them (see docs/output-contract.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

DatePrecision = Literal["day", "week", "month", "year"]
# Event has a field named `date`, which hides the type in the fields declared after it
Day = date


def stable_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """A short deterministic id: the same inputs give the same id on every run and machine."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return prefix + digest[:length]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class Document:
    """One input text. `id` is stable: derived from the text unless the input gives one."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None
    # where the document came from: a file path, "path:line" for JSONL, "<stdin>"
    origin: str | None = None
    # how `published` was found: "input", "cli", "html", "dateline" or None
    published_from: str | None = None
    # the first-level regions, as [ISO alpha-3, name], where the document's source is: an
    # input may give it; engines otherwise set it from the source's earlier documents
    # (eventline.resolve.places.source_homes); place choice prefers namesakes there
    source_home: list[tuple[str, str]] = field(default_factory=list)
    # the text as given (plain text, a JSONL record's `text`, an HTML page's article text)
    # when cleaning changed it: `text` is what every stage reads, and the pipeline maps each
    # span back into `given`, so that offsets index the user's input (docs/output-contract.md)
    given: str | None = None
    # where each character of `text` came from in `given` (eventline.cleaning.TextMap): made
    # by cleaning, never serialised (the pipeline remakes it from `given` where it is missing)
    text_map: Any = field(default=None, repr=False, compare=False)

    @staticmethod
    def make_id(text: str) -> str:
        return stable_id(text.strip(), prefix="d")

    @property
    def input_text(self) -> str:
        """The text that spans index: the text as given."""
        return self.text if self.given is None else self.given

    def given_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the text as given that text[start:end] was cleaned from."""
        if self.given is None:
            return start, end
        if self.text_map is None:  # a document read back from JSON: clean it again
            from eventline.cleaning import clean_mapped

            self.text_map = clean_mapped(self.given)
        return self.text_map.span(start, end)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(replace(self, text_map=None))
        del out["text_map"]
        out["published"] = _iso(self.published)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["published"] = _date(kwargs.get("published"))
        return cls(**kwargs)


@dataclass
class Actor:
    """A resolved actor. `code` is CAMEO style (country + sector, e.g. USAMIL)."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # MIL, GOV, REB, ... (CAMEO role codes)
    code: str | None = None
    affiliation: str | None = None  # ISO alpha-3 of a backer, e.g. IRN for "Iran-backed"
    origin: str | None = None  # what gave the code: a dictionary entry "file:line", or a model
    char_start: int | None = None  # where `text` is in the document's text
    char_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Actor | None:
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Place:
    """A resolved place. `precision` follows ACLED: 1 exact, 2 near / part of, 3 region."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    geonameid: str | None = None  # "geonames:123", "icao:ORAA", "eventline:at-tanf", ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Place | None:
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class TimeValue:
    """A resolved time expression. With no anchor date, `start` is None and `text` stays."""

    text: str
    start: date | None = None
    end: date | None = None  # inclusive last day for intervals, weeks, months
    precision: DatePrecision | None = None
    timex: str | None = None  # TimeML-style value: 2023-11-22, 2023-W46, 2023-10, P2W
    char_start: int | None = None
    char_end: int | None = None
    approximate: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["start"], out["end"] = _iso(self.start), _iso(self.end)
        return out


@dataclass
class Count:
    """A number of people with its uncertainty: best guess and upper bound."""

    best: int | None
    maximum: int | None = None
    text: str = ""


@dataclass
class Event:
    """One coded event: the output contract."""

    id: str
    doc_id: str
    sentence: str
    char_start: int
    char_end: int
    event_type: str  # PLOVER event
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    quad_class: int | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    date: date | None = None
    date_end: Day | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    location: Place | None = None
    fatalities: int | None = None  # None: unknown; 0: none
    fatalities_max: int | None = None
    attribution: str | None = None
    confidence: float = 0.5
    trigger: str | None = None
    kind: str = "event"
    # filled by dedupe: how many reports describe this event
    report_count: int = 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (Actor, Place)):
                value = value.to_dict()
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, list):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["actor1"] = Actor.from_dict(kwargs.get("actor1"))
        kwargs["actor2"] = Actor.from_dict(kwargs.get("actor2"))
        kwargs["location"] = Place.from_dict(kwargs.get("location"))
        kwargs["date"] = _date(kwargs.get("date"))
        kwargs["date_end"] = _date(kwargs.get("date_end"))
        kwargs["context"] = list(kwargs.get("context") or [])
        return cls(**kwargs)


@dataclass
class Claim:
    """An aggregate statement ("66 strikes since Oct. 17"): a count over a period, not an event."""

    id: str
    doc_id: str
    sentence: str
    char_start: int
    char_end: int
    count: int | None
    event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None
    attribution: str | None = None
    kind: str = "claim"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Actor):
                value = value.to_dict()
            elif isinstance(value, date):
                value = value.isoformat()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["actor1"] = Actor.from_dict(kwargs.get("actor1"))
        kwargs["actor2"] = Actor.from_dict(kwargs.get("actor2"))
        kwargs["period_start"] = _date(kwargs.get("period_start"))
        kwargs["period_end"] = _date(kwargs.get("period_end"))
        return cls(**kwargs)


@dataclass
class Problem:
    """A report about one input that could not be (fully) processed. Never fatal to a batch."""

    origin: str  # file path, "path:line", "<stdin>"
    code: str  # a stable code from eventline.errors, e.g. "E101"
    message: str
    severity: Literal["error", "warning"] = "error"
    doc_id: str | None = None

    def __str__(self) -> str:
        return f"{self.severity}: {self.origin}: [{self.code}] {self.message}"


@dataclass
class Result:
    """What extraction gives for one document."""

    document: Document
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the first-level region (ISO alpha-3, name), or the regions tied for it, that most of
    # the document's places lie in: what it tells about where its source is
    # (eventline.resolve.places.source_homes)
    regions: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """One document's telling of a canonical event: the provenance kept by dedupe."""

    event_id: str  # the canonical event this report belongs to
    mention: Event  # the event exactly as this document gave it (its own id, values, sentence)
    source: str | None = None
    url: str | None = None
    published: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "report_id": self.mention.id,
            "doc_id": self.mention.doc_id,
            "source": self.source,
            "url": self.url,
            "published": _iso(self.published),
            "attribution": self.mention.attribution,
            "sentence": self.mention.sentence,
            "values": self.mention.to_dict(),
        }


def with_document_text(report: dict[str, Any], document: Document | None) -> dict[str, Any]:
    """A report's record with the text its `char_start`/`char_end` index (the document's text
    as given), so that every span can be checked."""
    report["document_text"] = document.input_text if document else None
    return report
