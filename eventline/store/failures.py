"""The failed-documents log of the SQL stores (table `failures`, migration 7).

A document whose extraction failed is not stored, so without a record every later run would
parse it again and fail again. Each failure is recorded with its reason and attempt count;
a final one is skipped by later runs (see `eventline.store.base.FAILURE_ATTEMPTS`), and
`eventline failures` lists them. Storing the document later (`ingest --retry-failed`)
deletes its row in the same transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventline.model import Document, Problem
from eventline.store import filters, mapping
from eventline.store.base import FAILURE_ATTEMPTS, FINAL_FAILURE_CODES, Failure

REASON_CHARS = 1000
COLUMNS = "doc_id, origin, code, reason, attempts, final, failed_at"


class FailureLog:
    """Mixed into `SQLStore`: its `_execute` and `_write_transaction` do the work."""

    # whether the schema has the failures table (only a store older than migration 7 lacks
    # it, as migration tests open them)
    _keeps_failures = True

    if TYPE_CHECKING:  # provided by SQLStore

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def _write_transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def record_failures(self, failed: Iterable[tuple[Document, Problem]]) -> None:
        latest = {document.id: (document, problem) for document, problem in failed}
        if not latest or not self._keeps_failures:
            return
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._write_transaction():
            earlier = self._attempts(list(latest))
            for doc_id, (document, problem) in latest.items():
                attempts = earlier.get(doc_id, 0) + 1
                final = problem.code in FINAL_FAILURE_CODES or attempts >= FAILURE_ATTEMPTS
                row = (
                    doc_id,
                    document.origin or problem.origin,
                    problem.code,
                    problem.message[:REASON_CHARS],
                    attempts,
                    int(final),
                    now,
                )
                self._execute(mapping.INSERT_FAILURE, row)

    def final_failures(self, doc_ids: Iterable[str]) -> dict[str, Failure]:
        ids = list(doc_ids)
        found: dict[str, Failure] = {}
        if not self._keeps_failures:
            return found
        for chunk, marks in filters.in_lists(ids):
            rows = self._execute(
                f"SELECT {COLUMNS} FROM failures WHERE final = 1 AND doc_id IN ({marks})", chunk
            ).fetchall()
            found.update((row[0], _failure(row)) for row in rows)
        return found

    def failures(self, limit: int | None = None, offset: int = 0) -> list[Failure]:
        if not self._keeps_failures:
            return []
        rows = self._execute(
            f"SELECT {COLUMNS} FROM failures ORDER BY failed_at DESC, doc_id LIMIT ? OFFSET ?",
            (limit if limit is not None else filters.NO_LIMIT, max(0, offset)),
        ).fetchall()
        return [_failure(row) for row in rows]

    def _forget_failures(self, doc_ids: list[str]) -> None:
        """Inside a write transaction: the documents are stored now, so no longer failed."""
        if not self._keeps_failures:
            return
        for chunk, marks in filters.in_lists(doc_ids):
            self._execute(f"DELETE FROM failures WHERE doc_id IN ({marks})", chunk)

    def _attempts(self, doc_ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk, marks in filters.in_lists(doc_ids):
            rows = self._execute(
                f"SELECT doc_id, attempts FROM failures WHERE doc_id IN ({marks})", chunk
            ).fetchall()
            found.update((row[0], int(row[1])) for row in rows)
        return found


def _failure(row: Sequence[Any]) -> Failure:
    return Failure(
        doc_id=row[0],
        origin=row[1],
        code=row[2],
        reason=row[3],
        attempts=int(row[4]),
        final=bool(row[5]),
        failed_at=str(row[6]),
    )
