"""The switch that picks how ``dynamic_rnn`` runs its time loop.

Every path computes TF1's equations with TF1's variables; they differ in the
order of the floating-point operations, and so in speed and in the last bits:

``"reference"``
    TF1's own loop, op for op: one ``while_loop`` step calls the cell. Values
    are bitwise TF1's on the same machine. Every cell runs this way.
``"hoisted"``
    The input half of the gate matmul (``x @ W_x + b``) is done for all time
    steps at once, as one large matmul before the loop; each step adds only
    ``h @ W_h``. All layers of a ``MultiRNNCell`` stay in one loop, so they
    overlap. For ``BasicLSTMCell``, ``LSTMCell``, ``LSTMBlockCell``,
    ``GRUCell`` and stacks of them.
``"fused"``
    TF's ``BlockLSTM`` kernel (the op behind TF1's ``LSTMBlockFusedCell``),
    one op per layer, with its cell clipping turned off. For LSTM cells with
    ``tanh``, no projection, no cell clipping and float32 inputs; it wins
    where the per-step work is small, because it has no per-step op dispatch.
``"auto"`` (the default)
    ``"fused"`` for small LSTMs, else ``"hoisted"``, else ``"reference"``.

Fast paths stay within 1e-6 of the reference path's values (the tests check
that, and 1e-5 relative for gradients, over the cells' options). Use
``"reference"`` for bitwise comparisons with TF1.

Set the path with ``set_rnn_path(name)``, for a block of code with ``with
rnn_path(name):``, or for a whole process with the environment variable
``TF1COMPAT_RNN_PATH`` (read, case-insensitively, each time a ``dynamic_rnn``
is built). A forced fast
path that cannot run a given cell falls back to the next one that can
(``fused``, then ``hoisted``, then ``reference``) with a ``CompatWarning``
that says why. The path is chosen when the graph is built (in eager mode,
when the loop's function is traced), so a switch applies to graphs built
after it.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator

from compat.unsupported import raise_unsupported

__all__ = [
    "PATHS",
    "PATH_ENV_VAR",
    "get_rnn_path",
    "rnn_path",
    "set_rnn_path",
]

PATH_ENV_VAR = "TF1COMPAT_RNN_PATH"
PATHS = ("auto", "reference", "hoisted", "fused")

_process_path: str | None = None
_scoped_path: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "tf1compat_rnn_path", default=None
)


def _check(path: object, source: str) -> str:
    if path == "cudnn":
        raise_unsupported("cudnn_rnn_path")
    if not isinstance(path, str) or path not in PATHS:
        raise ValueError(
            f"{source} must be one of {', '.join(repr(p) for p in PATHS)}, got {path!r}"
        )
    return path


def set_rnn_path(path: str | None) -> None:
    """Pick the path of every ``dynamic_rnn`` built from now on.

    Args:
        path: ``"auto"``, ``"reference"``, ``"hoisted"`` or ``"fused"``; None
            drops the choice (``TF1COMPAT_RNN_PATH`` or ``"auto"`` again).

    Raises:
        ValueError: If ``path`` is not one of these.
    """
    global _process_path
    _process_path = None if path is None else _check(path, "set_rnn_path: path")


@contextlib.contextmanager
def rnn_path(path: str) -> Iterator[None]:
    """Use ``path`` for the ``dynamic_rnn`` calls built inside the block.

    Raises:
        ValueError: If ``path`` is not one of ``PATHS``.
    """
    token = _scoped_path.set(_check(path, "rnn_path: path"))
    try:
        yield
    finally:
        _scoped_path.reset(token)


def get_rnn_path() -> str:
    """The path in effect: the innermost ``rnn_path`` block, ``set_rnn_path``,
    ``TF1COMPAT_RNN_PATH``, else ``"auto"``.

    Raises:
        ValueError: If ``TF1COMPAT_RNN_PATH`` holds an unknown name.
    """
    scoped = _scoped_path.get()
    if scoped is not None:
        return scoped
    if _process_path is not None:
        return _process_path
    raw = os.environ.get(PATH_ENV_VAR, "").strip().lower()
    if raw:
        return _check(raw, f"environment variable {PATH_ENV_VAR}")
    return "auto"
