"""Exceptions and warnings raised by the toolkit itself.

Errors that TF1 raised with a built-in type (``ValueError`` for a bad shape,
``TypeError`` for a bad argument type) keep that type, so code that caught them
under TF1 still does. Errors of the toolkit's own subclass a built-in as well.
"""

from __future__ import annotations

__all__ = ["CompatError", "CompatWarning", "TF1DeprecationWarning"]


class CompatError(Exception):
    """Base class of the errors that only this toolkit raises."""


class CompatWarning(UserWarning):
    """Base class of the warnings that this toolkit emits."""


class TF1DeprecationWarning(CompatWarning, DeprecationWarning):
    """A TF1 behaviour that TF1 itself had already marked as deprecated.

    The shim keeps such behaviour working, as TF1 did, and says so once per
    call site.
    """
