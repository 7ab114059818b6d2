"""Actor rules of a record: whether two actors are one, how much an actor says, and how the
pair codes (a state's strike through its military, ACLED's split of direct violence by who
is hit).

Reads: resolved Actors (eventline.model) and an event's ACLED types and mode. Writes:
yes/no judgements, a military Actor, a sector placed in the event's country or in the one
state its sentence names, and the ACLED type and sub-type. Knowledge: the armed and civilian
sectors of eventline/data/roles.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Span

from eventline.data_files import word_set
from eventline.extraction.lexicon import REMOTE_MODES
from eventline.extraction.roles import COUNTED_TYPES
from eventline.model import Actor, Place

ARMED = word_set("roles.yaml", "armed_sectors")
CIVILIAN = word_set("roles.yaml", "civilian_sectors")
STATE_ORGANS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"}
STATELESS = {"NGO", "IGO"}  # sectors of organisations that belong to no state
ETHNIC_MARKERS = word_set("roles.yaml", "ethnic_markers")



def _same_actor(a: Actor, b: Actor) -> bool:
    """The same actor named twice, wherever each mention is ("the Red Cross ... the
    organization")."""
    fields = ("name", "country", "sector", "code", "affiliation")
    return all(getattr(a, f) == getattr(b, f) for f in fields) and (
        a.code is not None or a.name is not None or a.text == b.text
    )


def _detail(actor: Actor) -> int:
    return sum(1 for v in (actor.country, actor.sector, actor.affiliation, actor.name) if v)



def _one_state(a: Actor | None, b: Actor | None) -> bool:
    return bool(
        a is not None
        and b is not None
        and a.country
        and a.country == b.country
        and a.sector in STATE_ORGANS
        and b.sector in STATE_ORGANS
    )



def _bare_sector(actor: Actor) -> bool:
    """An actor known only by its kind ("its troops", "officials"): no state, patron or name."""
    return (
        bool(actor.sector)
        and not actor.country
        and not actor.affiliation
        and actor.code in (None, actor.sector)
    )


def _military(actor: Actor | None) -> Actor | None:
    """A state that strikes with aircraft, artillery or missiles acts through its military."""
    if actor is None or not actor.country or actor.sector:
        return actor
    return replace(actor, sector="MIL", code=f"{actor.country}MIL")


def _placed(actor: Actor | None, place: Place | None) -> Actor | None:
    """A sector named without a state ("protesters", "police", "civilians") belongs to the
    country where the event happened, as ACLED codes "Protesters (Algeria)"; the place keeps
    its own origin on the event, so the actor's origin is unchanged."""
    if actor is None or place is None or not place.country or not _bare_sector(actor):
        return actor
    return replace(actor, country=place.country, code=f"{place.country}{actor.sector}")


def _in_named_state(actor: Actor | None, states: set[str]) -> Actor | None:
    """A sector named without a state in a sentence that names one state only, as the other
    side or as a place ("Judge Alejandro Rivera opened investigations against Chilean
    officials", "Islamic fundamentalists demanded the resignation of Algerian President X"):
    PLOVER and CAMEO code the country of the actor, and the sentence names no other.
    Organisations of no state (NGOs, IGOs) stay without one."""
    if actor is None or len(states) != 1 or not _bare_sector(actor) or actor.sector in STATELESS:
        return actor
    (country,) = states
    return replace(actor, country=country, code=f"{country}{actor.sector}")


def _in_context(
    actor1: Actor | None,
    actor2: Actor | None,
    where: Place | None,
    places: Sequence[tuple[Span, Place]],
    event_type: str,
) -> tuple[Actor | None, Actor | None]:
    """The pair as the event's place and its sentence's states code it: ethnic groups by the
    place (`_resident`), sectors by the place (`_placed`) or else by the one state the
    sentence names (`_in_named_state`). The other side of an attack or act of force names no
    state for its opponent ("the American strikes killed seven militants")."""
    actor1, actor2 = _resident(actor1, where), _resident(actor2, where)
    actor1, actor2 = _placed(actor1, where), _placed(actor2, where)
    named = {p.country for _, p in places if p.country}
    if event_type in COUNTED_TYPES:
        return _in_named_state(actor1, named), _in_named_state(actor2, named)
    actor1 = _in_named_state(actor1, named | _states_of(actor2))
    actor2 = _in_named_state(actor2, named | _states_of(actor1))
    return actor1, actor2


def _states_of(actor: Actor | None) -> set[str]:
    return {actor.country} if actor is not None and actor.country else set()


def _resident(actor: Actor | None, place: Place | None) -> Actor | None:
    """An ethnic group named by a demonym ("ethnic Albanians", "ethnic Turks") belongs to the
    country where the event happened, as PLOVER and CAMEO code residents: "ethnic Albanians
    demonstrated in Serbia" is SRB. The demonym's entry stays the origin; the place is the
    event's `location`."""
    if actor is None or place is None or not place.country or not actor.country:
        return actor
    if not ETHNIC_MARKERS.intersection(actor.text.lower().split()):
        return actor
    code = (actor.code or actor.country).replace(actor.country, place.country, 1)
    return replace(actor, country=place.country, code=code)


def _acled(
    event_type: str | None, sub_type: str | None, mode: str | None, target: Actor | None
) -> tuple[str | None, str | None]:
    """ACLED splits direct violence by who is hit: armed actors fight battles, civilians suffer
    violence against civilians. Remote weapons stay remote violence whoever is hit."""
    if (
        mode in REMOTE_MODES
        or target is None
        or event_type not in ("Battles", "Violence against civilians")
    ):
        return event_type, sub_type
    if sub_type not in ("Armed clash", "Attack"):
        return event_type, sub_type
    if target.sector in CIVILIAN:
        return "Violence against civilians", "Attack"
    if target.sector in ARMED:
        return "Battles", "Armed clash"
    return event_type, sub_type
