"""Writes synthetic batches through `open_store().add_results` until all are stored.

Run as `python -m tests.store.kill_writer DB COUNT SEED BATCH`; the kill test SIGKILLs it
at random moments and starts it again. Stored documents are skipped, as ingest does.
"""

from __future__ import annotations

import sys

from eventline.store import open_store
from tests.store.synthetic import make_results


def main(db: str, count: int, seed: int, batch: int) -> None:
    results = make_results(count, seed=seed)
    with open_store(db, lock_timeout=60) as store:
        done = store.has_documents(r.document.id for r in results)
        todo = [r for r in results if r.document.id not in done]
        print("writing", flush=True)  # the test kills only once writing has begun
        for start in range(0, len(todo), batch):
            store.add_results(todo[start : start + batch])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
