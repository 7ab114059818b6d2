"""Worker side of the local engine: what extracts one batch, in the parent or in a worker
process, and how a worker gets its pipeline.

A spawned worker loads a pipeline of its own (`init_spawned_worker`); a forked one takes the pipeline
its parent loaded, shared copy on write (`init_forked_worker`). Either way the numeric
libraries get one thread each, and the worker ends when its parent ends. `extract_batch`
turns a batch into one Result or Problem per item, so one bad document never stops a batch.
Reads Documents and Problems; writes Results and Problems (E201, E202).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from eventline.errors import Msg
from eventline.model import Document, Problem, Result
from eventline.store.base import FAILURE_ATTEMPTS


class PipelineLike(Protocol):
    def process(self, document: Document) -> Result: ...

    def process_many(
        self, documents: Iterable[Document], batch_size: int = 16
    ) -> Iterator[Result]: ...


# Builds the pipeline inside each worker. Must be a module-level callable (it is pickled).
PipelineFactory = Callable[[Sequence[Path]], PipelineLike]


# ---- extraction of one batch (runs in the parent or in a worker) --------------------------
_worker_pipeline: PipelineLike | None = None
_thread_limits: object = None  # kept alive: the limits hold while it exists
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_process_per_worker() -> None:
    """N workers already fill N cores: the numeric libraries' own thread pools (OpenBLAS and
    OpenMP, used by the classifier) would only oversubscribe them, and OpenBLAS threads spin
    while they wait; and a worker parses a long document itself rather than start parsing
    processes of its own. The variables hold for libraries loaded from now on."""
    from eventline.pipeline import PARSE_PROCESSES_VARIABLE

    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    os.environ[PARSE_PROCESSES_VARIABLE] = "1"


def init_spawned_worker(factory: PipelineFactory, actor_files: Sequence[Path]) -> None:
    """A spawned worker: loads a pipeline of its own."""
    global _worker_pipeline
    _exit_with_parent()
    _one_process_per_worker()
    _worker_pipeline = factory(actor_files)
    one_thread_per_library()  # for libraries loaded already


def init_forked_worker(pipeline: PipelineLike) -> None:
    """A forked worker: uses the pipeline the parent loaded (shared, copy on write)."""
    global _worker_pipeline
    _exit_with_parent()
    _one_process_per_worker()
    _worker_pipeline = pipeline
    one_thread_per_library()


def _exit_with_parent() -> None:
    """End this worker when its parent ends, however it ends. A forked worker holds copies of
    every file the parent had open, among them the writing end of its own task queue, so a
    parent killed outright (SIGKILL, the OOM killer) would leave it waiting for tasks for
    good, holding its memory and the parent's output pipes; a spawned one would first finish
    the batches it holds."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="eventline-parent-watch", daemon=True).start()


def fork_is_safe() -> bool:
    """Whether workers may be forked from this process: on Linux, with no other thread
    running (a forked child holds only the forking thread, and a lock another thread held
    stays held in it for good). macOS and Windows spawn."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


@contextlib.contextmanager
def environment_variables(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def one_thread_per_library() -> None:
    """Limit the numeric libraries already loaded (OpenBLAS, OpenMP) to one thread each."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # installed with scikit-learn; without it the variables must do
        return
    global _thread_limits
    _thread_limits = threadpool_limits(limits=1)


def _failure(document: Document, error: BaseException) -> Problem:
    detail = f"{type(error).__name__}: {error}"
    return Problem(
        origin=document.origin or document.id,
        code=Msg.E201.name,
        message=Msg.E201.format(detail=detail),
        doc_id=document.id,
    )


def worker_died(document: Document, error: BaseException) -> Problem:
    """A worker died on this document: maybe the document's fault, maybe the machine's
    (memory), so it is tried again on a later run (see Store.record_failures)."""
    return Problem(
        origin=document.origin or document.id,
        code=Msg.E202.name,
        message=Msg.E202.format(detail=str(error), attempts=FAILURE_ATTEMPTS),
        doc_id=document.id,
    )


def extract_batch(
    pipeline: PipelineLike, items: Sequence[Document | Problem]
) -> list[Result | Problem]:
    """One output per item, in order: a Result per document (a Problem if extracting it
    raised), and input Problems passed through where they stood."""
    documents = [item for item in items if isinstance(item, Document)]
    results: list[Result | Problem] = []
    try:
        if documents:
            results = list(pipeline.process_many(documents, batch_size=len(documents)))
    except Exception:  # noqa: BLE001 - isolate the bad document below
        results = []
    if len(results) != len(documents):
        results = []
        for document in documents:
            try:
                results.append(pipeline.process(document))
            except Exception as error:  # noqa: BLE001 - one bad document never stops a batch
                results.append(_failure(document, error))
    produced = iter(results)
    return [next(produced) if isinstance(item, Document) else item for item in items]


def worker_extract(items: Sequence[Document | Problem]) -> list[Result | Problem]:
    assert _worker_pipeline is not None, "worker initializer did not run"
    return extract_batch(_worker_pipeline, items)


def worker_ready() -> int:
    """Answered by a worker once its initializer has run (the pipeline is loaded)."""
    time.sleep(0.05)  # long enough that one ready worker does not answer every probe
    return os.getpid()
