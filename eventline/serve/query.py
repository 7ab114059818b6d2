"""The query parameters several endpoints share, typed for the OpenAPI schema, and the event
filters as one FastAPI dependency.

FastAPI reads these declarations for the schema and the range checks of `limit` and
`offset`; the values themselves are parsed and checked in eventline.serve.params.

Reads: nothing at run time. Writes: the `Annotated` parameter types the routes declare and
`Filters`, the dependency that turns the filter parameters into an `EventFilter`.
"""

# No `from __future__ import annotations` here: FastAPI reads the dataclasses' __init__
# annotations, which must be the Annotated types themselves, not strings.

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, get_args, get_type_hints

from fastapi import Depends, Query

from eventline.serve.params import MAX_LIMIT, MAX_OFFSET, build_filter
from eventline.store.base import EventFilter

Since = Annotated[str | None, Query(description="Earliest event day, YYYY-MM-DD (inclusive).")]
Until = Annotated[str | None, Query(description="Latest event day, YYYY-MM-DD (inclusive).")]
Country = Annotated[
    str | None,
    Query(description="ISO alpha-3 code; matches the event's location or either actor."),
]
ActorQ = Annotated[
    str | None, Query(description="Part of an actor's text, name or code (case-insensitive).")
]
TypeQ = Annotated[str | None, Query(alias="type", description="PLOVER event type, e.g. ASSAULT.")]
Mode = Annotated[str | None, Query(description="PLOVER mode, e.g. aerial.")]
Bbox = Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat in degrees.")]
TextQ = Annotated[str | None, Query(description="Part of the evidence sentence.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1 to 1000).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]


@dataclass
class Filters:
    """The event filters, declared once: an endpoint takes them all with
    `filters: FiltersQuery` and reads them with `filters.event_filter()`."""

    since: Since = None
    until: Until = None
    country: Country = None
    actor: ActorQ = None
    event_type: TypeQ = None
    mode: Mode = None
    bbox: Bbox = None
    q: TextQ = None

    def event_filter(self, **page: Any) -> EventFilter:
        """The checked `EventFilter` (ApiError for the first bad value); `page` adds limit,
        offset or sort."""
        return build_filter(
            since=self.since,
            until=self.until,
            country=self.country,
            actor=self.actor,
            event_type=self.event_type,
            mode=self.mode,
            bbox=self.bbox,
            q=self.q,
            **page,
        )


# A filter an endpoint does not take is left out of its __init__ (init=False), so FastAPI
# neither lists nor accepts it there, and a request naming it is refused as unknown.


@dataclass
class ClaimFilters(Filters):
    """The filters of claims, which carry no mode and no place."""

    mode: str | None = field(default=None, init=False)
    bbox: str | None = field(default=None, init=False)


@dataclass
class SideFilters(Filters):
    """The filters of an analysis between two named sides, which take the actor's place."""

    actor: str | None = field(default=None, init=False)


def filter_parameters() -> Iterator[tuple[str, str]]:
    """Each filter's query name and description, in order, for a route that reads its query
    string itself (GET /api/events) and must describe it the same way."""
    hints = get_type_hints(Filters, include_extras=True)
    for declared in fields(Filters):
        query = get_args(hints[declared.name])[1]  # Annotated[str | None, Query(...)]
        yield query.alias or declared.name, query.description


FiltersQuery = Annotated[Filters, Depends()]
ClaimFiltersQuery = Annotated[ClaimFilters, Depends()]
SideFiltersQuery = Annotated[SideFilters, Depends()]
