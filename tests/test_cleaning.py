"""Tests for eventline.cleaning: line breaks, spaces, control characters, junk lines, headlines."""

from __future__ import annotations

import re

import pytest

from eventline.cleaning import clean_text, guess_headline, junk_line_pattern
from eventline.errors import ConfigError


def test_clean_text_drops_junk_lines_and_keeps_paragraphs() -> None:
    raw = (
        "First paragraph.\r\n\r\nAdvertisement\r\n\r\nSecond\t\tparagraph  here.\r\n"
        "Share this: Facebook Twitter WhatsApp\n\n\n\nRead more\nSign up for our newsletter\n"
        "We use cookies to give you the best experience on our website.\n"
        "Third paragraph.\u00a0\u200b\n\nBack to top button"
    )
    assert clean_text(raw) == "First paragraph.\n\nSecond paragraph here.\n\nThird paragraph."


def test_windows_1252_punctuation_read_as_latin_1_gets_its_meaning_back() -> None:
    raw = "NEWARK \x97 It wasn\x92t a \x93test\x94,\x81 police said."
    assert clean_text(raw) == "NEWARK — It wasn’t a “test”, police said."


def test_clean_text_keeps_prose_that_mentions_junk_words() -> None:
    prose = "Read more than 200 pages of the report, the minister told parliament on Monday."
    long_line = "Advertisement " * 30  # longer than any junk line: treated as prose
    assert clean_text(prose) == prose
    assert clean_text(long_line) == long_line.strip()


def test_headline_needs_short_line_without_period_then_blank_line() -> None:
    assert guess_headline("Troops Enter City\n\nTroops entered the city.") == "Troops Enter City"
    assert guess_headline("Troops entered the city.\n\nMore text.") is None
    assert guess_headline("Troops Enter City\nTroops entered the city.") is None
    assert guess_headline("Only a headline") is None


def test_every_cleaned_word_maps_back_to_the_same_word_of_the_text_as_given() -> None:
    from eventline.cleaning import clean_mapped

    raw = "\ufeff\r\n\t Rebels\x00shelled  Kharkiv\r\non Tuesday.\u200b\n\n\n\nShare this article\n\nPolice  said so.  "
    mapped = clean_mapped(raw)
    assert mapped.text == clean_text(raw) == "Rebels shelled Kharkiv\non Tuesday.\n\nPolice said so."
    for match in re.finditer(r"\S+", mapped.text):
        start, end = mapped.span(*match.span())
        assert raw[start:end] == match.group()
    start, end = mapped.span(0, len(mapped.text))
    assert raw[start:end] == raw.strip("\ufeff\r\n\t ")


def test_repaired_punctuation_maps_to_the_character_it_was() -> None:
    from eventline.cleaning import clean_mapped

    raw = "It wasn\x92t \x93fair\x94"
    mapped = clean_mapped(raw)
    assert mapped.text == "It wasn’t “fair”"
    assert raw[slice(*mapped.span(7, 8))] == "\x92"
    assert raw[slice(*mapped.span(3, len(mapped.text)))] == "wasn\x92t \x93fair\x94"


def test_a_bad_junk_line_pattern_is_a_config_error_naming_the_line(tmp_path) -> None:
    patterns = tmp_path / "junk_lines.txt"
    patterns.write_text("# page furniture\nShare this article\n(unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        junk_line_pattern(patterns)
    assert raised.value.code == "E407" and "line 3" in str(raised.value)
