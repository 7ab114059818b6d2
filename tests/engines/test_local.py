"""Local engine: skip before parsing, one transaction per batch, failure isolation, order."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from eventline.engines.local import (
    IngestProgress,
    LocalExtractor,
    run_extract,
    run_ingest,
)
from eventline.model import Claim, Document, Event, Problem, Result, stable_id
from eventline.resolve.places.source_homes import SourceHomes, source_key
from eventline.store.base import EventFilter, Store


class RuleExtractor:
    """A stand-in pipeline: one ASSAULT event per sentence with 'attack'; 'BOOM' raises."""

    def __init__(self) -> None:
        self.processed: list[str] = []
        self.homes: dict[str, list[tuple[str, str]]] = {}  # the source home each document had

    def process(self, document: Document) -> Result:
        if "BOOM" in document.text:
            raise ValueError("cannot parse this document")
        self.processed.append(document.id)
        self.homes[document.id] = list(document.source_home)
        events = []
        for match in re.finditer(r"[^.]*attack[^.]*\.", document.text):
            events.append(
                Event(
                    id=stable_id(document.id, match.start(), match.end(), "attack", prefix="e"),
                    doc_id=document.id,
                    sentence=match.group(0).strip(),
                    char_start=match.start(),
                    char_end=match.end(),
                    event_type="ASSAULT",
                    trigger="attack",
                )
            )
        # "STATE:Ohio" stands for a place of the text that lies in Ohio
        regions = [("USA", name) for name in re.findall(r"STATE:(\w+)", document.text)]
        return Result(document=document, events=events, regions=regions)

    def process_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Result]:
        for document in documents:
            yield self.process(document)


def rule_factory(actor_files: Sequence[Path]) -> RuleExtractor:
    return RuleExtractor()


class MemoryStore(Store):
    """The part of the Store contract the engine uses, kept in dictionaries."""

    def __init__(self) -> None:
        self.url = "memory:"
        self.results: dict[str, Result] = {}
        self.transactions: list[list[str]] = []
        self.failed: dict[str, Problem] = {}

    def add_results(self, results: Iterable[Result]) -> int:
        batch = [r for r in results if r.document.id not in self.results]
        self.transactions.append([r.document.id for r in batch])
        self.results.update({r.document.id: r for r in batch})
        return len(batch)

    def has_documents(self, doc_ids: Iterable[str]) -> set[str]:
        return {d for d in doc_ids if d in self.results}

    def source_homes(self) -> SourceHomes:
        homes = SourceHomes()
        for result in self.results.values():
            homes.learn(source_key(result.document), result.regions)
        return homes

    def events(self, flt: EventFilter | None = None) -> list[Event]:
        return [e for r in self.results.values() for e in r.events]

    def count_events(self, flt: EventFilter | None = None) -> int:
        return len(self.events(flt))

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events() if e.id == event_id), None)

    def reports(self, event_id: str) -> list:
        return []

    def claims(self, flt: EventFilter | None = None) -> list[Claim]:
        return []

    def document(self, doc_id: str) -> Document | None:
        result = self.results.get(doc_id)
        return result.document if result else None

    def documents(self, limit: int | None = None, offset: int = 0) -> Iterator[Document]:
        yield from (r.document for r in self.results.values())

    def stats(self) -> dict[str, int]:
        return {"documents": len(self.results), "events": len(self.events())}

    def record_failures(self, failed: Iterable[tuple[Document, Problem]]) -> None:
        for document, problem in failed:
            self.failed[document.id] = problem

    def final_failures(self, doc_ids: Iterable[str]) -> dict:
        return {d: self.failed[d] for d in doc_ids if d in self.failed and self.failed[d].code == "E201"}

    def failures(self, limit: int | None = None, offset: int = 0) -> list:
        return list(self.failed.values())

    def verify(self) -> None:
        pass

    def lease_documents(self, doc_ids: Iterable[str], holder: str) -> set[str]:
        return set(doc_ids)

    def release_documents(self, holder: str) -> None:
        pass

    def close(self) -> None:
        pass


def make_docs(n: int, bad: Sequence[int] = ()) -> list[Document]:
    docs = []
    for i in range(n):
        text = f"Report {i}. Rebels attack post {i}. Calm elsewhere."
        if i in bad:
            text += " BOOM"
        docs.append(Document(Document.make_id(text), text, origin=f"doc{i}"))
    return docs


def test_ingest_stores_every_document_once_in_batches() -> None:
    store = MemoryStore()
    summary = run_ingest(make_docs(10), store, batch_size=4, pipeline_factory=rule_factory)
    assert (summary.documents_seen, summary.documents_new, summary.events) == (10, 10, 10)
    assert [len(t) for t in store.transactions] == [4, 4, 2]
    again = run_ingest(make_docs(10), store, batch_size=4, pipeline_factory=rule_factory)
    assert (again.documents_new, again.documents_skipped, again.events) == (0, 10, 0)
    assert len(store.transactions) == 3  # nothing was parsed or written the second time


def test_bad_document_becomes_problem_and_batch_goes_on() -> None:
    store = MemoryStore()
    summary = run_ingest(make_docs(6, bad=[2]), store, batch_size=3, pipeline_factory=rule_factory)
    assert summary.documents_new == 5
    assert summary.documents_failed == 1
    assert [p.code for p in summary.problems] == ["E201"]
    assert summary.problems[0].origin == "doc2"
    assert "ValueError" in summary.problems[0].message


def test_input_problems_are_counted_and_kept_in_order() -> None:
    bad_input = Problem(origin="x.bin", code="E103", message="binary")
    warning = Problem(origin="y.txt", code="W102", message="no date", severity="warning")
    items: list[Document | Problem] = [*make_docs(2), bad_input, warning]
    store = MemoryStore()
    summary = run_ingest(items, store, pipeline_factory=rule_factory)
    assert summary.documents_failed == 1
    assert [p.code for p in summary.problems] == ["E103", "W102"]
    outputs = list(run_extract(items, pipeline_factory=rule_factory))
    assert [type(o).__name__ for o in outputs] == ["Result", "Result", "Problem", "Problem"]


def test_interrupted_run_resumes_without_reprocessing() -> None:
    store = MemoryStore()
    docs = make_docs(9)

    def stop_after_first_batch(progress: IngestProgress) -> None:
        if progress.documents_new >= 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ingest(
            docs,
            store,
            batch_size=3,
            on_progress=stop_after_first_batch,
            pipeline_factory=rule_factory,
        )
    assert len(store.results) == 3
    resumed = run_ingest(docs, store, batch_size=3, pipeline_factory=rule_factory)
    assert (resumed.documents_new, resumed.documents_skipped) == (6, 3)
    assert sorted(store.results) == sorted(d.id for d in docs)


def test_duplicate_documents_in_input_are_processed_once() -> None:
    docs = make_docs(3)
    store = MemoryStore()
    summary = run_ingest(docs + docs[:2], store, batch_size=2, pipeline_factory=rule_factory)
    assert (summary.documents_new, summary.documents_skipped) == (3, 2)


def test_two_processes_give_the_same_output_as_one() -> None:
    docs = make_docs(12, bad=[5])
    one = list(run_extract(docs, processes=1, batch_size=2, pipeline_factory=rule_factory))
    two = list(run_extract(docs, processes=2, batch_size=2, pipeline_factory=rule_factory))

    def flat(outputs: list[Result | Problem]) -> list[object]:
        return [
            [e.to_dict() for e in o.events] if isinstance(o, Result) else (o.code, o.doc_id)
            for o in outputs
        ]

    assert flat(one) == flat(two)
    assert len(one) == 12


def test_extractor_map_batches_keeps_order_with_pool() -> None:
    docs = make_docs(8)
    batches = [docs[i : i + 1] for i in range(8)]
    with LocalExtractor(processes=2, pipeline_factory=rule_factory) as extractor:
        order = [out[0].document.id for _, out in extractor.map_batches(batches)]
    assert order == [d.id for d in docs]


def test_default_process_count_follows_the_size_of_the_input(monkeypatch) -> None:
    from eventline.engines import local

    monkeypatch.setattr(local, "available_cores", lambda: 2)
    monkeypatch.setattr(local, "fork_is_safe", lambda: False)  # spawned workers: by characters
    docs = make_docs(6, bad=[2])
    size = sum(len(d.text) for d in docs)
    monkeypatch.setattr(local, "PARALLEL_INPUT_CHARS", size + 1)  # short input: this process
    processes, items = local.default_processes(iter(docs))
    assert processes == 1 and list(items) == docs  # what was read to decide is kept, in order
    monkeypatch.setattr(local, "PARALLEL_INPUT_CHARS", size // 2)  # long input: one per core
    processes, items = local.default_processes(iter(docs))
    assert processes == 2 and list(items) == docs
    monkeypatch.setattr(local, "available_cores", lambda: 1)
    assert local.default_processes(docs)[0] == 1


def test_default_process_count_with_forked_workers_follows_the_batches(monkeypatch) -> None:
    from eventline.engines import local

    monkeypatch.setattr(local, "available_cores", lambda: 2)
    monkeypatch.setattr(local, "fork_is_safe", lambda: True)
    docs = make_docs(6)
    processes, items = local.default_processes(iter(docs), batch_size=6)
    assert processes == 1 and list(items) == docs  # one batch: a second worker would idle
    processes, items = local.default_processes(iter(docs), batch_size=5)
    assert processes == 2 and list(items) == docs


def test_default_process_count_gives_the_same_output(monkeypatch) -> None:
    from eventline.engines import local

    docs = make_docs(6, bad=[3])
    one = list(run_extract(docs, processes=1, batch_size=2, pipeline_factory=rule_factory))
    monkeypatch.setattr(local, "available_cores", lambda: 2)
    monkeypatch.setattr(local, "fork_is_safe", lambda: False)
    monkeypatch.setattr(local, "PARALLEL_INPUT_CHARS", 1)  # two workers from the first document
    chosen = list(run_extract(docs, batch_size=2, pipeline_factory=rule_factory))

    def flat(outputs: list[Result | Problem]) -> list[object]:
        return [[e.to_dict() for e in o.events] if isinstance(o, Result) else o.code for o in outputs]

    assert flat(chosen) == flat(one) and len(one) == 6


def worker_thread_limits() -> tuple[str | None, list[int]]:
    """Run inside a worker: its thread variable and the numeric libraries' thread counts."""
    import os

    from threadpoolctl import threadpool_info

    return os.environ.get("OPENBLAS_NUM_THREADS"), [i["num_threads"] for i in threadpool_info()]


def test_start_workers_waits_for_every_worker_and_limits_their_threads() -> None:
    import os

    with LocalExtractor(processes=2, pipeline_factory=rule_factory) as extractor:
        pids = extractor.start_workers()
        assert len(pids) == 2 and os.getpid() not in pids
        assert extractor._pool is not None
        variable, counts = extractor._pool.submit(worker_thread_limits).result()
    assert variable == "1"
    assert all(n == 1 for n in counts)
    with LocalExtractor(processes=1, pipeline_factory=rule_factory) as extractor:
        assert extractor.start_workers() == [os.getpid()]


class LoadedExtractor(RuleExtractor):
    """Remembers the process that built it."""

    def __init__(self) -> None:
        import os

        super().__init__()
        self.built_in = os.getpid()


def loaded_factory(actor_files: Sequence[Path]) -> LoadedExtractor:
    return LoadedExtractor()


def worker_pipeline_origin() -> tuple[int, int]:
    """Run inside a worker: the process that built its pipeline, and its own process."""
    import os

    from eventline.engines import workers

    assert isinstance(workers._worker_pipeline, LoadedExtractor)
    return workers._worker_pipeline.built_in, os.getpid()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_forked_workers_share_the_pipeline_loaded_in_this_process() -> None:
    import os

    with LocalExtractor(processes=2, pipeline_factory=loaded_factory) as extractor:
        assert extractor._pool is not None
        built_in, worker = extractor._pool.submit(worker_pipeline_origin).result()
    assert built_in == os.getpid() != worker


def test_workers_are_spawned_while_another_thread_runs() -> None:
    import os
    import threading

    from eventline.engines import local

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not local.fork_is_safe()
        with LocalExtractor(processes=2, pipeline_factory=loaded_factory) as extractor:
            assert extractor._pool is not None
            built_in, worker = extractor._pool.submit(worker_pipeline_origin).result()
    finally:
        stop.set()
        other.join()
    assert built_in == worker != os.getpid()  # each worker loaded its own


KILLED_PARENT = """
import os, signal, sys
from tests.engines.test_local import make_docs, rule_factory
from eventline.engines import local
if sys.argv[1] == "spawn":
    local.fork_is_safe = lambda: False
extractor = local.LocalExtractor(processes=2, pipeline_factory=rule_factory).__enter__()
pids = extractor.start_workers()
list(extractor.map_batches([make_docs(2)]))
print(" ".join(map(str, pids)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_end_when_their_parent_is_killed(start: str) -> None:
    import os
    import subprocess
    import time

    if start == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux")
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen(
        [sys.executable, "-c", KILLED_PARENT, start], cwd=root, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]
    parent.wait()
    assert len(pids) == 2

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    deadline = time.monotonic() + 60  # a bound on the wait, not a measure of speed
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pids if alive(pid)]
    for pid in left:  # never leave a worker behind, even when the test fails
        os.kill(pid, 9)
    parent.stdout.close()
    assert not left


class CrashingExtractor(RuleExtractor):
    """Kills its own process on 'CRASH', as a segfault or the OOM killer would."""

    def process(self, document: Document) -> Result:
        if "CRASH" in document.text:
            import os

            os._exit(3)
        return super().process(document)


def crashing_factory(actor_files: Sequence[Path]) -> CrashingExtractor:
    return CrashingExtractor()


def test_dead_worker_is_replaced_and_only_its_document_fails() -> None:
    docs = make_docs(6)
    crash_text = "Rebels attack. CRASH"
    docs.insert(3, Document(Document.make_id(crash_text), crash_text, origin="crash"))
    store = MemoryStore()
    summary = run_ingest(docs, store, processes=2, batch_size=2, pipeline_factory=crashing_factory)
    assert summary.documents_new == 6
    assert summary.documents_failed == 1
    assert [(p.code, p.origin) for p in summary.problems] == [("E202", "crash")]


class _FailOnce:
    """A pipeline whose first extraction of each document fails, as a crash inside a stage would."""

    failed: set[str] = set()

    def __init__(self, actor_files=()) -> None:
        from eventline.pipeline import Pipeline

        self.inner = Pipeline(actor_files=actor_files)

    def process(self, document):
        return next(iter(self.process_many([document])))

    def process_many(self, documents, batch_size: int = 16):
        from eventline.model import Problem, Result

        for document in documents:
            if document.id not in _FailOnce.failed:
                _FailOnce.failed.add(document.id)
                yield Result(document=document, problems=[Problem(document.id, "E201", "boom", doc_id=document.id)])
            else:
                yield from self.inner.process_many([document])


def _fail_once_factory(actor_files):
    return _FailOnce(actor_files)


def test_failed_extraction_is_recorded_and_retried_only_when_asked(tmp_path) -> None:
    from eventline.engines.local import run_ingest
    from eventline.ingest import read_text
    from eventline.store import open_store

    _FailOnce.failed.clear()
    docs = [read_text("Rebels attacked an army base in Gao on Monday.", published=None, doc_id="g1")]
    with open_store(str(tmp_path / "s.db")) as store:
        first = run_ingest(docs, store, pipeline_factory=_fail_once_factory)
        assert (first.documents_failed, first.documents_new) == (1, 0)
        assert [f.doc_id for f in store.failures()] == ["g1"]
        # the pipeline raised: it would again, so later runs skip the document
        second = run_ingest(docs, store, pipeline_factory=_fail_once_factory)
        assert (second.documents_failed, second.documents_new) == (0, 0)
        assert second.documents_failed_before == 1
        third = run_ingest(docs, store, pipeline_factory=_fail_once_factory, retry_failed=True)
        assert (third.documents_failed, third.documents_new) == (0, 1)
        assert store.stats()["documents"] == 1 and store.failures() == []


def test_each_document_gets_the_home_its_sources_earlier_documents_give() -> None:
    ohio = ("USA", "Ohio")
    store, pipeline = MemoryStore(), RuleExtractor()
    documents = [
        Document(id="d0", text="STATE:Ohio story.", url="https://www.dispatch.com/0"),
        Document(id="d1", text="STATE:Ohio story.", url="https://dispatch.com/1"),
        Document(id="d2", text="A story naming no state.", url="https://dispatch.com/2"),
        Document(id="x", text="STATE:Texas story.", url="https://other.com/1"),
    ]
    # one process: the stand-in records what it saw in this process
    run_ingest(documents, store, processes=1, batch_size=1, pipeline_factory=lambda _files: pipeline)
    assert pipeline.homes == {"d0": [], "d1": [ohio], "d2": [ohio], "x": []}
    # a later run starts from what the store holds
    later = RuleExtractor()
    again = [Document(id="d9", text="Another story.", url="https://dispatch.com/9")]
    run_ingest(again, store, processes=1, pipeline_factory=lambda _files: later)
    assert later.homes == {"d9": [ohio]}
    # without a store, a run learns from its own documents
    alone = RuleExtractor()
    fresh = [Document(id=d.id, text=d.text, url=d.url) for d in documents]
    list(run_extract(fresh, processes=1, batch_size=1, pipeline_factory=lambda _files: alone))
    assert alone.homes == pipeline.homes


def test_two_ingests_into_one_store_do_not_extract_the_same_documents(tmp_path) -> None:
    from eventline.store import open_store

    docs = make_docs(6)
    db = str(tmp_path / "s.db")
    with open_store(db) as first, open_store(db) as second:
        # the other ingest holds the first three (it runs on another machine, so its
        # leases are judged by their age alone)
        assert second.lease_documents([d.id for d in docs[:3]], "elsewhere:1:x") == {d.id for d in docs[:3]}
        summary = run_ingest(docs, first, pipeline_factory=rule_factory)
        assert (summary.documents_new, summary.documents_elsewhere) == (3, 3)
        assert first.has_documents([d.id for d in docs]) == {d.id for d in docs[3:]}
        assert first.lease_documents([d.id for d in docs[3:]], "elsewhere:1:y")  # released
