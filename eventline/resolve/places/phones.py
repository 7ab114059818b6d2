"""Where a local paper is: the regions of the North American phone numbers in its text.

A local story gives its readers numbers to call ("contact the sheriff's office at
952-873-6325"), and the area code says which state or province the paper serves: the home
region that settles its bare namesakes (London, Ontario, not London, England). The area
codes' regions are in eventline/data/places/area_codes.csv (built from the phonenumbers
package's offline data by scripts/build_area_codes.py); toll-free and non-geographic codes
are not listed and say nothing. Conflict reports rarely print numbers, and then nothing
changes.

Reads: the document's text. Writes: (ISO alpha-3, first-level region name) -> count.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from eventline.data_files import read_csv
from eventline.resolve.places.gazetteer import PLACES_DIR

AREA_CODES_FILE = PLACES_DIR / "area_codes.csv"
# NANP: optional +1, a three-digit area code (2-9 first) in optional brackets, the
# exchange (2-9 first), then four digits; not inside a longer run of digits or dashes
_NANP = re.compile(
    r"(?<![\d-])(?:\+?1[-. ]?)?\(?([2-9]\d{2})\)?[-. ]?[2-9]\d{2}[-. ]\d{4}(?![\d-])"
)
MAX_NUMBERS = 50  # a listing page full of numbers votes no more than this


@functools.cache
def _area_codes() -> dict[str, tuple[str, str]]:
    return {row["area_code"]: (row["country"], row["region"]) for row in read_csv(AREA_CODES_FILE)}


def phone_regions(text: str) -> Counter[tuple[str, str]]:
    """(ISO alpha-3, region name) of each phone number in the text whose area code is known."""
    found: Counter[tuple[str, str]] = Counter()
    codes = None
    for index, match in enumerate(_NANP.finditer(text)):
        if index >= MAX_NUMBERS:
            break
        codes = codes or _area_codes()
        region = codes.get(match.group(1))
        if region is not None:
            found[region] += 1
    return found
