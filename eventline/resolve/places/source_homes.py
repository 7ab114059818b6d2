"""Where a source is: the home region learned from the regions its documents name.

A local paper names its own state in most of its stories, and the bare town names it
prints mean towns of that state: "Dublin" in a Columbus paper is Dublin, Ohio, though the
story itself may name no state at all. The source's other stories say where it is. For
each source (the document's `source`, else its URL's host without "www."), `SourceHomes`
counts in how many of the source's documents each first-level region is the focus (the
region most of the document's places lie in, `focus_regions`); a region that is the focus
of at least `HOME_MIN_SHARE` of them, and of more of them than any other, is the source's
home (two regions tied for it are both: a paper on a state line). Place choice then pulls bare namesakes towards it
(eventline.resolve.places.choice, SOURCE_HOME_WEIGHT), less strongly than a region the
story names itself.

Documents count as they are read: a source's first document has no home yet, and a world
news service, whose stories name regions all over, never gets one. The local engine keeps
one `SourceHomes` per run, filled first from the documents the store already holds (the
store records the regions of every stored document's places), and passes each document
its source's home in `Document.source_home` before extracting it. On Spark, partitions run
apart, so a run uses the homes the store knew when it started; its documents count for
the next run. With the prefilter on (the default), a run sees the places of the sentences
that can hold an event, not of every sentence.

Reads: a document's source or URL, and the focus regions of its Result. Writes: the home
regions of a source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from eventline.model import Document

Region = tuple[str, str]  # (ISO alpha-3, first-level region name)

# a region must be the focus of this share of a source's documents read so far to be its home
HOME_MIN_SHARE = 0.3
# and in at least this many of them
HOME_MIN_DOCUMENTS = 1
# regions named equally often that may share the home
MAX_HOME_REGIONS = 2


def source_key(document: Document) -> str | None:
    """The source a document counts for: its `source`, else the host of its URL."""
    if document.source and document.source.strip():
        return document.source.strip().casefold()
    if not document.url:
        return None
    try:
        host = urlsplit(document.url.strip()).hostname
    except ValueError:  # a malformed URL names no source
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def focus_regions(votes: Mapping[Region, int]) -> list[Region]:
    """The region (or the regions tied for it) that most of a document's places lie in:
    what the document tells about where its source is. A story that also mentions a town
    elsewhere in passing is about its focus."""
    top = max(votes.values(), default=0)
    return sorted(region for region, count in votes.items() if count == top and count > 0)


def regions_of(values: Iterable[Sequence[str]]) -> frozenset[Region]:
    """Regions as (country, name) pairs, whatever sequence type they were stored as."""
    return frozenset((str(v[0]), str(v[1])) for v in values if len(v) == 2)


class SourceHomes:
    """Per source: how many documents were read, and of how many each region was the focus."""

    def __init__(self) -> None:
        self.documents: Counter[str] = Counter()
        self.regions: dict[str, Counter[Region]] = {}

    def learn(self, source: str | None, focus: Iterable[Sequence[str]], documents: int = 1) -> None:
        """Count `documents` documents of `source` with these focus regions (each once)."""
        if source is None:
            return
        self.documents[source] += documents
        regions = self.regions.setdefault(source, Counter())
        for region in regions_of(focus):
            regions[region] += documents

    def home(self, source: str | None) -> frozenset[Region]:
        """The source's home region, if its documents so far point to one (else empty)."""
        if source is None or source not in self.regions:
            return frozenset()
        ranked = self.regions[source].most_common(MAX_HOME_REGIONS + 1)
        if not ranked:
            return frozenset()
        top = ranked[0][1]
        if top < HOME_MIN_DOCUMENTS or top / self.documents[source] < HOME_MIN_SHARE:
            return frozenset()
        # a paper on a border serves both sides (Kansas City: Kansas and Missouri): regions
        # named equally often are all its home, unless so many tie that none stands out
        tied = [region for region, count in ranked if count == top]
        return frozenset(tied) if len(tied) <= MAX_HOME_REGIONS else frozenset()

    def give_homes(self, documents: Iterable[object]) -> None:
        """Set each Document's `source_home` from what the run has learned so far; a home
        the input gave is kept."""
        for item in documents:
            if isinstance(item, Document) and not item.source_home:
                item.source_home = sorted(self.home(source_key(item)))
