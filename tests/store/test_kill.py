"""Durability: an ingest killed at random moments and restarted ends like one clean run."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eventline.store import open_store
from eventline.store.base import EventFilter
from tests.store.synthetic import make_results

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DOCS, SEED, MIN_KILLS = 1000, 2024, 20


def snapshot(db: Path) -> tuple[list[str], list[dict], int]:
    with open_store(str(db)) as store:
        doc_ids = [d.id for d in store.documents()]
        events = [e.to_dict() for e in store.events(EventFilter(sort="id"))]
        return doc_ids, events, store.stats()["reports"]


def run_with_kills(
    command: list[str],
    rng: random.Random,
    low: float,
    high: float,
    wait_line: bool = False,
    stored: Callable[[], int] | None = None,
) -> int:
    """Start `command` again and again, SIGKILLing it after a random delay (counted from its
    first output line when `wait_line`), until it completes on its own; return the kills.

    With `stored` (how many documents the store holds), most kills wait until the run has
    stored something new and then strike a moment later, inside or right after a write:
    every such run makes progress, so the kills do not depend on how fast this machine is
    today compared with the reference run."""
    kills = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(500):
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        if kills < MIN_KILLS:
            if wait_line:
                process.stdout.readline()
            if stored is not None and rng.random() < 0.75:
                before = stored()
                deadline = time.monotonic() + 300
                while process.poll() is None and stored() <= before and time.monotonic() < deadline:
                    time.sleep(0.02)
                time.sleep(rng.uniform(0.0, 0.3))
            else:
                time.sleep(rng.uniform(low, high))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                continue
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr.decode(errors="replace")[-2000:]
        return kills
    raise AssertionError("the writer never completed")


def test_store_level_kills_lose_and_double_nothing(tmp_path):
    clean = tmp_path / "clean.db"
    with open_store(str(clean)) as store:
        results = make_results(DOCS, seed=SEED)
        for start in range(0, DOCS, 10):
            store.add_results(results[start : start + 10])
    killed = tmp_path / "killed.db"
    command = [
        sys.executable,
        "-m",
        "tests.store.kill_writer",
        str(killed),
        str(DOCS),
        str(SEED),
        "1",
    ]
    kills = run_with_kills(command, random.Random(SEED), 0.0, 0.1, wait_line=True)
    assert kills >= MIN_KILLS
    doc_ids, events, reports = snapshot(killed)
    expected_ids, expected_events, expected_reports = snapshot(clean)
    assert len(doc_ids) == len(set(doc_ids)) == DOCS
    assert sorted(doc_ids) == sorted(expected_ids)
    assert reports == expected_reports
    assert events == expected_events


def source_fingerprint() -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file of the package: the killed runs start over and over for
    minutes, and a comparison with the clean run only means something if they all ran the
    same code and data."""
    package = ROOT / "eventline"
    return {
        str(path.relative_to(package)): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def reports_by_document(db: Path) -> dict[str, list[dict]]:
    with open_store(str(db)) as store:
        by_doc: dict[str, list[dict]] = {d.id: [] for d in store.documents()}
        for event in store.events(EventFilter(sort="id")):
            for report in store.reports(event.id):
                by_doc[report.mention.doc_id].append(report.mention.to_dict())
    return {doc: sorted(found, key=lambda r: r["id"]) for doc, found in by_doc.items()}


def stored_count(db: Path) -> int:
    """Documents a store holds, read while another process may be writing it (0 before the
    store exists)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def startup_and_writing_seconds(
    db: Path, started: datetime, finished: datetime
) -> tuple[float, float]:
    """How long an ingest took to its first stored batch, and how long it wrote after that."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        first = datetime.fromisoformat(
            conn.execute("SELECT MIN(added_at) FROM documents").fetchone()[0]
        )
    startup = (first - started).total_seconds()
    return startup, max((finished - first).total_seconds(), 1.0)


def _cli_has_ingest() -> bool:
    if importlib.util.find_spec("eventline.cli") is None:
        return False
    probe = subprocess.run(
        [sys.executable, "-m", "eventline", "ingest", "--help"], cwd=ROOT, capture_output=True
    )
    return probe.returncode == 0


def test_cli_ingest_kills_lose_and_double_nothing(tmp_path):
    if not _cli_has_ingest():
        pytest.skip("'python -m eventline ingest' is not available yet")
    source = tmp_path / "docs.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for result in make_results(DOCS, seed=SEED):
            doc = result.document
            record = {"id": doc.id, "text": doc.text, "published": doc.published.isoformat()}
            handle.write(json.dumps(record) + "\n")
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    # one process, as the kill rate below was calibrated: by default this input (more than one
    # batch) gets a worker per core, whose batches in flight let a run finish in fewer kills
    ingest = [sys.executable, "-m", "eventline", "ingest", str(source), "--processes", "1", "--db"]
    before = source_fingerprint()
    started = datetime.now(UTC)
    run = subprocess.run([*ingest, str(clean)], cwd=ROOT, capture_output=True)
    finished = datetime.now(UTC)
    stderr = run.stderr.decode(errors="replace")
    # a document whose extraction failed would leave the reference incomplete
    assert run.returncode == 0 and "[E201]" not in stderr, stderr[-2000:]
    # kill between just before the first write and a little into the writing, on the clean
    # run's own clock: a fixed window lets a fast ingest finish before enough kills
    startup, writing = startup_and_writing_seconds(clean, started, finished)
    low, high = 0.8 * startup, startup + 1.5 * writing / MIN_KILLS
    kills = run_with_kills(
        [*ingest, str(killed)], random.Random(SEED), low, high, stored=lambda: stored_count(killed)
    )
    after = source_fingerprint()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        pytest.fail(
            f"the package changed while the runs went on ({', '.join(changed[:5])}); "
            "they ran different code, so their stores cannot be compared: run again"
        )
    assert kills >= MIN_KILLS
    killed_reports, clean_reports = reports_by_document(killed), reports_by_document(clean)
    differing = sorted(d for d in clean_reports if killed_reports.get(d) != clean_reports[d])
    assert not differing, f"{len(differing)} documents differ in reports, e.g. {differing[:5]}"
    doc_ids, events, reports = snapshot(killed)
    expected_ids, expected_events, expected_reports = snapshot(clean)
    assert len(doc_ids) == len(set(doc_ids)) == len(expected_ids)
    assert sorted(doc_ids) == sorted(expected_ids)
    assert reports == expected_reports
    assert events == expected_events
