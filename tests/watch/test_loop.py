"""Watch cycles end to end against a local server: new items between cycles, an item
updated in place, feeds that fail, a slow one; the store ends with every item once and
every alert once (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from eventline.store import open_store
from eventline.watch.deliver import Delivery
from eventline.watch.fetch import FetchPolicy
from eventline.watch.loop import Watch, WatchOptions
from eventline.watch.rules import Rule
from eventline.watch.sources import parse_sources
from tests.watch.feedserver import FeedServer
from tests.watch.stories import feed, feed_item, page

DAY = date(2024, 3, 4)
POLICY = FetchPolicy(timeout=3.0, retries=1, backoff=0.05, host_delay=0.0)


def serve_stories(server: FeedServer, numbers: range, day: date = DAY) -> None:
    for number in numbers:
        server.set(f"/story/{number}.html", page(number, day), content_type="text/html")


def test_cycles_take_each_item_once_and_bad_sources_never_stop_the_rest(store_url, extractor, tmp_path):
    with FeedServer() as server:
        base = server.url
        serve_stories(server, range(7))
        del server.routes["/story/3.html"]  # its page is gone: the feed's text stands in
        a_items = [feed_item(base, n, DAY) for n in range(3)]
        b_items = [feed_item(base, 3, DAY), feed_item(base, 4, DAY, link=False)]
        server.set("/a.xml", feed("Paper A", a_items))
        server.set("/b.xml", feed("Paper B", b_items))
        server.set("/slow.xml", feed("Slow Paper", [feed_item(base, 6, DAY)]), delay=0.5)
        server.set("/notxml.xml", "<html><body><p>no feed</p></body></html>", content_type="text/html")
        server.set("/loop.xml", status=302, headers={"Location": "/loop.xml"})
        names = ("a", "b", "slow", "notxml", "loop")
        sources = parse_sources([f"{base}/{name}.xml" for name in names])
        rules = [Rule(name="deadly", when="fatalities", window_days=1, at_least=1)]
        out = tmp_path / "alerts.jsonl"
        lines: list[str] = []
        with open_store(store_url) as store:
            watch = Watch(
                sources, store, WatchOptions(policy=POLICY), rules=rules,
                delivery=Delivery(str(out)), report=lines.append,
            )
            first = watch.cycle(sources, extractor)
            assert (first.new_items, first.documents, first.failed) == (6, 6, 2)
            assert any(f"{base}/loop.xml" in line and "redirects" in line for line in lines)
            assert any(f"{base}/notxml.xml" in line and "E108" in line for line in lines)
            origins = {doc.url: doc.origin for doc in store.documents()}
            assert origins[f"{base}/story/3.html"].endswith("(feed)")
            assert origins[f"{base}/story/0.html"].endswith("(page)")
            assert first.events > 0 and first.alerts > 0

            # nothing changed: conditional GETs only, nothing ingested or fired
            fetched_before = len(server.statuses)
            second = watch.cycle(sources, extractor)
            assert (second.new_items, second.documents, second.alerts) == (0, 0, 0)
            assert second.unchanged == 3
            assert ("/a.xml", 304) in server.statuses[fetched_before:]
            assert not any(path.startswith("/story/") for path, _ in server.statuses[fetched_before:])

            # a new item, an item rewritten in place, a feed that starts failing
            a_items.append(feed_item(base, 5, DAY + timedelta(days=1)))
            server.set("/a.xml", feed("Paper A", a_items))
            b_items[1]["description"] += " The toll rose overnight, officials said."
            server.set("/b.xml", feed("Paper B", b_items))
            server.set("/slow.xml", "down", status=500)
            third = watch.cycle(sources, extractor)
            assert (third.new_items, third.documents, third.failed) == (2, 2, 3)

            health = {row["source"]: row for row in store.source_health()}
            assert "HTTP 500" in health[f"{base}/slow.xml"]["last_error"]
            assert health[f"{base}/slow.xml"]["last_success"] is not None
            assert health[f"{base}/a.xml"]["items_seen"] == 4
            assert health[f"{base}/b.xml"]["items_seen"] == 2  # the rewrite is one item
            assert health[f"{base}/a.xml"]["events_found"] > 0
            assert health[f"{base}/a.xml"]["last_error"] is None
            assert store.stats()["documents"] == 8

            fourth = watch.cycle(sources, extractor)
            assert (fourth.documents, fourth.alerts) == (0, 0)
            alerts = store.alerts()
            written = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(a["id"] for a in written) == sorted(a["id"] for a in alerts)
        assert len({a["id"] for a in alerts}) == len(alerts) > 0
        assert all(a["kind"] == "alert" and a["event_ids"] and a["summary"] for a in alerts)
