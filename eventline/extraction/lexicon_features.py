"""The trigger lexicon's reading of a text, as feature tokens for the event model.

A word that, after undoing common inflections ("shelled" -> shell), is a trigger in
eventline/data/triggers.csv or a weapon cue in modes.csv yields its PLOVER event and mode,
ACLED event and sub-event type, QuadClass and CAMEO root. The model learns how much each
reading is worth: the lexicon informs the decision and no longer makes it. The lexicon is
read when the model runs, so an extended lexicon reaches the model at once (retrain to
re-learn the weights).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[a-z][a-z'-]*")
# inflection endings tried when looking a word up in the lexicon, with what replaces them
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
    ("ing", ""), ("ing", "e"),
)  # fmt: skip


@lru_cache(maxsize=1)
def _irregular_lemmas() -> dict[str, tuple[str, ...]]:
    """Irregular form -> its lemmas ("struck" -> strike), from the prefilter's table."""
    from eventline.prefilter import _irregular_forms

    lemmas: dict[str, list[str]] = {}
    for (lemma, _), forms in _irregular_forms().items():
        for form in forms:
            lemmas.setdefault(form, []).append(lemma)
    return {form: tuple(dict.fromkeys(found)) for form, found in lemmas.items()}


def lemma_candidates(word: str) -> list[str]:
    """The word and the bases it may be an inflection of ("shelled" -> shell, "raids" -> raid,
    "struck" -> strike), without a parse: the lexicon decides which is a real trigger."""
    out = [word, *_irregular_lemmas().get(word, ())]
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)] + replacement
            out.append(stem)
            if ending in ("ed", "ing") and len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "shelled" -> shell, "bombing" -> bomb
    return list(dict.fromkeys(out))


class LexiconAnalyzer:
    """Text -> the trigger lexicon's labels for its words, as feature tokens.

    A word the lexicon knows as a trigger yields its PLOVER event, mode, ACLED event and
    sub-event type, QuadClass and CAMEO root; a weapon cue yields its ACLED sub-event type and
    mode; multiword triggers ("call for", "hunger strike") count as one. Stateless, so the
    pickled model reads the lexicon as it is when it runs.
    """

    def __call__(self, text: str) -> list[str]:
        from eventline.extraction.lexicon import get_lexicon

        lexicon = get_lexicon()
        words = _WORD.findall(text.lower())
        features: list[str] = []
        for i, word in enumerate(words):
            candidates, opens_multiword, own = _reading(lexicon, word)
            if opens_multiword:
                multi = self._multiword(lexicon, candidates, words, i + 1)
                if multi is not None:
                    features += [*_type_features(multi), f"multi={multi.event_type}"]
            features += own
        return features

    @staticmethod
    def _multiword(lexicon: Any, candidates: Sequence[str], words: list[str], following: int) -> Any:
        """The longest multiword trigger whose first word is one of `candidates` (its first
        word may be inflected) and whose other words start at `following`."""
        for n in range(lexicon.max_multi, 1, -1):
            tail = tuple(words[following : following + n - 1])
            if len(tail) < n - 1:
                continue
            for candidate in candidates:
                entry = lexicon.multi.get((candidate, *tail))
                if entry is not None:
                    return entry
        return None


# news vocabulary is small: a word's reading is computed once per process, not per sentence
@lru_cache(maxsize=1 << 16)
def _reading(lexicon: Any, word: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """A word's bases, whether one of them opens a multiword trigger, and the features its
    bases give on their own: the first trigger among them, and the first weapon cue."""
    candidates = tuple(lemma_candidates(word))
    own: list[str] = []
    for candidate in candidates:
        hit = lexicon.single.get((candidate, "VERB")) or lexicon.single.get((candidate, "NOUN"))
        if hit is not None:
            own += _type_features(hit)
            break
    cue = next((lexicon.cues[c] for c in candidates if c in lexicon.cues), None)
    if cue is not None:
        own += [f"cue={cue.acled_sub_event_type}", f"cue_mode={cue.mode}"]
    opens_multiword = any(c in lexicon.multi_starts for c in candidates)
    return candidates, opens_multiword, tuple(own)


def _type_features(entry: Any) -> list[str]:
    return [
        f"event={entry.event_type}",
        f"event_mode={entry.event_type}/{entry.mode}",
        f"acled={entry.acled_event_type}",
        f"sub={entry.acled_sub_event_type}",
        f"quad={entry.quad_class}",
        f"cameo={entry.cameo[:2]}",
    ]
