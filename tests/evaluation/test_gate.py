"""The CI accuracy gate: the subset pinned in eval-floors.json must not fall below its floors.

When accuracy rises, pin the new figures with `eventline eval --raise-floors` (on the same
subset: the sets and limit stored in eval-floors.json); floors never move down.
"""

import json
import logging
from pathlib import Path

import pytest

from eventline.evaluation import report, runner

FLOORS = Path(__file__).resolve().parents[2] / "eval-floors.json"


@pytest.mark.gold
@pytest.mark.timeout(2400)  # the classifier's k-fold and ten sets on a shared 2-core machine
def test_ci_subset_stays_above_its_floors(eval_dev: Path):
    pinned = json.loads(FLOORS.read_text(encoding="utf-8"))
    logging.disable(logging.ERROR)  # the pipeline logs the documents it skips; figures count them
    try:
        board = runner.run(pinned["sets"], eval_dev, pinned["limit"])
    finally:
        logging.disable(logging.NOTSET)
    failures = report.check_floors(board, FLOORS)
    assert failures == [], "accuracy fell below eval-floors.json:\n" + "\n".join(failures)
