"""Sniffing: what the bytes of one input are, before any reading of them.

Whether they are binary, which encoding turns them into text (byte-order mark, UTF-8, the
charset the page declares, then a guess), and which format the text is in (HTML, RSS/Atom,
JSONL or plain text) from its first characters and the file extension.

Reads: the bytes of one input and its file extension. Writes: the decoded text with the
encoding used when it was not UTF-8, and a format name. Used by eventline.ingest.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

_SNIFF_CHARS, _BINARY_SAMPLE_BYTES = 2048, 8192
_MAX_CONTROL_RATIO = 0.10
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([\w.:-]{1,40})""",
    re.IGNORECASE,
)
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|div|p|meta|title|section)\b", re.IGNORECASE
)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b", re.IGNORECASE)
# how many non-blank lines decide whether a text is JSONL
_JSONL_SAMPLE_LINES = 200
_LINE_ENDS = re.compile(r"\r\n|\r|\n")


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first few KB (UTF-16/32 text excepted)."""
    sample = data[:_BINARY_SAMPLE_BYTES]
    if any(sample.startswith(bom) for bom, codec in _BOMS if codec != "utf-8-sig"):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return control > _MAX_CONTROL_RATIO * len(sample)


def _decode(data: bytes) -> tuple[str, str | None]:
    """Text and, when it was not UTF-8, the encoding used (for the W101 warning)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), (None if codec == "utf-8-sig" else codec.upper())
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), None  # the file says what it is: no warning
        except (UnicodeDecodeError, LookupError):
            pass
    for codec in _fallback_encodings(data):
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), "latin-1"


def _declared_encoding(data: bytes) -> str | None:
    """The charset an HTML meta tag or XML declaration names, if Python knows it."""
    match = _DECLARED_CHARSET.search(data[:4096])
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name if match else None
    except LookupError:
        return None


def _fallback_encodings(data: bytes) -> list[str]:
    """Encodings to try for non-UTF-8 bytes, most likely first.

    Detectors often name some Latin code page (cp1250, cp775) for Western text that is in
    fact Windows-1252, the commonest mis-encoding in news files; so a Latin-script guess is
    replaced by cp1252, and only a guess of another script (Cyrillic, Arabic, CJK) is kept.
    """
    try:
        import charset_normalizer
    except ImportError:  # optional dependency: cp1252 and latin-1 are the fallbacks then
        return ["cp1252", "latin-1"]
    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is None or best.encoding is None or _mostly_latin(str(best)):
        return ["cp1252", "latin-1"]
    return [best.encoding, "cp1252", "latin-1"]


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin >= 0.8 * len(letters)


def _sniff_kind(text: str, suffix: str) -> str:
    """'html', 'feed', 'jsonl' or 'text' from the start of the content and the extension."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<?xml"):  # XHTML pages start like feeds do
        xhtml = not _FEED_ROOT.search(head) and ("<html" in head or suffix in HTML_SUFFIXES)
        return "html" if xhtml else "feed"
    if _FEED_ROOT.match(head):
        return "feed"
    if _HTML_START.match(head) or (suffix in HTML_SUFFIXES and "<" in head):
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in JSONL_SUFFIXES or _mostly_json_objects(text):
        return "jsonl"
    return "text"


def _mostly_json_objects(text: str) -> bool:
    """JSONL by content, line by line: at least half of the first non-blank lines are JSON
    objects. One broken line then stays one broken line (E105), whatever the file is
    called, instead of turning the whole input into one plain-text document."""
    sampled = objects = 0
    # the line ends JSONL is read by (bytes.splitlines), not str's longer list (\v, \x1c, ...)
    for line in _LINE_ENDS.split(text):
        line = line.strip()
        if not line:
            continue
        sampled += 1
        if line.startswith("{") and line.endswith("}"):
            objects += _is_json_object(line)
        if sampled >= _JSONL_SAMPLE_LINES:
            break
    return objects > 0 and 2 * objects >= sampled


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False
