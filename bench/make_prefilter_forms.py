"""Regenerate eventline/data/prefilter/irregular_forms.tsv from the spaCy model's lemmatizer.

The prefilter matches inflected word forms without running spaCy, so it needs the irregular
forms ("struck" -> strike, "fled" -> flee, "dead" stays a cue word) as plain data. The
English rule lemmatizer already ships those exceptions; this script writes them out once.

    .venv/bin/python bench/make_prefilter_forms.py
"""

from __future__ import annotations

from pathlib import Path

OUT = (
    Path(__file__).resolve().parents[1] / "eventline" / "data" / "prefilter" / "irregular_forms.tsv"
)
POS_TABLES = ("verb", "noun")


def main() -> None:
    from eventline.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups
    exceptions = lookups.get_table("lemma_exc")
    rows: set[tuple[str, str, str]] = set()
    for pos in POS_TABLES:
        for form, lemmas in exceptions.get(pos, {}).items():
            for lemma in lemmas:
                if form.isalpha() and lemma.isalpha() and form != lemma:
                    rows.add((form.lower(), lemma.lower(), pos))
    lines = [
        "# form\tlemma\tpos  (irregular English forms; from the spaCy English lemmatizer tables)"
    ]
    lines += [f"{form}\t{lemma}\t{pos}" for form, lemma, pos in sorted(rows)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
