"""Profile the extraction hot path with the standard library's cProfile.

The pipeline is warmed up first with the local engine's warm-up sentence (model, dictionaries,
gazetteer and its town points, classifier), then the corpus is extracted under the profiler. Prints the functions with the most cumulative and own time, and saves the
raw statistics (readable with `python -m pstats`).

With `--split`, no profiler runs: the corpus is extracted `--rounds` times and the CPU time
of each round is split into the spaCy parse (`Language.pipe`), the resolvers
(`eventline.resolve.*`, including what they call), the event model (its readings of the
sentences and its ACLED and QuadClass heads), the attack roles (tagger and incident model)
and the rest of the extraction, printed as medians over the rounds.

    .venv/bin/python -m bench.profile_pipeline [--quick] [--limit N] [--top 25] [--out FILE]
    .venv/bin/python -m bench.profile_pipeline --quick --split [--rounds 3] [--no-prefilter]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import inspect
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import load_corpus
from eventline.engines.local import WARM_UP_TEXT
from eventline.model import Document
from eventline.pipeline import Pipeline


class CpuSplit:
    """Charges CPU time to the parse or the resolvers while one of them runs (the outermost
    call only: a resolver called from a resolver is not counted twice)."""

    def __init__(self) -> None:
        self.seconds = {"parse": 0.0, "resolvers": 0.0, "event model": 0.0, "attack roles": 0.0}
        self._busy = False

    def timed(self, bucket: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self._busy:
                return function(*args, **kwargs)
            self._busy = True
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[bucket] += time.process_time() - started
                self._busy = False

        wrapper.__wrapped_by_split__ = True  # type: ignore[attr-defined]
        return wrapper

    def timed_generator(self, bucket: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        """A generator's time is spent in each `next`, not in the call that creates it."""

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            if self._busy:
                yield from function(*args, **kwargs)
                return
            items = function(*args, **kwargs)
            while True:
                self._busy = True
                started = time.process_time()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    self.seconds[bucket] += time.process_time() - started
                    self._busy = False
                yield item

        return wrapper

    def install(self) -> None:
        """Wrap every resolver function and method where the rest of eventline finds it (its
        module and every module that imported it by name), and spaCy's `Language.pipe`."""
        from spacy.language import Language

        wrapped: dict[int, Callable[..., Any]] = {}
        for name, module in list(sys.modules.items()):
            if not name.startswith("eventline") or module is None:
                continue
            for attribute, value in list(vars(module).items()):
                if inspect.isfunction(value) and (value.__module__ or "").startswith("eventline.resolve"):
                    if id(value) not in wrapped:
                        wrapped[id(value)] = self.timed("resolvers", value)
                    setattr(module, attribute, wrapped[id(value)])
                elif inspect.isclass(value) and (value.__module__ or "").startswith("eventline.resolve"):
                    self._install_methods(value)
        Language.pipe = self.timed_generator("parse", Language.pipe)  # type: ignore[method-assign]
        # the event model's readings (before and after the parse) and its ACLED and QuadClass
        # heads; the attack role tagger with its incident model
        from eventline import pipeline
        from eventline.extraction.attack_roles import StoryRoles
        from eventline.extraction.event_model import EventModel

        EventModel.read = self.timed("event model", EventModel.read)  # type: ignore[method-assign]
        pipeline.refine_labels = self.timed("event model", pipeline.refine_labels)
        StoryRoles.read = self.timed("attack roles", StoryRoles.read)  # type: ignore[method-assign]

    def _install_methods(self, cls: type) -> None:
        for attribute, value in list(vars(cls).items()):
            if attribute.startswith("__") and attribute != "__call__":
                continue
            if inspect.isfunction(value) and not hasattr(value, "__wrapped_by_split__"):
                setattr(cls, attribute, self.timed("resolvers", value))
            elif isinstance(value, (staticmethod, classmethod)) and not hasattr(value.__func__, "__wrapped_by_split__"):
                setattr(cls, attribute, type(value)(self.timed("resolvers", value.__func__)))


def split(pipeline: Pipeline, documents: list[Document], rounds: int) -> int:
    # a first pass loads everything the extraction imports lazily, so that it is wrapped too
    list(pipeline.process_many(documents[:3]))
    meter = CpuSplit()
    meter.install()
    rows: list[dict[str, float]] = []
    for _ in range(rounds):
        meter.seconds = dict.fromkeys(meter.seconds, 0.0)
        started = time.process_time()
        events = sum(len(r.events) for r in pipeline.process_many(documents))
        total = time.process_time() - started
        rows.append({**meter.seconds, "rest": total - sum(meter.seconds.values()), "total": total})
    print(f"{len(documents)} articles, {events} events, {rounds} rounds; CPU seconds, median (min-max)")
    for key in ("total", *meter.seconds, "rest"):
        values = [row[key] for row in rows]
        print(f"  {key:<10} {statistics.median(values):7.3f} ({min(values):.3f}-{max(values):.3f})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 60-article slice")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-prefilter", action="store_true", help="parse every sentence")
    parser.add_argument("--split", action="store_true", help="CPU time of parse / resolvers / rest, no profiler")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --split")
    parser.add_argument("--out", type=Path, default=Path("bench") / "results" / "profile.pstats")
    args = parser.parse_args()
    documents = load_corpus(quick=args.quick)
    if args.limit:
        documents = documents[: args.limit]
    pipeline = Pipeline(prefilter=not args.no_prefilter)
    pipeline.process(Document("warm-up", WARM_UP_TEXT))
    if args.split:
        return split(pipeline, documents, args.rounds)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    events = sum(len(r.events) for r in pipeline.process_many(documents))
    profiler.disable()
    seconds = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(args.out)
    print(f"{len(documents)} articles, {events} events, {seconds:.1f} s under the profiler")
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
