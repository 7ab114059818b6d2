"""How the TimeBank scorer compares TimeML values."""

from __future__ import annotations

from eventline.evaluation.timebank import Alignment, GoldTimex, canonical_value
from eventline.model import TimeValue


def test_a_one_digit_week_is_the_same_iso_week() -> None:
    assert canonical_value("2000-W7") == "2000-W07"
    assert canonical_value("2000-W7-WE") == "2000-W07-WE"
    assert canonical_value("2000-W17") == "2000-W17"
    assert canonical_value("XXXX-WXX-1") == "XXXX-WXX-1"
    assert canonical_value("P2W") == "P2W"


def test_alignment_credits_the_padded_week_and_nothing_else() -> None:
    gold = GoldTimex(0, 9, "this week", "2000-W7", "DATE")
    same = TimeValue(text="this week", timex="2000-W07", char_start=0, char_end=9)
    other = TimeValue(text="this week", timex="2000-W08", char_start=0, char_end=9)
    assert Alignment(gold, same).correct
    assert not Alignment(gold, other).correct
    assert not Alignment(gold, None).correct
