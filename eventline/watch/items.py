"""The items of a fetched feed, each with the identity and content hash the watch keeps.

An item's key is its guid (RSS) or id (Atom), else its link, else a hash of its text; its
content hash covers what the feed says of it (title, text, date, link), so an item
rewritten in place is seen as a new version of the same key. The XML is read as `ingest`
reads feeds (no DTDs, no entities, no network), with ingest's own element helpers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventline.cleaning import clean_text
from eventline.errors import Msg
from eventline.feeds import (
    _XML_DECLARATION,
    _child_text,
    _element_text,
    _html_fragment_text,
    _item_link,
    _local,
)
from eventline.ingest import parse_published
from eventline.sniffing import _decode, _looks_binary

BODY_ELEMENTS = ("encoded", "content", "description", "summary")
DATE_ELEMENTS = ("pubdate", "published", "updated", "date")


@dataclass(frozen=True)
class FeedItem:
    key: str
    content_hash: str
    title: str
    text: str  # the feed's own content or summary, as plain text
    link: str | None
    published: date | None
    channel: str | None  # the feed's title


class FeedUnreadable(Exception):
    """The body is no RSS or Atom feed; `detail` is the E108 message."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = f"[E108] {detail}"


def content_hash(*parts: str | None) -> str:
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def feed_items(body: bytes) -> list[FeedItem]:
    """Every item of an RSS or Atom feed, in feed order; FeedUnreadable if it is none."""
    from lxml import etree

    if not body.strip() or _looks_binary(body):
        raise FeedUnreadable(Msg.E108.format(detail="empty or binary body"))
    text, _ = _decode(body)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise FeedUnreadable(Msg.E108.format(detail=str(exc)[:200])) from exc
    if _local(root.tag) not in {"rss", "feed", "rdf"}:
        raise FeedUnreadable(
            Msg.E108.format(detail=f"root <{_local(root.tag)}> is not rss or feed")
        )
    channel = _child_text(root.find("{*}channel"), "title") or _child_text(root, "title")
    return list(_items(root, channel))


def _items(root: Any, channel: str | None) -> Iterator[FeedItem]:
    for element in root.iter():
        if _local(element.tag) not in {"item", "entry"}:
            continue
        title = clean_text(_html_fragment_text(_child_text(element, "title") or ""))
        body = ""
        for name in BODY_ELEMENTS:
            child = next((c for c in element if _local(c.tag) == name), None)
            if child is not None and (child.text or len(child)):
                body = clean_text(_element_text(child))
                break
        raw_date = next(
            (value for value in (_child_text(element, n) for n in DATE_ELEMENTS) if value), None
        )
        link = _item_link(element)
        guid = _child_text(element, "guid") or _child_text(element, "id")
        key = guid or link or content_hash(title, body)
        yield FeedItem(
            key=key,
            content_hash=content_hash(title, body, raw_date, link),
            title=title,
            text=body,
            link=link,
            published=parse_published(raw_date),
            channel=channel,
        )
