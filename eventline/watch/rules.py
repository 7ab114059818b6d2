"""Alert rules from a YAML file (`eventline watch --alerts RULES.yaml`).

    rules:
      - name: deadly-day          # fatalities summed over a window, optionally filtered
        when: fatalities
        window_days: 1
        at_least: 5
        country: IRQ              # optional on every kind; also actor: USAMIL, type: ASSAULT
      - name: dyad-resumes        # a dyad's first event after a quiet spell
        when: dyad_resumes
        quiet_days: 14
      - name: escalation          # events in the window against the median of earlier ones
        when: spike
        window_days: 7
        baseline_days: 90
        factor: 3
      - name: claims-disagree     # a claimed count against the events the store holds
        when: claims
        factor: 2

Each kind takes exactly its keys: an unknown key or kind, a missing or malformed value is
one error (E702) naming the file and line, before the watch starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventline.errors import ConfigError, Msg

FILTER_KEYS = ("country", "actor", "type")
# each kind: its required keys, then its optional ones with their defaults
KINDS: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    "fatalities": (("window_days", "at_least"), {}),
    "dyad_resumes": (("quiet_days",), {}),
    "spike": (("window_days", "baseline_days", "factor"), {}),
    "claims": ((), {"factor": 2.0}),
}
WHOLE_DAYS = ("window_days", "quiet_days", "baseline_days")
SCALARS = yaml.constructor.SafeConstructor()  # a composed scalar node to its Python value


@dataclass(frozen=True)
class Rule:
    name: str
    when: str
    window_days: int = 1
    at_least: float = 0.0
    quiet_days: int = 0
    baseline_days: int = 0
    factor: float = 0.0
    country: str | None = None
    actor: str | None = None
    event_type: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {"country": self.country, "actor": self.actor, "type": self.event_type}


def load_rules(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Msg.E703, path=str(path), detail=str(exc)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ConfigError(
            Msg.E702, path=str(path), line=line, detail=f"not YAML ({getattr(exc, 'problem', exc)})"
        ) from exc
    rules_node = _rules_node(root, path)
    rules: list[Rule] = []
    for node in rules_node.value:
        rule = _rule(node, path)
        if any(other.name == rule.name for other in rules):
            raise _error(path, node, f"a second rule is named {rule.name!r}")
        rules.append(rule)
    return rules


def _error(path: Path, node: Any, detail: str) -> ConfigError:
    return ConfigError(Msg.E702, path=str(path), line=node.start_mark.line + 1, detail=detail)


def _rules_node(root: Any, path: Path) -> Any:
    if not isinstance(root, yaml.MappingNode):
        if root is None:
            raise ConfigError(Msg.E703, path=str(path), detail="the file is empty")
        raise _error(path, root, "the file must be a mapping with one key, 'rules'")
    for key, _ in root.value:
        if key.value != "rules":
            raise _error(
                path, key, f"unknown top-level key {key.value!r} (the only one is 'rules')"
            )
    found = [value for key, value in root.value if key.value == "rules"]
    if not found or not isinstance(found[0], yaml.SequenceNode):
        raise _error(path, found[0] if found else root, "'rules' must be a list of rules")
    return found[0]


def _rule(node: Any, path: Path) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise _error(path, node, "a rule must be a mapping of keys to values")
    values: dict[str, tuple[Any, Any]] = {}
    for key, value in node.value:
        if not isinstance(value, yaml.ScalarNode):
            raise _error(path, value, f"{key.value!r} must be a single value")
        values[str(key.value)] = (key, SCALARS.construct_object(value))
    for needed in ("name", "when"):
        if needed not in values or values[needed][1] in (None, ""):
            raise _error(path, node, f"the rule has no {needed!r}")
    when = str(values["when"][1])
    if when not in KINDS:
        raise _error(
            path, values["when"][0], f"unknown kind when: {when!r} (kinds: {', '.join(KINDS)})"
        )
    required, optional = KINDS[when]
    allowed = {"name", "when", *FILTER_KEYS, *required, *optional}
    for name, (key, _) in values.items():
        if name not in allowed:
            keys = ", ".join(sorted(allowed))
            raise _error(path, key, f"unknown key {name!r} for a {when} rule (its keys: {keys})")
    fields: dict[str, Any] = dict(optional)
    for name in required:
        if name not in values:
            raise _error(path, node, f"a {when} rule needs {name!r}")
    for name in (*required, *optional):
        if name in values:
            fields[name] = _number(path, name, *values[name])
    return Rule(
        name=str(values["name"][1]),
        when=when,
        country=_filter(path, values, "country"),
        actor=_filter(path, values, "actor"),
        event_type=_filter(path, values, "type"),
        **fields,
    )


def _number(path: Path, name: str, key: Any, value: Any) -> float | int:
    whole = name in WHOLE_DAYS
    good = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    if good and whole and float(value) != int(value):
        good = False
    if not good:
        kind = "a whole number of days above 0" if whole else "a number above 0"
        raise _error(path, key, f"{name}: {value!r} is not {kind}")
    return int(value) if whole else float(value)


def _filter(path: Path, values: dict[str, tuple[Any, Any]], name: str) -> str | None:
    if name not in values or values[name][1] in (None, ""):
        return None
    value = str(values[name][1]).strip()
    if name == "country" and not (len(value) == 3 and value.isalpha()):
        raise _error(
            path, values[name][0], f"country: {value!r} is not an ISO alpha-3 code like IRQ"
        )
    return value.upper() if name in ("country", "type") else value
