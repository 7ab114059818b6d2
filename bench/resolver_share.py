"""How much of extraction time goes into the resolvers (dates, places, actors, counts)?

A round is two fresh processes, each warmed up on one short text outside the corpus: one
extracts the corpus plainly (the reference time); in the other, every public function and
method of `eventline.resolve` and its sub-modules is wrapped in a timer before the pipeline
is built. A module belongs to the resolver its name starts with (dates_rules: dates,
place_mentions: places); a helper module with no such name belongs to the one resolver whose
modules use it. A timer only counts the outermost resolver call, so a resolver that calls
another is not counted twice, and the spaCy parse is timed on its own by wrapping `nlp.pipe`. No profiler runs, so the pipeline keeps its speed
apart from the timers' own cost, which is reported (instrumented against plain time) and
counted in the resolvers' share: the share is an upper bound.

    .venv/bin/python -m bench.resolver_share [--quick] [--rounds 3] [--no-write]

Each round also loads the gazetteer alone in a fresh process and records its load time and
the memory it adds (resident set growth), the gazetteer's own budget (under 2 s, 300 MB).

Run it from the repository root; it writes bench/results/resolver_share[_quick].json and the
block between the resolver-share markers of docs/performance.md.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import pkgutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.common import load_corpus, word_count, write_section

PACKAGE = "eventline.resolve"
# how the name of a module under eventline.resolve (its first part: dates_rules, or places
# for eventline.resolve.places.index) starts -> the resolver it belongs to
CATEGORY_PREFIXES = (
    ("dates", "dates"),
    ("place", "places"),
    ("gazetteer", "places"),
    ("actor", "actors"),
    ("count", "counts"),
)
CATEGORIES = ("dates", "places", "actors", "counts")
START, END = "<!-- resolver-share:start -->", "<!-- resolver-share:end -->"


def category_of(module_name: str) -> str | None:
    """The resolver a module under eventline.resolve belongs to by its name, if any."""
    if not module_name.startswith(PACKAGE + "."):
        return None
    short = module_name[len(PACKAGE) + 1 :].split(".", 1)[0]
    for prefix, category in CATEGORY_PREFIXES:
        if short.startswith(prefix):
            return category
    return None


def resolver_modules() -> dict[str, ModuleType]:
    """Every module under eventline.resolve, sub-packages included, imported."""
    package = importlib.import_module(PACKAGE)
    modules = {PACKAGE: package}
    for info in pkgutil.walk_packages(package.__path__, prefix=PACKAGE + "."):
        modules[info.name] = importlib.import_module(info.name)
    return modules


def module_categories(modules: dict[str, ModuleType]) -> dict[str, str | None]:
    """Each module's resolver: by its name, else that of the one resolver whose modules import
    from it (a helper shared by two resolvers, or used by none, has none)."""
    users: dict[str, set[str]] = {name: set() for name in modules}
    for name, module in modules.items():
        for value in vars(module).values():
            source = (
                value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
            )
            if source in users and source != name:
                users[source].add(name)
    found = {name: category_of(name) for name in modules}
    changed = True
    while changed:  # a helper of a helper takes its resolver once its user has one
        changed = False
        for name, category in found.items():
            if category is None:
                known = {found[user] for user in users[name]} - {None}
                if len(known) == 1:
                    found[name] = known.pop()
                    changed = True
    return found


def _defines_names(module: ModuleType) -> bool:
    """Whether a module defines a public function or class of its own."""
    return any(
        not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and (inspect.isclass(value) or inspect.isfunction(inspect.unwrap(value)))
        for name, value in vars(module).items()
        if callable(value)
    )


class ResolverClock:
    """Wall time spent inside resolver calls, per resolver, outermost calls only."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(CATEGORIES, 0.0)
        self.calls = dict.fromkeys(CATEGORIES, 0)
        self.parse_seconds = 0.0
        # resolver calls under way, per thread: a resolver running in another thread is not
        # inside this one's call
        self._local = threading.local()
        self._parsing = False

    def reset(self) -> None:
        """Forget what was counted so far (the warm-up)."""
        self.seconds = dict.fromkeys(CATEGORIES, 0.0)
        self.calls = dict.fromkeys(CATEGORIES, 0)
        self.parse_seconds = 0.0

    # ---- wrapping --------------------------------------------------------------------
    def _timed(self, function: Callable[..., Any], category: str) -> Callable[..., Any]:
        clock, local = self, self._local
        if inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def timed_generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                # the work of a generator happens while it is iterated: time each step
                steps = function(*args, **kwargs)
                while True:
                    depth = getattr(local, "depth", 0)
                    outer = depth == 0
                    local.depth = depth + 1
                    started = time.perf_counter()
                    try:
                        item = next(steps)
                    except StopIteration:
                        return
                    finally:
                        local.depth -= 1
                        if outer:
                            clock.seconds[category] += time.perf_counter() - started
                    yield item

            return timed_generator

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if getattr(local, "depth", 0):
                return function(*args, **kwargs)
            local.depth = 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                local.depth = 0
                clock.seconds[category] += time.perf_counter() - started
                clock.calls[category] += 1

        # a functools.cache'd resolver keeps its cache_clear / cache_info
        for attribute in ("cache_clear", "cache_info", "cache_parameters"):
            if hasattr(function, attribute):
                setattr(timed, attribute, getattr(function, attribute))
        return timed

    def _wrap_class(self, cls: type, category: str) -> None:
        for attribute, member in list(vars(cls).items()):
            if attribute.startswith("_"):
                continue
            if isinstance(member, (staticmethod, classmethod)):
                function = member.__func__
                if inspect.isfunction(function):
                    setattr(cls, attribute, type(member)(self._timed(function, category)))
            elif inspect.isfunction(member):
                setattr(cls, attribute, self._timed(member, category))

    def install(self) -> None:
        """Wrap the resolvers where they are defined and wherever they were imported by name.

        Call it before building the pipeline: an object made earlier may hold a reference
        to a resolver function that no timer would see.
        """
        modules = resolver_modules()
        categories = module_categories(modules)
        replaced: dict[int, Callable[..., Any]] = {}
        for module_name, module in modules.items():
            category = categories[module_name]
            if category is None:
                if _defines_names(module):
                    print(
                        f"resolver-share: {module_name} belongs to no resolver; its functions "
                        "are timed only inside a resolver's call",
                        file=sys.stderr,
                    )
                continue
            for name, value in list(vars(module).items()):
                if name.startswith("_") or getattr(value, "__module__", None) != module_name:
                    continue
                if inspect.isclass(value):
                    self._wrap_class(value, category)
                elif callable(value) and inspect.isfunction(inspect.unwrap(value)):
                    replaced[id(value)] = self._timed(value, category)
                    setattr(module, name, replaced[id(value)])
        # `from eventline.resolve.places.document import is_demonym_place` keeps its own reference;
        # those inside eventline.resolve are left alone: a call through them is inside a
        # resolver's call already, and a timer there would only add its own cost
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", None)
            if not isinstance(name, str) or not name.startswith("eventline."):
                continue
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                continue
            for attribute, value in list(vars(module).items()):
                if callable(value) and id(value) in replaced:
                    setattr(module, attribute, replaced[id(value)])

    def time_parser(self, nlp: Any) -> None:
        """Time spaCy's parse by shadowing `pipe` on this Language object."""
        original = nlp.pipe
        clock = self

        def timed_pipe(*args: Any, **kwargs: Any) -> Iterator[Any]:
            # spaCy's pipe calls itself for as_tuples=True: only the outermost call counts
            outer = not clock._parsing
            docs = original(*args, **kwargs)
            while True:
                clock._parsing = True
                started = time.perf_counter()
                try:
                    item = next(docs)
                except StopIteration:
                    return
                finally:
                    if outer:
                        clock._parsing = False
                        clock.parse_seconds += time.perf_counter() - started
                yield item

        nlp.pipe = timed_pipe


# ---- one round (in fresh processes) --------------------------------------------------------
def measure_once(quick: bool, timed: bool) -> dict[str, Any]:
    """Extract the corpus once in this process, with or without the timers. Only a text
    outside the corpus warms up: caches inside the resolvers stay as cold as in real use."""
    from eventline.model import Document
    from eventline.nlp import load_nlp
    from eventline.pipeline import Pipeline

    documents = load_corpus(quick=quick)
    clock = ResolverClock()
    if timed:
        clock.install()
    pipeline = Pipeline()
    warm = Document(
        "warm-up",
        "KANO, Nigeria (AP) - Soldiers attacked a village near Kano on Monday, killing two "
        "people, the army said. Police said on Tuesday that 12 militants were arrested.",
    )
    list(pipeline.process_many([warm]))
    if timed:
        clock.reset()
        clock.time_parser(load_nlp())
    started = time.perf_counter()
    events = sum(len(r.events) for r in pipeline.process_many(documents))
    seconds = time.perf_counter() - started
    return {
        "articles": len(documents),
        "words": word_count(documents),
        "events": events,
        "seconds": seconds,
        "parse_seconds": clock.parse_seconds,
        "resolver_seconds_by_kind": clock.seconds,
        "resolver_calls_by_kind": clock.calls,
    }


def measure_gazetteer_load() -> dict[str, float]:
    """Load the gazetteer in this (fresh) process: seconds, and resident memory it adds."""
    import resource

    from eventline.resolve.places import gazetteer

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    gaz = gazetteer.Gazetteer.load()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss_mb": (after - before) / 1024,
        "entries": float(len(gaz._rows)),
    }


def measure_round(quick: bool) -> dict[str, Any]:
    """A plain and a timed extraction, each in a fresh process, combined into the shares."""
    plain, timed = (_in_subprocess(quick, kind) for kind in ("plain", "timed"))
    gazetteer_load = _in_subprocess(quick, "gazetteer")
    resolver_seconds = sum(timed["resolver_seconds_by_kind"].values())
    seconds = timed["seconds"]
    return {
        "articles": timed["articles"],
        "words": timed["words"],
        "events": timed["events"],
        "same_events": plain["events"] == timed["events"],
        "plain_seconds": plain["seconds"],
        "instrumented_seconds": seconds,
        "parse_seconds": timed["parse_seconds"],
        "resolver_seconds": resolver_seconds,
        "resolver_seconds_by_kind": timed["resolver_seconds_by_kind"],
        "resolver_calls_by_kind": timed["resolver_calls_by_kind"],
        "share_of_extraction": resolver_seconds / seconds,
        "share_of_extraction_after_parse": resolver_seconds / (seconds - timed["parse_seconds"]),
        "timer_overhead": seconds / plain["seconds"] - 1,
        "gazetteer_load_seconds": gazetteer_load["seconds"],
        "gazetteer_load_cpu_seconds": gazetteer_load["cpu_seconds"],
        "gazetteer_rss_mb": gazetteer_load["rss_mb"],
    }


def _in_subprocess(quick: bool, kind: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.resolver_share", "--one-round", kind] + (["--quick"] if quick else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"resolver-share {kind} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_rounds(rounds: int, quick: bool) -> list[dict[str, Any]]:
    return [measure_round(quick) for _ in range(rounds)]


def format_markdown(results: list[dict[str, Any]], command: str) -> str:
    def spread(key: str, scale: float = 1.0, digits: int = 1, kind: str | None = None) -> str:
        values = [(r[key][kind] if kind else r[key]) * scale for r in results]
        median = statistics.median(values)
        return f"{median:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"

    first = results[0]
    lines = [
        f"Corpus: {first['articles']} articles, {first['words']:,} words; {len(results)} rounds, "
        f"each in a fresh process, prefilter on (the default). Command: `{command}`",
        "",
        "| figure | median (min-max) |",
        "|---|---|",
        f"| extraction, plain (s) | {spread('plain_seconds')} |",
        f"| extraction, with timers (s) | {spread('instrumented_seconds')} |",
        f"| of which spaCy parse (s) | {spread('parse_seconds')} |",
        f"| of which resolvers (s) | {spread('resolver_seconds', digits=2)} |",
    ]
    for kind in CATEGORIES:
        lines.append(
            f"| - {kind} (s) | {spread('resolver_seconds_by_kind', digits=2, kind=kind)} |"
        )
    lines += [
        f"| resolvers, % of extraction time | {spread('share_of_extraction', 100)} |",
        f"| resolvers, % of extraction time after the parse | "
        f"{spread('share_of_extraction_after_parse', 100)} |",
        f"| timers' own cost, % of plain time | {spread('timer_overhead', 100)} |",
        f"| gazetteer load alone, fresh process (s) | {spread('gazetteer_load_seconds', digits=2)} |",
        f"| gazetteer load, CPU (s) | {spread('gazetteer_load_cpu_seconds', digits=2)} |",
        f"| memory the gazetteer adds (MB, resident) | {spread('gazetteer_rss_mb', digits=0)} |",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 60-article slice")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--one-round", choices=("plain", "timed", "gazetteer"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one_round == "gazetteer":
        print(json.dumps(measure_gazetteer_load()))
        return 0
    if args.one_round:
        print(json.dumps(measure_once(args.quick, timed=args.one_round == "timed")))
        return 0
    results = run_rounds(args.rounds, args.quick)
    command = "python -m bench.resolver_share" + (" --quick" if args.quick else "")
    command += f" --rounds {args.rounds}"
    markdown = format_markdown(results, command)
    print(markdown)
    if not args.no_write:
        out = Path("bench") / "results"
        out.mkdir(parents=True, exist_ok=True)
        name = "resolver_share_quick.json" if args.quick else "resolver_share.json"
        (out / name).write_text(json.dumps(results, indent=2), encoding="utf-8")
        write_section(markdown, start=START, end=END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
