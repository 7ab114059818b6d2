"""Local engine: run the pipeline over many documents in one or more processes.

`run_ingest` feeds a store and can be killed at any moment: documents already stored are
skipped before parsing, and each batch is written in one transaction, so a restarted run
ends with every document processed exactly once. `run_extract` is the stateless variant
behind `eventline extract`.

With processes > 1, workers extract and the parent alone touches the store. On Linux the
parent loads the pipeline once and forks its workers from it, so they share the loaded model
(copy on write) and start at once; where fork is unsafe (other systems, or other threads
running in the parent) workers are spawned and each loads its own pipeline. Batches are
handed out and collected in input order; what a batch learns of its sources' homes reaches
the batches handed out after it comes back (eventline.resolve.places.source_homes). A document whose extraction
raises becomes a Problem (E201); a worker that dies (out of memory, a crash in native code)
is replaced and its batch retried one document at a time to find the document at fault
(E202). `run_ingest` records each failure in the store, and skips documents that failed
for good on an earlier run (see eventline.store.failures). What runs inside a worker, and
the extraction of one batch, is in eventline.engines.workers.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.connection
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from eventline.engines.workers import (
    PipelineFactory,
    PipelineLike,
    environment_variables,
    extract_batch,
    fork_is_safe,
    init_forked_worker,
    init_spawned_worker,
    worker_died,
    worker_extract,
    worker_ready,
)
from eventline.errors import StoreError
from eventline.model import Document, Problem, Result
from eventline.resolve.places.source_homes import SourceHomes, source_key
from eventline.store.base import Store, extraction_failed
from eventline.store.leases import new_holder

# With the default process count, where workers are forked (they share the pipeline this
# process loaded and cost no measurable CPU to start), an input is extracted by one process
# per core when it holds more documents than one batch, so that a second worker has a batch
# to take. Where they are spawned, each loads its own pipeline (seconds of CPU), which an
# input of at least PARALLEL_INPUT_CHARS characters repays. (docs/performance.md, "Default
# process count")
PARALLEL_INPUT_CHARS = 200_000


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def default_processes(
    inputs: Iterable[Document | Problem], batch_size: int = 16
) -> tuple[int, Iterator[Document | Problem]]:
    """How many processes extract `inputs` by default, and the inputs, unchanged: the
    documents read to decide (more than a batch of `batch_size` documents with forked
    workers, at most `PARALLEL_INPUT_CHARS` of text with spawned ones) come first."""
    forked = fork_is_safe()
    iterator = iter(inputs)
    ahead: list[Document | Problem] = []
    documents = size = 0
    enough = False
    for item in iterator:
        ahead.append(item)
        if isinstance(item, Document):
            documents += 1
            size += len(item.text)
        enough = documents > batch_size if forked else size >= PARALLEL_INPUT_CHARS
        if enough:
            break
    cores = available_cores()
    processes = cores if enough and cores > 1 else 1
    return processes, itertools.chain(ahead, iterator)


# one short text that touches every lazily loaded part: the spaCy model, the actor
# dictionaries, the gazetteer and its town points (for "northern Nigeria"), the ACLED
# classifier (together about 15 s on first use)
WARM_UP_TEXT = "Soldiers attacked a village in northern Nigeria on Monday, killing two people."


def default_pipeline_factory(actor_files: Sequence[Path]) -> PipelineLike:
    from eventline.pipeline import Pipeline

    pipeline = Pipeline(actor_files=actor_files)
    # load everything now, while the worker starts, not inside the first batch it is given:
    # a worker still loading would hold its batch while the others wait at the end
    pipeline.process(Document("warm-up", WARM_UP_TEXT))
    return pipeline


@dataclass
class IngestProgress:
    """Running totals, passed to `on_progress` after every batch."""

    documents_seen: int = 0
    documents_new: int = 0
    documents_skipped: int = 0  # already in the store (or repeated in the input)
    documents_failed: int = 0  # input problems and extraction failures
    documents_failed_before: int = 0  # skipped: failed for good on an earlier run
    documents_elsewhere: int = 0  # skipped: another ingest into the store is extracting them
    events: int = 0
    claims: int = 0
    elapsed_seconds: float = 0.0


@dataclass
class IngestSummary(IngestProgress):
    """What a finished ingest did, with every problem met on the way."""

    problems: list[Problem] = field(default_factory=list)


# ---- the executor: in-process or a pool, always in input order ----------------------------
class LocalExtractor:
    """Extract batches in order, in this process (processes=1) or in a worker pool.

    Use as a context manager; `map_batches` yields one list per batch, in input order.
    """

    def __init__(
        self,
        *,
        actor_files: Sequence[Path] = (),
        processes: int = 1,
        pipeline_factory: PipelineFactory = default_pipeline_factory,
    ) -> None:
        self.actor_files = tuple(Path(p) for p in actor_files)
        self.processes = max(1, processes)
        self.factory = pipeline_factory
        self._pipeline: PipelineLike | None = None  # extracts in this process (processes=1)
        self._template: PipelineLike | None = None  # loaded here, shared by forked workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExtractor:
        if self.processes == 1:
            self._pipeline = self.factory(self.actor_files)
        else:
            self._pool = self._new_pool()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start_workers(self, timeout: float = 600.0) -> list[int]:
        """Start every worker and wait until each has loaded its pipeline; returns the
        process ids that answered (this process's alone without a pool). Optional: batches
        wait for a loading worker anyway; a benchmark calls it so start-up is not timed."""
        if self._pool is None:
            return [os.getpid()]
        ready: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(ready) < self.processes and time.monotonic() < deadline:
            probes = [self._pool.submit(worker_ready) for _ in range(self.processes)]
            ready |= {probe.result() for probe in probes}
        return sorted(ready)

    def _new_pool(self) -> ProcessPoolExecutor:
        if not fork_is_safe():
            # spawn: workers start clean (no copied locks or threads), each loads the model
            return ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=init_spawned_worker,
                initargs=(self.factory, self.actor_files),
            )
        if self._template is None:
            from eventline.pipeline import PARSE_PROCESSES_VARIABLE

            # loaded as the workers will use it (one parsing process each)
            with environment_variables({PARSE_PROCESSES_VARIABLE: "1"}):
                self._template = self.factory(self.actor_files)
        # objects of the loaded pipeline stay out of the collector's passes, which would
        # otherwise write to (and so copy) every page holding one in every worker
        gc.freeze()
        pool = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=init_forked_worker,
            initargs=(self._template,),
        )
        # the first task forks every worker now, while this is still the only thread
        pool.submit(worker_ready).result()
        return pool

    def map_batches(
        self, batches: Iterable[list[Document | Problem]]
    ) -> Iterator[tuple[list[Document | Problem], list[Result | Problem]]]:
        if self._pool is None:
            assert self._pipeline is not None, "use LocalExtractor as a context manager"
            for batch in batches:
                yield batch, extract_batch(self._pipeline, batch)
            return
        # keep every worker busy with a bounded window of batches in flight; batches are
        # pulled from the caller's iterator here, in the caller's thread, one at a time
        window: deque[tuple[list[Document | Problem], Future[list[Result | Problem]]]] = deque()
        iterator = iter(batches)
        exhausted = False
        while True:
            while not exhausted and len(window) < 2 * self.processes:
                pending = next(iterator, None)
                if pending is None:
                    exhausted = True
                elif pending:
                    window.append((pending, self._pool.submit(worker_extract, pending)))
            if not window:
                return
            batch, future = window.popleft()
            try:
                yield batch, future.result()
            except BrokenProcessPool:
                yield batch, self._recover(batch, window)

    def _recover(
        self,
        batch: list[Document | Problem],
        window: deque[tuple[list[Document | Problem], Future[list[Result | Problem]]]],
    ) -> list[Result | Problem]:
        """A worker died: start a new pool, redo this batch one document at a time."""
        pending = [b for b, _ in window]
        window.clear()
        self._restart_pool()
        out: list[Result | Problem] = []
        for document in batch:
            if isinstance(document, Problem):
                out.append(document)
                continue
            try:
                out.extend(self._pool_submit([document]).result())
            except BrokenProcessPool as error:
                out.append(worker_died(document, error))
                self._restart_pool()
        for other in pending:  # the batches that were in flight with it go again
            window.append((other, self._pool_submit(other)))
        return out

    def _pool_submit(self, batch: list[Document | Problem]) -> Future[list[Result | Problem]]:
        assert self._pool is not None
        return self._pool.submit(worker_extract, batch)

    def _restart_pool(self) -> None:
        if self._pool is not None:
            # waited for: the broken pool's threads must be gone before workers are forked
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()


def _batched(items: Iterable[Document | Problem], size: int) -> Iterator[list[Document | Problem]]:
    batch: list[Document | Problem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(
    store: Store,
    homes: SourceHomes,
    summary: IngestSummary,
    batch: list[Document | Problem],
    outputs: list[Result | Problem],
) -> None:
    """Store one extracted batch in one transaction, learn the sources' homes from it, and
    count it in `summary`; record each document whose extraction failed, and why."""
    # a document whose extraction failed is not stored: its failure is recorded below
    results = [r for r in outputs if isinstance(r, Result) and not extraction_failed(r)]
    written = store.add_results(results) if results else 0
    for result in results:
        homes.learn(source_key(result.document), result.regions)
    summary.documents_new += written
    summary.documents_skipped += len(results) - written
    failed: list[tuple[Document, Problem]] = []
    for item, output in zip(batch, outputs, strict=True):
        if isinstance(output, Result):
            summary.problems.extend(output.problems)
            if extraction_failed(output):
                summary.documents_failed += 1
                reason = next(p for p in output.problems if p.severity == "error")
                failed.append((output.document, reason))
                continue
            summary.events += len(output.events)
            summary.claims += len(output.claims)
            continue
        summary.problems.append(output)
        if isinstance(item, Document):
            failed.append((item, output))
        # an input problem counts as a failed document unless it is only a warning
        if isinstance(item, Document) or output.severity == "error":
            summary.documents_failed += 1
    store.record_failures(failed)


# ---- public entry points ------------------------------------------------------------------
def run_ingest(
    inputs: Iterable[Document | Problem],
    store: Store,
    *,
    actor_files: Sequence[Path] = (),
    processes: int | None = None,
    batch_size: int = 32,
    on_progress: Callable[[IngestProgress], None] | None = None,
    pipeline_factory: PipelineFactory = default_pipeline_factory,
    retry_failed: bool = False,
    extractor: LocalExtractor | None = None,
) -> IngestSummary:
    """Extract every new document in `inputs` and write it to `store`, one batch per
    transaction. A document that failed for good on an earlier run is skipped unless
    `retry_failed`; each failure of this run is recorded in the store.

    `extractor`: an open LocalExtractor to reuse (a watch keeps one across its cycles, so
    the model loads once); without it one is opened for this run."""
    summary = IngestSummary()
    started = time.perf_counter()
    seen_ids: set[str] = set()
    holder = new_holder()  # names this run on the documents it leases
    # where each source is, from the stored documents and then from this run's
    homes = store.source_homes()

    def new_items() -> Iterator[list[Document | Problem]]:
        # skip, before any parsing, what the store already holds or this run already saw
        for batch in _batched(inputs, batch_size):
            summary.documents_seen += len(batch)
            ids = [item.id for item in batch if isinstance(item, Document)]
            stored = store.has_documents(ids) if ids else set()
            failed_before = store.final_failures(ids) if ids and not retry_failed else {}
            kept: list[Document | Problem] = []
            for item in batch:
                if isinstance(item, Document):
                    if item.id in stored or item.id in seen_ids:
                        summary.documents_skipped += 1
                        continue
                    seen_ids.add(item.id)
                    if item.id in failed_before:
                        summary.documents_failed_before += 1
                        continue
                kept.append(item)
            wanted = [item.id for item in kept if isinstance(item, Document)]
            leased = store.lease_documents(wanted, holder) if wanted else set()
            summary.documents_elsewhere += len(wanted) - len(leased)
            kept = [item for item in kept if not isinstance(item, Document) or item.id in leased]
            if kept:
                homes.give_homes(kept)
                yield kept
            elif on_progress is not None:
                summary.elapsed_seconds = time.perf_counter() - started
                on_progress(summary)

    own = extractor is None
    if own and processes is None:
        processes, inputs = default_processes(inputs, batch_size)
    active = extractor or LocalExtractor(
        actor_files=actor_files, processes=processes or 1, pipeline_factory=pipeline_factory
    )
    try:
        with active if own else contextlib.nullcontext(active):
            for batch, outputs in active.map_batches(new_items()):
                _write_batch(store, homes, summary, batch, outputs)
                summary.elapsed_seconds = time.perf_counter() - started
                if on_progress is not None:
                    on_progress(summary)
    finally:  # a failing store must not hide the error that stopped the run
        with contextlib.suppress(StoreError):
            store.release_documents(holder)
    summary.elapsed_seconds = time.perf_counter() - started
    return summary


def run_extract(
    inputs: Iterable[Document | Problem],
    *,
    actor_files: Sequence[Path] = (),
    processes: int | None = None,
    batch_size: int = 16,
    pipeline_factory: PipelineFactory = default_pipeline_factory,
) -> Iterator[Result | Problem]:
    """Results (and input problems) in input order, without a store; `processes` None
    chooses by the size of the input (`default_processes`)."""
    if processes is None:
        processes, inputs = default_processes(inputs, batch_size)
    homes = SourceHomes()  # where each source is, learned from this run's documents

    def batches() -> Iterator[list[Document | Problem]]:
        for batch in _batched(inputs, batch_size):
            homes.give_homes(batch)
            yield batch

    with LocalExtractor(
        actor_files=actor_files, processes=processes or 1, pipeline_factory=pipeline_factory
    ) as extractor:
        for _batch, outputs in extractor.map_batches(batches()):
            for output in outputs:
                if isinstance(output, Result) and not extraction_failed(output):
                    homes.learn(source_key(output.document), output.regions)
            yield from outputs
