"""pytest plugin: notebook cells as test items, checked against golden files.

Off unless asked: ``pytest --compat-golden legacy_notebooks migrated``. Each
notebook becomes one test file and each of its code cells one item, so a
failure names the cell and shows its source, the expected and actual output
and the differences. A notebook runs once per test process (the first of its
items executes it); with pytest-xdist use ``-n auto --dist loadfile`` to keep
a notebook's items in one process.

Goldens (``NAME.golden.json``) are looked up beside the notebook, then in
``--compat-golden-dir``, then in the other directories given on the command
line, so a migrated notebook is checked against its legacy original's golden.
Notebooks written by the converter (their cells carry ``tf1compat``
metadata) run on a plain Python kernel; others on the TF1 kernel.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "pytest_addoption",
    "pytest_collect_file",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf1-compat", "notebook golden checks (tf1-compat)")
    group.addoption(
        "--compat-golden",
        action="store_true",
        default=False,
        help="collect .ipynb files and check each code cell against its golden file",
    )
    group.addoption(
        "--compat-golden-dir",
        default=None,
        help="also look for NAME.golden.json files in this directory",
    )
    group.addoption(
        "--compat-rtol", type=float, default=1e-5, help="relative tolerance"
    )
    group.addoption(
        "--compat-atol", type=float, default=1e-6, help="absolute tolerance"
    )
    group.addoption(
        "--compat-timeout", type=float, default=600, help="seconds per cell"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    config = parent.config
    if not config.getoption("compat_golden") or file_path.suffix != ".ipynb":
        return None
    if ".ipynb_checkpoints" in file_path.parts or file_path.name.endswith(".tf1.ipynb"):
        return None
    return NotebookFile.from_parent(parent, path=file_path)


def _golden_for(path: Path, config: pytest.Config) -> Path | None:
    from compat.verify.golden import golden_path

    candidates = [golden_path(path)]
    extra = config.getoption("compat_golden_dir")
    if extra:
        candidates.append(golden_path(path, Path(extra)))
    for arg in config.args:
        directory = Path(arg.split("::")[0])
        if directory.is_dir():
            candidates.append(golden_path(path, directory))
    return next((c for c in candidates if c.is_file()), None)


class NotebookFile(pytest.File):
    """A notebook: its code cells become items; it is executed once."""

    _executed: Any = None
    _failure: str | None = None

    def collect(self) -> Iterator[pytest.Item]:
        from compat.verify.golden import read_golden

        golden = _golden_for(self.path, self.config)
        if golden is None:
            yield GoldenMissingItem.from_parent(self, name="golden")
            return
        record = read_golden(golden)
        for entry in record["cells"]:
            yield CellItem.from_parent(
                self, name=f"cell_{entry['number']}", entry=entry, record=record
            )

    def executed(self, seed: int | None) -> Any:
        """The notebook, executed once with ``seed`` (cached for this process)."""
        if self._executed is None and self._failure is None:
            from compat.errors import NotebookError
            from compat.verify.execute import execute_notebook, read_notebook

            notebook = read_notebook(self.path)
            converted = any(
                "tf1compat" in c.get("metadata", {})
                for c in notebook.cells
                if c.cell_type == "code"
            )
            try:
                execute_notebook(
                    notebook,
                    cwd=self.path.resolve().parent,
                    kernel="python" if converted else "tf1",
                    seed=seed,
                    timeout=self.config.getoption("compat_timeout"),
                    path_label=str(self.path),
                    allow_errors=True,
                )
            except NotebookError as error:
                self._failure = str(error)
            self._executed = notebook
        return self._executed


class GoldenMissingItem(pytest.Item):
    """Stands for a notebook that has no golden file: fails with what to do."""

    def runtest(self) -> None:
        raise NotebookCheckFailure(
            f"{self.path}: no golden file found; record one with "
            f"`tf1compat golden record {self.path}`"
        )

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}: golden file"


class NotebookCheckFailure(AssertionError):
    """A cell whose output differs from its golden, described for people."""


class CellItem(pytest.Item):
    """One code cell of a notebook, compared with its golden output."""

    def __init__(
        self, *, entry: dict[str, Any], record: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.entry = entry
        self.record = record

    def runtest(self) -> None:
        from compat.verify.compare import (
            ParsedOutput,
            cell_output_text,
            compare_outputs,
            parse_output,
        )

        parent = self.parent
        assert isinstance(parent, NotebookFile)
        notebook = parent.executed(self.record.get("seed"))
        code = [c for c in notebook.cells if c.cell_type == "code"]
        number = self.entry["number"]
        expected = ParsedOutput.from_json(self.entry["output"])
        if number > len(code):
            raise NotebookCheckFailure(
                f"code cell {number} is missing from {self.path.name} "
                f"({len(code)} code cells)"
            )
        cell = code[number - 1]
        text = cell_output_text(cell)
        if parent._failure and not text:
            raise NotebookCheckFailure(
                f"the notebook did not run to this cell: {parent._failure}"
            )
        actual = parse_output(text)
        comparison = compare_outputs(
            expected,
            actual,
            rtol=self.config.getoption("compat_rtol"),
            atol=self.config.getoption("compat_atol"),
        )
        if comparison.status == "different":
            lines = [
                f"{self.path.name}: code cell {number} differs from its golden output",
                "source:",
                *("    " + line for line in cell.source.splitlines()),
                "expected:",
                *("    " + line for line in _render(expected).splitlines()),
                "actual:",
                *("    " + line for line in text.splitlines()),
            ]
            if comparison.skeleton_diff:
                lines.append("the text around the values differs")
            lines += [f"value {d.index}: {d.message}" for d in comparison.differences]
            raise NotebookCheckFailure("\n".join(lines))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str:
        if isinstance(excinfo.value, NotebookCheckFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}::cell_{self.entry['number']}"


def _render(output: Any) -> str:
    """The golden output with its values put back, for failure messages."""
    import numpy as np

    from compat.verify.compare import PLACEHOLDERS

    text = output.skeleton
    for item in output.items:
        marker = PLACEHOLDERS[item.kind]
        if item.kind == "array":
            value = np.array2string(np.asarray(item.value), threshold=20, precision=8)
        elif item.kind == "tensor":
            value = f"Tensor({item.name!r}, shape={item.shape}, dtype={item.dtype})"
        else:
            value = repr(item.value)
        text = text.replace(marker, value, 1)
    return text
