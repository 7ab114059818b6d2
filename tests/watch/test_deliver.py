"""Alert delivery: the JSONL file never gets an alert twice, a webhook is retried, a
refused alert stays undelivered."""

from __future__ import annotations

import io
import json

from eventline.watch.deliver import Delivery
from tests.watch.feedserver import FeedServer

ALERTS = [{"kind": "alert", "id": f"a{n}", "rule": "r", "summary": f"alert {n}"} for n in range(3)]


def test_the_file_gets_each_alert_once_across_restarts(tmp_path):
    out = tmp_path / "alerts.jsonl"
    out.write_text(json.dumps(ALERTS[0]) + "\n" + '{"kind": "alert", "id": "a1", "ru')  # torn by a kill
    delivered, problems = Delivery(str(out)).deliver(ALERTS)
    assert delivered == ["a0", "a1", "a2"] and problems == []
    lines = out.read_text().splitlines()
    ids = [json.loads(line)["id"] for line in lines if line.endswith("}")]
    assert ids == ["a0", "a1", "a2"]
    Delivery(str(out)).deliver(ALERTS)  # a second run finds them all written
    assert out.read_text().splitlines() == lines


def test_standard_output_gets_jsonl():
    stream = io.StringIO()
    Delivery("-", stdout=stream).deliver(ALERTS[:2])
    assert [json.loads(line)["id"] for line in stream.getvalue().splitlines()] == ["a0", "a1"]


def test_a_webhook_is_retried_and_a_failing_one_leaves_alerts_undelivered():
    with FeedServer() as server:
        server.set("/hook", "ok", status=200)
        delivered, problems = Delivery(webhook=server.url + "/hook", backoff=0.01).deliver(ALERTS[:2])
        assert delivered == ["a0", "a1"] and problems == []
        assert [json.loads(body)["id"] for _, _, body in server.posts] == ["a0", "a1"]
        assert server.posts[0][1]["Idempotency-Key"] == "a0"

        server.set("/down", "busy", status=503)
        delivered, problems = Delivery(webhook=server.url + "/down", retries=2, backoff=0.01).deliver(ALERTS[:1])
        assert delivered == [] and len(problems) == 1
        assert "E705" in problems[0] and "HTTP 503" in problems[0] and "/down" in problems[0]
        assert server.hits["/down"] == 3
