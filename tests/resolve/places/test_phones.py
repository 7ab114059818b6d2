"""Home regions from the phone numbers a local story prints."""

from __future__ import annotations

from eventline.resolve.places.phones import phone_regions


def test_area_codes_name_their_state_or_province() -> None:
    text = (
        "Call the sheriff at 952-873-6325, London police at (519) 661-5670, "
        "or the museum at 806.423.1253."
    )
    assert phone_regions(text) == {
        ("USA", "Minnesota"): 1,
        ("CAN", "Ontario"): 1,
        ("USA", "Texas"): 1,
    }


def test_toll_free_numbers_and_other_digits_say_nothing() -> None:
    text = "Crime Stoppers: 1-800-222-8477. Case 2016-04-1234, ISBN 978-3-16-148410-0, 1,300 dead."
    assert phone_regions(text) == {}
