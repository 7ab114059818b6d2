"""Feed items: keys, content hashes (an item rewritten in place is a new version of the
same key), RSS and Atom, and a body that is no feed."""

from __future__ import annotations

import pytest

from eventline.watch.items import FeedUnreadable, feed_items

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><guid>g-1</guid><title>Clashes in Gao</title><link>https://p.example/1</link>
<description>&lt;p&gt;Fighters attacked &lt;b&gt;Gao&lt;/b&gt;.&lt;/p&gt;</description>
<pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate></item>
<item><title>No guid</title><link>https://p.example/2</link><description>Text.</description></item>
<item><title>Neither</title><description>Only text.</description></item>
</channel></rss>"""

ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><id>tag:p.example,2024:1</id><title>Strike</title>
<link rel="alternate" href="https://p.example/a"/><updated>2024-03-05T10:00:00Z</updated>
<summary>A strike hit a depot.</summary></entry></feed>"""


def test_rss_items_have_keys_text_and_dates():
    first, second, third = feed_items(RSS.encode())
    assert (first.key, first.link, first.channel) == ("g-1", "https://p.example/1", "Desk")
    assert first.text == "Fighters attacked Gao." and str(first.published) == "2024-03-04"
    assert second.key == "https://p.example/2"  # no guid: the link
    assert third.key and third.link is None  # neither: a hash of its text
    assert len({first.content_hash, second.content_hash, third.content_hash}) == 3


def test_an_item_rewritten_in_place_keeps_its_key_and_changes_its_hash():
    before = feed_items(RSS.encode())[0]
    after = feed_items(RSS.replace("Fighters attacked", "Fighters stormed").encode())[0]
    assert after.key == before.key and after.content_hash != before.content_hash
    assert feed_items(RSS.encode())[0].content_hash == before.content_hash


def test_atom_entries():
    [entry] = feed_items(ATOM.encode())
    assert (entry.key, entry.link, entry.title) == ("tag:p.example,2024:1", "https://p.example/a", "Strike")
    assert entry.text == "A strike hit a depot." and str(entry.published) == "2024-03-05"


@pytest.mark.parametrize("body", [b"", b"<html><body>a page</body></html>", b"<rss><channel>", b"\x00\x01\x02"])
def test_a_body_that_is_no_feed_is_e108(body):
    with pytest.raises(FeedUnreadable) as caught:
        feed_items(body)
    assert caught.value.detail.startswith("[E108] Feed is not well-formed XML")
