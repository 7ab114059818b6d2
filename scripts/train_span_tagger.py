"""Train the source/target span tagger and its target phrase ranker (both in
eventline/data/models/span_tagger.pkl) and report their 5-fold span F1 per role.

Usage: `python scripts/train_span_tagger.py [DATA_DIR]` (default ../shared/eval/dev). Reads
conflibert_cameo/cameo_ner_train.txt (tokens with S/T BIO tags), scores 5 folds of contiguous
sentence groups (each fold's model never sees its sentences), then fits on all sentences and
writes the model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventline.evaluation.conflibert import cross_validate_tagger, load_tagged  # noqa: E402
from eventline.extraction.span_tagger import SpanTagger, parse_tokens  # noqa: E402


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
    sentences = load_tagged(data_dir)
    docs = [parse_tokens(words) for words, _ in sentences]
    tags = [t for _, t in sentences]
    print(json.dumps(cross_validate_tagger(docs, tags), indent=1))
    SpanTagger.fit(docs, tags).save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
