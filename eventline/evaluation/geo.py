"""Geoparsing evaluation on the LGL and TR-News corpora (toponyms with GeoNames coordinates).

Both files list articles with their text and gold toponyms: character offsets, phrase,
and (for most) GeoNames coordinates. The figures:

* span_p / span_r / span_f1: a predicted mention matches a gold toponym when their
  character spans overlap; each gold toponym and each prediction is matched at most once.
  Precision is over predicted mentions, recall over all gold toponyms.
* acc161: share of gold toponyms WITH coordinates that we both found (an overlapping
  predicted mention) and placed within 161 km (100 miles) of the gold point. A toponym we
  missed counts as wrong, so this mixes recognition and resolution. The point scored is
  the named place's own: in "eastern China" the gold toponym is "China", and the
  resolver's move into the east of China (the event's point) is not the toponym's
  resolution.
* acc161_relative: the same with the points as events get them, relative phrases applied.
* acc161_matched: the same share over matched gold toponyms only (resolution alone).
* median_km: median error over matched gold toponyms with coordinates.
* n_docs, n_gold (toponyms with coordinates), n_matched.

Articles are resolved in corpus order with their site as their source, as a run reads a
feed: each site's earlier articles say where it is (eventline.resolve.places.source_homes), and
its first article is placed without that.

The corpora also mark adjectives of peoples ("Turkish", "Syrian") as toponyms of their
country. `document_places` returns them as country (or region) mentions marked with a
"demonym:" id, so they are scored like any toponym; `acc161_no_demonyms` gives the figure
with them left out of the gold set.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eventline.model import Document
from eventline.resolve.places.document import toponym_places
from eventline.resolve.places.gazetteer import get_gazetteer
from eventline.resolve.places.geometry import haversine_km
from eventline.resolve.places.source_homes import SourceHomes, focus_regions, source_key

CORPUS_FILES = {"lgl": "lgl.xml", "trnews": "TR-News.xml"}
ACC_KM = 161.0
# offsets in TR-News are sometimes a character or two off the phrase: look this far around
OFFSET_SLACK = 12


@dataclass
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None


@dataclass
class GoldArticle:
    doc_id: str
    text: str
    toponyms: list[GoldToponym]
    source: str | None = None  # the site the article came from (LGL and TR-News give it)


def corpus_path(eval_dir: Path, corpus: str) -> Path:
    if corpus not in CORPUS_FILES:
        raise ValueError(f"unknown corpus {corpus!r}; valid: {', '.join(CORPUS_FILES)}")
    return eval_dir / "geo" / CORPUS_FILES[corpus]


def read_corpus(path: Path, limit: int | None = None) -> Iterator[GoldArticle]:
    root = ET.parse(path).getroot()
    for count, article in enumerate(root.iter("article")):
        if limit is not None and count >= limit:
            return
        text = article.findtext("text") or ""
        toponyms = []
        for node in article.iter("toponym"):
            phrase = (node.findtext("phrase") or "").strip()
            start = int(node.findtext("start") or 0)
            start = _realign(text, phrase, start)
            lat = node.findtext("gaztag/lat")
            lon = node.findtext("gaztag/lon")
            toponyms.append(
                GoldToponym(
                    start=start,
                    end=start + len(phrase),
                    phrase=phrase,
                    lat=float(lat) if lat else None,
                    lon=float(lon) if lon else None,
                )
            )
        domain = (article.findtext("domain") or "").strip() or None
        yield GoldArticle(article.get("docid") or str(count), text, toponyms, domain)


def _realign(text: str, phrase: str, start: int) -> int:
    if text[start : start + len(phrase)] == phrase:
        return start
    window_start = max(0, start - OFFSET_SLACK)
    found = text.find(phrase, window_start, start + len(phrase) + OFFSET_SLACK)
    return found if found >= 0 else start


def _as_url(domain: str | None) -> str | None:
    """The corpora give a site's domain; a run keys sources by the host of a URL."""
    return f"http://{domain}/" if domain else None


def _is_demonym(phrase: str) -> bool:
    """Gold phrases like 'Turkish', 'Syrian', 'Iraqi': adjectives of a people."""
    return (
        " " not in phrase
        and phrase[:1].isupper()
        and phrase.endswith(("ian", "ese", "ish", "ean", "an", "i", "ic"))
        and not get_gazetteer().has_name(phrase)
    )


def score_geo(path: Path, corpus: str, limit: int | None = None) -> dict[str, float]:
    """Score the place resolver on one corpus. `path` is the eval folder (…/eval/dev) or the XML."""
    from eventline.nlp import load_nlp

    xml_path = path if path.suffix == ".xml" else corpus_path(path, corpus)
    articles = list(read_corpus(xml_path, limit))
    nlp = load_nlp()
    gaz = get_gazetteer()

    n_pred = n_gold_all = n_span_matched = 0
    errors: list[float] = []
    n_gold = n_correct = n_correct_relative = 0
    n_gold_nodem = n_correct_nodem = 0
    # read in corpus order, as a run reads a feed: each site's earlier articles say where
    # it is (eventline.resolve.places.source_homes); its first article is placed without that
    homes = SourceHomes()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        source = source_key(Document(id=article.doc_id, text="", url=_as_url(article.source)))
        predicted, ctx = toponym_places(doc, gaz, homes.home(source))
        homes.learn(source, focus_regions(ctx.admin1s))
        n_pred += len(predicted)
        n_gold_all += len(article.toponyms)
        used: set[int] = set()
        for gold in article.toponyms:
            match = None
            for index, (start, end, _named, _moved) in enumerate(predicted):
                if index not in used and start < gold.end and gold.start < end:
                    match = index
                    break
            if match is not None:
                used.add(match)
                n_span_matched += 1
            if gold.lat is None or gold.lon is None:
                continue
            demonym = _is_demonym(gold.phrase)
            n_gold += 1
            n_gold_nodem += 0 if demonym else 1
            if match is None:
                continue
            _, _, place, moved = predicted[match]
            if place.lat is None or place.lon is None:
                continue
            km = haversine_km(gold.lat, gold.lon, place.lat, place.lon)
            errors.append(km)
            if moved.lat is not None and moved.lon is not None:
                n_correct_relative += (
                    haversine_km(gold.lat, gold.lon, moved.lat, moved.lon) <= ACC_KM
                )
            if km <= ACC_KM:
                n_correct += 1
                n_correct_nodem += 0 if demonym else 1

    precision = n_span_matched / n_pred if n_pred else 0.0
    recall = n_span_matched / n_gold_all if n_gold_all else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "span_p": round(precision, 4),
        "span_r": round(recall, 4),
        "span_f1": round(f1, 4),
        "acc161": round(n_correct / n_gold, 4) if n_gold else 0.0,
        "acc161_relative": round(n_correct_relative / n_gold, 4) if n_gold else 0.0,
        "acc161_matched": round(n_correct / len(errors), 4) if errors else 0.0,
        "acc161_no_demonyms": round(n_correct_nodem / n_gold_nodem, 4) if n_gold_nodem else 0.0,
        "median_km": round(statistics.median(errors), 1) if errors else 0.0,
        "n_docs": float(len(articles)),
        "n_gold": float(n_gold),
        "n_matched": float(len(errors)),
    }
