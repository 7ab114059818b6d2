"""One feed item becomes one document: its linked article when the page gives one, else
what the feed itself says of it.

The page is fetched (robots.txt, timeouts and the size cap as for feeds) and its main text
extracted with trafilatura, as `ingest` reads HTML files. A page that fails, or whose text
is shorter than MIN_ARTICLE_CHARS or than the feed's own content, is not the article (a
paywall, a cookie wall, an index page): the feed's title and content or summary are used
instead, and the document's origin says which it is.

The document's id comes from the item's key and content hash, not from the page: a watch
restarted after storing it finds it stored even if the page has changed since.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventline.ingest import DEFAULT_MAX_BYTES, _read_bytes, read_text
from eventline.model import Document
from eventline.watch.fetch import Fetcher, FetchError
from eventline.watch.items import FeedItem

# Fewer characters than this is a teaser, not an article (a typical news story has 2,000+).
MIN_ARTICLE_CHARS = 300


@dataclass(frozen=True)
class ItemDocument:
    item: FeedItem
    document: Document | None  # None: neither the page nor the feed gave any text
    from_page: bool
    page_error: str | None = None  # why the page was not used, when it was tried


def item_document(item: FeedItem, source: str, fetcher: Fetcher | None) -> ItemDocument:
    """The document for `item` of `source` (the page is fetched when `fetcher` is given)."""
    page, error = _page(item, fetcher) if fetcher is not None else (None, None)
    feed_text = "\n\n".join(part for part in (item.title, item.text) if part)
    use_page = page is not None and len(page.text) >= max(MIN_ARTICLE_CHARS, len(item.text))
    if page is not None and not use_page:
        error = f"the page gives {len(page.text)} characters, too few for the article"
    text = page.text if use_page and page is not None else feed_text
    if not text.strip():
        return ItemDocument(item, None, False, error)
    published = item.published or (page.published if use_page and page is not None else None)
    document = read_text(
        text,
        published=published,
        doc_id=Document.make_id(f"watch\n{item.key}\n{item.content_hash}"),
        title=item.title or (page.title if page is not None else None) or None,
        url=item.link,
        source=item.channel or (page.source if page is not None else None),
        origin=f"{item.link or source} ({'page' if use_page else 'feed'})",
        published_from="input" if item.published or not use_page else "html",
    )
    if not document.text:
        return ItemDocument(item, None, False, error)
    return ItemDocument(item, document, use_page, None if use_page else error)


def _page(item: FeedItem, fetcher: Fetcher) -> tuple[Document | None, str | None]:
    if not item.link or not item.link.startswith(("http://", "https://")):
        return None, None
    try:
        fetched = fetcher.get(item.link)
    except FetchError as error:
        return None, error.detail
    cap = min(DEFAULT_MAX_BYTES, fetcher.policy.max_bytes)
    for output in _read_bytes(fetched.body, item.link, ".html", item.published, cap):
        if isinstance(output, Document):
            return output, None
        if output.severity == "error":
            return None, output.message
    return None, "no article text on the page"
