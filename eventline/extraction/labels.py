"""Label vocabularies the event model and the evaluation share: ACLED sub-event types with
their CASE 2021 codes, PLOVER type -> CAMEO QuadClass, and older PLOVER names.

The tables live in eventline/data/models/ (acled_labels.csv, plover_quad_class.csv,
plover_versions.csv).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
ACLED_LABELS_PATH = MODELS_DIR / "acled_labels.csv"
PLOVER_QUAD_PATH = MODELS_DIR / "plover_quad_class.csv"
PLOVER_VERSIONS_PATH = MODELS_DIR / "plover_versions.csv"


class AcledLabels:
    """ACLED sub-event types with their short codes (as used by CASE 2021) and event types."""

    def __init__(self, rows: Sequence[dict[str, str]]) -> None:
        self._name_by_code = {r["code"]: r["sub_event_type"] for r in rows}
        self._group_by_code = {r["code"]: r["event_type"] for r in rows}
        self._code_by_key = {}
        for r in rows:
            self._code_by_key[_key(r["code"])] = r["code"]
            self._code_by_key[_key(r["sub_event_type"])] = r["code"]

    @classmethod
    def load(cls, path: Path = ACLED_LABELS_PATH) -> AcledLabels:
        return _acled_labels(str(path))

    @property
    def codes(self) -> list[str]:
        return list(self._name_by_code)

    def code_for(self, name_or_code: str | None) -> str | None:
        """The short code for a sub-event type name or code, in any case; None if unknown."""
        return self._code_by_key.get(_key(name_or_code or ""))

    def name_of(self, code: str) -> str:
        return self._name_by_code.get(code, code)

    def group_of(self, code: str) -> str:
        """The ACLED event type of a code; codes outside the table are their own group."""
        return self._group_by_code.get(code, code)

    def event_type_of_name(self, sub_event_type: str) -> str | None:
        code = self.code_for(sub_event_type)
        return self._group_by_code.get(code) if code else None


@lru_cache(maxsize=4)
def _acled_labels(path: str) -> AcledLabels:
    with open(path, encoding="utf-8", newline="") as handle:
        return AcledLabels(list(csv.DictReader(handle)))


@lru_cache(maxsize=4)
def plover_quad_classes(path: str = str(PLOVER_QUAD_PATH)) -> dict[str, int]:
    """PLOVER event type -> CAMEO QuadClass (1 verbal coop ... 4 material conflict)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["plover_event"]: int(row["quad_class"]) for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _plover_versions() -> dict[str, str]:
    with PLOVER_VERSIONS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["older_event"]: row["current_event"] for row in csv.DictReader(handle)}


def current_plover_event(event: str) -> str:
    """An event type in the current PLOVER vocabulary (older names such as DISAPPROVE or
    FIGHT, still used by some gold data, are mapped to their successors)."""
    name = event.strip().upper()
    return _plover_versions().get(name, name)


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
