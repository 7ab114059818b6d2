"""Tests for eventline.ingest: formats, bad inputs, and robustness on random input."""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventline.errors import InputError
from eventline.ingest import (
    DEFAULT_MAX_BYTES,
    iter_inputs,
    parse_published,
    read_text,
)
from eventline.model import Document, Problem

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

BODY = (
    "Gunmen attacked a police station in the north of the country on Saturday, killing "
    "three officers, a police spokesman said."
)


def run(paths: list[str | Path], **options: object) -> tuple[list[Document], list[Problem]]:
    items = list(iter_inputs([str(p) for p in paths], **options))
    assert all(isinstance(item, (Document, Problem)) for item in items)
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, Problem)],
    )


def test_parse_published_formats() -> None:
    assert parse_published("2023-11-22") == date(2023, 11, 22)
    assert parse_published("2023-11-22T23:30:00-05:00") == date(2023, 11, 22)
    assert parse_published("Wed, 22 Nov 2023 08:15:00 GMT") == date(2023, 11, 22)
    assert parse_published("2023/02/30") is None
    assert parse_published("last Tuesday") is None
    assert parse_published(20231122) is None


def test_read_text_ids_are_stable_and_dates_checked() -> None:
    first = read_text("Headline Here\n\n" + BODY + "\nAdvertisement")
    again = read_text("Headline Here\n\n" + BODY)
    assert first.id == again.id == Document.make_id(first.text)
    assert first.title == "Headline Here"
    assert read_text(BODY, published="2024-02-01").published == date(2024, 2, 1)
    assert read_text(BODY, published="2024-02-01").published_from == "input"
    with pytest.raises(InputError) as caught:
        read_text(BODY, published="soon")
    assert caught.value.code == "E110"


# --------------------------------------------------------------------------- formats


def test_plain_text_file() -> None:
    docs, problems = run([FIXTURES / "article.txt"], published=date(2024, 3, 6))
    assert problems == []
    (doc,) = docs
    assert doc.title == "Militants Attack Army Post Near Gao"
    assert doc.text.startswith("Militants Attack Army Post Near Gao\n\nGAO, Mali")
    for junk in ("Advertisement", "Share this", "Read more", "cookies", "newsletter", "Back to"):
        assert junk not in doc.text
    assert doc.text.endswith("No group has claimed responsibility for the attack.")
    assert (doc.published, doc.published_from) == (date(2024, 3, 6), "cli")
    assert doc.origin == str(FIXTURES / "article.txt")
    assert doc.id == Document.make_id(doc.text)


def test_html_file_uses_article_body_and_metadata() -> None:
    docs, problems = run([FIXTURES / "article.html"], published=date(2030, 1, 1))
    assert problems == []
    (doc,) = docs
    assert doc.title == "Shelling hits market in eastern town"
    assert (doc.published, doc.published_from) == (date(2024, 3, 5), "html")
    assert doc.url == "https://news.example.org/2024/03/05/shelling-market"
    assert "killing at least seven civilians" in doc.text
    assert "\n\nWitnesses described" in doc.text
    assert "Sport" not in doc.text and "All rights reserved" not in doc.text


def test_jsonl_records() -> None:
    docs, problems = run([FIXTURES / "records.jsonl"])
    path = str(FIXTURES / "records.jsonl")
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    first, second, third = docs
    assert (first.id, first.title, first.url, first.source) == (
        "r1",
        "Police disperse protest",
        "https://news.example.org/r1",
        "Example Wire",
    )
    assert (first.published, first.published_from) == (date(2023, 6, 2), "input")
    assert second.id == "42"
    assert third.id == Document.make_id(third.text) and third.published is None
    (warning,) = problems
    assert (warning.code, warning.severity, warning.origin) == ("W103", "warning", f"{path}:4")
    assert warning.doc_id == third.id


def test_a_record_may_say_where_its_source_is(tmp_path) -> None:
    path = tmp_path / "homes.jsonl"
    lines = [
        {"id": "a", "text": "Council meets.", "source_home": [["USA", "Ohio"]]},
        {"id": "b", "text": "Council meets again.", "source_home": "Ohio"},
        {"id": "c", "text": "Council meets once more.", "source_home": [["USA"]]},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    docs, problems = run([path])
    assert [d.source_home for d in docs] == [[("USA", "Ohio")], [], []]
    assert [(p.code, p.severity, p.doc_id) for p in problems] == [
        ("W104", "warning", "b"),
        ("W104", "warning", "c"),
    ]
    assert "[[\"USA\", \"Ohio\"]]" in problems[0].message


def test_rss_feed_items_become_documents() -> None:
    docs, problems = run([FIXTURES / "feed.rss"])
    assert problems == []
    assert [d.title for d in docs] == [
        "Drone strike hits fuel depot",
        "Talks resume in the capital",
    ]
    drone = docs[0]
    assert drone.text == (
        "Drone strike hits fuel depot\n\nA drone struck a fuel depot outside the city "
        "overnight, officials said.\n\nNo casualties were reported."
    )
    assert (drone.published, drone.published_from) == (date(2023, 11, 22), "input")
    assert drone.url == "https://news.example.org/drone-depot"
    assert drone.source == "Example World News"
    assert drone.origin.startswith(str(FIXTURES / "feed.rss") + ":")


def test_atom_feed_with_inline_xhtml() -> None:
    docs, problems = run([FIXTURES / "feed.atom"])
    assert problems == []
    (doc,) = docs
    assert doc.text == (
        "Clashes reported near the airport\n\nFighters clashed with police near the airport "
        "on Wednesday.\n\nFlights were suspended for several hours."
    )
    assert doc.published == date(2024, 1, 10)
    assert doc.url == "https://monitor.example.org/clashes-airport"


def test_feed_parser_does_not_resolve_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    feed = tmp_path / "evil.xml"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>'
        "<rss><channel><item><title>Leak &leak; here</title>"
        "<description>Some text about the strike.</description></item></channel></rss>"
    )
    items = list(iter_inputs([str(feed)]))
    assert items
    assert all("TOP-SECRET-VALUE" not in getattr(item, "text", "") for item in items)


def test_feed_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    levels = ['<!ENTITY e0 "boom">'] + [
        f'<!ENTITY e{n} "{("&e" + str(n - 1) + ";") * 10}">' for n in range(1, 9)
    ]
    bomb = tmp_path / "bomb.rss"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(levels)}]>'
        "<rss><channel><item><title>&e8;</title></item></channel></rss>"
    )
    items = list(iter_inputs([str(bomb)]))
    assert all(len(getattr(item, "text", "")) < 1000 for item in items)


def test_declared_and_bom_encodings_need_no_guessing(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    html = (FIXTURES / "article.html").read_text().replace("utf-8", "windows-1252")
    page.write_bytes(html.replace("eastern town on", "eastern town — café — on").encode("cp1252"))
    wide = tmp_path / "wide.txt"
    wide.write_bytes("Café owners said. ".encode("utf-16") + BODY.encode("utf-16-le"))
    docs, problems = run([page, wide])
    assert "café" in docs[0].text
    assert docs[1].text == "Café owners said. " + BODY
    assert [(Path(p.origin).name, p.code) for p in problems] == [("wide.txt", "W101")]


def test_content_sniffing_beats_unknown_extension(tmp_path: Path) -> None:
    page = tmp_path / "download.dat"
    page.write_text((FIXTURES / "article.html").read_text())
    feed = tmp_path / "feed.txt"
    feed.write_text((FIXTURES / "feed.rss").read_text())
    docs, problems = run([page, feed])
    assert problems == []
    assert [d.title for d in docs] == [
        "Shelling hits market in eastern town",
        "Drone strike hits fuel depot",
        "Talks resume in the capital",
    ]


def test_folder_is_walked_recursively_in_sorted_order_without_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z text. " + BODY)
    (tmp_path / "b" / "a.txt").write_text("A text. " + BODY)
    (tmp_path / "c.txt").write_text("C text. " + BODY)
    (tmp_path / ".hidden.txt").write_text("Hidden. " + BODY)
    (tmp_path / ".git" / "x.txt").write_text("Git. " + BODY)
    docs, problems = run([tmp_path])
    assert problems == []
    assert [Path(d.origin or "").relative_to(tmp_path).as_posix() for d in docs] == [
        "b/a.txt",
        "b/z.txt",
        "c.txt",
    ]


def test_stdin_text_and_jsonl() -> None:
    docs, problems = run(["-"], stdin=io.StringIO(BODY + "\n\nAdvertisement\n"))
    assert problems == [] and [d.text for d in docs] == [BODY]
    assert docs[0].origin == "<stdin>"
    lines = "\n".join(json.dumps({"id": f"s{n}", "text": BODY}) for n in range(3))
    docs, problems = run(["-"], stdin=io.BytesIO(lines.encode()))
    assert problems == []
    assert [(d.id, d.origin) for d in docs] == [(f"s{n}", f"<stdin>:{n + 1}") for n in range(3)]


def test_published_argument_only_fills_missing_dates() -> None:
    docs, _ = run([FIXTURES / "records.jsonl", FIXTURES / "feed.atom"], published=date(2020, 5, 5))
    by_origin = {Path(d.origin or "").name: d for d in docs}
    assert by_origin["records.jsonl:1"].published == date(2023, 6, 2)
    assert by_origin["records.jsonl:2"].published_from == "cli"
    assert by_origin["records.jsonl:2"].published == date(2020, 5, 5)
    assert by_origin["feed.atom:6"].published_from == "input"


# --------------------------------------------------------------------------- bad input


def test_every_bad_input_gives_one_problem_and_the_rest_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    only_junk = tmp_path / "junk.txt"
    only_junk.write_text("Advertisement\n\n  \nBack to top button\n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    huge = tmp_path / "huge.txt"
    huge.write_text(BODY * 60)  # over the small limit below
    records = tmp_path / "mixed.jsonl"
    records.write_text(
        json.dumps({"id": "ok", "text": BODY})
        + "\n{not json\n"
        + json.dumps({"id": "x", "body": "no text field"})
        + "\n"
        + json.dumps(["a", "list"])
        + "\n"
    )
    no_article = tmp_path / "scripts.html"
    no_article.write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    broken_feed = tmp_path / "broken.rss"
    broken_feed.write_text("<?xml version='1.0'?><rss><channel><item><title>x</item></rss>")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(("Café owners in Zürich said " + BODY).encode("latin-1"))
    missing = tmp_path / "missing.txt"
    nul_name = str(tmp_path / "bad\x00name.txt")

    paths = [good, empty, only_junk, binary, huge, records, no_article, broken_feed, fifo]
    docs, problems = run([*paths, latin, missing, nul_name], max_bytes=5000)

    assert [Path(d.origin or "").name for d in docs] == ["good.txt", "mixed.jsonl:1", "latin.txt"]
    assert docs[2].text.startswith("Café owners in Zürich said")
    found = {(Path(p.origin).name, p.code, p.severity) for p in problems}
    assert found == {
        ("empty.txt", "E102", "error"),
        ("junk.txt", "E102", "error"),
        ("image.txt", "E103", "error"),
        ("huge.txt", "E104", "error"),
        ("mixed.jsonl:2", "E105", "error"),
        ("mixed.jsonl:3", "E106", "error"),
        ("mixed.jsonl:4", "E105", "error"),
        ("scripts.html", "E107", "error"),
        ("broken.rss", "E108", "error"),
        ("pipe.txt", "E109", "error"),
        ("latin.txt", "W101", "warning"),
        ("missing.txt", "E101", "error"),
        ("bad\x00name.txt", "E101", "error"),
    }
    assert len(problems) == len(found)  # exactly one problem per bad input
    (w101,) = [p for p in problems if p.code == "W101"]
    assert w101.doc_id == docs[2].id and "cp1252" in w101.message
    jsonl_lines = sorted(p.message for p in problems if p.code in {"E105", "E106"})
    assert any("Line 2" in m for m in jsonl_lines) and any("Line 3" in m for m in jsonl_lines)


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(BODY)
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    docs, problems = run([locked])
    assert docs == []
    assert [(p.code, p.origin) for p in problems] == [("E109", str(locked))]
    assert "Permission denied" in problems[0].message


def test_cyrillic_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = (
        "Боевики атаковали армейский пост на севере страны в субботу. "
        "По словам представителя армии, погибли четыре солдата и ещё шестеро ранены. "
    ) * 3
    legacy = tmp_path / "news.txt"
    legacy.write_bytes(text.encode("cp1251"))
    docs, problems = run([legacy])
    assert docs[0].text == text.strip()
    assert [p.code for p in problems] == ["W101"]


def test_text_of_twenty_megabytes_is_processed(tmp_path: Path) -> None:
    assert DEFAULT_MAX_BYTES > 20 * 1024 * 1024
    paragraph = (BODY + " ") * 4 + "\n\n"
    big = tmp_path / "long.txt"
    big.write_text(paragraph * (21 * 1024 * 1024 // len(paragraph) + 1))
    docs, problems = run([big])
    assert problems == []
    assert len(docs[0].text) > 20 * 1024 * 1024


def test_seed_article(seed_path: Path) -> None:
    docs, problems = run([seed_path])
    assert problems == []
    (doc,) = docs
    assert "Back to top button" not in doc.text
    assert doc.title and doc.text.startswith(doc.title)
    assert doc.text.endswith("since Oct. 17.")


# --------------------------------------------------------------------------- robustness

SUFFIXES = ["", ".txt", ".html", ".jsonl", ".xml", ".rss", ".atom", ".bin"]
MARKUP_PREFIXES = ["", "<?xml version='1.0'?>", "<!doctype html><html>", "<rss>", "<feed>", "{"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(
        st.binary(max_size=600),
        st.builds(
            lambda prefix, body: (prefix + body).encode("utf-8", errors="replace"),
            st.sampled_from(MARKUP_PREFIXES),
            st.text(max_size=300),
        ),
    ),
    suffix=st.sampled_from(SUFFIXES),
)
def test_random_input_never_raises(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        items = list(iter_inputs([str(path), "-"], stdin=io.BytesIO(content)))
    assert items
    assert all(isinstance(item, (Document, Problem)) for item in items)
    for item in items:
        if isinstance(item, Document):
            assert item.id and item.text


def jsonl_lines(*records: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


def test_a_lone_surrogate_is_replaced_with_a_warning_and_poisons_nothing() -> None:
    good = [{"id": f"g{n}", "text": f"Rebels attacked post {n} on Monday."} for n in range(3)]
    # json.dumps writes the lone surrogate as the escape "\udcc2", as the producer did
    data = jsonl_lines(good[0], {"id": "bad", "text": "Police fired \udcc2 on protesters.", "title": "T\ud800"}, *good[1:])
    docs, problems = run(["-"], stdin=io.BytesIO(data))
    assert [d.id for d in docs] == ["g0", "bad", "g1", "g2"]
    assert docs[1].text == "Police fired \ufffd on protesters." and docs[1].title == "T\ufffd"
    assert [(p.origin, p.code, p.severity) for p in problems] == [("<stdin>:2", "W105", "warning")]
    for doc in docs:
        doc.text.encode("utf-8")


@pytest.mark.parametrize("name", ["records.json", "records.txt", "records", "-"])
def test_jsonl_is_detected_by_content_line_by_line(tmp_path: Path, name: str) -> None:
    data = jsonl_lines(
        {"id": "a", "text": "Troops shelled a village on Monday."},
        '{"id": "b", "text": "cut off',
        {"id": "c", "text": "Police arrested two men on Tuesday."},
        {"id": "d", "text": 42},
    )
    path = tmp_path / name
    if name != "-":
        path.write_bytes(data)
    docs, problems = run([path if name != "-" else "-"], stdin=io.BytesIO(data))
    origin = "<stdin>" if name == "-" else str(path)
    assert [d.id for d in docs] == ["a", "c"]
    assert [(p.origin, p.code) for p in problems] == [(f"{origin}:2", "E105"), (f"{origin}:4", "E111")]
    assert "a number, not a string" in problems[1].message and "no 'text'" not in problems[1].message


def test_a_feed_with_one_broken_item_keeps_the_others(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        "<?xml version='1.0'?><rss><channel><title>Wire</title>\n"
        "<item><title>Rebels seized a town</title><description>Rebels seized a town on Monday.</description></item>\n"
        "<item><title>Broken & <b>unclosed</title></item>\n"
        "<item><title>Police fired on protesters</title><description>Police fired on protesters on Friday.</description></item>\n"
        "</channel></rss>\n"
    )
    docs, problems = run([feed])
    # the broken item comes back as far as the parser recovered it, and is reported once
    titles = [d.title for d in docs]
    assert titles[0] == "Rebels seized a town" and titles[-1] == "Police fired on protesters"
    assert len(problems) == 1 and problems[0].code == "E112" and problems[0].origin.startswith(f"{feed}:")


def test_a_number_too_long_for_python_is_one_bad_line() -> None:
    data = jsonl_lines({"id": "a", "text": "Troops fired on protesters."}) + b'{"id": ' + b"9" * 5000 + b', "text": "x"}\n'
    docs, problems = run(["-"], stdin=io.BytesIO(data))
    assert [d.id for d in docs] == ["a"]
    assert [(p.origin, p.code) for p in problems] == [("<stdin>:2", "E105")] and "too long" in problems[0].message
