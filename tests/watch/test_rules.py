"""The rules file: exactly the keys of each kind, one clear error naming file and line."""

from __future__ import annotations

import pytest

from eventline.errors import ConfigError
from eventline.watch.rules import Rule, load_rules

GOOD = """rules:
  - name: deadly-day
    when: fatalities
    window_days: 1
    at_least: 5
    country: irq
    actor: USAMIL
    type: assault
  - name: dyad-resumes
    when: dyad_resumes
    quiet_days: 14
  - name: escalation
    when: spike
    window_days: 7
    baseline_days: 90
    factor: 3
  - name: claims-disagree
    when: claims
"""


def test_the_issue_rules_load(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD)
    rules = load_rules(path)
    assert rules[0] == Rule(
        "deadly-day", "fatalities", window_days=1, at_least=5.0, country="IRQ",
        actor="USAMIL", event_type="ASSAULT",
    )  # fmt: skip
    assert rules[1].quiet_days == 14 and rules[2].baseline_days == 90 and rules[2].factor == 3.0
    assert rules[3].when == "claims" and rules[3].factor == 2.0


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        ("rules:\n  - name: a\n    when: fatalities\n    window_days: 1\n    at_least: 5\n    treshold: 3\n", 6, "unknown key 'treshold'"),
        ("rules:\n  - name: a\n    when: earthquake\n", 3, "unknown kind when: 'earthquake'"),
        ("rules:\n  - name: a\n    when: spike\n    window_days: 7\n    factor: 3\n", 2, "needs 'baseline_days'"),
        ("rules:\n  - name: a\n    when: dyad_resumes\n    quiet_days: 2.5\n", 4, "not a whole number"),
        ("rules:\n  - name: a\n    when: fatalities\n    window_days: 1\n    at_least: many\n", 5, "not a number above 0"),
        ("rules:\n  - name: a\n    when: claims\n  - name: a\n    when: claims\n", 4, "a second rule is named 'a'"),
        ("rules:\n  - when: claims\n", 2, "no 'name'"),
        ("alerts:\n  - name: a\n", 1, "unknown top-level key 'alerts'"),
        ("rules:\n  - name: a\n    when: claims\n    country: Iraq\n", 4, "not an ISO alpha-3"),
        ("rules: [\n", 2, "not YAML"),
    ],
)
def test_a_bad_rule_is_one_error_with_file_and_line(tmp_path, text, line, detail):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    assert caught.value.code == "E702"
    assert f"{path}, line {line}: " in str(caught.value)
    assert detail in str(caught.value)


def test_a_missing_rules_file_is_e703(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path / "none.yaml")
    assert caught.value.code == "E703"
