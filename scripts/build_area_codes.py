"""Write eventline/data/places/area_codes.csv: the state or province of each North American
area code, from the offline geocoding data of the phonenumbers package (libphonenumber).

An area code lies in one state or province, while the package's descriptions name towns
for some exchanges ("Belle Plaine, MN") and the region for others ("Texas"): each area
code gets the region most of its exchanges name. Toll-free and non-geographic codes have
no description and are left out. The table lets eventline.resolve.places.phones run without
loading the package's data (about 100 MB in every worker).

Run:  pip install phonenumbers && python scripts/build_area_codes.py
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

OUT_FILE = Path(__file__).resolve().parents[1] / "eventline" / "data" / "places" / "area_codes.csv"
# exchanges tried per area code: enough to see which region most of them name
EXCHANGES = range(200, 1000, 7)


def region_of(description: str, country: str) -> str | None:
    import pycountry

    head, _, code = description.rpartition(", ")
    if not head:
        return description
    subdivision = pycountry.subdivisions.get(code=f"{country}-{code}")
    return subdivision.name if subdivision is not None else None


def main() -> None:
    import phonenumbers
    import pycountry
    from phonenumbers import geocoder

    rows = []
    for area in range(200, 1000):
        votes: Counter[tuple[str, str]] = Counter()
        for exchange in EXCHANGES:
            number = phonenumbers.parse(f"+1{area}{exchange}0100")
            country = phonenumbers.region_code_for_number(number)
            where = geocoder.description_for_number(number, "en")
            if not country or not where:
                continue
            iso3 = pycountry.countries.get(alpha_2=country)
            region = region_of(where, country)
            if iso3 is not None and region:
                votes[(iso3.alpha_3, region)] += 1
        if votes:
            (iso3, region), _ = votes.most_common(1)[0]
            rows.append((area, iso3, region))
    with OUT_FILE.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["area_code", "country", "region"])
        out.writerows(rows)
    print(f"wrote {len(rows)} area codes to {OUT_FILE.name}")


if __name__ == "__main__":
    main()
