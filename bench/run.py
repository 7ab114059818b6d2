"""Run the throughput benchmark and write its figures into docs/performance.md.

    .venv/bin/python bench/run.py [--quick] [--rounds 3] [--processes 1 2] [--no-write]

The same as `eventline bench`; see eventline/benchmark.py. Run it from the repository root.
"""

from __future__ import annotations

import sys

from eventline.benchmark import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
