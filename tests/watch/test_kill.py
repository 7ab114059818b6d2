"""A watch killed in the middle of a cycle and started again ends with every item once
and every alert once, in the store and in the alerts file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from eventline.store import open_store
from tests.watch.feedserver import FeedServer
from tests.watch.stories import feed, feed_item, page

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DAY = date(2024, 3, 4)
ITEMS = 12
RULES = """rules:
  - name: deadly-day
    when: fatalities
    window_days: 1
    at_least: 3
"""


def count(db: str, table: str) -> int:
    with open_store(db) as store:
        return int(store._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def watch_command(sources: Path, db: str, rules: Path, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "eventline", "watch", str(sources), "--db", db, "--once",
        "--alerts", str(rules), "--alerts-out", str(out), "--host-delay", "0",
        "--workers", "2", "--batch-size", "2", "--timeout", "5",
    ]  # fmt: skip


def test_a_watch_killed_mid_cycle_and_restarted_takes_everything_once(store_url, tmp_path):
    out, rules = tmp_path / "alerts.jsonl", tmp_path / "rules.yaml"
    rules.write_text(RULES)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with FeedServer() as server:
        items = [feed_item(server.url, n, DAY) for n in range(ITEMS)]
        for number in range(ITEMS):  # slow pages: the cycle is still fetching when killed
            server.set(f"/story/{number}.html", page(number, DAY), content_type="text/html", delay=0.3)
        half = ITEMS // 2
        server.set("/one.xml", feed("Paper One", items[:half]))
        server.set("/two.xml", feed("Paper Two", items[half:]))
        sources = tmp_path / "sources.txt"
        sources.write_text(f"# two papers\n{server.url}/one.xml\n{server.url}/two.xml every=60\n")
        command = watch_command(sources, store_url, rules, out)

        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        stored = 0
        while process.poll() is None and time.monotonic() < deadline:
            stored = count(store_url, "documents")
            if stored >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.stderr.read().decode(errors="replace")[-2000:]
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        assert 2 <= count(store_url, "documents") < ITEMS  # killed in the middle

        finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=600)
        assert finished.returncode == 0, finished.stderr.decode(errors="replace")[-2000:]
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=600)
        assert again.returncode == 0
        assert b"0 new items" in again.stderr

    with open_store(store_url) as store:
        assert store.stats()["documents"] == ITEMS
        assert count(store_url, "watch_items") == ITEMS
        urls = [doc.url for doc in store.documents()]
        assert len(set(urls)) == ITEMS
        alerts = store.alerts()
        assert alerts and store.undelivered_alerts() == []
    written = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(written) == sorted(alert["id"] for alert in alerts)
    assert len(set(written)) == len(written)
