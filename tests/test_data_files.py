"""eventline.data_files: one convention for comments and blank lines in every data file."""

from __future__ import annotations

from eventline.data_files import DATA_DIR, data_lines, read_csv, read_words, word_set


def test_comments_and_blank_lines_are_skipped_wherever_the_hash_stands(tmp_path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("# source: written by hand\nword,role\n\n  # indented note\nPolice,head\n")
    assert data_lines(table) == ["word,role", "Police,head"]
    assert read_csv(table) == [{"word": "Police", "role": "head"}]


def test_word_lists_are_stripped(tmp_path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# generic words\n  airport \nairfield\n")
    assert read_words(words) == ["airport", "airfield"]


def test_yaml_word_lists_keep_every_value_a_word(tmp_path) -> None:
    # a YAML 1.1 reader would make "no" and "on" booleans; a word list keeps them as words
    words = tmp_path / "words.yaml"
    words.write_text("negations: [No, not, never]\npreps: [on, off]\n")
    assert word_set(words, "negations") == {"no", "not", "never"}
    assert word_set(words, "preps") == {"on", "off"}
    assert "say" in word_set("roles.yaml", "reporting_verbs")


def test_every_shipped_csv_reads_with_a_header() -> None:
    for path in DATA_DIR.rglob("*.csv"):
        rows = read_csv(path)
        assert rows, path
        assert all(None not in row for row in rows), path  # no row wider than its header
