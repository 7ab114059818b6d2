"""The watch loop: poll sources, ingest what is new, evaluate the alert rules, repeat.

One cycle reads every due source in a bounded pool of threads (I/O only), fetches the
article of each new item in the same pool, and hands the documents, as they arrive, to
the local engine's `run_ingest`: the same pipeline, dedupe and store writes as `eventline
ingest`, with the parsing in the engine's process(es) and the model loaded once for the
whole watch. Only this thread touches the store.

What survives a kill: a document is written (one transaction) before its item is marked
seen, and a source's ETag only after all its new items are; document ids come from the
item, so an item fetched again after a kill is found stored and only marked. Alerts are
stored before they are delivered and marked delivered after (eventline.watch.deliver).
A source that fails is reported (E704) with its URL, recorded for `eventline sources`,
and read again next cycle; the other sources go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from eventline.engines.local import LocalExtractor, default_pipeline_factory, run_ingest
from eventline.engines.workers import PipelineFactory
from eventline.errors import Msg
from eventline.ingest import iter_inputs
from eventline.model import Document, Problem
from eventline.store.sql import SQLStore
from eventline.store.watch_state import SeenItem
from eventline.watch.alerts import evaluate
from eventline.watch.articles import item_document
from eventline.watch.deliver import Delivery
from eventline.watch.fetch import Fetcher, FetchPolicy
from eventline.watch.items import FeedItem
from eventline.watch.reading import SourceRead, read_source
from eventline.watch.rules import Rule
from eventline.watch.sources import Source

DEFAULT_EVERY = 900.0


@dataclass
class WatchOptions:
    every: float = DEFAULT_EVERY
    max_cycles: int | None = None  # None: until stopped
    workers: int = 8  # fetch threads
    processes: int = 1  # parsing processes (the engine's)
    batch_size: int = 32
    actor_files: Sequence[Path] = ()
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    fetch_articles: bool = True


@dataclass
class CycleReport:
    number: int
    sources: int = 0
    failed: int = 0
    unchanged: int = 0
    new_items: int = 0
    documents: int = 0
    events: int = 0
    alerts: int = 0
    fetch_seconds: float = 0.0  # until the last source or article was read
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"cycle {self.number}: {self.sources} sources ({self.failed} failed, "
            f"{self.unchanged} unchanged), {self.new_items} new items, {self.documents} new "
            f"documents, {self.events} events, {self.alerts} alerts in {self.seconds:.1f} s"
        )


# an item on its way to the store: what to mark seen, once these documents are stored
Arrival = tuple[SeenItem, list[Document | Problem]]


class Watch:
    def __init__(
        self,
        sources: Sequence[Source],
        store: SQLStore,
        options: WatchOptions,
        *,
        rules: Sequence[Rule] = (),
        delivery: Delivery | None = None,
        report: Callable[[str], None] = lambda line: None,
        pipeline_factory: PipelineFactory = default_pipeline_factory,
    ) -> None:
        self.sources = list(sources)
        self.store = store
        self.options = options
        self.rules = list(rules)
        self.delivery = delivery or Delivery()
        self.report = report
        self.fetcher = Fetcher(options.policy)
        self.pipeline_factory = pipeline_factory
        self.cycles = 0
        self.last_failed = 0  # sources that failed in the last cycle

    def run(self) -> int:
        """Cycle until `max_cycles` (forever without it); returns the cycles run."""
        next_due = {source.location: 0.0 for source in self.sources}
        with LocalExtractor(
            actor_files=self.options.actor_files,
            processes=self.options.processes,
            pipeline_factory=self.pipeline_factory,
        ) as extractor:
            while self.options.max_cycles is None or self.cycles < self.options.max_cycles:
                started = time.monotonic()
                due = [s for s in self.sources if next_due[s.location] <= started]
                if due:
                    self.report(self.cycle(due, extractor).line())
                    for source in due:
                        next_due[source.location] = started + (source.every or self.options.every)
                    continue
                time.sleep(max(0.0, min(next_due.values()) - time.monotonic()))
        self.fetcher.close()
        return self.cycles

    def cycle(self, due: Sequence[Source], extractor: LocalExtractor) -> CycleReport:
        self.cycles += 1
        started = time.perf_counter()
        cycle = CycleReport(self.cycles, sources=len(due))
        reads: dict[str, SourceRead] = {}
        arrivals: dict[str, list[Arrival]] = {source.location: [] for source in due}
        with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
            documents = self._documents(due, pool, reads, arrivals, cycle, started)
            summary = run_ingest(
                documents, self.store, batch_size=self.options.batch_size, extractor=extractor
            )
        failed_docs = {p.doc_id for p in summary.problems if p.code == "E201" and p.doc_id}
        for problem in summary.problems:
            self.report(str(problem))
        for location, read in reads.items():
            self._settle(read, arrivals[location], failed_docs, cycle)
        cycle.documents, cycle.events = summary.documents_new, summary.events
        self.last_failed = cycle.failed
        cycle.alerts = self._alerts()
        cycle.seconds = time.perf_counter() - started
        return cycle

    def _documents(
        self,
        due: Sequence[Source],
        pool: ThreadPoolExecutor,
        reads: dict[str, SourceRead],
        arrivals: dict[str, list[Arrival]],
        cycle: CycleReport,
        started: float,
    ) -> Iterator[Document | Problem]:
        """The new documents of every due source, in the order they are ready."""
        cap = self.options.policy.max_bytes

        def fetched(_: Future) -> None:  # the last read ends the fetching (parsing goes on)
            cycle.fetch_seconds = time.perf_counter() - started

        pending: dict[Future, str] = {}  # a source's read (""), or an item of that source

        def submit(location: str, job: Callable, *arguments: object) -> None:
            work = pool.submit(job, *arguments)
            work.add_done_callback(fetched)
            pending[work] = location

        for source in due:
            submit(
                "", read_source, source, self.store.source_state(source.location), self.fetcher, cap
            )
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for finished in done:
                location = pending.pop(finished)
                if not location:  # a source was read: its new items go to the pool
                    read: SourceRead = finished.result()
                    reads[read.source.location] = read
                    for job, arguments in self._new_work(read, cycle):
                        submit(read.source.location, job, *arguments)
                    continue
                arrival: Arrival = finished.result()
                arrivals[location].append(arrival)
                yield from arrival[1]

    def _new_work(self, read: SourceRead, cycle: CycleReport) -> list[tuple[Callable, tuple]]:
        location = read.source.location
        if read.error is not None or read.not_modified:
            return []
        if read.source.kind == "folder":
            known = self.store.seen_items(location, (path for path, _ in read.files))
            files = [(path, digest) for path, digest in read.files if (path, digest) not in known]
            cycle.new_items += len(files)
            return [(_folder_file, (location, path, digest)) for path, digest in files]
        known = self.store.seen_items(location, (item.key for item in read.items))
        fresh: dict[tuple[str, str], FeedItem] = {}
        for item in read.items:
            if (item.key, item.content_hash) not in known:
                fresh.setdefault((item.key, item.content_hash), item)
        cycle.new_items += len(fresh)
        fetcher = self.fetcher if self.options.fetch_articles else None
        return [(_feed_item, (location, item, fetcher)) for item in fresh.values()]

    def _settle(
        self, read: SourceRead, arrived: list[Arrival], failed_docs: set[str], cycle: CycleReport
    ) -> None:
        """After the ingest: mark what was stored seen, then keep the source's validators."""
        location = read.source.location
        if read.error is not None:
            cycle.failed += 1
            self.store.record_failure(location, read.error)
            self.report(f"[E704] {Msg.E704.format(url=location, detail=read.error)}")
            return
        cycle.unchanged += read.not_modified
        stored = [
            seen
            for seen, outputs in arrived
            if not any(isinstance(o, Document) and o.id in failed_docs for o in outputs)
        ]
        self.store.mark_seen(stored)
        if len(stored) == len(arrived):
            self.store.record_success(location, read.etag, read.last_modified)
        else:  # a document failed: read the whole source again next time
            self.store.record_success(location, read.state.etag, read.state.last_modified)

    def _alerts(self) -> int:
        fired = self.store.add_alerts(evaluate(self.rules, self.store)) if self.rules else []
        waiting = self.store.undelivered_alerts()
        delivered, problems = self.delivery.deliver(waiting)
        for problem in problems:
            self.report(problem)
        self.store.mark_delivered(delivered)
        return len(fired)


def _feed_item(location: str, item: FeedItem, fetcher: Fetcher | None) -> Arrival:
    try:
        made = item_document(item, location, fetcher)
        document = made.document
    except Exception as error:  # noqa: BLE001 - one odd page never stops the cycle
        problem = Problem(
            item.link or location,
            "E109",
            Msg.E109.format(detail=f"{type(error).__name__}: {error}"[:300]),
        )
        return SeenItem(location, item.key, item.content_hash, item.link), [problem]
    doc_id = document.id if document is not None else None
    seen = SeenItem(location, item.key, item.content_hash, item.link, doc_id)
    return seen, [document] if document is not None else []


def _folder_file(location: str, path: str, digest: str) -> Arrival:
    outputs = list(iter_inputs([path]))
    first = next((o.id for o in outputs if isinstance(o, Document)), None)
    return SeenItem(location, path, digest, None, first), outputs
