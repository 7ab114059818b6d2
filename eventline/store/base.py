"""The store interface: every backend (SQLite, PostgreSQL) implements `Store`.

A store holds documents, report-level events (one per document mention), canonical events
(reports merged by eventline.dedupe), and claims. Writes happen one batch per transaction:
a document and everything extracted from it land together or not at all, so a run killed
at any moment and started again processes every document exactly once. A document whose
extraction failed is never stored (see `extraction_failed`): stored means done. Its failure
is recorded instead (`record_failures`), so that a document failing on every try is not
tried on every run forever, while one whose worker died is tried again a few times.

Reads: `Result`s (documents with their events and claims) and filters. Writes: stored
documents, reports, canonical events (through eventline.dedupe) and claims, failures and
leases, and answers to queries.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from eventline.errors import Msg
from eventline.model import Claim, Document, Event, Problem, Report, Result
from eventline.resolve.places.source_homes import SourceHomes


@dataclass
class EventFilter:
    """Filters shared by `eventline events`, the API and exports. Every field is optional."""

    since: date | None = None
    until: date | None = None
    country: str | None = None  # ISO alpha-3: matches the location or either actor
    actor: str | None = None  # substring of actor text/name/code, case-insensitive
    event_type: str | None = None  # PLOVER event type, e.g. ASSAULT
    mode: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    text: str | None = None  # substring of the evidence sentence
    doc_id: str | None = None
    limit: int | None = None
    offset: int = 0
    sort: str = "date"  # one of SORT_KEYS; prefix "-" for descending
    extra: dict[str, str] = field(default_factory=dict)

    SORT_KEYS = ("date", "fatalities", "event_type", "id", "report_count")


def told_total(flt: EventFilter, found: int) -> int | None:
    """The filter's total when a page of `found` events tells it by itself, else None: a
    page shorter than its limit is the last one (an empty one only at offset 0, since an
    offset past the end says nothing about where the end is)."""
    limit = flt.limit if flt.limit is not None else found + 1
    if found < limit and (found > 0 or flt.offset == 0):
        return flt.offset + found
    return None


# tries a document gets when its failure may not happen again (a worker process died)
FAILURE_ATTEMPTS = 3
# failures that happen again on every try (the pipeline raised): final at the first one
FINAL_FAILURE_CODES = frozenset({Msg.E201.name})


@dataclass
class Failure:
    """A document whose extraction failed, as the store records it."""

    doc_id: str
    origin: str | None
    code: str
    reason: str
    attempts: int
    final: bool  # later runs skip it (until `ingest --retry-failed`)
    failed_at: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def extraction_failed(result: Result) -> bool:
    """Whether extracting this result's document failed: the pipeline turns an exception
    into a Result with an error-severity problem (E201) and no events. Warnings (W102, no
    date found) leave a complete extraction."""
    return any(problem.severity == "error" for problem in result.problems)


class Store(ABC):
    """A place to keep documents, events, reports and claims."""

    url: str

    # ---- writing -------------------------------------------------------------------
    @abstractmethod
    def add_results(self, results: Iterable[Result]) -> int:
        """Store a batch in one transaction; return how many documents were new.

        A document already stored (same id) is skipped whole: re-ingesting changes nothing.
        A result whose extraction failed (`extraction_failed`) is left out and not counted.
        New report-level events are merged into canonical events by eventline.dedupe.
        """

    @abstractmethod
    def source_homes(self) -> SourceHomes:
        """What the stored documents tell about where each source is: their focus
        regions, counted per source (eventline.resolve.places.source_homes)."""

    @abstractmethod
    def has_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of these document ids are already stored (to skip work before parsing)."""

    # ---- failed documents -------------------------------------------------------------
    @abstractmethod
    def record_failures(self, failed: Iterable[tuple[Document, Problem]]) -> None:
        """Record why each document failed, in one transaction: one more attempt each,
        final at once for FINAL_FAILURE_CODES and after FAILURE_ATTEMPTS tries otherwise."""

    @abstractmethod
    def final_failures(self, doc_ids: Iterable[str]) -> dict[str, Failure]:
        """Which of these documents failed for good (later runs skip them)."""

    @abstractmethod
    def failures(self, limit: int | None = None, offset: int = 0) -> list[Failure]:
        """Every recorded failure, the latest first."""

    # ---- leases: concurrent ingests share the work ------------------------------------
    @abstractmethod
    def lease_documents(self, doc_ids: Iterable[str], holder: str) -> set[str]:
        """Lease the documents no other live ingest holds; return those leased to
        `holder` (see eventline.store.leases)."""

    @abstractmethod
    def release_documents(self, holder: str) -> None:
        """End every lease `holder` still has (an ingest calls it when it stops)."""

    # ---- reading -------------------------------------------------------------------
    @abstractmethod
    def events(self, flt: EventFilter | None = None) -> list[Event]:
        """Canonical events matching the filter, each with `report_count` set."""

    def event_json_texts(self, flt: EventFilter | None = None) -> list[str]:
        """The same events as `events`, each as one JSON object text (as `Event.to_dict`).
        Backends that keep each event's JSON return the stored text without decoding it."""
        return [json.dumps(event.to_dict(), ensure_ascii=False) for event in self.events(flt)]

    def event_page_json(
        self, flt: EventFilter, *, with_total: bool = False
    ) -> tuple[int, str, int | None]:
        """How many events `event_json_texts` finds, them as one JSON array text, and the
        filter's total when `with_total` (else None unless the page tells it by itself,
        see `told_total`). Backends that can join the stored texts and count in one
        statement override this."""
        texts = self.event_json_texts(flt)
        total = told_total(flt, len(texts))
        if total is None and with_total:
            total = self.count_events(replace(flt, limit=None, offset=0, sort="date"))
        return len(texts), "[" + ",".join(texts) + "]", total

    @abstractmethod
    def count_events(self, flt: EventFilter | None = None) -> int: ...

    @abstractmethod
    def event(self, event_id: str) -> Event | None:
        """One canonical event (or a report-level event id, which maps to its canonical one)."""

    @abstractmethod
    def reports(self, event_id: str) -> list[Report]:
        """Every report of a canonical event, oldest document first."""

    @abstractmethod
    def claims(self, flt: EventFilter | None = None) -> list[Claim]: ...

    @abstractmethod
    def document(self, doc_id: str) -> Document | None: ...

    @abstractmethod
    def documents(self, limit: int | None = None, offset: int = 0) -> Iterator[Document]: ...

    @abstractmethod
    def stats(self) -> dict[str, int]:
        """Counts of documents, reports, events and claims."""

    @abstractmethod
    def verify(self) -> None:
        """Raise StoreError unless the store reads whole and accepts writes (writers call
        it once before their first batch)."""

    def check(self) -> None:
        """Raise StoreError unless the store can be read: a cheap probe for health checks,
        which reads a page of events and the counts, as the listing endpoints do."""
        self.stats()
        self.event_page_json(EventFilter(limit=1), with_total=False)
        self.claims(EventFilter(limit=1))

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
