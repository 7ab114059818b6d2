"""Indexes built from the shipped data files, kept on disk between processes.

Building the actor dictionaries' index (eventline/data/actors/: the Phoenix table, the
country, agent and group lists) costs about a second of CPU and the gazetteer's (the GeoNames
table and the hand-written lists of eventline/data/places/) most of another, in every fresh
process: each `eventline extract`, each spawned worker. Reading the same structure back from
a pickle written by an earlier process costs a fraction of that. The pickle is made here, from
the shipped files, on first use; nothing is fetched. It lives in eventline/data/built/ (not in
the repository) under a name holding the SHA-256 of everything it is built from: its source
files, the code of the modules that build it, the Python version and the class built. A
changed file (a user's edit of a shipped data file included) or builder gets a new name, so
a stale index is never read; older files of the same class are removed when a new one is
written. Only the shipped folders are built so (a user's own places folder is read as it is).
Where the folder cannot be written (a read-only install) the index is built in each process,
as before.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import logging
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from eventline.data_files import data_path

log = logging.getLogger(__name__)

BUILT_DIR = data_path("built")
# raised when the layout of the cached file changes in a way the fingerprint cannot see
FORMAT = 1

T = TypeVar("T")


def fingerprint(kind: type, sources: Sequence[Path], builders: Sequence[str]) -> str:
    """SHA-256 over what the built index of `kind` is made from: the source files (a folder:
    the files in it), the code of the `builders` modules, the Python version and the class."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT} {kind.__module__}.{kind.__qualname__} {sys.version_info[:2]}".encode())
    files = [p for source in sources for p in (sorted(source.iterdir()) if source.is_dir() else [source])]
    modules = [Path(str(_origin(name))) for name in builders]
    for path in [*files, *modules]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _origin(module: str) -> str | None:
    spec = importlib.util.find_spec(module)
    return spec.origin if spec else None


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


def cached_build(
    kind: type[T],
    build: Callable[[], T],
    sources: Sequence[Path],
    builders: Sequence[str],
    folder: Path = BUILT_DIR,
) -> T:
    """`build()`'s result, read from `folder` when an earlier process wrote it for the same
    sources and builder modules (imported module names), else built and written there for
    the next process."""
    path = folder / f"{kind.__name__}-{fingerprint(kind, sources, builders)}.pickle"
    try:
        with collector_paused():
            loaded = pickle.loads(path.read_bytes())  # noqa: S301 - written by eventline itself, named by its sources' hash
        if isinstance(loaded, kind):
            return loaded
        log.warning("ignoring %s: not a built %s", path, kind.__name__)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not built yet
    except Exception as exc:  # a damaged file is rebuilt, never trusted
        log.warning("ignoring the built index %s (%s: %s)", path, type(exc).__name__, exc)
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
        log.debug("built index not saved to %s: %s", path.parent, exc)
        if temporary.is_file():
            temporary.unlink()
