"""Worker side of the local engine: one batch in, one output per item, in order."""

from __future__ import annotations

import threading

from eventline.engines.workers import extract_batch, fork_is_safe
from eventline.model import Result
from tests.engines.test_local import RuleExtractor, make_docs


def test_extract_batch_isolates_failure_without_losing_order() -> None:
    pipeline = RuleExtractor()
    docs = make_docs(4, bad=[1])
    outputs = extract_batch(pipeline, docs)
    assert [type(o).__name__ for o in outputs] == ["Result", "Problem", "Result", "Result"]
    assert [o.document.id for o in outputs if isinstance(o, Result)] == [
        docs[0].id,
        docs[2].id,
        docs[3].id,
    ]


def test_fork_is_unsafe_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork_is_safe()
    finally:
        stop.set()
        other.join()
