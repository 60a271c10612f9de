"""Records of what the converter did: per file, per cell, per line.

Problems with one file are results, not exceptions: a run over many files
reports every file and carries on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Change", "ConversionWarning", "FileResult"]


@dataclass(frozen=True)
class Change:
    """One changed line: where, and the text before and after."""

    cell: int | None
    """Index of the notebook cell (0-based), or None for a script."""
    line: int
    """Line in the cell or script (1-based), in the original source."""
    old: str
    new: str


@dataclass(frozen=True)
class ConversionWarning:
    """Something left for a person: an unconverted TF1 use, a cell not parsed."""

    cell: int | None
    line: int | None
    message: str

    def where(self, path: str) -> str:
        """``path[, cell N][, line L]`` for messages."""
        text = path
        if self.cell is not None:
            text += f", cell {self.cell}"
        if self.line is not None:
            text += f", line {self.line}"
        return text


@dataclass
class FileResult:
    """The outcome for one input file."""

    path: str
    status: str
    """``converted`` (output differs), ``unchanged`` or ``failed`` (not read)."""
    output: str | None = None
    """The converted text (None when failed)."""
    changes: list[Change] = field(default_factory=list)
    warnings: list[ConversionWarning] = field(default_factory=list)
    error: str | None = None
    written_to: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict for ``--report`` (without the converted text)."""
        data = asdict(self)
        data.pop("output")
        return data
