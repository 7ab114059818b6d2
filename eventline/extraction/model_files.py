"""The learned models shipped in eventline/data/models: one reader and writer for them.

A model file holds a plain dict of fitted objects, pickled by the project's own training
scripts. A missing file means the model has not been built (the caller goes on without it);
a file that cannot be read (truncated, or written by an incompatible scikit-learn) is an
error naming the script that rebuilds it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from eventline.errors import EventlineError, Msg

MODELS_DIR = Path(__file__).resolve().parents[1] / "data" / "models"


def load_payload(path: Path, script: str) -> dict[str, Any] | None:
    """The dict a training script saved at `path`, or None when the file does not exist."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            payload = pickle.load(handle)  # noqa: S301 - our own package data
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError) as error:
        raise EventlineError(Msg.E204, path=path.name, detail=str(error) or type(error).__name__, script=script) from error
    if not isinstance(payload, dict):
        raise EventlineError(Msg.E204, path=path.name, detail="not a dict of fitted parts", script=script)
    return payload


def save_payload(payload: dict[str, Any], path: Path) -> None:
    with path.open("wb") as handle:
        pickle.dump(payload, handle, protocol=4)
