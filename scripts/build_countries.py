"""Regenerate eventline/data/actors/countries.csv from the ISO 3166 names in pycountry.

Run from the repository root: `python scripts/build_countries.py`. The output holds one row
per country: its alpha-3 code, a short canonical name and the other ISO names as aliases.
Demonyms, short forms and capitals used as metonyms are hand-written in demonyms.csv,
which the actor resolver reads beside this file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).resolve().parents[1] / "eventline" / "data" / "actors" / "countries.csv"


def readable(name: str) -> str:
    """ISO writes some names inverted ("Korea, Republic of"); put them in reading order."""
    if ", " not in name:
        return name
    head, _, tail = name.partition(", ")
    return f"{tail} {head}".strip()


def rows() -> list[dict[str, str]]:
    out = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso_name = country.name
        canonical = getattr(country, "common_name", None) or readable(iso_name)
        canonical = canonical.removeprefix("The ")
        aliases = [iso_name, readable(iso_name), getattr(country, "official_name", "")]
        unique = []
        for alias in aliases:
            alias = alias.strip()
            if alias.lower().startswith("the "):
                alias = alias[4:]
            if alias and alias != canonical and alias not in unique:
                unique.append(alias)
        out.append({"alpha3": country.alpha_3, "name": canonical, "aliases": "|".join(unique)})
    return out


def main() -> None:
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["alpha3", "name", "aliases"])
        writer.writeheader()
        writer.writerows(rows())


if __name__ == "__main__":
    main()
