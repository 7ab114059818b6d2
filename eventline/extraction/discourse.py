"""Within one article: carry context across sentences and merge the mentions of one event.

News tells one strike several times ("The United States conducted airstrikes ...", "This time,
the United States struck two facilities south of Baghdad ..."). These steps run over the
report-level mentions of one document, in document order:

1. mentions that agree on type, mode, time, actors and place become one event whose fields
   come from the most specific mention (a named group beats a description, a town beats a
   country, a day beats a week, a stated death toll beats silence);
2. a mention with no time of its own joins the earlier event it agrees with best, or else takes
   the time of the event told just before it;
3. an attack whose target is not named in its sentence takes the side its attacker fights in
   the rest of the article, with lower confidence.

Cross-document deduplication lives in eventline.dedupe; this module knows only one article.

Reads: the report-level events of one document, in order. Writes: the same events merged
within the article, with borrowed times and targets filled in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import islice

from eventline.extraction.roles import COUNTED_TYPES
from eventline.model import Actor, Event, Place
from eventline.resolve.places.geometry import haversine_km

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}
# modes that may name one attack differently (an airstrike by a drone)
COMPATIBLE_MODES = [{"aerial", "drone"}]


@dataclass
class Mention:
    """A report-level event with what merging needs to know about it."""

    event: Event
    order: int
    specificity: int = 0
    date_key: tuple[str, ...] | None = None
    inherited_date: bool = False
    merged: list[Event] = field(default_factory=list)
    last_order: int = 0  # the order of the latest mention merged into this cluster
    # present tense ("the administration blames Iran") speaks of the report's own day: such a
    # mention never borrows the time of the event told before it
    keeps_own_time: bool = False
    # the events of one coded frame split by actor pair ("Fornost and Gondor welcomed"): they
    # share this key and are never merged with each other
    frame_key: int | None = None
    # read where no trigger word names the event (a headline, eventline.extraction.decision):
    # a later mention with a trigger word gives the record its evidence sentence
    triggerless: bool = False


def km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return 0.0
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def side(actor: Actor | None) -> set[str]:
    """The countries an actor stands for: its own and its patron's."""
    if actor is None:
        return set()
    return {c for c in (actor.country, actor.affiliation) if c}


STATE_SECTORS = {"MIL", "GOV", "COP", "SPY", "JUD", "LEG"}
NON_STATE_SECTORS = {"REB", "MLA", "UAF", "CRM", "OPP"}


def actor_detail(actor: Actor | None) -> int:
    if actor is None:
        return -1
    score = sum(1 for v in (actor.country, actor.sector, actor.affiliation) if v)
    # a named group or person ("Kataib Hezbollah") is more specific than a description; a
    # bare country name ("Russia") is not more specific than "Russian forces"
    if actor.sector and actor.name and actor.text and actor.name.lower() in actor.text.lower():
        score += 2
    return score


def _opposed(a: Actor, b: Actor) -> bool:
    """A state force and a non-state group of one country are two actors (a civil war)."""
    kinds = {s in STATE_SECTORS for s in (a.sector, b.sector) if s in STATE_SECTORS | NON_STATE_SECTORS}
    return len(kinds) == 2 and a.affiliation != b.country and b.affiliation != a.country


def date_key(event: Event) -> tuple[str, ...] | None:
    if event.date is not None:
        end = event.date_end or event.date
        return (event.date.isoformat(), end.isoformat())
    if event.date_text:
        words = [w for w in event.date_text.lower().replace(".", "").split()]
        keep = [w for w in words if w not in {"early", "late", "on", "night", "morning", "evening", "afternoon", "the"}]
        return ("text", " ".join(keep))
    return None


def _dates_agree(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> bool:
    if a is None or b is None:
        return True
    if a[0] == "text" or b[0] == "text":
        return a == b
    return a[0] <= b[1] and b[0] <= a[1]


def _actors_agree(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return True
    if _opposed(a, b):
        return False
    sa, sb = side(a), side(b)
    if not sa or not sb:
        return True
    return bool(sa & sb)


def _places_agree(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if (a.precision or 3) <= 2 and (b.precision or 3) <= 2:
        return km(a, b) <= 50.0
    return True


def _modes_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return any(a in group and b in group for group in COMPATIBLE_MODES)


def _swapped(role: Actor | None, other_role: Actor | None, same_role: Actor | None) -> bool:
    """`role` stands on the side that the other mention puts in the opposite role."""
    mine = side(role)
    return bool(mine & side(other_role)) and not mine & side(same_role)


def _retold(a: Event, b: Event) -> bool:
    """One sentence telling one act twice, once without its actor or both times by the same
    one ("staged a hunger strike ... in protest against X", "threatened to institute a
    curfew in Algiers"): a statement, protest or act of cooperation of one type, not an
    attack or act of force (one sentence may tell several of those). The words differ
    (hunger strike, protest), so their modes may too, and with one actor unnamed a role
    cannot be seen to swap."""
    if a.doc_id != b.doc_id or a.char_start != b.char_start or a.event_type in COUNTED_TYPES:
        return False
    if a.actor1 is None or b.actor1 is None:
        return True
    return a.actor1.code is not None and a.actor1.code == b.actor1.code


def agree(a: Mention, b: Mention) -> int | None:
    """None when two mentions cannot be one event; else how many fields they share."""
    ea, eb = a.event, b.event
    retold = _retold(ea, eb)
    if ea.event_type != eb.event_type or not (retold or _modes_agree(ea.mode, eb.mode)):
        return None
    if a.frame_key is not None and a.frame_key == b.frame_key:
        return None
    if not _dates_agree(a.date_key, b.date_key):
        return None
    if not (_actors_agree(ea.actor1, eb.actor1) and _actors_agree(ea.actor2, eb.actor2)):
        return None
    # an attacker and its target cannot swap roles within one event
    if not retold and (
        _swapped(ea.actor1, eb.actor2, eb.actor1)
        or _swapped(eb.actor1, ea.actor2, ea.actor1)
        or _swapped(ea.actor2, eb.actor1, eb.actor2)
        or _swapped(eb.actor2, ea.actor1, ea.actor2)
    ):
        return None
    if not _places_agree(ea.location, eb.location):
        return None
    score = 0
    # the same actor object means the pipeline resolved one mention to the other ("the
    # militants" -> "three Iran-backed militants"): strong evidence of one story
    for mine, theirs in ((ea.actor1, eb.actor1), (ea.actor2, eb.actor2)):
        if mine is not None and mine is theirs:
            score += 2
    score += 2 if a.date_key and a.date_key == b.date_key and not (a.inherited_date and b.inherited_date) else 0
    score += 1 if side(ea.actor1) & side(eb.actor1) else 0
    score += 1 if side(ea.actor2) & side(eb.actor2) else 0
    score += 1 if ea.mode and ea.mode == eb.mode else 0
    score += 1 if ea.location and eb.location and ea.location.country == eb.location.country else 0
    # one sentence that tells an attack and its toll ("struck a wedding ..., killing 18";
    # "killed 200 people ... in an attack on the town") tells one event: nothing above
    # set the two apart, so the shared sentence is evidence enough
    score += 1 if ea.doc_id == eb.doc_id and ea.char_start == eb.char_start else 0
    return score


# a mention is compared with the clusters of its own event type told most recently, never with
# every cluster of the document: the cost of merging stays linear in the document's length. An
# article tells far fewer events of one type than this; a liveblog's older ones are out of reach.
CLUSTER_WINDOW = 64


def _veto_key(mention: Mention) -> tuple[object, ...]:
    """Everything `agree` reads to rule two mentions apart: members of a cluster that share it
    rule out the same mentions, so a cluster checks each distinct one once."""
    event = mention.event

    def actor(a: Actor | None) -> tuple[str | None, ...] | None:
        return None if a is None else (a.country, a.affiliation, a.sector)

    place = event.location
    where = None if place is None else (place.country, place.precision, place.lat, place.lon)
    return (event.mode, mention.date_key, actor(event.actor1), actor(event.actor2), where)


@dataclass
class _Cluster:
    """One event being built: its canonical mention and its members' distinct vetoes."""

    head: Mention
    members: dict[tuple[object, ...], Mention] = field(default_factory=dict)

    def admits(self, mention: Mention) -> bool:
        if agree(mention, self.head) is None:
            return False
        return all(agree(mention, m) is not None for m in self.members.values())

    def add_member(self, event: Event) -> None:
        member = Mention(event=event, order=0, date_key=date_key(event))
        self.members.setdefault(_veto_key(member), member)


class _Clusters:
    """The clusters of one document by event type, each type's most recently told last."""

    def __init__(self) -> None:
        self.by_type: dict[str, dict[int, _Cluster]] = {}
        self.all: list[Mention] = []

    def best(self, mention: Mention) -> tuple[_Cluster | None, int]:
        """The event a mention agrees with best; among equals, the one told most recently (a
        sentence usually continues the event just told)."""
        best, best_score, best_recency = None, 0, -1
        recent = self.by_type.get(mention.event.event_type, {})
        for cluster in islice(reversed(recent.values()), CLUSTER_WINDOW):
            if not cluster.admits(mention):
                continue
            score = agree(mention, cluster.head) or 0
            if (score, cluster.head.last_order) > (best_score, best_recency):
                best, best_score, best_recency = cluster, score, cluster.head.last_order
        return best, best_score

    def start(self, mention: Mention) -> None:
        mention.merged = [mention.event]
        mention.last_order = mention.order
        self.all.append(mention)
        self.by_type.setdefault(mention.event.event_type, {})[id(mention)] = _Cluster(mention)

    def join(self, cluster: _Cluster, mention: Mention) -> None:
        head = cluster.head
        head.merged.append(mention.event)
        head.last_order = mention.order
        _absorb(head, mention)
        cluster.add_member(mention.event)
        recent = self.by_type[head.event.event_type]
        recent[id(head)] = recent.pop(id(head))  # now the most recently told of its type


def merge(mentions: list[Mention]) -> list[Mention]:
    """Group mentions of one event, in document order (so the result is stable).

    A mention with no time of its own joins the earlier event it agrees with best (same actors,
    mode or country); when it agrees with none, it continues the story told just before it and
    takes that event's time."""
    clusters = _Clusters()
    previous: Event | None = None
    for mention in mentions:
        event = mention.event
        mention.date_key = date_key(event)
        best, score = clusters.best(mention)
        borrow = not mention.keeps_own_time and previous is not None
        if mention.date_key is None and (best is None or score < 1) and borrow and previous:
            event.date, event.date_end = previous.date, previous.date_end
            event.date_precision, event.date_text = previous.date_precision, previous.date_text
            event.confidence = round(event.confidence - 0.05, 3)
            mention.inherited_date = True
            mention.date_key = date_key(event)
            best, score = clusters.best(mention)
        if best is None or score < 1:
            clusters.start(mention)
        else:
            clusters.join(best, mention)
        if mention.date_key is not None and not mention.inherited_date:
            previous = event
    return clusters.all


def _absorb(cluster: Mention, mention: Mention) -> None:
    """Fold a mention into a cluster's canonical event, field by field, most specific first."""
    target, other = cluster.event, mention.event
    if cluster.triggerless and not mention.triggerless:
        cluster.triggerless = False
        for name in ("sentence", "char_start", "char_end", "trigger"):
            setattr(target, name, getattr(other, name))
        if not target.date_text and other.date_text:
            for name in ("date", "date_end", "date_precision", "date_text"):
                setattr(target, name, getattr(other, name))
    if mention.specificity > cluster.specificity:
        cluster.specificity = mention.specificity
        for name in ("mode", "cameo", "quad_class", "acled_event_type", "acled_sub_event_type", "context"):
            setattr(target, name, getattr(other, name))
    if actor_detail(other.actor1) > actor_detail(target.actor1):
        target.actor1 = other.actor1
    if actor_detail(other.actor2) > actor_detail(target.actor2):
        target.actor2 = other.actor2
    if other.location and (target.location is None or (other.location.precision or 3) < (target.location.precision or 3)):
        target.location = other.location
    if PRECISION_RANK[other.date_precision] < PRECISION_RANK[target.date_precision] or (
        cluster.inherited_date and not mention.inherited_date and other.date_text
    ):
        target.date, target.date_end = other.date, other.date_end
        target.date_precision, target.date_text = other.date_precision, other.date_text
        cluster.inherited_date = mention.inherited_date
        cluster.date_key = date_key(target)
    if other.fatalities is not None and (target.fatalities is None or other.fatalities > target.fatalities):
        target.fatalities = other.fatalities
        target.fatalities_max = other.fatalities_max
    elif other.fatalities_max is not None and target.fatalities_max is not None:
        target.fatalities_max = max(target.fatalities_max, other.fatalities_max)
    if target.attribution is None:
        target.attribution = other.attribution
    # each mention's confidence is the event model's probability for its sentence
    target.confidence = max(target.confidence, other.confidence)
    target.report_count = len(cluster.merged)


def fill_targets(events: list[Event]) -> None:
    """An attack with a named attacker but no named target: in an article about one conflict
    the attacker's opponent is the side it strikes everywhere else in the article."""
    for event in events:
        if event.actor2 is not None or event.actor1 is None or event.event_type != "ASSAULT":
            continue
        attacker = side(event.actor1)
        if not attacker:
            continue
        opponents = [
            other.actor2
            for other in events
            if other is not event and other.actor2 is not None and side(other.actor1) & attacker
        ]
        sides = Counter(code for actor in opponents for code in side(actor) - attacker)
        if not sides:
            continue
        top, count = sides.most_common(1)[0]
        if count < 2:
            continue  # one other attack is too little to know the article's opponent
        members = [a for a in opponents if a is not None and top in side(a)]
        # the broadest actor of that side (a description, not one named group) stands for it
        representative = min(members, key=lambda a: (actor_detail(a), members.index(a)))
        event.actor2 = replace(representative)
