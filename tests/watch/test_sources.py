"""SOURCE arguments and sources files: kinds, per-source intervals, one error per bad line."""

from __future__ import annotations

import pytest

from eventline.errors import ConfigError
from eventline.watch.sources import parse_sources


def test_arguments_and_a_sources_file_give_each_source_once(tmp_path):
    feed = tmp_path / "local.xml"
    feed.write_text("<rss><channel></channel></rss>")
    drops = tmp_path / "drops"
    drops.mkdir()
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# world desk\n"
        "https://example.org/rss.xml  every=300   # fast\n"
        "\n"
        "local.xml\n"
        "drops/ every=60\n"
        "https://example.org/rss.xml\n"
    )
    sources = parse_sources([str(listing), "https://example.org/rss.xml", str(feed)])
    assert [(s.location, s.kind, s.every) for s in sources] == [
        ("https://example.org/rss.xml", "url", 300.0),
        (str(feed), "file", None),
        (str(drops), "folder", 60.0),
    ]


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        ("ftp://example.org/feed", "not an http:// or https:// URL"),
        ("missing.xml", "neither a URL nor an existing file"),
        ("https://example.org/a.xml every=soon", "not a positive number"),
        ("https://example.org/a.xml every=0", "not a positive number"),
        ("https://example.org/a.xml interval=5", "unknown option"),
    ],
)
def test_a_bad_line_is_one_error_naming_file_and_line(tmp_path, line, detail):
    listing = tmp_path / "sources.txt"
    listing.write_text(f"https://example.org/ok.xml\n# fine\n{line}\n")
    with pytest.raises(ConfigError) as caught:
        parse_sources([str(listing)])
    message = str(caught.value)
    assert caught.value.code == "E701"
    assert f"{listing}, line 3" in message and detail in message


def test_a_bad_argument_names_the_command_line():
    with pytest.raises(ConfigError, match="command line, line 0"):
        parse_sources(["no/such/feed.xml"])
