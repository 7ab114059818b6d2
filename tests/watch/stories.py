"""Short news stories for watch tests and the benchmark, assembled from parts (written for
this project): each tells one attack with a place, a day and a death toll."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.watch.feedserver import article_page, rss

PLACES = [
    ("Kukawa", "Borno State", "Nigeria", "MAIDUGURI"),
    ("Gao", "the Gao region", "Mali", "BAMAKO"),
    ("Bunia", "Ituri province", "Congo", "KINSHASA"),
    ("Kismayo", "Lower Juba", "Somalia", "MOGADISHU"),
    ("Deir ez-Zor", "eastern Syria", "Syria", "DAMASCUS"),
]
ATTACKERS = ["Gunmen", "Suspected insurgents", "Armed men on motorcycles", "Militants"]
VICTIMS = ["villagers", "traders at a market", "farmers", "passengers on a bus"]


def story(number: int, day: date) -> tuple[str, list[str]]:
    """(headline, paragraphs) of story `number`, reported on `day`."""
    town, region, country, dateline = PLACES[number % len(PLACES)]
    attackers = ATTACKERS[number % len(ATTACKERS)]
    victims = VICTIMS[(number // 2) % len(VICTIMS)]
    deaths = 3 + number % 9
    headline = f"{attackers} kill {deaths} in {town}"
    paragraphs = [
        f"{dateline}, {country} - {attackers} killed {deaths} {victims} in an attack on {town} "
        f"in {region} on {day:%A}, police said.",
        "The attackers burned houses and stole cattle before fleeing, a local official said. "
        "Residents said soldiers arrived hours later.",
        "Security forces have struggled to contain armed groups in the region for years, and "
        "thousands of people have fled to camps near the regional capital.",
    ]
    return headline, paragraphs


def feed_item(base: str, number: int, day: date, *, link: bool = True) -> dict:
    headline, paragraphs = story(number, day)
    return {
        "guid": f"{base}/story/{number}",
        "title": headline,
        "link": f"{base}/story/{number}.html" if link else None,
        "description": paragraphs[0],
        "published": datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC),
    }


def page(number: int, day: date) -> str:
    headline, paragraphs = story(number, day)
    return article_page(headline, paragraphs)


def feed(title: str, items: list[dict]) -> str:
    return rss(title, items)
