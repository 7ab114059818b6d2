"""Hostile input over every ingest format: text, HTML, JSONL (as .jsonl, as .json and on
stdin), RSS/Atom and folders, with random bytes, truncations, huge tokens, deep nesting,
NULs, lone surrogates, broken UTF-8 and repeated lines.

Whatever the input, the batch finishes; every problem names its file (and, for JSONL, its
line), with at most one error per file or line; no good document beside the hostile ones
is lost; and every text that leaves ingest, and every output line of extraction, is valid
UTF-8. The extraction half also asserts that no document fails (no E201/E202).

CI runs a few derandomised examples (well under a minute). A nightly-size run sets
EVENTLINE_FUZZ_EXAMPLES, e.g. EVENTLINE_FUZZ_EXAMPLES=2000; the extraction half then runs a
tenth as many, and the examples are random instead of fixed.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventline.ingest import iter_inputs
from eventline.model import Document, Problem
from eventline.output import write_records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
NIGHTLY = int(os.environ.get("EVENTLINE_FUZZ_EXAMPLES", "0"))
INGEST_EXAMPLES = NIGHTLY or 30
EXTRACT_EXAMPLES = max(3, NIGHTLY // 10) if NIGHTLY else 3
# problems about one JSONL line or feed item
LINE_CODES = frozenset({"E105", "E106", "E111", "E112", "W103", "W104", "W105"})
SUFFIXES = [".txt", ".html", ".jsonl", ".json", ".xml", ".rss", ".atom", "", ".md"]
GOOD_LINES = [
    {"id": f"good-{n}", "text": text, "published": "2024-03-04"}
    for n, text in enumerate(
        [
            "Gunmen attacked a police post in Gao on Sunday, killing three officers.",
            "Protesters marched in Lagos on Monday against fuel prices, police said.",
            "Shelling hit a market in Kharkiv on Tuesday, wounding five people.",
            "Troops clashed with rebels near Goma on Wednesday, the army said.",
        ]
    )
]


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not NIGHTLY,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---- hostile content ------------------------------------------------------------------------
def _good_bytes() -> list[bytes]:
    files = [path.read_bytes() for path in sorted(FIXTURES.iterdir())]
    return files + [(json.dumps(line) + "\n").encode() for line in GOOD_LINES]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A good input, damaged in one of the ways hostile or broken inputs are."""
    base = draw(st.sampled_from(_good_bytes()))
    cut = draw(st.integers(0, len(base)))
    kind = draw(
        st.sampled_from(["truncate", "nul", "splice", "repeat", "bad-utf8", "surrogate", "flip"])
    )
    if kind == "truncate":
        return base[:cut]
    if kind == "nul":
        return base[:cut] + b"\x00" * draw(st.integers(1, 5)) + base[cut:]
    if kind == "splice":
        return base[:cut] + draw(st.binary(max_size=200)) + base[cut:]
    if kind == "repeat":
        return base * draw(st.integers(2, 300))
    if kind == "bad-utf8":
        return base[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) + base[cut:]
    if kind == "surrogate":
        return base.replace(b"Gao", b"Gao \\udcc2").replace(b"police", b"\\ud83d police")
    position = min(cut, len(base) - 1) if base else 0
    return base[:position] + bytes([draw(st.integers(0, 255))]) + base[position + 1 :]


@st.composite
def extreme(draw: st.DrawFn, scale: int) -> bytes:
    """Inputs built to hurt parsers: huge tokens, deep nesting, control characters."""
    depth = draw(st.integers(1, scale))
    kind = draw(st.sampled_from(["token", "json-deep", "html-deep", "xml-deep", "controls", "lines"]))
    if kind == "token":
        char = draw(st.sampled_from(["a", "9", "[", "-", ".", " ", "é", "\u200b"]))
        return ("Troops fired on protesters. " + char * depth * 10).encode()
    if kind == "json-deep":
        return ('{"text": "Rebels attacked.", "x": ' + "[" * depth + "]" * depth + "}\n").encode()
    if kind == "html-deep":
        return ("<html><body>" + "<div>" * depth + "Troops attacked a village." + "</div>" * depth).encode()
    if kind == "xml-deep":
        return ("<rss><channel><item><title>Clashes</title>" + "<x>" * depth + "</x>" * depth + "</item></channel></rss>").encode()
    if kind == "controls":
        return bytes(draw(st.lists(st.integers(0, 31), min_size=1, max_size=depth))) + b"Police arrested two men."
    return b"Soldiers were killed in an ambush near Gao.\n" * depth


def hostile(scale: int) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=3000), mutated(), extreme(scale))


@st.composite
def batch(draw: st.DrawFn, scale: int) -> tuple[list[tuple[str, bytes]], list[bytes]]:
    """Hostile files with names, and hostile JSONL lines to mix among good ones."""
    files = draw(
        st.lists(st.tuples(st.sampled_from(SUFFIXES), hostile(scale)), min_size=1, max_size=4)
    )
    named = [(f"hostile{n}{suffix}", content) for n, (suffix, content) in enumerate(files)]
    lines = draw(st.lists(hostile(scale).map(lambda b: b.replace(b"\n", b" ")), max_size=3))
    return named, lines


# ---- the batch and what must hold ------------------------------------------------------------
def good_jsonl(hostile_lines: list[bytes]) -> bytes:
    """The good lines with the hostile ones between them (never more hostile than good)."""
    out = []
    for n, line in enumerate(GOOD_LINES):
        out.append(json.dumps(line).encode())
        if n < len(hostile_lines):
            out.append(hostile_lines[n])
    return b"\n".join(out) + b"\n"


def write_batch(root: Path, files: list[tuple[str, bytes]], lines: list[bytes]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    folder = root / "in"
    (folder / "nested").mkdir(parents=True)
    for path in FIXTURES.iterdir():
        shutil.copy(path, folder / path.name)
    for name, content in files:
        (folder / "nested" / name).write_bytes(content)
    (folder / "mixed.json").write_bytes(good_jsonl(lines))  # JSONL by content, not by name
    return folder


@cache
def good_ids() -> frozenset[str]:
    """The documents the good inputs give on their own."""
    items = list(iter_inputs([str(FIXTURES)]))
    ids = {item.id for item in items if isinstance(item, Document)}
    return frozenset(ids | {line["id"] for line in GOOD_LINES})


def read_all(folder: Path, stdin: bytes) -> list[Document | Problem]:
    return list(iter_inputs([str(folder), "-"], stdin=io.BytesIO(stdin)))


def check(items: list[Document | Problem], folder: Path) -> None:
    ids = {item.id for item in items if isinstance(item, Document)}
    assert good_ids() <= ids, f"lost: {sorted(good_ids() - ids)}"
    errors: Counter[str] = Counter()
    for item in items:
        if isinstance(item, Document):
            for value in (item.text, item.title, item.url, item.source, item.id):
                (value or "").encode("utf-8")  # strict: no lone surrogates
            continue
        assert item.origin.startswith((str(folder), "<stdin>")), item
        if item.code in LINE_CODES:  # about one line: the origin is "file:line"
            assert re.fullmatch(r".+:\d+", item.origin), item
        if item.severity == "error":
            errors[item.origin] += 1
    assert not [origin for origin, count in errors.items() if count > 1], errors


@fuzz_settings(INGEST_EXAMPLES)
@given(batch(scale=5000))
def test_hostile_inputs_never_stop_ingest_nor_cost_good_documents(tmp_path_factory, case) -> None:
    files, lines = case
    root = tmp_path_factory.mktemp("fuzz", numbered=True)
    folder = write_batch(root, files, lines)
    check(read_all(folder, good_jsonl(lines)), folder)


@cache
def pipeline():  # noqa: ANN201 - loaded once for every example
    from eventline.pipeline import Pipeline

    return Pipeline()


@fuzz_settings(EXTRACT_EXAMPLES)
@given(batch(scale=300))
def test_extraction_of_hostile_batches_finishes_with_valid_utf8(tmp_path_factory, case) -> None:
    from eventline.engines.local import run_extract
    from eventline.model import Result

    files, lines = case
    root = tmp_path_factory.mktemp("fuzz-extract", numbered=True)
    folder = write_batch(root, files, lines)
    items = read_all(folder, good_jsonl(lines))
    check(items, folder)
    outputs = list(run_extract(iter(items), pipeline_factory=lambda _files: pipeline()))
    failures = [p for out in outputs for p in (out.problems if isinstance(out, Result) else [out])]
    assert not [p for p in failures if p.code in ("E201", "E202")], failures
    records = [r.to_dict() for out in outputs if isinstance(out, Result) for r in [*out.events, *out.claims]]
    text = io.StringIO()
    write_records(records, "jsonl", text)
    for line in text.getvalue().encode("utf-8").splitlines():  # strict encoding above
        json.loads(line.decode("utf-8"))
    stored = {out.document.id for out in outputs if isinstance(out, Result)}
    assert good_ids() <= stored
