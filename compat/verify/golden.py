"""Golden files: the parsed outputs of a seeded notebook run, kept as JSON.

A golden file sits beside its notebook as ``<stem>.golden.json`` (or in a
golden directory). It records, for every code cell, the parsed output of
``compare.parse_output``: the text skeleton and the values, arrays stored as
flat lists with their shape and dtype (no pickle). Checking runs the notebook
again with the same seed and compares cell by cell with tolerances.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compat.errors import InvalidNotebookError
from compat.paths import get_rnn_path
from compat.verify.compare import (
    Comparison,
    ParsedOutput,
    cell_output_text,
    compare_outputs,
    parse_output,
)

__all__ = [
    "GOLDEN_SUFFIX",
    "CellCheck",
    "check_golden",
    "golden_path",
    "read_golden",
    "record_golden",
    "write_golden",
]

GOLDEN_SUFFIX = ".golden.json"
_FORMAT = 1


def golden_path(notebook: Path, golden_dir: Path | None = None) -> Path:
    """Where the golden file of ``notebook`` lives."""
    directory = notebook.parent if golden_dir is None else golden_dir
    return directory / f"{notebook.stem}{GOLDEN_SUFFIX}"


def _source_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def record_golden(notebook: Any, *, name: str, seed: int | None) -> dict[str, Any]:
    """Build the golden record of an executed notebook."""
    cells = []
    number = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        number += 1
        cells.append(
            {
                "number": number,
                "index": index,
                "id": cell.get("id"),
                "source_sha256": _source_hash(cell.source),
                "output": parse_output(cell_output_text(cell)).to_json(),
            }
        )
    return {
        "format": _FORMAT,
        "notebook": name,
        "seed": seed,
        "rnn_path": get_rnn_path(),
        "cells": cells,
    }


def write_golden(record: dict[str, Any], path: Path) -> None:
    """Write a golden record as stable, diff-friendly JSON."""
    path.write_text(
        json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def read_golden(path: Path) -> dict[str, Any]:
    """Read a golden file.

    Raises:
        FileNotFoundError: If it does not exist.
        InvalidNotebookError: If it is not a golden file of this format.
    """
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no golden file; record one with `tf1compat golden record`"
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InvalidNotebookError(
            f"{path}: not a golden file: invalid JSON at line {error.lineno}"
        ) from None
    if not isinstance(record, dict) or record.get("format") != _FORMAT:
        raise InvalidNotebookError(
            f"{path}: not a golden file of format {_FORMAT}; record it again"
        )
    return record


@dataclass
class CellCheck:
    """The comparison of one code cell with its golden output."""

    number: int
    index: int
    source: str
    expected: ParsedOutput
    actual: ParsedOutput | None
    comparison: Comparison | None
    note: str | None = None

    @property
    def ok(self) -> bool:
        """True when the cell's output matches (exactly or within tolerance)."""
        return self.comparison is not None and self.comparison.status != "different"


def check_golden(
    notebook: Any, record: dict[str, Any], *, rtol: float = 1e-5, atol: float = 1e-6
) -> list[CellCheck]:
    """Compare an executed notebook's code cells with a golden record.

    Cells are paired by their number among code cells; a changed source is
    reported as a note, since outputs of edited code need not match.
    """
    code = [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    recorded_path = record.get("rnn_path")
    current_path = get_rnn_path()
    path_hint = None
    if recorded_path is not None and recorded_path != current_path:
        # Fast and reference paths differ in the last digits and in the names
        # of the final-state tensors a notebook may print.
        path_hint = (
            f"the golden file was recorded on dynamic_rnn's {recorded_path!r} path "
            f"and this run used {current_path!r}; set TF1COMPAT_RNN_PATH="
            f"{recorded_path} or record the golden file again"
        )
    checks = []
    for entry in record["cells"]:
        expected = ParsedOutput.from_json(entry["output"])
        number = entry["number"]
        if number > len(code):
            checks.append(
                CellCheck(
                    number,
                    entry["index"],
                    "",
                    expected,
                    None,
                    None,
                    "cell missing from the notebook",
                )
            )
            continue
        index, cell = code[number - 1]
        actual = parse_output(cell_output_text(cell))
        note = None
        if _source_hash(cell.source) != entry["source_sha256"]:
            note = "the cell's source changed since the golden file was recorded"
        comparison = compare_outputs(expected, actual, rtol=rtol, atol=atol)
        if path_hint is not None and comparison.status == "different":
            note = path_hint if note is None else f"{note}; {path_hint}"
        checks.append(
            CellCheck(number, index, cell.source, expected, actual, comparison, note)
        )
    for number in range(len(record["cells"]) + 1, len(code) + 1):
        index, cell = code[number - 1]
        actual = parse_output(cell_output_text(cell))
        checks.append(
            CellCheck(
                number,
                index,
                cell.source,
                ParsedOutput(""),
                actual,
                None,
                "cell not in the golden file",
            )
        )
    return checks
