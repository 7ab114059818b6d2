"""The watch's tables (migration 8) on both backends, and a store that lacks a migration
numbered below its newest one gains it."""

from __future__ import annotations

from eventline.store import open_store, schema
from eventline.store.watch_state import SeenItem


def test_seen_items_sources_and_alerts(store):
    store.mark_seen([SeenItem("feed", "g1", "h1", "https://x/1"), SeenItem("feed", "g2", "h2")])
    store.mark_seen([SeenItem("feed", "g1", "h1", "https://x/1")])  # again: nothing changes
    assert store.seen_items("feed", ["g1", "g2", "g3"]) == {("g1", "h1"), ("g2", "h2")}
    assert store.seen_items("other", ["g1"]) == set()
    store.record_failure("feed", "HTTP 500")
    store.record_failure("feed", "HTTP 502")
    assert store.source_state("feed").failures == 2
    store.record_success("feed", '"e1"', "Mon, 04 Mar 2024 09:00:00 GMT")
    state = store.source_state("feed")
    assert (state.etag, state.failures) == ('"e1"', 0)
    [health] = store.source_health()
    assert health["items_seen"] == 2 and health["last_error"] == "HTTP 502" and health["last_success"]
    alert = {"kind": "alert", "id": "a1", "rule": "r", "fired_at": "2024-03-04T00:00:00+00:00"}
    assert store.add_alerts([alert, alert]) == [alert]
    assert store.add_alerts([alert]) == []
    assert store.undelivered_alerts() == [alert]
    store.mark_delivered(["a1"])
    assert store.undelivered_alerts() == [] and store.count_alerts() == 1
    assert store.alerts_after(("", "")) == [alert] and store.alerts_after(store.alert_cursor()) == []


def test_a_migration_below_the_newest_applied_still_runs(tmp_path):
    """A store made where migration 8 landed before 7 takes 7 when it arrives."""
    path = str(tmp_path / "gap.db")
    saved = list(schema.MIGRATIONS)
    try:
        schema.MIGRATIONS[:] = [m for m in saved if m[0] != 7]
        with open_store(path) as store:
            assert 7 not in store._applied_versions() and 8 in store._applied_versions()
            assert "failures" not in store._table_names()
        schema.MIGRATIONS[:] = saved
        with open_store(path) as store:
            assert 7 in store._applied_versions()
            assert "failures" in store._table_names()
    finally:
        schema.MIGRATIONS[:] = saved
