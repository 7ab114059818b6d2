"""Opening SQLite files: URLs, foreign or damaged files, schema versions, locks, writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventline.errors import StoreError, StoreLockedError
from eventline.store import open_store
from eventline.store.base import EventFilter
from eventline.store.schema import LATEST_VERSION, MIGRATIONS
from tests.store.synthetic import make_results

ROOT = Path(__file__).resolve().parents[2]


def test_url_forms(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        assert store.stats()["documents"] == 0
    with open_store(str(tmp_path / "nested" / "b.db")) as store:
        assert (tmp_path / "nested" / "b.db").exists()
    for bad in ("mysql://host/db", "sqlite://relative.db", "http://example.org/x"):
        with pytest.raises(StoreError) as error:
            open_store(bad)
        assert error.value.code == "E303"


def test_wal_and_migration_record(tmp_path):
    path = tmp_path / "c.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = conn.execute("SELECT version, name, applied_at FROM schema_migrations").fetchall()
    assert [(v, n) for v, n, _ in rows] == [(v, n) for v, n, _ in MIGRATIONS] and rows[0][2]
    conn.close()
    open_store(str(path)).close()  # opening again applies nothing twice
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    conn.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("id,text\n1,hello\n"),
        lambda p: p.write_bytes(b"\x00\x01binary" * 50),
        lambda p: p.mkdir(),
    ],
)
def test_foreign_files_give_e302(tmp_path, make):
    path = tmp_path / "foreign.db"
    make(path)
    with pytest.raises(StoreError) as error:
        open_store(str(path))
    assert error.value.code == "E302"


def test_other_sqlite_database_gives_e302(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as error:
        open_store(str(path))
    assert error.value.code == "E302" and "customers" in str(error.value)


def test_half_written_store_gives_e302(tmp_path):
    path = tmp_path / "half.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE events")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as error:
        open_store(str(path))
    assert error.value.code == "E302" and "events" in str(error.value)


def test_truncated_file_gives_e302(tmp_path):
    path = tmp_path / "cut.db"
    with open_store(str(path)) as store:
        store.add_results(make_results(30))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:1500])
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreError) as error:
        store = open_store(str(path))
        store.events()  # some damage shows only on reading
    assert error.value.code == "E302"


def test_newer_database_gives_e304(tmp_path):
    path = tmp_path / "new.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')",
        (LATEST_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as error:
        open_store(str(path))
    assert error.value.code == "E304"


def test_lock_held_too_long_gives_e301(tmp_path):
    path = tmp_path / "locked.db"
    open_store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with open_store(str(path), lock_timeout=0.2) as store:
            with pytest.raises(StoreLockedError) as error:
                store.add_results(make_results(1))
            assert error.value.code == "E301"
            assert store.count_events() == 0  # readers are not blocked in WAL mode
    finally:
        holder.execute("ROLLBACK")
        holder.close()


WRITER = """
import sys
from eventline.store import open_store
from tests.store.synthetic import make_results
results = make_results(80, seed=21)
part = results[int(sys.argv[2])::2]
with open_store(sys.argv[1], lock_timeout=60) as store:
    for start in range(0, len(part), 4):
        store.add_results(part[start:start + 4])
"""


def test_two_writer_processes_finish_correctly(tmp_path):
    shared = tmp_path / "shared.db"
    open_store(str(shared)).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(shared), str(half)], cwd=ROOT)
        for half in (0, 1)
    ]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    with open_store(str(tmp_path / "alone.db")) as alone:
        alone.add_results(make_results(80, seed=21))
        expected = [e.to_dict() for e in alone.events(EventFilter(sort="id"))]
    with open_store(str(shared)) as store:
        assert store.stats()["documents"] == 80
        assert [e.to_dict() for e in store.events(EventFilter(sort="id"))] == expected
