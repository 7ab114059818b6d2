"""Read actor and agent dictionaries in the PETRARCH/TABARI text format.

`.actors` files: an entry opens with a name line (words joined by "_"), "+ALIAS" lines add
names, and codes in brackets follow on the name line or on indented lines; a code may carry a
date restriction: "[FRAGOV 810521-950517]", "[USAGOV >20090120]" (from), "[RUSGOV <991231]"
(until). Name lines with no code before the next name line share the codes that follow ("U.N._"
then "UN_SECRETARY_GENERAL" then "[IGOUNO]"). A code without a date is the default outside
every dated range.

`.agents` files: "NAME {PLURAL ...} [~SECTOR]" lines and substitution sets
("!PERSON! = MAN, MEN, WOMAN") expanded where a name uses them ("BUSINESS!PERSON!").

Both readers return what they could read and a list of line errors (file and line), so one
malformed line never stops the rest of a dictionary from loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_BRACKET = re.compile(r"\[([^\]]*)\]")
_PLURALS = re.compile(r"\{([^}]*)\}")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"^[A-Z][A-Z0-9]{2}[A-Z0-9]*$")
_SUBSTITUTION = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
NO_CODE = "---"


@dataclass(frozen=True)
class DatedCode:
    """A CAMEO actor code valid from `start` to `end` (either open), or always if both None."""

    code: str
    start: date | None = None
    end: date | None = None
    # the other members of a compound actor ("[FRO/BIL/SAM]": FRO, then BIL and SAM)
    members: tuple[str, ...] = ()

    def holds(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class ActorRecord:
    """One entry of an .actors file: its names (the first is the main one) and codes."""

    names: list[str]
    line: int
    codes: list[DatedCode] = field(default_factory=list)
    uncoded: bool = False  # "[---]": known on purpose as no actor


@dataclass(frozen=True)
class AgentRecord:
    """One line of an .agents file: the noun forms and the sector code they give."""

    names: tuple[str, ...]
    code: str
    line: int


@dataclass(frozen=True)
class LineError:
    line: int
    detail: str


def clean_name(raw: str) -> list[str]:
    """A dictionary phrase as words ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_"), plus the acronym it
    gives in parentheses as a name of its own."""
    acronyms = [a.strip(" _") for a in re.findall(r"\(([^)]*)\)", raw)]
    text = re.sub(r"\([^)]*\)", " ", raw).replace("_", " ")
    name = " ".join(text.split()).strip(" -")
    return [n for n in [name, *acronyms] if n]


def parse_date(text: str) -> date:
    """YYMMDD (years below 30 are 20xx) or YYYYMMDD; ValueError otherwise."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year < 30 else 1900 + year}{text[2:]}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def parse_code(raw: str) -> DatedCode | None:
    """One bracket's content: "FRAGOV 810521-950517", "USAGOV >20090120", "IGOUNO", "---".
    None for an explicit no-code; ValueError for a malformed code or date."""
    parts = raw.split()
    if not parts:
        raise ValueError("empty code []")
    # "[FRO/BIL/SAM]": a compound actor, coded by its first member with the others kept
    code, *members = [c.upper() for c in parts[0].lstrip("~").split("/")]
    if code == NO_CODE:
        return None
    for each in (code, *members):
        if not _CODE.match(each):
            raise ValueError(f"code {parts[0]!r} is not a CAMEO actor code such as FRAGOV")
    restriction = "".join(parts[1:])
    if not restriction:
        return DatedCode(code, members=tuple(members))
    if restriction.startswith(">"):
        return DatedCode(code, start=parse_date(restriction[1:]), members=tuple(members))
    if restriction.startswith("<"):
        return DatedCode(code, end=parse_date(restriction[1:]), members=tuple(members))
    first, dash, last = restriction.partition("-")
    if not dash:
        raise ValueError(f"date restriction {restriction!r} is not >DATE, <DATE or DATE-DATE")
    return DatedCode(
        code, start=parse_date(first), end=parse_date(last), members=tuple(members)
    )


def _lines(text: str) -> list[tuple[int, str]]:
    """(line number, content without comments), blank lines dropped; numbers count from 1."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].rstrip()
        if content.strip():
            out.append((number, content))
    return out


def read_actors(text: str) -> tuple[list[ActorRecord], list[LineError]]:
    """The entries of an .actors file, and the lines that could not be read."""
    records: list[ActorRecord] = []
    errors: list[LineError] = []
    current: ActorRecord | None = None
    for number, line in _lines(text):
        stripped = line.strip()
        if stripped.startswith("+"):
            if current is None:
                errors.append(LineError(number, "an alias line ('+') before any actor name"))
            else:
                current.names.extend(clean_name(_BRACKET.sub(" ", stripped[1:])))
                _add_codes(current, stripped, number, errors)
            continue
        if stripped.startswith("["):
            if current is None:
                errors.append(LineError(number, "a code line before any actor name"))
            else:
                _add_codes(current, stripped, number, errors)
            continue
        names = clean_name(_BRACKET.split(stripped)[0])
        if not names:
            errors.append(LineError(number, "no actor name before the code"))
            current = None
            continue
        if (
            current is not None
            and not current.codes
            and not current.uncoded
            and not _BRACKET.search(stripped)
        ):
            current.names.extend(names)  # consecutive names share the codes that follow
            continue
        current = ActorRecord(names=names, line=number)
        records.append(current)
        _add_codes(current, stripped, number, errors)
    for record in records:
        if not record.codes and not record.uncoded:
            errors.append(LineError(record.line, f"actor {record.names[0]!r} has no code"))
    return [r for r in records if r.codes], errors


def _add_codes(record: ActorRecord, line: str, number: int, errors: list[LineError]) -> None:
    if line.count("[") != line.count("]"):
        errors.append(LineError(number, "unbalanced brackets"))
        return
    for raw in _BRACKET.findall(line):
        try:
            code = parse_code(raw)
        except ValueError as error:
            errors.append(LineError(number, str(error)))
            continue
        if code is not None:
            record.codes.append(code)
        else:
            record.uncoded = True


def read_agents(text: str) -> tuple[list[AgentRecord], list[LineError]]:
    """The agent nouns of an .agents file with their sector codes, and unreadable lines."""
    substitutions: dict[str, list[str]] = {}
    records: list[AgentRecord] = []
    errors: list[LineError] = []
    for number, line in _lines(text):
        stripped = line.strip()
        found = _SUBSTITUTION.match(stripped)
        if found:
            substitutions[found.group(1)] = [w.strip() for w in found.group(2).split(",")]
            continue
        codes = _BRACKET.findall(stripped)
        if not codes:
            errors.append(LineError(number, "no [~CODE] on the agent line"))
            continue
        code = codes[0].strip().strip("~").upper()
        if not re.fullmatch(r"[A-Z]{3}(?:[A-Z]{3})*", code):
            errors.append(LineError(number, f"code {codes[0]!r} is not a sector code like ~MIL"))
            continue
        head = _BRACKET.split(stripped)[0]
        plurals = " ".join(_PLURALS.findall(head)).split()
        base = _PLURALS.sub(" ", head).strip()
        if not base:
            errors.append(LineError(number, "no agent noun before the code"))
            continue
        forms = [*_expand(base, substitutions), *plurals]
        names = tuple(dict.fromkeys(n for f in forms for n in clean_name(f)[:1]))
        records.append(AgentRecord(names, code, number))
    return records, errors


def _expand(phrase: str, substitutions: dict[str, list[str]]) -> list[str]:
    """ "BUSINESS!PERSON!" -> BUSINESSMAN, BUSINESSMEN, ..."""
    found = re.search(r"![A-Z]+!", phrase)
    if found is None:
        return [phrase]
    words = substitutions.get(found.group(0))
    if not words:
        return [phrase.replace(found.group(0), "")]
    return [
        expanded
        for word in words
        for expanded in _expand(phrase[: found.start()] + word + phrase[found.end() :], substitutions)
    ]
