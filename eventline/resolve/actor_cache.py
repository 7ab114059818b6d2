"""The shipped actor dictionaries' built index, kept on disk between processes.

Building the index from its source files (eventline/data/actors/: the Phoenix table, the
country, agent and group lists) costs about a second of CPU, in every fresh process: each
`eventline extract`, each spawned worker. Reading the same index back from a pickle written
by an earlier process costs about a fifth of that. The pickle is made here, from the shipped
files, on first use; nothing is fetched. It lives in eventline/data/built/ (not in the
repository) under a name holding the SHA-256 of everything the index is built from: every
file of the dictionaries' folder, the source of the modules that build it, the Python version
and the class built. A changed dictionary or builder gets a new name, so a stale index is
never read; older files of the same class are removed when a new one is written. Where the
folder cannot be written (a read-only install) the index is built in each process as before.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

RESOLVE_DIR = Path(__file__).resolve().parent
# the modules whose code decides what the built index holds
BUILDER_MODULES = ("actor_index.py", "actor_entries.py", "actor_words.py", "actors.py")
# raised when the layout of the cached file changes in a way the fingerprint cannot see
FORMAT = 1

T = TypeVar("T")


def fingerprint(kind: type, sources: Path) -> str:
    """SHA-256 over what the built index of `kind` is made from: the files of `sources`,
    the builder modules' code, the Python version and the class."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT} {kind.__module__}.{kind.__qualname__} {sys.version_info[:2]}".encode())
    files = sorted(p for p in sources.iterdir() if p.is_file())
    for path in [*files, *(RESOLVE_DIR / name for name in BUILDER_MODULES)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a large structure of new objects is read: each of its
    allocations would otherwise count towards a collection that walks them all, and none
    of them is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cached_build(kind: type[T], build: Callable[[], T], sources: Path, folder: Path) -> T:
    """`build()`'s result, read from `folder` when an earlier process wrote it for the same
    sources, else built and written there for the next process."""
    path = folder / f"{kind.__name__}-{fingerprint(kind, sources)}.pickle"
    try:
        with collector_paused():
            loaded = pickle.loads(path.read_bytes())  # noqa: S301 - written by eventline itself, named by its sources' hash
        if isinstance(loaded, kind):
            return loaded
        log.warning("ignoring %s: not a built %s", path, kind.__name__)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not built yet
    except Exception as exc:  # a damaged file is rebuilt, never trusted
        log.warning("ignoring the built actor index %s (%s: %s)", path, type(exc).__name__, exc)
    built = build()
    _write(path, built, kind)
    return built


def _write(path: Path, built: object, kind: type) -> None:
    """Write atomically (another process may be reading); a folder that cannot be written
    leaves the index unsaved."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        for old in path.parent.glob(f"{kind.__name__}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("built actor index not saved to %s: %s", path.parent, exc)
        if temporary.is_file():
            temporary.unlink()
