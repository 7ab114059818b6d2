"""Actor resolution: phrases, documents, and user dictionaries that change the coding."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventline.errors import ConfigError
from eventline.resolve.actor_words import _mostly_capitals, tokenize
from eventline.resolve.actors import ActorDictionary, default_dictionary


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return default_dictionary()


def coded(actor) -> tuple | None:
    return None if actor is None else (actor.country, actor.sector, actor.affiliation)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The United States", ("USA", None, None)),
        ("an American military gunship", ("USA", "MIL", None)),
        ("three Iran-backed militants", (None, "MLA", "IRN")),
        ("Iranian-backed fighters", (None, "MLA", "IRN")),
        ("Iranian proxies", (None, "MLA", "IRN")),
        ("militias backed by Iran", (None, "MLA", "IRN")),
        ("Kataib Hezbollah, a militia group in Iraq", ("IRQ", "MLA", "IRN")),
        ("Kata'ib Hizballah", ("IRQ", "MLA", "IRN")),
        ("Kataib Hezbollah’s political wing", ("IRQ", "MLA", "IRN")),
        ("the Pentagon", ("USA", "MIL", None)),
        ("U.S. and coalition forces", ("USA", "MIL", None)),
        ("Prime Minister Mohammed Shia al-Sudani of Iraq", ("IRQ", "GOV", None)),
        ("the AC-130", ("USA", "MIL", None)),
        ("American warplanes", ("USA", "MIL", None)),
        ("Biden administration", ("USA", "GOV", None)),
        ("President Biden", ("USA", "GOV", None)),
        ("Washington", ("USA", "GOV", None)),
        ("Tehran", ("IRN", "GOV", None)),
        ("Houthi rebels", ("YEM", "REB", "IRN")),
        ("Russian forces", ("RUS", "MIL", None)),
        ("RSF fighters", ("SDN", "MLA", None)),
        ("police in Lagos", (None, "COP", None)),
        ("protesters", (None, "OPP", None)),
        ("Iran's Islamic Revolutionary Guards Corps", ("IRN", "MIL", None)),
        ("pro-Russian separatists", (None, "REB", "RUS")),
    ],
)
def test_phrases_resolve(actors: ActorDictionary, text: str, expected: tuple) -> None:
    actor = actors.resolve(text)
    assert coded(actor) == expected
    assert actor is not None and actor.text == text


@pytest.mark.parametrize("text", ["two facilities", "options", "us", "the military conflict", ""])
def test_non_actors_resolve_to_none(actors: ActorDictionary, text: str) -> None:
    assert actors.resolve(text) is None


def test_codes_and_names(actors: ActorDictionary) -> None:
    gunship = actors.resolve("an American military gunship")
    assert (
        gunship is not None
        and gunship.code == "USAMIL"
        and gunship.name == "United States military"
    )
    group = actors.resolve("Kataib Hezbollah")
    assert group is not None and group.name == "Kataib Hezbollah" and group.code == "IRQMLA"
    assert actors.resolve("the Islamic State").code == "IMGREB"


def test_acronyms_match_only_in_capitals(actors: ActorDictionary) -> None:
    assert coded(actors.resolve("US troops")) == ("USA", "MIL", None)
    assert actors.resolve("let us") is None
    assert actors.resolve("it is") is None


def test_tokenize_normalises_punctuation_and_possessives() -> None:
    assert [w.norm for w in tokenize("Kata'ib Hizballah’s U.S.-backed")] == [
        "kataib", "hizballah", "us", "backed",
    ]  # fmt: skip


def test_span_argument_uses_the_parse_head(actors: ActorDictionary, nlp) -> None:
    doc = nlp("Police officers in the army barracks arrested protesters.")
    span = doc[0:2]
    assert coded(actors.resolve(span.text, span)) == (None, "COP", None)


LIONS = "Northern Lions Brigade"


def test_user_csv_changes_the_coding(tmp_path: Path) -> None:
    assert ActorDictionary.load().resolve(LIONS) is None
    path = tmp_path / "mine.csv"
    path.write_text(
        "name,aliases,country,sector,affiliation\n"
        f"{LIONS},NLB|Lions of the North,Mali,MLA,Russia\n",
        encoding="utf-8",
    )
    user = ActorDictionary.load([path])
    assert coded(user.resolve(LIONS)) == ("MLI", "MLA", "RUS")
    assert coded(user.resolve("fighters of the Lions of the North")) == ("MLI", "MLA", "RUS")
    assert user.resolve("the NLB").name == LIONS


def test_user_yaml_overrides_shipped_entries(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        f"- name: {LIONS}\n  aliases: [Lions Brigade]\n  country: NER\n  sector: REB\n"
        "- name: Hezbollah\n  aliases: [Hezbollah]\n  country: LBN\n  sector: PTY\n",
        encoding="utf-8",
    )
    user = ActorDictionary.load([path])
    assert coded(user.resolve("the Lions Brigade")) == ("NER", "REB", None)
    assert user.resolve("Hezbollah").sector == "PTY"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.csv", "name,aliases,country\nSome Group,,Atlantis\n"),
        ("bad.csv", "title,country\nSome Group,MLI\n"),
        ("bad.yaml", "- name: X\n  sector: [not, a, code]\n  : broken"),
        ("bad.yaml", "just a string\n"),
        ("bad.yaml", "- aliases: [nameless]\n"),
        ("bad.txt", "name\nX\n"),
    ],
)
def test_malformed_user_file_raises_e401(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        ActorDictionary.load([path])
    assert raised.value.code == "E401"
    assert str(path) in str(raised.value)


def test_missing_user_file_raises_e401(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        ActorDictionary.load([tmp_path / "absent.csv"])
    assert raised.value.code == "E401"


def test_state_code_takes_the_sector_of_its_agent(tmp_path: Path) -> None:
    path = tmp_path / "states.yaml"
    path.write_text(
        "- {name: Arnor, code: ARN}\n- {name: cleric, sector: REL, kind: agent}\n", encoding="utf-8"
    )
    actors = ActorDictionary.load([path])
    assert actors.resolve("Arnor soldiers").code == "ARNMIL"
    assert actors.resolve("Arnor clerics").code == "ARNREL"  # a user agent noun, plural too
    assert actors.resolve("Arnor").code == "ARN"


def test_agent_entry_needs_a_sector(tmp_path: Path) -> None:
    path = tmp_path / "agents.yaml"
    path.write_text("- {name: cleric, kind: agent}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        ActorDictionary.load([path])


def _reference_mostly_capitals(text: str) -> bool:
    """Most letters of the first 5,000 characters are capitals, counted one by one."""
    letters = [c for c in text[:5000] if c.isalpha()]
    return len(letters) > 40 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


# letters, capitals, capitals that are no letters (a circled A), letters with no case, digits
_MIXED = st.text(alphabet=st.sampled_from("aAzZ \u00e9\u00c9\u00df\u01c5\u24b6\u4e00\u0661,.-"))


@given(st.one_of(_MIXED, st.text()))
def test_mostly_capitals_counts_letters_only(text: str) -> None:
    # repeated past the 5,000 characters read
    long = (text * (6000 // max(1, len(text)) + 1))[:6000]
    for sample in (text, long, text.upper(), long.upper()):
        assert _mostly_capitals(sample) == _reference_mostly_capitals(sample)


def test_an_all_capitals_wire_story_is_mostly_capitals() -> None:
    story = "SAN SALVADOR, 12 JAN 90 (RADIO VENCEREMOS) -- THE FMLN ATTACKED AN ARMY POST."
    assert _mostly_capitals(story)
    assert not _mostly_capitals(story.title())
