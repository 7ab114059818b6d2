"""scripts/check_function_length.py: long functions need a comment that says why."""

from __future__ import annotations

from pathlib import Path

from tests.scripts import load_script


def _function(name: str, body_lines: int, above: str = "") -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines))
    return f"{above}def {name}() -> None:\n{body}"


def test_long_functions_without_a_reason_are_found(tmp_path: Path) -> None:
    check = load_script("check_function_length")
    source = tmp_path / "module.py"
    source.write_text(
        _function("short", 79)
        + _function("long", 80)
        + _function("explained", 120, "# longer than 80 lines on purpose: one table\n")
        + _function("decorated", 90, "@staticmethod\n# over 80 lines: one table\n@staticmethod\n")
        + "class Holder:\n"
        + _function("method", 85).replace("\n", "\n    ").replace("def", "    def", 1)
    )
    found = [(name, length) for _, name, length in check.long_functions(source)]
    assert found == [("long", 81), ("method", 86)]
    assert check.main([str(source)]) == 1


def test_a_folder_of_short_functions_passes(tmp_path: Path) -> None:
    check = load_script("check_function_length")
    fine = tmp_path / "fine.py"
    fine.write_text(_function("short", 10))
    assert check.main([str(tmp_path)]) == 0
