"""Regenerate eventline/data/actors/agents.csv from the PLOVER/CAMEO generic agents list.

Usage: `python scripts/build_agents.py PATH/TO/PLOVER_agents.txt` (the file ships in the
shared reference folder; MIT licence, Open Event Data Alliance). The list is read by the
package's own reader of the PETRARCH `.agents` format (eventline.resolve.actor_petrarch
`read_agents`: substitution sets such as !PERSON! expanded, braces giving irregular plurals,
the same reader that loads a user's `--actors` file). Each output row is one agent noun
phrase, lower case, with its CAMEO role codes, translated to the codes eventline uses (the
list's JRN "journalist" becomes MED "media", its MED "medical" becomes HLH). Terms coded NON,
JNK or UNK are kept with sector NON: they block a shorter match ("military conflict" is not
the military). A phrase listed twice keeps its first codes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from eventline.data_files import data_path
from eventline.resolve.actor_petrarch import read_agents

OUTPUT = data_path("actors/agents.csv")
RENAMED = {"JRN": "MED", "MED": "HLH"}
BLOCKERS = {"NON", "JNK", "UNK"}


def split_codes(codes: str) -> list[str]:
    return [RENAMED.get(codes[i : i + 3], codes[i : i + 3]) for i in range(0, len(codes), 3)]


def parse(text: str) -> tuple[list[dict[str, str]], int]:
    """The rows of agents.csv from the text of an .agents file, and how many lines of it
    could not be read."""
    records, errors = read_agents(text)
    rows: dict[str, dict[str, str]] = {}
    for record in records:
        codes = split_codes(record.code)
        sector = "NON" if codes[0] in BLOCKERS else codes[0]
        for name in record.names:
            phrase = " ".join(name.lower().split())
            if phrase and phrase not in rows:
                rows[phrase] = {"term": phrase, "sector": sector, "roles": "".join(codes)}
    return sorted(rows.values(), key=lambda row: row["term"]), len(errors)


def main(source: str) -> None:
    rows, unread = parse(Path(source).read_text(encoding="utf-8"))
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["term", "sector", "roles"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} agent phrases written to {OUTPUT.name}; {unread} lines not read")


if __name__ == "__main__":
    main(sys.argv[1])
