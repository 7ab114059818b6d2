"""Lint: no function longer than MAX_LINES lines unless a comment says why.

Usage: python scripts/check_function_length.py [PATH ...]   (default: eventline)

A function (def or async def, methods and nested functions too) may run longer than
MAX_LINES lines, counted from its `def` to its last line, only when the comment lines right
above its `def` (above or among its decorators) say why and name the length, e.g.

    # one table of rows tried in order, longer than 80 lines on purpose: the order is part
    # of the rules and reads top to bottom in one place
    def _rules() -> ...:

Prints each function that breaks the rule as path:line name (lines) and exits 1 if any does.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_LINES = 80
# what the comment above a long function must say
REASON_MARK = f"{MAX_LINES} lines"


def long_functions(path: Path) -> Iterator[tuple[int, str, int]]:
    """(line, name, length) of each function in `path` over MAX_LINES lines without a reason."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > MAX_LINES and REASON_MARK not in _comment_above(lines, node):
            yield node.lineno, node.name, length


def _comment_above(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The comment lines just above a function's `def`, read past its decorators."""
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    comment: list[str] = []
    index = node.lineno - 2  # the line above the def, 0-based
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            comment.append(text)
        elif not (text.startswith("@") or index + 1 > first):
            break
        index -= 1
    return " ".join(reversed(comment))


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or [Path("eventline")]
    found = 0
    for root in roots:
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            for line, name, length in long_functions(path):
                print(f"{path}:{line}: {name} is {length} lines (over {MAX_LINES}); shorten "
                      f"it, or say why above its def in a comment naming '{REASON_MARK}'")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
