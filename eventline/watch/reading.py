"""Reading one source once: what it holds now, as items, or why it could not be read.

Runs in the watch's fetch threads and never touches the store: the validators (ETag,
Last-Modified) come in with the source, and what was read goes back as a `SourceRead`.
A local feed file's validator is its size and modification time; a folder's items are its
files (key: the path inside the folder; hash: the file's bytes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from eventline.ingest import _walk
from eventline.store.watch_state import SourceState
from eventline.watch.fetch import Fetcher, FetchError
from eventline.watch.items import FeedItem, FeedUnreadable, feed_items
from eventline.watch.sources import Source


@dataclass
class SourceRead:
    source: Source
    state: SourceState
    items: list[FeedItem] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # folder: (path, hash)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


def read_source(source: Source, state: SourceState, fetcher: Fetcher, max_bytes: int) -> SourceRead:
    """What `source` holds now; a failure is kept in `error`, never raised."""
    read = SourceRead(source, state, etag=state.etag, last_modified=state.last_modified)
    try:
        if source.kind == "folder":
            read.files = _folder_files(Path(source.location), max_bytes)
        elif source.kind == "file":
            _read_file(read, max_bytes)
        else:
            fetched = fetcher.get(
                source.location, etag=state.etag, last_modified=state.last_modified
            )
            read.etag = fetched.etag or state.etag
            read.last_modified = fetched.last_modified or state.last_modified
            read.not_modified = fetched.status == 304
            if not read.not_modified:
                read.items = feed_items(fetched.body)
    except FetchError as error:
        read.error = error.detail
    except FeedUnreadable as error:
        read.error = error.detail
    except OSError as error:
        read.error = error.strerror or str(error)
    except Exception as error:  # noqa: BLE001 - a library failing on one odd source
        read.error = f"{type(error).__name__}: {error}"[:300]
    return read


def _read_file(read: SourceRead, max_bytes: int) -> None:
    path = Path(read.source.location)
    stat = path.stat()
    validator = f"{stat.st_mtime_ns}:{stat.st_size}"
    read.etag = validator
    if validator == read.state.etag:
        read.not_modified = True
        return
    if stat.st_size > max_bytes:
        raise OSError(f"file of {stat.st_size:,} bytes is over the {max_bytes:,}-byte limit")
    read.items = feed_items(path.read_bytes())


def _folder_files(folder: Path, max_bytes: int) -> list[tuple[str, str]]:
    files = []
    for path in _walk(folder):
        try:
            if path.stat().st_size > max_bytes:
                digest = f"size:{path.stat().st_size}:{path.stat().st_mtime_ns}"
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
        except OSError:
            continue  # gone or unreadable now: the next cycle sees it again
        files.append((str(path), digest))
    return files
