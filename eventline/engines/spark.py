"""Spark engine: the same Pipeline as the local engine, spread over a Spark cluster.

    eventline ingest --engine spark [--master local[2]] INPUT...

Inputs are JSONL files or Parquet datasets (local paths or any URI Spark reads: hdfs://,
s3a://, ...), one record per document with the JSONL ingest fields. The job:

1. reads the records and turns them into Documents with the same rules as `eventline
   ingest` (bad records become Problems), dropping ids the store already holds;
2. runs Pipeline.process_many in `mapPartitions`: each Python worker builds the pipeline
   (and loads spaCy) once and keeps it for every partition it gets;
3. writes Parquet under OUTPUT: results/ (one row per document, everything as JSON, the
   lossless record), events/, claims/ and problems/ (flat columns for analysis);
4. reads results/ back on the driver and writes it to the store, one transaction per batch.

pyspark is an optional extra and is imported only here, inside functions.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from eventline.engines.local import IngestSummary, default_pipeline_factory
from eventline.engines.workers import (
    THREAD_VARIABLES,
    PipelineFactory,
    PipelineLike,
    extract_batch,
    one_thread_per_library,
)
from eventline.errors import ConfigError, EventlineError, Msg
from eventline.model import Claim, Document, Event, Problem, Result
from eventline.resolve.places.source_homes import SourceHomes

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz")
# small, laptop-safe defaults; a real cluster passes its own through spark-submit --conf
LOCAL_CONF = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.driver.memory": "1g",
    "spark.executor.memory": "1g",
    "spark.sql.shuffle.partitions": "4",
    "spark.python.worker.reuse": "true",
    "spark.ui.showConsoleProgress": "false",
}


@dataclass
class SparkIngestSummary(IngestSummary):
    output: str = ""  # where the Parquet datasets were written ("" when a temporary folder)


def require_pyspark() -> Any:
    try:
        import pyspark
    except ImportError as error:
        raise ConfigError(Msg.E601) from error
    return pyspark


def build_session(master: str | None = "local[2]", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession. With a local master it binds to 127.0.0.1 and runs without a UI;
    with master=None the master comes from spark-submit."""
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("eventline")
    settings: dict[str, str] = {
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
    }
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            settings |= LOCAL_CONF
            # local Python workers start from the environment, not from the Spark conf
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings |= conf or {}
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


# ---- reading inputs -----------------------------------------------------------------------
def _input_kind(path: str) -> str:
    lowered = path.lower().rstrip("/")
    if lowered.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lowered.endswith(".parquet") or _is_parquet_folder(path):
        return "parquet"
    raise ConfigError(Msg.E602, path=path)


def _is_parquet_folder(path: str) -> bool:
    folder = Path(path)
    return folder.is_dir() and any(folder.glob("*.parquet"))


def _record_items(line: str, number: int, origin: str) -> list[Document | Problem]:
    # the ingest module's JSONL rules: ids, cleaning, dates and problems stay identical
    from eventline.ingest import _jsonl_record

    return list(_jsonl_record(line, number, origin, None))


def _jsonl_partition(rows: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for (line, origin), index in rows:
        if line.strip():
            yield from _encode_items(_record_items(line, index + 1, origin), index)


def _parquet_partition(rows: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for row, index in rows:
        record = {k: v for k, v in row.asDict().items() if v is not None}
        line = json.dumps(record, default=_json_default)
        items = _record_items(line, index + 1, f"parquet:{index + 1}")
        yield from _encode_items(items, index)


def _json_default(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _encode_items(items: Iterable[Document | Problem], record: int) -> Iterator[tuple[str, str]]:
    # (key, payload): documents keyed by id so repeats collapse; problems by record number
    for item in items:
        if isinstance(item, Document):
            yield item.id, json.dumps(item.to_dict())
        else:
            yield f"!{record:012d}{item.code}", json.dumps(_problem_dict(item))


def _problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "kind": "problem",
        "origin": problem.origin,
        "code": problem.code,
        "message": problem.message,
        "severity": problem.severity,
        "doc_id": problem.doc_id,
    }


def _problem_from_dict(data: dict[str, Any]) -> Problem:
    return Problem(**{k: v for k, v in data.items() if k != "kind"})


def _read_items(spark: Any, paths: Sequence[str]) -> Any:
    """An RDD of (key, json) for every document and input problem."""
    from pyspark.sql.functions import input_file_name

    rdds = []
    jsonl = [p for p in paths if _input_kind(p) == "jsonl"]
    parquet = [p for p in paths if _input_kind(p) == "parquet"]
    if jsonl:
        frame = spark.read.text(jsonl).withColumn("origin", input_file_name())
        rdds.append(frame.rdd.map(tuple).zipWithIndex().mapPartitions(_jsonl_partition))
    if parquet:
        frame = spark.read.parquet(*parquet)
        rdds.append(frame.rdd.zipWithIndex().mapPartitions(_parquet_partition))
    return rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)


# ---- extraction on the executors ----------------------------------------------------------
_pipelines: dict[tuple[Any, tuple[str, ...]], PipelineLike] = {}


def _pipeline(factory: PipelineFactory, actor_names: tuple[str, ...]) -> PipelineLike:
    """One pipeline per Python worker, reused for every partition it processes."""
    key = (factory, actor_names)
    if key not in _pipelines:
        from pyspark import SparkFiles

        paths = [Path(SparkFiles.get(name)) for name in actor_names]
        # Spark runs one Python worker per task slot, so the slots already fill the cores;
        # multi-threaded BLAS in each worker (the parser's and classifier's matrix products)
        # would only oversubscribe them, as in the local engine's workers
        for variable in THREAD_VARIABLES:
            os.environ.setdefault(variable, "1")
        _pipelines[key] = factory(paths)
        one_thread_per_library()
    return _pipelines[key]


def _extract_partition(
    rows: Iterable[tuple[str, str]],
    factory: PipelineFactory,
    actor_names: tuple[str, ...],
    batch_size: int,
    homes: Any = None,
) -> Iterator[tuple[str, str, str, str, str, str]]:
    pipeline: PipelineLike | None = None
    batch: list[Document | Problem] = []
    # where each source is, from the documents the store held when the run started
    known: SourceHomes = homes.value if homes is not None else SourceHomes()
    for _key, payload in rows:
        data = json.loads(payload)
        is_problem = data.get("kind") == "problem"
        item = _problem_from_dict(data) if is_problem else Document.from_dict(data)
        known.give_homes([item])
        batch.append(item)
        if len(batch) >= batch_size:
            pipeline = pipeline or _pipeline(factory, actor_names)
            yield from _encode_outputs(batch, extract_batch(pipeline, batch))
            batch = []
    if batch:
        pipeline = pipeline or _pipeline(factory, actor_names)
        yield from _encode_outputs(batch, extract_batch(pipeline, batch))


def _encode_outputs(
    items: Sequence[Document | Problem], outputs: Sequence[Result | Problem]
) -> Iterator[tuple[str, str, str, str, str, str]]:
    """One row per input item: doc_id, document, events, claims, problems and the focus
    regions (JSON strings)."""
    for item, output in zip(items, outputs, strict=True):
        document = item if isinstance(item, Document) else None
        if isinstance(output, Result):
            events = [e.to_dict() for e in output.events]
            claims = [c.to_dict() for c in output.claims]
            problems = [_problem_dict(p) for p in output.problems]
            regions = [list(region) for region in output.regions]
            document = output.document
        else:
            events, claims, problems, regions = [], [], [_problem_dict(output)], []
        ok = isinstance(output, Result)
        yield (
            document.id if document else "",
            json.dumps(document.to_dict()) if document and ok else "",
            json.dumps(events),
            json.dumps(claims),
            json.dumps(problems),
            json.dumps(regions),
        )


RESULT_COLUMNS = ("doc_id", "document", "events", "claims", "problems", "regions")
EVENT_COLUMNS = (
    ("id", "string"), ("doc_id", "string"), ("event_type", "string"), ("mode", "string"),
    ("cameo", "string"), ("quad_class", "int"), ("acled_event_type", "string"),
    ("acled_sub_event_type", "string"), ("actor1_code", "string"), ("actor1_text", "string"),
    ("actor2_code", "string"), ("actor2_text", "string"), ("date", "string"),
    ("date_precision", "string"), ("place", "string"), ("country", "string"),
    ("lat", "double"), ("lon", "double"), ("fatalities", "int"), ("fatalities_max", "int"),
    ("attribution", "string"), ("confidence", "double"), ("sentence", "string"),
    ("char_start", "int"), ("char_end", "int"), ("trigger", "string"), ("json", "string"),
)  # fmt: skip


def _flat_event(data: dict[str, Any]) -> tuple[Any, ...]:
    actor1, actor2, place = (
        data.get("actor1") or {},
        data.get("actor2") or {},
        data.get("location") or {},
    )
    values = {
        **data,
        "actor1_code": actor1.get("code"), "actor1_text": actor1.get("text"),
        "actor2_code": actor2.get("code"), "actor2_text": actor2.get("text"),
        "place": place.get("name") or place.get("text"), "country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"), "json": json.dumps(data),
    }  # fmt: skip
    out = []
    for name, kind in EVENT_COLUMNS:
        value = values.get(name)
        if value is not None:
            value = {"int": int, "double": float}.get(kind, str)(value)
        out.append(value)
    return tuple(out)


def _schema(columns: Iterable[tuple[str, str]]) -> Any:
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    types = {"string": StringType(), "int": IntegerType(), "double": DoubleType()}
    return StructType([StructField(name, types[kind], True) for name, kind in columns])


def _write_outputs(spark: Any, results: Any, output: str) -> None:
    string_columns = [(c, "string") for c in RESULT_COLUMNS]
    spark.createDataFrame(results, _schema(string_columns)).write.mode("overwrite").parquet(
        f"{output}/results"
    )
    # the derived tables are read from results/, so the pipeline ran exactly once
    stored = spark.read.parquet(f"{output}/results").rdd
    events = stored.flatMap(lambda row: [_flat_event(e) for e in json.loads(row["events"])])
    spark.createDataFrame(events, _schema(EVENT_COLUMNS)).write.mode("overwrite").parquet(
        f"{output}/events"
    )
    claim_columns = [("id", "string"), ("doc_id", "string"), ("count", "int"), ("json", "string")]
    claims = stored.flatMap(
        lambda row: [
            (c["id"], c["doc_id"], c.get("count"), json.dumps(c)) for c in json.loads(row["claims"])
        ]
    )
    spark.createDataFrame(claims, _schema(claim_columns)).write.mode("overwrite").parquet(
        f"{output}/claims"
    )
    problem_columns = [
        (name, "string") for name in ("origin", "code", "message", "severity", "doc_id")
    ]
    problems = stored.flatMap(
        lambda row: [
            tuple(p.get(name) for name, _ in problem_columns) for p in json.loads(row["problems"])
        ]
    )
    spark.createDataFrame(problems, _schema(problem_columns)).write.mode("overwrite").parquet(
        f"{output}/problems"
    )


# ---- the driver ---------------------------------------------------------------------------
def _stored_ids(items: Any, store: Any, chunk: int = 10_000) -> set[str]:
    """Ids already in the store, checked in chunks from the driver (ids are short)."""
    found: set[str] = set()
    ids: list[str] = []
    for key in items.keys().filter(lambda k: not k.startswith("!")).toLocalIterator():
        ids.append(key)
        if len(ids) >= chunk:
            found |= store.has_documents(ids)
            ids = []
    if ids:
        found |= store.has_documents(ids)
    return found


def run_spark_ingest(
    inputs: Sequence[str],
    store: Any | None,
    *,
    master: str | None = "local[2]",
    output: str | None = None,
    actor_files: Sequence[Path] = (),
    batch_size: int = 32,
    spark_conf: dict[str, str] | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
    pipeline_factory: PipelineFactory = default_pipeline_factory,
    session: Any | None = None,
) -> SparkIngestSummary:
    """Extract `inputs` on Spark, write Parquet under `output`, then fill `store` (if given).

    `session`: an existing SparkSession to use (it is left running); otherwise one is built
    from `master` and stopped at the end.
    """
    for path in inputs:
        _input_kind(path)  # fail early, before starting a JVM, on an unknown input
    started = time.perf_counter()
    spark = session or build_session(master, spark_conf)
    keep_output = output is not None
    target = output or tempfile.mkdtemp(prefix="eventline-spark-")
    summary = SparkIngestSummary(output=target if keep_output else "")
    try:
        context = spark.sparkContext
        for actor_file in actor_files:
            context.addFile(str(actor_file))
        actor_names = tuple(Path(p).name for p in actor_files)
        items = _read_items(spark, inputs).persist()
        summary.documents_seen = items.count()
        skip = context.broadcast(_stored_ids(items, store) if store is not None else set())
        unique = items.reduceByKey(lambda first, _second: first)  # repeated ids: once
        summary.documents_skipped = summary.documents_seen - unique.count()
        fresh = unique.filter(lambda kv: kv[0] not in skip.value)
        summary.documents_skipped += unique.count() - fresh.count()
        homes = context.broadcast(store.source_homes() if store is not None else SourceHomes())
        extract = partial(
            _extract_partition,
            factory=pipeline_factory,
            actor_names=actor_names,
            batch_size=batch_size,
            homes=homes,
        )
        # a small input file is one partition, and reduceByKey keeps its parent's count
        # unless spark.default.parallelism is set: ask for a task per core at least
        partitions = max(context.defaultParallelism, fresh.getNumPartitions())
        ordered = fresh.sortByKey(numPartitions=partitions)
        _write_outputs(spark, ordered.mapPartitions(extract), target)
        items.unpersist()
        _fill_store(spark, target, store, batch_size, summary, on_progress)
        summary.elapsed_seconds = time.perf_counter() - started
    except EventlineError:
        raise
    except Exception as error:  # Py4J and Spark errors: one clear message
        if type(error).__module__.startswith(("py4j", "pyspark")):
            raise ConfigError(Msg.E603, detail=_short(error), master=master) from error
        raise
    finally:
        if session is None:
            spark.stop()
        if not keep_output:
            shutil.rmtree(target, ignore_errors=True)
    return summary


def _short(error: BaseException) -> str:
    """The telling line of a Spark error: the Python exception, not the Java stack."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    named = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (named[-1] if named else lines[0] if lines else type(error).__name__)[:300]


def _fill_store(
    spark: Any,
    output: str,
    store: Any | None,
    batch_size: int,
    summary: SparkIngestSummary,
    on_progress: Callable[[IngestSummary], None] | None,
) -> None:
    rows = spark.read.parquet(f"{output}/results").orderBy("doc_id").toLocalIterator()
    batch: list[Result] = []
    for row in rows:
        problems = [_problem_from_dict(p) for p in json.loads(row["problems"])]
        failed = any(p.severity == "error" for p in problems)
        if not row["document"] or failed:  # an input problem or a document whose extraction failed
            summary.problems.extend(problems)
            summary.documents_failed += sum(1 for p in problems if p.severity == "error")
            continue
        result = Result(
            document=Document.from_dict(json.loads(row["document"])),
            events=[Event.from_dict(e) for e in json.loads(row["events"])],
            claims=[Claim.from_dict(c) for c in json.loads(row["claims"])],
            problems=problems,
            regions=[(str(r[0]), str(r[1])) for r in json.loads(row["regions"])],
        )
        summary.problems.extend(problems)
        summary.events += len(result.events)
        summary.claims += len(result.claims)
        batch.append(result)
        if len(batch) >= batch_size:
            _write_batch(store, batch, summary, on_progress)
            batch = []
    if batch:
        _write_batch(store, batch, summary, on_progress)


def _write_batch(
    store: Any | None,
    batch: list[Result],
    summary: SparkIngestSummary,
    on_progress: Callable[[IngestSummary], None] | None,
) -> None:
    written = store.add_results(batch) if store is not None else len(batch)
    summary.documents_new += written
    summary.documents_skipped += len(batch) - written
    if on_progress is not None:
        on_progress(summary)


def spark_available() -> bool:
    try:
        require_pyspark()
    except ConfigError:
        return False
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
