"""Store faults become StoreErrors with E3xx codes, failed documents are recorded, and
readers never create a store."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from eventline.errors import StoreError, StoreLockedError
from eventline.model import Document, Problem
from eventline.store import open_store
from eventline.store.base import FAILURE_ATTEMPTS
from eventline.store.faults import postgres_fault, sqlite_fault
from eventline.store.sqlite import SQLiteStore
from tests.store.synthetic import make_results
from tests.store.test_store import result


def failed(doc_id: str, code: str = "E201") -> tuple[Document, Problem]:
    return Document(doc_id, "text", origin=f"in.jsonl:{doc_id}"), Problem(doc_id, code, f"{code} boom", doc_id=doc_id)


def test_a_failure_that_repeats_is_final_at_once(store) -> None:
    store.record_failures([failed("d1")])
    final = store.final_failures(["d1", "d2"])
    assert list(final) == ["d1"]
    assert final["d1"].code == "E201" and final["d1"].attempts == 1 and final["d1"].origin == "in.jsonl:d1"
    assert [f.doc_id for f in store.failures()] == ["d1"]


def test_a_dead_worker_is_retried_a_few_times_then_final(store) -> None:
    for attempt in range(1, FAILURE_ATTEMPTS + 1):
        assert store.final_failures(["d1"]) == {}
        store.record_failures([failed("d1", "E202")])
        assert store.failures()[0].attempts == attempt
    assert store.final_failures(["d1"])["d1"].attempts == FAILURE_ATTEMPTS


def test_storing_a_document_forgets_its_failure(store) -> None:
    store.record_failures([failed("d1")])
    assert store.add_results([result("d1", date(2024, 1, 5))]) == 1
    assert store.failures() == [] and store.final_failures(["d1"]) == {}


def test_readers_never_create_a_store(store_url: str, tmp_path: Path) -> None:
    if store_url.startswith("postgresql"):
        with pytest.raises(StoreError) as error:
            open_store(store_url, create=False)  # an empty schema: no tables
        assert error.value.code == "E310"
        return
    for missing in (tmp_path / "absent.db", tmp_path / "no" / "such" / "x.db"):
        with pytest.raises(StoreError) as error:
            open_store(str(missing), create=False)
        assert error.value.code == "E310"
        assert not missing.exists() and missing.parent.exists() == (missing.parent == tmp_path)
    (tmp_path / "empty.db").touch()
    with pytest.raises(StoreError) as error:
        open_store(str(tmp_path / "empty.db"), create=False)
    assert error.value.code == "E310"


def test_a_verified_store_is_writable_and_whole(store_url: str) -> None:
    with open_store(store_url) as store:
        store.add_results(make_results(6, seed=1))
    with open_store(store_url, create=False, verify=True) as store:
        store.check()
        assert store.stats()["documents"] == 6


def test_damaged_pages_refuse_writes_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with open_store(str(path)) as store:
        store.add_results(make_results(40, seed=2))
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(3 * 4096))
    with pytest.raises(StoreError) as error:
        open_store(str(path), verify=True)  # a writer: refused before it writes anything
    assert error.value.code == "E302"
    with open_store(str(path), create=False) as reader, pytest.raises(StoreError) as error:
        reader.check()
    assert error.value.code == "E302"


def test_a_full_disk_is_e309_and_rolls_the_batch_back(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with open_store(str(path)) as store:
        assert isinstance(store, SQLiteStore)
        store.add_results(make_results(2, seed=3))
        pages = store._execute("PRAGMA page_count").fetchone()[0]
        store._execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        with pytest.raises(StoreError) as error:
            store.add_results(make_results(200, seed=4))
        assert error.value.code == "E309"
        assert store.stats()["documents"] == 2


def test_a_read_only_store_is_e308(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.db"
    with open_store(str(path)) as store:
        store.add_results(make_results(2, seed=5))
    connect = sqlite3.connect

    def read_only(database: str, **options: object) -> sqlite3.Connection:
        # as a user without write permission sees the file (tests may run as root)
        return connect(f"file:{database}?mode=ro", uri=True, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(StoreError) as error:
        open_store(str(path), verify=True)
    assert error.value.code == "E308"


def test_driver_errors_map_to_codes() -> None:
    cases = {
        "database is locked": "E301",
        "attempt to write a readonly database": "E308",
        "database or disk is full": "E309",
        "database disk image is malformed": "E302",
        "file is not a database": "E302",
    }
    for text, code in cases.items():
        assert sqlite_fault(sqlite3.OperationalError(text), "x.db", 1.0).code == code
    assert isinstance(sqlite_fault(sqlite3.OperationalError("database is locked"), "x", 1), StoreLockedError)

    class PgError(Exception):
        def __init__(self, sqlstate: str | None) -> None:
            super().__init__("server said no")
            self.sqlstate = sqlstate

    states = {"55P03": "E301", "25006": "E308", "42501": "E308", "53100": "E309", "08006": "E306", "XX001": "E302"}
    for state, code in states.items():
        assert postgres_fault(PgError(state), "pg", 1.0).code == code


def test_a_leased_document_is_left_to_its_live_holder(store) -> None:
    from eventline.store.leases import new_holder

    mine, other = new_holder(), "elsewhere:1:abcd"  # another machine: judged by age alone
    assert store.lease_documents(["d1", "d2"], other) == {"d1", "d2"}
    assert store.lease_documents(["d1", "d2", "d3"], mine) == {"d3"}
    assert store.lease_documents(["d1"], mine, seconds=0.0) == {"d1"}  # an old lease is taken over
    store.add_results([result("d2", date(2024, 1, 5))])  # storing ends the lease
    assert store.lease_documents(["d2"], mine) == {"d2"}
    store.release_documents(mine)
    assert store.lease_documents(["d1", "d3"], other) == {"d1", "d3"}


def test_a_lease_of_a_dead_process_is_taken_over_at_once(store) -> None:
    import socket
    import subprocess
    import sys

    from eventline.store.leases import new_holder

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead = f"{socket.gethostname()}:{child.stdout.strip()}:dead"
    assert store.lease_documents(["d1"], dead) == {"d1"}
    assert store.lease_documents(["d1"], new_holder()) == {"d1"}


def test_a_read_only_postgres_session_is_e308(store_url: str) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite's read-only case is test_a_read_only_store_is_e308")
    with open_store(store_url):
        pass  # create the schema
    separator = "&" if "?" in store_url else "?"
    read_only = f"{store_url}{separator}options=-cdefault_transaction_read_only%3Don"
    if "options=" in store_url:  # the fixture already passes options: add to them
        read_only = store_url.replace("options=", "options=-cdefault_transaction_read_only%3Don%20", 1)
    with pytest.raises(StoreError) as error:
        open_store(read_only, verify=True)
    assert error.value.code == "E308"
