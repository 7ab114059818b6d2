"""Regenerate eventline/data/actors/agents.csv from the PLOVER/CAMEO generic agents list.

Usage: `python scripts/build_agents.py PATH/TO/PLOVER_agents.txt` (the file ships in the
shared reference folder; MIT licence, Open Event Data Alliance). Each output row is one agent
noun phrase with its CAMEO role codes. Substitution sets (!PERSON!, !MINIST!) are expanded,
braces give irregular plurals, and codes are translated to the CAMEO role codes eventline
uses (the list's JRN "journalist" becomes MED "media", its MED "medical" becomes HLH).
Terms coded NON, JNK or UNK are kept with sector NON: they block a shorter match
("military conflict" is not the military).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "eventline" / "data" / "actors" / "agents.csv"
SET_LINE = re.compile(r"^!(\w+)!\s*=\s*(.+)$")
ENTRY_LINE = re.compile(
    r"^(?P<term>[^\[{#]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[~(?P<codes>[A-Z]+)\]"
)
RENAMED = {"JRN": "MED", "MED": "HLH"}
BLOCKERS = {"NON", "JNK", "UNK"}


def split_codes(codes: str) -> list[str]:
    return [RENAMED.get(codes[i : i + 3], codes[i : i + 3]) for i in range(0, len(codes), 3)]


def expand(term: str, sets: dict[str, list[str]]) -> list[str]:
    match = re.search(r"!(\w+)!", term)
    if not match:
        return [term]
    out = []
    for value in sets.get(match.group(1), [match.group(1)]):
        out.extend(expand(term[: match.start()] + value + term[match.end() :], sets))
    return out


def readable(term: str) -> str:
    return re.sub(r"\s+", " ", term.replace("_", " ")).strip().lower()


def parse(lines: list[str]) -> list[dict[str, str]]:
    sets: dict[str, list[str]] = {}
    rows: dict[str, dict[str, str]] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        set_match = SET_LINE.match(line)
        if set_match:
            sets[set_match.group(1)] = [v.strip() for v in set_match.group(2).split(",")]
            continue
        entry = ENTRY_LINE.match(line)
        if not entry:
            continue
        codes = split_codes(entry.group("codes"))
        sector = "NON" if codes[0] in BLOCKERS else codes[0]
        terms = expand(entry.group("term"), sets)
        if entry.group("plural"):
            terms += expand(entry.group("plural"), sets)
        for term in terms:
            phrase = readable(term)
            if phrase and phrase not in rows:
                rows[phrase] = {"term": phrase, "sector": sector, "roles": "".join(codes)}
    return sorted(rows.values(), key=lambda r: r["term"])


def main(source: str) -> None:
    rows = parse(Path(source).read_text(encoding="utf-8").splitlines())
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["term", "sector", "roles"])
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
