"""The query parameters several endpoints share, typed for the OpenAPI schema.

FastAPI reads these declarations for the schema and the range checks of `limit` and
`offset`; the values themselves are parsed and checked in eventline.serve.params.

Reads: nothing at run time. Writes: the `Annotated` parameter types the routes declare.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from eventline.serve import events
from eventline.serve.params import MAX_LIMIT

MAX_OFFSET = events.MAX_OFFSET

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
