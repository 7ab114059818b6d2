"""PETRARCH2 unit-test records: stylised sentences (mostly fictional states) coded with CAMEO
(source, target, event) triples, plus the validation actor and agent dictionaries.

The validation actor, agent and verb dictionaries are handed to the pipeline in their own
PETRARCH format, the way a user migrating from PETRARCH passes theirs (--actors, --verbs). Scored: triple P/R/F1 strict (full actor codes, full CAMEO
code) and relaxed (3-letter actor codes, 2-digit CAMEO root), and the number of crashes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eventline.evaluation import metrics
from eventline.model import Actor, Result

FOLDER = "petrarch2_unittest"
RECORDS_FILE = "PETR.UnitTest.records.xml"
ACTORS_FILE = "PETR.Validate.actors.txt"
AGENTS_FILE = "PETR.Validate.agents.txt"
VERBS_FILE = "PETR.Validate.verbs.txt"
NO_ACTOR = "---"
_CODE = re.compile(r"\[([^\]]*)\]")


@dataclass
class PetrarchRecord:
    id: str
    text: str
    published: date | None
    triples: set[tuple[str, str, str]] = field(default_factory=set)  # (source, target, cameo)


def load(data_dir: Path, limit: int | None = None) -> list[PetrarchRecord]:
    root = ET.parse(data_dir / FOLDER / RECORDS_FILE).getroot()
    records: list[PetrarchRecord] = []
    for sentence in root.iter("Sentence"):
        text_node = sentence.find("Text")
        text = " ".join((text_node.text or "").split()) if text_node is not None else ""
        if not text:
            continue
        triples = set()
        for coding in sentence.findall("EventCoding"):
            if coding.get("eventcode"):
                triples.add(
                    (
                        (coding.get("sourcecode") or NO_ACTOR).upper(),
                        (coding.get("targetcode") or NO_ACTOR).upper(),
                        coding.get("eventcode", "").strip(),
                    )
                )
        records.append(
            PetrarchRecord(
                id=sentence.get("id", f"petr-{len(records)}"),
                text=text,
                published=_date(sentence.get("date")),
                triples=triples,
            )
        )
    return metrics.spread(records, limit)


def _date(value: str | None) -> date | None:
    if not value or not value.isdigit() or len(value) != 8:
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def dictionaries(data_dir: Path) -> list[Path]:
    """The validation actor, agent and verb dictionaries, read as a user's PETRARCH files."""
    folder = data_dir / FOLDER
    return [folder / ACTORS_FILE, folder / AGENTS_FILE, folder / VERBS_FILE]


def actor_code(actor: Actor | None) -> str:
    if actor is None:
        return NO_ACTOR
    if actor.code:
        return actor.code.upper()
    return ((actor.country or "") + (actor.sector or "")).upper() or NO_ACTOR


def predicted_triples(result: Result) -> set[tuple[str, str, str]]:
    return {
        (actor_code(e.actor1), actor_code(e.actor2), e.cameo or "")
        for e in result.events
        if e.cameo
    }


def relax(triples: Iterable[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {(s[:3], t[:3], code[:2]) for s, t, code in triples}


def score(
    records: Sequence[PetrarchRecord], results: Sequence[Result | None], crashes: int
) -> dict:
    """Triple figures; a None result is a record the pipeline crashed on (scored as empty)."""
    strict, relaxed = metrics.PRF(), metrics.PRF()
    for record, result in zip(records, results, strict=True):
        predicted = predicted_triples(result) if result is not None else set()
        strict.add(metrics.set_prf(record.triples, predicted))
        relaxed.add(metrics.set_prf(relax(record.triples), relax(predicted)))
    return {
        "n": len(records),
        **strict.as_dict("strict_"),
        **relaxed.as_dict("relaxed_"),
        "crashes": crashes,
    }
