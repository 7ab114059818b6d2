"""Train the attack role tagger and the incident model (eventline/data/models/attack_roles.pkl)
and report their 5-fold figures by document.

Usage: `python scripts/train_attack_roles.py [DATA_DIR]` (default ../shared/eval/dev). Reads
muc4/train.json only (the MUC-4 training templates; muc4/dev.json is never read), parses the
stories as the pipeline does, scores 5 folds of stories (each fold's models never see its
stories) for each choice of sentences read (every sentence of a story or those with an
attack), margin taken off the tagger's O scores and threshold of the incident model (0: the
tagger alone), then fits on all stories with the best
setting and writes the model. Deterministic: the same data and
package versions give the same file.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy  # noqa: E402

from eventline.training import attack_roles  # noqa: E402

SEED = 13


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    data_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
    docs = attack_roles.load_templates(data_dir / "muc4" / "train.json")
    examples = attack_roles.examples(docs, attack_roles.parse(docs))
    numpy.random.seed(SEED)  # the linear SVM's coordinate descent draws its order from here
    figures = attack_roles.cross_validate(examples)
    print(json.dumps(figures, indent=1))
    numpy.random.seed(SEED)
    attack_roles.train(examples, figures).save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
