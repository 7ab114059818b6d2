"""An item's document: the article page when it gives the article, else the feed's text;
the id comes from the item, not the page."""

from __future__ import annotations

from datetime import date

from eventline.watch.articles import item_document
from eventline.watch.fetch import Fetcher, FetchPolicy
from eventline.watch.items import FeedItem, content_hash
from tests.watch.feedserver import FeedServer
from tests.watch.stories import page

POLICY = FetchPolicy(timeout=2.0, retries=0, host_delay=0.0)


def item(link: str | None, text: str = "Gunmen killed 5 villagers in Kukawa.") -> FeedItem:
    return FeedItem(
        key="g-1", content_hash=content_hash("t", text), title="Gunmen kill 5", text=text,
        link=link, published=date(2024, 3, 4), channel="Desk",
    )  # fmt: skip


def test_the_page_gives_the_article_and_the_id_comes_from_the_item():
    with FeedServer() as server:
        link = server.set("/story.html", page(3, date(2024, 3, 4)), content_type="text/html")
        made = item_document(item(link), "feed", Fetcher(POLICY))
        assert made.from_page and "Security forces have struggled" in made.document.text
        assert made.document.published == date(2024, 3, 4) and made.document.url == link
        server.set("/story.html", page(4, date(2024, 3, 4)), content_type="text/html")
        again = item_document(item(link), "feed", Fetcher(POLICY))
        assert again.document.id == made.document.id  # a changed page: the same item


def test_a_failing_or_thin_page_falls_back_to_the_feed():
    with FeedServer() as server:
        missing = server.url + "/gone.html"
        made = item_document(item(missing), "feed", Fetcher(POLICY))
        assert not made.from_page and made.page_error.startswith("HTTP 404")
        assert made.document.text == "Gunmen kill 5\n\nGunmen killed 5 villagers in Kukawa."
        teaser = "<h1>Gunmen kill 5</h1><p>Gunmen killed five villagers on Monday, police said. Subscribe to read the whole story.</p>"
        thin = server.set("/thin.html", f"<html><body><article>{teaser}</article></body></html>", content_type="text/html")
        made = item_document(item(thin), "feed", Fetcher(POLICY))
        assert not made.from_page and "too few" in made.page_error
        assert made.document.origin.endswith("(feed)")
    assert item_document(item(None), "feed", None).document.text.startswith("Gunmen kill 5")
    assert item_document(item(None, text=""), "feed", None).document.text == "Gunmen kill 5"
