"""What `eventline watch` follows: SOURCE arguments and sources files.

A SOURCE is an http(s) feed URL, a local feed file, a folder (each new or changed file in
it is read as `ingest` reads files), or a text file listing sources, one a line:

    # comments and blank lines are skipped
    https://example.org/world/rss.xml            every=300
    /data/drops/                                 # a folder
    local-feed.xml

`every=SECONDS` overrides `--every` for that source. A line that names nothing usable is
one error (E701) with the file and line, before anything is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from eventline.errors import ConfigError, Msg
from eventline.sniffing import FEED_SUFFIXES

SourceKind = Literal["url", "file", "folder"]
URL_SCHEMES = ("http://", "https://")
SNIFF_BYTES = 1024


@dataclass(frozen=True)
class Source:
    location: str  # the URL, or the path as given
    kind: SourceKind
    every: float | None = None  # seconds between polls; None: the watch's --every


def parse_sources(arguments: list[str]) -> list[Source]:
    """Sources from the command line, sources files expanded, each once, in order."""
    found: dict[str, Source] = {}
    for argument in arguments:
        listed = _listed_sources(Path(argument)) if _is_source_list(argument) else None
        for source in listed if listed is not None else [_source(argument, None, "", 0)]:
            found.setdefault(source.location, source)
    return list(found.values())


def _is_source_list(argument: str) -> bool:
    """A local file that is not a feed: a list of sources."""
    path = Path(argument)
    if argument.startswith(URL_SCHEMES) or not path.is_file():
        return False
    if path.suffix.lower() in FEED_SUFFIXES:
        return False
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head.startswith(b"<")


def _listed_sources(path: Path) -> list[Source]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Msg.E701, path=str(path), line=0, detail=f"unreadable ({exc})") from exc
    sources = []
    for number, raw in enumerate(lines, 1):
        line = _strip_comment(raw)
        if not line:
            continue
        location, *options = line.split()
        every = _every(options, str(path), number)
        sources.append(_source(location, every, str(path), number, base=path.parent))
    return sources


def _strip_comment(line: str) -> str:
    """The line without a comment: '#' at its start or after a space (a URL may hold '#')."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return ""
    cut = stripped.find(" #")
    return (stripped[:cut] if cut >= 0 else stripped).strip()


def _every(options: list[str], path: str, line: int) -> float | None:
    every = None
    for option in options:
        name, _, value = option.partition("=")
        if name != "every":
            detail = f"unknown option {option!r} (the only option is every=SECONDS)"
            raise ConfigError(Msg.E701, path=path, line=line, detail=detail)
        try:
            every = float(value)
        except ValueError:
            every = -1.0
        if not every > 0:
            detail = f"every={value!r} is not a positive number of seconds"
            raise ConfigError(Msg.E701, path=path, line=line, detail=detail)
    return every


def _source(
    location: str, every: float | None, path: str, line: int, base: Path | None = None
) -> Source:
    where = path or "command line"
    if "://" in location:
        if not location.startswith(URL_SCHEMES) or len(location) <= len("https://"):
            detail = f"{location!r} is not an http:// or https:// URL"
            raise ConfigError(Msg.E701, path=where, line=line, detail=detail)
        return Source(location, "url", every)
    local = Path(location)
    if base is not None and not local.is_absolute():
        local = base / local  # a list names its files relative to itself
    if local.is_dir():
        return Source(str(local), "folder", every)
    if local.is_file():
        return Source(str(local), "file", every)
    detail = f"{location!r} is neither a URL nor an existing file or folder"
    raise ConfigError(Msg.E701, path=where, line=line, detail=detail)
