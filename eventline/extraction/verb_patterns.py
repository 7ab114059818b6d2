"""Verb dictionaries in the PETRARCH/TABARI format: a verb's CAMEO code, refined by patterns of
the words around it.

The format, as the CAMEO verb dictionaries write it:
- `&NAME` opens a synonym set, `+WORD` lines are its members (a member may be another set);
- `--- NAME [CODE] ---` opens a block: the verbs listed after it (one a line, irregular forms
  in braces: `SPEED {SPEEDING SPEEDS SPED}`, `+FORM` lines adding forms) share CODE;
- `- WORDS * WORDS [CODE]` is a pattern: `*` stands for the verb, words before it must come
  before the verb in the sentence and words after it after, in order; `_` joins words that must
  be adjacent; `&NAME` matches any member of a set; the markers `$` (source), `+` (target) and
  `%` (compound actor) and the groupings `( )` and `{ }` are read as word positions only.
- `[---]` means: no event. `[042:043]` gives the code for the pattern and for its reverse
  reading; eventline uses the first part (the second when the first is empty).

The pattern with the most words matched wins; with none, the block's code. A malformed line is
recorded with its file and line (Msg.E408), and the rest of the file loads.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Token

from eventline.data_files import read_csv
from eventline.errors import ConfigError, Msg
from eventline.extraction.frames import Frame
from eventline.extraction.lexicon import EventType, Lexicon

_BRACKET = re.compile(r"\[([^\]]*)\]")
_BLOCK = re.compile(r"^-{3}\s*(.+?)\s*\[([^\]]*)\]\s*-{3}")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
CAMEO_ROOTS = "cameo_roots.csv"
MARKERS = {"$", "+", "%", "*"}
NEGATIONS = {"not", "n't", "never", "no"}
BEFORE_WINDOW, AFTER_WINDOW = 8, 14

Element = tuple[tuple[str, ...], ...]  # alternatives, each a run of adjacent words


@dataclass(frozen=True)
class Pattern:
    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: str | None  # None: the pattern says there is no event
    origin: str

    @property
    def size(self) -> int:
        return sum(max(len(a) for a in e) for e in (*self.before, *self.after))

    @property
    def negated(self) -> bool:
        """Every reading of some position of the pattern is a negation ("DID N'T", "WILL NOT")."""
        return any(
            all(NEGATIONS & set(run) for run in element) for element in (*self.before, *self.after)
        )


@dataclass
class Verb:
    code: str | None
    origin: str
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(frozen=True)
class VerbCode:
    """What the dictionary says about one verb in one sentence."""

    code: str | None
    origin: str
    verb_code: str | None = None  # the code of the verb's block, which a pattern refines
    negated: bool = False  # the pattern that matched names the verb's negation


def is_verb_dictionary(path: Path) -> bool:
    """A PETRARCH verb file: named *.verbs* or holding "--- VERB [CODE] ---" blocks."""
    if "verbs" in [p.lower() for p in path.name.split(".")[1:]]:
        return True
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(400_000)
    except OSError:
        return False
    return re.search(r"^-{3}\s*\S.*\[[^\]]*\]\s*-{3}", head, re.M) is not None


def event_code(raw: str) -> str | None:
    """ "042" -> "042"; "042:043" -> "042"; ":173" -> "173"; "---" -> None."""
    first, _, second = raw.strip().partition(":")
    code = first.strip() or second.strip()
    if not code or code.startswith("-"):
        return None
    return code


class VerbDictionary:
    """Verbs (by lower-case form) with their codes and patterns, from one or more files."""

    def __init__(self) -> None:
        self.verbs: dict[str, Verb] = {}
        self.problems: list[str] = []

    @classmethod
    def load(cls, paths: list[Path]) -> VerbDictionary:
        self = cls()
        for path in paths:
            if not Path(path).is_file():
                raise ConfigError(Msg.E409, path=str(path), detail="no such file")
            try:
                text = Path(path).read_text(encoding="utf-8", errors="replace")
            except OSError as error:
                raise ConfigError(Msg.E409, path=str(path), detail=str(error)) from error
            self.read(text, Path(path).name)
        return self

    def code_for(self, verb: Token) -> VerbCode | None:
        """The code the dictionary gives this verb here, or None if it does not list it."""
        entry = self.verbs.get(verb.lemma_.lower()) or self.verbs.get(verb.lower_)
        if entry is None:
            return None
        sent = verb.sent
        words = [_forms(t) for t in sent]
        at = verb.i - sent.start
        best: Pattern | None = None
        for pattern in entry.patterns:
            if (best is None or pattern.size > best.size) and _matches(pattern, words, at):
                best = pattern
        if best is not None:
            return VerbCode(best.code, best.origin, entry.code, best.negated)
        return VerbCode(entry.code, entry.origin)

    # ---- reading ---------------------------------------------------------------------
    def read(self, text: str, name: str) -> None:
        text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        synsets: dict[str, list[str]] = {}
        current_set: str | None = None
        block_code: str | None = None
        block_verbs: list[Verb] = []
        in_block = False
        for number, raw_line in enumerate(text.splitlines(), start=1):
            line = raw_line.split("#", 1)[0].strip()
            if not line:
                continue
            origin = f"{name}:{number}"
            try:
                if line.startswith("&"):
                    current_set = line.split()[0].rstrip("_").upper()
                    synsets.setdefault(current_set, [])
                    in_block = False
                elif line.startswith("+") and current_set is not None and not in_block:
                    synsets[current_set].append(line[1:].strip())
                elif line.startswith("---"):
                    found = _BLOCK.match(line)
                    if found is None:
                        raise ValueError("a block header must read --- NAME [CODE] ---")
                    block_code, block_verbs, in_block = event_code(found.group(2)), [], True
                    current_set = None
                elif line.startswith("-"):
                    if not block_verbs:
                        raise ValueError("a pattern before any verb of its block")
                    pattern = _pattern(line[1:], synsets, origin)
                    for verb in block_verbs:
                        verb.patterns.append(pattern)
                elif in_block:
                    block_verbs.append(self._verb_line(line, block_code, origin))
                else:
                    raise ValueError("a line outside any synonym set or verb block")
            except ValueError as error:
                self.problems.append(Msg.E408.format(path=name, line=number, detail=str(error)))

    def _verb_line(self, line: str, block_code: str | None, origin: str) -> Verb:
        """ "SPEED {SPEEDING SPEEDS SPED}", "+ANGERED_BY {}": a verb and its forms; a phrasal
        verb ("TAKE_OVER") is read at its first word. A later entry replaces an earlier one."""
        codes = _BRACKET.findall(line)
        head = _BRACKET.sub(" ", line)
        forms = " ".join(re.findall(r"\{([^}]*)\}", head)).split()
        words = re.sub(r"\{[^}]*\}", " ", head).strip().lstrip("+").split()
        if not words:
            raise ValueError("no verb on the line")
        verb = Verb(event_code(codes[0]) if codes else block_code, origin)
        for form in [words[0], *forms]:
            self.verbs[_word(form)] = verb
        return verb


def _word(text: str) -> str:
    return text.strip("_").split("_")[0].lower()


def _pattern(body: str, synsets: dict[str, list[str]], origin: str) -> Pattern:
    codes = _BRACKET.findall(body)
    if not codes:
        raise ValueError("a pattern without [CODE]")
    text = _BRACKET.sub(" ", body)
    text = re.sub(r"[(){}]", " ", text)
    tokens = text.split()
    if "*" not in [t.strip("_") for t in tokens] and not any("*" in t for t in tokens):
        raise ValueError("a pattern without * for the verb")
    before: list[Element] = []
    after: list[Element] = []
    side = before
    for token in tokens:
        parts = [p for p in re.split(r"(\*)", token) for p in [p] if p]
        for part in parts:
            if part == "*":
                side = after
                continue
            element = _element(part, synsets)
            if element:
                side.append(element)
    return Pattern(tuple(before), tuple(after), event_code(codes[-1]), origin)


def _element(token: str, synsets: dict[str, list[str]], depth: int = 0) -> Element:
    """One pattern position: a run of `_`-joined words, or the members of a synonym set."""
    words = [w for w in token.split("_") if w and w not in MARKERS]
    if not words:
        return ()
    if len(words) == 1 and words[0].startswith("&"):
        members = synsets.get(words[0].upper())
        if members is None:
            raise ValueError(f"unknown synonym set {words[0]}")
        alternatives: list[tuple[str, ...]] = []
        for member in members:
            if member.startswith("&") and depth < 4:
                alternatives.extend(_element(member.replace(" ", "_"), synsets, depth + 1))
            else:
                alternatives.append(tuple(w.lower() for w in re.split(r"[\s_]+", member) if w))
        return tuple(a for a in alternatives if a)
    if any(w.startswith("&") for w in words):
        # "&GENINT_CONVENTIONS": a set inside a run; read the run's plain words only
        words = [w for w in words if not w.startswith("&")]
    return (tuple(w.lower() for w in words),)


def _forms(token: Token) -> tuple[str, str]:
    return token.lower_, token.lemma_.lower()


def _matches(pattern: Pattern, words: list[tuple[str, str]], at: int) -> bool:
    start = max(0, at - BEFORE_WINDOW)
    return _in_order(pattern.before, words[start:at]) and _in_order(
        pattern.after, words[at + 1 : at + 1 + AFTER_WINDOW]
    )


def _in_order(elements: tuple[Element, ...], words: list[tuple[str, str]]) -> bool:
    position = 0
    for element in elements:
        found = _find(element, words, position)
        if found < 0:
            return False
        position = found
    return True


def _find(element: Element, words: list[tuple[str, str]], position: int) -> int:
    """The index after the first match of any alternative at or after `position`, or -1."""
    best = -1
    for run in element:
        for i in range(position, len(words) - len(run) + 1):
            if all(w in words[i + k] for k, w in enumerate(run)):
                end = i + len(run)
                best = end if best < 0 else min(best, end)
                break
    return best


# ---- the dictionary in the pipeline ------------------------------------------------------
def cameo_types(lexicon: Lexicon) -> dict[str, EventType]:
    """CAMEO code (full, three-digit and two-digit root) -> the PLOVER/ACLED type the trigger
    lexicon gives most often for it, and the CAMEO roots no trigger word has (cameo_roots.csv)
    with the type of the root they join: the mapping a user's verb code follows."""
    counts: dict[str, Counter[EventType]] = {}
    for etype in [*lexicon.single.values(), *lexicon.multi.values()]:
        code = etype.cameo
        for key in {code, code[:3], code[:2]}:
            counts.setdefault(key, Counter())[etype] += 1
    types = {key: found.most_common(1)[0][0] for key, found in counts.items()}
    for row in read_csv(CAMEO_ROOTS):
        # a CAMEO root the lexicon codes no word with takes the type of the root it joins
        if row["root"] not in types and row["follows"] in types:
            types[row["root"]] = types[row["follows"]]
    return types


class UserVerbs:
    """A user's verb dictionaries applied to the frames of a sentence: the verb's code (from
    its best pattern) replaces the type the trigger lexicon gave it."""

    def __init__(self, dictionary: VerbDictionary, lexicon: Lexicon) -> None:
        self.dictionary = dictionary
        self.types = cameo_types(lexicon)
        self.lexicon = copy.copy(lexicon)
        self.lexicon.single = dict(lexicon.single)
        for word, verb in dictionary.verbs.items():
            codes = [verb.code, *(p.code for p in verb.patterns)]
            etype = next((t for t in map(self.type_for, filter(None, codes)) if t), None)
            if etype is not None:  # the frame finder must see the verb as a trigger
                self.lexicon.single[(word, "VERB")] = etype

    def type_for(self, code: str) -> EventType | None:
        for key in (code, code[:3], code[:2]):
            found = self.types.get(key)
            if found is not None:
                return replace(found, cameo=code, context=(), specificity=0)
        return None

    def _type_of(self, said: VerbCode, frame: Frame) -> EventType | None:
        """The type for a verb's code. A code outside CAMEO's roots (a user's own refinement,
        "903") is kept as the event's code; its PLOVER type and QuadClass follow the verb's
        block code, else the type the trigger lexicon gave the verb."""
        code = said.code or ""
        etype = self.type_for(code)
        if etype is not None or _is_cameo(code):
            return etype
        family = self.type_for(said.verb_code) if said.verb_code else None
        if family is None and not frame.user_coded and _is_cameo(frame.etype.cameo):
            family = frame.etype
        if family is None:
            return None
        return replace(family, cameo=code, family=family.cameo, context=(), specificity=0)

    def recode(self, frames: list[Frame]) -> list[Frame]:
        """Frames with the dictionary's codes; a verb coded [---] here, or with a code that
        maps to no event type, is no event."""
        kept = []
        for frame in frames:
            said = None
            for verb in _frame_verbs(frame):
                said = self.dictionary.code_for(verb)
                if said is not None:
                    break
            if said is None:
                kept.append(frame)
                continue
            etype = self._type_of(said, frame) if said.code else None
            if etype is not None:
                frame.etype = etype
                frame.user_coded = True
                frame.negation_coded = said.negated
                kept.append(frame)
        return kept


def _is_cameo(code: str) -> bool:
    """A code under one of CAMEO's twenty roots (01-20)."""
    return code[:2].isdigit() and 1 <= int(code[:2]) <= 20


def _frame_verbs(frame: Frame) -> list[Token]:
    """The verbs a dictionary may code a frame by: its trigger, or for a noun trigger the verb
    it depends on ("restore ties", "held talks")."""
    trigger = frame.trigger
    if trigger.pos_ in ("VERB", "AUX"):
        return [trigger]
    verbs = [t for t in (frame.anchor, trigger.head) if t is not None and t.pos_ == "VERB"]
    return list(dict.fromkeys(verbs))
