"""Find input files, convert them (in parallel if asked) and write the outputs.

Outputs are written atomically (a temporary file in the target directory,
then a rename), never empty for a non-empty input, and never over an input
unless in-place conversion was asked for, which keeps a ``.bak`` copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compat.convert.notebook import convert_notebook_text, convert_python_text
from compat.convert.results import FileResult

__all__ = ["InputFile", "convert_file", "convert_files", "find_inputs", "write_output"]

_SKIPPED_DIRS = {
    ".ipynb_checkpoints",
    "__pycache__",
    ".git",
    "node_modules",
    "site-packages",
}


@dataclass(frozen=True)
class InputFile:
    """A file to convert and where it sits relative to the path the user gave."""

    path: Path
    relative: Path


def find_inputs(paths: Sequence[str]) -> list[InputFile]:
    """Expand files and directories (recursively) into ``.py``/``.ipynb`` inputs.

    Raises:
        FileNotFoundError: If a path does not exist or is not a .py/.ipynb file.
    """
    found: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            environments = {p.parent for p in path.rglob("pyvenv.cfg")}
            for child in sorted(path.rglob("*")):
                parts = set(child.relative_to(path).parts)
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                if parts & _SKIPPED_DIRS or hidden or not child.is_file():
                    continue
                if any(child.is_relative_to(env) for env in environments):
                    continue  # a virtual environment's installed packages
                if child.suffix in (".py", ".ipynb"):
                    found.append(InputFile(child, child.relative_to(path)))
        elif path.is_file() and path.suffix in (".py", ".ipynb"):
            found.append(InputFile(path, Path(path.name)))
        elif path.exists():
            raise FileNotFoundError(f"{path}: not a .py or .ipynb file")
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return found


def convert_file(path: Path) -> FileResult:
    """Convert one file; unreadable input gives a ``failed`` result."""
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(label, "failed", error=f"cannot read: {error.strerror}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return FileResult(
            label,
            "failed",
            error=f"not UTF-8 text ({error.reason} at byte {error.start})",
        )
    if path.suffix == ".ipynb":
        return convert_notebook_text(text, label)
    return convert_python_text(text, label)


def convert_files(paths: Iterable[Path], jobs: int = 1) -> list[FileResult]:
    """Convert files, with ``jobs`` worker processes when above one."""
    ordered = list(paths)
    if jobs <= 1 or len(ordered) <= 1:
        return [convert_file(p) for p in ordered]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(convert_file, ordered))


def write_output(result: FileResult, target: Path, *, backup: bool) -> None:
    """Write a converted file atomically.

    Raises:
        RuntimeError: If the converter produced an empty output for a non-empty
            input (a bug in tf1-compat: nothing is written).
    """
    assert result.output is not None
    if not result.output.strip() and Path(result.path).stat().st_size > 0:
        raise RuntimeError(
            f"{result.path}: the converter produced an empty output; nothing was "
            "written. This is a bug in tf1-compat: please report it with the input."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if backup and target.exists():
        # A later --in-place run must not replace the first backup (the
        # original): it gets the next free name.
        backup_path = target.with_name(target.name + ".bak")
        number = 1
        while backup_path.exists():
            backup_path = target.with_name(f"{target.name}.bak.{number}")
            number += 1
        backup_path.write_bytes(target.read_bytes())
    scratch = target.with_name(f".{target.name}.tf1compat-tmp")
    scratch.write_text(result.output, encoding="utf-8")
    os.replace(scratch, target)
    result.written_to = str(target)
