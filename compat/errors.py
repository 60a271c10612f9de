"""Exceptions and warnings raised by the toolkit itself.

Errors that TF1 raised with a built-in type (``ValueError`` for a bad shape,
``TypeError`` for a bad argument type) keep that type, so code that caught them
under TF1 still does. Errors of the toolkit's own subclass a built-in as well.
"""

from __future__ import annotations

__all__ = [
    "CellExecutionFailed",
    "CellTimeoutError",
    "CompatError",
    "CompatWarning",
    "InvalidNotebookError",
    "KernelDiedError",
    "NotebookError",
    "OldNotebookFormatError",
    "TF1DeprecationWarning",
]


class CompatError(Exception):
    """Base class of the errors that only this toolkit raises."""


class CompatWarning(UserWarning):
    """Base class of the warnings that this toolkit emits."""


class TF1DeprecationWarning(CompatWarning, DeprecationWarning):
    """A TF1 behaviour that TF1 itself had already marked as deprecated.

    The shim keeps such behaviour working, as TF1 did, and says so once per
    call site.
    """


class NotebookError(CompatError):
    """A notebook could not be read or run; the message names the file."""


class InvalidNotebookError(NotebookError, ValueError):
    """The file is not a valid Jupyter notebook (bad JSON or bad structure)."""


class OldNotebookFormatError(NotebookError, ValueError):
    """The notebook uses nbformat 3 or older, which the runner does not execute."""


class KernelDiedError(NotebookError, RuntimeError):
    """The kernel process died while a cell ran."""


class CellTimeoutError(NotebookError, TimeoutError):
    """A cell ran longer than the allowed time."""


class CellExecutionFailed(NotebookError, RuntimeError):
    """A cell raised an exception; ``failure`` says which cell, line and error."""

    def __init__(self, message: str, failure: object) -> None:
        super().__init__(message)
        self.failure = failure
