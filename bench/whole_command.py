"""What a user waits for: the whole `eventline extract` command (start, model loading, reading,
extraction, output) against bare spaCy parsing of the same texts with two processes,
model loading included on both sides.

    .venv/bin/python -m bench.whole_command [--articles N] [--rounds R] [--sizes 50000 ...]

- corpus: the benchmark's articles (bench.common.load_corpus), the first N of an even slice,
  written once as JSONL to a temporary folder;
- `spacy-2`: a fresh Python process loads the spaCy model and runs `nlp.pipe(n_process=2)`
  over the texts (the baseline);
- `extract-default`, `extract-1`, `extract-2`: `python -m eventline extract FILE` with the
  default process count, `--processes 1` and `--processes 2`;
- `--sizes`: the same three extract runs on inputs cut to these many characters, to show
  where starting the workers pays (eventline.engines.local.PARALLEL_INPUT_CHARS);
- load: a fresh process times `EventModel.load()` and the whole pipeline's warm-up.

Each run is timed from outside (wall clock) with the CPU time and the largest peak RSS of the
process and its children (getrusage). Ratios are computed inside a round; medians over rounds.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import load_corpus, word_count, write_jsonl
from eventline.model import Document

# the baseline loads the spaCy model package as it ships (bench.common.bare_nlp)
SPACY_SCRIPT = """
import importlib, json, sys
from eventline.nlp import MODEL_PACKAGE
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = importlib.import_module(MODEL_PACKAGE).load()
print(sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=2)))
"""
LOAD_SCRIPT = """
import json, time
from eventline.extraction.event_model import EventModel
from eventline.engines.local import default_pipeline_factory
wall, cpu = time.perf_counter(), time.process_time()
EventModel.load()
out = {"event_model_load_s": time.perf_counter() - wall, "event_model_load_cpu_s": time.process_time() - cpu}
default_pipeline_factory(())
out |= {"pipeline_ready_s": time.perf_counter() - wall, "pipeline_ready_cpu_s": time.process_time() - cpu}
print(json.dumps(out))
"""


def _cut(documents: Sequence[Document], chars: int) -> list[Document]:
    out, size = [], 0
    for document in documents:
        if size >= chars:
            break
        out.append(document)
        size += len(document.text)
    return out


def timed(command: list[str]) -> dict[str, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one command run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: some document had an error, reported on stderr
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": after.ru_maxrss / 1024, "stdout": done.stdout}  # type: ignore[dict-item]


def extract_runs(path: Path) -> dict[str, dict[str, float]]:
    base = [sys.executable, "-m", "eventline", "extract", str(path)]
    return {
        "extract-default": timed(base),
        "extract-1": timed([*base, "--processes", "1"]),
        "extract-2": timed([*base, "--processes", "2"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.whole_command")
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000])
    args = parser.parse_args(argv)
    corpus = load_corpus()
    step = max(1, len(corpus) // args.articles)
    documents = corpus[::step][: args.articles]
    out: dict[str, object] = {
        "articles": len(documents),
        "words": word_count(documents),
        "characters": sum(len(d.text) for d in documents),
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        write_jsonl(documents, path)
        load = timed([sys.executable, "-c", LOAD_SCRIPT])
        out["load"] = json.loads(str(load["stdout"]).strip().splitlines()[-1]) | {
            "peak_rss_mb": load["peak_rss_mb"]
        }
        rounds = []
        for _ in range(args.rounds):
            runs = {"spacy-2": timed([sys.executable, "-c", SPACY_SCRIPT, str(path)])}
            runs |= extract_runs(path)
            base = runs["spacy-2"]["wall_s"]
            rounds.append({k: {**_clean(v), "x_spacy_2": base / v["wall_s"]} for k, v in runs.items()})
        out["rounds"] = rounds
        out["median_x_spacy_2"] = {
            key: round(statistics.median(r[key]["x_spacy_2"] for r in rounds), 3) for key in rounds[0]
        }
        sizes = {}
        for chars in args.sizes:
            cut = Path(folder) / f"cut{chars}.jsonl"
            write_jsonl(_cut(documents, chars), cut)
            sizes[str(chars)] = {k: _clean(v) for k, v in extract_runs(cut).items()}
        out["sizes"] = sizes
    print(json.dumps(out, indent=1))
    return 0


def _clean(run: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 2) for k, v in run.items() if k != "stdout"}


if __name__ == "__main__":
    sys.exit(main())
