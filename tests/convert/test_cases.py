"""Before/after pairs, one file per case in cases/.

A case file holds the input, then ``# ----- converted -----`` and the expected
output, then optionally ``# ----- warnings -----`` and one ``# LINE: text``
comment per expected warning (the text is matched as a prefix).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compat.convert.notebook import convert_python_text

CASES = sorted((Path(__file__).parent / "cases").glob("*.py"))
CONVERTED = "# ----- converted -----\n"
WARNINGS = "# ----- warnings -----\n"


def _split(path: Path) -> tuple[str, str, list[tuple[int, str]]]:
    text = path.read_text(encoding="utf-8")
    source, _, rest = text.partition(CONVERTED)
    expected, _, warnings_block = rest.partition(WARNINGS)
    warnings = []
    for line in warnings_block.splitlines():
        number, _, message = line.removeprefix("# ").partition(": ")
        warnings.append((int(number), message))
    return source, expected, warnings


def test_there_are_cases() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case(case: Path) -> None:
    source, expected, warnings = _split(case)
    result = convert_python_text(source, case.name)
    assert result.output == expected
    got = [(w.line, w.message) for w in result.warnings]
    assert len(got) == len(warnings), got
    for (line, message), (want_line, want_text) in zip(got, warnings):
        assert line == want_line
        assert message.startswith(want_text), message
    assert result.status == ("unchanged" if source == expected else "converted")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_is_idempotent(case: Path) -> None:
    _, expected, _ = _split(case)
    again = convert_python_text(expected, case.name)
    assert again.output == expected
    assert again.changes == []
