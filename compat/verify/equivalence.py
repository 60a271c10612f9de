"""Legacy versus migrated: run both with one seed, pair their cells, compare.

The legacy notebook runs unchanged on the TF1 kernel, the migrated one on a
plain Python kernel; both get the same ``TF1COMPAT_SEED``, so the shim's
weights are the same in both. Cells are paired by the converter's record
(``metadata["tf1compat"]["legacy_cell"]``), else by cell id, else by position
among code cells. Each pair gets one verdict:

``equal``           the parsed outputs are identical;
``within``          equal within rtol/atol (max abs and rel error given);
``different``       values, shapes, dtypes, tensor names or text differ;
``not comparable``  one side did not produce the cell (missing, kernel died,
                    timed out, output over the size cap).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compat.errors import CellTimeoutError, KernelDiedError
from compat.verify.compare import (
    Comparison,
    cell_output_text,
    compare_outputs,
    parse_output,
)
from compat.verify.execute import execute_notebook, read_notebook

__all__ = [
    "CellVerdict",
    "NotebookVerdict",
    "compare_executed",
    "pair_cells",
    "verify_notebooks",
    "verify_scripts",
]

_logger = logging.getLogger(__name__)

DEFAULT_MAX_OUTPUT_BYTES = 1_000_000


@dataclass
class CellVerdict:
    """The comparison of one legacy cell with its migrated counterpart."""

    number: int
    """1-based number of the legacy code cell."""
    legacy_index: int | None
    migrated_index: int | None
    status: str
    reason: str | None = None
    max_abs: float = 0.0
    max_rel: float = 0.0
    differences: list[str] = field(default_factory=list)
    legacy_source: str = ""
    migrated_source: str = ""
    legacy_output: str = ""
    migrated_output: str = ""

    @property
    def ok(self) -> bool:
        """True for ``equal`` and ``within``."""
        return self.status in ("equal", "within")


@dataclass
class NotebookVerdict:
    """The verification of one legacy/migrated pair."""

    legacy: str
    migrated: str
    seed: int | None
    rtol: float
    atol: float
    cells: list[CellVerdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Run-level problems: a kernel that died, a timeout, no code cells."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every cell matched and both runs completed."""
        return not self.problems and all(c.ok for c in self.cells)

    def counts(self) -> dict[str, int]:
        """How many cells got each verdict."""
        result = {"equal": 0, "within": 0, "different": 0, "not comparable": 0}
        for cell in self.cells:
            result[cell.status] += 1
        return result


def _code_cells(notebook: Any) -> list[tuple[int, Any]]:
    return [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]


def pair_cells(legacy: Any, migrated: Any) -> list[tuple[int, int | None]]:
    """Pair every legacy code cell index with a migrated cell index (or None)."""
    legacy_code = _code_cells(legacy)
    migrated_code = _code_cells(migrated)
    by_record = {
        c.metadata.get("tf1compat", {}).get("legacy_cell"): i for i, c in migrated_code
    }
    by_id = {c.get("id"): i for i, c in migrated_code if c.get("id")}
    recorded = any(key is not None for key in by_record)
    pairs: list[tuple[int, int | None]] = []
    for position, (index, cell) in enumerate(legacy_code):
        if recorded:
            pairs.append((index, by_record.get(index)))
        elif cell.get("id") and cell.get("id") in by_id:
            pairs.append((index, by_id[cell.get("id")]))
        else:
            match = (
                migrated_code[position][0] if position < len(migrated_code) else None
            )
            pairs.append((index, match))
    return pairs


def _error_of(cell: Any) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {output.get('evalue')}".strip()
    return None


def _text(cell: Any, cap: int) -> tuple[str | None, str | None]:
    text = cell_output_text(cell)
    size = len(text.encode("utf-8"))
    if size > cap:
        return None, f"output of {size} bytes is over the {cap}-byte cap"
    return text, None


def _describe(comparison: Comparison) -> list[str]:
    notes = [d.message for d in comparison.differences]
    if comparison.skeleton_diff:
        notes.insert(0, "the text around the values differs")
    return notes


def compare_executed(
    legacy: Any,
    migrated: Any,
    *,
    rtol: float,
    atol: float,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    stopped: dict[str, int | None] | None = None,
) -> list[CellVerdict]:
    """Compare two executed notebooks cell by cell.

    Args:
        legacy: The executed legacy notebook.
        migrated: The executed migrated notebook.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        max_output_bytes: Outputs larger than this are not compared.
        stopped: For each side ("legacy", "migrated"), the cell index at which
            its run stopped (kernel died or timed out), if it did.
    """
    stopped = stopped or {}
    verdicts = []
    for number, (legacy_index, migrated_index) in enumerate(
        pair_cells(legacy, migrated), start=1
    ):
        legacy_cell = legacy.cells[legacy_index]
        verdict = CellVerdict(
            number=number,
            legacy_index=legacy_index,
            migrated_index=migrated_index,
            status="not comparable",
            legacy_source=legacy_cell.source,
        )
        verdicts.append(verdict)
        if migrated_index is None:
            verdict.reason = "no migrated cell corresponds to this legacy cell"
            continue
        migrated_cell = migrated.cells[migrated_index]
        verdict.migrated_source = migrated_cell.source
        for side, index in (("legacy", legacy_index), ("migrated", migrated_index)):
            at = stopped.get(side)
            if at is not None and index >= at:
                verdict.reason = f"the {side} run stopped before this cell finished"
        if verdict.reason:
            continue
        legacy_text, legacy_problem = _text(legacy_cell, max_output_bytes)
        migrated_text, migrated_problem = _text(migrated_cell, max_output_bytes)
        if legacy_text is None or migrated_text is None:
            verdict.reason = legacy_problem or migrated_problem
            continue
        verdict.legacy_output, verdict.migrated_output = legacy_text, migrated_text
        legacy_error = _error_of(legacy_cell)
        if legacy_error is not None:
            # Both sides failing alike is no proof that the migration is right.
            verdict.reason = (
                f"the legacy cell raised {legacy_error}; make the legacy notebook "
                "run first (tf1compat run shows where it fails)"
            )
            continue
        comparison = compare_outputs(
            parse_output(legacy_text), parse_output(migrated_text), rtol=rtol, atol=atol
        )
        verdict.status = comparison.status
        verdict.max_abs, verdict.max_rel = comparison.max_abs, comparison.max_rel
        verdict.differences = _describe(comparison)
    return verdicts


def _run(
    path: Path, kernel: str, seed: int | None, timeout: float
) -> tuple[Any, int | None, str | None]:
    """Execute a notebook; return it, where it stopped, and the problem, if any."""
    notebook = read_notebook(path)
    current: list[int] = []

    def track(event: Any) -> None:
        current[:] = [event.index]

    try:
        execute_notebook(
            notebook,
            cwd=path.resolve().parent,
            kernel=kernel,
            seed=seed,
            timeout=timeout,
            path_label=str(path),
            allow_errors=True,
            on_progress=track,
        )
    except (KernelDiedError, CellTimeoutError) as error:
        code = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
        done = current[0] if current else -1
        stopped = next((i for i in code if i > done), None)
        return notebook, stopped, str(error)
    return notebook, None, None


def verify_notebooks(
    legacy: Path,
    migrated: Path,
    *,
    seed: int | None = 1234,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    timeout: float = 600,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
) -> tuple[NotebookVerdict, Any, Any]:
    """Run both notebooks with the same seed and compare them.

    Returns:
        The verdict and the two executed notebooks.

    Raises:
        NotebookError: If either file is not a readable nbformat 4 notebook.
        FileNotFoundError: If either file is missing.
    """
    begin = time.perf_counter()
    verdict = NotebookVerdict(str(legacy), str(migrated), seed, rtol, atol)
    legacy_nb, legacy_stop, legacy_problem = _run(legacy, "tf1", seed, timeout)
    migrated_nb, migrated_stop, migrated_problem = _run(
        migrated, "python", seed, timeout
    )
    for problem in (legacy_problem, migrated_problem):
        if problem:
            verdict.problems.append(problem)
    if not _code_cells(legacy_nb):
        verdict.problems.append(f"{legacy}: no code cells to compare")
    verdict.cells = compare_executed(
        legacy_nb,
        migrated_nb,
        rtol=rtol,
        atol=atol,
        max_output_bytes=max_output_bytes,
        stopped={"legacy": legacy_stop, "migrated": migrated_stop},
    )
    extra = len(_code_cells(migrated_nb)) - len(
        [c for c in verdict.cells if c.migrated_index is not None]
    )
    if extra > 0:
        verdict.problems.append(
            f"{migrated}: {extra} code cells have no legacy counterpart"
        )
    verdict.seconds = time.perf_counter() - begin
    _logger.info("%s vs %s: %s", legacy, migrated, verdict.counts())
    return verdict, legacy_nb, migrated_nb


def _run_script(
    path: Path, tf1: bool, seed: int | None, timeout: float
) -> tuple[str | None, str]:
    """Run a script in a fresh process; return its stdout (None if it failed)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    if seed is not None:
        env["TF1COMPAT_SEED"] = str(seed)
    script = str(path.resolve())
    if tf1:
        command = [sys.executable, "-m", "compat", "run", script]
        if seed is not None:
            command[4:4] = ["--seed", str(seed)]
    else:
        command = [sys.executable, script]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=path.resolve().parent,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"{path}: ran longer than {timeout} s and was stopped"
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-3:])
        return None, f"{path}: exited with code {done.returncode}: {tail}"
    return done.stdout, ""


def verify_scripts(
    legacy: Path,
    migrated: Path,
    *,
    seed: int | None = 1234,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    timeout: float = 600,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
) -> NotebookVerdict:
    """Run a legacy script in the TF1 environment and its conversion plainly.

    The whole standard output of each is compared as one cell.
    """
    begin = time.perf_counter()
    verdict = NotebookVerdict(str(legacy), str(migrated), seed, rtol, atol)
    legacy_out, legacy_problem = _run_script(legacy, True, seed, timeout)
    migrated_out, migrated_problem = _run_script(migrated, False, seed, timeout)
    cell = CellVerdict(
        number=1,
        legacy_index=0,
        migrated_index=0,
        status="not comparable",
        legacy_source=legacy.read_text(encoding="utf-8"),
        migrated_source=migrated.read_text(encoding="utf-8"),
    )
    verdict.cells.append(cell)
    verdict.problems += [p for p in (legacy_problem, migrated_problem) if p]
    if legacy_out is None or migrated_out is None:
        cell.reason = "a run failed"
    elif max(len(legacy_out), len(migrated_out)) > max_output_bytes:
        cell.reason = f"output is over the {max_output_bytes}-byte cap"
    else:
        cell.legacy_output, cell.migrated_output = legacy_out, migrated_out
        comparison = compare_outputs(
            parse_output(legacy_out), parse_output(migrated_out), rtol=rtol, atol=atol
        )
        cell.status = comparison.status
        cell.max_abs, cell.max_rel = comparison.max_abs, comparison.max_rel
        cell.differences = _describe(comparison)
    verdict.seconds = time.perf_counter() - begin
    return verdict
