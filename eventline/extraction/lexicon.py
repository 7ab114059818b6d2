"""The trigger lexicon and weapon cues, loaded from data files (eventline/data/*.csv, *.yaml).

A trigger is a word that can name an event ("strike", "shelled", "arrested"). Its row gives
the PLOVER event and mode, the CAMEO code and the ACLED event / sub-event type. Weapon and
method cues ("missile", "drone", "warplanes") refine an ASSAULT's mode and types.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from eventline.data_files import read_csv

REMOTE_MODES = {"aerial", "drone", "heavy-weapons", "explosives", "suicide-attack", "unconventional"}


@dataclass(frozen=True)
class EventType:
    """What a trigger (refined by its cues) says about an event."""

    event_type: str
    mode: str | None
    cameo: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    context: tuple[str, ...] = ()
    # how specific the mode is: a cue's priority, 0 for the trigger's default
    specificity: int = 0
    # the CAMEO code the type follows when `cameo` is a user's own code outside CAMEO's roots
    # (a verb dictionary's refinement of a verb's code, eventline.extraction.verb_patterns)
    family: str | None = None

    @property
    def quad_class(self) -> int:
        return quad_class(self.family or self.cameo)

    @property
    def material(self) -> bool:
        return self.quad_class in (2, 4)


@dataclass(frozen=True)
class Cue:
    mode: str
    cameo: str
    acled_event_type: str
    acled_sub_event_type: str
    priority: int


def quad_class(cameo: str) -> int:
    """CAMEO QuadClass from the code's two-digit root: 01-05 verbal cooperation, 06-08 material
    cooperation, 09-13 verbal conflict, 14-20 material conflict."""
    root = int(cameo[:2])
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4



class Lexicon:
    """Trigger rows by lemma and part of speech, multiword triggers, and weapon cues."""

    def __init__(self) -> None:
        self.single: dict[tuple[str, str], EventType] = {}
        self.multi: dict[tuple[str, ...], EventType] = {}
        for row in read_csv("triggers.csv"):
            entry = EventType(
                event_type=row["event_type"].strip(),
                mode=row["mode"].strip() or None,
                cameo=row["cameo"].strip(),
                acled_event_type=row["acled_event_type"].strip() or None,
                acled_sub_event_type=row["acled_sub_event_type"].strip() or None,
                context=tuple(c for c in row["context"].strip().split(";") if c),
            )
            words = tuple(row["lemma"].strip().lower().split())
            pos = row["pos"].strip().upper()
            if len(words) > 1:
                self.multi.setdefault(words, entry)
            else:
                for p in ("VERB", "NOUN") if pos == "ANY" else (pos,):
                    self.single.setdefault((words[0], p), entry)
        self.cues: dict[str, Cue] = {}
        for row in read_csv("modes.csv"):
            cue = Cue(
                mode=row["mode"],
                cameo=row["cameo"],
                acled_event_type=row["acled_event_type"],
                acled_sub_event_type=row["acled_sub_event_type"],
                priority=int(row["priority"]),
            )
            self.cues.setdefault(row["cue"].lower(), cue)
        self.max_multi = max((len(k) for k in self.multi), default=1)
        # first words of the multiword triggers: no other word needs a multiword lookup
        self.multi_starts = frozenset(words[0] for words in self.multi)

    def lookup(self, lemma: str, pos: str) -> EventType | None:
        pos = "VERB" if pos in ("VERB", "AUX") else "NOUN" if pos in ("NOUN", "PROPN") else pos
        return self.single.get((lemma.lower(), pos))

    def cue(self, word: str) -> Cue | None:
        word = word.lower()
        return self.cues.get(word) or self.cues.get(word.rstrip("s"))

    def refine(self, base: EventType, cue_words: list[str]) -> EventType:
        """Apply the strongest weapon cue to an ASSAULT (other events keep their own mode)."""
        if base.event_type != "ASSAULT" or base.acled_event_type == "Strategic developments":
            # interceptions and destruction of property keep their own types whatever the weapon
            return base
        best: Cue | None = None
        for word in cue_words:
            cue = self.cue(word)
            if cue and (best is None or cue.priority > best.priority):
                best = cue
        if best is None or best.priority <= base.specificity:
            return base
        # killing, abduction, sexual violence and destruction keep their own ACLED types when
        # the cue only names a gun or a blade; remote weapons always make it remote violence.
        if best.mode not in REMOTE_MODES and base.mode in {"abduct", "sexual", "torture", "destroy"}:
            return base
        return replace(
            base,
            mode=best.mode,
            cameo=best.cameo,
            acled_event_type=best.acled_event_type,
            acled_sub_event_type=best.acled_sub_event_type,
            specificity=best.priority,
        )


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    return Lexicon()
