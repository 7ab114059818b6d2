"""PETRARCH2 unit-test records: stylised sentences (mostly fictional states) coded with CAMEO
(source, target, event) triples, plus the validation actor and agent dictionaries.

The dictionaries are converted at load time into the user actor-file format (YAML: a list of
entries with name, aliases, country, sector) and handed to the pipeline the same way a user
would pass their own actor file. Scored: triple P/R/F1 strict (full actor codes, full CAMEO
code) and relaxed (3-letter actor codes, 2-digit CAMEO root), and the number of crashes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from eventline.evaluation import metrics
from eventline.model import Actor, Result

FOLDER = "petrarch2_unittest"
RECORDS_FILE = "PETR.UnitTest.records.xml"
ACTORS_FILE = "PETR.Validate.actors.txt"
AGENTS_FILE = "PETR.Validate.agents.txt"
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


def actor_entries(data_dir: Path) -> list[dict]:
    """The validation actors and agents as user actor-file entries.

    Actors: "NAME [CODE]" lines, "+ALIAS" lines after them, codes possibly on following
    indented lines (for date-restricted codes the first one listed is kept). Agents:
    "NAME {PLURALS} [~SECTOR]" lines; they carry a sector and no country.
    """
    entries = _parse_actors((data_dir / FOLDER / ACTORS_FILE).read_text(encoding="utf-8"))
    entries += _parse_agents((data_dir / FOLDER / AGENTS_FILE).read_text(encoding="utf-8"))
    return entries


def write_actor_file(data_dir: Path, path: Path) -> Path:
    """Write the converted dictionaries as a YAML actor file and return its path.

    Most validation states are fictional (ARN, GON): an entry keeps `country` only for a
    real ISO alpha-3 code (the actor-file rule) and always carries its full CAMEO `code`.
    """
    entries = []
    for entry in actor_entries(data_dir):
        row = {key: value for key, value in entry.items() if value}
        if row.get("country") and not _is_iso_country(row["country"]):
            del row["country"]
        entries.append(row)
    path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _is_iso_country(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def _clean_lines(text: str) -> Iterable[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            yield line


def _name(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split()).strip()


def _parse_actors(text: str) -> list[dict]:
    entries: list[dict] = []
    current: dict | None = None
    for line in _clean_lines(text):
        stripped = line.strip()
        if stripped.startswith("+") and current is not None:
            current["aliases"].append(_name(stripped[1:]))
            continue
        if line[0].isspace() and current is not None:
            _set_code(current, stripped)
            continue
        head = _CODE.split(stripped)[0]
        current = {"name": _name(head), "aliases": [], "country": None, "sector": None}
        entries.append(current)
        _set_code(current, stripped)
    return [e for e in entries if e["name"] and e["country"]]


def _set_code(entry: dict, line: str) -> None:
    if entry["country"]:
        return
    for raw in _CODE.findall(line):
        # "[HOBGOV 19950601 - 19990815]", "[ELR/GAL]": the first code of the block
        code = (raw.split() or [""])[0].split("/")[0].strip()
        if not code[:3].isalpha():
            continue
        entry["country"] = code[:3].upper()
        sector = code[3:6].upper()
        entry["sector"] = sector if len(sector) == 3 and sector.isalpha() else None
        entry["code"] = code.upper()
        return


def _parse_agents(text: str) -> list[dict]:
    entries: list[dict] = []
    for line in _clean_lines(text):
        stripped = line.strip()
        if stripped.startswith("!") or "[" not in stripped:
            continue
        head = _CODE.split(stripped)[0]
        plurals = re.findall(r"\{([^}]*)\}", head)
        name = _name(re.sub(r"\{[^}]*\}", "", head))
        codes = [c.strip().lstrip("~") for c in _CODE.findall(stripped)]
        sector = codes[0][:3].upper() if codes and codes[0][:3].isalpha() else None
        if not name or "!" in name or not sector:
            continue
        aliases = [_name(p) for p in " ".join(plurals).split() if p.strip()]
        entries.append({"name": name, "aliases": aliases, "country": None, "sector": sector, "kind": "agent"})
    return entries


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
