"""How much of one document the pipeline reads (`Budget`), and the count against it while
it reads (`DocumentProgress`): a runaway input is cut at a sentence boundary with a warning,
never left to hold a batch. Reads the environment once per pipeline; writes W106 problems."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from eventline.errors import Msg
from eventline.model import Document, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    """How much of one document is read: a document past either limit is cut at a sentence
    boundary, with a warning (W106) naming it and how much was kept. The defaults are far
    above any article (the longest news reports run to a few hundred sentences): they only
    stop a runaway input from holding a batch. `EVENTLINE_MAX_SENTENCES` and
    `EVENTLINE_MAX_SECONDS` set them; 0 means no limit."""

    sentences: int = 200_000
    seconds: float = 900.0

    @classmethod
    def from_environment(cls) -> Budget:
        default = cls()
        sentences = int(os.environ.get("EVENTLINE_MAX_SENTENCES", default.sentences))
        seconds = float(os.environ.get("EVENTLINE_MAX_SECONDS", default.seconds))
        return cls(sentences or 10**12, seconds or float("inf"))

    def describe(self) -> str:
        return f"{self.sentences} sentences or {self.seconds:g} s"


class DocumentProgress:
    """The sentences of one document read so far, against its budget."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.started = time.monotonic()
        self.sentences = 0
        self.cut_at: int | None = None

    def next_sentence(self, start: int) -> bool:
        """Whether the sentence starting at `start` is read; False from the first past the budget."""
        over_time = time.monotonic() - self.started > self.budget.seconds
        if self.sentences >= self.budget.sentences or over_time:
            self.cut_at = start
            return False
        self.sentences += 1
        return True

    def warning(self, document: Document) -> Problem:
        kept, _ = document.given_span(self.cut_at or 0, self.cut_at or 0)
        message = Msg.W106.format(
            limit=self.budget.describe(),
            kept=kept,
            total=len(document.input_text),
            sentences=self.sentences,
        )
        log.warning("%s: %s", document.origin or document.id, message)
        return Problem(document.origin or document.id, "W106", message, "warning", document.id)
