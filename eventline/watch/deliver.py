"""Sending alerts out: JSONL to a file or standard output, and a POST to a webhook.

Alerts are stored first and marked delivered only once every target took them, so a
watch killed in between sends them again on restart. The JSONL file never gets one
twice: the ids already in it are read before appending. A webhook may see an alert again
after such a kill; each POST carries the alert id in `Idempotency-Key` to let it tell.
A webhook that still fails after its retries leaves the alert undelivered (E705) and it
is tried again after the next cycle.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import urllib3

from eventline.errors import Msg


class Delivery:
    def __init__(
        self,
        out: str | None = None,
        webhook: str | None = None,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 10.0,
        stdout: TextIO | None = None,
    ) -> None:
        self.out = out
        self.webhook = webhook
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.stdout = stdout or sys.stdout
        self._written: set[str] | None = None
        self._pool = urllib3.PoolManager(retries=False) if webhook else None

    def deliver(self, alerts: Sequence[dict[str, Any]]) -> tuple[list[str], list[str]]:
        """(ids delivered to every target, one message per failure)."""
        delivered: list[str] = []
        problems: list[str] = []
        for alert in alerts:
            self._write(alert)
            error = self._post(alert) if self.webhook else None
            if error is None:
                delivered.append(alert["id"])
            else:
                target = self.webhook or ""
                problems.append(
                    f"[E705] {Msg.E705.format(alert_id=alert['id'], target=target, detail=error)}"
                )
        return delivered, problems

    def _write(self, alert: dict[str, Any]) -> None:
        if self.out is None:
            return
        line = json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n"
        if self.out == "-":
            self.stdout.write(line)
            self.stdout.flush()
            return
        path = Path(self.out)
        if self._written is None:
            self._written = _ids_in(path)
            _end_torn_line(path)
        if alert["id"] in self._written:
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self._written.add(alert["id"])

    def _post(self, alert: dict[str, Any]) -> str | None:
        """None when the webhook took the alert, else why not (after the retries)."""
        assert self._pool is not None and self.webhook is not None
        body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": alert["id"]}
        error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._pool.request(
                    "POST",
                    self.webhook,
                    body=body,
                    headers=headers,
                    timeout=self.timeout,
                    redirect=False,
                )
            except urllib3.exceptions.HTTPError as exc:
                error = str(exc)[:200]
                continue
            if 200 <= response.status < 300:
                return None
            error = f"HTTP {response.status}"
            if 400 <= response.status < 500 and response.status != 429:
                break  # the webhook refuses this alert: retrying now will not change that
        return error


def _end_torn_line(path: Path) -> None:
    """End a last line cut short by a kill, so the next alert starts a line of its own."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) != b"\n":
            handle.write(b"\n")


def _ids_in(path: Path) -> set[str]:
    """The alert ids already written to a JSONL file (a torn last line is ignored)."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                ids.add(record["id"])
    return ids
