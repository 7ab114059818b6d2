"""Turning query-string values into checked Python values and an `EventFilter`.

Every value is parsed and validated here, before anything reaches the store: a bad value
raises `ApiError` naming the parameter, and the store only ever sees typed values that
it binds as SQL parameters.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from eventline.data_files import read_csv
from eventline.errors import Msg
from eventline.store.base import EventFilter

# the current PLOVER event types: the rows of models/plover_quad_class.csv that
# models/plover_versions.csv does not rename
_RENAMED = {row["older_event"] for row in read_csv("models/plover_versions.csv")}
PLOVER_EVENT_TYPES = tuple(
    row["plover_event"]
    for row in read_csv("models/plover_quad_class.csv")
    if row["plover_event"] not in _RENAMED
)
FORMATS = ("json", "csv", "geojson")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
MAX_TEXT = 200  # longer free-text filters are almost surely mistakes or abuse
_MODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_COUNTRY_PATTERN = re.compile(r"^[A-Za-z]{3}$")
# C0 and C1 control characters: no name, sentence or code holds one, and a NUL would end
# the text early inside the database's full-text syntax
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ApiError(Exception):
    """An answer other than success: carries the HTTP status and a stable error code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        parameter: str | None = None,
        eventline_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.eventline_code = eventline_code

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "code": self.code, "message": self.message}
        if self.parameter is not None:
            error["parameter"] = self.parameter
        if self.eventline_code is not None:
            error["eventline_code"] = self.eventline_code
        return error


def invalid(parameter: str, value: object, expected: str) -> ApiError:
    return ApiError(
        400,
        "invalid_parameter",
        Msg.E501.format(parameter=parameter, value=value, expected=expected),
        parameter=parameter,
        eventline_code=Msg.E501.name,
    )


def missing(parameter: str, expected: str) -> ApiError:
    return ApiError(
        400,
        "missing_parameter",
        Msg.E503.format(parameter=parameter, expected=expected),
        parameter=parameter,
        eventline_code=Msg.E503.name,
    )


def _present(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def parse_date(name: str, value: str | None) -> date | None:
    if not _present(value):
        return None
    try:
        return date.fromisoformat(value.strip())  # type: ignore[union-attr]
    except ValueError:
        raise invalid(name, value, "Use YYYY-MM-DD, e.g. 2023-11-22.") from None


def parse_int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if not _present(value):
        return default
    try:
        number = int(value.strip())  # type: ignore[union-attr]
    except ValueError:
        raise invalid(name, value, f"Use a whole number from {low} to {high}.") from None
    if not low <= number <= high:
        raise invalid(name, value, f"Use a whole number from {low} to {high}.")
    return number


def parse_choice(name: str, value: str | None, options: tuple[str, ...], default: str) -> str:
    if not _present(value):
        return default
    chosen = value.strip().lower()  # type: ignore[union-attr]
    if chosen not in options:
        raise invalid(name, value, f"Valid options: {', '.join(options)}.")
    return chosen


def parse_text(name: str, value: str | None) -> str | None:
    """Free text (actor names, sentence search): printable characters, bounded in length.
    Control characters are refused, not dropped: a search for "Hamas\x00" is a mistake, and
    dropping them would answer a different question."""
    if not _present(value):
        return None
    text = value.strip()  # type: ignore[union-attr]
    if len(text) > MAX_TEXT:
        raise invalid(name, value[:40] + "...", f"Use at most {MAX_TEXT} characters.")  # type: ignore[index]
    check_printable(name, text)
    return text


def check_printable(name: str, value: str) -> None:
    """ApiError 400 when `value` holds a control character (NUL, tab, line break, ...)."""
    if _CONTROL.search(value):
        raise invalid(
            name, value[:80], "Remove control characters (NUL, tabs, line breaks): searches match printable text."
        )


def parse_country(value: str | None) -> str | None:
    if not _present(value):
        return None
    if not _COUNTRY_PATTERN.match(value.strip()):  # type: ignore[union-attr]
        raise invalid("country", value, "Use an ISO 3166 alpha-3 code, e.g. IRQ or SYR.")
    return value.strip().upper()  # type: ignore[union-attr]


def parse_event_type(value: str | None) -> str | None:
    if not _present(value):
        return None
    event_type = value.strip().upper()  # type: ignore[union-attr]
    if event_type not in PLOVER_EVENT_TYPES:
        raise invalid("type", value, f"Use a PLOVER event type: {', '.join(PLOVER_EVENT_TYPES)}.")
    return event_type


def parse_mode(value: str | None) -> str | None:
    if not _present(value):
        return None
    mode = value.strip().lower()  # type: ignore[union-attr]
    if not _MODE_PATTERN.match(mode):
        raise invalid("mode", value, "Use a PLOVER mode such as aerial, firearms or arrest.")
    return mode


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not _present(value):
        return None
    expected = "Use min_lon,min_lat,max_lon,max_lat in degrees, e.g. 38.8,29.0,48.6,37.4."
    parts = value.split(",")  # type: ignore[union-attr]
    if len(parts) != 4:
        raise invalid("bbox", value, expected)
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise invalid("bbox", value, expected) from None
    numbers = (min_lon, min_lat, max_lon, max_lat)
    if not all(math.isfinite(n) for n in numbers):
        raise invalid("bbox", value, expected)
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise invalid("bbox", value, expected + " Minimums must not exceed maximums.")
    return numbers


def parse_sort(value: str | None) -> str:
    if not _present(value):
        return "date"
    key = value.strip()  # type: ignore[union-attr]
    if key.lstrip("-") not in EventFilter.SORT_KEYS or key.startswith("--"):
        options = ", ".join(f"{k}, -{k}" for k in EventFilter.SORT_KEYS)
        raise invalid("sort", value, f"Valid options: {options}.")
    return key


def build_filter(
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    mode: str | None = None,
    bbox: str | None = None,
    q: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    sort: str | None = None,
) -> EventFilter:
    """An `EventFilter` from raw query values; raises `ApiError` for the first bad one."""
    start, end = parse_date("since", since), parse_date("until", until)
    if start and end and start > end:
        raise invalid("until", until, f"'until' must be on or after 'since' ({start}).")
    return EventFilter(
        since=start,
        until=end,
        country=parse_country(country),
        actor=parse_text("actor", actor),
        event_type=parse_event_type(event_type),
        mode=parse_mode(mode),
        bbox=parse_bbox(bbox),
        text=parse_text("q", q),
        limit=limit,
        offset=offset,
        sort=parse_sort(sort),
    )
