"""Read and execute notebooks with nbclient, on the TF1 kernel or a plain one.

``read_notebook`` turns every way a file can fail to be a notebook into one
clear error. ``execute_notebook`` runs a notebook in its own directory on a
kernel started from a temporary kernel spec (so nothing needs installing),
reports progress per cell, and on failure says which cell, which line and
what error, keeping the outputs executed so far.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from compat.errors import (
    CellExecutionFailed,
    CellTimeoutError,
    InvalidNotebookError,
    KernelDiedError,
    OldNotebookFormatError,
)
from compat.kernel import KERNEL_NAME, write_kernel_spec
from compat.seed import SEED_ENV_VAR

__all__ = [
    "CellFailure",
    "CellProgress",
    "ExecutionResult",
    "execute_notebook",
    "read_notebook",
]

_logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[(\d+)\], line (\d+)")

# Signs that a failing cell used Keras 3, which cannot run in graph mode.
_KERAS_SIGNS = ("keras", "Keras")


@dataclass
class CellFailure:
    """Where and how a cell failed."""

    index: int
    """Index of the cell among all cells (0-based)."""
    number: int
    """Number of the cell among code cells (1-based), as a person counts them."""
    line: int | None
    ename: str
    evalue: str
    source_line: str | None
    hint: str | None = None

    def describe(self, path: str) -> str:
        """One readable paragraph: file, cell, line, error and a hint."""
        where = f"{path}: code cell {self.number} (cell index {self.index})"
        if self.line is not None:
            where += f", line {self.line}"
        text = f"{where}: {self.ename}: {self.evalue}"
        if self.source_line is not None:
            text += f"\n    > {self.source_line.strip()}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class CellProgress:
    """One progress event, sent to ``on_progress`` as each code cell ends."""

    number: int
    total: int
    index: int
    seconds: float
    ok: bool


@dataclass
class ExecutionResult:
    """The executed notebook and what happened."""

    notebook: Any
    seconds: float
    cells_run: int
    progress: list[CellProgress] = field(default_factory=list)
    failures: list[CellFailure] = field(default_factory=list)


def read_notebook(path: Path) -> Any:
    """Read a notebook as nbformat 4, with one clear error for each bad case.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        InvalidNotebookError: If it is not JSON or not a notebook.
        OldNotebookFormatError: If it is nbformat 3 or older.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such notebook")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidNotebookError(
            f"{path}: not a notebook: the file is not UTF-8 text ({error.reason} at "
            f"byte {error.start})"
        ) from None
    except json.JSONDecodeError as error:
        raise InvalidNotebookError(
            f"{path}: not a notebook: invalid JSON at line {error.lineno}, column "
            f"{error.colno}: {error.msg}. Open it in Jupyter or fix the JSON by hand; "
            "the file was not changed."
        ) from None
    if not isinstance(data, dict) or ("cells" not in data and "worksheets" not in data):
        raise InvalidNotebookError(
            f"{path}: not a notebook: expected a JSON object with 'cells' (nbformat 4)"
        )
    major = data.get("nbformat")
    if isinstance(major, int) and major < 4:
        raise OldNotebookFormatError(
            f"{path}: nbformat {major} notebook; the runner executes nbformat 4. "
            f"Upgrade a copy first: jupyter nbconvert --to notebook --nbformat 4 "
            f"--output upgraded.ipynb {path}"
        )
    try:
        notebook = nbformat.reads(  # type: ignore[no-untyped-call]
            raw.decode("utf-8"), as_version=4
        )
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise InvalidNotebookError(
            f"{path}: not a valid nbformat 4 notebook: {error.message}"
        ) from None
    return notebook


def _failure_from_outputs(cell: Any, index: int, number: int) -> CellFailure:
    error = next(
        (o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None
    )
    ename = error.get("ename", "Error") if error else "Error"
    evalue = error.get("evalue", "") if error else ""
    traceback = _ANSI.sub("", "\n".join(error.get("traceback", []))) if error else ""
    line = None
    count = cell.get("execution_count")
    matches = _CELL_LINE.findall(traceback)
    own = [int(ln) for cnt, ln in matches if count is not None and int(cnt) == count]
    if own:
        line = own[0]
    elif matches:
        line = int(matches[0][1])
    source_lines = cell.source.splitlines()
    source_line = None
    if line is not None and 1 <= line <= len(source_lines):
        source_line = source_lines[line - 1]
    hint = None
    if any(sign in traceback or sign in evalue for sign in _KERAS_SIGNS):
        hint = (
            "this cell uses Keras 3, which cannot build or fit models in the TF1 "
            "environment's graph mode; run it on a plain Python kernel, or convert "
            "the notebook to TF2 code"
        )
    return CellFailure(index, number, line, ename, evalue, source_line, hint)


def execute_notebook(
    notebook: Any,
    *,
    cwd: Path,
    kernel: str = "tf1",
    seed: int | None = None,
    timeout: float | None = 600,
    startup_timeout: float = 120,
    on_progress: Callable[[CellProgress], None] | None = None,
    path_label: str = "notebook",
    allow_errors: bool = False,
) -> ExecutionResult:
    """Execute ``notebook`` in place (its outputs are replaced).

    Args:
        notebook: An nbformat 4 notebook node.
        cwd: The directory the kernel runs in (the notebook's own).
        kernel: ``"tf1"`` for the TF1 environment, ``"python"`` for a plain
            Python kernel. The notebook's own kernelspec (Python 2, say) is
            ignored.
        seed: Exported to the kernel as ``TF1COMPAT_SEED`` when given.
        timeout: Seconds one cell may run; None for no limit.
        startup_timeout: Seconds the kernel may take to start.
        on_progress: Called after each code cell.
        path_label: How errors name the notebook.
        allow_errors: Run every cell even after one raised (the error is in
            that cell's outputs and in ``ExecutionResult.failures``).

    Returns:
        The execution result; the notebook holds the new outputs.

    Raises:
        CellExecutionFailed: A cell raised; ``.failure`` says where.
        CellTimeoutError: A cell exceeded ``timeout``.
        KernelDiedError: The kernel died.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from nbclient.exceptions import CellTimeoutError as NbTimeout

    code_cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    number_of = {index: n + 1 for n, index in enumerate(code_cells)}
    progress: list[CellProgress] = []
    started: dict[int, float] = {}
    failed: list[CellFailure] = []
    current: list[int] = []

    def where() -> str:
        if not current:
            return path_label
        index = current[0]
        return f"{path_label}: code cell {number_of.get(index, 0)} (cell index {index})"

    def on_start(cell: Any, cell_index: int) -> None:
        started[cell_index] = time.perf_counter()
        current[:] = [cell_index]
        _logger.debug("cell %d started", cell_index)

    def on_done(cell: Any, cell_index: int, execute_reply: Any) -> None:
        ok = not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        event = CellProgress(
            number=number_of.get(cell_index, 0),
            total=len(code_cells),
            index=cell_index,
            seconds=time.perf_counter() - started.get(cell_index, time.perf_counter()),
            ok=ok,
        )
        progress.append(event)
        if on_progress is not None:
            on_progress(event)

    def on_error(cell: Any, cell_index: int, execute_reply: Any) -> None:
        failed.append(
            _failure_from_outputs(cell, cell_index, number_of.get(cell_index, 0))
        )

    env = {"TF_CPP_MIN_LOG_LEVEL": "2"}
    if seed is not None:
        env[SEED_ENV_VAR] = str(seed)

    begin = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tf1compat-kernel-") as scratch:
        name = KERNEL_NAME if kernel == "tf1" else "tf1compat-plain"
        spec_dir = Path(scratch) / name
        write_kernel_spec(spec_dir, env=env)
        if kernel != "tf1":
            spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))
            spec["argv"] = [
                sys.executable,
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
            ]
            spec["display_name"] = "Python 3"
            (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        specs = KernelSpecManager(kernel_dirs=[scratch])

        class _KernelManager(AsyncKernelManager):
            """Finds kernels in the temporary spec directory only."""

            def __init__(self, **kwargs: Any) -> None:
                super().__init__(kernel_spec_manager=specs, **kwargs)

        # The client owns its kernel manager, so it also shuts the kernel down
        # and closes its channels, however execution ends.
        client = NotebookClient(
            notebook,
            kernel_manager_class=_KernelManager,
            timeout=timeout,
            startup_timeout=int(startup_timeout),
            kernel_name=name,
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(cwd)}},
            on_cell_start=on_start,
            on_cell_executed=on_done,
            on_cell_error=on_error,
        )
        try:
            client.execute(cwd=str(cwd))
        except NbTimeout as error:
            raise CellTimeoutError(
                f"{where()}: ran longer than {timeout} s and was stopped; "
                "raise --timeout if the cell is expected to be slow"
                f" ({_first_line(str(error))})"
            ) from None
        except DeadKernelError as error:
            raise KernelDiedError(
                f"{where()}: the kernel died while running this cell "
                f"({_first_line(str(error))}); it may have run out of memory or "
                "crashed in native code"
            ) from None
        except CellExecutionError as error:
            if failed:
                failure = failed[-1]
            else:
                failure = CellFailure(-1, 0, None, error.ename, error.evalue, None)
            raise CellExecutionFailed(failure.describe(path_label), failure) from None
    _logger.info("%s: %d code cells run", path_label, len(progress))
    return ExecutionResult(
        notebook=notebook,
        seconds=time.perf_counter() - begin,
        cells_run=len(progress),
        progress=progress,
        failures=failed,
    )


def _first_line(text: str) -> str:
    stripped = _ANSI.sub("", text).strip()
    return stripped.splitlines()[0] if stripped else "no details"
