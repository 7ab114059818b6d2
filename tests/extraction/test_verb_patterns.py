"""PETRARCH verb dictionaries: a verb's code, refined by the words around it."""

from __future__ import annotations

from pathlib import Path

from eventline.extraction.frames import FrameFinder
from eventline.extraction.lexicon import get_lexicon
from eventline.extraction.verb_patterns import (
    UserVerbs,
    VerbDictionary,
    event_code,
    is_verb_dictionary,
)

VERBS = """&TIETYPES
+DIPLOMATIC
+ECONOMIC

--- RESTORE [---] ---
RESTORE {RESTORES RESTORED}
- * &TIETYPES TIES [064]
- NOT * [112]

--- SHELL [190] ---
SHELL
BOMBARD
- * WITH LEAFLETS [---]

--- BROKEN [190]

&NEGAUX
+DID N'T
+WILL NOT

--- CONTRIBUTE [070] ---
CONTRIBUTE
- * EUROS [903]

--- CLASH [190] ---
CLASH
- &NEGAUX * OVER [904]
"""


def _dictionary(tmp_path: Path) -> VerbDictionary:
    path = tmp_path / "mine.verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    assert is_verb_dictionary(path)
    return VerbDictionary.load([path])


def _user_pipeline(tmp_path: Path):
    """A pipeline with VERBS as the user's verb dictionary."""
    from eventline.pipeline import Pipeline

    path = tmp_path / "mine.verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    return Pipeline(actor_files=[path])


def _code(nlp, verbs: VerbDictionary, text: str, verb: str):
    doc = nlp(text)
    return verbs.code_for(next(t for t in doc if t.lower_ == verb))


def test_patterns_refine_the_block_code(nlp, tmp_path: Path) -> None:
    verbs = _dictionary(tmp_path)
    said = _code(nlp, verbs, "Arnor restored diplomatic ties with Gondor.", "restored")
    assert said is not None and said.code == "064" and said.origin == "mine.verbs.txt:7"
    assert _code(nlp, verbs, "Arnor restored order.", "restored").code is None  # [---]
    assert _code(nlp, verbs, "Rebels bombarded the town.", "bombarded").code == "190"
    assert _code(nlp, verbs, "Jets shelled the town with leaflets.", "shelled").code is None
    assert _code(nlp, verbs, "Arnor praised Gondor.", "praised") is None
    assert len(verbs.problems) == 1 and "mine.verbs.txt, line 15" in verbs.problems[0]
    negated = _code(nlp, verbs, "Bree didn't clash over the talks.", "clash")
    assert negated is not None and negated.code == "904" and negated.negated
    assert not _code(nlp, verbs, "Arnor restored diplomatic ties.", "restored").negated


def test_user_code_wins_over_the_lexicon(nlp, tmp_path: Path) -> None:
    user = UserVerbs(_dictionary(tmp_path), get_lexicon())
    finder = FrameFinder(user.lexicon)
    doc = nlp("Arnor restored economic ties with Gondor.")
    frames = user.recode([f for s in doc.sents for f in finder.find(s)])
    assert [f.etype.cameo for f in frames] == ["064"]
    assert frames[0].user_coded  # the event model leaves a user's type alone
    assert frames[0].etype.event_type == user.type_for("06").event_type  # PLOVER follows
    assert event_code("042:043") == "042" and event_code(":173") == "173"


def test_cameo_roots_the_lexicon_lacks_follow_the_root_they_join(tmp_path: Path) -> None:
    user = UserVerbs(_dictionary(tmp_path), get_lexicon())
    appeal, demand = user.type_for("021"), user.type_for("10")
    investigate, disapprove = user.type_for("091"), user.type_for("11")
    assert appeal is not None and demand is not None and appeal.cameo == "021"
    assert appeal.event_type == demand.event_type  # PLOVER REQUEST
    assert investigate is not None and disapprove is not None
    assert investigate.event_type == disapprove.event_type
    assert user.type_for("015") is None  # a public statement has no PLOVER type


def test_a_user_code_stands_in_a_statement_of_intent(tmp_path: Path) -> None:
    result = _user_pipeline(tmp_path).extract_text(
        "Arnor is about to restore diplomatic ties with Gondor."
    )
    # eventline's own lexicon reads an intent as a promise; the user's pattern codes the verb
    assert [e.cameo for e in result.events] == ["064"]


def test_a_code_beyond_cameo_keeps_the_type_of_its_verb(tmp_path: Path) -> None:
    pipeline = _user_pipeline(tmp_path)
    aid = pipeline.extract_text("Arnor will contribute a million euros to Gondor.").events
    # a user's own code (903) stays the event's code; PLOVER type and QuadClass follow 070
    assert [e.cameo for e in aid] == ["903"]
    assert aid[0].event_type == UserVerbs(_dictionary(tmp_path), get_lexicon()).type_for(
        "070"
    ).event_type


def test_a_pattern_naming_the_negation_codes_the_negated_verb(tmp_path: Path) -> None:
    pipeline = _user_pipeline(tmp_path)
    said = pipeline.extract_text("Bree didn't clash over the talks with Gondor.").events
    assert [e.cameo for e in said] == ["904"]
    # without a pattern for it, a negated verb stays no event
    assert not pipeline.extract_text("Bree didn't bombard Gondor.").events
