"""CAMEO actor codes with dates: which code a person or body holds on a given day, and what a
code says (country, sector).

A CAMEO code is a three-letter head (an ISO country, or IGO / NGO / IMG / MNC for bodies
that belong to no state) followed by three-letter role codes: FRAGOV, RUSGOVMIL, IGOUNO. An
office holder has several codes over time ("Francois Mitterrand": FRAELI until 1981-05-21,
FRAGOV until 1995-05-17, FRAELI after); the one that holds on the event's day is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from eventline.resolve.actor_petrarch import DatedCode

# heads that are no state, and the sector they give
STATELESS_HEADS = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB", "MNC": "BUS", "NGM": "SOC"}
GOVERNMENT = "GOV"


@dataclass(frozen=True)
class CodeMeaning:
    country: str | None
    sector: str | None
    code: str


def meaning(code: str, countries: set[str] | dict[str, str], sectors: set[str] | dict[str, str]) -> CodeMeaning:
    """Country and sector of a CAMEO code; a head that is no ISO country (the fictional states
    of a test dictionary, "KOS") leaves the country empty and keeps the code."""
    head, rest = code[:3], code[3:]
    country: str | None = None
    sector: str | None = None
    if head in countries:
        country = head
    elif head in STATELESS_HEADS:
        sector = STATELESS_HEADS[head]
    elif head in sectors and not rest:
        sector = head  # "[ELI]": a role with no country
    if sector is None:
        for i in range(0, len(rest) - 2, 3):
            if rest[i : i + 3] in sectors:
                sector = rest[i : i + 3]
                break
    return CodeMeaning(country, sector, code)


def code_on(
    codes: Sequence[DatedCode], when: date | None, prefer_sector: str | None = None
) -> DatedCode | None:
    """The code that holds on `when`. Without a date, or on a day no dated code covers: an
    undated code, else the one whose role matches the title in the text ("President X"),
    else a government code, else the latest."""
    if not codes:
        return None
    if when is not None:
        holding = [c for c in codes if c.dated and c.holds(when)]
        if holding:
            return max(holding, key=lambda c: c.start or date.min)
    undated = [c for c in codes if not c.dated]
    if when is not None and undated:
        return undated[0]
    if prefer_sector:
        matching = [c for c in codes if prefer_sector in _roles(c.code)]
        if matching:
            return matching[-1]
    governing = [c for c in codes if GOVERNMENT in _roles(c.code)]
    if governing:
        return governing[-1]
    if undated:
        return undated[0]
    return max(codes, key=lambda c: c.start or date.min)


def held_on(codes: Sequence[DatedCode], when: date | None) -> bool:
    """Whether any code of a person covers `when` (always true without a date or for an
    undated code)."""
    return when is None or any(not c.dated or c.holds(when) for c in codes)


def _roles(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code) - 2, 3)]
