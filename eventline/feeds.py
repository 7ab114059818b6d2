"""Feeds: the documents of an RSS or Atom feed, one per item.

The feed is parsed with lxml without DTDs, entity expansion or network; a damaged feed
gives the items the parser can recover plus one E112 for the damage. An item's text is its
title and its body (escaped HTML, CDATA or inline XHTML, made plain text here).

Reads: the decoded text of one feed. Writes: a `Document` per usable item and a `Problem`
per unusable item or feed. Used by eventline.ingest and eventline.watch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from eventline.cleaning import clean_text
from eventline.errors import Msg
from eventline.ingest import _dated_document, _guarded, _problem, parse_published
from eventline.model import Document, Problem

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _html_fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment (feed descriptions), one paragraph per block element."""
    if "<" not in markup:
        return markup
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", markup)
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for block in root.xpath(".//p|.//div|.//br|.//li|.//h1|.//h2|.//h3|.//h4|.//blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    return root.text_content()



def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _read_feed(text: str, origin: str, published: date | None) -> Iterator[Document | Problem]:
    from lxml import etree

    markup = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    damage: etree.XMLSyntaxError | None = None
    try:
        root = etree.fromstring(markup, _feed_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        # one broken item must not cost the others: read what the parser can recover
        root, damage = etree.fromstring(markup, _feed_parser(recover=True)), exc
    if root is None or _local(root.tag) not in {"rss", "feed", "rdf"}:
        what = "nothing" if root is None else f"root <{_local(root.tag)}>"
        detail = str(damage)[:200] if damage else f"{what} is not rss or feed"
        yield _problem(origin, Msg.E108, detail=detail)
        return
    channel_title = _child_text(root.find("{*}channel"), "title") or _child_text(root, "title")
    items = [el for el in root.iter() if _local(el.tag) in {"item", "entry"}]
    outputs = (
        output
        for item in items
        for item_origin in [f"{origin}:{item.sourceline}" if item.sourceline else origin]
        for output in _guarded(_feed_item(item, item_origin, channel_title, published), item_origin)
    )
    if damage is None:
        if not items:
            yield _problem(origin, Msg.E102)
        yield from outputs
        return
    # the broken item is reported once, by the parser's error; what it left of it is dropped
    kept = [out for out in outputs if isinstance(out, Document) or out.code != Msg.E102.name]
    if not any(isinstance(out, Document) for out in kept):
        yield _problem(origin, Msg.E108, detail=str(damage)[:200])
        return
    line = damage.lineno or 0
    yield _problem(f"{origin}:{line}" if line else origin, Msg.E112, line=line, detail=str(damage)[:200])
    yield from kept


def _feed_parser(*, recover: bool) -> Any:
    from lxml import etree

    # no DTDs, no entity expansion, no network: a feed is untrusted input
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )


def _feed_item(
    item: Any, origin: str, source: str | None, published: date | None
) -> Iterator[Document | Problem]:
    title = clean_text(_html_fragment_text(_child_text(item, "title") or ""))
    bodies = (_child(item, name) for name in ("encoded", "content", "description", "summary"))
    body = next((_element_text(el) for el in bodies if el is not None and (el.text or len(el))), "")
    text = "\n\n".join(part for part in (title, clean_text(body)) if part)
    if not text:
        yield _problem(origin, Msg.E102)
        return
    dates = (_child_text(item, name) for name in ("pubdate", "published", "updated", "date"))
    raw_date = next((value for value in dates if value), None)
    own_date = parse_published(raw_date)
    fields = {"title": title or None, "url": _item_link(item), "source": source}
    document = _dated_document(text, origin, own_date, "input", published, **fields)
    if raw_date and own_date is None:
        yield _problem(origin, Msg.E110, warning=True, doc_id=document.id, value=raw_date)
    yield document


def _child(element: Any, name: str) -> Any:
    children = () if element is None else element
    return next((child for child in children if _local(child.tag) == name), None)


def _child_text(element: Any, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None else "".join(child.itertext()).strip() or None


def _element_text(element: Any) -> str:
    """Text of a description/content element: escaped HTML, CDATA or inline XHTML."""
    from lxml import etree

    # Atom type="xhtml" holds inline XML elements rather than escaped markup
    inner = "".join(etree.tostring(child, encoding="unicode") for child in element)
    return _html_fragment_text((element.text or "") + inner)


def _item_link(item: Any) -> str | None:
    for child in item:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and child.text and child.text.strip():
            return child.text.strip()
    guid = _child_text(item, "guid") or ""  # often the permalink when <link> is missing
    return guid if guid.startswith("http") else None
