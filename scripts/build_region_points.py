"""Write eventline/data/places/region_points.csv: a second point for each first-level region.

The gazetteer's own point for a first-level region (a US state, a province) is computed from
its towns (see scripts/build_gazetteer.py). The countries-states-cities database, shipped in
the countrystatecity-countries package (ODbL 1.0), gives each state or province a point of
its own, made another way. Neither is a gazetteer's official point; at load the gazetteer
uses the midpoint of the two, which on LGL and TR-News is nearer the GeoNames point than
either alone (docs/accuracy-notes.md has the figures).

This file holds only the package's points, so it keeps the package's licence; each row is
tied to a gazetteer region by its name (or one of its spellings) within its country.

Run:  pip install countrystatecity-countries && python scripts/build_region_points.py
"""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import json
import sys
from pathlib import Path

PLACES = Path(__file__).resolve().parents[1] / "eventline" / "data" / "places"
OUT_FILE = PLACES / "region_points.csv"


def gazetteer_regions() -> dict[tuple[str, str], str]:
    """(ISO alpha-2, name key) -> admin1 id, for every spelling of every region."""
    regions: dict[tuple[str, str], str] = {}
    with gzip.open(PLACES / "gazetteer.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if fields[2] != "admin1":
                continue
            iso2 = fields[0].removeprefix("admin1:").split(".", 1)[0]
            for key in fields[8].split("|"):
                # a spelling two regions share says nothing about either
                regions[(iso2, key)] = "" if (iso2, key) in regions else fields[0]
    return regions


def package_states() -> list[dict[str, str]]:
    try:
        data = importlib.resources.files("countrystatecity_countries") / "data" / "by-country"
    except ModuleNotFoundError:
        sys.exit("countrystatecity-countries is not installed: pip install it first")
    states: list[dict[str, str]] = []
    for country in sorted(data.iterdir(), key=lambda p: p.name):
        listing = country / "states.json"
        if listing.is_file():
            states.extend(json.loads(listing.read_text(encoding="utf-8")))
    return states


def main() -> None:
    from eventline.resolve.places.gazetteer import normalize_name

    regions = gazetteer_regions()
    rows: dict[str, tuple[str, str, str]] = {}
    unmatched = 0
    for state in package_states():
        if not state.get("latitude") or not state.get("longitude"):
            continue
        iso2 = state["country_code"]
        names = [state["name"], state.get("native") or ""]
        found = {regions.get((iso2, normalize_name(name)), "") for name in names if name} - {""}
        if len(found) != 1:
            unmatched += 1
            continue
        (region_id,) = found
        # two package rows for one region (a state and its old name): keep neither
        point = (
            state["name"],
            f"{float(state['latitude']):.4f}",
            f"{float(state['longitude']):.4f}",
        )
        rows[region_id] = point if region_id not in rows else ("", "", "")
    with OUT_FILE.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["region_id", "name", "lat", "lon"])
        for region_id in sorted(rows):
            if rows[region_id][0]:
                out.writerow([region_id, *rows[region_id]])
    kept = sum(1 for row in rows.values() if row[0])
    print(f"wrote {kept} region points to {OUT_FILE.name} ({unmatched} package rows unmatched)")


if __name__ == "__main__":
    main()
