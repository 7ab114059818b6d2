"""Throughput benchmark: eventline end to end against bare spaCy parsing of the same texts.

The corpus is fixed: the article texts of the development sets beside the repository
(TimeBank + AQUAINT .tml files, LGL and TR-News articles) plus the seed article. Every
measurement runs in a fresh Python process, so its peak memory is its own, and reports
articles/s, words/s, CPU time and peak RSS. A "round" measures every configuration once,
back to back, and the eventline/spaCy ratio is computed inside a round, so a machine that
slows down between rounds does not skew it. Model loading and worker start-up happen before
the clock starts (`LocalExtractor.start_workers` waits until every worker has loaded its
pipeline). `python -m bench.run` runs the rounds and writes docs/performance.md; the other
bench scripts take their corpus and report helpers from here.
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from eventline.model import Document

if TYPE_CHECKING:
    from spacy.language import Language

    from eventline.engines.workers import PipelineLike

# what each mode measures; "spacy" is the bare full parse every other mode is compared to
MODES = {
    "spacy": "bare spaCy: nlp.pipe over the full texts, every component",
    "spacy-prefiltered": "spaCy over the prefilter's masked texts (parse cost the prefilter saves)",
    "eventline": "the eventline pipeline as shipped (prefilter on), through the local engine",
    "eventline-unfiltered": "the same pipeline with the prefilter off: every sentence parsed",
}
# documents per batch handed to a worker, as `eventline extract` batches them
BATCH_SIZE = 16
QUICK_ARTICLES = 60


def shared_dir() -> Path:
    """../shared beside the repository, or $EVENTLINE_SHARED."""
    env = os.environ.get("EVENTLINE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared"


# ---- the corpus -------------------------------------------------------------------------
def _tml_document(path: Path) -> Document | None:
    raw = path.read_text(encoding="utf-8", errors="replace")
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.DOTALL)
    if not body:
        return None
    text = html.unescape(re.sub(r"<[^>]+>", "", body.group(1))).strip()
    created = re.search(r'functionInDocument="CREATION_TIME"[^>]*>([^<]+)<', raw)
    published = _parse_date(created.group(1)) if created else None
    return Document(Document.make_id(text), text, published=published, origin=path.name)


def _parse_date(value: str) -> date | None:
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value.strip())
    return date(*map(int, match.groups())) if match else None


def _geo_documents(path: Path) -> Iterator[Document]:
    for article in ET.parse(path).getroot().iter("article"):
        text = (article.findtext("text") or "").strip()
        if text:
            published = _parse_date(article.findtext("dltime") or "")
            origin = f"{path.name}#{article.get('docid')}"
            yield Document(Document.make_id(text), text, published=published, origin=origin)


def load_corpus(root: Path | None = None, quick: bool = False) -> list[Document]:
    """The benchmark's documents in a fixed order. `quick` takes an even slice of 60."""
    root = root or shared_dir()
    dev = root / "eval" / "dev"
    documents: list[Document] = []
    for seed in sorted((root / "seed").glob("*.txt")):
        text = seed.read_text(encoding="utf-8").strip()
        documents.append(Document(Document.make_id(text), text, origin=seed.name))
    for tml in sorted((dev / "timebank").rglob("*.tml")):
        document = _tml_document(tml)
        if document:
            documents.append(document)
    for name in ("lgl.xml", "TR-News.xml"):
        if (dev / "geo" / name).is_file():
            documents.extend(_geo_documents(dev / "geo" / name))
    if quick and len(documents) > QUICK_ARTICLES:
        step = len(documents) / QUICK_ARTICLES
        documents = [documents[int(i * step)] for i in range(QUICK_ARTICLES)]
    return documents


def word_count(documents: Sequence[Document]) -> int:
    return sum(len(d.text.split()) for d in documents)


# ---- one measurement (runs in its own process) ------------------------------------------
def write_jsonl(documents: Sequence[Document], path: Path) -> Path:
    """The documents as eventline's JSONL input (id, text, published when known)."""
    with path.open("w", encoding="utf-8") as handle:
        for document in documents:
            record = {"id": document.id, "text": document.text}
            if document.published:
                record["published"] = document.published.isoformat()
            handle.write(json.dumps(record) + "\n")
    return path


def _peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux: KB units)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own, children


def _cpu_seconds(pids: Sequence[int] = ()) -> float:
    """CPU time (user + system) of this process, of its waited-for children and of the
    running processes `pids` (read from /proc; 0 for them where there is none)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


@dataclass
class Prepared:
    """A mode ready to time: its run, an untimed clean-up, and its worker processes."""

    run: Callable[[], int]
    finish: Callable[[], None] = lambda: None
    worker_pids: list[int] = field(default_factory=list)


def bare_nlp() -> Language:
    """The baseline: the spaCy model package loaded as it ships, without what
    `eventline.nlp.load_nlp` adds or changes (paragraph breaks, the lemmatizer's word index
    as sets), so that a change eventline makes to spaCy counts as eventline's."""
    import importlib

    from eventline.nlp import MODEL_PACKAGE

    return importlib.import_module(MODEL_PACKAGE).load()  # type: ignore[no-any-return]


def _run_spacy(documents: list[Document], processes: int, masked: bool) -> Prepared:
    nlp = bare_nlp()
    texts = [d.text for d in documents]
    if masked:
        from eventline.prefilter import candidate_sentences, mask_text

        texts = [mask_text(t, candidate_sentences(t)) for t in texts]
    list(nlp.pipe(["Warm-up sentence for the parser."]))

    def run() -> int:
        # with n_process > 1 spaCy forks its workers inside this call: fork shares the
        # loaded model, so their start is cheap, and it is part of what spaCy costs
        return sum(1 for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes))

    return Prepared(run)


def unfiltered_pipeline_factory(actor_files: Sequence[Path]) -> PipelineLike:
    """The shipped pipeline with the prefilter off (module level: workers unpickle it)."""
    from eventline.engines.local import WARM_UP_TEXT
    from eventline.pipeline import Pipeline

    pipeline = Pipeline(actor_files=actor_files, prefilter=False)
    pipeline.process(Document("warm-up", WARM_UP_TEXT))
    return pipeline


def _run_eventline(
    documents: list[Document], processes: int, prefilter: bool = True
) -> Prepared:
    from eventline.engines.local import LocalExtractor, default_pipeline_factory

    factory = default_pipeline_factory if prefilter else unfiltered_pipeline_factory
    extractor = LocalExtractor(processes=processes, pipeline_factory=factory).__enter__()
    # every worker started and its pipeline loaded (model, dictionaries, gazetteer) before
    # the clock starts: a worker still loading would hold its first batch inside the timing
    pids = extractor.start_workers()

    def run() -> int:
        batches = [documents[i : i + BATCH_SIZE] for i in range(0, len(documents), BATCH_SIZE)]
        return sum(len(out) for _, out in extractor.map_batches(batches))  # type: ignore[arg-type]

    # the workers must have exited before their peak memory can be read (RUSAGE_CHILDREN)
    finish = lambda: extractor.__exit__(None, None, None)  # noqa: E731
    return Prepared(run, finish, pids if processes > 1 else [])


def measure(mode: str, processes: int, quick: bool) -> dict[str, float]:
    """Time one mode over the corpus in this process; model loading is not timed."""
    documents = load_corpus(quick=quick)
    if mode.startswith("eventline"):
        prepared = _run_eventline(documents, processes, prefilter=mode == "eventline")
    else:
        prepared = _run_spacy(documents, processes, masked=mode == "spacy-prefiltered")
    cpu_before = _cpu_seconds(prepared.worker_pids)
    started = time.perf_counter()
    done = prepared.run()
    seconds = time.perf_counter() - started
    # spaCy's forked workers have been waited for by now (RUSAGE_CHILDREN); pool workers
    # are still running and read from /proc
    cpu = _cpu_seconds(prepared.worker_pids) - cpu_before
    prepared.finish()
    own, child = _peak_rss_mb()
    words = word_count(documents)
    return {
        "articles": done,
        "words": words,
        "seconds": seconds,
        "articles_per_s": done / seconds,
        "words_per_s": words / seconds,
        "peak_rss_mb": own,
        "peak_rss_worker_mb": child if processes > 1 else own,
        # CPU used by all processes of the run: on a machine shared with other jobs wall
        # time varies with their load, CPU time per word much less
        "cpu_seconds": cpu,
        "words_per_cpu_s": words / cpu if cpu > 0 else 0.0,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
    }


def measure_in_subprocess(mode: str, processes: int, quick: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.common", mode, str(processes)]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark run {mode}/{processes} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def kept_share(texts: Iterable[str]) -> float:
    """Share of characters the prefilter keeps over some texts (docs/performance.md)."""
    from eventline.prefilter import candidate_sentences

    total = kept = 0
    for text in texts:
        total += len(text)
        kept += sum(end - start for start, end in candidate_sentences(text))
    return kept / total if total else 1.0


# ---- rounds and the summary ---------------------------------------------------------------
@dataclass
class Spread:
    median: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))


@dataclass
class BenchReport:
    command: str
    quick: bool
    articles: int
    words: int
    rounds: int
    machine: dict[str, str]
    # "mode/processes" -> metric -> spread over rounds
    results: dict[str, dict[str, Spread]] = field(default_factory=dict)
    # "mode/processes" -> ratio of its words/s to spacy's, same round
    ratios: dict[str, Spread] = field(default_factory=dict)
    # the same with words per CPU second: what each costs, whatever else runs on the machine
    cpu_ratios: dict[str, Spread] = field(default_factory=dict)
    raw: list[dict[str, dict[str, float]]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def machine_info() -> dict[str, str]:
    import spacy

    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total_kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{total_kb / 1024 / 1024:.1f} GB"
    return {
        "cpu_cores": str(os.cpu_count()),
        "cpu": _cpu_name(),
        "ram": memory,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }


def _cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def run_benchmark(
    *,
    rounds: int = 3,
    processes: Sequence[int] = (1, 2),
    modes: Sequence[str] = tuple(MODES),
    quick: bool = False,
    command: str = "",
    on_result: Callable[[str, dict[str, float]], None] | None = None,
) -> BenchReport:
    """Measure every mode x process count `rounds` times, each in a fresh process."""
    documents = load_corpus(quick=quick)
    report = BenchReport(
        command=command,
        quick=quick,
        articles=len(documents),
        words=word_count(documents),
        rounds=rounds,
        machine=machine_info(),
    )
    for _ in range(rounds):
        this_round: dict[str, dict[str, float]] = {}
        for count in processes:
            for mode in modes:
                key = f"{mode}/{count}"
                this_round[key] = measure_in_subprocess(mode, count, quick)
                if on_result is not None:
                    on_result(key, this_round[key])
        report.raw.append(this_round)
    for key in report.raw[0]:
        values = [r[key] for r in report.raw]
        report.results[key] = {
            metric: Spread.of([v[metric] for v in values])
            for metric in (
                "articles_per_s",
                "words_per_s",
                "peak_rss_mb",
                "peak_rss_worker_mb",
                "words_per_cpu_s",
                "load_average",
            )
        }
        base = f"spacy/{key.split('/')[1]}"
        if base in report.raw[0] and key != base:
            report.ratios[key] = Spread.of(
                [r[key]["words_per_s"] / r[base]["words_per_s"] for r in report.raw]
            )
            report.cpu_ratios[key] = Spread.of(
                [r[key]["words_per_cpu_s"] / r[base]["words_per_cpu_s"] for r in report.raw]
            )
    return report


def format_markdown(report: BenchReport) -> str:
    """The benchmark section of docs/performance.md."""
    m = report.machine
    lines = [
        f"Corpus: {report.articles} articles, {report.words:,} words"
        f"{' (quick slice)' if report.quick else ''}; {report.rounds} rounds, each mode in a fresh process.",
        f"Machine: {m['cpu_cores']} cores ({m['cpu']}), {m['ram']} RAM, {m['os']}, "
        f"Python {m['python']}, spaCy {m['spacy']}.",
        f"Command: `{report.command}`",
        "",
        "| mode | processes | articles/s | words/s | x bare spaCy | peak RSS MB (worker) "
        "| words per CPU s | x bare spaCy (CPU) | load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, metrics in report.results.items():
        mode, processes = key.split("/")
        ratio, cpu_ratio = report.ratios.get(key), report.cpu_ratios.get(key)
        lines.append(
            f"| {mode} | {processes} | {_spread(metrics['articles_per_s'], 2)} | "
            f"{_spread(metrics['words_per_s'], 0)} | "
            f"{_spread(ratio, 2) if ratio else '1 (baseline)'} | "
            f"{metrics['peak_rss_worker_mb'].maximum:.0f} | "
            f"{_spread(metrics['words_per_cpu_s'], 0)} | "
            f"{_spread(cpu_ratio, 2) if cpu_ratio else '1'} | "
            f"{_spread(metrics['load_average'], 1)} |"
        )
    lines += [
        "",
        "Figures are median (min-max) over the rounds; the ratio is words/s against bare "
        "spaCy with the same process count, in the same round. Peak RSS is the largest over "
        "the rounds, of the one process or of the largest worker. Words per CPU second "
        "count the CPU time of every process of the run (parent and workers); the load "
        "average (1 minute) is read at the end of each run. Model loading and worker "
        "start-up are not timed.",
    ]
    return "\n".join(lines)


def _spread(spread: Spread, digits: int) -> str:
    return (
        f"{spread.median:,.{digits}f} ({spread.minimum:,.{digits}f}-{spread.maximum:,.{digits}f})"
    )


# run from a checkout, the figures go into its docs; elsewhere into ./docs of the current folder
DOC = Path("docs") / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_section(markdown: str, path: Path = DOC, *, start: str = START, end: str = END) -> None:
    """Replace the block between the `start` and `end` markers (appended when missing)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Performance\n"
    block = f"{start}\n{markdown}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # one measurement, used by measure_in_subprocess
    mode_arg, processes_arg = sys.argv[1], int(sys.argv[2])
    print(json.dumps(measure(mode_arg, processes_arg, quick="--quick" in sys.argv)))
