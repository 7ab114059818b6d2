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
    E111 = (
        "Line {line} has a 'text' that is {kind}, not a string. Write the article as a JSON "
        'string, e.g. "text": "Troops fired on ..."; line skipped.'
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
    E112 = (
        "Feed is not well-formed XML at line {line} ({detail}). The items the parser could "
        "recover were read; the item around that line may be missing or cut. Fix the feed "
        "to get every item."
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
    W105 = (
        "Text held {count} lone surrogate code point(s) (e.g. a JSON escape such as "
        "\\udcc2 without its pair), which are not Unicode characters; each was replaced by "
        "U+FFFD. Fix the producer of the input to write whole characters."
    )
    W106 = (
        "Document is past the per-document budget ({limit}): only its first {kept} of {total} "
        "characters ({sentences} sentences) were read, cut at a sentence boundary. Split the "
        "document, or raise EVENTLINE_MAX_SENTENCES / EVENTLINE_MAX_SECONDS."
    )
    W107 = (
        "The document has no text to read after cleaning, so the event model cannot score it "
        "and no event is given. Check that the input holds the article's text, not only markup."
    )
    W108 = (
        "The document does not look like English (only {share:.0%} of its words are common "
        "English words); the event model was trained on English news, so no event is given "
        "rather than a guess. Translate it first, or check the file's encoding."
    )
    # extraction (E2xx)
    E201 = (
        "Extraction failed on this document ({detail}). The rest of the batch went on; "
        "'ingest' records the document as failed and does not try it again (list them with "
        "'eventline failures', retry them with 'eventline ingest --retry-failed')."
    )
    E202 = (
        "The worker process died while extracting this document ({detail}). It was not "
        "stored; 'ingest' tries it again on the next run, at most {attempts} times in all, "
        "then records it as failed (see 'eventline failures')."
    )
    E203 = (
        "Skipped: this document failed on an earlier run ({detail}). Retry it with "
        "'eventline ingest --retry-failed' once the cause is fixed."
    )
    E204 = (
        "Model file {path!r} could not be read ({detail}). It is package data that "
        "'python {script}' writes: reinstall eventline, or rebuild the file with that script."
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
    E308 = (
        "Database {url!r} cannot be written ({detail}). Make the file and its folder writable "
        "by this user (SQLite also writes the -wal and -shm files beside it), or copy the "
        "store somewhere writable."
    )
    E309 = (
        "Database {url!r} ran out of space ({detail}). The batch being written was rolled "
        "back, nothing was half-written; free disk space and run the ingest again to go on."
    )
    E310 = (
        "No store at {url!r}{detail}. Read commands never create one: check the path, or "
        "create the store with 'eventline ingest FILES --db {url}'."
    )
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
        "Junk-line pattern on line {line} of {path!r} is not a regular expression ({detail}). "
        "Each line of the file is one Python regular expression; fix the line or start it "
        "with '#' to make it a comment."
    )
    E408 = (
        "{path}, line {line}: {detail}. The line is skipped and the rest of the dictionary "
        "loads; see docs/actors.md for the PETRARCH dictionary format."
    )
    E409 = (
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
    E604 = (
        "--published does not apply to the Spark engine: its inputs are JSONL or Parquet "
        "records, which carry their own 'published' field. Put the date in the records, or use "
        "--engine local."
    )

    # watch: sources, fetching, alert rules (E7xx)
    E701 = (
        "{path}, line {line}: {detail}. Each line names one source: an http(s) feed URL, a feed "
        "file or a folder, optionally followed by every=SECONDS; '#' starts a comment."
    )
    E702 = (
        "{path}, line {line}: {detail}. A rule has a name, a 'when' (fatalities, dyad_resumes, "
        "spike or claims) and that kind's keys (see docs/output-contract.md, Alert rules)."
    )
    E703 = "Rules file {path!r} could not be read: {detail}. Expected YAML with a 'rules' list."
    E704 = (
        "Source {url} failed: {detail}. The other sources went on; this one is tried again "
        "next cycle (see 'eventline sources')."
    )
    E705 = (
        "Alert {alert_id} could not be delivered to {target}: {detail}. It stays in the store "
        "and is sent again after the next cycle."
    )

    # narrower than str.format on purpose: a message is filled by name, never by position
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
