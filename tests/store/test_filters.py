"""eventline.store.filters: the pieces of SQL the queries share."""

from __future__ import annotations

from eventline.store.filters import IN_LIST_SIZE, in_lists, like_pattern


def test_in_lists_cover_every_value_once_in_bounded_slices() -> None:
    values = [f"id{n}" for n in range(2 * IN_LIST_SIZE + 3)]
    slices = list(in_lists(values))
    assert [len(chunk) for chunk, _ in slices] == [IN_LIST_SIZE, IN_LIST_SIZE, 3]
    assert [value for chunk, _ in slices for value in chunk] == values
    assert slices[-1][1] == "?, ?, ?"
    assert list(in_lists([])) == []


def test_like_pattern_escapes_wildcards() -> None:
    assert like_pattern("50%_A\\b") == "%50\\%\\_a\\\\b%"
