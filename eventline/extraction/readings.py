"""The event model's readings of one batch's sentences, each sentence read once.

Reads sentence texts; gives the prefilter its keep answers (`prefilter.model_keeps`) and the
sentences no event of which would be kept (`drops_every_event`), and the extraction one
`Reading` per parsed sentence (`read_parsed`). With the encoder on
(eventline.extraction.event_model.encoder_enabled), the parsed sentences, those that can hold
an event, are read again by the encoder-backed model, whose readings and per-type thresholds
then decide their events; the cheap model still reads every sentence for the prefilter.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventline import prefilter
from eventline.extraction.acled import drops_every_event, no_event_probabilities
from eventline.extraction.decision import thresholds_of
from eventline.extraction.event_model import EventModel, Reading


class SentenceReadings:
    """The event model's reading of the sentences of one batch, each read once: the prefilter
    asks about the sentences without a trigger word before the parse, the extraction about
    every parsed sentence after it. Keyed by the sentence with its spaces collapsed (what the
    model reads), so a sentence the parser splits as the prefilter did is not read again."""

    def __init__(self, model: EventModel) -> None:
        self.model = model
        self.thresholds = thresholds_of(model)  # the prefilter's bars for every sentence
        self.reader = model.candidate_reader()
        # the bars the events of parsed sentences are held to: those of the model reading them
        self.decision_thresholds = thresholds_of(self.reader)
        self.known: dict[str, Reading] = {}
        self.parsed: dict[str, Reading] = {}  # the encoder-backed model's readings

    def read(self, sentences: Sequence[str]) -> list[Reading]:
        """One Reading per sentence; the model reads, in one call, those not read before."""
        return _read_once(self.model, self.known, sentences)

    def read_parsed(self, sentences: Sequence[str]) -> list[Reading]:
        """One Reading per parsed sentence, by the model that decides their events (the
        encoder-backed one reads each sentence once, in one call for those not read before)."""
        if self.reader is self.model:
            return self.read(sentences)
        return _read_once(self.reader, self.parsed, sentences)

    def forget(self, sentences: Sequence[str]) -> None:
        """Drop the readings of sentences read for good (a long document's finished chunk)."""
        for sentence in sentences:
            key = " ".join(sentence.split())
            self.known.pop(key, None)
            self.parsed.pop(key, None)

    def keeps(self, sentences: Sequence[str]) -> list[bool]:
        """The prefilter's question: which of these sentences the model may code. Only their
        readings are kept (they are parsed and read again); the others are forgotten."""
        answers = [
            prefilter.model_keeps(reading, self.thresholds) for reading in self.read(sentences)
        ]
        self.forget(
            [sentence for sentence, kept in zip(sentences, answers, strict=True) if not kept]
        )
        return answers

    def drops(self, sentences: Sequence[str]) -> list[bool]:
        """Which of these sentences would give no event that the extraction keeps (the
        QuadClass head reads no event and every type is weak: acled.drops_every_event), so
        need no parse. Their readings are forgotten; the QuadClass head reads only the
        sentences whose types are all weak."""
        by_type = self.thresholds.by_type
        readings = self.read(sentences)
        weak = [
            i for i, reading in enumerate(readings)
            if drops_every_event(reading.types, 1.0, by_type)
        ]  # fmt: skip
        answers = [False] * len(sentences)
        no_event = no_event_probabilities(self.model, [sentences[i] for i in weak])
        for i, probability in zip(weak, no_event, strict=True):
            answers[i] = drops_every_event(readings[i].types, probability, by_type)
        self.forget([sentence for sentence, dropped in zip(sentences, answers, strict=True) if dropped])
        return answers


def _read_once(model: EventModel, known: dict[str, Reading], sentences: Sequence[str]) -> list[Reading]:
    """`model`'s Reading of each sentence, kept in `known` under its whitespace-normalised
    text; the sentences not read before are read in one call."""
    keys = [" ".join(sentence.split()) for sentence in sentences]
    unread = list(dict.fromkeys(key for key in keys if key not in known))
    if unread:
        known.update(zip(unread, model.read(unread), strict=True))
    return [known[key] for key in keys]
