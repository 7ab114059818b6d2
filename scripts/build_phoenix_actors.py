"""Regenerate eventline/data/actors/phoenix_actors.tsv.gz from the Phoenix/CAMEO dictionaries.

Usage: `python scripts/build_phoenix_actors.py FOLDER` where FOLDER holds the PETRARCH2
dictionaries Phoenix.Countries.actors.txt, Phoenix.International.actors.txt and
Phoenix.MilNonState.actors.txt (MIT licence, Open Event Data Alliance; they ship in the shared
reference folder). Kept: office holders and institutions with their dated codes, international
organisations and NGOs, militant and non-state groups. Left out: entries that only name a
country (the ISO names, demonyms and capitals in countries.csv and demonyms.csv cover them;
the Phoenix country entries also list provinces and cities as the country itself).

One output row per entry: file, line, names joined by "|", codes joined by ";" with each code
written CODE or CODE:START:END (YYYYMMDD, either side empty when open).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventline.resolve.actor_petrarch import DatedCode, read_actors  # noqa: E402

OUTPUT = (
    Path(__file__).resolve().parents[1] / "eventline" / "data" / "actors" / "phoenix_actors.tsv.gz"
)
FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)


def _day(value: object) -> str:
    return value.strftime("%Y%m%d") if value is not None else ""  # type: ignore[attr-defined]


def encode(code: DatedCode) -> str:
    if not code.dated:
        return code.code
    return f"{code.code}:{_day(code.start)}:{_day(code.end)}"


def rows(folder: Path) -> list[str]:
    out = []
    for name in FILES:
        text = (folder / name).read_text(encoding="utf-8", errors="replace")
        records, errors = read_actors(text)
        for error in errors:
            print(f"{name}:{error.line}: {error.detail} (skipped)", file=sys.stderr)
        for record in records:
            if all(len(c.code) == 3 and not c.dated for c in record.codes) and name == FILES[0]:
                continue  # a country and its places: covered by countries.csv
            names = "|".join(dict.fromkeys(n.replace("|", " ") for n in record.names))
            codes = ";".join(dict.fromkeys(encode(c) for c in record.codes))
            out.append(f"{name}\t{record.line}\t{names}\t{codes}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    lines = rows(Path(argv[0]))
    header = "# Derived from the Phoenix dictionaries of PETRARCH2 (MIT, Open Event Data Alliance)"
    data = (header + "\n" + "\n".join(lines) + "\n").encode("utf-8")
    # a fixed mtime keeps the file byte-identical between builds
    with gzip.GzipFile(OUTPUT, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(data)
    print(f"{len(lines)} entries -> {OUTPUT.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
