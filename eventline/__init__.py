"""eventline: conflict events from news text.

    >>> import eventline
    >>> result = eventline.extract("Rebels attacked an army post in Gao on Monday.", published="2024-03-06")
    >>> [e.event_type for e in result.events]

`extract()` is stateless; `open_store(url)` reads and writes a store (SQLite by default).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from eventline.model import Actor, Claim, Document, Event, Place, Problem, Result

if TYPE_CHECKING:
    from eventline.store.base import Store

__version__ = "0.1.0"
__all__ = ["Actor", "Claim", "Document", "Event", "Place", "Problem", "Result", "extract", "open_store"]


def extract(text: str, published: date | str | None = None, **document_fields: Any) -> Result:
    """Events and claims in one text. `published` anchors relative dates ("Monday", "last week")."""
    from eventline.pipeline import default_pipeline

    return default_pipeline().extract_text(text, published=published, **document_fields)


def open_store(url: str | None = None, **options: Any) -> Store:
    """Open (and create or migrate) a store: a SQLite path (default) or postgresql://..."""
    from eventline.store import open_store as _open

    return _open(url, **options)
