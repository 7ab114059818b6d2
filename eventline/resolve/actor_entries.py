"""Dictionary entries and the files they come from: the shipped CSV/YAML lists, the compact
Phoenix table (built by scripts/build_phoenix_actors.py) and user files in eventline's CSV/YAML
format or in PETRARCH/TABARI format (.actors, .agents).

Every entry remembers where it came from ("groups.yaml:12", "Phoenix.Countries.actors.txt:
16082"), so an actor's code can be traced to the line that gave it.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventline.errors import ConfigError, Msg
from eventline.resolve.actor_codes import code_on, meaning
from eventline.resolve.actor_petrarch import DatedCode, read_actors, read_agents

# Priorities: a named group beats a country word, which beats a generic agent noun.
GROUP, COUNTRY, CAPITAL, AGENT = 4, 3, 2, 1
PETRARCH_ACTORS, PETRARCH_AGENTS = "actors", "agents"
SMALL_WORDS = frozenset({"the", "of", "and", "for", "in", "on", "al", "el", "de", "la", "du"})


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: what a matched alias means."""

    kind: int
    name: str | None
    country: str | None = None
    sector: str | None = None
    affiliation: str | None = None
    code: str | None = None
    term: str = ""
    codes: tuple[DatedCode, ...] = ()  # dated CAMEO codes: the one held on the day decides
    origin: str | None = None  # the dictionary entry: "file:line"
    members: tuple[str, ...] = ()  # a compound actor's other codes ("[FRO/BIL/SAM]")


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def read_csv(path: Path, need_name: bool = True) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or need_name and "name" not in reader.fieldnames:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise ConfigError(Msg.E401, path=str(path), detail=f"no 'name' column (columns: {found})")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def read_yaml(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("actors", data.get("groups"))
    if not isinstance(data, list):
        raise ConfigError(
            Msg.E401,
            path=str(path),
            detail="expected a list of actors (or a mapping with 'actors:')",
        )
    return data


def petrarch_kind(path: Path) -> str | None:
    """ "PETR.Validate.actors.txt", "mine.actors", "Phoenix.agents.txt": PETRARCH format."""
    parts = [p.lower() for p in path.name.split(".")]
    for kind in (PETRARCH_ACTORS, PETRARCH_AGENTS):
        if kind in parts[1:]:
            return kind
    return None


def display_name(name: str) -> str:
    """Dictionary names are in capitals: "FRANCOIS MITTERRAND" -> "Francois Mitterrand";
    short all-capital names stay acronyms ("UN", "NATO")."""
    if len(name) <= 5 and " " not in name:
        return name
    words: list[str] = []
    for word in name.split():
        if word.lower() in SMALL_WORDS:
            words.append(word.lower() if words else word.title())
        elif len(word) <= 3 and word.isupper() and "." not in word:
            words.append(word)  # an acronym: "UN", "EU"
        else:
            words.append(word.title())
    return " ".join(words)


def code_entry(
    names: list[str],
    codes: list[DatedCode],
    origin: str,
    countries: dict[str, str],
    sectors: dict[str, str],
) -> Entry:
    """A named actor with CAMEO codes (dated or not), as a dictionary entry."""
    default = code_on(codes, None)
    said = meaning(default.code, countries, sectors) if default else None
    dated = tuple(codes) if any(c.dated for c in codes) or len(codes) > 1 else ()
    return Entry(
        GROUP,
        display_name(names[0]),
        country=said.country if said else None,
        sector=said.sector if said else None,
        code=said.code if said else None,
        codes=dated,
        origin=origin,
        members=default.members if default else (),
    )


def phoenix_entries(
    path: Path, countries: dict[str, str], sectors: dict[str, str]
) -> Iterator[tuple[list[str], Entry]]:
    """(aliases, entry) of the shipped Phoenix table."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in handle:
            if row.startswith("#"):
                continue
            source, line, names, raw_codes = row.rstrip("\n").split("\t")
            codes = [_decode(c) for c in raw_codes.split(";")]
            aliases = names.split("|")
            yield aliases, code_entry(aliases, codes, f"{source}:{line}", countries, sectors)


def _decode(raw: str) -> DatedCode:
    from datetime import date

    code, _, period = raw.partition(":")
    if not period:
        return DatedCode(code)
    first, _, last = period.partition(":")

    def day(text: str) -> date | None:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])) if text else None

    return DatedCode(code, day(first), day(last))


def petrarch_file_entries(
    path: Path, countries: dict[str, str], sectors: dict[str, str]
) -> tuple[list[tuple[list[str], Entry]], list[str]]:
    """(aliases, entry) of a user's PETRARCH .actors or .agents file, and its problems: one
    message per malformed line, naming file and line; the other lines load."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ConfigError(Msg.E401, path=str(path), detail=str(error)) from error
    out: list[tuple[list[str], Entry]] = []
    if petrarch_kind(path) == PETRARCH_AGENTS:
        agents, errors = read_agents(text)
        for agent in agents:
            said = meaning("XXX" + agent.code, countries, sectors)
            entry = Entry(AGENT, None, sector=said.sector, origin=f"{path.name}:{agent.line}")
            out.extend(([name], entry) for name in agent.names)
    else:
        actors, errors = read_actors(text)
        for record in actors:
            origin = f"{path.name}:{record.line}"
            out.append((record.names, code_entry(record.names, record.codes, origin, countries, sectors)))
    problems = [Msg.E408.format(path=path.name, line=e.line, detail=e.detail) for e in errors]
    return out, problems
