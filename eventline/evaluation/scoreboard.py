"""The scoreboard of one `eventline eval` run: figures per set, what could not be scored and
why, and how long each set took. The runner fills it; the report formats and checks it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Scoreboard:
    """Figures per set plus what could not be scored and why."""

    created: str
    commit: str
    data_dir: str
    limit: int | None
    sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        """Every numeric figure as "set.name" -> value (what the floors pin)."""
        out: dict[str, float] = {}
        for set_name, values in self.sets.items():
            for key, value in values.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "n":
                    out[f"{set_name}.{key}"] = float(value)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "commit": self.commit,
            "data_dir": self.data_dir,
            "limit": self.limit,
            "sets": self.sets,
            "unavailable": self.unavailable,
            "seconds": self.seconds,
        }
