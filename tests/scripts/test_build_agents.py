"""scripts/build_agents.py: agents.csv rows from a PETRARCH .agents file, read by the
package's reader."""

from __future__ import annotations

from tests.scripts import load_script


def test_rows_expand_sets_and_plurals_and_translate_codes() -> None:
    text = (
        "# a comment\n"
        "!PERSON! = MAN, WOMEN\n"
        "POLICE!PERSON!  [~COP]\n"
        "CATTLE_THIEF {CATTLE_THIEVES} [~CRM]\n"
        "WAR_CORRESPONDENT [~JRN]\n"
        "FIELD_MEDIC [~MEDMIL]\n"
        "MILITARY_CONFLICT [~NON]\n"
        "POLICEMAN [~GOV]\n"  # listed twice: the first codes stay
        "NO CODE HERE\n"
    )
    rows, unread = load_script("build_agents").parse(text)
    assert unread == 1
    assert rows == [
        {"term": "cattle thief", "sector": "CRM", "roles": "CRM"},
        {"term": "cattle thieves", "sector": "CRM", "roles": "CRM"},
        {"term": "field medic", "sector": "HLH", "roles": "HLHMIL"},
        {"term": "military conflict", "sector": "NON", "roles": "NON"},
        {"term": "policeman", "sector": "COP", "roles": "COP"},
        {"term": "policewomen", "sector": "COP", "roles": "COP"},
        {"term": "war correspondent", "sector": "MED", "roles": "MED"},
    ]
