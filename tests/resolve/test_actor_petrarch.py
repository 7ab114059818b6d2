from datetime import date
from pathlib import Path

from eventline.resolve.actor_codes import code_on, meaning
from eventline.resolve.actor_petrarch import DatedCode, parse_code, read_actors, read_agents
from eventline.resolve.actors import ActorDictionary

ACTORS = """<!-- a comment -->
ARNOR [ARN] # note
+ARNORIAN
GOLLUM
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
UN_
U.N._
\t[IGOUNO]
BROKEN_ENTRY [ARN 1999]
ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB]
THE_SHIRE  [FRO/BIL/SAM]
"""


def test_actors_with_dates_aliases_and_line_errors() -> None:
    records, errors = read_actors(ACTORS)
    by_name = {r.names[0]: r for r in records}
    assert by_name["ARNOR"].names == ["ARNOR", "ARNORIAN"] and by_name["ARNOR"].line == 2
    gollum = by_name["GOLLUM"].codes
    assert gollum[0] == DatedCode("HOB", end=date(1995, 6, 1))
    assert gollum[1] == DatedCode("HOBGOV", date(1995, 6, 1), date(1999, 8, 15))
    assert by_name["UN"].names == ["UN", "U.N."]  # consecutive names share the codes after them
    assert by_name["ADEN ABYAN ISLAMIC ARMY"].names == ["ADEN ABYAN ISLAMIC ARMY", "AAIA"]
    assert by_name["THE SHIRE"].codes == [DatedCode("FRO", members=("BIL", "SAM"))]
    assert [e.line for e in errors] == [10, 10]  # the bad date, and so an entry with no code
    assert "BROKEN ENTRY" not in by_name


def test_agents_expand_substitution_sets() -> None:
    agents, errors = read_agents("!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG]\nBAD LINE\n")
    assert agents[0].names == ("CONGRESSMAN", "CONGRESSMEN") and agents[0].code == "LEG"
    assert [e.line for e in errors] == [3]


def test_code_held_on_the_day() -> None:
    codes = [
        DatedCode("FRAELI", date(1934, 1, 1), date(1981, 5, 21)),
        DatedCode("FRAGOV", date(1981, 5, 21), date(1995, 5, 17)),
    ]
    assert code_on(codes, date(1990, 1, 1)).code == "FRAGOV"
    assert code_on(codes, date(1980, 1, 1)).code == "FRAELI"
    assert code_on(codes, None).code == "FRAGOV"  # no date: the office, not the elite
    assert parse_code("USAGOV >090120") == DatedCode("USAGOV", start=date(2009, 1, 20))
    said = meaning("IGOUNO", {"FRA": "France"}, {"IGO": "", "GOV": ""})
    assert said.country is None and said.sector == "IGO" and said.code == "IGOUNO"


def test_shipped_office_holders_resolve_for_the_day() -> None:
    actors = ActorDictionary.load()
    then = actors.resolve("President Mitterrand", when=date(1990, 1, 1))
    assert then is not None and then.code == "FRAGOV" and then.name == "Francois Mitterrand"
    assert then.origin.startswith("Phoenix.Countries.actors.txt:")
    lavrov = actors.resolve("Foreign Minister Lavrov", when=date(2022, 3, 1))
    assert lavrov is not None and lavrov.country == "RUS" and lavrov.sector == "GOV"
    assert actors.resolve("Northern Lions Brigade") is None  # "Brigade" is no last name here


def test_a_titled_name_one_letter_off_is_the_office_holder() -> None:
    actors = ActorDictionary.load()
    misspelt = actors.resolve("President Mitterand", when=date(1990, 1, 1))
    assert misspelt is not None and misspelt.code == "FRAGOV"
    first_and_last = actors.resolve("President Abdelaziz Bouteflicka", when=date(2000, 1, 1))
    assert first_and_last is not None and first_and_last.country == "DZA"
    # untitled, or off in its first letter, a name stays unknown: no office holder is guessed
    assert actors.resolve("Mitterand", when=date(1990, 1, 1)) is None
    # only a name's last word is respelled, and only to an office holder of the state named
    kyrgyz = actors.resolve("Kyrgyz Prime Minister Nikolai Tanaev")
    assert kyrgyz is not None and kyrgyz.country == "KGZ"
    sontas = actors.resolve("President Dos Sontas", when=date(1995, 1, 1))
    assert sontas is not None and sontas.country is None


def test_user_petrarch_file_wins_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "mine.actors.txt"
    path.write_text("SERGEY_LAVROV [ARNGOV]\nBAD [ARN 12]\n", encoding="utf-8")
    actors = ActorDictionary.load([path])
    lavrov = actors.resolve("Sergey Lavrov")
    assert lavrov is not None and lavrov.code == "ARNGOV" and lavrov.origin == "mine.actors.txt:1"
    assert len(actors.problems) == 2 and all("mine.actors.txt, line 2" in p for p in actors.problems)


def test_a_compound_actor_has_each_of_its_codes_as_a_member(tmp_path: Path) -> None:
    path = tmp_path / "mine.actors.txt"
    path.write_text(ACTORS, encoding="utf-8")
    actors = ActorDictionary.load([path])
    shire = actors.resolve("The Shire")
    assert shire is not None and shire.code == "FRO"
    members = actors.members_of(shire)
    assert [m.code for m in members] == ["FRO", "BIL", "SAM"]
    assert {m.origin for m in members} == {"mine.actors.txt:12"}
    arnor = actors.resolve("Arnor")
    assert arnor is not None and actors.members_of(arnor) == []
