"""Ingest: turn paths, folders and standard input into `Document`s.

Formats are recognised by file extension and by sniffing the content: plain text, HTML
(main text and metadata through trafilatura), JSONL (one record a line) and RSS/Atom feeds
(one document per item). Every input that cannot be used becomes a `Problem` with a code
from `eventline.errors`; the other inputs go on. `iter_inputs` never raises for one bad
input, so a batch of thousands of files survives a broken one. What the bytes of an input
are (binary, encoding, format) is eventline.sniffing's; a feed's items are eventline.feeds'.

A warning about a document (W101 encoding, W103/E110 unusable date) comes just before that
document and carries its `doc_id`.

Reads: paths, folders, standard input (text, HTML, JSONL, RSS/Atom). Writes: `Document`s
(text cleaned by eventline.cleaning, offsets into that text) and a `Problem` per unusable
input. Knowledge: eventline/data/ingest/.
"""

from __future__ import annotations

import codecs
import email.utils
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, TextIO

from eventline.cleaning import clean_mapped, clean_text, guess_headline
from eventline.errors import InputError, Msg
from eventline.model import Document, Problem
from eventline.sniffing import (
    _BINARY_SAMPLE_BYTES,
    JSONL_SUFFIXES,
    _decode,
    _looks_binary,
    _sniff_kind,
)

if TYPE_CHECKING:
    from trafilatura.metadata import Document as TrafilaturaDocument

# One document may be this large. News articles are a few KB; a 20 MB text must still go
# through (the parser works in chunks), so the default limit sits well above that.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

STDIN_ORIGIN = "<stdin>"

_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T ,])")
# a str holds a surrogate code point only when it stands alone (JSON's "\udcc2" escape):
# it is no character, and UTF-8 writers (the store, stdout) refuse it
_SURROGATE = re.compile("[\ud800-\udfff]")
_FIELD_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")


# --------------------------------------------------------------------------- public API
def iter_inputs(
    paths: Sequence[str],
    *,
    published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Document | Problem]:
    """Documents from files, folders (recursive, sorted, hidden files skipped) and '-' (stdin).

    `published` is used for documents that carry no date of their own.
    """
    for raw in paths:
        if raw == "-":
            yield from _guarded(_read_stdin(stdin, published, max_bytes), STDIN_ORIGIN)
        else:
            yield from _guarded(_read_path(Path(raw), published, max_bytes), raw)


def read_text(
    text: str,
    *,
    published: date | str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    origin: str = "<text>",
    published_from: str | None = None,
) -> Document:
    """One `Document` from a string: junk lines removed, headline taken as title if none given.

    `published_from` says how `published` was found ("input" unless told otherwise); a
    `published` string that is not a date raises InputError E110."""
    if isinstance(published, str):
        parsed = parse_published(published)
        if parsed is None:
            raise InputError(Msg.E110, value=published)
        published = parsed
    # lone surrogates become U+FFFD, one character for one: offsets into the text stay
    text = whole_characters(text)[0]
    mapped = clean_mapped(text)
    cleaned = mapped.text
    if title is None:
        title = guess_headline(cleaned)
    changed = cleaned != text
    return Document(
        id=doc_id if doc_id else Document.make_id(cleaned),
        text=cleaned,
        given=text if changed else None,
        text_map=mapped if changed else None,
        title=_optional_str(title),
        published=published,
        url=url or None,
        source=source or None,
        origin=origin,
        published_from=(published_from or "input") if published else None,
    )


def whole_characters(text: str) -> tuple[str, int]:
    """The text with each lone surrogate replaced by U+FFFD, and how many there were
    (one code point for one: positions do not move)."""
    if text.isascii():
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def parse_published(value: object) -> date | None:
    """A publication date from ISO 8601 (date or date-time), YYYY/MM/DD or RFC 822 text."""
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# --------------------------------------------------------------------------- walking, guarding
def _walk(folder: Path) -> list[Path]:
    """Files under `folder` sorted by path (b/a.txt before c.txt), hidden ones left out."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(root) / name for name in files if not name.startswith("."))
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def _guarded(items: Iterable[Document | Problem], origin: str) -> Iterator[Document | Problem]:
    """Pass items through; an unexpected failure becomes one Problem, not an exception."""
    try:
        yield from items
    except Exception as exc:  # a library bug on one odd input must not end the batch
        yield _problem(origin, Msg.E109, detail=f"{type(exc).__name__}: {exc}"[:300])


def _problem(
    origin: str, msg: Msg, *, warning: bool = False, doc_id: str | None = None, **details: object
) -> Problem:
    severity: Literal["error", "warning"] = "warning" if warning else "error"
    return Problem(origin, msg.name, msg.format(**details), severity, doc_id)


# --------------------------------------------------------------------------- sources
def _read_path(path: Path, published: date | None, max_bytes: int) -> Iterator[Document | Problem]:
    if not path.exists():
        yield _problem(str(path), Msg.E101)
    elif path.is_dir():
        for file in _walk(path):  # each file guarded alone: one failure spares the rest
            yield from _guarded(_read_file(file, published, max_bytes), str(file))
    else:
        yield from _read_file(path, published, max_bytes)


def _read_file(path: Path, published: date | None, max_bytes: int) -> Iterator[Document | Problem]:
    origin, suffix = str(path), path.suffix.lower()
    if not path.is_file():
        yield _problem(origin, Msg.E109, detail="not a regular file")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, published, max_bytes)
        return
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= max_bytes else b""
    except OSError as exc:
        yield _problem(origin, Msg.E109, detail=exc.strerror or str(exc))
        return
    if size > max_bytes:
        yield _too_big(origin, size, max_bytes)
        return
    yield from _read_bytes(data, origin, suffix, published, max_bytes)


def _read_stdin(
    stream: TextIO | BinaryIO | None, published: date | None, max_bytes: int
) -> Iterator[Document | Problem]:
    stream = sys.stdin if stream is None else stream
    binary = getattr(stream, "buffer", stream)
    try:
        content = binary.read()
    except OSError as exc:
        yield _problem(STDIN_ORIGIN, Msg.E109, detail=exc.strerror or str(exc))
        return
    if isinstance(content, str):
        content = content.encode("utf-8", errors="replace")
    yield from _read_bytes(content or b"", STDIN_ORIGIN, "", published, max_bytes)


def _read_bytes(
    data: bytes, origin: str, suffix: str, published: date | None, max_bytes: int
) -> Iterator[Document | Problem]:
    if not data.strip():
        yield _problem(origin, Msg.E102)
        return
    binary = _looks_binary(data)
    if binary and data.lstrip()[:1] != b"{":
        yield _problem(origin, Msg.E103)
        return
    text, encoding = _decode(data)
    kind = _sniff_kind(text, suffix)
    if binary and kind != "jsonl":
        yield _problem(origin, Msg.E103)
        return
    if kind == "jsonl":
        yield from _read_jsonl(data.splitlines(), origin, published, max_bytes)
        return
    if len(data) > max_bytes:  # stdin: files were measured before reading
        yield _too_big(origin, len(data), max_bytes)
        return
    if kind == "html":
        items: Iterator[Document | Problem] = _read_html(text, origin, published)
    elif kind == "feed":
        from eventline.feeds import _read_feed  # feeds builds on this module's helpers

        items = _read_feed(text, origin, published)
    else:
        items = iter([read_text(text, published=published, origin=origin, published_from="cli")])
    for item in items:
        if isinstance(item, Document) and not item.text:
            item = _problem(origin, Msg.E102)
        elif encoding and isinstance(item, Document):
            yield _problem(origin, Msg.W101, warning=True, doc_id=item.id, encoding=encoding)
            encoding = None  # one warning per input
        yield item


# --------------------------------------------------------------------------- JSONL
def _read_jsonl_file(
    path: Path, published: date | None, max_bytes: int
) -> Iterator[Document | Problem]:
    """Stream a JSONL file line by line, so a file of any size works."""
    try:
        with path.open("rb") as handle:
            sample = handle.read(_BINARY_SAMPLE_BYTES)
            if _looks_binary(sample) and sample.lstrip()[:1] != b"{":
                yield _problem(str(path), Msg.E103)
                return
            handle.seek(0)
            yield from _read_jsonl(handle, str(path), published, max_bytes)
    except OSError as exc:
        yield _problem(str(path), Msg.E109, detail=exc.strerror or str(exc))


def _read_jsonl(
    lines: Iterable[bytes], origin: str, published: date | None, max_bytes: int
) -> Iterator[Document | Problem]:
    """One document per JSON line, each line decoded alone (W101 at most once per input)."""
    seen_content = warned = False
    for number, raw in enumerate(lines, 1):
        line_origin = f"{origin}:{number}"
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        seen_content = True
        if len(raw) > max_bytes:
            yield _too_big(line_origin, len(raw), max_bytes)
            continue
        line, encoding = _decode(raw)
        for item in _guarded(_jsonl_record(line, number, line_origin, published), line_origin):
            if encoding and not warned and isinstance(item, Document):
                yield _problem(
                    line_origin, Msg.W101, warning=True, doc_id=item.id, encoding=encoding
                )
                warned = True
            yield item
    if not seen_content:
        yield _problem(origin, Msg.E102)


def _jsonl_record(
    line: str, number: int, line_origin: str, published: date | None
) -> Iterator[Document | Problem]:
    try:
        record = json.loads(line)
        kind = type(record).__name__.replace("list", "array")
        detail = None if isinstance(record, dict) else f"a JSON {kind}, not an object"
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at column {exc.colno}"
    except ValueError:  # Python refuses integer literals of more than 4,300 digits
        detail = "a number too long to read"
    except RecursionError:
        detail = "nested too deeply"
    if detail:
        yield _problem(line_origin, Msg.E105, line=number, detail=detail)
        return
    text = record.get("text")
    if text is None:
        keys = ", ".join(sorted(str(key) for key in record)[:12]) or "none"
        yield _problem(line_origin, Msg.E106, line=number, keys=whole_characters(keys)[0])
        return
    if not isinstance(text, str):
        kind = {bool: "true or false", dict: "an object", list: "an array"}.get(type(text), "a number")
        yield _problem(line_origin, Msg.E111, line=number, kind=kind)
        return
    text, surrogates = whole_characters(text)
    raw_date = record.get("published")
    own_date = parse_published(raw_date)
    bad_date = raw_date not in (None, "") and own_date is None
    fields = {key: _optional_str(record.get(key)) for key in ("title", "url", "source")}
    doc_id = _optional_str(record.get("id"))
    document = _dated_document(
        text, line_origin, own_date, "input", published, doc_id=doc_id, **fields
    )
    if not document.text:
        yield _problem(line_origin, Msg.E102)
        return
    if surrogates:
        yield _problem(line_origin, Msg.W105, warning=True, doc_id=document.id, count=surrogates)
    if bad_date:
        yield _problem(
            line_origin, Msg.W103, warning=True, doc_id=document.id, line=number, value=raw_date
        )
    raw_home = record.get("source_home")
    if raw_home not in (None, []):
        home = _region_pairs(raw_home)
        if home is None:
            yield _problem(
                line_origin, Msg.W104, warning=True, doc_id=document.id, line=number, value=raw_home
            )
        else:
            document.source_home = home
    yield document


def _region_pairs(value: Any) -> list[tuple[str, str]] | None:
    """[["USA", "Ohio"], ...] as pairs, or None if it is not of that shape."""
    if not isinstance(value, list):
        return None
    pairs = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) and v.strip() for v in item)):
            return None
        pairs.append((_optional_str(item[0]) or "", _optional_str(item[1]) or ""))
    return pairs


def _dated_document(
    text: str, origin: str, own: date | None, own_from: str, fallback: date | None, **fields: Any
) -> Document:
    """A document dated by its own date if it has one, else by the caller's `published`."""
    how = own_from if own else "cli"
    return read_text(text, published=own or fallback, published_from=how, origin=origin, **fields)


def _optional_str(value: Any) -> str | None:
    """A metadata field as one clean line of whole characters, or None."""
    text = "" if value is None or isinstance(value, (dict, list)) else str(value)
    text = _FIELD_CONTROLS.sub(" ", whole_characters(text)[0]).strip()
    return text or None


# --------------------------------------------------------------------------- HTML
def _read_html(text: str, origin: str, published: date | None) -> Iterator[Document | Problem]:
    extracted = _page_document(text)
    if extracted is None or not (extracted.text or "").strip():
        extracted = _page_document(text, favor_recall=True)
    body = (extracted.text or "") if extracted is not None else ""
    # trafilatura gives one paragraph a line; eventline's paragraph break is a blank line. The
    # article text so made is the text spans index (read_text cleans it).
    body = body.replace("\n", "\n\n")
    if extracted is None or not clean_text(body):
        yield _problem(origin, Msg.E107)
        return
    own_date = parse_published(extracted.date)
    meta = {"title": extracted.title or None, "url": extracted.url or None}
    meta["source"] = extracted.sitename or extracted.hostname or None
    yield _dated_document(body, origin, own_date, "html", published, **meta)


def _page_document(text: str, *, favor_recall: bool = False) -> TrafilaturaDocument | None:
    """trafilatura's reading of a page (main text and metadata), or None."""
    import trafilatura  # heavy import: only when HTML is met

    extracted = trafilatura.bare_extraction(
        text,
        favor_recall=favor_recall,
        with_metadata=True,
        date_extraction_params={"original_date": True},
    )
    # a dict comes back only with as_dict=True, which is not asked for
    return None if isinstance(extracted, dict) else extracted


def _too_big(origin: str, size: int, max_bytes: int) -> Problem:
    return _problem(origin, Msg.E104, size_mb=size / 1_048_576, limit_mb=max_bytes / 1_048_576)


