"""Every error and warning eventline raises or reports, in one place.

Each message says what went wrong, what is valid, and how to fix it. Codes are stable so
that scripts can match on them; `{placeholders}` are filled with `.format()`.
Stages raise `EventlineError` subclasses or return `Problem`s; only the CLI prints.
"""

from __future__ import annotations

from enum import StrEnum


class Msg(StrEnum):
    # ingest: one input (E1xx)
    E101 = "Path does not exist. Check the spelling, or pass '-' to read standard input."
    E102 = "File is empty (0 bytes of text after stripping). Nothing to extract; skipped."
    E103 = (
        "File looks binary (NUL bytes or mostly non-text), not a text, HTML, JSONL or feed file. "
        "Convert it to text first; skipped."
    )
    E104 = (
        "File is {size_mb:.1f} MB, over the {limit_mb:.0f} MB limit for one document. Split it, "
        "or raise the limit with --max-bytes; skipped."
    )
    E105 = (
        "Line {line} is not valid JSON ({detail}). Each JSONL line must be one JSON object such "
        'as {{"id": "a1", "text": "..."}}; line skipped.'
    )
    E106 = (
        "Line {line} has no 'text' field (keys: {keys}). A JSONL record needs 'text'; 'id', "
        "'title', 'published', 'url' and 'source' are optional; line skipped."
    )
    E107 = (
        "HTML page holds no article text that could be extracted (trafilatura found no main "
        "content). If the page is an index or a script-only page, pass the article URL's HTML; skipped."
    )
    E108 = "Feed is not well-formed XML ({detail}). Expected RSS or Atom; skipped."
    E109 = "File could not be read: {detail}; skipped."
    E110 = (
        "'published' value {value!r} is not a date. Use ISO format YYYY-MM-DD (e.g. 2023-11-22); "
        "the document is processed without a publication date."
    )
    # warnings about one input (W1xx)
    W101 = (
        "Text was not valid UTF-8; decoded as {encoding}. Save files as UTF-8 to avoid this warning."
    )
    W102 = (
        "No publication date: relative dates ('Monday', 'last week', 'Oct. 27') cannot be "
        "resolved, so event dates are null and date_text keeps the words. Pass --published "
        "YYYY-MM-DD or a 'published' field to resolve them."
    )
    W103 = "Line {line} has an unknown 'published' value {value!r}; it is ignored."
    W104 = (
        "Line {line} has a 'source_home' that is not a list of [country, region] pairs "
        "({value!r}); it is ignored and the source's home is learned from its documents. "
        'Write it like [["USA", "Ohio"]]: an ISO alpha-3 code and a first-level region name.'
    )
    # extraction (E2xx)
    E201 = (
        "Extraction failed on this document ({detail}). It was not stored, so the next run "
        "retries it; the rest of the batch went on."
    )
    # store (E3xx)
    E301 = (
        "Database {url!r} is locked by another process and stayed locked for {seconds:.0f} s. "
        "Wait for the other ingest to finish, or raise --lock-timeout."
    )
    E302 = (
        "Database {url!r} is not an eventline store or is damaged ({detail}). Point --db at a "
        "new file, or restore the file from a backup."
    )
    E303 = (
        "Unsupported database URL {url!r}. Valid forms: a file path or sqlite:///path.db "
        "(default), or postgresql://user:pass@host:port/db (needs the 'postgres' extra)."
    )
    E304 = (
        "Database {url!r} has schema version {found}, newer than this eventline ({expected}). "
        "Upgrade eventline to read it."
    )
    E305 = "No event with id {event_id!r} in {url!r}. List ids with 'eventline events'."
    E306 = "Could not connect to {url!r}: {detail}. Check that the server runs and the URL is right."
    E307 = (
        "Unknown export {what!r} in format {fmt!r}. Valid formats: csv, jsonl, parquet, geojson; "
        "valid contents: events, reports, claims; valid column sets: default, acled."
    )
    # configuration / user data (E4xx)
    E401 = (
        "Actor file {path!r} could not be read: {detail}. Expected CSV or YAML with columns "
        "name, aliases, country, sector, affiliation (see docs/actors.md)."
    )
    E402 = "Unknown output format {value!r}. Valid options: {options}."
    E403 = "Invalid date {value!r} for {option}. Use YYYY-MM-DD, e.g. 2023-11-22."
    E404 = (
        "Gold data folder {path!r} is missing. Evaluation reads the sets from ../shared/eval/dev; "
        "pass --data DIR to point elsewhere."
    )
    E405 = "Unknown evaluation set {value!r}. Valid options: {options}."
    E406 = "Unknown sort key {value!r}. Valid options: {options}; prefix '-' to sort descending."
    E407 = (
        "{path}, line {line}: {detail}. The line is skipped and the rest of the dictionary "
        "loads; see docs/actors.md for the PETRARCH dictionary format."
    )
    E408 = (
        "Verb dictionary {path!r} could not be read: {detail}. Expected a PETRARCH/TABARI verb "
        "file (synonym sets, --- VERB [CODE] --- blocks, patterns; see docs/actors.md)."
    )
    # HTTP API (E5xx)
    E501 = "Parameter {parameter!r} has an invalid value {value!r}. {expected}"
    E502 = "Unknown parameter {parameter!r}. Valid parameters for {path}: {options}."
    E503 = "Parameter {parameter!r} is required. {expected}"
    E504 = (
        "No endpoint at {path!r}. The endpoints are listed in /openapi.json; the dashboard is at /."
    )
    E505 = "Method {method} is not allowed on {path!r}. This API only reads: use GET."
    E506 = "No event with id {event_id!r}. List event ids with GET /api/events."
    E507 = (
        "The server failed while answering ({detail}). The request itself was valid; see the "
        "server log, and report the problem if it repeats."
    )
    E508 = "The store could not be read: {detail}. Check the --db URL the server was started with."

    # engines (E6xx)
    E601 = (
        "The Spark engine needs pyspark, which is not installed. Install the 'spark' extra "
        "(pip install 'eventline[spark]'), or use --engine local."
    )
    E602 = (
        "Spark input {path!r} has an unknown format. Valid inputs: JSONL files (.jsonl, .json, "
        ".ndjson, optionally .gz) or Parquet (.parquet files or folders); each record needs "
        "'text', and 'id', 'title', 'published', 'url', 'source' are optional."
    )
    E603 = "Spark job failed: {detail}. Check the master URL ({master}) and the executor logs."

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return self.value.format(**kwargs)


class EventlineError(Exception):
    """Base class for everything eventline raises on purpose."""

    code: str = "E000"

    def __init__(self, msg: Msg, **kwargs: object) -> None:
        self.code = msg.name
        self.msg = msg
        self.details = kwargs
        super().__init__(f"[{msg.name}] {msg.format(**kwargs)}")


class InputError(EventlineError):
    """One input document or line cannot be used."""


class StoreError(EventlineError):
    """The database cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the write lock longer than the timeout."""


class ConfigError(EventlineError):
    """A user-supplied option, file or dictionary is invalid."""
