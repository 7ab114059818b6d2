"""The actor dictionaries as an index: loading the shipped and user files, and finding the
entries a phrase's words name.

Knowledge lives in eventline/data/actors/: countries.csv (ISO names, generated from
pycountry), demonyms.csv (short names, demonyms, capitals used as metonyms), agents.csv
(generic agent nouns derived from the PLOVER agents list) with agents_extra.csv (hand-written
additions and overrides), phoenix_actors.tsv.gz (office holders, institutions and groups of
the Phoenix dictionaries), groups.yaml (named groups, institutions, people, equipment) and
sectors.csv (the sector codes and their labels). Users add their own CSV, YAML or PETRARCH
files with `ActorIndex.load(extra_files)`; their entries outrank the shipped ones. An entry
with `kind: agent` is a generic agent noun (a sector, no country) like the rows of agents.csv.
Matching is longest match first, and a named group outranks a country word, which outranks an
agent noun. Short acronyms written in capitals in the data ("US", "KH", "IS") match only in
capitals, so the pronoun "us" or the verb "is" never become actors. How a phrase's matches
make one actor is eventline.resolve.actors'.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

import yaml

from eventline.built_cache import cached_build
from eventline.errors import ConfigError, Msg
from eventline.resolve.actor_entries import (
    AGENT,
    CAPITAL,
    COUNTRY,
    GROUP,
    Entry,
    petrarch_file_entries,
    petrarch_kind,
    phoenix_entries,
    read_csv,
    read_yaml,
    split_list,
)
from eventline.resolve.actor_words import (
    Match,
    Word,
    _demonym_plurals,
    _plurals,
    _without_article,
    tokenize,
)

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"
PHOENIX_FILE = "phoenix_actors.tsv.gz"
# the modules whose code decides what the built index of the shipped dictionaries holds
BUILDERS = (
    "eventline.resolve.actor_index", "eventline.resolve.actor_entries", "eventline.resolve.actor_words",
    "eventline.resolve.actors", "eventline.data_files",
)  # fmt: skip
ACRONYM = re.compile(r"^[A-Z]{1,5}$")


class ActorIndex:
    """All actor knowledge, indexed by normalised alias for fast longest-match lookup."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, ...], Entry] = {}
        # agent keys made by inflecting another term: a term listed as itself replaces them
        self._inflected: set[tuple[str, ...]] = set()
        self._exact: dict[tuple[str, ...], Entry] = {}  # acronyms: matched with case kept
        self._proper: dict[tuple[str, ...], Entry] = {}  # one-word names: capitalised only
        self._max_words = 1
        self._surnames: dict[str, list[Entry]] = {}  # office holders by their last name
        self.country_names: dict[str, str] = {}
        self.sector_labels: dict[str, str] = {}
        self.problems: list[str] = []  # dictionary lines skipped, with file and line
        # compound actors ("THE_SHIRE [FRO/BIL/SAM]") by their entry's origin: all their codes
        self.compounds: dict[str, tuple[str, ...]] = {}

    # ---- loading -----------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Sequence[Path] = ()) -> Self:
        """The shipped dictionaries plus user files (CSV, YAML or PETRARCH); later files win.
        The shipped part is read from its built copy when there is one (eventline.built_cache)."""
        self = cached_build(cls, cls.load_shipped, [DATA_DIR], BUILDERS)
        for path in extra_files:
            self.add_file(Path(path))
        return self

    @classmethod
    def load_shipped(cls) -> Self:
        """The index of the shipped dictionaries, built from their source files."""
        self = cls()
        self._load_sectors(DATA_DIR / "sectors.csv")
        self._load_countries(DATA_DIR / "countries.csv", DATA_DIR / "demonyms.csv")
        for name in ("agents.csv", "agents_extra.csv"):  # the hand-written file replaces rows
            for number, row in enumerate(read_csv(DATA_DIR / name, need_name=False), start=2):
                origin = f"{name}:{number}"
                sector = row.get("sector") or None
                self._add_agent(row["term"], sector, name == "agents_extra.csv", origin)
        for aliases, entry in phoenix_entries(
            DATA_DIR / PHOENIX_FILE, self.country_names, self.sector_labels
        ):
            self._add_coded(aliases, entry, override=False)
        for number, record in enumerate(read_yaml(DATA_DIR / "groups.yaml"), start=1):
            self._add_group(record, DATA_DIR / "groups.yaml", number)
        return self

    def add_file(self, path: Path) -> None:
        """Add a user file of named actors; a bad file raises ConfigError E401. In a PETRARCH
        file a malformed line is skipped and recorded in `problems`, and the rest loads."""
        if not path.is_file():
            raise ConfigError(Msg.E401, path=str(path), detail="no such file")
        if petrarch_kind(path) is not None:
            entries, problems = petrarch_file_entries(path, self.country_names, self.sector_labels)
            self.problems.extend(problems)
            for aliases, entry in entries:
                if entry.kind == AGENT:
                    for alias in aliases:
                        self._add_agent(alias, entry.sector, True, entry.origin)
                else:
                    self._add_coded(aliases, entry, override=True)
            return
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                records: list[dict[str, Any]] = read_csv(path)
            elif suffix in (".yaml", ".yml"):
                records = read_yaml(path)
            else:
                raise ConfigError(
                    Msg.E401,
                    path=str(path),
                    detail=f"unknown file type {suffix!r} (use .csv, .yaml, or a PETRARCH "
                    "dictionary named *.actors or *.agents)",
                )
        except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as error:
            raise ConfigError(
                Msg.E401, path=str(path), detail=str(error).splitlines()[0]
            ) from error
        for number, record in enumerate(records, start=1):
            self._add_group(record, path, number)

    def _add_coded(self, aliases: list[str], entry: Entry, override: bool) -> None:
        """A named actor with CAMEO codes (Phoenix or a user's PETRARCH file). A shipped one
        never displaces a word the other lists already know (a country, an agent noun)."""
        names = [_without_article(a) for a in aliases]
        if entry.members and entry.code and entry.origin:
            self.compounds[entry.origin] = (entry.code, *entry.members)
        surname = ""
        if entry.codes and " " in names[0]:
            # a person: "Carlos Saul Menem" is also "Carlos Menem"; a first name alone
            # ("Carlos") names nobody
            first, *_, last = names[0].split()
            surname = last.lower()
            names.append(f"{first} {last}")
            names = [n for n in names if " " in n or n.lower() == surname]
        for alias in dict.fromkeys(names):
            if not override and " " not in alias.strip():
                self._add_proper(alias, replace(entry, term=alias))
                continue
            self._add(alias, replace(entry, term=alias), override=override, keep_known=not override)
        if len(surname) >= 4:
            self._surnames.setdefault(tokenize(surname)[-1].norm, []).append(entry)

    def _add_proper(self, alias: str, entry: Entry) -> None:
        """A one-word shipped name ("Hezbollah", "Zero"): the dictionaries write every name in
        capitals, so it matches only a word written with a capital, and never replaces a word
        another list knows."""
        words = tokenize(alias)
        if len(words) != 1:
            return
        key = (words[0].norm,)
        if key in self._index or (words[0].raw,) in self._exact or key in self._proper:
            return
        self._proper[key] = entry

    def _load_sectors(self, path: Path) -> None:
        for row in read_csv(path, need_name=False):
            self.sector_labels[row["code"]] = row["label"]

    def _load_countries(self, iso_path: Path, demonym_path: Path) -> None:
        for number, row in enumerate(read_csv(iso_path, need_name=False), start=2):
            code = row["alpha3"]
            self.country_names[code] = row["name"]
            entry = Entry(COUNTRY, row["name"], country=code, origin=f"{iso_path.name}:{number}")
            for alias in [row["name"], *split_list(row.get("aliases"))]:
                self._add(alias, replace(entry, term=alias))
        for number, row in enumerate(read_csv(demonym_path, need_name=False), start=2):
            code = row["alpha3"]
            name = row.get("short_name") or self.country_names.get(code) or code
            self.country_names[code] = name
            entry = Entry(COUNTRY, name, country=code, origin=f"{demonym_path.name}:{number}")
            for alias in [name, *split_list(row.get("names"))]:
                self._add(alias, replace(entry, term=alias))
            for demonym in split_list(row.get("demonyms")):
                for form in [demonym, *_demonym_plurals(demonym)]:
                    self._add(form, replace(entry, term=form))
            capital = replace(entry, kind=CAPITAL, sector="GOV")
            for name_of_capital in split_list(row.get("capitals")):
                self._add(name_of_capital, replace(capital, term=name_of_capital))

    def _add_agent(
        self, term: str, sector: str | None, override: bool = False, origin: str | None = None
    ) -> None:
        entry = Entry(AGENT, None, sector=sector, term=term, origin=origin)
        key = tuple(w.norm for w in tokenize(term))
        # "armed forces" (MIL) is its own entry, not the plural of "armed force" (UAF)
        current = self._index.get(key)
        inflected = key in self._inflected and current is not None and current.kind == AGENT
        self._add(term, entry, override=override or inflected)
        self._inflected.discard(key)
        for form in _plurals(term):
            plural = tuple(w.norm for w in tokenize(form))
            if plural not in self._index:
                self._inflected.add(plural)
            self._add(form, entry, override=override)

    def _add_group(self, record: Any, path: Path, number: int | None = None) -> None:
        where = f"entry {number}: " if number else ""
        if not isinstance(record, dict):
            raise ConfigError(Msg.E401, path=str(path), detail=f"{where}expected a mapping of keys")
        name = str(record.get("name") or "").strip()
        if not name:
            raise ConfigError(Msg.E401, path=str(path), detail=f"{where}'name' is missing or empty")
        country = self.country_code(record.get("country"))
        affiliation = self.country_code(record.get("affiliation"))
        if record.get("country") and country is None:
            detail = f"{where}unknown country {record.get('country')!r} (use an ISO alpha-3 code or a country name)"
            raise ConfigError(Msg.E401, path=str(path), detail=detail)
        if record.get("affiliation") and affiliation is None:
            detail = f"{where}unknown affiliation {record.get('affiliation')!r} (use an ISO alpha-3 code or a country name)"
            raise ConfigError(Msg.E401, path=str(path), detail=detail)
        sector = str(record.get("sector") or "").strip().upper() or None
        if sector is not None and not re.fullmatch(r"[A-Z]{3}", sector):
            detail = (
                f"{where}sector {sector!r} is not a three-letter code such as MIL, GOV, REB, MLA"
            )
            raise ConfigError(Msg.E401, path=str(path), detail=detail)
        code = str(record.get("code") or "").strip().upper() or None
        if str(record.get("kind") or "").strip().lower() == "agent":
            # a generic agent noun ("cleric", "border police"): it gives a sector to the phrase
            # it heads ("Arnor clerics") instead of naming an actor of its own
            if sector is None:
                raise ConfigError(
                    Msg.E401, path=str(path), detail=f"{where}an agent needs a 'sector'"
                )
            for alias in dict.fromkeys([name, *split_list(record.get("aliases"))]):
                self._add_agent(alias, sector, True, f"{path.name}:{number}")
            return
        entry = Entry(GROUP, name, country, sector, affiliation, code, origin=f"{path.name}:{number}")
        # in the order listed (a set's order changes from process to process, and of two
        # aliases written alike the later one is kept)
        for alias in dict.fromkeys([name, *split_list(record.get("aliases"))]):
            self._add(alias, replace(entry, term=alias), override=True)

    def _add(
        self, alias: str, entry: Entry, override: bool = False, keep_known: bool = False
    ) -> None:
        """Index an alias; `keep_known` leaves a phrase another list already gave alone."""
        words = tokenize(alias)
        if not words:
            return
        if keep_known and (
            tuple(w.norm for w in words) in self._index
            or len(words) == 1
            and (words[0].raw,) in self._exact
        ):
            return
        compact = alias.replace(".", "").replace(" ", "")
        keys: list[tuple[dict, tuple[str, ...]]] = []
        if ACRONYM.match(compact) and len(words) == 1:
            keys.append((self._exact, tuple(w.raw for w in words)))
            # a name of four letters or more written in capitals ("HAMAS", "NATO", "ARNOR")
            # is also a name in ordinary case; short ones ("US", "IS") stay capitals-only
            if len(compact) >= 4:
                keys.append((self._index, tuple(w.norm for w in words)))
        else:
            keys.append((self._index, tuple(w.norm for w in words)))
        for table, key in keys:
            current = table.get(key)
            if current is None or override or entry.kind > current.kind:
                table[key] = entry
            self._max_words = max(self._max_words, len(key))

    def country_code(self, value: Any) -> str | None:
        """An ISO alpha-3 code from a code or a country name or demonym; None if unknown."""
        text = str(value or "").strip()
        if not text:
            return None
        if re.fullmatch(r"[A-Z]{3}", text) and text in self.country_names:
            return text
        key = tuple(w.norm for w in tokenize(text))
        entry = self._index.get(key)
        if entry is not None and entry.kind in (COUNTRY, CAPITAL):
            return entry.country
        return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else None

    # ---- matching ----------------------------------------------------------------
    def matches(self, words: list[Word], allow_acronyms: bool = True) -> list[Match]:
        """Greedy left-to-right longest matches; blockers are kept so they hide shorter ones."""
        found: list[Match] = []
        i = 0
        while i < len(words):
            best: Match | None = None
            for size in range(min(self._max_words, len(words) - i), 0, -1):
                entry = self._index.get(tuple(w.norm for w in words[i : i + size]))
                if size == 1 and allow_acronyms:
                    exact = self._exact.get((words[i].raw,))
                    if exact is not None and (entry is None or exact.kind >= entry.kind):
                        entry = exact
                if size == 1 and entry is None and allow_acronyms and words[i].raw[:1].isupper():
                    entry = self._proper.get((words[i].norm,))
                if entry is not None:
                    best = Match(i, i + size, entry)
                    break
            if best is None:
                i += 1
                continue
            found.append(best)
            i = best.last
        return found

    def is_proper_name(self, phrase: str) -> bool:
        """Whether a phrase is a country, capital, demonym or named group in the dictionaries
        (used to restore the case of all-capitals text)."""
        entry = self._index.get(tuple(w.norm for w in tokenize(phrase)))
        return entry is not None and entry.kind in (COUNTRY, CAPITAL, GROUP)
