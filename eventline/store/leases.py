"""Document leases of the SQL stores (table `document_leases`, migration 7): two ingests
into one store do not both extract the same document.

Before extracting a batch, an ingest leases the documents no other live ingest holds; the
others are left to their holder. Storing a document or recording its failure ends its
lease in the same transaction, and an ingest ends its remaining leases when it stops. A
lease of an ingest that was killed is taken over at once when its process is gone (same
machine) and after LEASE_SECONDS otherwise, so a run restarted after a kill -9 ends like
a clean run. Leases only save work: the store stays right without them, since a document
already stored is skipped whole.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventline.store.filters import in_lists

# a lease older than this is taken over whatever its holder: extracting one batch takes
# seconds to minutes, so a live holder has long stored it by then
LEASE_SECONDS = 900.0
UPSERT = (
    "INSERT INTO document_leases (doc_id, holder, leased_at) VALUES (?, ?, ?) "
    "ON CONFLICT (doc_id) DO UPDATE SET holder = excluded.holder, leased_at = excluded.leased_at"
)


def new_holder() -> str:
    """This process's name on its leases: host, process id and a token of its own."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(holder: str) -> bool:
    """Whether the holder is a process of this machine that no longer runs."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but belongs to another user
        return False
    return False


class LeaseLog:
    """Mixed into `SQLStore`: its `_execute` and `_write_transaction` do the work."""

    # whether the schema has the leases table (a store older than migration 7 lacks it)
    _keeps_leases = True

    if TYPE_CHECKING:  # provided by SQLStore

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def _write_transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def lease_documents(
        self, doc_ids: Iterable[str], holder: str, seconds: float = LEASE_SECONDS
    ) -> set[str]:
        ids = list(dict.fromkeys(doc_ids))
        if not ids or not self._keeps_leases:
            return set(ids)
        now = datetime.now(UTC)
        oldest = (now - timedelta(seconds=seconds)).isoformat(timespec="microseconds")
        held: set[str] = set()
        with self._write_transaction():
            for chunk, marks in in_lists(ids):
                rows = self._execute(
                    f"SELECT doc_id, holder, leased_at FROM document_leases WHERE doc_id IN ({marks})",
                    chunk,
                ).fetchall()
                held |= {
                    row[0]
                    for row in rows
                    if row[1] != holder and str(row[2]) >= oldest and not _gone(row[1])
                }
            stamp = now.isoformat(timespec="microseconds")
            granted = [doc_id for doc_id in ids if doc_id not in held]
            for doc_id in granted:
                self._execute(UPSERT, (doc_id, holder, stamp))
        return set(granted)

    def release_documents(self, holder: str) -> None:
        if not self._keeps_leases:
            return
        with self._write_transaction():
            self._execute("DELETE FROM document_leases WHERE holder = ?", (holder,))

    def _end_leases(self, doc_ids: list[str]) -> None:
        """Inside a write transaction: these documents are stored or recorded as failed."""
        if not self._keeps_leases:
            return
        for chunk, marks in in_lists(doc_ids):
            self._execute(f"DELETE FROM document_leases WHERE doc_id IN ({marks})", chunk)
