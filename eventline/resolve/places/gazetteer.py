"""The gazetteer: every known place name, normalised, to its candidate entries.

Data lives in eventline/data/places/ (see SOURCES.md there):
  * gazetteer.tsv.gz    built by scripts/build_gazetteer.py from GeoNames extracts
                        (cities, admin1 regions, districts, countries, continents, airports)
  * features.csv        seas, rivers and regions written by hand
  * conflict_sites.csv  bases, crossings and front-line places the packages lack
  * aliases.csv         other names for entries above ("Britain", "Ky.", "Gaza")
  * not_places.txt      words too common to be taken as places without an entity tag
  * demonyms.csv        adjectives of the people of a region ("Texan", "South Ossetian");
                        country demonyms are read from eventline/data/actors/demonyms.csv
Users extend the CSV files; they are read at load time, so no rebuild is needed for them.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventline.built_cache import cached_build
from eventline.data_files import data_lines, data_path, read_csv, read_words

PLACES_DIR = data_path("places")
COUNTRY_DEMONYMS = data_path("actors/demonyms.csv")
# the modules whose code decides what a built gazetteer holds
BUILDERS = ("eventline.resolve.places.gazetteer", "eventline.data_files")

# How much a kind of place weighs before population is considered: a bare "Georgia" in the
# news is more often a country or a state than a village, a capital more than a town.
KIND_WEIGHT = {
    "country": 15.0,
    "continent": 10.0,
    "admin1": 5.5,  # plus up to ~2.5 for regions with many towns (see importance)
    "region": 8.0,
    "sea": 8.0,
    "river": 6.0,
    "capital": 3.0,
    "site": 7.0,
    "airbase": 5.0,
    "admin2": 4.0,
    "city": 0.0,
    "airport": 1.0,
}
# kinds whose coordinates stand for an area rather than a point (ACLED precision 3)
AREA_KINDS = {"country", "continent", "admin1", "region", "sea", "river"}
FEATURE_KINDS = {"region", "sea", "river"}


@dataclass(frozen=True, slots=True)
class GazEntry:
    id: str  # "geonames:98182", "admin1:IQ.07", "icao:ORAA", "eventline:at-tanf"
    name: str
    kind: str  # see KIND_WEIGHT
    country: str | None  # ISO alpha-3
    admin1: str | None
    lat: float
    lon: float
    population: int = 0

    @property
    def importance(self) -> float:
        """Prior weight of this entry among same-named candidates."""
        weight = KIND_WEIGHT.get(self.kind, 0.0)
        if self.kind in ("city", "capital"):
            weight += math.log10(self.population + 1)
        elif self.kind == "admin1":
            # the built table stores a region's town count as its population: a US state
            # or an Iraqi governorate outweighs a thinly documented province elsewhere
            weight += 0.8 * math.log10(self.population + 1)
        return weight

    @property
    def is_area(self) -> bool:
        return self.kind in AREA_KINDS


_APOSTROPHES = re.compile(r"[’'`ʼ‘]")
_SEPARATORS = re.compile(r"[-‐–—_/,]+")
_DROP = re.compile(r"[.()\"“”]")
# letters Unicode does not decompose into a Latin base letter plus an accent
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "æ": "ae"})


@functools.lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """The lookup key: case, accents, dots, apostrophes, hyphens and a leading 'the' removed.

    Cached: a document asks for the same few hundred words over and over.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    folded = folded.translate(_UNDECOMPOSED)
    folded = _DROP.sub("", _APOSTROPHES.sub("", folded))
    folded = " ".join(_SEPARATORS.sub(" ", folded).split())
    if folded.startswith("the "):
        folded = folded[4:]
    return folded


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The point halfway between two (lat, lon) points, across the antimeridian if shorter."""
    lon_b = b[1]
    if lon_b - a[1] > 180:
        lon_b -= 360
    elif a[1] - lon_b > 180:
        lon_b += 360
    lon = (a[1] + lon_b) / 2
    if lon > 180:
        lon -= 360
    elif lon < -180:
        lon += 360
    return (a[0] + b[0]) / 2, lon


class Gazetteer:
    """Name -> candidate entries. Rows stay as tuples until asked for, to keep loading fast."""

    def __init__(self) -> None:
        self._rows: list[str] = []  # tab-joined fields, split on demand
        self._entries: dict[int, GazEntry] = {}
        self._index: dict[str, int | list[int]] = {}
        self._country_row: dict[str, int] = {}
        # town points per (country, admin1); (country, "") holds all the country's towns
        self._points: dict[tuple[str, str], list[tuple[float, float]]] = {}
        self._town_rows: dict[str, list[int]] = {}  # ISO alpha-3 -> rows of its towns
        self._airport_rows: list[int] = []
        self._demonyms: dict[str, int] = {}  # normalised demonym -> row of its country / region
        self._demonym_first_words: set[str] | None = None
        self._common_words: set[str] = set()  # names too common as words to match alone
        # (name key, ISO alpha-3): names that alone mean the first-level region, not its city
        self._region_names: set[tuple[str, str]] = set()
        self._admin1_rows: dict[str, int] = {}  # "admin1:CA.08" -> row

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path = PLACES_DIR) -> Gazetteer:
        """The gazetteer of `data_dir`: the shipped one is read from its built copy when an
        earlier process wrote one for the same files (eventline.built_cache); another folder
        (EVENTLINE_PLACES_DIR) is read as it is."""
        if data_dir != PLACES_DIR:
            return cls.build(data_dir)
        return cached_build(cls, lambda: cls.build(data_dir), [data_dir, COUNTRY_DEMONYMS], BUILDERS)

    @classmethod
    def build(cls, data_dir: Path = PLACES_DIR) -> Gazetteer:
        """The gazetteer built from the files of `data_dir`."""
        gaz = cls()
        gaz._load_built(data_dir / "gazetteer.tsv.gz")
        gaz._load_region_points(data_dir / "region_points.csv")
        gaz._load_named_points(data_dir / "features.csv", default_kind="region")
        gaz._load_named_points(data_dir / "conflict_sites.csv", default_kind="site")
        gaz._load_aliases(data_dir / "aliases.csv")
        gaz._load_airport_short_names()
        gaz._load_country_demonyms(COUNTRY_DEMONYMS)
        gaz._load_regional_demonyms(data_dir / "demonyms.csv")
        gaz._load_common_words(data_dir / "not_places.txt")
        gaz._load_region_names(data_dir / "region_names.csv")
        return gaz

    def _add(self, row: list[str], names: list[str]) -> int:
        position = len(self._rows)
        self._rows.append("\t".join(row))
        for key in {normalize_name(name) for name in names} - {""}:
            self._index_key(key, position)
        return position

    def _index_key(self, key: str, position: int) -> None:
        # a bucket is a bare int while it holds one row: most names are unique, and a
        # list per name would double the index's memory
        bucket = self._index.get(key)
        if bucket is None:
            self._index[key] = position
        elif isinstance(bucket, int):
            if bucket != position:
                self._index[key] = [bucket, position]
        elif position not in bucket:
            bucket.append(position)

    def _load_built(self, path: Path) -> None:
        """Read the built table: one row string per place, keys precomputed by the build."""
        if not path.is_file():
            return
        rows, index, town_rows = self._rows, self._index, self._town_rows
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            next(handle, None)  # header
            for line in handle:
                head, _, keys = line.rstrip("\n").rpartition("\t")
                position = len(rows)
                rows.append(head)
                for key in keys.split("|"):
                    bucket = index.get(key)
                    if bucket is None:
                        index[key] = position
                    elif isinstance(bucket, int):
                        index[key] = [bucket, position]
                    else:
                        bucket.append(position)
                row_id, _, kind, country, _ = head.split("\t", 4)
                if kind == "admin1":
                    self._admin1_rows[row_id] = position
                if kind == "city" or kind == "capital":
                    towns = town_rows.get(country)
                    if towns is None:
                        town_rows[country] = [position]
                    else:
                        towns.append(position)
                elif kind == "country":
                    self._country_row[country] = position
                elif kind == "airport":
                    self._airport_rows.append(position)

    def _load_region_points(self, path: Path) -> None:
        """Move each first-level region to the midpoint of its two estimates.

        The built point is the centre of the region's towns' extent; the file's point comes
        from another source (scripts/build_region_points.py). Both miss the point gazetteers
        give a region, in different directions: their midpoint is closer than either (on
        LGL and TR-News; docs/accuracy-notes.md).
        """
        if not path.is_file():
            return
        for record in _read_csv(path):
            position = self._admin1_rows.get(record["region_id"])
            if position is None:
                continue
            fields = self._rows[position].split("\t")
            lat, lon = midpoint(
                (float(fields[5]), float(fields[6])), (float(record["lat"]), float(record["lon"]))
            )
            fields[5], fields[6] = f"{lat:.4f}", f"{lon:.4f}"
            self._rows[position] = "\t".join(fields)

    def _load_named_points(self, path: Path, default_kind: str) -> None:
        """Places written for eventline (features, conflict sites): a name, its other names,
        a point, and a kind (`default_kind` when the row gives none)."""
        for record in _read_csv(path):
            row = _row(
                f"eventline:{_slug(record['name'])}",
                record["name"],
                record.get("kind") or default_kind,
                record.get("country") or "",
                record.get("admin1") or "",
                record["lat"],
                record["lon"],
            )
            self._add(row, [record["name"], *_split(record.get("alternates"))])

    def _load_aliases(self, path: Path) -> None:
        for record in _read_csv(path):
            alias_key = normalize_name(record["alias"])
            wanted_kind = record.get("kind") or ""
            for position in self._positions(record["target"]):
                entry = self._entry(position)
                if record.get("country") and entry.country != record["country"]:
                    continue
                if wanted_kind and not _kind_matches(entry.kind, wanted_kind):
                    continue
                self._index_key(alias_key, position)

    def _load_airport_short_names(self) -> None:
        """'Heathrow', 'Pearson International Airport', 'Dulles Airport': airports as news names
        them, without the city that opens their full name ("London Heathrow Airport")."""
        for position in self._airport_rows:
            entry = self._entry(position)
            names = airport_short_names(entry.name, functools.partial(self._is_town_of, airport=entry))
            for name in names:
                if not name.endswith(_AIRPORT_WORD) and self._names_a_big_town(name):
                    continue
                self._index_key(normalize_name(name), position)

    def _names_a_big_town(self, name: str) -> bool:
        return any(
            c.kind in ("city", "capital") and c.population >= AIRPORT_BARE_NAME_MAX_TOWN
            for c in self.candidates(name)
        )

    def _is_town_of(self, name: str, airport: GazEntry) -> bool:
        """Whether `name` is a town of the airport's country (the city an airport is named for)."""
        return any(
            c.kind in ("city", "capital") and c.country == airport.country
            for c in self.candidates(name)
        )

    def _load_country_demonyms(self, path: Path) -> None:
        for record in _read_csv(path):
            position = self._country_row.get(record.get("alpha3", ""))
            if position is None:
                continue
            for demonym in _split(record.get("demonyms")):
                self._demonyms.setdefault(normalize_name(demonym), position)

    def _load_regional_demonyms(self, path: Path) -> None:
        for record in _read_csv(path):
            for position in self._positions(record["target"]):
                entry = self._entry(position)
                if record.get("country") and entry.country != record["country"]:
                    continue
                if record.get("kind") and not _kind_matches(entry.kind, record["kind"]):
                    continue
                self._demonyms.setdefault(normalize_name(record["demonym"]), position)
                break

    def _load_common_words(self, path: Path) -> None:
        if path.is_file():
            self._common_words = {normalize_name(line) for line in data_lines(path)}

    def _load_region_names(self, path: Path) -> None:
        if path.is_file():
            self._region_names = {
                (normalize_name(r["name"]), r["country"]) for r in _read_csv(path)
            }

    # -- lookups -------------------------------------------------------------------------
    def names_region(self, name: str, country: str | None) -> bool:
        """Whether `name` alone means the country's first-level region rather than the city
        of that name: "New York" is the state ("New York City" the city), "Quebec" the
        province, the way GeoNames and the geoparsing corpora read them."""
        return (normalize_name(name), country or "") in self._region_names

    def is_common_word(self, text: str) -> bool:
        """Whether `text` is mostly an ordinary word ("March", "Central") in news text."""
        return normalize_name(text) in self._common_words

    def demonym(self, text: str) -> GazEntry | None:
        """The country or region whose people `text` names: "Syrian", "Israelis", "Texan"."""
        key = normalize_name(text)
        position = self._demonyms.get(key)
        if position is None and key.endswith("s"):
            position = self._demonyms.get(key[:-1])  # "Palestinians", "Americans"
        return self._entry(position) if position is not None else None

    def may_open_demonym(self, word: str) -> bool:
        """Cheap test: could a demonym start with this word ("Sri", "Syrian", "Israelis")?"""
        if self._demonym_first_words is None:
            self._demonym_first_words = {key.split(" ", 1)[0] for key in self._demonyms}
        key = normalize_name(word)
        return key in self._demonym_first_words or key[:-1] in self._demonym_first_words

    def _positions(self, name: str) -> list[int]:
        bucket = self._index.get(normalize_name(name))
        if bucket is None:
            return []
        return [bucket] if isinstance(bucket, int) else bucket

    def _entry(self, position: int) -> GazEntry:
        entry = self._entries.get(position)
        if entry is None:
            p = self._rows[position].split("\t")
            entry = GazEntry(
                id=p[0],
                name=p[1],
                kind=p[2],
                country=p[3] or None,
                admin1=p[4] or None,
                lat=float(p[5]),
                lon=float(p[6]),
                population=int(p[7] or 0),
            )
            self._entries[position] = entry
        return entry

    def candidates(self, name: str) -> list[GazEntry]:
        """All entries whose name or alias normalises to the same key as `name`."""
        return [self._entry(p) for p in self._positions(name)]

    def has_name(self, name: str) -> bool:
        return normalize_name(name) in self._index

    def country(self, iso3: str) -> GazEntry | None:
        position = self._country_row.get(iso3)
        return self._entry(position) if position is not None else None

    def points(self, country: str | None, admin1: str | None = None) -> list[tuple[float, float]]:
        """Town points of a country (or of one of its admin1 regions), for area geometry.

        Each (country, admin1) is gathered on first use from the country's town rows, which
        the load notes: grouping every region's points at once would cost the first
        directional mention ("northern Syria") a pass that splits every row.
        """
        key = (country or "", admin1 or "")
        points = self._points.get(key)
        if points is None:
            points = []
            for position in self._town_rows.get(key[0], ()):
                parts = self._rows[position].split("\t", 7)
                if not key[1] or parts[4] == key[1]:
                    points.append((float(parts[5]), float(parts[6])))
            self._points[key] = points
        return points

    def __len__(self) -> int:
        return len(self._rows)


_AIRPORT_WORD = " Airport"
# an airport's bare name ("Heathrow") is kept only when no town this big bears it ("Logan")
AIRPORT_BARE_NAME_MAX_TOWN = 10_000


@functools.cache
def _airport_generic_words() -> frozenset[str]:
    return frozenset(read_words(PLACES_DIR / "airport_generic_words.txt"))


def airport_short_names(name: str, is_town: Callable[[str], bool]) -> list[str]:
    """Shorter names of an airport: "Toronto Pearson International Airport" -> "Pearson
    International Airport", "Pearson Airport", "Pearson"; "Ottawa / Macdonald-Cartier
    International Airport" -> "Macdonald-Cartier International Airport" ...

    `is_town` says whether words are the name of a town of the airport's country: only such
    an opening is dropped, and only then is the bare name without "Airport" a short name.
    """
    if not name.endswith(_AIRPORT_WORD):
        return []
    city, _, full = name.rpartition(" / ")
    names = {full}
    words = full[: -len(_AIRPORT_WORD)].removesuffix(" International").split()
    names.add(" ".join(words) + _AIRPORT_WORD)
    if city and is_town(city) and len(words) == 1:
        names.add(words[0])  # "Ottawa / Macdonald-Cartier International Airport"
    for cut in (1, 2):
        if len(words) > cut and is_town(" ".join(words[:cut])):
            core = " ".join(words[cut:])
            if all(word.lower() in _airport_generic_words() for word in words[cut:]):
                break  # "Martin State Airport": what is left says what, not which
            names.update((core + _AIRPORT_WORD, core + " International" + _AIRPORT_WORD))
            if cut == len(words) - 1:
                names.add(core)
            break
    names.discard(name)
    return sorted(names)


def _kind_matches(kind: str, wanted: str) -> bool:
    if wanted == "feature":
        return kind in FEATURE_KINDS
    if wanted == "city":
        return kind in ("city", "capital")
    if wanted == "airbase":
        return kind in ("airbase", "site")
    return kind == wanted


def _row(
    id_: str, name: str, kind: str, country: str, admin1: str, lat: str, lon: str
) -> list[str]:
    return [id_, name, kind, country, admin1, str(float(lat)), str(float(lon)), "0"]


def _slug(name: str) -> str:
    return "-".join(normalize_name(name).split())


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _read_csv(path: Path) -> list[dict[str, str]]:
    """A place table's rows with values stripped; a file a custom place folder lacks is empty."""
    if not path.is_file():
        return []
    return [
        {k: (v or "").strip() for k, v in record.items()}
        for record in read_csv(path)
        if any((v or "").strip() for v in record.values())
    ]


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use (EVENTLINE_PLACES_DIR overrides the data)."""
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            override = os.environ.get("EVENTLINE_PLACES_DIR")
            _gazetteer = Gazetteer.load(Path(override) if override else PLACES_DIR)
        return _gazetteer
