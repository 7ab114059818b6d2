"""The event model's training table: labelled sentences from every source, with the document
each comes from (every split holds out whole documents) and a weight (gold above silver).

Sources (read from the shared data folder, never copied into the project):

- PLOVER GSR (gold): one PLOVER type per sentence; the other types are negatives.
- PETRARCH unit-test records (gold): CAMEO codes mapped to PLOVER types
  (CAMEO2PLOVER-2021.txt); a record with no coding is a sentence with no event.
- ConfliBERT CAMEO (gold): QuadClass; class 0 is "no event", and every PLOVER type of
  another QuadClass is a negative.
- CASE 2021 (gold): ACLED sub-event type; every snippet reports an event.
- ngec_voa (silver, weighted below gold): verified quotes are positives of their type; types
  the screen did not propose for the article, and types verification rejected, are
  negatives, weighted by how often the screen is known to miss a real one; the screen's own
  quotes are weak positives.
- TimeBank articles (unlabelled): their sentences, datelines and bylines included, are weak
  "no event" examples, for the "any event" head and for every PLOVER type head (without
  them the type heads never read text that reports nothing, and gave a type to 0.74 of
  held-out TimeBank sentences).
- A user's JSONL files (`load_user_examples`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventline.extraction.labels import AcledLabels, plover_quad_classes

PLOVER_TYPES = (
    "ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
    "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN",
)  # fmt: skip
GOLD, SILVER, SCREEN, UNLABELLED = 1.0, 0.5, 0.25, 0.3
# an unlabelled sentence as a negative of every PLOVER type: below UNLABELLED, since a
# sentence of a news article may still report an event of some type (docs/model-card.md)
UNLABELLED_TYPE = 0.1
# unlabelled sentences need this many words: short ones are datelines ("HAVANA (AP) --"),
# bylines and replies, the furniture a news page is full of
UNLABELLED_MIN_WORDS = 2
CASE_PLOVER = True
# share of real positives the ngec_voa screen missed, per type (its README): an implied
# negative counts for (1 - miss) of a silver label
SCREEN_MISS = {
    "PROTEST": 0.02, "THREATEN": 0.02, "MOBILIZE": 0.05, "RETREAT": 0.05, "AGREE": 0.08,
    "AID": 0.08, "CONCEDE": 0.08, "COOPERATE": 0.08, "REJECT": 0.08, "ASSAULT": 0.12,
    "COERCE": 0.12, "REQUEST": 0.12, "SUPPORT": 0.12, "CONSULT": 0.17, "SANCTION": 0.26,
    "ACCUSE": 0.36,
}  # fmt: skip
VOA_DIR = Path("train") / "ngec_voa"
CAMEO_TABLE = Path("reference") / "CAMEO2PLOVER-2021.txt"
_CAMEO_ROW = re.compile(r"^(\d{2,4}):\s*([A-Z]+)")


@dataclass
class Example:
    """One labelled sentence. `plover` holds type -> (1 present / 0 absent, weight) for the
    types whose answer is known; `event` says whether any political event is reported."""

    text: str
    group: str  # the document: every split keeps a document's sentences together
    origin: str
    event: tuple[int, float] | None = None
    plover: dict[str, tuple[int, float]] = field(default_factory=dict)
    quad_class: tuple[int, float] | None = None
    acled_sub_event: tuple[str, float] | None = None


def shared_root(data_dir: Path) -> Path:
    """The shared folder from its eval/dev folder (the evaluation's data argument)."""
    return data_dir.parent.parent if data_dir.name == "dev" else data_dir


def training_examples(data_dir: Path, user_files: Sequence[Path] = ()) -> list[Example]:
    """Every example, sorted by origin and text so that training is deterministic."""
    root = shared_root(data_dir)
    dev = root / "eval" / "dev"
    examples: list[Example] = []
    for loader in (_plover_gsr, _petrarch, _conflibert, _case2021, _timebank):
        examples += loader(dev)
    if (root / VOA_DIR).is_dir():
        examples += voa_examples(root / VOA_DIR)
    for path in user_files:
        examples += load_user_examples(path)
    return _merged(examples)


def _all_types(positive: Iterable[str], weight: float) -> dict[str, tuple[int, float]]:
    present = set(positive)
    return {t: (int(t in present), weight) for t in PLOVER_TYPES}


def _plover_gsr(dev: Path) -> list[Example]:
    from eventline.evaluation import plover_gsr

    if not (dev / plover_gsr.FILE_NAME).is_file():
        return []
    quad_of = plover_quad_classes()
    return [
        Example(
            text=r.text,
            group=f"gsr:{r.text}",
            origin="plover_gsr",
            event=(1, GOLD),
            plover=_all_types([r.event], GOLD) if r.event in PLOVER_TYPES else {},
            quad_class=(quad_of[r.event], GOLD) if r.event in quad_of else None,
        )
        for r in plover_gsr.load(dev)
    ]


def cameo_to_plover(root: Path) -> dict[str, str]:
    """CAMEO code (2-4 digits) -> PLOVER type, from the PLOVER project's table."""
    path = root / CAMEO_TABLE
    table: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _CAMEO_ROW.match(line.strip())
            if match and match.group(2) in PLOVER_TYPES:
                table[match.group(1)] = match.group(2)
    return table


def plover_of_cameo(code: str, table: dict[str, str]) -> str | None:
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            return table[code[:length]]
    return None


def _petrarch(dev: Path) -> list[Example]:
    from eventline.evaluation import petrarch

    if not (dev / petrarch.FOLDER / petrarch.RECORDS_FILE).is_file():
        return []
    table = cameo_to_plover(dev.parent.parent)
    quad_of = plover_quad_classes()
    out = []
    for record in petrarch.load(dev):
        types = {plover_of_cameo(code, table) for _, _, code in record.triples} - {None}
        quads = sorted({quad_of[t] for t in types if t})
        out.append(
            Example(
                text=record.text,
                group=f"petrarch:{record.text}",
                origin="petrarch",
                event=(int(bool(record.triples)), GOLD if record.triples else SILVER),
                plover=_all_types([t for t in types if t], GOLD) if types or not record.triples else {},
                # silver: reached through two code tables (CAMEO -> PLOVER -> QuadClass); as
                # gold it lowered ConfliBERT QuadClass accuracy 0.8685 -> 0.8603 (5-fold)
                quad_class=(quads[0], SILVER) if len(quads) == 1 else None,
            )
        )
    return out


def _conflibert(dev: Path) -> list[Example]:
    from eventline.evaluation import conflibert

    if not (dev / conflibert.CLASS_FILE).is_file():
        return []
    quad_of = plover_quad_classes()
    out = []
    for record in conflibert.load_classes(dev):
        quad = record.quad_class
        # a type of another QuadClass cannot be this sentence's event
        negatives = {t: (0, SILVER) for t in PLOVER_TYPES if quad_of.get(t) != quad}
        out.append(
            Example(
                text=record.text,
                group=f"conflibert:{record.text}",
                origin="conflibert",
                event=(int(quad > 0), GOLD),
                plover=negatives,
                quad_class=(quad, GOLD),
            )
        )
    return out


# an ACLED sub-event type names a PLOVER type when at least this many trigger words of the
# lexicon carry it and all of them name that type
SUB_EVENT_MIN_TRIGGERS = 5


def plover_of_sub_event() -> dict[str, str]:
    """ACLED sub-event type -> the PLOVER type every trigger word with that sub-event type
    names in eventline/data/triggers.csv (Armed clash -> ASSAULT, Arrests -> COERCE)."""
    from collections import Counter

    from eventline.extraction.lexicon import get_lexicon

    lexicon = get_lexicon()
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in [*lexicon.single.values(), *lexicon.multi.values()]:
        if entry.acled_sub_event_type:
            seen[entry.acled_sub_event_type][entry.event_type] += 1
    return {
        sub: next(iter(types))
        for sub, types in seen.items()
        if len(types) == 1 and sum(types.values()) >= SUB_EVENT_MIN_TRIGGERS
    }


def _case2021(dev: Path) -> list[Example]:
    """ACLED sub-event types; where the lexicon ties a sub-event type to one PLOVER type,
    that type is a silver positive (reached through a table, like PETRARCH's QuadClass)."""
    from eventline.evaluation import case2021

    if not (dev / case2021.FILE_NAME).is_file():
        return []
    labels = AcledLabels.load()
    plover_of = plover_of_sub_event() if CASE_PLOVER else {}
    out = []
    for record in case2021.load(dev):
        name = labels.name_of(record.label)
        etype = plover_of.get(name)
        out.append(
            Example(
                text=record.text,
                group=f"case:{record.text}",
                origin="case2021",
                event=(1, GOLD),
                plover={etype: (1, SILVER)} if etype else {},
                acled_sub_event=(name, GOLD),
            )
        )
    return out


def _timebank(dev: Path) -> list[Example]:
    """Sentences of news articles coded for time, not events: most report no political
    event, so they are weak negatives."""
    from eventline.evaluation import timebank
    from eventline.prefilter import split_sentences

    if not (dev / "timebank").is_dir():
        return []
    out = []
    for document in timebank.load_timebank(dev / "timebank"):
        for start, end in split_sentences(document.text):
            text = " ".join(document.text[start:end].split())
            if len(text.split()) >= UNLABELLED_MIN_WORDS:
                out.append(
                    Example(
                        text=text,
                        group=f"timebank:{document.doc_id}",
                        origin="timebank",
                        event=(0, UNLABELLED),
                        plover=_all_types([], UNLABELLED_TYPE),
                        quad_class=(0, UNLABELLED),
                    )
                )
    return out


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def voa_examples(folder: Path) -> list[Example]:
    """Quotes of the ngec_voa judgments, one example per (article, quote)."""
    screened = {row["doc_id"]: row for row in _read_jsonl(folder / "screen.jsonl")}
    verified = _read_jsonl(folder / "verify.jsonl")
    rejected: dict[str, set[str]] = defaultdict(set)
    for row in verified:
        if row.get("label") == 0:
            rejected[row["doc_id"]].add(row["event_type"])
    quotes: dict[tuple[str, str], dict[str, tuple[int, float]]] = defaultdict(dict)
    for row in verified:
        quote = " ".join((row.get("quote") or "").split())
        if row.get("label") == 1 and quote and row["event_type"] in PLOVER_TYPES:
            quotes[(row["doc_id"], quote)][row["event_type"]] = (1, SILVER)
    for doc_id, row in screened.items():
        for etype, quote in (row.get("quotes") or {}).items():
            quote = " ".join((quote or "").split())
            if quote and etype in PLOVER_TYPES and etype not in rejected[doc_id]:
                quotes[(doc_id, quote)].setdefault(etype, (1, SCREEN))
    out = []
    quad_of = plover_quad_classes()
    for (doc_id, quote), labels in sorted(quotes.items()):
        proposed = set((screened.get(doc_id) or {}).get("candidates") or [])
        known = dict(labels)
        for etype in PLOVER_TYPES:
            if etype in known:
                continue
            if etype in rejected[doc_id]:
                known[etype] = (0, SILVER)
            elif doc_id in screened and etype not in proposed:
                known[etype] = (0, SILVER * (1 - SCREEN_MISS[etype]))
        positives = [t for t, (y, _) in labels.items() if y == 1]
        quads = {quad_of[t] for t in positives}
        out.append(
            Example(
                text=quote,
                group=f"voa:{doc_id}",
                origin="ngec_voa",
                event=(1, SILVER),
                plover=known,
                quad_class=(quads.pop(), SILVER) if len(quads) == 1 else None,
            )
        )
    return out


def load_user_examples(path: Path) -> list[Example]:
    """A user's labelled sentences, one JSON object a line (docs/model-card.md):
    {"text": ..., "event_types": ["ASSAULT"] or [] for no event, "doc": optional document id,
    "quad_class": optional 0-4, "acled_sub_event_type": optional, "weight": optional}."""
    quad_of = plover_quad_classes()
    out = []
    for number, row in enumerate(_read_jsonl(path)):
        text = " ".join(str(row.get("text", "")).split())
        if not text:
            continue
        weight = float(row.get("weight", GOLD))
        types = [str(t).upper() for t in row.get("event_types", [])]
        quad = row.get("quad_class")
        if quad is None and len({quad_of.get(t) for t in types}) == 1 and types:
            quad = quad_of.get(types[0])
        sub = row.get("acled_sub_event_type")
        out.append(
            Example(
                text=text,
                group=f"user:{row.get('doc') or f'{path.name}:{number}'}",
                origin=f"user:{path.name}",
                event=(int(bool(types) or bool(sub)), weight),
                plover=_all_types(types, weight),
                quad_class=(int(quad), weight) if quad is not None else (0, weight) if not types else None,
                acled_sub_event=(str(sub), weight) if sub else None,
            )
        )
    return out


def _merged(examples: list[Example]) -> list[Example]:
    """One example per (text, group); labels of repeated texts are joined, the first answer
    for a type (gold sources load first) kept."""
    by_key: dict[tuple[str, str], Example] = {}
    for example in examples:
        key = (example.text, example.group)
        seen = by_key.get(key)
        if seen is None:
            by_key[key] = example
            continue
        for etype, label in example.plover.items():
            seen.plover.setdefault(etype, label)
        seen.event = seen.event or example.event
        seen.quad_class = seen.quad_class or example.quad_class
        seen.acled_sub_event = seen.acled_sub_event or example.acled_sub_event
    return sorted(by_key.values(), key=lambda e: (e.origin, e.group, e.text))
